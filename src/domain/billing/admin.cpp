// Billing, the admin side: item classes, insurance policies, refunds, reconciliation, the ledger check.
#include <algorithm>

#include "core/regions.hpp"
#include "domain/billing/service_internal.hpp"

namespace ihos::domain::billing {
using namespace internal;

Result<std::vector<Item>> BillingService::Items() {
  return db_.With<std::vector<Item>>(store::TxMode::read, [](store::Tx& tx) { return repo::Items(tx); });
}

Result<Item> BillingService::UpdateItem(const Principal& admin, const Item& item) {
  if (!admin.Has("admin")) return Forbidden();
  std::vector<FieldError> errs;
  if (std::find(ItemClasses().begin(), ItemClasses().end(), item.item_class) == ItemClasses().end())
    errs.push_back({"item_class", "not_allowed"});
  if (item.b_selfpay_bp < 0 || item.b_selfpay_bp > 10000) errs.push_back({"b_selfpay_bp", "out_of_range"});
  if (item.item_class != "B" && item.b_selfpay_bp != 0) errs.push_back({"b_selfpay_bp", "only_class_b"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return db_.With<Item>(store::TxMode::write, [&](store::Tx& tx) -> Result<Item> {
    auto ok = repo::UpdateItem(tx, item, clock_.NowMs());
    if (!ok) return ok.error();
    if (!*ok) return MakeError(Errc::not_found, "not_found");
    auto again = repo::FindItem(tx, item.code);
    if (!again) return again.error();
    return **again;
  });
}

Result<std::vector<Policy>> BillingService::Policies(const std::string& region_code, const std::string& scheme) {
  auto list = db_.With<std::vector<Policy>>(store::TxMode::read, [&](store::Tx& tx) {
    return region_code.empty() ? repo::LatestPolicies(tx) : repo::PolicyHistory(tx, region_code, scheme);
  });
  if (!list) return list.error();
  for (auto& p : *list) p.region_name = RegionPath(p.region_code);
  return list;
}

Result<Policy> BillingService::AddPolicy(const Principal& admin, Policy p) {
  if (!admin.Has("admin")) return Forbidden();
  auto errs = ValidatePolicy(p);
  if (!FindRegion(p.region_code)) errs.push_back({"region_code", "unknown_region"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  p.created_by = admin.user_id;
  p.created_at = clock_.NowMs();
  p.demo = false;
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto l = tx.LockChain("billing_policy:" + p.region_code + ":" + p.scheme); !l) return l;
    auto id = repo::InsertPolicy(tx, p);
    if (!id) return id.error();
    return {};
  });
  if (!st) return st.error();
  p.region_name = RegionPath(p.region_code);
  return p;
}

Result<Order> BillingService::AdminRefund(const Principal& admin, std::int64_t id, std::int64_t amount_fen,
                                          const std::string& reason, const Idem& idem) {
  if (!admin.Has("admin")) return Forbidden();
  if (reason.empty()) return ValidationFailed({{"reason", "required"}});
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto l = tx.LockChain(OrderLock(id)); !l) return l;
    const std::string op = "refund:" + std::to_string(id);
    auto earlier = CheckIdem(tx, admin.user_id, idem, op);
    if (!earlier) return earlier.error();
    if (*earlier) return {};
    auto o = Load(tx, id);
    if (!o) return o.error();
    if (o->status != "paid") return Conflict("order_not_refundable");
    const std::int64_t now = clock_.NowMs();
    const bool full = amount_fen == o->total_fen - o->refunded_fen;
    auto r = RefundIn(tx, *o, amount_fen, full ? "admin_full" : "admin_partial", admin.user_id, now);
    if (!r) return r.error();
    return SaveIdem(tx, admin.user_id, idem, op, *r, now);
  });
  if (!st) return st.error();
  auto out = GetOrder(admin, id);
  if (out) SourceChanged(out->source_kind, out->source_id);
  return out;
}

