// SQL of home services (declared in repository.hpp beside this file).
#include "domain/homecare/repository.hpp"

namespace ihos::domain::homecare::repo {
namespace {

using store::Row;
using store::Tx;

constexpr const char* kOrderSelect =
    "SELECT o.id, o.patient_id, o.booked_by, o.service_code, o.price_fen, o.region_code, o.address, o.contact_phone, "
    "o.window_start, o.window_end, o.note, o.status, o.nurse_id, o.service_note, o.cancel_reason, o.created_at, "
    "o.updated_at, v.kind, v.name_zh, v.name_en, v.demo, p.real_name, n.real_name "
    "FROM homecare_orders o JOIN homecare_services v ON v.code = o.service_code JOIN users p ON p.id = o.patient_id "
    "LEFT JOIN users n ON n.id = o.nurse_id ";

Order OrderFrom(const Row& r) {
  Order o;
  o.id = r.Int(0);
  o.patient_id = r.Int(1);
  o.booked_by = r.Int(2);
  o.service_code = r.Text(3);
  o.price_fen = r.Int(4);
  o.region_code = r.Text(5);
  o.address = r.Text(6);
  o.contact_phone = r.Text(7);
  o.window_start = r.Int(8);
  o.window_end = r.Int(9);
  o.note = r.Text(10);
  o.status = r.Text(11);
  o.nurse_id = r.OptInt(12);
  o.service_note = r.Text(13);
  o.cancel_reason = r.Text(14);
  o.created_at = r.Int(15);
  o.updated_at = r.Int(16);
  o.service_kind = r.Text(17);
  o.service_name_zh = r.Text(18);
  o.service_name_en = r.Text(19);
  o.price_demo = r.Int(20) == 1;
  o.patient_name = r.Text(21);
  o.nurse_name = r.OptText(22);
  return o;
}

Result<std::vector<Order>> Orders(Tx& tx, const std::string& where, const store::Params& params) {
  auto rows = tx.Query(std::string(kOrderSelect) + where, params);
  if (!rows) return rows.error();
  std::vector<Order> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(OrderFrom(r));
  return out;
}

ServiceItem ServiceFrom(const Row& r) {
  return ServiceItem{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5), r.Int(6) == 1};
}

Event EventFrom(const Row& r) { return Event{r.Text(0), r.Text(1), r.Text(2), r.Int(3)}; }

Result<bool> Changed(const Result<std::int64_t>& n) {
  if (!n) return n.error();
  return *n > 0;
}

}  // namespace

// ---------------------------------------------------------------- catalogue

Result<std::vector<ServiceItem>> ActiveServices(Tx& tx) {
  auto rows = tx.Query(
      "SELECT code, kind, name_zh, name_en, price_fen, duration_minutes, demo FROM homecare_services WHERE active = 1 "
      "ORDER BY sort_order, code");
  if (!rows) return rows.error();
  std::vector<ServiceItem> out;
  for (const auto& r : *rows) out.push_back(ServiceFrom(r));
  return out;
}

Result<std::optional<std::int64_t>> ActiveServicePrice(Tx& tx, const std::string& code) {
  auto rows = tx.Query("SELECT price_fen FROM homecare_services WHERE code = $1 AND active = 1", {code});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows->front().Int(0));
}

Result<bool> SetServicePrice(Tx& tx, const PriceChange& p) {
  return Changed(tx.Exec("UPDATE homecare_services SET price_fen = $2, active = $3, demo = 0 WHERE code = $1",
                         {p.code, p.price_fen, std::int64_t{p.active ? 1 : 0}}));
}

// ---------------------------------------------------------------- orders

