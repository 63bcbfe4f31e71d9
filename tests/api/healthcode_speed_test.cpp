// Load shedding (the health code's speed work): past the worker-pool queue bound, or after waiting
// too long for a worker, a request is answered 503 `overloaded` with Retry-After without running
// its handler; /healthz still answers; the server serves again at once when the load is gone.
// Deterministic: one worker, a handler that blocks until the test releases it, a tiny bound.
#include <atomic>
#include <future>
#include <thread>

#include "harness.hpp"

namespace ihos::apitest {
namespace api_healthcode_speed_test {

namespace bhttp = boost::beast::http;

std::unique_ptr<app::App> MakeApp(const Clock& clock, app::Config c) {
  c.db = testing::FreshDatabaseUrl(store::Backend::sqlite);
  c.listen = "127.0.0.1:0";
  c.web_root = "/nonexistent";
  c.password_profile = crypto::PasswordProfile::test;
  c.workers = 1;
  auto a = app::App::Create(c, clock);
  if (!a) throw std::runtime_error("app create failed: " + a.error().code);
  return std::move(*a);
}

struct Got {
  int status = 0;
  std::string retry_after, body;
};

Got GetOnce(unsigned short port, const std::string& target) {
  boost::asio::io_context io;
  boost::beast::tcp_stream st(io);
  st.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  bhttp::write(st, req);
  boost::beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  boost::system::error_code ec;
  bhttp::read(st, buf, res, ec);
  if (ec) return {};
  return Got{static_cast<int>(res.result_int()), std::string(res[bhttp::field::retry_after]), res.body()};
}

// A route whose handler blocks until `release` is set; `entered` counts the runs.
struct Blocker {
  std::atomic<int> entered{0};
  std::promise<void> gate;
  std::shared_future<void> release{gate.get_future().share()};
  void Install(app::App& app) {
    app.router().Add(
        http::Verb::get, "/api/v1/test/block", http::Access::Anyone(),
        [this](http::Request&) -> Result<http::Reply> {
          ++entered;
          release.wait();
          return http::Reply::Json(boost::json::object{{"done", true}});
        },
        "test only");
  }
};

template <class F>
void WaitFor(F&& cond) {  // polls a condition of the server's own gauges; no timing is asserted
  for (int i = 0; i < 5000 && !cond(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(cond());
}

TEST(LoadShedding, PastTheQueueBoundRequestsGet503WithRetryAfterAndTheServerRecovers) {
  ManualClock clock(0);
  app::Config c;
  c.max_queue = 1;
  c.max_queue_wait_ms = 0;
  auto app = MakeApp(clock, c);
  Blocker b;
  b.Install(*app);
  const unsigned short port = app->Start();
  auto& server = app->server();

  auto first = std::async(std::launch::async, [port] { return GetOnce(port, "/api/v1/test/block"); });
  WaitFor([&] { return server.pool_busy() == 1; });  // the only worker is held
  auto second = std::async(std::launch::async, [port] { return GetOnce(port, "/api/v1/test/block"); });
  WaitFor([&] { return server.pool_queue() == 1; });  // one request waits: the bound is reached

  const Got shed = GetOnce(port, "/api/v1/test/block");
  EXPECT_EQ(shed.status, 503);
  EXPECT_EQ(shed.retry_after, "1");
  EXPECT_NE(shed.body.find("\"code\":\"overloaded\""), std::string::npos) << shed.body;
  EXPECT_NE(shed.body.find("请稍后重试"), std::string::npos) << shed.body;
  EXPECT_EQ(b.entered.load(), 1) << "a shed request must not run its handler";
  EXPECT_EQ(server.shed(), 1u);
  EXPECT_EQ(GetOnce(port, "/healthz").status, 200) << "liveness is never shed";

  b.gate.set_value();  // the load drops
  EXPECT_EQ(first.get().status, 200);
  EXPECT_EQ(second.get().status, 200);
  const Got after = GetOnce(port, "/api/v1/test/block");
  EXPECT_EQ(after.status, 200) << "admitted again as soon as the queue is below the bound";
  EXPECT_EQ(b.entered.load(), 3);
  const Got metrics = GetOnce(port, "/metrics");
  EXPECT_NE(metrics.body.find("ihos_http_shed_total 1"), std::string::npos) << metrics.body;
  app->Stop();
}

TEST(LoadShedding, ARequestThatWaitedPastTheBoundIsAnswered503WithoutRunning) {
  ManualClock clock(0);
  app::Config c;
  c.max_queue = 0;            // no queue bound: only the wait bound
  c.max_queue_wait_ms = 500;  // generous: the first request, on an idle pool, must stay under it
  auto app = MakeApp(clock, c);
  Blocker b;
  b.Install(*app);
  const unsigned short port = app->Start();
  auto& server = app->server();

  auto first = std::async(std::launch::async, [port] { return GetOnce(port, "/api/v1/test/block"); });
  WaitFor([&] { return server.pool_busy() == 1; });
  auto second = std::async(std::launch::async, [port] { return GetOnce(port, "/api/v1/test/block"); });
  WaitFor([&] { return server.pool_queue() == 1; });
  // The request was queued before this moment: once 500 ms (plus a margin) have passed since,
  // it has waited past the bound. The server measures the wait on the steady clock, so the test
  // waits on the same clock instead of sleeping a fixed time.
  const auto queued_by = std::chrono::steady_clock::now();
  WaitFor([&] { return std::chrono::steady_clock::now() - queued_by > std::chrono::milliseconds(550); });
  EXPECT_EQ(server.pool_queue(), 1) << "still waiting for the held worker";
  b.gate.set_value();
  EXPECT_EQ(first.get().status, 200);
  const Got waited = second.get();
  EXPECT_EQ(waited.status, 503);
  EXPECT_EQ(waited.retry_after, "1");
  EXPECT_EQ(b.entered.load(), 1) << "a request shed after waiting must not run its handler";
  app->Stop();
}

}  // namespace api_healthcode_speed_test
}  // namespace ihos::apitest
