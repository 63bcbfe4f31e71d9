#pragma once
// API test harness: a real ihosd App in-process on a fresh database (SQLite or PostgreSQL),
// listening on 127.0.0.1 with port 0, and a small blocking HTTP client.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "app/app.hpp"
#include "core/resident_id.hpp"
#include "support/test_db.hpp"

namespace ihos::apitest {

// Polls `done` every 2 ms until it returns true or `timeout` passes; returns its last answer.
// Tests wait on a condition this way, never on a fixed sleep: fast when the condition comes
// early, patient on a loaded machine. Assert on the result (ASSERT_TRUE(WaitFor(...))).
template <class Pred>
bool WaitFor(Pred&& done, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

struct Resp {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  // The body parsed as JSON (parsed once, kept with the response).
  const boost::json::value& json() const;
  mutable std::optional<boost::json::value> parsed;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class TestServer {
 public:
  // `overrides.db` is kept when set (two servers on one database); otherwise a fresh database.
  // `before_start` runs after the App is built and before it listens (register WS methods).
  explicit TestServer(store::Backend backend, app::Config overrides = {},
                      std::function<void(app::App&)> before_start = {});
  ~TestServer();
  unsigned short port() const { return port_; }
  app::App& app() { return *app_; }
  ManualClock& clock() { return clock_; }

  Resp Call(boost::beast::http::verb method, const std::string& target, const std::string& body = "",
            const std::string& token = "", std::map<std::string, std::string> headers = {});
  Resp Get(const std::string& target, const std::string& token = "") {
    return Call(boost::beast::http::verb::get, target, "", token);
  }
  Resp Post(const std::string& target, const boost::json::value& body, const std::string& token = "") {
    return Call(boost::beast::http::verb::post, target, boost::json::serialize(body), token);
  }
  // Sends raw bytes on a new connection and reads until the server closes (or timeout_ms).
  std::string Raw(const std::string& bytes, int timeout_ms = 5000);

  // Registers an adult patient (a fresh valid ID number and phone each call) and logs in.
  struct Account {
    std::int64_t id;
    std::string phone, password, id_number, token;
  };
  Account NewPatient(const std::string& name = "测试患者");
  // Asks for a registration code for `phone` (POST /api/v1/auth/register/code) and reads it from
  // the demo SMS provider, as a tester would on the demo SMS page. "" when none came.
  std::string RegisterCode(const std::string& phone);
  // The code in the newest demo SMS to `phone`, "" when none.
  std::string LastSmsCode(const std::string& phone);
  Account NewAdmin();

 private:
  ManualClock clock_;
  std::unique_ptr<app::App> app_;
  unsigned short port_ = 0;
};

// A valid ID number born on `yyyymmdd`, unique per call in this process.
std::string MakeIdNumber(const std::string& yyyymmdd);
std::string MakePhone();

class ApiTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override { server_ = std::make_unique<TestServer>(GetParam()); }
  void TearDown() override { server_.reset(); }
  TestServer& s() { return *server_; }
  std::unique_ptr<TestServer> server_;
};

}  // namespace ihos::apitest
