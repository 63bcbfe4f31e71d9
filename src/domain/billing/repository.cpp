#include "domain/billing/repository.hpp"

#include <boost/json.hpp>

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

constexpr char kPaymentCols[] =
    "id, order_id, provider, out_trade_no, provider_txn, amount_fen, use_insurance, use_personal, status, created_at, "
    "succeeded_at";
Payment PaymentFrom(const store::Row& r) {
  Payment p;
  p.id = r.Int(0);
  p.order_id = r.Int(1);
  p.provider = r.Text(2);
  p.out_trade_no = r.Text(3);
  p.provider_txn = r.OptText(4);
  p.amount_fen = r.Int(5);
  p.use_insurance = r.Int(6) != 0;
  p.use_personal = r.Int(7) != 0;
  p.status = r.Text(8);
  p.created_at = r.Int(9);
  p.succeeded_at = r.OptInt(10);
  return p;
}

constexpr char kRefundCols[] =
    "id, order_id, reason, amount_fen, fund_fen, personal_fen, cash_fen, status, provider_refund_no, created_at, "
    "succeeded_at, payment_id";
Refund RefundFrom(const store::Row& r) {
  Refund f;
  f.id = r.Int(0);
  f.order_id = r.Int(1);
  f.reason = r.Text(2);
  f.amount_fen = r.Int(3);
  f.fund_fen = r.Int(4);
  f.personal_fen = r.Int(5);
  f.cash_fen = r.Int(6);
  f.status = r.Text(7);
  f.provider_refund_no = r.OptText(8);
  f.created_at = r.Int(9);
  f.succeeded_at = r.OptInt(10);
  f.payment_id = r.OptInt(11);
  return f;
}

template <class T, class F>
Result<std::vector<T>> All(store::Tx& tx, std::string_view sql, const store::Params& params, F from) {
  auto rows = tx.Query(sql, params);
  if (!rows) return rows.error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(from(r));
  return out;
}
template <class T, class F>
Result<std::optional<T>> One(store::Tx& tx, std::string_view sql, const store::Params& params, F from) {
  auto rows = tx.Query(sql, params);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(from(rows->front()));
}

}  // namespace

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

