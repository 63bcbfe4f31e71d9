// SQL of drug orders (declared in repository.hpp beside this file).
#include "domain/dispensing/repository.hpp"

namespace ihos::domain::dispensing::repo {
namespace {

using store::Row;
using store::Tx;

constexpr const char* kOrderSelect =
    "SELECT o.id, o.patient_id, o.created_by, o.prescription_id, o.pharmacy_id, o.pharmacy_name, o.mode, o.address, "
    "o.lat_e6, o.lon_e6, o.contact_phone, o.items_fen, o.delivery_fee_fen, o.status, o.reason, o.courier_id, "
    "o.pickup_nonce, o.pickup_used_at, o.created_at, o.updated_at, p.real_name, c.real_name, o.rx_line_count, o.kind "
    "FROM drug_orders o JOIN users p ON p.id = o.patient_id LEFT JOIN users c ON c.id = o.courier_id ";

Order OrderFrom(const Row& r) {
  Order o;
  o.id = r.Int(0);
  o.patient_id = r.Int(1);
  o.created_by = r.Int(2);
  o.prescription_id = r.Int(3);  // NULL (an OTC order) reads 0
  o.pharmacy_id = r.Int(4);
  o.pharmacy_name = r.Text(5);
  o.mode = r.Text(6);
  o.address = r.Text(7);
  o.lat_e6 = r.Int(8);
  o.lon_e6 = r.Int(9);
  o.contact_phone = r.Text(10);
  o.items_fen = r.Int(11);
  o.delivery_fee_fen = r.Int(12);
  o.status = r.Text(13);
  o.reason = r.Text(14);
  o.courier_id = r.OptInt(15);
  o.pickup_nonce = r.Text(16);
  o.pickup_used_at = r.OptInt(17);
  o.created_at = r.Int(18);
  o.updated_at = r.Int(19);
  o.patient_name = r.Text(20);
  o.courier_name = r.Text(21);
  o.rx_line_count = r.Int(22);
  o.kind = r.Text(23);
  return o;
}

Status FillLines(Tx& tx, Order& o) {
  auto rows = tx.Query(
      "SELECT line_no, formulary_item_id, name, strength, prescribed, quantity, unit_fen, item_code, otc_class, "
      "otc_mark_id FROM drug_order_lines WHERE order_id = $1 ORDER BY line_no",
      {o.id});
  if (!rows) return rows.error();
  for (const auto& r : *rows)
    o.lines.push_back(
        OrderLine{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5), r.Int(6), r.Text(7), r.Text(8),
                  r.OptInt(9).value_or(0)});
  return {};
}

Result<std::vector<Order>> Orders(Tx& tx, const std::string& where, const store::Params& params) {
  auto rows = tx.Query(std::string(kOrderSelect) + where, params);
  if (!rows) return rows.error();
  std::vector<Order> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    out.push_back(OrderFrom(r));
    if (auto st = FillLines(tx, out.back()); !st) return st.error();
  }
  return out;
}

Result<bool> Changed(const Result<std::int64_t>& n) {
  if (!n) return n.error();
  return *n > 0;
}

Result<std::map<std::int64_t, std::int64_t>> PerLine(Tx& tx, const std::string& statuses, std::int64_t rx) {
  auto rows = tx.Query(
      "SELECT l.line_no, SUM(l.quantity) FROM drug_order_lines l JOIN drug_orders o ON o.id = l.order_id "
      "WHERE o.prescription_id = $1 AND o.status IN (" +
          statuses + ") GROUP BY l.line_no",
      {rx});
  if (!rows) return rows.error();
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& r : *rows) out[r.Int(0)] = r.Int(1);
  return out;
}

constexpr const char* kLive =
    "'placed','accepted','dispensed','assigned','picked_up','delivered','failed','handed_over'";
constexpr const char* kDispensed = "'dispensed','assigned','picked_up','delivered','failed','handed_over'";

}  // namespace

