#include "domain/billing/repository.hpp"

#include <boost/json.hpp>

#include "domain/billing/repository_internal.hpp"
#include "store/value.hpp"

namespace ihos::domain::billing::repo {
namespace json = boost::json;
namespace {

// --- stored JSON columns (policy ratios, settlement lines) ---
std::string RatiosText(const std::vector<Ratio>& rs) {
  json::array a;
  for (const auto& r : rs) a.push_back({{"grade", r.grade}, {"item_class", r.item_class}, {"ratio_bp", r.ratio_bp}});
  return json::serialize(a);
}
std::vector<Ratio> RatiosFrom(const std::string& text) {
  std::vector<Ratio> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.get_array()) {
    const auto* o = e.if_object();
    if (!o) continue;
    Ratio r;
    if (auto* g = o->if_contains("grade"); g && g->is_string()) r.grade = std::string(g->get_string());
    if (auto* c = o->if_contains("item_class"); c && c->is_string()) r.item_class = std::string(c->get_string());
    if (auto* b = o->if_contains("ratio_bp"); b && b->is_int64()) r.ratio_bp = b->get_int64();
    out.push_back(std::move(r));
  }
  return out;
}
std::string LinesText(const std::vector<LineSplit>& ls) {
  json::array a;
  for (const auto& l : ls)
    a.push_back({{"line_no", l.line_no},
                 {"name", l.name},
                 {"amount_fen", l.amount_fen},
                 {"fund_fen", l.fund_fen},
                 {"personal_fen", l.personal_fen},
                 {"cash_fen", l.cash_fen},
                 {"rule", l.rule}});
  return json::serialize(a);
}
std::int64_t IntOf(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_int64() ? v->get_int64() : 0;
}
std::string TextOf(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
std::vector<LineSplit> LinesFrom(const std::string& text) {
  std::vector<LineSplit> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.get_array()) {
    const auto* o = e.if_object();
    if (!o) continue;
    LineSplit l;
    l.line_no = static_cast<int>(IntOf(*o, "line_no"));
    l.name = TextOf(*o, "name");
    l.amount_fen = IntOf(*o, "amount_fen");
    l.fund_fen = IntOf(*o, "fund_fen");
    l.personal_fen = IntOf(*o, "personal_fen");
    l.cash_fen = IntOf(*o, "cash_fen");
    l.rule = TextOf(*o, "rule");
    out.push_back(std::move(l));
  }
  return out;
}

// --- mappers, one per table ---
Item ItemFrom(const store::Row& r) { return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)}; }
constexpr char kItemCols[] = "code, name_zh, name_en, item_class, b_selfpay_bp";

Profile ProfileFrom(const store::Row& r) {
  Profile p;
  p.patient_id = r.Int(0);
  p.bound = true;
  p.scheme = r.Text(1);
  p.region_code = r.Text(2);
  p.insured_no = r.Text(3);
  p.adapter = r.Text(4);
  return p;
}

constexpr char kPolicyCols[] =
    "id, region_code, scheme, version, deductible_fen, annual_cap_fen, personal_account_pays, ratios, demo, "
    "created_by, "
    "created_at";
Policy PolicyFrom(const store::Row& r) {
  Policy p;
  p.id = r.Int(0);
  p.region_code = r.Text(1);
  p.scheme = r.Text(2);
  p.version = r.Int(3);
  p.deductible_fen = r.Int(4);
  p.annual_cap_fen = r.Int(5);
  p.personal_account_pays = r.Int(6) != 0;
  p.ratios = RatiosFrom(r.Text(7));
  p.demo = r.Int(8) != 0;
  p.created_by = r.OptInt(9);
  p.created_at = r.Int(10);
  return p;
}

constexpr char kOrderCols[] =
    "o.id, o.patient_id, COALESCE(u.real_name, ''), o.created_by, o.source_kind, o.source_id, o.title, "
    "o.hospital_grade, o.total_fen, o.refunded_fen, o.status, o.hold_until, o.created_at, o.paid_at, o.closed_at";
constexpr char kOrderFrom[] = " FROM billing_orders o LEFT JOIN users u ON u.id = o.patient_id ";
Order OrderFrom(const store::Row& r) {
  Order o;
  o.id = r.Int(0);
  o.patient_id = r.Int(1);
  o.patient_name = r.Text(2);
  o.created_by = r.Int(3);
  o.source_kind = r.Text(4);
  o.source_id = r.Int(5);
  o.title = r.Text(6);
  o.hospital_grade = r.Text(7);
  o.total_fen = r.Int(8);
  o.refunded_fen = r.Int(9);
  o.status = r.Text(10);
  o.hold_until = r.Int(11);
  o.created_at = r.Int(12);
  o.paid_at = r.OptInt(13);
  o.closed_at = r.OptInt(14);
  return o;
}