Result<bool> HasOpenOrder(Tx& tx, std::int64_t patient_id, const std::string& service_code, std::int64_t from_ms,
                          std::int64_t to_ms) {
  auto rows = tx.Query(
      "SELECT id FROM homecare_orders WHERE patient_id = $1 AND service_code = $2 AND window_start >= $3 AND "
      "window_start < $4 AND status IN ('requested', 'accepted', 'arrived')",
      {patient_id, service_code, from_ms, to_ms});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<std::string> AccountPhone(Tx& tx, std::int64_t user_id) {
  auto rows = tx.Query("SELECT phone FROM users WHERE id = $1", {user_id});
  if (!rows) return rows.error();
  return rows->empty() ? std::string() : rows->front().Text(0);
}

Result<std::int64_t> InsertOrder(Tx& tx, const NewOrder& o) {
  auto rows = tx.Query(
      "INSERT INTO homecare_orders (patient_id, booked_by, service_code, price_fen, region_code, address, "
      "contact_phone, window_start, window_end, note, status, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'requested', $11, $11) RETURNING id",
      {o.patient_id, o.booked_by, o.service_code, o.price_fen, o.region_code, o.address, o.contact_phone,
       o.window_start, o.window_end, o.note, o.created_at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::optional<Order>> FindOrder(Tx& tx, std::int64_t id) {
  auto all = Orders(tx, "WHERE o.id = $1", {id});
  if (!all) return all.error();
  if (all->empty()) return std::optional<Order>();
  return std::optional<Order>(std::move(all->front()));
}

Result<std::vector<Order>> OrdersOfUser(Tx& tx, std::int64_t user_id, int limit) {
  return Orders(tx,
                "WHERE o.patient_id = $1 OR o.booked_by = $1 OR o.patient_id IN "
                "(SELECT ward_id FROM guardianships WHERE guardian_id = $1) "
                "ORDER BY o.window_start DESC, o.id DESC LIMIT $2",
                {user_id, std::int64_t{limit}});
}

Result<std::vector<Order>> OpenOrders(Tx& tx, std::int64_t now_ms, std::int64_t except_patient, int limit) {
  return Orders(tx,
                "WHERE o.status = 'requested' AND o.window_end > $1 AND o.patient_id <> $2 "
                "ORDER BY o.window_start, o.id LIMIT $3",
                {now_ms, except_patient, std::int64_t{limit}});
}

Result<std::vector<Order>> NurseOrders(Tx& tx, std::int64_t nurse_id, std::int64_t since_ms, int limit) {
  return Orders(tx,
                "WHERE o.nurse_id = $1 AND (o.status IN ('accepted', 'arrived') OR o.updated_at > $2) "
                "ORDER BY o.window_start, o.id LIMIT $3",
                {nurse_id, since_ms, std::int64_t{limit}});
}

Result<bool> CancelOrder(Tx& tx, std::int64_t id, const std::string& from, const std::string& reason, std::int64_t at) {
  return Changed(
      tx.Exec("UPDATE homecare_orders SET status = 'cancelled', cancel_reason = $3, updated_at = $4 WHERE id = $1 AND "
              "status = $2",
              {id, from, reason, at}));
}

Result<bool> AcceptOrder(Tx& tx, std::int64_t id, std::int64_t nurse_id, std::int64_t at) {
  // Two nurses racing for one order: the conditional update lets exactly one win.
  return Changed(
      tx.Exec("UPDATE homecare_orders SET status = 'accepted', nurse_id = $2, updated_at = $3 WHERE id = $1 AND "
              "status = 'requested'",
              {id, nurse_id, at}));
}

Result<bool> AdvanceOrder(Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
                          const std::string& note, std::int64_t nurse_id, std::int64_t at) {
  return Changed(
      tx.Exec("UPDATE homecare_orders SET status = $2, service_note = CASE WHEN $3 = '' THEN service_note ELSE $3 END, "
              "updated_at = $4 WHERE id = $1 AND status = $5 AND nurse_id = $6",
              {id, to, note, at, from, nurse_id}));
}

// ---------------------------------------------------------------- timeline

Status InsertEvent(Tx& tx, std::int64_t order_id, std::int64_t actor_id, const Event& e) {
  auto n = tx.Exec(
      "INSERT INTO homecare_events (order_id, status, actor_id, actor_role, note, at) VALUES ($1, $2, $3, $4, $5, $6)",
      {order_id, e.status, actor_id, e.actor_role, e.note, e.at});
  if (!n) return n.error();
  return {};
}

Result<std::vector<Event>> Events(Tx& tx, std::int64_t order_id) {
  auto rows =
      tx.Query("SELECT status, actor_role, note, at FROM homecare_events WHERE order_id = $1 ORDER BY id", {order_id});
  if (!rows) return rows.error();
  std::vector<Event> out;
  for (const auto& r : *rows) out.push_back(EventFrom(r));
  return out;
}

// ---------------------------------------------------------------- nurses' areas

Result<std::vector<std::string>> NurseAreas(Tx& tx, std::int64_t nurse_id) {
  auto rows =
      tx.Query("SELECT region_code FROM homecare_nurse_areas WHERE user_id = $1 ORDER BY region_code", {nurse_id});
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.Text(0));
  return out;
}

Status ReplaceNurseAreas(Tx& tx, std::int64_t nurse_id, const std::vector<std::string>& codes) {
  auto del = tx.Exec("DELETE FROM homecare_nurse_areas WHERE user_id = $1", {nurse_id});
  if (!del) return del.error();
  for (const auto& c : codes) {
    auto ins = tx.Exec("INSERT INTO homecare_nurse_areas (user_id, region_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                       {nurse_id, c});
    if (!ins) return ins.error();
  }
  return {};
}

}  // namespace ihos::domain::homecare::repo
