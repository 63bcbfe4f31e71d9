#include "domain/billing/demo_provider.hpp"

#include <boost/json.hpp>

#include "core/crypto.hpp"

namespace ihos::domain::billing {
namespace json = boost::json;

DemoProvider::DemoProvider(store::Database& db, const Clock& clock, DemoConfig config)
    : db_(db), clock_(clock), config_(std::move(config)) {
  if (config_.secret.empty()) config_.secret = crypto::RandomHex(32);
}

std::int64_t DemoProvider::RandomDelay() const {
  const std::int64_t span = std::max<std::int64_t>(1, config_.max_delay_ms - config_.min_delay_ms);
  const std::string r = crypto::RandomHex(4);
  return config_.min_delay_ms + static_cast<std::int64_t>(std::stoul(r, nullptr, 16) % span);
}

Result<std::string> DemoProvider::Create(const ProviderOrder& order) {
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    repo::demo::Trade t;
    t.out_trade_no = order.out_trade_no;
    t.subject = order.subject;
    t.amount_fen = order.amount_fen;
    t.payer_id = order.payer_id;
    return repo::demo::InsertTrade(tx, t, clock_.NowMs());
  });
  if (!st) return MakeError(Errc::unavailable, "provider_unavailable", st.error().detail);
  return "/pay/demo/" + order.out_trade_no;
}

Result<std::optional<ProviderPaid>> DemoProvider::Query(const std::string& out_trade_no) {
  return db_.With<std::optional<ProviderPaid>>(
      store::TxMode::read, [&](store::Tx& tx) -> Result<std::optional<ProviderPaid>> {
        auto t = repo::demo::FindTrade(tx, out_trade_no);
        if (!t) return t.error();
        if (!*t || (*t)->status != "paid") return std::optional<ProviderPaid>();
        return std::optional<ProviderPaid>(ProviderPaid{(*t)->out_trade_no, (*t)->provider_txn.value_or(""),
                                                        (*t)->amount_fen, (*t)->paid_at.value_or(0)});
      });
}

Status DemoProvider::Refund(const std::string& out_trade_no, const std::string& refund_no, std::int64_t amount_fen) {
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto t = repo::demo::FindTrade(tx, out_trade_no);
    if (!t) return t.error();
    if (!*t || (*t)->status != "paid") return MakeError(Errc::conflict, "payment_not_paid");
    auto ins = repo::demo::InsertRefund(tx, refund_no, out_trade_no, amount_fen, clock_.NowMs());
    if (!ins) return ins.error();
    if (*ins && (*t)->refunded_fen + amount_fen > (*t)->amount_fen)
      return MakeError(Errc::conflict, "refund_exceeds_payment");
    return {};
  });
}

Status DemoProvider::Close(const std::string& out_trade_no) {
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto c = repo::demo::CloseTrade(tx, out_trade_no);
    if (!c) return c.error();
    return {};
  });
}

std::pair<std::string, std::string> DemoProvider::SignedNotification(const repo::demo::Trade& t) const {
  const std::string body = json::serialize(json::object{{"out_trade_no", t.out_trade_no},
                                                        {"provider_txn", t.provider_txn.value_or("")},
                                                        {"amount_fen", t.amount_fen},
                                                        {"paid_at", t.paid_at.value_or(0)},
                                                        {"status", "SUCCESS"},
                                                        {"nonce", crypto::RandomHex(8)}});
  return {body, crypto::HmacSha256Hex(config_.secret, body)};
}

