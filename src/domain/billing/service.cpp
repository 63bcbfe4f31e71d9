// BillingService: profiles, orders, pre-settlement, receipts (payments.cpp: paying and the
// provider's notifications; refunds.cpp: refunds and the sweeper; admin.cpp: the admin side).
#include "domain/billing/service.hpp"

#include "core/crypto.hpp"
#include "core/regions.hpp"
#include "domain/billing/service_internal.hpp"

namespace ihos::domain::billing {
using namespace internal;

BillingService::BillingService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                               PaymentProvider& provider, Config config)
    : db_(db),
      clock_(clock),
      accounts_(accounts),
      provider_(provider),
      config_(config),
      own_insurance_(std::make_unique<DemoInsurance>()),
      insurance_(own_insurance_.get()) {}

void BillingService::SetInsuranceAdapter(InsuranceAdapter& adapter) { insurance_.store(&adapter); }

void BillingService::RegisterSource(const std::string& kind, Source source) { sources_[kind] = std::move(source); }

std::vector<std::string> BillingService::SourceKinds() const {
  std::vector<std::string> out;
  for (const auto& [kind, source] : sources_) out.push_back(kind);
  return out;
}

const Source* BillingService::SourceOf(const std::string& kind) const {
  auto it = sources_.find(kind);
  return it == sources_.end() ? nullptr : &it->second;
}

void BillingService::SourceChanged(const std::string& kind, std::int64_t source_id) const {
  if (const Source* src = SourceOf(kind); src && src->changed) src->changed(source_id);
}

// --- profile ---

Result<Profile> BillingService::GetProfile(const Principal& actor, std::optional<std::int64_t> patient_id) {
  const std::int64_t pid = patient_id.value_or(actor.user_id);
  return db_.With<Profile>(store::TxMode::read, [&](store::Tx& tx) -> Result<Profile> {
    auto can = accounts_.CanActFor(tx, actor, pid);
    if (!can) return can.error();
    if (!*can) return NotFound();
    auto p = repo::FindProfile(tx, pid);
    if (!p) return p.error();
    Profile out = p->value_or(Profile{});
    out.patient_id = pid;
    if (out.bound) out.region_name = RegionPath(out.region_code);
    auto bal = repo::AccountBalance(tx, Personal(pid));
    if (!bal) return bal.error();
    out.personal_balance_fen = *bal;
    return out;
  });
}

Result<Profile> BillingService::BindProfile(const Principal& actor, std::optional<std::int64_t> patient_id,
                                            const std::string& scheme, const std::string& region_code) {
  const std::int64_t pid = patient_id.value_or(actor.user_id);
  std::vector<FieldError> errs;
  if (std::find(Schemes().begin(), Schemes().end(), scheme) == Schemes().end())
    errs.push_back({"scheme", "not_allowed"});
  const Region* region = FindRegion(region_code);
  if (!region) errs.push_back({"region_code", "unknown_region"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto can = accounts_.CanActFor(tx, actor, pid);
    if (!can) return can.error();
    if (!*can) return NotFound();
    const std::int64_t now = clock_.NowMs();
    auto bound = insurance().Bind(pid, scheme, region_code);
    if (!bound) return bound.error();
    Profile p;
    p.patient_id = pid;
    p.scheme = scheme;
    p.region_code = region_code;
    p.adapter = insurance().name();
    p.insured_no = bound->insured_no;
    if (auto s = repo::UpsertProfile(tx, p, now); !s) return s;
    // The adapter's personal account (个人账户; the demo's: a demo balance) is opened once.
    if (bound->opening_personal_fen > 0) {
      if (auto l = tx.LockChain("billing_personal:" + std::to_string(pid)); !l) return l;
      auto opened = repo::AccountUsed(tx, Personal(pid));
      if (!opened) return opened.error();
      const std::int64_t x = bound->opening_personal_fen;
      if (!*opened)
        return Post(tx, "personal_open", std::nullopt, insurance().name(), now,
                    Entries({{Fund(region_code) + ":personal_pool", -x}, {Personal(pid), x}}));
    }
    return {};
  });
  if (!st) return st.error();
  return GetProfile(actor, pid);
}

// --- orders ---

