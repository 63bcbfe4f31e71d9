// Booking throughput through the real HTTP server (figures for the issue #3 note; not a test).
//
//  1. Contention: K distinct patients book ONE slot of capacity C (< K) at once, over T
//     keep-alive connections: attempts/s, and exactly C must succeed.
//  2. Across slots: N distinct patients each book one of many slots (D doctors x periods x days):
//     bookings/s (goal >= 5000 on 2 cores, 0 double bookings).
// After each run the database is checked: no slot has booked > capacity, booked equals the
// slot's live appointments, queue numbers are unique (also a constraint).
//
// Usage: booking_bench [--db URL] [--threads T] [--patients N] [--doctors D] [--contention K] [--capacity C]
//   default: SQLite in a temp file; --db postgresql://... for PostgreSQL (an empty database or schema).
// The server runs in this process with the production defaults (workers, pool); the load
// generator shares the cores with it.
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app/app.hpp"
#include "core/crypto.hpp"
#include "domain/scheduling/rules.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "support/practitioner_fixture.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace ihos;

namespace {

std::int64_t Arg(int argc, char** argv, const char* name, std::int64_t def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == name) return std::stoll(argv[i + 1]);
  return def;
}
std::string ArgS(int argc, char** argv, const char* name, std::string def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == name) return argv[i + 1];
  return def;
}

template <class T>
T Must(Result<T> r, const char* what) {
  if (!r) {
    std::cerr << what << ": " << r.error().code << " " << r.error().detail << "\n";
    std::exit(1);
  }
  return std::move(*r);
}

// Patients with sessions, inserted by SQL (no Argon2id: the bench measures booking).
std::vector<std::string> SeedPatients(store::Database& db, int from, int n) {
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::vector<std::string> tokens;
  for (auto& p : testing::InsertPatients(db, n, "bench" + std::to_string(from), now)) tokens.push_back(p.token);
  return tokens;
}

std::int64_t NewDoctor(app::App& app, int i, const std::vector<std::pair<int, int>>& periods, int capacity) {
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  auto uid = Must(app.db().With<std::int64_t>(store::TxMode::write,
                                              [&](store::Tx& tx) -> Result<std::int64_t> {
                                                auto r = tx.Query(
                                                    "INSERT INTO users (real_name, id_number, birth_date, sex, "
                                                    "created_at) VALUES ('压测医生', $1, '1980-01-01', 'male', $2) "
                                                    "RETURNING id",
                                                    {"BENCHDOC" + std::to_string(i), now});
                                                if (!r) return r.error();
                                                return r->front().Int(0);
                                              }),
                  "doctor user");
  auto ids = testing::InsertPractitioner(app.db(), uid);
  std::vector<domain::scheduling::TemplatePeriod> t;
  for (int wd = 1; wd <= 7; ++wd)
    for (auto [s, e] : periods) t.push_back({wd, s, e, "text", capacity, 0, false});
  Principal doctor{uid, "压测医生", {"doctor"}};
  Must(app.scheduling().ReplaceTemplate(doctor, t), "template");
  return ids.practitioner_id;
}

// Fires one booking per (token, slot) pair over `threads` keep-alive connections.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct RunResult {
  double seconds = 0;
  double cpu_seconds = 0;  // server + load generator, this process
  int created = 0, full = 0, other = 0;
};
RunResult Fire(unsigned short port, const std::vector<std::string>& tokens, const std::vector<std::int64_t>& slot_of,
               int threads) {
  std::atomic<int> next{0}, created{0}, full{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&] {
      asio::io_context ioc;
      beast::tcp_stream stream(ioc);
      stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
      beast::flat_buffer buf;
      while (!go.load()) std::this_thread::yield();
      for (int i = next++; i < static_cast<int>(tokens.size()); i = next++) {
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/v1/appointments", 11};
        req.set(bhttp::field::host, "127.0.0.1");
        req.set(bhttp::field::content_type, "application/json");
        req.set(bhttp::field::authorization, "Bearer " + tokens[i]);
        req.keep_alive(true);
        req.body() = "{\"slot_id\":" + std::to_string(slot_of[i]) + "}";
        req.prepare_payload();
        bhttp::write(stream, req);
        bhttp::response<bhttp::string_body> res;
        bhttp::read(stream, buf, res);
        if (res.result_int() == 201) {
          ++created;
        } else if (res.result_int() == 409 && res.body().find("\"slot_full\"") != std::string::npos) {
          ++full;
        } else {
          if (other++ < 3) std::cerr << "unexpected " << res.result_int() << " " << res.body() << "\n";
        }
      }
    });
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = CpuSeconds();
  go = true;
  for (auto& t : ts) t.join();
  RunResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_seconds = CpuSeconds() - cpu0;
  r.created = created;
  r.full = full;
  r.other = other;
  return r;
}

