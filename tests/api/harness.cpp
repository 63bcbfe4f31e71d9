#include "harness.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <cctype>
#include <chrono>

namespace ihos::apitest {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {
std::atomic<int> g_counter{0};

std::int64_t RealNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

const boost::json::value& Resp::json() const {
  if (!parsed) {
    boost::system::error_code ec;
    parsed = boost::json::parse(body, ec);
    if (ec) ADD_FAILURE() << "response is not JSON: " << body;
  }
  return *parsed;
}

std::string MakeIdNumber(const std::string& yyyymmdd) {
  // Sequence from a process-wide counter and the pid: unique across the tests of one run.
  const int n = g_counter.fetch_add(1);
  char seq[12];
  std::snprintf(seq, sizeof seq, "%03d", (n * 7 + static_cast<int>(getpid())) % 1000);
  char region[16];
  std::snprintf(region, sizeof region, "11%04d", 100 + (n / 1000) % 9000);
  std::string first17 = std::string(region) + yyyymmdd + seq;
  return first17 + ResidentIdCheckChar(first17);
}

std::string MakePhone() {
  const int n = g_counter.fetch_add(1);
  char buf[16];
  std::snprintf(buf, sizeof buf, "139%04d%04d", static_cast<int>(getpid()) % 10000, n % 10000);
  return buf;
}

TestServer::TestServer(store::Backend backend, app::Config c, std::function<void(app::App&)> before_start)
    : clock_(RealNowMs()) {
  if (!std::getenv("IHOS_TEST_VERBOSE")) spdlog::set_level(spdlog::level::warn);
  if (c.db == app::Config{}.db) c.db = testing::FreshDatabaseUrl(backend);
  c.listen = "127.0.0.1:0";
  c.password_profile = crypto::PasswordProfile::test;
  c.io_threads = 2;
  c.workers = 4;
  c.web_root = "/nonexistent-web-root";
  if (c.read_timeout_ms == app::Config{}.read_timeout_ms) c.read_timeout_ms = 2000;
  // No shedding by time waited for a worker, unless a test sets it (the LoadShedding tests do):
  // with 4 workers on a CI machine running the other suites beside it, 220 concurrent bookings
  // waited over the default second and got 503 `overloaded` — a figure of the machine's load, not
  // an answer the concurrency tests judge. The queue bound (--max-queue) stays.
  if (c.max_queue_wait_ms == app::Config{}.max_queue_wait_ms) c.max_queue_wait_ms = 0;
  c.shutdown_grace_ms = 3000;
  // Every registration sends an SMS code from 127.0.0.1: a suite registering many users would
  // pass the per-address hourly send limit (30). Raised here only, unless a test sets it.
  if (c.sms_sends_per_address == app::Config{}.sms_sends_per_address) c.sms_sends_per_address = 100000;
  auto a = app::App::Create(c, clock_);
  if (!a) throw std::runtime_error("app create failed: " + a.error().code + " " + a.error().detail);
  app_ = std::move(*a);
  if (before_start) before_start(*app_);
  port_ = app_->Start();
}

TestServer::~TestServer() {
  // Over every flow of every API test: each audited read of a patient's data by staff carries a
  // reason (RULES.md: who, when, what, why; issue 17 defect 5). Reads are the actions named
  // *.read, *.list, *.view, *.search and *.staff_read.
  auto rows = app_->db().With<store::Rows>(store::TxMode::read, [](store::Tx& tx) {
    return tx.Query(
        "SELECT action, actor_role, id FROM audit_log WHERE reason = '' AND actor_role <> 'patient' "
        "AND (action LIKE '%.read' OR action LIKE '%.list' OR action LIKE '%.view' OR action LIKE '%.search' "
        "OR action LIKE '%.staff_read')");
  });
  if (rows)  // a test that broke its own database on purpose checks nothing here
    for (const auto& r : *rows)
      ADD_FAILURE() << "audited staff read without a reason: " << r.Text(0) << " by " << r.Text(1) << " (audit row "
                    << r.Int(2) << ")";
  app_->Stop();
}

Resp TestServer::Call(bhttp::verb method, const std::string& target, const std::string& body, const std::string& token,
                      std::map<std::string, std::string> headers) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  bhttp::request<bhttp::string_body> req{method, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
  for (auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  bhttp::read(stream, buf, parser);
  auto& res = parser.get();
  Resp out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    out.headers[name] = std::string(f.value());
  }
  out.body = res.body();
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return out;
}

std::string TestServer::Raw(const std::string& bytes, int timeout_ms) {
  asio::io_context ioc;
  asio::ip::tcp::socket sock(ioc);
  sock.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  // The server may refuse and stop reading before all bytes are sent (e.g. oversized
  // headers): a failed write is fine, the answer is what the test reads below.
  boost::system::error_code wec;
  asio::write(sock, asio::buffer(bytes), wec);
  std::string out;
  char buf[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  sock.non_blocking(true);
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    std::size_t n = sock.read_some(asio::buffer(buf), ec);
    if (ec == asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

TestServer::Account TestServer::NewPatient(const std::string& name) {
  Account a{0, MakePhone(), "Health2026ok", MakeIdNumber("19900101"), ""};
  auto r = Post("/api/v1/auth/register", {{"phone", a.phone},
                                         {"password", a.password},
                                         {"real_name", name},
                                         {"id_number", a.id_number},
                                         {"sms_code", RegisterCode(a.phone)}});
  EXPECT_EQ(r.status, 201) << r.body;
  auto l = Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}});
  EXPECT_EQ(l.status, 200) << l.body;
  a.token = std::string(l.json().at("token").as_string());
  a.id = l.json().at("user").at("id").as_int64();
  return a;
}

std::string TestServer::LastSmsCode(const std::string& phone) {
  auto* demo = app_->accounts().demo_sms();
  if (!demo) return "";
  const auto recent = demo->Recent(phone);
  if (recent.empty()) return "";
  const std::string& text = recent.front().text;
  for (std::size_t i = 0; i + 6 <= text.size(); ++i) {
    bool digits = true;
    for (std::size_t j = 0; j < 6 && digits; ++j) digits = std::isdigit(static_cast<unsigned char>(text[i + j])) != 0;
    if (digits) return text.substr(i, 6);
  }
  return "";
}

std::string TestServer::RegisterCode(const std::string& phone) {
  auto r = Post("/api/v1/auth/register/code", {{"phone", phone}});
  EXPECT_EQ(r.status, 202) << r.body;
  return LastSmsCode(phone);
}

TestServer::Account TestServer::NewAdmin() {
  Account a{0, MakePhone(), "Admin2026ok", MakeIdNumber("19800101"), ""};
  auto u = app_->accounts().CreateAdmin({a.phone, a.password, "测试管理员", a.id_number});
  EXPECT_TRUE(u) << (u ? "" : u.error().code);
  auto l = Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}});
  EXPECT_EQ(l.status, 200) << l.body;
  a.token = std::string(l.json().at("token").as_string());
  a.id = l.json().at("user").at("id").as_int64();
  return a;
}

}  // namespace ihos::apitest