Result<Order> BillingService::Load(store::Tx& tx, std::int64_t id) {
  auto o = repo::FindOrder(tx, id);
  if (!o) return o.error();
  if (!*o) return NotFound();
  Order order = std::move(**o);
  auto lines = repo::LinesOf(tx, id);
  if (!lines) return lines.error();
  order.lines = std::move(*lines);
  auto s = repo::SettlementOf(tx, id);
  if (!s) return s.error();
  order.settlement = std::move(*s);
  auto p = repo::LatestPayment(tx, id);
  if (!p) return p.error();
  order.payment = std::move(*p);
  auto r = repo::RefundsOf(tx, id);
  if (!r) return r.error();
  order.refunds = std::move(*r);
  auto rc = repo::ReceiptOf(tx, id);
  if (!rc) return rc.error();
  if (*rc) order.receipt_number = (*rc)->first;
  const Source* src = SourceOf(order.source_kind);
  order.holds_place = src && src->release;
  return order;
}

Result<Order> BillingService::Authorized(store::Tx& tx, const Principal& actor, std::int64_t id) {
  auto o = Load(tx, id);
  if (!o) return o.error();
  auto can = accounts_.CanActFor(tx, actor, o->patient_id);
  if (!can) return can.error();
  if (!*can && !actor.Has("admin")) return NotFound();
  return o;
}

Result<std::pair<Order, bool>> BillingService::CreateOrder(const Principal& actor, const std::string& kind,
                                                           std::int64_t source_id, const Idem& idem) {
  const Source* src = SourceOf(kind);
  if (!src) return ValidationFailed({{"source_kind", "not_allowed"}});
  bool created = false;
  auto id = db_.With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
    if (auto l = tx.LockChain("billing_source:" + kind + ":" + std::to_string(source_id)); !l) return l.error();
    auto earlier = CheckIdem(tx, actor.user_id, idem, "create_order");
    if (!earlier) return earlier.error();
    if (*earlier) return **earlier;
    auto q = src->quote(tx, source_id);
    if (!q) return q.error();
    if (!*q) return NotFound();
    auto can = accounts_.CanActFor(tx, actor, (*q)->patient_id);
    if (!can) return can.error();
    if (!*can) return NotFound();
    auto existing = repo::FindOrderBySource(tx, kind, source_id);
    if (!existing) return existing.error();
    const std::int64_t now = clock_.NowMs();
    std::int64_t result = 0;
    if (*existing) {
      result = (*existing)->id;
    } else {
      if ((*q)->free) return Conflict("order_free");
      if ((*q)->ended) return Conflict("order_source_ended");
      if ((*q)->unpriced) return Conflict("price_not_set");
      Order o;
      o.patient_id = (*q)->patient_id;
      o.created_by = actor.user_id;
      o.source_kind = kind;
      o.source_id = source_id;
      o.title = (*q)->title;
      o.hospital_grade = (*q)->hospital_grade;
      o.status = "pending";
      o.created_at = now;
      // Only a source with a place to release (a booked visit) holds it; other bills wait.
      o.hold_until = src->release ? now + config_.hold_ms : kNoHold;
      int no = 0;
      for (auto l : (*q)->lines) {
        auto item = repo::FindItem(tx, l.item_code);
        if (!item) return item.error();
        if (!*item) return MakeError(Errc::internal, "internal_error", "unknown billing item " + l.item_code);
        l.line_no = ++no;
        l.item_class = (*item)->item_class;
        l.amount_fen = l.unit_fen * l.quantity;
        o.total_fen += l.amount_fen;
        o.lines.push_back(l);
      }
      if (o.total_fen <= 0) return Conflict("order_free");
      auto nid = repo::InsertOrder(tx, o);
      if (!nid) return nid.error();
      result = *nid;
      created = true;
    }
    if (auto s = SaveIdem(tx, actor.user_id, idem, "create_order", result, now); !s) return s.error();
    return result;
  });
  if (!id) return id.error();
  auto o = GetOrder(actor, *id);
  if (!o) return o.error();
  return std::pair<Order, bool>{std::move(*o), created};
}

