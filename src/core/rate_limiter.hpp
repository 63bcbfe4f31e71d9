#pragma once
// Counts attempts per key (an account, a client address) in a fixed window and blocks a key
// that reached its limit until the window of its first attempt ends. Callers Forgive() an
// attempt that succeeded, so only failures use up the allowance where that is wanted. In memory, per node.
// Thread-safe. The map is bounded: past `max_keys` the expired entries are swept, and if
// still full the oldest window is dropped, so a flood of random keys cannot exhaust memory.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace ihos {

class RateLimiter {
 public:
  RateLimiter(int limit, std::int64_t window_ms, std::size_t max_keys = 100000)
      : limit_(limit), window_ms_(window_ms), max_keys_(max_keys) {}

  // Checks and counts one attempt in one step, so concurrent attempts cannot all pass the
  // check before any is counted. Returns the milliseconds until `key` may try again when it
  // has used its `limit` attempts in the window (nothing is counted then), else nullopt.
  std::optional<std::int64_t> Attempt(const std::string& key, std::int64_t now_ms);
  // Takes back one counted attempt (it turned out to succeed).
  void Forgive(const std::string& key);
  void Reset(const std::string& key);

 private:
  struct Window {
    std::int64_t start_ms;
    int attempts;
  };
  void SweepLocked(std::int64_t now_ms);

  const int limit_;
  const std::int64_t window_ms_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace ihos
