// Connection limits and graceful shutdown of the real server.
#include <atomic>
#include <future>
#include <thread>

#include "harness.hpp"

namespace ihos::apitest {
namespace api_lifecycle_test {

// An App on a fresh SQLite database on port 0, not yet started, so a test can add routes.
std::unique_ptr<app::App> MakeApp(const Clock& clock, app::Config c = {}) {
  c.db = testing::FreshDatabaseUrl(store::Backend::sqlite);
  c.listen = "127.0.0.1:0";
  c.web_root = "/nonexistent";
  c.password_profile = crypto::PasswordProfile::test;
  auto a = app::App::Create(c, clock);
  if (!a) throw std::runtime_error("app create failed: " + a.error().code);
  return std::move(*a);
}

struct RawResponse {
  boost::system::error_code ec;  // set when the connection ended without a response
  boost::beast::http::response<boost::beast::http::string_body> res;
};

// One GET on its own connection, blocking until the response or the connection's end.
RawResponse GetOnce(unsigned short port, const std::string& target, std::map<std::string, std::string> headers = {}) {
  boost::asio::io_context io;
  boost::beast::tcp_stream st(io);
  st.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  boost::beast::http::request<boost::beast::http::empty_body> req{boost::beast::http::verb::get, target, 11};
  for (auto& [k, v] : headers) req.set(k, v);
  boost::beast::http::write(st, req);
  boost::beast::flat_buffer buf;
  RawResponse out;
  boost::beast::http::read(st, buf, out.res, out.ec);
  return out;
}

}  // namespace api_lifecycle_test
}  // namespace ihos::apitest

namespace ihos::apitest {
namespace api_lifecycle_test {

TEST(Lifecycle, ConnectionsPastTheLimitGet503) {
  app::Config c;
  c.max_connections = 2;
  TestServer s(store::Backend::sqlite, c);
  boost::asio::io_context ioc;
  std::vector<boost::asio::ip::tcp::socket> held;
  for (int i = 0; i < 2; ++i) {
    held.emplace_back(ioc);
    held.back().connect({boost::asio::ip::make_address("127.0.0.1"), s.port()});
  }
  ASSERT_TRUE(WaitFor([&] { return s.app().server().open_connections() == 2; }));
  auto raw = s.Raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
  EXPECT_EQ(raw.rfind("HTTP/1.1 503", 0), 0u) << raw.substr(0, 200);
  EXPECT_NE(raw.find("too_many_connections"), std::string::npos);
  held.clear();
  ASSERT_TRUE(WaitFor([&] { return s.app().server().open_connections() == 0; }));
  EXPECT_EQ(s.Get("/healthz").status, 200);
}

TEST(Lifecycle, ShutdownFinishesInFlightRequestsAndClosesIdleOnes) {
  ManualClock clock(0);
  auto owned = MakeApp(clock);
  auto& app = *owned;
  // A slow handler standing in for a long database call.
  std::atomic<bool> started{false};
  app.router().Add(
      http::Verb::get, "/api/v1/test/slow", http::Access::Anyone(),
      [&started](http::Request&) -> Result<http::Reply> {
        started = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        return http::Reply::Json(boost::json::object{{"done", true}});
      },
      "test only");
  const unsigned short port = app.Start();

  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket idle(ioc);
  idle.connect({boost::asio::ip::make_address("127.0.0.1"), port});

  auto slow = std::async(std::launch::async, [port] { return GetOnce(port, "/api/v1/test/slow"); });
  ASSERT_TRUE(WaitFor([&] { return started.load(); }));  // the request is in flight
  app.Stop();                                            // blocks until the in-flight request is answered

  auto answered = slow.get();
  EXPECT_FALSE(answered.ec) << answered.ec.message();
  EXPECT_EQ(answered.res.result_int(), 200u);
  EXPECT_FALSE(answered.res.keep_alive()) << "the last response of a stopping server closes the connection";
  // The idle connection was closed by the server.
  char byte;
  boost::system::error_code ec;
  idle.read_some(boost::asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) << ec.message();
  // Nothing listens any more.
  boost::asio::ip::tcp::socket late(ioc);
  late.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_TRUE(ec) << "the server still accepts connections after Stop";
}

}  // namespace api_lifecycle_test
}  // namespace ihos::apitest

namespace ihos::apitest {
namespace api_lifecycle_test {

TEST(Lifecycle, ABugAnswers500WithTheRequestIdAndNoInternals) {
  ManualClock clock(0);
  auto app = MakeApp(clock);
  app->router().Add(
      http::Verb::get, "/api/v1/test/bug", http::Access::Anyone(),
      [](http::Request&) -> Result<http::Reply> { throw std::runtime_error("secret internals: users table corrupt"); },
      "test only");
  const unsigned short port = app->Start();
  auto [ec, res] = GetOnce(port, "/api/v1/test/bug", {{"X-Request-Id", "trace-me-123"}});
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 500u);
  EXPECT_EQ(res["X-Request-Id"], "trace-me-123");
  EXPECT_NE(res.body().find("\"request_id\":\"trace-me-123\""), std::string::npos);
  EXPECT_NE(res.body().find("\"code\":\"internal_error\""), std::string::npos);
  EXPECT_EQ(res.body().find("secret"), std::string::npos);
  app->Stop();
}

}  // namespace api_lifecycle_test
}  // namespace ihos::apitest

namespace ihos::apitest {
namespace api_lifecycle_test {

TEST(Lifecycle, PastTheGracePeriodBusyConnectionsAreClosedAndStopStillWaitsForTheHandler) {
  ManualClock clock(0);
  app::Config c;
  c.shutdown_grace_ms = 200;
  auto app = MakeApp(clock, c);
  std::atomic<bool> started{false}, handler_done{false};
  app->router().Add(
      http::Verb::get, "/api/v1/test/very-slow", http::Access::Anyone(),
      [&started, &handler_done](http::Request&) -> Result<http::Reply> {
        started = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1200));
        handler_done = true;
        return http::Reply::NoContent();
      },
      "test only");
  const unsigned short port = app->Start();
  auto client = std::async(std::launch::async, [port] { return GetOnce(port, "/api/v1/test/very-slow"); });
  ASSERT_TRUE(WaitFor([&] { return started.load(); }));  // the request is in flight
  app->Stop();
  EXPECT_TRUE(handler_done) << "Stop returned while a handler was still running";
  EXPECT_TRUE(client.get().ec) << "the client got a response after the grace period";
  app.reset();  // destroying the App after a forced close must be clean (ASan found a use-after-free here)
}

}  // namespace api_lifecycle_test
}  // namespace ihos::apitest
