#include "domain/billing/service.hpp"

#include <algorithm>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/regions.hpp"
#include "domain/billing/repository.hpp"
#include "domain/billing/rules.hpp"

namespace ihos::domain::billing {
namespace {

Error NotFound() { return MakeError(Errc::not_found, "not_found"); }
Error Conflict(std::string code) { return MakeError(Errc::conflict, std::move(code)); }

int YearOf(std::int64_t ms) { return std::stoi(CivilDateCst(ms).substr(0, 4)); }

constexpr std::int64_t kNoHold = 253402300799000;  // 9999-12-31: a bill that holds no place

std::string OrderLock(std::int64_t id) { return "billing_order:" + std::to_string(id); }
// Taken after the order's lock, never before: the patient's year-to-date use and personal balance.
std::string PatientLock(std::int64_t patient_id) { return "billing_patient:" + std::to_string(patient_id); }

// The ledger entries of a transaction, zero amounts left out and one entry per account.
std::vector<LedgerEntry> Entries(std::initializer_list<LedgerEntry> in) {
  std::vector<LedgerEntry> out;
  for (const auto& e : in) {
    if (e.amount_fen == 0) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const LedgerEntry& x) { return x.account == e.account; });
    if (it != out.end())
      it->amount_fen += e.amount_fen;
    else
      out.push_back(e);
  }
  out.erase(std::remove_if(out.begin(), out.end(), [](const LedgerEntry& e) { return e.amount_fen == 0; }), out.end());
  return out;
}

Status Post(store::Tx& tx, const std::string& kind, std::optional<std::int64_t> order_id, const std::string& ref,
            std::int64_t at, const std::vector<LedgerEntry>& entries) {
  if (entries.empty()) return {};
  if (!Balanced(entries))
    return MakeError(Errc::internal, "internal_error", "ledger transaction does not balance: " + kind);
  auto id = repo::AppendLedger(tx, kind, order_id, ref, at, entries);
  if (!id) return id.error();
  return {};
}

std::string Patient(std::int64_t id) { return "patient:" + std::to_string(id); }
std::string Personal(std::int64_t id) { return "personal:" + std::to_string(id); }
std::string Fund(const std::string& region) { return "fund:" + region; }

// Checks the key against what it was used for before. Returns the earlier result's id, or nullopt
// when the key is new (or none was given).
Result<std::optional<std::int64_t>> CheckIdem(store::Tx& tx, std::int64_t actor, const Idem& idem,
                                              const std::string& operation) {
  if (idem.key.empty()) return std::optional<std::int64_t>();
  if (!ValidIdempotencyKey(idem.key)) return ValidationFailed({{"Idempotency-Key", "invalid"}});
  auto row = repo::FindIdem(tx, actor, idem.key);
  if (!row) return row.error();
  if (!*row) return std::optional<std::int64_t>();
  if ((*row)->operation != operation || (*row)->request_hash != idem.request_hash)
    return Conflict("idempotency_key_reused");
  return std::optional<std::int64_t>((*row)->result_id);
}
Status SaveIdem(store::Tx& tx, std::int64_t actor, const Idem& idem, const std::string& operation, std::int64_t result,
                std::int64_t now) {
  if (idem.key.empty()) return {};
  return repo::InsertIdem(tx, actor, idem.key, {operation, idem.request_hash, result}, now);
}

}  // namespace

BillingService::BillingService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                               PaymentProvider& provider, Config config)
    : db_(db), clock_(clock), accounts_(accounts), provider_(provider), config_(config) {}

void BillingService::RegisterSource(const std::string& kind, Source source) { sources_[kind] = std::move(source); }