// --- payments ---
Result<std::int64_t> InsertPayment(store::Tx& tx, const Payment& p) {
  auto rows = tx.Query(
      "INSERT INTO billing_payments (order_id, provider, out_trade_no, amount_fen, use_insurance, use_personal, "
      "status, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, 'created', $7) RETURNING id",
      {p.order_id, p.provider, p.out_trade_no, p.amount_fen, std::int64_t{p.use_insurance ? 1 : 0},
       std::int64_t{p.use_personal ? 1 : 0}, p.created_at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}
Result<std::optional<Payment>> FindPayment(store::Tx& tx, std::int64_t id) {
  return One<Payment>(tx, std::string("SELECT ") + kPaymentCols + " FROM billing_payments WHERE id = $1", {id},
                      PaymentFrom);
}
Result<bool> SetRefundNo(store::Tx& tx, std::int64_t refund_id, const std::string& no) {
  auto n = tx.Exec("UPDATE billing_refunds SET provider_refund_no = $2 WHERE id = $1", {refund_id, no});
  if (!n) return n.error();
  return *n == 1;
}
Result<std::optional<Payment>> FindPaymentByTrade(store::Tx& tx, const std::string& out_trade_no) {
  return One<Payment>(tx, std::string("SELECT ") + kPaymentCols + " FROM billing_payments WHERE out_trade_no = $1",
                      {out_trade_no}, PaymentFrom);
}
Result<std::optional<Payment>> LatestPayment(store::Tx& tx, std::int64_t order_id) {
  return One<Payment>(
      tx, std::string("SELECT ") + kPaymentCols + " FROM billing_payments WHERE order_id = $1 ORDER BY id DESC LIMIT 1",
      {order_id}, PaymentFrom);
}
Result<bool> MarkPaymentSucceeded(store::Tx& tx, std::int64_t id, const std::string& provider_txn, std::int64_t at) {
  auto n = tx.Exec(
      "UPDATE billing_payments SET status = 'succeeded', provider_txn = $2, succeeded_at = $3 "
      "WHERE id = $1 AND status IN ('created', 'closed')",
      {id, provider_txn, at});
  if (!n) return n.error();
  return *n == 1;
}
Status ClosePayment(store::Tx& tx, std::int64_t id) {
  auto n = tx.Exec("UPDATE billing_payments SET status = 'closed' WHERE id = $1 AND status = 'created'", {id});
  if (!n) return n.error();
  return {};
}
Result<std::vector<Payment>> StalePayments(store::Tx& tx, std::int64_t before, int limit) {
  return All<Payment>(tx,
                      std::string("SELECT ") + kPaymentCols +
                          " FROM billing_payments WHERE status = 'created' AND created_at < $1 ORDER BY id LIMIT $2",
                      {before, std::int64_t{limit}}, PaymentFrom);
}
Status InsertNotification(store::Tx& tx, const std::string& provider, const std::string& out_trade_no,
                          const std::string& provider_txn, const std::string& outcome, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO billing_notifications (provider, out_trade_no, provider_txn, outcome, received_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      {provider, out_trade_no, provider_txn, outcome, at});
  if (!n) return n.error();
  return {};
}
Result<std::int64_t> CountNotifications(store::Tx& tx, const std::string& out_trade_no, const std::string& outcome) {
  auto rows = tx.Query("SELECT COUNT(*) FROM billing_notifications WHERE out_trade_no = $1 AND outcome = $2",
                       {out_trade_no, outcome});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

// --- refunds ---
Result<std::int64_t> InsertRefund(store::Tx& tx, const Refund& r) {
  auto rows = tx.Query(
      "INSERT INTO billing_refunds (order_id, reason, amount_fen, fund_fen, personal_fen, cash_fen, status, "
      "provider_refund_no, created_at, succeeded_at, payment_id, requested_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "$9, $10, $11, $12) RETURNING id",
      {r.order_id, r.reason, r.amount_fen, r.fund_fen, r.personal_fen, r.cash_fen, r.status,
       store::OrNull(r.provider_refund_no), r.created_at, store::OrNull(r.succeeded_at), store::OrNull(r.payment_id),
       store::OrNull(r.requested_by)});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}
Result<std::vector<Refund>> RefundsOf(store::Tx& tx, std::int64_t order_id) {
  return All<Refund>(tx, std::string("SELECT ") + kRefundCols + " FROM billing_refunds WHERE order_id = $1 ORDER BY id",
                     {order_id}, RefundFrom);
}
Result<bool> HasSourceRefund(store::Tx& tx, std::int64_t order_id) {
  auto rows =
      tx.Query("SELECT 1 FROM billing_refunds WHERE order_id = $1 AND reason NOT IN ('admin_partial', 'late_payment')",
               {order_id});
  if (!rows) return rows.error();
  return !rows->empty();
}
Result<std::vector<Refund>> PendingRefunds(store::Tx& tx, int limit) {
  return All<Refund>(
      tx, std::string("SELECT ") + kRefundCols + " FROM billing_refunds WHERE status = 'pending' ORDER BY id LIMIT $1",
      {std::int64_t{limit}}, RefundFrom);
}
Result<bool> MarkRefundSucceeded(store::Tx& tx, std::int64_t id, std::int64_t at) {
  auto n =
      tx.Exec("UPDATE billing_refunds SET status = 'succeeded', succeeded_at = $2 WHERE id = $1 AND status = 'pending'",
              {id, at});
  if (!n) return n.error();
  return *n == 1;
}

// --- receipts ---
Status InsertReceipt(store::Tx& tx, const std::string& number, std::int64_t order_id, std::int64_t at) {
  auto n =
      tx.Exec("INSERT INTO billing_receipts (number, order_id, issued_at) VALUES ($1, $2, $3)", {number, order_id, at});
  if (!n) return n.error();
  return {};
}
Result<std::optional<std::pair<std::string, std::int64_t>>> ReceiptOf(store::Tx& tx, std::int64_t order_id) {
  return One<std::pair<std::string, std::int64_t>>(
      tx, "SELECT number, issued_at FROM billing_receipts WHERE order_id = $1", {order_id}, [](const store::Row& r) {
        return std::pair<std::string, std::int64_t>{r.Text(0), r.Int(1)};
      });
}

// --- idempotency ---
Result<std::optional<IdemRow>> FindIdem(store::Tx& tx, std::int64_t actor_id, const std::string& key) {
  return One<IdemRow>(tx,
                      "SELECT operation, request_hash, result_id FROM billing_idempotency WHERE actor_id = $1 AND "
                      "idem_key = $2",
                      {actor_id, key}, [](const store::Row& r) {
                        return IdemRow{r.Text(0), r.Text(1), r.Int(2)};
                      });
}
Status InsertIdem(store::Tx& tx, std::int64_t actor_id, const std::string& key, const IdemRow& row, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO billing_idempotency (actor_id, idem_key, operation, request_hash, result_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {actor_id, key, row.operation, row.request_hash, row.result_id, at});
  if (!n) return n.error();
  return {};
}

// --- ledger ---
Result<std::int64_t> AppendLedger(store::Tx& tx, const std::string& kind, std::optional<std::int64_t> order_id,
                                  const std::string& ref, std::int64_t at, const std::vector<LedgerEntry>& entries) {
  auto rows =
      tx.Query("INSERT INTO ledger_transactions (kind, order_id, ref, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
               {kind, store::OrNull(order_id), ref, at});
  if (!rows) return rows.error();
  const std::int64_t id = rows->front().Int(0);
  for (const auto& e : entries) {
    auto n = tx.Exec("INSERT INTO ledger_entries (txn_id, account, amount_fen) VALUES ($1, $2, $3)",
                     {id, e.account, e.amount_fen});
    if (!n) return n.error();
  }
  return id;
}
Result<std::int64_t> AccountBalance(store::Tx& tx, const std::string& account) {
  auto rows = tx.Query("SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entries WHERE account = $1", {account});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}
Result<bool> AccountUsed(store::Tx& tx, const std::string& account) {
  auto rows = tx.Query("SELECT 1 FROM ledger_entries WHERE account = $1 LIMIT 1", {account});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<LedgerCheck> CheckLedger(store::Tx& tx) {
  LedgerCheck c;
  auto n = tx.Query("SELECT COUNT(*) FROM ledger_transactions");
  if (!n) return n.error();
  c.transactions = n->front().Int(0);
  auto bad = tx.Query(
      "SELECT COUNT(*) FROM ledger_transactions t WHERE (SELECT COALESCE(SUM(e.amount_fen), 0) FROM ledger_entries e "
      "WHERE e.txn_id = t.id) <> 0 OR (SELECT COUNT(*) FROM ledger_entries e WHERE e.txn_id = t.id) < 2");
  if (!bad) return bad.error();
  c.unbalanced = bad->front().Int(0);
  auto bal = All<Balance>(tx, "SELECT account, SUM(amount_fen) FROM ledger_entries GROUP BY account ORDER BY account",
                          {}, [](const store::Row& r) {
                            return Balance{r.Text(0), r.Int(1)};
                          });
  if (!bal) return bal.error();
  c.balances = std::move(*bal);
  return c;
}
Result<std::int64_t> AccountMovement(store::Tx& tx, const std::string& account, std::int64_t from, std::int64_t to) {
  auto rows = tx.Query(
      "SELECT COALESCE(SUM(e.amount_fen), 0) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id "
      "WHERE e.account = $1 AND t.created_at >= $2 AND t.created_at < $3",
      {account, from, to});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}
Result<std::vector<Reconciliation::Row>> SettlementsIn(store::Tx& tx, const std::string& region, std::int64_t from,
                                                       std::int64_t to) {
  return All<Reconciliation::Row>(
      tx,
      "SELECT s.order_id, COALESCE(rc.number, ''), s.settled_at, s.fund_fen + s.personal_fen + s.cash_fen, s.fund_fen, "
      "s.personal_fen, s.cash_fen FROM billing_settlements s LEFT JOIN billing_receipts rc ON rc.order_id = s.order_id "
      "WHERE s.region_code = $1 AND s.settled_at >= $2 AND s.settled_at < $3 ORDER BY s.settled_at, s.order_id",
      {region, from, to}, [](const store::Row& r) {
        Reconciliation::Row x;
        x.order_id = r.Int(0);
        x.receipt_number = r.Text(1);
        x.at = r.Int(2);
        x.total_fen = r.Int(3);
        x.fund_fen = r.Int(4);
        x.personal_fen = r.Int(5);
        x.cash_fen = r.Int(6);
        return x;
      });
}
Result<std::vector<Reconciliation::Row>> RefundsIn(store::Tx& tx, const std::string& region, std::int64_t from,
                                                   std::int64_t to) {
  return All<Reconciliation::Row>(
      tx,
      "SELECT r.order_id, r.id, r.created_at, r.amount_fen, r.fund_fen, r.personal_fen, r.cash_fen FROM "
      "billing_refunds r "
      "JOIN billing_settlements s ON s.order_id = r.order_id WHERE s.region_code = $1 AND r.created_at >= $2 AND "
      "r.created_at < $3 ORDER BY r.created_at, r.id",
      {region, from, to}, [](const store::Row& r) {
        Reconciliation::Row x;
        x.order_id = r.Int(0);
        x.refund_id = r.Int(1);
        x.at = r.Int(2);
        x.total_fen = r.Int(3);
        x.fund_fen = r.Int(4);
        x.personal_fen = r.Int(5);
        x.cash_fen = r.Int(6);
        return x;
      });
}
Result<std::vector<std::pair<std::int64_t, std::int64_t>>> LedgerFundByOrder(store::Tx& tx, const std::string& region,
                                                                             std::int64_t from, std::int64_t to) {
  return All<std::pair<std::int64_t, std::int64_t>>(
      tx,
      "SELECT t.order_id, SUM(e.amount_fen) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.txn_id "
      "WHERE e.account = $1 AND t.created_at >= $2 AND t.created_at < $3 AND t.order_id IS NOT NULL "
      "GROUP BY t.order_id ORDER BY t.order_id",
      {"fund:" + region, from, to}, [](const store::Row& r) {
        return std::pair<std::int64_t, std::int64_t>{r.Int(0), r.Int(1)};
      });
}

}  // namespace ihos::domain::billing::repo

namespace ihos::domain::billing::repo::demo {
namespace {
constexpr char kTradeCols[] =
    "out_trade_no, subject, amount_fen, payer_id, status, provider_txn, paid_at, refunded_fen, notify_due, "
    "notify_count";
Trade TradeFrom(const store::Row& r) {
  Trade t;
  t.out_trade_no = r.Text(0);
  t.subject = r.Text(1);
  t.amount_fen = r.Int(2);
  t.payer_id = r.Int(3);
  t.status = r.Text(4);
  t.provider_txn = r.OptText(5);
  t.paid_at = r.OptInt(6);
  t.refunded_fen = r.Int(7);
  t.notify_due = r.OptInt(8);
  t.notify_count = r.Int(9);
  return t;
}
}  // namespace

Status InsertTrade(store::Tx& tx, const Trade& t, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO demo_pay_transactions (out_trade_no, subject, amount_fen, payer_id, status, created_at) "
      "VALUES ($1, $2, $3, $4, 'waiting', $5) ON CONFLICT (out_trade_no) DO NOTHING",
      {t.out_trade_no, t.subject, t.amount_fen, t.payer_id, at});
  if (!n) return n.error();
  return {};
}
Result<std::optional<Trade>> FindTrade(store::Tx& tx, const std::string& out_trade_no) {
  auto rows = tx.Query(std::string("SELECT ") + kTradeCols + " FROM demo_pay_transactions WHERE out_trade_no = $1",
                       {out_trade_no});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Trade>();
  return std::optional<Trade>(TradeFrom(rows->front()));
}
Result<bool> MarkPaid(store::Tx& tx, const std::string& out_trade_no, const std::string& txn, std::int64_t at,
                      std::int64_t notify_due) {
  auto n = tx.Exec(
      "UPDATE demo_pay_transactions SET status = 'paid', provider_txn = $2, paid_at = $3, notify_due = $4 "
      "WHERE out_trade_no = $1 AND status = 'waiting'",
      {out_trade_no, txn, at, notify_due});
  if (!n) return n.error();
  return *n == 1;
}
Result<bool> CloseTrade(store::Tx& tx, const std::string& out_trade_no) {
  auto n = tx.Exec("UPDATE demo_pay_transactions SET status = 'closed' WHERE out_trade_no = $1 AND status = 'waiting'",
                   {out_trade_no});
  if (!n) return n.error();
  return *n == 1;
}
Status SetNotifyDue(store::Tx& tx, const std::string& out_trade_no, std::optional<std::int64_t> due, bool count) {
  auto n = tx.Exec(
      "UPDATE demo_pay_transactions SET notify_due = $2, notify_count = notify_count + $3 WHERE out_trade_no = $1",
      {out_trade_no, store::OrNull(due), std::int64_t{count ? 1 : 0}});
  if (!n) return n.error();
  return {};
}
Result<std::vector<Trade>> DueNotifications(store::Tx& tx, std::int64_t now, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kTradeCols +
                           " FROM demo_pay_transactions WHERE notify_due IS NOT NULL AND notify_due <= $1 "
                           "ORDER BY notify_due LIMIT $2",
                       {now, std::int64_t{limit}});
  if (!rows) return rows.error();
  std::vector<Trade> out;
  for (const auto& r : *rows) out.push_back(TradeFrom(r));
  return out;
}
Result<bool> InsertRefund(store::Tx& tx, const std::string& refund_no, const std::string& out_trade_no,
                          std::int64_t amount_fen, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO demo_pay_refunds (refund_no, out_trade_no, amount_fen, created_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (refund_no) DO NOTHING",
      {refund_no, out_trade_no, amount_fen, at});
  if (!n) return n.error();
  if (*n == 0) return false;
  auto u = tx.Exec("UPDATE demo_pay_transactions SET refunded_fen = refunded_fen + $2 WHERE out_trade_no = $1",
                   {out_trade_no, amount_fen});
  if (!u) return u.error();
  return true;
}

}  // namespace ihos::domain::billing::repo::demo
