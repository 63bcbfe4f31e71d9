// ihosd's flags for the WebSocket limits: parsed into app::Config, refused out of range, and
// their defaults are the hub's own (http::WsLimits).
#include "app/config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/ws_hub.hpp"

namespace ihos::app {
namespace {

ParsedConfig Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "ihosd");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return ParseConfig(static_cast<int>(argv.size()), argv.data());
}

TEST(Config, WebSocketLimitFlagsAreParsed) {
  auto p = Parse({"--ws-auth-timeout-ms", "2500", "--ws-idle-timeout-ms", "90000", "--ws-max-queue", "300",
                  "--ws-max-subscriptions", "8", "--ws-max-calls", "4", "--ws-max-frame-bytes", "131072"});
  ASSERT_EQ(p.exit_code, -1);
  EXPECT_EQ(p.config.ws_auth_timeout_ms, 2500);
  EXPECT_EQ(p.config.ws_idle_timeout_ms, 90000);
  EXPECT_EQ(p.config.ws_max_queue, 300);
  EXPECT_EQ(p.config.ws_max_subscriptions, 8);
  EXPECT_EQ(p.config.ws_max_calls, 4);
  EXPECT_EQ(p.config.ws_max_frame_bytes, 131072u);
}

TEST(Config, WebSocketDefaultsAreTheHubsDefaults) {
  auto p = Parse({});
  ASSERT_EQ(p.exit_code, -1);
  const http::WsLimits hub;
  EXPECT_EQ(p.config.ws_auth_timeout_ms, hub.auth_timeout.count());
  EXPECT_EQ(p.config.ws_idle_timeout_ms, hub.idle_timeout.count());
  EXPECT_EQ(static_cast<std::size_t>(p.config.ws_max_queue), hub.max_queue);
  EXPECT_EQ(p.config.ws_max_subscriptions, hub.max_subscriptions);
  EXPECT_EQ(p.config.ws_max_calls, hub.max_calls_in_flight);
  EXPECT_EQ(p.config.ws_max_frame_bytes, hub.max_frame);
}

TEST(Config, WebSocketLimitsOutOfRangeStopTheServer) {
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--ws-max-queue", "0"},
                                              {"--ws-max-calls", "-1"},
                                              {"--ws-max-frame-bytes", "100"},
                                              {"--ws-auth-timeout-ms", "abc"},
                                              {"--ws-idle-timeout-ms", "10"}}) {
    ::testing::internal::CaptureStderr();
    auto p = Parse(bad);
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_GT(p.exit_code, 0) << bad[0] << " " << bad[1];
    EXPECT_NE(err.find(bad[0]), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace ihos::app
