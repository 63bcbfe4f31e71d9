// Triage speed (figures for the closing note; not a test): model load time, and the time of one
// query — red flags + tokenizing + the model + the explanation, as POST /api/v1/triage does
// without HTTP — on one core, over the held-out requests of the data folder.
// Usage: build/triage_bench [MODEL]   (without MODEL: trains one on the train split first, from
// $IHOS_TRIAGE_DATA or ../shared/data/triage)
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/clock.hpp"
#include "domain/triage/dataset.hpp"
#include "domain/triage/red_flags.hpp"
#include "domain/triage/service.hpp"

using namespace ihos::domain::triage;
using Clock = std::chrono::steady_clock;

static double Us(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

// CPU time of this thread: what the query itself costs, without the time other processes on a
// shared machine hold the core.
static double CpuUs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double Pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

int main(int argc, char** argv) {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(0, &one);
  const bool pinned = sched_setaffinity(0, sizeof one, &one) == 0;

  const std::string dir = FindDataDir(IHOS_SOURCE_DIR);
  if (dir.empty()) {
    std::fprintf(stderr, "triage_bench: no data folder (set IHOS_TRIAGE_DATA)\n");
    return 1;
  }
  auto rows = LoadData(dir, true);
  if (!rows) {
    std::fprintf(stderr, "triage_bench: %s\n", rows.error().detail.c_str());
    return 1;
  }
  std::string model = argc > 1 ? argv[1] : "";
  if (model.empty()) {
    model = (std::filesystem::temp_directory_path() / "ihos-triage-bench.bin").string();
    std::vector<Example> ex;
    for (const auto& r : *rows)
      if (SplitOf(r.id) != Split::test) ex.push_back({r.text, r.label});
    const auto t0 = Clock::now();
    if (auto st = TrainModel(ex, {}, model); !st) {
      std::fprintf(stderr, "triage_bench: %s\n", st.error().detail.c_str());
      return 1;
    }
    std::printf("trained %zu examples in %.2f s (1 thread)\n", ex.size(), Us(t0, Clock::now()) / 1e6);
  }
  std::error_code ec;
  std::printf("model %s: %.1f MB", model.c_str(), std::filesystem::file_size(model, ec) / 1e6);
  if (std::filesystem::exists(LinearPath(model), ec))
    std::printf(" + linear model %.1f MB", std::filesystem::file_size(LinearPath(model), ec) / 1e6);
  std::printf("\n");

  std::vector<double> loads;
  std::unique_ptr<Classifier> c;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = Clock::now();
    auto l = Classifier::Load(model);
    const auto t1 = Clock::now();
    if (!l) {
      std::fprintf(stderr, "triage_bench: %s\n", l.error().detail.c_str());
      return 1;
    }
    loads.push_back(Us(t0, t1) / 1000);
    c = std::move(*l);
  }
  std::printf("model load: median %.1f ms, max %.1f ms (5 loads)\n", Pct(loads, 0.5), Pct(loads, 1.0));

  std::vector<std::string> texts;
  for (const auto& r : *rows)
    if (SplitOf(r.id) == Split::test) texts.push_back(r.text);
  std::size_t chars = 0;
  for (const auto& t : texts) chars += t.size();

  struct Fixed : ihos::Clock {
    std::int64_t NowMs() const override { return 0; }
  } clock;
  TriageService svc({}, std::move(c), clock, {});
  std::vector<double> all, cpu, flags_only;
  std::size_t sink = 0;
  for (int pass = 0; pass < 3; ++pass) {
    for (const auto& t : texts) {
      const double c0 = CpuUs();
      const auto t0 = Clock::now();
      const auto r = svc.Assess(t);
      const auto t1 = Clock::now();
      if (pass > 0) cpu.push_back(CpuUs() - c0);
      sink += r.suggestions.size() + r.red_flags.size();
      if (pass > 0) all.push_back(Us(t0, t1));
      const auto f0 = Clock::now();
      sink += CheckRedFlags(t).size();
      if (pass > 0) flags_only.push_back(Us(f0, Clock::now()));
    }
  }
  std::printf("query (red flags + model top-3 + explanation), %zu held-out requests x 2 passes, avg %zu bytes, %s:\n",
              texts.size(), chars / texts.size(), pinned ? "pinned to one core" : "NOT pinned");
  std::printf("  wall time: p50 %.1f us  p99 %.1f us  max %.1f us\n", Pct(all, 0.5), Pct(all, 0.99), Pct(all, 1.0));
  std::printf("  CPU time:  p50 %.1f us  p99 %.1f us  max %.1f us\n", Pct(cpu, 0.5), Pct(cpu, 0.99), Pct(cpu, 1.0));
  std::printf("  (load average now: %s)\n", [] {
    static char buf[64] = "?";
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
      if (!std::fgets(buf, sizeof buf, f)) buf[0] = 0;
      std::fclose(f);
      for (char* p = buf; *p; ++p)
        if (*p == '\n') *p = 0;
    }
    return buf;
  }());
  std::printf("red flags alone: p50 %.1f us  p99 %.1f us\n", Pct(flags_only, 0.5), Pct(flags_only, 0.99));
  return sink == 0 ? 1 : 0;
}