Result<std::int64_t> InsertOrder(Tx& tx, const Order& o) {
  // The schema lets prescription_id be NULL (migration 0060); only an OTC order may leave it out.
  if ((o.kind == "otc") != (o.prescription_id == 0))
    return MakeError(Errc::internal, "internal_error",
                     "kind " + o.kind + " with prescription " + std::to_string(o.prescription_id));
  auto rows = tx.Query(
      "INSERT INTO drug_orders (patient_id, created_by, prescription_id, pharmacy_id, pharmacy_name, mode, address, "
      "lat_e6, lon_e6, contact_phone, items_fen, delivery_fee_fen, status, pickup_nonce, created_at, updated_at, "
      "rx_line_count, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'placed', $13, $14, $14, $15, "
      "$16) RETURNING id",
      {o.patient_id, o.created_by, o.prescription_id ? store::Value(o.prescription_id) : store::Value(nullptr),
       o.pharmacy_id, o.pharmacy_name, o.mode, o.address, o.lat_e6, o.lon_e6, o.contact_phone, o.items_fen,
       o.delivery_fee_fen, o.pickup_nonce, o.created_at, o.rx_line_count, o.kind});
  if (!rows) return rows.error();
  const std::int64_t id = rows->front().Int(0);
  for (const auto& l : o.lines) {
    auto n = tx.Exec(
        "INSERT INTO drug_order_lines (order_id, line_no, formulary_item_id, name, strength, prescribed, quantity, "
        "unit_fen, item_code, otc_class, otc_mark_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        {id, l.line_no, l.formulary_item_id, l.name, l.strength, l.prescribed, l.quantity, l.unit_fen, l.item_code,
         l.otc_class, l.otc_mark_id ? store::Value(l.otc_mark_id) : store::Value(nullptr)});
    if (!n) return n.error();
  }
  return id;
}

Result<std::optional<Order>> FindOrder(Tx& tx, std::int64_t id) {
  auto all = Orders(tx, "WHERE o.id = $1", {id});
  if (!all) return all.error();
  if (all->empty()) return std::optional<Order>();
  Order o = std::move(all->front());
  auto b = tx.Query(
      "SELECT formulary_item_id, batch_no, expiry_date, quantity FROM drug_order_batches WHERE order_id = $1 "
      "ORDER BY formulary_item_id, expiry_date, batch_no",
      {id});
  if (!b) return b.error();
  for (const auto& r : *b) o.batches.push_back(Batch{r.Int(0), r.Text(1), r.Text(2), r.Int(3)});
  auto e = tx.Query("SELECT status, actor_role, note, at FROM drug_order_events WHERE order_id = $1 ORDER BY id", {id});
  if (!e) return e.error();
  for (const auto& r : *e) o.events.push_back(Event{r.Text(0), r.Text(1), r.Text(2), r.Int(3)});
  return std::optional<Order>(std::move(o));
}

Result<std::vector<Order>> OrdersOfPatients(Tx& tx, const std::vector<std::int64_t>& patient_ids, int limit) {
  if (patient_ids.empty()) return std::vector<Order>();
  std::string where = "WHERE o.patient_id IN (";
  store::Params params{std::int64_t{limit}};
  for (std::size_t i = 0; i < patient_ids.size(); ++i) {
    where += (i ? ", $" : "$") + std::to_string(i + 2);
    params.push_back(patient_ids[i]);
  }
  return Orders(tx, where + ") ORDER BY o.id DESC LIMIT $1", params);
}

Result<std::vector<Order>> OrdersOfPharmacy(Tx& tx, std::int64_t pharmacy_id, const std::vector<std::string>& statuses,
                                            int limit) {
  std::string where = "WHERE o.pharmacy_id = $1";
  store::Params params{pharmacy_id, std::int64_t{limit}};
  if (!statuses.empty()) {
    where += " AND o.status IN (";
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      where += (i ? ", $" : "$") + std::to_string(i + 3);
      params.push_back(statuses[i]);
    }
    where += ")";
  }
  return Orders(tx, where + " ORDER BY o.id LIMIT $2", params);
}

Result<std::map<std::int64_t, std::int64_t>> OrderedPerLine(Tx& tx, std::int64_t prescription_id) {
  return PerLine(tx, kLive, prescription_id);
}

Result<std::map<std::int64_t, std::int64_t>> DispensedPerLine(Tx& tx, std::int64_t prescription_id) {
  return PerLine(tx, kDispensed, prescription_id);
}

