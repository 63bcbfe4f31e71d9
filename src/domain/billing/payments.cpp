// BillingService: settling, paying (in full from insurance and the personal account, or the cash
// part through the provider) and the provider's notifications.
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "domain/billing/service_internal.hpp"

namespace ihos::domain::billing {
using namespace internal;

Status BillingService::Settle(store::Tx& tx, const Order& o, const Split& s, std::optional<std::int64_t> payment_id,
                              std::int64_t now) {
  if (s.fund_fen + s.personal_fen > 0) {
    auto claim = ClaimFor(tx, o, s);
    if (!claim) return claim.error();
    if (auto ref = insurance().Settle(*claim, s); !ref) return ref.error();
  }
  auto sid = repo::InsertSettlement(tx, o.id, s, payment_id, now, YearOf(now));
  if (!sid) return sid.error();
  const std::string clearing = "clearing:" + provider_.name();
  if (auto p = Post(tx, "settlement", o.id, std::to_string(*sid), now,
                    Entries({{Fund(s.region_code), -s.fund_fen},
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
  std::optional<Order> out;
  // The payment's writes; the order is read back once at the end of the same transaction.
  auto pay = [&](store::Tx& tx) -> Status {
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
    auto s = AgreedSplit(tx, *o, use_insurance, use_personal);
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
  };
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    to_create.reset();
    to_close.reset();
    if (auto p = pay(tx); !p) return p;
    auto o = Authorized(tx, actor, id);
    if (!o) return o.error();
    out = std::move(*o);
    return {};
  });
  if (!st) return st.error();
  if (out->status == "paid") SourceChanged(out->source_kind, out->source_id);
  if (to_close) (void)provider_.Close(*to_close);
  // A replay (same key) of a payment whose provider call never happened (a crash, the provider
  // down) makes it now: Create is idempotent by out_trade_no.
  if (!to_create && out->status == "paying" && out->payment && out->payment->status == "created")
    to_create = ProviderOrder{out->payment->out_trade_no, out->title, out->payment->amount_fen, actor.user_id};
  if (to_create) {
    if (auto url = provider_.Create(*to_create); !url) return url.error();
  }
  return std::move(*out);
}

// --- notifications ---

Result<std::string> BillingService::ApplyPaid(const ProviderPaid& paid, const std::string& how) {
  std::string outcome;
  std::optional<std::pair<std::string, std::int64_t>> source;  // the bill's thing, once settled
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    source.reset();
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
    // Only the order's current (newest) payment may settle it or send it back to pending. A
    // payment the patient replaced (another method chosen) that the provider reports paid after
    // all is given back, and the order keeps waiting for the payment it now expects: reopening
    // it would have the current payment's own notification refunded as late.
    const bool current = o->payment && o->payment->id == pay.id;
    bool late = pay.status == "closed" || !current || o->status != "paying";
    std::optional<Split> s;
    if (!late) {
      auto sp = AgreedSplit(tx, *o, pay.use_insurance, pay.use_personal);
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
      if (o->status == "paying" && current) {
        auto back = repo::SetOrderStatus(tx, o->id, {"paying"}, "pending", now);
        if (!back) return back.error();
      }
      return record(how == "queried" ? "queried_late_refunded" : "late_refunded");
    }
    if (auto r = Settle(tx, *o, *s, pay.id, now); !r) return r;
    source = {o->source_kind, o->source_id};
    return record(how);
  });
  if (!st) return st.error();
  if (source) SourceChanged(source->first, source->second);
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

}  // namespace ihos::domain::billing
