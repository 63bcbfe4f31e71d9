#include "domain/accounts/sms.hpp"

#include <algorithm>

#include "core/crypto.hpp"
#include "core/log.hpp"

namespace ihos::domain::accounts {
namespace {

constexpr std::size_t kDemoKeep = 1000;
constexpr std::size_t kMaxLive = 100000;

Error TooFrequent(std::int64_t wait_ms) {
  Error e = MakeError(Errc::rate_limited, "sms_too_frequent");
  e.retry_after_s = static_cast<int>(std::max<std::int64_t>(1, (wait_ms + 999) / 1000));
  return e;
}

// A uniformly random 6-digit code.
std::string RandomCode() {
  for (;;) {
    const std::string hex = crypto::RandomHex(4);
    const std::uint32_t v = static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16));
    if (v >= 4294000000u) continue;  // a multiple of 10^6: no modulo bias
    std::string s = std::to_string(v % 1000000);
    return std::string(6 - s.size(), '0') + s;
  }
}

}  // namespace

Status DemoSmsSender::Send(const std::string& phone, const std::string& text) {
  log::Info("demo sms (not sent; demo provider)", {{"provider", "demo"}, {"phone", phone}, {"text", text}});
  std::lock_guard lock(mu_);
  messages_.push_front(Message{phone, text, clock_.NowMs()});
  if (messages_.size() > kDemoKeep) messages_.pop_back();
  return {};
}

std::vector<DemoSmsSender::Message> DemoSmsSender::Recent(const std::string& phone) const {
  std::lock_guard lock(mu_);
  std::vector<Message> out;
  for (const auto& m : messages_)
    if (m.phone == phone && out.size() < 5) out.push_back(m);
  return out;
}

SmsCodes::SmsCodes(const Clock& clock, SmsSender& sender, SmsCodeConfig config)
    : clock_(clock),
      sender_(sender),
      config_(config),
      per_phone_(config.sends_per_phone, config.send_window_ms),
      per_address_(config.sends_per_address, config.send_window_ms) {}

std::string SmsCodes::Hash(const std::string& key, const std::string& code) {
  return crypto::Blake2bHex("ihos-sms-code\n" + key + "\n" + code);
}

Result<std::int64_t> SmsCodes::Issue(const std::string& phone, const std::string& purpose,
                                     const std::string& client_addr) {
  const std::int64_t now = clock_.NowMs();
  const std::string key = phone + "|" + purpose;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(key);
    if (it != live_.end() && now - it->second.issued_ms < config_.resend_interval_ms)
      return TooFrequent(config_.resend_interval_ms - (now - it->second.issued_ms));
  }
  if (auto wait = per_phone_.Attempt("phone:" + phone, now)) return TooFrequent(*wait);
  if (auto wait = per_address_.Attempt("addr:" + client_addr, now)) {
    per_phone_.Forgive("phone:" + phone);
    return TooFrequent(*wait);
  }
  const std::string code = RandomCode();
  {
    std::lock_guard lock(mu_);
    if (live_.size() >= kMaxLive) std::erase_if(live_, [now](const auto& kv) { return kv.second.expires_ms <= now; });
    if (live_.size() >= kMaxLive) return TooFrequent(config_.resend_interval_ms);
    live_[key] = Live{Hash(key, code), now, now + config_.ttl_ms, 0};
  }
  const int minutes = static_cast<int>(config_.ttl_ms / 60000);
  if (auto st = sender_.Send(phone, "【ihos】验证码 " + code + "，" + std::to_string(minutes) +
                                        " 分钟内有效，请勿告诉他人。Your ihos code is " + code + ".");
      !st) {
    std::lock_guard lock(mu_);
    live_.erase(key);
    return st.error();
  }
  return now + config_.ttl_ms;
}

Status SmsCodes::Verify(const std::string& phone, const std::string& purpose, const std::string& code) {
  const std::int64_t now = clock_.NowMs();
  const std::string key = phone + "|" + purpose;
  std::lock_guard lock(mu_);
  auto it = live_.find(key);
  if (it == live_.end()) return MakeError(Errc::invalid_argument, "sms_code_invalid");
  Live& l = it->second;
  if (l.expires_ms <= now || l.tries >= config_.max_tries) {
    live_.erase(it);
    return MakeError(Errc::invalid_argument, "sms_code_invalid");
  }
  if (Hash(key, code) != l.hash) {
    if (++l.tries >= config_.max_tries) live_.erase(it);
    return MakeError(Errc::invalid_argument, "sms_code_invalid");
  }
  live_.erase(it);  // single use
  return {};
}

}  // namespace ihos::domain::accounts