const Source* BillingService::SourceOf(const std::string& kind) const {
  auto it = sources_.find(kind);
  return it == sources_.end() ? nullptr : &it->second;
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
    Profile p;
    p.patient_id = pid;
    p.scheme = scheme;
    p.region_code = region_code;
    p.adapter = "demo";
    p.insured_no = scheme == "self_pay" ? "" : "DEMO-" + region_code + "-" + std::to_string(pid);
    if (auto s = repo::UpsertProfile(tx, p, now); !s) return s;
    // The demo adapter opens a personal account (个人账户) once, with a demo balance.
    if (scheme == "employee") {
      if (auto l = tx.LockChain("billing_personal:" + std::to_string(pid)); !l) return l;
      auto opened = repo::AccountUsed(tx, Personal(pid));
      if (!opened) return opened.error();
      if (!*opened)
        return Post(tx, "personal_open", std::nullopt, "demo", now,
                    Entries({{Fund(region_code) + ":personal_pool", -50000}, {Personal(pid), 50000}}));
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

Result<Split> BillingService::SplitFor(store::Tx& tx, const Order& o, bool use_insurance, bool use_personal) {
  SplitInput in;
  in.lines = &o.lines;
  in.hospital_grade = o.hospital_grade;
  in.use_insurance = use_insurance;
  in.use_personal_account = use_personal;
  auto prof = repo::FindProfile(tx, o.patient_id);
  if (!prof) return prof.error();
  std::optional<Policy> policy;
  if (*prof) {
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

Result<Split> BillingService::PreSettle(const Principal& actor, std::int64_t id, bool use_insurance,
                                        bool use_personal) {
  return db_.With<Split>(store::TxMode::read, [&](store::Tx& tx) -> Result<Split> {
    auto o = Authorized(tx, actor, id);
    if (!o) return o.error();
    if (o->status != "pending" && o->status != "paying") return Conflict("order_not_payable");
    return SplitFor(tx, *o, use_insurance, use_personal);
  });
}

Status BillingService::Settle(store::Tx& tx, const Order& o, const Split& s, std::optional<std::int64_t> payment_id,
                              std::int64_t now) {
  auto sid = repo::InsertSettlement(tx, o.id, s, payment_id, now, YearOf(now));
  if (!sid) return sid.error();
  const std::string clearing = "clearing:" + provider_.name();
  if (auto p = Post(tx, "settlement", o.id, std::to_string(*sid), now,
                    Entries({{s.fund_fen ? Fund(s.region_code) : "fund:", -s.fund_fen},
                             {Personal(o.patient_id), -s.personal_fen},
                             {clearing, -s.cash_fen},
                             {"revenue", s.total_fen}}));
      !p)
    return p;
  if (auto r = repo::InsertReceipt(tx, ReceiptNumber(YearOf(now), *sid), o.id, now); !r) return r;
  auto moved = repo::SetOrderStatus(tx, o.id, {"pending", "paying"}, "paid", now);
  if (!moved) return moved.error();
  if (!*moved) return MakeError(Errc::internal, "internal_error", "settled an order that was not payable");
  return {};
}

Result<Order> BillingService::Pay(const Principal& actor, std::int64_t id, bool use_insurance, bool use_personal,
                                  const Idem& idem) {
  std::optional<ProviderOrder> to_create;
  std::optional<std::string> to_close;
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    to_create.reset();
    to_close.reset();
    if (auto l = tx.LockChain(OrderLock(id)); !l) return l;
    auto earlier = CheckIdem(tx, actor.user_id, idem, "pay:" + std::to_string(id));
    if (!earlier) return earlier.error();
    if (*earlier) return {};
    auto o = Load(tx, id);
    if (!o) return o.error();
    // Only the patient or a guardian pays (an admin may see a bill, never spend the patient's account).
    auto can = accounts_.CanActFor(tx, actor, o->patient_id);
    if (!can) return can.error();
    if (!*can) return NotFound();
    // The year's deductible, cap and personal balance are the patient's: one payment of theirs at a time.
    if (auto l = tx.LockChain(PatientLock(o->patient_id)); !l) return l;
    const std::int64_t now = clock_.NowMs();
    auto save = [&]() { return SaveIdem(tx, actor.user_id, idem, "pay:" + std::to_string(id), id, now); };
    if (o->status == "paid") return save();
    if (o->status != "pending" && o->status != "paying") return Conflict("order_not_payable");
    if (o->holds_place && o->hold_until < now) return Conflict("order_expired");
    if (const Source* src = SourceOf(o->source_kind)) {
      auto q = src->quote(tx, o->source_id);
      if (!q) return q.error();
      if (!*q || (*q)->ended) return Conflict("order_source_ended");
    }
    auto s = SplitFor(tx, *o, use_insurance, use_personal);
    if (!s) return s.error();
    if (o->status == "paying" && o->payment && o->payment->status == "created") {
      // Paying already: the same choice answers the same payment; another closes it first.
      if (o->payment->amount_fen == s->cash_fen && o->payment->use_insurance == use_insurance &&
          o->payment->use_personal == use_personal) {
        to_create = ProviderOrder{o->payment->out_trade_no, o->title, o->payment->amount_fen, actor.user_id};
        return save();
      }
      if (auto c = repo::ClosePayment(tx, o->payment->id); !c) return c;
      to_close = o->payment->out_trade_no;
    }
    if (s->cash_fen == 0) {
      if (auto r = Settle(tx, *o, *s, std::nullopt, now); !r) return r;
      return save();
    }
    Payment p;
    p.order_id = id;
    p.provider = provider_.name();
    p.out_trade_no = "IH" + std::to_string(id) + "T" + crypto::RandomHex(6);
    p.amount_fen = s->cash_fen;
    p.use_insurance = use_insurance;
    p.use_personal = use_personal;
    p.created_at = now;
    auto pid = repo::InsertPayment(tx, p);
    if (!pid) return pid.error();
    auto moved = repo::SetOrderStatus(tx, id, {"pending", "paying"}, "paying", now);
    if (!moved) return moved.error();
    to_create = ProviderOrder{p.out_trade_no, o->title, p.amount_fen, actor.user_id};
    return save();
  });
  if (!st) return st.error();
  if (to_close) (void)provider_.Close(*to_close);
  auto out = GetOrder(actor, id);
  if (!out) return out.error();
  // A replay (same key) of a payment whose provider call never happened (a crash, the provider
  // down) makes it now: Create is idempotent by out_trade_no.
  if (!to_create && out->status == "paying" && out->payment && out->payment->status == "created")
    to_create = ProviderOrder{out->payment->out_trade_no, out->title, out->payment->amount_fen, actor.user_id};
  if (to_create) {
    if (auto url = provider_.Create(*to_create); !url) return url.error();
  }
  return out;
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

// --- notifications ---

Result<std::string> BillingService::ApplyPaid(const ProviderPaid& paid, const std::string& how) {
  std::string outcome;
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    const std::int64_t now = clock_.NowMs();
    auto p = repo::FindPaymentByTrade(tx, paid.out_trade_no);
    if (!p) return p.error();
    auto record = [&](const std::string& what) {
      outcome = what;
      return repo::InsertNotification(tx, provider_.name(), paid.out_trade_no, paid.provider_txn, what, now);
    };
    if (!*p) return record("unknown");
    if (auto l = tx.LockChain(OrderLock((*p)->order_id)); !l) return l;
    auto again = repo::FindPayment(tx, (*p)->id);  // under the lock
    if (!again) return again.error();
    const Payment pay = **again;
    if (pay.status == "succeeded") return record("duplicate");
    if (paid.amount_fen != pay.amount_fen) {
      if (auto r = record("amount_mismatch"); !r) return r;
      return {};
    }
    auto ok = repo::MarkPaymentSucceeded(tx, pay.id, paid.provider_txn, now);
    if (!ok) return ok.error();
    if (!*ok) return record("duplicate");
    auto o = Load(tx, pay.order_id);
    if (!o) return o.error();
    if (auto l = tx.LockChain(PatientLock(o->patient_id)); !l) return l;
    const std::string clearing = "clearing:" + provider_.name();
    if (auto e = Post(tx, "payment", o->id, paid.provider_txn, now,
                      Entries({{Patient(o->patient_id), -pay.amount_fen}, {clearing, pay.amount_fen}}));
        !e)
      return e;
    bool late = pay.status == "closed" || o->status != "paying";
    std::optional<Split> s;
    if (!late) {
      auto sp = SplitFor(tx, *o, pay.use_insurance, pay.use_personal);
      if (!sp) return sp.error();
      if (sp->cash_fen != pay.amount_fen) late = true;  // the balance changed meanwhile: give it back
      s = std::move(*sp);
    }
    if (late) {
      // Money for an order that expired, was paid otherwise, or no longer costs this: refunded in full.
      Refund r;
      r.order_id = o->id;
      r.reason = "late_payment";
      r.amount_fen = r.cash_fen = pay.amount_fen;
      r.status = "pending";
      r.payment_id = pay.id;
      r.created_at = now;
      auto rid = repo::InsertRefund(tx, r);
      if (!rid) return rid.error();
      if (auto n = repo::SetRefundNo(tx, *rid, "R" + std::to_string(*rid)); !n) return n.error();
      if (o->status == "paying") {
        auto back = repo::SetOrderStatus(tx, o->id, {"paying"}, "pending", now);
        if (!back) return back.error();
      }
      return record(how == "queried" ? "queried_late_refunded" : "late_refunded");
    }
    if (auto r = Settle(tx, *o, *s, pay.id, now); !r) return r;
    return record(how);
  });
  if (!st) return st.error();
  return outcome;
}

Status BillingService::HandleNotification(const std::string& body, const std::string& signature) {
  auto paid = provider_.VerifyNotification(body, signature);
  if (!paid) {
    // Anyone may call the endpoint: a refused notification is logged, never stored.
    log::Warn("billing: notification refused", {{"provider", provider_.name()}, {"code", paid.error().code}});
    return paid.error();
  }
  auto out = ApplyPaid(*paid, "applied");
  if (!out) return out.error();
  if (*out == "amount_mismatch") return Conflict("amount_mismatch");
  return {};
}

// --- refunds ---

Result<std::int64_t> BillingService::RefundIn(store::Tx& tx, const Order& o, std::int64_t amount,
                                              const std::string& reason, std::optional<std::int64_t> by,
                                              std::int64_t now) {
  if (!o.settlement) return Conflict("order_not_refundable");
  if (auto l = tx.LockChain(PatientLock(o.patient_id)); !l) return l.error();
  const Split& s = o.settlement->split;
  Parts refunded;
  for (const auto& r : o.refunds) {
    if (r.reason == "late_payment") continue;
    refunded.fund_fen += r.fund_fen;
    refunded.personal_fen += r.personal_fen;
    refunded.cash_fen += r.cash_fen;
  }
  const Parts settled{s.fund_fen, s.personal_fen, s.cash_fen};
  if (amount <= 0 || amount > settled.total() - refunded.total()) return Conflict("refund_exceeds_payment");
  const Parts parts = RefundParts(settled, refunded, amount);
  Refund r;
  r.order_id = o.id;
  r.reason = reason;
  r.amount_fen = amount;
  r.fund_fen = parts.fund_fen;
  r.personal_fen = parts.personal_fen;
  r.cash_fen = parts.cash_fen;
  r.status = parts.cash_fen > 0 ? "pending" : "succeeded";
  if (parts.cash_fen == 0) r.succeeded_at = now;
  r.payment_id = o.settlement->payment_id;
  r.requested_by = by;
  r.created_at = now;
  auto rid = repo::InsertRefund(tx, r);
  if (!rid) return rid.error();
  if (auto n = repo::SetRefundNo(tx, *rid, "R" + std::to_string(*rid)); !n) return n.error();
  const std::string clearing = "clearing:" + provider_.name();
  if (auto e = Post(tx, "refund", o.id, std::to_string(*rid), now,
                    Entries({{"refunds", -amount},
                             {s.region_code.empty() ? "fund:" : Fund(s.region_code), parts.fund_fen},
                             {Personal(o.patient_id), parts.personal_fen},
                             {clearing, parts.cash_fen}}));
      !e)
    return e.error();
  if (auto a = repo::AddRefunded(tx, o.id, amount); !a) return a.error();
  if (o.refunded_fen + amount == o.total_fen) {
    auto m = repo::SetOrderStatus(tx, o.id, {"paid"}, "refunded", now);
    if (!m) return m.error();
  }
  return *rid;
}

Status BillingService::CompleteCashRefunds() {
  auto pending =
      db_.With<std::vector<Refund>>(store::TxMode::read, [&](store::Tx& tx) { return repo::PendingRefunds(tx, 100); });
  if (!pending) return pending.error();
  for (const auto& r : *pending) {
    if (!r.payment_id) continue;
    auto pay = db_.With<std::optional<Payment>>(store::TxMode::read,
                                                [&](store::Tx& tx) { return repo::FindPayment(tx, *r.payment_id); });
    if (!pay || !*pay) continue;
    if (auto st = provider_.Refund((*pay)->out_trade_no, r.provider_refund_no.value_or(""), r.cash_fen); !st) {
      log::Warn("billing: provider refund failed", {{"refund", std::to_string(r.id)}, {"code", st.error().code}});
      continue;
    }
    auto done = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      if (auto l = tx.LockChain(OrderLock(r.order_id)); !l) return l;
      const std::int64_t now = clock_.NowMs();
      auto ok = repo::MarkRefundSucceeded(tx, r.id, now);
      if (!ok) return ok.error();
      if (!*ok) return {};
      auto o = repo::FindOrder(tx, r.order_id);
      if (!o) return o.error();
      const std::int64_t patient = *o ? (*o)->patient_id : 0;
      return Post(tx, r.reason == "late_payment" ? "late_payment_refund" : "refund_cash", r.order_id,
                  std::to_string(r.id), now,
                  Entries({{"clearing:" + provider_.name(), -r.cash_fen}, {Patient(patient), r.cash_fen}}));
    });
    if (!done) log::Warn("billing: refund completion failed", {{"refund", std::to_string(r.id)}});
  }
  return {};
}

