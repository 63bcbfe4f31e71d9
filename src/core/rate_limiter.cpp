#include "core/rate_limiter.hpp"

#include <algorithm>

namespace ihos {

std::optional<std::int64_t> RateLimiter::Blocked(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end()) return std::nullopt;
  const std::int64_t end = it->second.start_ms + window_ms_;
  if (now_ms >= end) {
    windows_.erase(it);
    return std::nullopt;
  }
  if (it->second.failures < limit_) return std::nullopt;
  return end - now_ms;
}

void RateLimiter::RecordFailure(const std::string& key, std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it != windows_.end() && now_ms >= it->second.start_ms + window_ms_) {
    windows_.erase(it);
    it = windows_.end();
  }
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) SweepLocked(now_ms);
    windows_.emplace(key, Window{now_ms, 1});
  } else {
    ++it->second.failures;
  }
}

void RateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  windows_.erase(key);
}

void RateLimiter::SweepLocked(std::int64_t now_ms) {
  std::erase_if(windows_, [&](const auto& kv) { return now_ms >= kv.second.start_ms + window_ms_; });
  if (windows_.size() < max_keys_) return;
  auto oldest = std::min_element(windows_.begin(), windows_.end(), [](const auto& a, const auto& b) {
    return a.second.start_ms < b.second.start_ms;
  });
  windows_.erase(oldest);
}

}  // namespace ihos