struct Check {
  std::int64_t over_capacity, mismatched, booked_total, appointments, duplicate_queue;
};
Check Verify(store::Database& db) {
  return Must(db.With<Check>(store::TxMode::read,
                             [](store::Tx& tx) -> Result<Check> {
                               auto q = [&](const char* sql) -> std::int64_t {
                                 auto r = tx.Query(sql);
                                 return r && !r->empty() ? r->front().Int(0) : -1;
                               };
                               return Check{
                                   q("SELECT COUNT(*) FROM slots WHERE booked > capacity"),
                                   q("SELECT COUNT(*) FROM slots s WHERE s.booked <> (SELECT COUNT(*) FROM "
                                     "appointments a WHERE a.slot_id = s.id AND a.status <> 'cancelled')"),
                                   q("SELECT COALESCE(SUM(booked), 0) FROM slots"),
                                   q("SELECT COUNT(*) FROM appointments WHERE status = 'booked'"),
                                   q("SELECT COUNT(*) FROM (SELECT slot_id, queue_number FROM appointments GROUP BY "
                                     "slot_id, queue_number HAVING COUNT(*) > 1) d")};
                             }),
              "verify");
}

double LoadAverage() {
  double l[1] = {0};
  getloadavg(l, 1);
  return l[0];
}

void Report(const char* label, const RunResult& r, const Check& c) {
  std::printf("%-34s %7d attempts in %6.2f s = %8.0f req/s; %6d booked (%8.0f bookings/s), %6d slot_full, %d other\n",
              label, r.created + r.full + r.other, r.seconds, (r.created + r.full + r.other) / r.seconds, r.created,
              r.created / r.seconds, r.full, r.other);
  const int n = r.created + r.full + r.other;
  std::printf(
      "  CPU (server + client, this process): %.1f s = %.0f us per request; the machine's load average "
      "was %.1f, so wall-clock figures are lower bounds; CPU-bound ceiling on %u cores: %.0f req/s\n",
      r.cpu_seconds, 1e6 * r.cpu_seconds / n, LoadAverage(), std::thread::hardware_concurrency(),
      n / (r.cpu_seconds / std::thread::hardware_concurrency()));
  std::printf(
      "  check: slots over capacity %lld, slots whose booked != live appointments %lld, "
      "duplicate queue numbers %lld, SUM(booked) %lld = booked appointments %lld\n",
      static_cast<long long>(c.over_capacity), static_cast<long long>(c.mismatched),
      static_cast<long long>(c.duplicate_queue), static_cast<long long>(c.booked_total),
      static_cast<long long>(c.appointments));
}