constexpr char kLineCols[] =
    "l.line_no, l.item_code, l.name, i.item_class, i.b_selfpay_bp, l.unit_fen, l.quantity, l.amount_fen";
Line LineFrom(const store::Row& r) {
  Line l;
  l.line_no = static_cast<int>(r.Int(0));
  l.item_code = r.Text(1);
  l.name = r.Text(2);
  l.item_class = r.Text(3);
  l.b_selfpay_bp = r.Int(4);
  l.unit_fen = r.Int(5);
  l.quantity = static_cast<int>(r.Int(6));
  l.amount_fen = r.Int(7);
  return l;
}

constexpr char kSettlementCols[] =
    "s.id, s.order_id, s.policy_id, COALESCE(p.version, 0), s.region_code, s.scheme, s.fund_fen, s.personal_fen, "
    "s.cash_fen, s.deductible_used_fen, s.lines, s.settled_at, s.payment_id";
Settlement SettlementFrom(const store::Row& r) {
  Settlement s;
  s.id = r.Int(0);
  s.order_id = r.Int(1);
  s.policy_id = r.OptInt(2);
  s.policy_version = r.Int(3);
  s.split.policy_id = s.policy_id;
  s.split.policy_version = s.policy_version;
  s.split.region_code = r.Text(4);
  s.split.scheme = r.Text(5);
  s.split.fund_fen = r.Int(6);
  s.split.personal_fen = r.Int(7);
  s.split.cash_fen = r.Int(8);
  s.split.total_fen = s.split.fund_fen + s.split.personal_fen + s.split.cash_fen;
  s.split.deductible_used_fen = r.Int(9);
  s.split.lines = LinesFrom(r.Text(10));
  s.settled_at = r.Int(11);
  s.payment_id = r.OptInt(12);
  return s;
}

}  // namespace
using internal::All;
using internal::One;

// --- items ---
Result<std::vector<Item>> Items(store::Tx& tx) {
  return All<Item>(tx, std::string("SELECT ") + kItemCols + " FROM billing_items ORDER BY code", {}, ItemFrom);
}
Result<std::optional<Item>> FindItem(store::Tx& tx, const std::string& code) {
  return One<Item>(tx, std::string("SELECT ") + kItemCols + " FROM billing_items WHERE code = $1", {code}, ItemFrom);
}
Result<bool> UpdateItem(store::Tx& tx, const Item& item, std::int64_t at) {
  auto n = tx.Exec("UPDATE billing_items SET item_class = $2, b_selfpay_bp = $3, updated_at = $4 WHERE code = $1",
                   {item.code, item.item_class, item.b_selfpay_bp, at});
  if (!n) return n.error();
  return *n == 1;
}

// --- profiles ---
Result<std::optional<Profile>> FindProfile(store::Tx& tx, std::int64_t patient_id) {
  return One<Profile>(tx,
                      "SELECT patient_id, scheme, region_code, insured_no, adapter FROM insurance_profiles "
                      "WHERE patient_id = $1",
                      {patient_id}, ProfileFrom);
}
Status UpsertProfile(store::Tx& tx, const Profile& p, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO insurance_profiles (patient_id, scheme, region_code, insured_no, adapter, bound_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (patient_id) DO UPDATE SET scheme = excluded.scheme, "
      "region_code = excluded.region_code, insured_no = excluded.insured_no, adapter = excluded.adapter, "
      "bound_at = excluded.bound_at",
      {p.patient_id, p.scheme, p.region_code, p.insured_no, p.adapter, at});
  if (!n) return n.error();
  return {};
}