Result<ProviderPaid> DemoProvider::VerifyNotification(const std::string& body, const std::string& signature) const {
  if (!crypto::ConstantTimeEquals(crypto::HmacSha256Hex(config_.secret, body), signature))
    return MakeError(Errc::invalid_argument, "bad_signature");
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  if (!o) return MakeError(Errc::invalid_argument, "bad_notification");
  ProviderPaid p;
  auto str = [&](const char* k) -> const json::string* {
    auto* x = o->if_contains(k);
    return x ? x->if_string() : nullptr;
  };
  auto num = [&](const char* k) -> const std::int64_t* {
    auto* x = o->if_contains(k);
    return x ? x->if_int64() : nullptr;
  };
  const auto *trade = str("out_trade_no"), *txn = str("provider_txn"), *status = str("status");
  const auto *amount = num("amount_fen"), *paid_at = num("paid_at");
  if (!trade || !txn || !status || !amount || !paid_at || *status != "SUCCESS" || txn->empty())
    return MakeError(Errc::invalid_argument, "bad_notification");
  p.out_trade_no = std::string(*trade);
  p.provider_txn = std::string(*txn);
  p.amount_fen = *amount;
  p.paid_at = *paid_at;
  return p;
}

Result<repo::demo::Trade> DemoProvider::Get(const Principal& payer, const std::string& out_trade_no) {
  return db_.With<repo::demo::Trade>(store::TxMode::read, [&](store::Tx& tx) -> Result<repo::demo::Trade> {
    auto t = repo::demo::FindTrade(tx, out_trade_no);
    if (!t) return t.error();
    if (!*t || (*t)->payer_id != payer.user_id) return MakeError(Errc::not_found, "not_found");
    return **t;
  });
}

Result<repo::demo::Trade> DemoProvider::Confirm(const Principal& payer, const std::string& out_trade_no) {
  return db_.With<repo::demo::Trade>(store::TxMode::write, [&](store::Tx& tx) -> Result<repo::demo::Trade> {
    auto t = repo::demo::FindTrade(tx, out_trade_no);
    if (!t) return t.error();
    if (!*t || (*t)->payer_id != payer.user_id) return MakeError(Errc::not_found, "not_found");
    if ((*t)->status == "closed") return MakeError(Errc::conflict, "payment_closed");
    if ((*t)->status == "waiting") {
      const std::int64_t now = clock_.NowMs();
      const std::string txn = "DEMO" + std::to_string(now) + crypto::RandomHex(6);
      auto ok = repo::demo::MarkPaid(tx, out_trade_no, txn, now, now + RandomDelay());
      if (!ok) return ok.error();
    }
    auto again = repo::demo::FindTrade(tx, out_trade_no);
    if (!again) return again.error();
    return **again;
  });
}

Status DemoProvider::Resend(const Principal& payer, const std::string& out_trade_no) {
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto t = repo::demo::FindTrade(tx, out_trade_no);
    if (!t) return t.error();
    if (!*t || (*t)->payer_id != payer.user_id) return MakeError(Errc::not_found, "not_found");
    if ((*t)->status != "paid") return MakeError(Errc::conflict, "payment_not_paid");
    return repo::demo::SetNotifyDue(tx, out_trade_no, clock_.NowMs(), false);
  });
}

int DemoProvider::DeliverDue(const Deliver& deliver) {
  auto due = db_.With<std::vector<repo::demo::Trade>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::demo::DueNotifications(tx, clock_.NowMs(), 200); });
  if (!due) return 0;
  int delivered = 0;
  for (const auto& t : *due) {
    auto [body, sig] = SignedNotification(t);
    const bool ok = deliver(body, sig);
    std::optional<std::int64_t> next;
    const std::int64_t now = clock_.NowMs();
    if (!ok) {
      // Back-off like real providers (15 s, 15 s, 30 s, 3 min ... here compressed): give up after 8.
      if (t.notify_count < 8) next = now + (std::int64_t{250} << std::min<std::int64_t>(t.notify_count, 6));
    } else {
      ++delivered;
      // Sometimes the provider sends it again later (a duplicate), as real ones do.
      if (t.notify_count == 0 &&
          static_cast<int>(std::stoul(crypto::RandomHex(1), nullptr, 16) % 100) < config_.duplicate_percent)
        next = now + RandomDelay();
    }
    (void)db_.Transact(store::TxMode::write,
                       [&](store::Tx& tx) { return repo::demo::SetNotifyDue(tx, t.out_trade_no, next, true); });
  }
  return delivered;
}

}  // namespace ihos::domain::billing