Result<std::map<std::int64_t, std::int64_t>> PrescribedPerLine(Tx& tx, std::int64_t prescription_id) {
  auto rows = tx.Query(
      "SELECT l.line_no, MAX(l.prescribed) FROM drug_order_lines l JOIN drug_orders o ON o.id = l.order_id "
      "WHERE o.prescription_id = $1 GROUP BY l.line_no",
      {prescription_id});
  if (!rows) return rows.error();
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& r : *rows) out[r.Int(0)] = r.Int(1);
  return out;
}

Result<std::vector<std::int64_t>> PlacedBefore(Tx& tx, std::int64_t before_ms, int limit) {
  auto rows = tx.Query("SELECT id FROM drug_orders WHERE status = 'placed' AND created_at < $1 ORDER BY id LIMIT $2",
                       {before_ms, std::int64_t{limit}});
  if (!rows) return rows.error();
  std::vector<std::int64_t> out;
  for (const auto& r : *rows) out.push_back(r.Int(0));
  return out;
}

Result<bool> Move(Tx& tx, std::int64_t id, const std::string& from, const std::string& to, const std::string& reason,
                  std::int64_t at) {
  return Changed(
      tx.Exec("UPDATE drug_orders SET status = $3, reason = CASE WHEN $4 = '' THEN reason ELSE $4 END, updated_at = $5 "
              "WHERE id = $1 AND status = $2",
              {id, from, to, reason, at}));
}

Result<bool> SetCourier(Tx& tx, std::int64_t id, std::optional<std::int64_t> courier_id, std::int64_t at) {
  store::Value c = courier_id ? store::Value(*courier_id) : store::Value(nullptr);
  return Changed(tx.Exec("UPDATE drug_orders SET courier_id = $2, updated_at = $3 WHERE id = $1", {id, c, at}));
}

Result<bool> UsePickup(Tx& tx, std::int64_t id, std::int64_t by, std::int64_t at) {
  return Changed(tx.Exec(
      "UPDATE drug_orders SET pickup_used_at = $2, pickup_used_by = $3 WHERE id = $1 AND pickup_used_at IS NULL",
      {id, at, by}));
}

Status InsertBatch(Tx& tx, std::int64_t order_id, const Batch& b) {
  auto n = tx.Exec(
      "INSERT INTO drug_order_batches (order_id, formulary_item_id, batch_no, expiry_date, quantity) "
      "VALUES ($1, $2, $3, $4, $5)",
      {order_id, b.formulary_item_id, b.batch_no, b.expiry_date, b.quantity});
  if (!n) return n.error();
  return {};
}

Status InsertEvent(Tx& tx, std::int64_t order_id, std::optional<std::int64_t> actor_id, const Event& e) {
  store::Value a = actor_id ? store::Value(*actor_id) : store::Value(nullptr);
  auto n = tx.Exec(
      "INSERT INTO drug_order_events (order_id, status, actor_id, actor_role, note, at) VALUES ($1, $2, $3, $4, $5, "
      "$6)",
      {order_id, e.status, a, e.actor_role, e.note, e.at});
  if (!n) return n.error();
  return {};
}

Result<std::vector<PublicKey>> PublicKeys(Tx& tx) {
  auto rows = tx.Query("SELECT id, public_key, created_at FROM drug_pickup_keys ORDER BY id");
  if (!rows) return rows.error();
  std::vector<PublicKey> out;
  for (const auto& r : *rows) out.push_back(PublicKey{r.Int(0), r.Text(1), r.Int(2)});
  return out;
}

Result<std::optional<std::pair<std::int64_t, std::string>>> SigningKey(Tx& tx) {
  auto rows = tx.Query("SELECT id, secret_key FROM drug_pickup_keys ORDER BY id DESC LIMIT 1");
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::pair<std::int64_t, std::string>>();
  return std::optional<std::pair<std::int64_t, std::string>>(std::pair{rows->front().Int(0), rows->front().Text(1)});
}

Result<std::int64_t> InsertKey(Tx& tx, const std::string& public_key, const std::string& secret_key, std::int64_t at) {
  auto rows =
      tx.Query("INSERT INTO drug_pickup_keys (public_key, secret_key, created_at) VALUES ($1, $2, $3) RETURNING id",
               {public_key, secret_key, at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::optional<std::string>> PublicKeyOf(Tx& tx, std::int64_t key_id) {
  auto rows = tx.Query("SELECT public_key FROM drug_pickup_keys WHERE id = $1", {key_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->front().Text(0));
}

}  // namespace ihos::domain::dispensing::repo