Result<Reconciliation> BillingService::Reconcile(const Principal& admin, const std::string& region_code,
                                                 const std::string& date) {
  if (!admin.Has("admin")) return Forbidden();
  std::vector<FieldError> errs;
  if (!FindRegion(region_code)) errs.push_back({"region_code", "unknown_region"});
  auto from = CstMidnightMs(date);
  if (!from) errs.push_back({"date", "invalid_date"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  const std::int64_t to = *from + kDayMs;
  return db_.With<Reconciliation>(store::TxMode::read, [&](store::Tx& tx) -> Result<Reconciliation> {
    Reconciliation rec;
    rec.region_code = region_code;
    rec.date = date;
    auto s = repo::SettlementsIn(tx, region_code, *from, to);
    if (!s) return s.error();
    rec.settlements = std::move(*s);
    auto r = repo::RefundsIn(tx, region_code, *from, to);
    if (!r) return r.error();
    rec.refunds = std::move(*r);
    std::map<std::int64_t, std::int64_t> expected;  // order -> fund movement the statement implies
    for (const auto& x : rec.settlements) {
      rec.settled_fund_fen += x.fund_fen;
      expected[x.order_id] -= x.fund_fen;
    }
    for (const auto& x : rec.refunds) {
      rec.refunded_fund_fen += x.fund_fen;
      expected[x.order_id] += x.fund_fen;
    }
    auto m = repo::AccountMovement(tx, Fund(region_code), *from, to);
    if (!m) return m.error();
    rec.ledger_fund_fen = *m;
    auto by = repo::LedgerFundByOrder(tx, region_code, *from, to);
    if (!by) return by.error();
    std::map<std::int64_t, std::int64_t> ledger(by->begin(), by->end());
    for (const auto& [order, amount] : expected) {
      auto it = ledger.find(order);
      const std::int64_t got = it == ledger.end() ? 0 : it->second;
      if (got != amount)
        rec.mismatches.push_back({order, "ledger " + std::to_string(got) + " != statement " + std::to_string(amount)});
    }
    for (const auto& [order, amount] : ledger)
      if (!expected.count(order) && amount != 0)
        rec.mismatches.push_back({order, "in the ledger, not in the statement"});
    rec.balanced = rec.mismatches.empty() && rec.ledger_fund_fen == rec.refunded_fund_fen - rec.settled_fund_fen;
    return rec;
  });
}

Result<LedgerCheck> BillingService::CheckLedger(const Principal& admin) {
  if (!admin.Has("admin")) return Forbidden();
  return db_.With<LedgerCheck>(store::TxMode::read, [](store::Tx& tx) { return repo::CheckLedger(tx); });
}

Status BillingService::SeedDemo(std::int64_t patient_id, const std::string& region_code) {
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto cur = repo::CurrentPolicy(tx, region_code, "employee");
    if (!cur) return cur.error();
    if (*cur) return {};
    for (const std::string scheme : {"employee", "resident"}) {
      Policy p;
      p.region_code = region_code;
      p.scheme = scheme;
      // Demo figures (labelled demo): a 200-yuan outpatient deductible, 70% / 50% of 甲 / 乙 at any
      // grade, a 4,000-yuan outpatient cap, the personal account may pay for employees.
      p.deductible_fen = scheme == "employee" ? 0 : 20000;
      p.annual_cap_fen = 400000;
      p.personal_account_pays = scheme == "employee";
      p.ratios = {{"*", "A", scheme == "employee" ? 7000 : 5000}, {"*", "B", scheme == "employee" ? 6000 : 4000}};
      p.demo = true;
      p.created_at = clock_.NowMs();
      auto id = repo::InsertPolicy(tx, p);
      if (!id) return id.error();
    }
    return {};
  });
  if (!st) return st;
  Principal self;
  self.user_id = patient_id;
  auto bound = BindProfile(self, patient_id, "employee", region_code);
  if (!bound) return bound.error();
  return {};
}

}  // namespace ihos::domain::billing