Result<std::vector<Order>> BillingService::Orders(const Principal& actor, const std::string& kind,
                                                  std::optional<std::int64_t> source_id) {
  return db_.With<std::vector<Order>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Order>> {
    std::vector<std::int64_t> ids{actor.user_id};
    auto wards = accounts_.Wards(tx, actor.user_id);
    if (!wards) return wards.error();
    for (const auto& w : *wards) ids.push_back(w.user.id);
    auto list = repo::OrdersOf(tx, ids, 200);
    if (!list) return list.error();
    std::vector<Order> out;
    for (const auto& o : *list) {
      if (!kind.empty() && o.source_kind != kind) continue;
      if (source_id && o.source_id != *source_id) continue;
      auto full = Load(tx, o.id);
      if (!full) return full.error();
      out.push_back(std::move(*full));
    }
    return out;
  });
}

Result<Order> BillingService::GetOrder(const Principal& actor, std::int64_t id) {
  return db_.With<Order>(store::TxMode::read, [&](store::Tx& tx) { return Authorized(tx, actor, id); });
}

Result<Split> BillingService::SplitFor(store::Tx& tx, const Order& o, bool use_insurance, bool use_personal,
                                       std::string* insured_no) {
  SplitInput in;
  in.lines = &o.lines;
  in.hospital_grade = o.hospital_grade;
  in.use_insurance = use_insurance;
  in.use_personal_account = use_personal;
  auto prof = repo::FindProfile(tx, o.patient_id);
  if (!prof) return prof.error();
  std::optional<Policy> policy;
  if (*prof) {
    if (insured_no) *insured_no = (*prof)->insured_no;
    in.scheme = (*prof)->scheme;
    in.region_code = (*prof)->region_code;
    if (in.scheme != "self_pay") {
      auto p = repo::CurrentPolicy(tx, in.region_code, in.scheme);
      if (!p) return p.error();
      policy = std::move(*p);
    }
  }
  in.policy = policy ? &*policy : nullptr;
  auto ytd = repo::YearUse(tx, o.patient_id, YearOf(clock_.NowMs()));
  if (!ytd) return ytd.error();
  in.ytd = {ytd->first, ytd->second};
  auto bal = repo::AccountBalance(tx, Personal(o.patient_id));
  if (!bal) return bal.error();
  in.personal_balance_fen = *bal;
  return ComputeSplit(in);
}

Result<InsuranceClaim> BillingService::ClaimFor(store::Tx& tx, const Order& o, const Split& s) {
  InsuranceClaim c{o.id, o.patient_id, "", s.scheme, s.region_code, o.hospital_grade};
  auto prof = repo::FindProfile(tx, o.patient_id);
  if (!prof) return prof.error();
  if (*prof) c.insured_no = (*prof)->insured_no;
  return c;
}

Result<Split> BillingService::AgreedSplit(store::Tx& tx, const Order& o, bool use_insurance, bool use_personal) {
  std::string insured_no;
  auto s = SplitFor(tx, o, use_insurance, use_personal, &insured_no);
  if (!s || !s->policy_id) return s;  // nothing insured: nothing to ask the platform
  const InsuranceClaim claim{o.id, o.patient_id, insured_no, s->scheme, s->region_code, o.hospital_grade};
  return insurance().PreSettle(claim, *s);
}

Result<Split> BillingService::PreSettle(const Principal& actor, std::int64_t id, bool use_insurance,
                                        bool use_personal) {
  return db_.With<Split>(store::TxMode::read, [&](store::Tx& tx) -> Result<Split> {
    auto o = Authorized(tx, actor, id);
    if (!o) return o.error();
    if (o->status != "pending" && o->status != "paying") return Conflict("order_not_payable");
    return AgreedSplit(tx, *o, use_insurance, use_personal);
  });
}

Result<Receipt> BillingService::GetReceipt(const Principal& actor, std::int64_t id) {
  return db_.With<Receipt>(store::TxMode::read, [&](store::Tx& tx) -> Result<Receipt> {
    auto o = Authorized(tx, actor, id);
    if (!o) return o.error();
    auto rc = repo::ReceiptOf(tx, id);
    if (!rc) return rc.error();
    if (!*rc) return NotFound();
    Receipt r;
    r.number = (*rc)->first;
    r.issued_at = (*rc)->second;
    auto payer = accounts_.FindUser(tx, o->created_by);
    if (!payer) return payer.error();
    r.payer_name = *payer ? (**payer).real_name : "";
    r.order = std::move(*o);
    return r;
  });
}

}  // namespace ihos::domain::billing
