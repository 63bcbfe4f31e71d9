#pragma once
// Concurrent writers for store tests: `n` threads that all start at the same moment (a latch opens
// when the last one is ready) and each run `body(i)`, i = 0..n-1. Returns when every thread has
// finished. Header-only; `body` must be thread-safe (record results in atomics or under a mutex).
#include <functional>
#include <latch>
#include <thread>
#include <vector>

namespace ihos::testing {

inline void RunTogether(int n, const std::function<void(int)>& body) {
  std::latch ready(n);
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      ready.arrive_and_wait();
      body(i);
    });
  for (auto& t : threads) t.join();
}

}  // namespace ihos::testing
