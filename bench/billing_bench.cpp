// Billing speed (prints figures; not a test): insurance pre-settlement and settlement per second on
// SQLite and PostgreSQL, next to the reference in the same run: the smallest durable write (one row
// upserted and committed) on the same database, which a settlement cannot beat.
//  - pre-settlement: profile, current policy, year-to-date use and personal balance read, split computed;
//  - settlement: Pay with the personal account covering the share (nothing due in cash), i.e. the
//    order locked, split, settlement + receipt inserted, the balanced ledger transaction appended.
// Usage: build/billing_bench [ORDERS] [THREADS]   (PostgreSQL when IHOS_TEST_PG is set, e.g. under
// scripts/with-postgres.sh)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "bench_run.hpp"
#include "core/clock.hpp"
#include "domain/accounts/service.hpp"
#include "domain/billing/demo_provider.hpp"
#include "domain/billing/service.hpp"
#include "store/migrations.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

using namespace ihos;
using SteadyClock = std::chrono::steady_clock;

namespace {

using bench::Pct;
using bench::Run;

void Bench(store::Backend backend, int orders, int threads) {
  auto db = testing::FreshDatabase(backend, threads + 2);
  SystemClock clock;
  domain::accounts::AccountService accounts(*db, clock, {});
  domain::billing::DemoProvider demo(*db, clock, {});
  domain::billing::BillingService billing(*db, clock, accounts, demo, {});
  const int patients_n = std::max(1, orders / 10);
  auto patients = testing::InsertPatients(*db, patients_n, "bench", clock.NowMs());
  if (!billing.SeedDemo(patients[0].id, "420102")) std::abort();
  std::vector<Principal> who;
  for (const auto& p : patients) {
    Principal pr;
    pr.user_id = p.id;
    pr.roles = {"patient"};
    if (!billing.BindProfile(pr, std::nullopt, "employee", "420102")) std::abort();
    who.push_back(pr);
  }
  domain::billing::Source src;
  src.quote = [&](store::Tx&, std::int64_t id) -> Result<std::optional<domain::billing::Quote>> {
    domain::billing::Quote q;
    q.patient_id = patients[id % patients.size()].id;
    q.title = "bench";
    domain::billing::Line l;
    l.item_code = "consult.followup";
    l.name = "互联网复诊诊查费";
    l.unit_fen = 2500;
    q.lines.push_back(l);
    return std::optional<domain::billing::Quote>(q);
  };
  billing.RegisterSource("bench", src);
  std::vector<std::int64_t> ids(orders);
  for (int i = 0; i < orders; ++i) {
    auto o = billing.CreateOrder(who[i % who.size()], "bench", i, {});
    if (!o) std::abort();
    ids[i] = o->first.id;
  }
  // Reference: the smallest durable write on the same database, one row upserted and committed.
  const int ref_n = orders;
  const auto r0 = SteadyClock::now();
  for (int i = 0; i < ref_n; ++i)
    (void)db->Transact(store::TxMode::write,
                       [i](store::Tx& tx) -> Status { return store::WriteMeta(tx, "bench", std::to_string(i)); });
  const double ref = ref_n / std::chrono::duration<double>(SteadyClock::now() - r0).count();
  std::printf("%s (%d orders, %d threads)\n  reference: one-row write transaction %8.0f /s\n",
              backend == store::Backend::sqlite ? "SQLite" : "PostgreSQL", orders, threads, ref);
  Run(
      "pre-settlement", orders, threads,
      [&](int i) { return static_cast<bool>(billing.PreSettle(who[i % who.size()], ids[i], true, true)); }, ref);
  Run(
      "settlement", orders, threads,
      [&](int i) {
        auto o = billing.Pay(who[i % who.size()], ids[i], true, true, {});
        return o && o->status == "paid";
      },
      ref);
  Principal admin;
  admin.roles = {"admin"};
  auto check = billing.CheckLedger(admin);
  std::printf("  ledger: %lld transactions, %lld unbalanced\n",
              static_cast<long long>(check ? check->transactions : -1),
              static_cast<long long>(check ? check->unbalanced : -1));
}

}  // namespace

int main(int argc, char** argv) {
  crypto::SodiumInit();
  const int orders = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  Bench(store::Backend::sqlite, orders, threads);
  if (std::getenv("IHOS_TEST_PG"))
    Bench(store::Backend::postgres, orders, threads);
  else
    std::printf("PostgreSQL: set IHOS_TEST_PG (scripts/with-postgres.sh build/billing_bench) for its figures\n");
  return 0;
}
