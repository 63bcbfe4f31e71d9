#pragma once
// The built-in DEMO payment provider (演示支付), labelled demo everywhere. It behaves like a real one:
// the payer confirms on the provider's own page (/pay/demo/<out_trade_no>); the provider then
// notifies ihos asynchronously with an HMAC-SHA256 signature, after a random delay, retrying until
// ihos accepts, and sometimes a second time (a duplicate) so that duplicates and out-of-order
// arrival are exercised; ihos can query a payment whose notification it never got. Its books live
// in its own tables (demo_pay_*), as a real provider's would live on its side.
//
// Thread-safe. Notifications are delivered by DeliverDue (called by the billing sweeper thread)
// through the same verification path a real provider's HTTP callback takes.
#include <functional>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/billing/provider.hpp"
#include "domain/billing/repository.hpp"
#include "store/database.hpp"

namespace ihos::domain::billing {

struct DemoConfig {
  std::string secret;               // the HMAC key shared with ihos (random per start unless set)
  std::int64_t min_delay_ms = 100;  // first notification after [min, max)
  std::int64_t max_delay_ms = 1200;
  int duplicate_percent = 30;  // a second notification this often
};

class DemoProvider : public PaymentProvider {
 public:
  DemoProvider(store::Database& db, const Clock& clock, DemoConfig config);

  std::string name() const override { return "demo"; }
  bool demo() const override { return true; }
  Result<std::string> Create(const ProviderOrder& order) override;
  Result<std::optional<ProviderPaid>> Query(const std::string& out_trade_no) override;
  Status Refund(const std::string& out_trade_no, const std::string& refund_no, std::int64_t amount_fen) override;
  Result<ProviderPaid> VerifyNotification(const std::string& body, const std::string& signature) const override;
  Status Close(const std::string& out_trade_no) override;

  // --- the provider's page (signed-in payer only; another user gets not_found) ---
  Result<repo::demo::Trade> Get(const Principal& payer, const std::string& out_trade_no);
  // The payer pays: waiting -> paid; the notification is scheduled. Errors: not_found; conflict
  // payment_closed (the order expired meanwhile).
  Result<repo::demo::Trade> Confirm(const Principal& payer, const std::string& out_trade_no);
  // Sends the notification again now (the provider's "resend" button in its sandbox). Errors:
  // not_found; conflict payment_not_paid.
  Status Resend(const Principal& payer, const std::string& out_trade_no);

  // Delivers every notification due now through `deliver(body, signature)`, which answers whether
  // ihos accepted it; a refused or failed delivery is retried with back-off. Returns how many were
  // delivered.
  using Deliver = std::function<bool(const std::string& body, const std::string& signature)>;
  int DeliverDue(const Deliver& deliver);

  // The signed body of the notification of a paid trade (tests replay it).
  std::pair<std::string, std::string> SignedNotification(const repo::demo::Trade& t) const;

 private:
  std::int64_t RandomDelay() const;
  store::Database& db_;
  const Clock& clock_;
  DemoConfig config_;
};

}  // namespace ihos::domain::billing
