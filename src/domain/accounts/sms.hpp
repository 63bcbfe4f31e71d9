#pragma once
// Phone verification by SMS code: the provider interface, the demo provider, and the short-lived
// single-use codes (stored hashed, rate-limited). In memory, per node, like the login limits.
//
// Thread-safe.
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/rate_limiter.hpp"

namespace ihos::domain::accounts {

// An SMS gateway. A real deployment plugs in its carrier's provider; Send must not log the text.
class SmsSender {
 public:
  virtual ~SmsSender() = default;
  // Errors: unavailable when the gateway refused or could not be reached.
  virtual Status Send(const std::string& phone, const std::string& text) = 0;
  // "demo" for the demo provider; shown to clients so a demo is never mistaken for a real SMS.
  virtual std::string Name() const = 0;
};

// The demo provider (labelled demo): delivers nothing; writes the message to the server log and
// keeps the last few per phone for the demo page. Never for production.
class DemoSmsSender : public SmsSender {
 public:
  struct Message {
    std::string phone, text;
    std::int64_t at_ms = 0;
  };
  explicit DemoSmsSender(const Clock& clock) : clock_(clock) {}
  Status Send(const std::string& phone, const std::string& text) override;
  std::string Name() const override { return "demo"; }
  // The newest messages to `phone`, newest first (at most 5).
  std::vector<Message> Recent(const std::string& phone) const;

 private:
  const Clock& clock_;
  mutable std::mutex mu_;
  std::deque<Message> messages_;  // bounded
};

struct SmsCodeConfig {
  std::int64_t ttl_ms = 5LL * 60 * 1000;        // a code is good this long
  int max_tries = 5;                            // wrong guesses before the code is void
  std::int64_t resend_interval_ms = 60 * 1000;  // one code per phone and purpose per minute
  int sends_per_phone = 10;                     // codes per phone per window
  int sends_per_address = 30;                   // codes per client address per window
  std::int64_t send_window_ms = 60LL * 60 * 1000;
};

// Short-lived single-use codes, one live code per (phone, purpose). Only a hash of the code is kept.
class SmsCodes {
 public:
  SmsCodes(const Clock& clock, SmsSender& sender, SmsCodeConfig config = {});
  // Sends a fresh 6-digit code for `purpose` (login, register, reset_password, ...). Returns when
  // it expires. Errors: rate_limited sms_too_frequent (retry_after_s set); unavailable from the
  // provider.
  Result<std::int64_t> Issue(const std::string& phone, const std::string& purpose, const std::string& client_addr);
  // Consumes the live code when `code` matches. Errors: invalid_argument sms_code_invalid (wrong,
  // expired, used, or tried too often).
  Status Verify(const std::string& phone, const std::string& purpose, const std::string& code);
  SmsSender& sender() { return sender_; }

 private:
  struct Live {
    std::string hash;
    std::int64_t issued_ms = 0;
    std::int64_t expires_ms = 0;
    int tries = 0;
  };
  static std::string Hash(const std::string& key, const std::string& code);

  const Clock& clock_;
  SmsSender& sender_;
  SmsCodeConfig config_;
  RateLimiter per_phone_, per_address_;
  std::mutex mu_;
  std::unordered_map<std::string, Live> live_;  // by phone + purpose
};

}  // namespace ihos::domain::accounts
