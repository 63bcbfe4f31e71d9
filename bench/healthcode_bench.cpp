// Health-code benchmark (figures for the issue note; not a test). Prints:
//  1. SMART Health Card issue (payload + deflate + ES256 sign + shc:/ text) and QR SVG per second,
//     and ES256 verify (parse + inflate + verify) per second, on 1 and 2 threads;
//  2. the exposure search on a SQLite database with N check-ins: time to mark a confirmed case
//     and flag the contacts (the production SetExposure), and the query plan.
// Usage: build/healthcode_bench [CHECKINS=500000] [SECONDS=3]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "core/crypto.hpp"
#include "domain/healthcode/service.hpp"
#include "domain/healthcode/shc.hpp"
#include "store/database.hpp"

using namespace ihos;
namespace hc = ihos::domain::healthcode;
using Clk = std::chrono::steady_clock;

template <class F>
double PerSecond(int threads, double seconds, F&& f) {
  std::atomic<long> n{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> ts;
  for (int i = 0; i < threads; ++i)
    ts.emplace_back([&] {
      long k = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        f();
        ++k;
      }
      n += k;
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : ts) t.join();
  return n.load() / seconds;
}

int main(int argc, char** argv) {
  const long checkins = argc > 1 ? std::atol(argv[1]) : 500'000;
  const double secs = argc > 2 ? std::atof(argv[2]) : 3.0;
  crypto::SodiumInit();
  SystemClock clock;
  const auto dir = std::filesystem::temp_directory_path() / ("ihos-hc-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto db = store::Open("sqlite:" + (dir / "bench.db").string(), 4);
  if (!db || !store::Migrate(**db)) return 1;
  hc::HealthCodeService svc(**db, clock, hc::Config{});
  if (!svc.Init()) return 1;
  svc.SetIssuer("http://127.0.0.1:8080");

  std::printf("health-code bench on %u cores\n", std::thread::hardware_concurrency());
  const std::string sample = svc.SignCardForBench("张*丰", "1990-01-01", hc::Colour::green, 42);
  std::printf("card: %zu chars of shc:/ text (JWS %zu chars)\n", sample.size(), (sample.size() - 5) / 2);
  auto key = hc::shc::SigningKey::Generate();
  auto vk = hc::shc::VerifyKey::FromXY(key->x(), key->y());
  const std::string jws =
      hc::shc::SignJws(*key, *hc::shc::RawInflate(hc::shc::RawDeflate("{}")) + std::string(400, ' '));
  const std::string card_jws = *hc::shc::FromQrText(sample);
  for (int t : {1, 2}) {
    const double issue =
        PerSecond(t, secs, [&] { (void)svc.SignCardForBench("张*丰", "1990-01-01", hc::Colour::green, 42); });
    const double qr = PerSecond(t, secs, [&] { (void)hc::shc::QrSvg(sample); });
    const double verify = PerSecond(t, secs, [&] {
      auto p = hc::shc::ParseJws(card_jws);
      (void)p;
      (void)vk->Verify(p->signing_input, p->signature);  // a different key: same cost, result unused
    });
    std::printf(
        "threads=%d  card issue (sign)  %9.0f /s   QR SVG %9.0f /s   card verify (parse+inflate+ES256) %9.0f /s\n", t,
        issue, qr, verify);
  }

  // Exposure: users, venues and N check-ins over 14 days; one case with 10 visits.
  const int users = 50'000, venues = 5'000;
  const std::int64_t now = clock.NowMs(), span = 14LL * 24 * 3600 * 1000;
  auto t0 = Clk::now();
  auto st = (*db)->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    for (int u = 1; u <= users; ++u) {
      auto r = tx.Exec(
          "INSERT INTO users (real_name, id_number, birth_date, sex, created_at) VALUES ($1, $2, '1990-01-01', 'male', "
          "$3)",
          {std::string("压测") + std::to_string(u), "B" + std::to_string(100000000 + u), now});
      if (!r) return r.error();
    }
    for (int v = 1; v <= venues; ++v) {
      auto r = tx.Exec(
          "INSERT INTO hc_venues (name, kind, region_code, code, created_at) VALUES ($1, 'supermarket', '110105', $2, "
          "$3)",
          {"场所" + std::to_string(v), "v" + std::to_string(v), now});
      if (!r) return r.error();
    }
    std::mt19937_64 rng(7);
    for (long i = 0; i < checkins; ++i) {
      auto r = tx.Exec("INSERT INTO hc_checkins (user_id, venue_id, at, source) VALUES ($1, $2, $3, 'venue_qr')",
                       {static_cast<std::int64_t>(2 + rng() % (users - 1)),
                        static_cast<std::int64_t>(1 + rng() % venues), now - static_cast<std::int64_t>(rng() % span)});
      if (!r) return r.error();
    }
    for (int i = 0; i < 10; ++i) {
      auto r = tx.Exec("INSERT INTO hc_checkins (user_id, venue_id, at, source) VALUES (1, $1, $2, 'venue_qr')",
                       {static_cast<std::int64_t>(1 + i * 97), now - i * 86'400'000LL});
      if (!r) return r.error();
    }
    return {};
  });
  if (!st) return 1;
  std::printf("loaded %d users, %d venues, %ld check-ins in %.1f s\n", users, venues, checkins,
              std::chrono::duration<double>(Clk::now() - t0).count());
  (void)(*db)->Transact(store::TxMode::read, [&](store::Tx& tx) -> Status {
    auto plan = tx.Query(
        "EXPLAIN QUERY PLAN SELECT o.user_id, MIN(o.at), MIN(v.name) FROM hc_checkins c "
        "JOIN hc_checkins o ON o.venue_id = c.venue_id AND o.at >= c.at - $2 AND o.at <= c.at + $2 "
        "JOIN hc_venues v ON v.id = c.venue_id WHERE c.user_id = $1 AND c.at >= $3 AND o.user_id <> $1 GROUP BY "
        "o.user_id",
        {std::int64_t{1}, std::int64_t{3600000}, now - span});
    if (plan)
      for (const auto& r : *plan) std::printf("  plan: %s\n", r.Text(3).c_str());
    return {};
  });
  Principal auth{2, "bench", {"health_authority"}};
  t0 = Clk::now();
  auto res = svc.facts().SetExposure(auth, "B100000001", "confirmed", "bench case", RequestMeta{"bench", ""});
  const double ms = std::chrono::duration<double, std::milli>(Clk::now() - t0).count();
  if (!res) {
    std::printf("exposure failed: %s\n", res.error().code.c_str());
    return 1;
  }
  std::printf(
      "confirmed case with 10 visits among %ld check-ins: %zu contacts flagged (colours recomputed, history kept) in "
      "%.1f ms\n",
      checkins, res->contacts.size(), ms);
  std::filesystem::remove_all(dir);
  return 0;
}