// SQLite's group commit over one run: write transactions per shared commit.
void ReportGroupCommit(const std::optional<store::sqlite::GroupCommitStats>& before,
                       const std::optional<store::sqlite::GroupCommitStats>& after) {
  if (!before || !after) return;
  const auto tx = after->transactions - before->transactions;
  const auto commits = after->batches - before->batches;
  std::printf("  group commit: %llu write transactions in %llu commits (%.1f per commit)\n",
              static_cast<unsigned long long>(tx), static_cast<unsigned long long>(commits),
              commits ? static_cast<double>(tx) / static_cast<double>(commits) : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const int threads = static_cast<int>(Arg(argc, argv, "--threads", 64));
  const int patients = static_cast<int>(Arg(argc, argv, "--patients", 30000));
  const int doctors = static_cast<int>(Arg(argc, argv, "--doctors", 40));
  const int contention = static_cast<int>(Arg(argc, argv, "--contention", 3000));
  const int capacity = static_cast<int>(Arg(argc, argv, "--capacity", 500));
  std::string tmpdir;
  std::string url = ArgS(argc, argv, "--db", "");
  if (url.empty()) {
    char tmpl[] = "/tmp/ihos-booking-bench.XXXXXX";
    tmpdir = mkdtemp(tmpl);
    url = "sqlite:" + tmpdir + "/bench.db";
  }
  app::Config c;
  c.db = url;
  c.listen = "127.0.0.1:0";
  c.web_root = "/nonexistent";
  c.slot_roll_minutes = 0;
  SystemClock clock;
  auto app = Must(app::App::Create(c, clock), "app");
  const unsigned short port = app->Start();

  // Scenario 1: one slot of capacity C, K patients.
  const auto hot_doctor = NewDoctor(*app, 0, {{1200, 1260}}, capacity);
  const std::string tomorrow = AddDays(CivilDateCst(clock.NowMs()), 1);
  auto hot_slots = Must(app->scheduling().DoctorSlots(hot_doctor, tomorrow, 1), "slots");
  auto hot_tokens = SeedPatients(app->db(), 0, contention);
  std::vector<std::int64_t> hot_slot_of(hot_tokens.size(), hot_slots.at(0).id);

  // Scenario 2: D doctors x 10 one-hour periods a day x horizon, capacity 200 each.
  std::vector<std::pair<int, int>> periods;
  for (int h = 8; h < 18; ++h) periods.push_back({h * 60, h * 60 + 60});
  std::vector<std::int64_t> all_slots;
  for (int d = 1; d <= doctors; ++d) {
    const auto pid = NewDoctor(*app, d, periods, 200);
    for (const auto& s : Must(app->scheduling().DoctorSlots(pid, tomorrow, 13), "slots")) all_slots.push_back(s.id);
  }
  auto tokens = SeedPatients(app->db(), contention, patients);
  std::vector<std::int64_t> slot_of(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) slot_of[i] = all_slots[i % all_slots.size()];

  std::printf("booking bench: %s, %u cores, %d client connections (in-process server, production defaults)\n",
              url.rfind("sqlite:", 0) == 0 ? "SQLite" : "PostgreSQL", std::thread::hardware_concurrency(), threads);
  auto gc0 = store::sqlite::GroupCommit(app->db());
  auto r1 = Fire(port, hot_tokens, hot_slot_of, threads);
  auto gc1 = store::sqlite::GroupCommit(app->db());
  auto c1 = Verify(app->db());
  Report(("one slot (capacity " + std::to_string(capacity) + ")").c_str(), r1, c1);
  ReportGroupCommit(gc0, gc1);
  const bool ok1 = r1.created == capacity && c1.over_capacity == 0 && c1.mismatched == 0 && c1.duplicate_queue == 0;

  gc0 = store::sqlite::GroupCommit(app->db());
  auto r2 = Fire(port, tokens, slot_of, threads);
  gc1 = store::sqlite::GroupCommit(app->db());
  auto c2 = Verify(app->db());
  Report(("across " + std::to_string(all_slots.size()) + " slots").c_str(), r2, c2);
  ReportGroupCommit(gc0, gc1);
  const bool ok2 = c2.over_capacity == 0 && c2.mismatched == 0 && c2.duplicate_queue == 0 &&
                   c2.appointments == r1.created + r2.created && r2.other == 0;
  app->Stop();
  app.reset();
  if (!tmpdir.empty()) std::filesystem::remove_all(tmpdir);
  std::printf("double bookings: %s\n", ok1 && ok2 ? "0 (all checks passed)" : "CHECK FAILED");
  return ok1 && ok2 ? 0 : 1;
}
