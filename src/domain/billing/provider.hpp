#pragma once
// A payment provider for the self-pay part (自付): create a payment, receive its asynchronous signed
// notification, query it when the notification is lost, refund. The built-in `demo` provider is
// DemoProvider (demo_provider.hpp); WeChat Pay, Alipay and UnionPay adapters implement the same
// interface (what each needs: README.md). Implementations are thread-safe.
#include <functional>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace ihos::domain::billing {

struct ProviderOrder {
  std::string out_trade_no;  // ours, unique
  std::string subject;
  std::int64_t amount_fen = 0;
  std::int64_t payer_id = 0;
};

// A verified notification or query answer.
struct ProviderPaid {
  std::string out_trade_no;
  std::string provider_txn;
  std::int64_t amount_fen = 0;
  std::int64_t paid_at = 0;
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  virtual std::string name() const = 0;
  virtual bool demo() const = 0;
  // Creates (idempotently, by out_trade_no) the payment at the provider; returns the URL the payer
  // opens. Errors: unavailable provider_unavailable.
  virtual Result<std::string> Create(const ProviderOrder& order) = 0;
  // The payment as the provider knows it: nullopt while unpaid. Errors: unavailable.
  virtual Result<std::optional<ProviderPaid>> Query(const std::string& out_trade_no) = 0;
  // Refunds `amount_fen` of a paid payment, idempotently by refund_no. Errors: unavailable;
  // conflict refund_exceeds_payment.
  virtual Status Refund(const std::string& out_trade_no, const std::string& refund_no, std::int64_t amount_fen) = 0;
  // Verifies a notification's signature and parses it. Errors: invalid_argument bad_signature /
  // bad_notification.
  virtual Result<ProviderPaid> VerifyNotification(const std::string& body, const std::string& signature) const = 0;
  // No payment is to be made for this trade any more (the order expired): the provider closes it
  // when still unpaid. Errors: unavailable.
  virtual Status Close(const std::string& out_trade_no) = 0;
};

}  // namespace ihos::domain::billing
