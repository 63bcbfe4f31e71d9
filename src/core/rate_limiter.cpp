#include "core/rate_limiter.hpp"

#include <algorithm>

namespace ihos {

std::optional<std::int64_t> RateLimiter::Attempt(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it != windows_.end() && now_ms >= it->second.start_ms + window_ms_) {
    windows_.erase(it);
    it = windows_.end();
  }
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) SweepLocked(now_ms);
    windows_.emplace(key, Window{now_ms, 1});
    return std::nullopt;
  }
  if (it->second.attempts >= limit_) return it->second.start_ms + window_ms_ - now_ms;
  ++it->second.attempts;
  return std::nullopt;
}

void RateLimiter::Forgive(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it != windows_.end() && it->second.attempts > 0) --it->second.attempts;
}

void RateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  windows_.erase(key);
}

void RateLimiter::SweepLocked(std::int64_t now_ms) {
  std::erase_if(windows_, [&](const auto& kv) { return now_ms >= kv.second.start_ms + window_ms_; });
  if (windows_.size() < max_keys_) return;
  auto oldest = std::min_element(windows_.begin(), windows_.end(),
                                 [](const auto& a, const auto& b) { return a.second.start_ms < b.second.start_ms; });
  windows_.erase(oldest);
}

}  // namespace ihos