// --- policies ---
Result<std::vector<Policy>> LatestPolicies(store::Tx& tx) {
  return All<Policy>(tx,
                     std::string("SELECT ") + kPolicyCols +
                         " FROM insurance_policies p WHERE version = (SELECT MAX(version) FROM insurance_policies q "
                         "WHERE q.region_code = p.region_code AND q.scheme = p.scheme) ORDER BY region_code, scheme",
                     {}, PolicyFrom);
}
Result<std::vector<Policy>> PolicyHistory(store::Tx& tx, const std::string& region_code, const std::string& scheme) {
  return All<Policy>(tx,
                     std::string("SELECT ") + kPolicyCols +
                         " FROM insurance_policies WHERE region_code = $1 AND scheme = $2 ORDER BY version DESC",
                     {region_code, scheme}, PolicyFrom);
}
Result<std::optional<Policy>> CurrentPolicy(store::Tx& tx, const std::string& region_code, const std::string& scheme) {
  return One<Policy>(
      tx,
      std::string("SELECT ") + kPolicyCols +
          " FROM insurance_policies WHERE region_code = $1 AND scheme = $2 ORDER BY version DESC LIMIT 1",
      {region_code, scheme}, PolicyFrom);
}
Result<std::optional<Policy>> FindPolicy(store::Tx& tx, std::int64_t id) {
  return One<Policy>(tx, std::string("SELECT ") + kPolicyCols + " FROM insurance_policies WHERE id = $1", {id},
                     PolicyFrom);
}
Result<std::int64_t> InsertPolicy(store::Tx& tx, Policy& p) {
  auto v = tx.Query("SELECT COALESCE(MAX(version), 0) FROM insurance_policies WHERE region_code = $1 AND scheme = $2",
                    {p.region_code, p.scheme});
  if (!v) return v.error();
  p.version = v->front().Int(0) + 1;
  auto rows = tx.Query(
      "INSERT INTO insurance_policies (region_code, scheme, version, deductible_fen, annual_cap_fen, "
      "personal_account_pays, ratios, demo, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
      "RETURNING id",
      {p.region_code, p.scheme, p.version, p.deductible_fen, p.annual_cap_fen,
       std::int64_t{p.personal_account_pays ? 1 : 0}, RatiosText(p.ratios), std::int64_t{p.demo ? 1 : 0},
       store::OrNull(p.created_by), p.created_at});
  if (!rows) return rows.error();
  p.id = rows->front().Int(0);
  return p.id;
}

