// BillingService: refunds (back where the money came from, the cash part through the provider)
// and the sweeper (holds that ended, payments not heard of, services that ended, cash refunds).
#include "core/log.hpp"
#include "domain/billing/service_internal.hpp"

namespace ihos::domain::billing {
using namespace internal;

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
  // The insured parts are reversed at the platform exactly (fund and personal account), under a
  // reference that a rolled-back and retried transaction asks again: the order and the refund's
  // place among the order's refunds (read under the order's lock), never the refund's row id,
  // which a retry does not get again.
  if (parts.fund_fen + parts.personal_fen > 0) {
    auto claim = ClaimFor(tx, o, s);
    if (!claim) return claim.error();
    if (auto c = insurance().Cancel(*claim, InsuranceRefundRef(o.id, o.refunds.size() + 1), parts.fund_fen,
                                    parts.personal_fen);
        !c)
      return c.error();
  }
  const std::string clearing = "clearing:" + provider_.name();
  if (auto e = Post(tx, "refund", o.id, std::to_string(*rid), now,
                    Entries({{"refunds", -amount},
                             {Fund(s.region_code), parts.fund_fen},
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
    std::optional<std::pair<std::string, std::int64_t>> source;  // its thing, when the hold ended now
    auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      close.reset();
      source.reset();
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
      source = {o->source_kind, o->source_id};
      if (const Source* src = SourceOf(o->source_kind); src && src->release) return src->release(tx, o->source_id, now);
      return {};
    });
    if (!st) log::Warn("billing: expiring a hold failed", {{"order", std::to_string(id)}, {"code", st.error().code}});
    if (st && source) SourceChanged(source->first, source->second);
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
  // 3. Paid orders whose service ended (cancelled, not taken, doctor suspended): refund once. Their
  // sources are asked in one read transaction; a write transaction only for those that ended.
  std::vector<std::pair<std::int64_t, std::string>> ended_paid;  // order id, refund reason
  auto asked = db_.Transact(store::TxMode::read, [&](store::Tx& tx) -> Status {
    ended_paid.clear();
    auto paid = repo::PaidOrders(tx, paid_cursor_, 500);
    if (!paid) return paid.error();
    paid_cursor_ = paid->empty() ? 0 : paid->back().id;
    for (const auto& o : *paid) {
      const Source* src = SourceOf(o.source_kind);
      if (!src) continue;
      auto q = src->quote(tx, o.source_id);
      if (!q) return q.error();
      if (!*q || (*q)->ended) ended_paid.emplace_back(o.id, *q ? (*q)->end_reason : "source_ended");
    }
    return {};
  });
  if (!asked) log::Warn("billing: asking sources failed", {{"code", asked.error().code}});
  for (const auto& [id, reason] : ended_paid) {
    std::optional<std::pair<std::string, std::int64_t>> source;  // its thing, when refunded now
    auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      source.reset();
      if (auto l = tx.LockChain(OrderLock(id)); !l) return l;
      auto o = Load(tx, id);
      if (!o) return o.error();
      if (o->status != "paid") return {};
      auto has = repo::HasSourceRefund(tx, o->id);
      if (!has) return has.error();
      if (*has) return {};
      const std::int64_t left = o->total_fen - o->refunded_fen;
      if (left <= 0) return {};
      auto r = RefundIn(tx, *o, left, reason, std::nullopt, clock_.NowMs());
      if (!r) return r.error();
      ++changed;
      source = {o->source_kind, o->source_id};
      return {};
    });
    if (!st) log::Warn("billing: source refund failed", {{"order", std::to_string(id)}, {"code", st.error().code}});
    if (st && source) SourceChanged(source->first, source->second);
  }
  // 4. Cash parts of refunds at the provider.
  (void)CompleteCashRefunds();
  return changed;
}

}  // namespace ihos::domain::billing
