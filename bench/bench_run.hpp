#pragma once
// Timing a benchmark's operation over threads: shared by the C++ benches under bench/.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace ihos::bench {

// The p-th quantile (0..1) of `v`.
inline double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

// Runs op(0..n-1) over `threads` threads; prints the rate, p50/p99 latency, failures (op returned
// false) and the ratio to `reference_per_s` (when > 0); returns the rate per second.
template <class F>
double Run(const char* what, int n, int threads, F&& op, double reference_per_s) {
  using Clock = std::chrono::steady_clock;
  std::vector<std::vector<double>> lat(threads);
  std::atomic<int> next{0}, failed{0};
  const auto t0 = Clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (int i; (i = next++) < n;) {
        const auto a = Clock::now();
        if (!op(i)) ++failed;
        lat[t].push_back(std::chrono::duration<double, std::micro>(Clock::now() - a).count());
      }
    });
  for (auto& t : ts) t.join();
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  const double rate = n / s;
  std::printf("  %-26s %8.0f /s   p50 %8.0f us   p99 %8.0f us   failed %d", what, rate, Pct(all, 0.5), Pct(all, 0.99),
              failed.load());
  if (reference_per_s > 0) std::printf("   = %.3f x reference", rate / reference_per_s);
  std::printf("\n");
  return rate;
}

}  // namespace ihos::bench
