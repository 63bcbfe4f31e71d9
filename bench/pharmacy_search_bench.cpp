// Nearby pharmacy search speed (prints figures; not a test): 10,000 pharmacies in a 35 x 33 km
// city box (about 武汉's main districts), a catalogue of 2,000 formulary items, each pharmacy
// stocking the 50 staple items and PER_PHARMACY - 50 random others (one batch each), all generated
// as benchmark data (pharmacies.demo = 2, names 基准测试) in a temporary database. Queries:
// "open now, within RADIUS m, every item of a 3-5 item basket in stock" at random points, through
// PharmacyService::Nearby (R*Tree on SQLite, GiST on PostgreSQL, then exact distance and stock),
// next to the reference in the same run: a plain indexed single-row SELECT (pharmacy by id) in a
// read transaction on the same database.
// Usage: build/pharmacy_search_bench [QUERIES] [THREADS] [RADIUS_M] [PER_PHARMACY]
//        (PostgreSQL too when IHOS_TEST_PG is set, e.g. under scripts/with-postgres.sh)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "bench_run.hpp"
#include "core/clock.hpp"
#include "domain/pharmacy/service.hpp"
#include "support/test_db.hpp"

using namespace ihos;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr int kPharmacies = 10'000;
constexpr int kItems = 2'000;
constexpr int kStaples = 50;
constexpr double kMinLat = 30.45, kMaxLat = 30.75, kMinLon = 114.10, kMaxLon = 114.47;

using bench::Pct;
using bench::Run;

void Exec(store::Database& db, const std::string& sql, const store::Params& p) {
  auto st = db.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto r = tx.Exec(sql, p);
    if (!r) return r.error();
    return {};
  });
  if (!st) {
    std::fprintf(stderr, "bench setup: %s %s\n", st.error().code.c_str(), st.error().detail.c_str());
    std::abort();
  }
}

// Multi-row INSERT in chunks of `rows` rows of `cols` values.
void Bulk(store::Database& db, const std::string& head, int cols, const std::vector<store::Value>& values,
          int rows = 400) {
  const std::size_t per = static_cast<std::size_t>(cols) * rows;
  for (std::size_t at = 0; at < values.size(); at += per) {
    const std::size_t end = std::min(values.size(), at + per);
    std::string sql = head + " VALUES ";
    store::Params p(values.begin() + at, values.begin() + end);
    for (std::size_t r = 0; r < (end - at) / cols; ++r) {
      sql += r ? ",(" : "(";
      for (int c = 0; c < cols; ++c) sql += (c ? ",$" : "$") + std::to_string(r * cols + c + 1);
      sql += ")";
    }
    Exec(db, sql, p);
  }
}