// --- orders ---
Result<std::int64_t> InsertOrder(store::Tx& tx, const Order& o) {
  auto rows = tx.Query(
      "INSERT INTO billing_orders (patient_id, created_by, source_kind, source_id, title, hospital_grade, total_fen, "
      "status, hold_until, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
      {o.patient_id, o.created_by, o.source_kind, o.source_id, o.title, o.hospital_grade, o.total_fen, o.status,
       o.hold_until, o.created_at});
  if (!rows) return rows.error();
  const std::int64_t id = rows->front().Int(0);
  for (const auto& l : o.lines) {
    auto n = tx.Exec(
        "INSERT INTO billing_order_lines (order_id, line_no, item_code, name, unit_fen, quantity, amount_fen) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {id, std::int64_t{l.line_no}, l.item_code, l.name, l.unit_fen, std::int64_t{l.quantity}, l.amount_fen});
    if (!n) return n.error();
  }
  return id;
}
Result<std::optional<Order>> FindOrder(store::Tx& tx, std::int64_t id) {
  return One<Order>(tx, std::string("SELECT ") + kOrderCols + kOrderFrom + "WHERE o.id = $1", {id}, OrderFrom);
}
Result<std::optional<Order>> FindOrderBySource(store::Tx& tx, const std::string& kind, std::int64_t source_id) {
  return One<Order>(tx,
                    std::string("SELECT ") + kOrderCols + kOrderFrom + "WHERE o.source_kind = $1 AND o.source_id = $2",
                    {kind, source_id}, OrderFrom);
}
Result<std::vector<Order>> OrdersOf(store::Tx& tx, const std::vector<std::int64_t>& patient_ids, int limit) {
  std::vector<Order> out;
  for (auto pid : patient_ids) {
    auto part = All<Order>(
        tx, std::string("SELECT ") + kOrderCols + kOrderFrom + "WHERE o.patient_id = $1 ORDER BY o.id DESC LIMIT $2",
        {pid, std::int64_t{limit}}, OrderFrom);
    if (!part) return part.error();
    for (auto& o : *part) out.push_back(std::move(o));
  }
  std::sort(out.begin(), out.end(), [](const Order& a, const Order& b) { return a.id > b.id; });
  if (out.size() > static_cast<std::size_t>(limit)) out.resize(limit);
  return out;
}
Result<bool> SetOrderStatus(store::Tx& tx, std::int64_t id, const std::vector<std::string>& from, const std::string& to,
                            std::int64_t at) {
  auto cur = tx.Query("SELECT status FROM billing_orders WHERE id = $1", {id});
  if (!cur) return cur.error();
  if (cur->empty()) return false;
  const std::string status = cur->front().Text(0);
  if (std::find(from.begin(), from.end(), status) == from.end()) return false;
  const bool paid = to == "paid";
  const bool closed = to == "expired" || to == "cancelled" || to == "refunded";
  auto n = tx.Exec(
      "UPDATE billing_orders SET status = $2, paid_at = CASE WHEN $3 = 1 THEN $5 ELSE paid_at END, "
      "closed_at = CASE WHEN $4 = 1 THEN $5 ELSE closed_at END WHERE id = $1 AND status = $6",
      {id, to, std::int64_t{paid ? 1 : 0}, std::int64_t{closed ? 1 : 0}, at, status});
  if (!n) return n.error();
  return *n == 1;
}
Status AddRefunded(store::Tx& tx, std::int64_t id, std::int64_t amount_fen) {
  auto n = tx.Exec("UPDATE billing_orders SET refunded_fen = refunded_fen + $2 WHERE id = $1", {id, amount_fen});
  if (!n) return n.error();
  return {};
}
Result<std::vector<std::int64_t>> HoldsEnded(store::Tx& tx, std::int64_t now, int limit) {
  return All<std::int64_t>(
      tx,
      "SELECT id FROM billing_orders WHERE status IN ('pending', 'paying') AND hold_until < $1 ORDER BY id LIMIT $2",
      {now, std::int64_t{limit}}, [](const store::Row& r) { return r.Int(0); });
}
Result<std::vector<Order>> PaidOrders(store::Tx& tx, std::int64_t after_id, int limit) {
  return All<Order>(
      tx,
      std::string("SELECT ") + kOrderCols + kOrderFrom + "WHERE o.status = 'paid' AND o.id > $1 ORDER BY o.id LIMIT $2",
      {after_id, std::int64_t{limit}}, OrderFrom);
}
Result<std::vector<Line>> LinesOf(store::Tx& tx, std::int64_t order_id) {
  return All<Line>(tx,
                   std::string("SELECT ") + kLineCols +
                       " FROM billing_order_lines l JOIN billing_items i ON i.code = l.item_code WHERE l.order_id = $1 "
                       "ORDER BY l.line_no",
                   {order_id}, LineFrom);
}

// --- settlements ---
Result<std::int64_t> InsertSettlement(store::Tx& tx, std::int64_t order_id, const Split& s,
                                      std::optional<std::int64_t> payment_id, std::int64_t at, int year) {
  auto rows = tx.Query(
      "INSERT INTO billing_settlements (order_id, policy_id, region_code, scheme, fund_fen, personal_fen, cash_fen, "
      "deductible_used_fen, lines, payment_id, settled_at, year) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12) RETURNING id",
      {order_id, store::OrNull(s.policy_id), s.region_code, s.scheme, s.fund_fen, s.personal_fen, s.cash_fen,
       s.deductible_used_fen, LinesText(s.lines), store::OrNull(payment_id), at, std::int64_t{year}});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}
Result<std::optional<Settlement>> SettlementOf(store::Tx& tx, std::int64_t order_id) {
  return One<Settlement>(tx,
                         std::string("SELECT ") + kSettlementCols +
                             " FROM billing_settlements s LEFT JOIN insurance_policies p ON p.id = s.policy_id "
                             "WHERE s.order_id = $1",
                         {order_id}, SettlementFrom);
}
Result<std::pair<std::int64_t, std::int64_t>> YearUse(store::Tx& tx, std::int64_t patient_id, int year) {
  auto rows = tx.Query(
      "SELECT COALESCE(SUM(CASE WHEN o.status = 'refunded' THEN 0 ELSE s.deductible_used_fen END), 0), "
      "COALESCE(SUM(s.fund_fen), 0), "
      "COALESCE(SUM((SELECT COALESCE(SUM(r.fund_fen), 0) FROM billing_refunds r WHERE r.order_id = s.order_id)), 0) "
      "FROM billing_settlements s JOIN billing_orders o ON o.id = s.order_id WHERE o.patient_id = $1 AND s.year = $2",
      {patient_id, std::int64_t{year}});
  if (!rows) return rows.error();
  const auto& r = rows->front();
  return std::pair<std::int64_t, std::int64_t>{r.Int(0), r.Int(1) - r.Int(2)};
}

}  // namespace ihos::domain::billing::repo