Result<bool> BillingService::IsPaid(store::Tx& tx, const std::string& kind, std::int64_t source_id) {
  auto o = repo::FindOrderBySource(tx, kind, source_id);
  if (!o) return o.error();
  return *o && (*o)->status == "paid";
}

// --- the sweeper ---

Result<int> BillingService::Sweep() {
  std::lock_guard lock(sweep_mu_);
  int changed = 0;
  const std::int64_t now = clock_.NowMs();
  // 1. Holds that ended unpaid: expire the order and release the place.
  auto ended = db_.With<std::vector<std::int64_t>>(store::TxMode::read,
                                                   [&](store::Tx& tx) { return repo::HoldsEnded(tx, now, 100); });
  if (!ended) return ended.error();
  for (auto id : *ended) {
    // A payment the provider took just before the hold ended is applied, not expired and refunded.
    auto last = db_.With<std::optional<Payment>>(store::TxMode::read,
                                                 [&](store::Tx& tx) { return repo::LatestPayment(tx, id); });
    if (last && *last && (*last)->status == "created") {
      auto q = provider_.Query((*last)->out_trade_no);
      if (q && *q) {
        (void)ApplyPaid(**q, "queried");
        continue;
      }
    }
    std::optional<std::string> close;
    auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      close.reset();
      if (auto l = tx.LockChain(OrderLock(id)); !l) return l;
      auto o = Load(tx, id);
      if (!o) return o.error();
      if ((o->status != "pending" && o->status != "paying") || o->hold_until >= now || !o->holds_place) return {};
      auto m = repo::SetOrderStatus(tx, id, {"pending", "paying"}, "expired", now);
      if (!m) return m.error();
      if (o->payment && o->payment->status == "created") {
        if (auto c = repo::ClosePayment(tx, o->payment->id); !c) return c;
        close = o->payment->out_trade_no;
      }
      ++changed;
      if (const Source* src = SourceOf(o->source_kind); src && src->release) return src->release(tx, o->source_id, now);
      return {};
    });
    if (!st) log::Warn("billing: expiring a hold failed", {{"order", std::to_string(id)}, {"code", st.error().code}});
    if (close) (void)provider_.Close(*close);
  }
  // 2. Payments not heard of: ask the provider.
  auto stale = db_.With<std::vector<Payment>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::StalePayments(tx, now - config_.query_after_ms, 50); });
  if (stale) {
    for (const auto& p : *stale) {
      auto q = provider_.Query(p.out_trade_no);
      if (q && *q) {
        auto r = ApplyPaid(**q, "queried");
        if (r && *r != "duplicate") ++changed;
      }
    }
  }
  // 3. Paid orders whose service ended (cancelled, not taken, doctor suspended): refund once.
  auto paid = db_.With<std::vector<Order>>(store::TxMode::read,
                                           [&](store::Tx& tx) { return repo::PaidOrders(tx, paid_cursor_, 500); });
  if (paid) {
    paid_cursor_ = paid->empty() ? 0 : paid->back().id;
    for (const auto& summary : *paid) {
      const Source* src = SourceOf(summary.source_kind);
      if (!src) continue;
      auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
        if (auto l = tx.LockChain(OrderLock(summary.id)); !l) return l;
        auto q = src->quote(tx, summary.source_id);
        if (!q) return q.error();
        if (*q && !(*q)->ended) return {};
        auto o = Load(tx, summary.id);
        if (!o) return o.error();
        if (o->status != "paid") return {};
        auto has = repo::HasSourceRefund(tx, o->id);
        if (!has) return has.error();
        if (*has) return {};
        const std::int64_t left = o->total_fen - o->refunded_fen;
        if (left <= 0) return {};
        auto r = RefundIn(tx, *o, left, *q ? (*q)->end_reason : "source_ended", std::nullopt, clock_.NowMs());
        if (!r) return r.error();
        ++changed;
        return {};
      });
      if (!st)
        log::Warn("billing: source refund failed", {{"order", std::to_string(summary.id)}, {"code", st.error().code}});
    }
  }
  // 4. Cash parts of refunds at the provider.
  (void)CompleteCashRefunds();
  return changed;
}

}  // namespace ihos::domain::billing