void Bench(store::Backend backend, int queries, int threads, std::int64_t radius, int per_pharmacy) {
  auto db = testing::FreshDatabase(backend, threads + 2);
  // Wednesday 2026-11-18 10:00 CST: every generated pharmacy is open (08:00-22:00 daily).
  ManualClock clock(CstMs("2026-11-18", 600));
  domain::pharmacy::PharmacyService svc(*db, clock);
  std::mt19937_64 rng(20261118);
  const auto g0 = SteadyClock::now();
  {
    std::vector<store::Value> drugs, form;
    for (int i = 1; i <= kItems; ++i) {
      const std::string name = "基准测试药品" + std::to_string(i);
      drugs.insert(drugs.end(),
                   {std::int64_t{900'000 + i}, name, std::string("西药部分"), std::string("western"), name});
    }
    Bulk(*db, "INSERT INTO drugs (nhsa_id, name, section, kind, search_text)", 5, drugs);
    Exec(*db,
         "INSERT INTO formulary (drug_id, strength, dose_unit, strength_amount_milli, package_unit, package_size, "
         "price_fen, created_at) SELECT id, '1片', 'mg', 1000, '片', 10, 1000 + nhsa_id % 5000, 0 FROM drugs WHERE "
         "nhsa_id > 900000",
         {});
  }
  std::vector<std::int64_t> items;
  (void)db->Transact(store::TxMode::read, [&](store::Tx& tx) -> Status {
    auto r = tx.Query(
        "SELECT f.id FROM formulary f JOIN drugs d ON d.id = f.drug_id WHERE d.nhsa_id > 900000 ORDER BY d.nhsa_id");
    if (!r) return r.error();
    for (const auto& row : *r) items.push_back(row.Int(0));
    return {};
  });
  std::uniform_real_distribution<double> ulat(kMinLat, kMaxLat), ulon(kMinLon, kMaxLon);
  {
    std::vector<store::Value> ph;
    for (int i = 1; i <= kPharmacies; ++i)
      ph.insert(ph.end(), {std::string("基准测试药房") + std::to_string(i), "BENCH-" + std::to_string(i),
                           std::string("420103"), ulat(rng), ulon(rng), std::string("open"), std::int64_t{1},
                           std::int64_t{3000}, std::int64_t{500}, std::int64_t{2}, std::int64_t{0}, std::int64_t{0}});
    Bulk(*db,
         "INSERT INTO pharmacies (name, licence_no, region_code, lat, lon, status, delivers, delivery_radius_m, "
         "delivery_fee_fen, demo, created_at, updated_at)",
         12, ph, 200);
    Exec(*db,
         "INSERT INTO pharmacy_hours (pharmacy_id, weekday, open_min, close_min) SELECT p.id, w.d, 480, 1320 FROM "
         "pharmacies p CROSS JOIN (SELECT 1 AS d UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL "
         "SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7) w WHERE p.demo = 2",
         {});
  }
  std::vector<std::int64_t> pharmacy_ids;
  (void)db->Transact(store::TxMode::read, [&](store::Tx& tx) -> Status {
    auto r = tx.Query("SELECT id FROM pharmacies WHERE demo = 2 ORDER BY id");
    if (!r) return r.error();
    for (const auto& row : *r) pharmacy_ids.push_back(row.Int(0));
    return {};
  });
  // Stock: the ledger row (received), the batch level it explains and the item row, consistent.
  std::uniform_int_distribution<int> uitem(kStaples, kItems - 1), uqty(0, 40);
  std::int64_t rows = 0;
  for (std::size_t at = 0; at < pharmacy_ids.size(); at += 500) {
    std::vector<store::Value> it, ba, mv;
    for (std::size_t k = at; k < std::min(pharmacy_ids.size(), at + 500); ++k) {
      std::set<int> chosen;
      for (int s = 0; s < kStaples; ++s) chosen.insert(s);
      while (static_cast<int>(chosen.size()) < per_pharmacy) chosen.insert(uitem(rng));
      for (int c : chosen) {
        const std::int64_t q = uqty(rng);  // some staples are out (0)
        const std::int64_t pid = pharmacy_ids[k], iid = items[c];
        it.insert(it.end(), {pid, iid, std::int64_t{1000 + c}, std::int64_t{0}});
        if (q > 0) {
          ba.insert(ba.end(), {pid, iid, std::string("BENCH-1"), std::string("2027-12-31"), q});
          mv.insert(mv.end(), {pid, iid, std::string("received"), std::string("BENCH-1"), std::string("2027-12-31"), q,
                               std::int64_t{0}, std::int64_t{0}});
        }
        ++rows;
      }
    }
    Bulk(*db, "INSERT INTO pharmacy_items (pharmacy_id, item_id, price_fen, reserved)", 4, it);
    Bulk(*db, "INSERT INTO pharmacy_batches (pharmacy_id, item_id, batch_no, expiry_date, on_hand)", 5, ba);
    Bulk(*db,
         "INSERT INTO pharmacy_stock_moves (pharmacy_id, item_id, kind, batch_no, expiry_date, on_hand_delta, "
         "reserved_delta, at)",
         8, mv);
  }
  if (backend == store::Backend::postgres) Exec(*db, "ANALYZE", {});
  const double gen_s = std::chrono::duration<double>(SteadyClock::now() - g0).count();

  // Reference: a plain indexed single-row SELECT in a read transaction.
  const int ref_n = std::max(2000, queries);
  const auto r0 = SteadyClock::now();
  for (int i = 0; i < ref_n; ++i)
    (void)db->Transact(store::TxMode::read, [&](store::Tx& tx) -> Status {
      auto r = tx.Query("SELECT name FROM pharmacies WHERE id = $1",
                        {pharmacy_ids[static_cast<std::size_t>(i) * 7919 % pharmacy_ids.size()]});
      if (!r) return r.error();
      return {};
    });
  const double ref = ref_n / std::chrono::duration<double>(SteadyClock::now() - r0).count();

  std::vector<domain::pharmacy::NearbyQuery> qs(queries);
  std::uniform_int_distribution<int> ubasket(3, 5), ustaple(0, kStaples - 1), uany(0, kItems - 1), uquarter(0, 3);
  for (auto& q : qs) {
    q.lat = ulat(rng);
    q.lon = ulon(rng);
    q.radius_m = radius;
    const int n = ubasket(rng);
    std::set<int> b;
    while (static_cast<int>(b.size()) < n) b.insert(uquarter(rng) == 0 && b.size() == 0 ? uany(rng) : ustaple(rng));
    for (int c : b) q.basket.push_back({items[c], 1 + uquarter(rng)});
  }
  std::printf(
      "%s: %d pharmacies x %d items (%d stocked each: %lld stock rows), generated in %.1f s; %d queries, %d "
      "threads, radius %lld m, baskets of 3-5\n  reference: indexed single-row SELECT %8.0f /s\n",
      backend == store::Backend::sqlite ? "SQLite" : "PostgreSQL", kPharmacies, kItems, per_pharmacy,
      static_cast<long long>(rows), gen_s, queries, threads, static_cast<long long>(radius), ref);
  std::atomic<long long> found{0};
  Run(
      "nearby, complete basket", queries, threads,
      [&](int i) {
        auto r = svc.Nearby(qs[i]);
        if (r) found += static_cast<long long>(r->size());
        return static_cast<bool>(r);
      },
      ref);
  std::printf("  (%.1f pharmacies answered per query on average)\n", static_cast<double>(found.load()) / queries);
  found = 0;
  Run(
      "nearby, partial allowed", queries, threads,
      [&](int i) {
        auto q = qs[i];
        q.complete_only = false;
        auto r = svc.Nearby(q);
        if (r) found += static_cast<long long>(r->size());
        return static_cast<bool>(r);
      },
      ref);
  std::printf("  (%.1f pharmacies answered per query on average)\n", static_cast<double>(found.load()) / queries);
}

}  // namespace

int main(int argc, char** argv) {
  const int queries = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  const std::int64_t radius = argc > 3 ? std::atoll(argv[3]) : 3000;
  const int per = argc > 4 ? std::clamp(std::atoi(argv[4]), kStaples, kItems) : 200;
  Bench(store::Backend::sqlite, queries, threads, radius, per);
  if (std::getenv("IHOS_TEST_PG"))
    Bench(store::Backend::postgres, queries, threads, radius, per);
  else
    std::printf(
        "PostgreSQL: set IHOS_TEST_PG (scripts/with-postgres.sh build/pharmacy_search_bench) for its figures\n");
  return 0;
}
