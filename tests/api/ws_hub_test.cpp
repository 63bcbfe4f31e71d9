// WebSocket /api/v1/ws: auth first, malformed frames, subscriptions with backlog and
// live events, calls, limits, slow consumers, shutdown; and two nodes on one PostgreSQL database.
// The methods and topics here are registered by the test ("test.*", "test:*").
#include <thread>

#include "harness.hpp"
#include "ws_client.hpp"

namespace ihos::apitest {
namespace api_ws_hub_test {

namespace json = boost::json;
using std::chrono::milliseconds;

// Topic "test:<key>": everyone may subscribe except to "test:secret"; the backlog is events
// {kind:"message", seq} for seq after_seq+1..3.
void RegisterTestApi(app::App& a) {
  auto& bus = a.bus();
  a.ws().AddTopic(
      "test:", [](const Principal&, std::string_view topic, std::int64_t after) -> Result<std::vector<std::string>> {
        if (topic == "test:secret") return MakeError(Errc::not_found, "not_found");
        std::vector<std::string> out;
        for (std::int64_t s = after + 1; s <= 3; ++s)
          out.push_back(R"({"kind":"message","seq":)" + std::to_string(s) + "}");
        return out;
      });
  a.ws().AddMethod("test.echo", [](const http::WsCall& c) -> Result<json::value> {
    return json::object{
        {"params", c.params}, {"user_id", c.actor.user_id}, {"locale", c.locale}, {"request_id", c.meta.request_id}};
  });
  a.ws().AddMethod("test.fail", [](const http::WsCall&) -> Result<json::value> {
    return ValidationFailed({{"text", "required"}});
  });
  a.ws().AddMethod("test.slow", [](const http::WsCall&) -> Result<json::value> {
    std::this_thread::sleep_for(milliseconds(400));
    return json::value(true);
  });
  // Publishes params.payload (or {kind:"message",seq}) on params.topic, params.count times.
  a.ws().AddMethod("test.publish", [&bus](const http::WsCall& c) -> Result<json::value> {
    const auto* topic = c.params.if_contains("topic");
    if (!topic || !topic->is_string()) return ValidationFailed({{"topic", "required"}});
    const int count = c.params.contains("count") ? static_cast<int>(c.params.at("count").to_number<int>()) : 1;
    const std::string given = c.params.contains("payload") ? json::serialize(c.params.at("payload")) : "";
    for (int i = 0; i < count; ++i)
      bus.Publish(std::string(topic->as_string()),
                  given.empty() ? R"({"kind":"message","seq":)" + std::to_string(100 + i) + "}" : given);
    return json::object{{"published", count}};
  });
}

std::unique_ptr<TestServer> NewServer(store::Backend b, app::Config c = {}) {
  return std::make_unique<TestServer>(b, c, RegisterTestApi);
}

std::string Code(const json::value& frame) { return std::string(frame.at("problem").at("code").as_string()); }

class WsTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    server_ = NewServer(GetParam());
    patient_ = server_->NewPatient();
  }
  TestServer& s() { return *server_; }
  // A connected, signed-in client.
  std::unique_ptr<WsClient> Ready(const std::string& locale = "zh-CN") {
    auto c = std::make_unique<WsClient>(s().port(), locale);
    auto r = c->Auth(patient_.token);
    EXPECT_TRUE(r && r->at("type") == "ready") << (r ? json::serialize(*r) : "no answer");
    if (r && r->at("type") == "ready") {
      EXPECT_EQ(r->at("user_id").as_int64(), patient_.id);
    }
    return c;
  }
  std::unique_ptr<TestServer> server_;
  TestServer::Account patient_;
};

TEST_P(WsTest, PlainGetIsRefusedWithProblem) {
  auto r = s().Get("/api/v1/ws");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("code"), "ws_upgrade_required");
}

TEST_P(WsTest, FirstFrameMustBeAuth) {
  WsClient c(s().port());
  c.Send({{"type", "subscribe"}, {"topic", "test:1"}});
  auto e = c.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("type"), "error");
  EXPECT_EQ(Code(*e), "ws_auth_required");
  EXPECT_EQ(e->at("problem").at("status"), 401);
  EXPECT_EQ(c.WaitClosed(), 1008);
}

TEST_P(WsTest, UnknownTokenIsRefusedAndClosed) {
  WsClient c(s().port());
  auto e = c.Auth("not-a-session-token");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("type"), "error");
  EXPECT_EQ(e->at("problem").at("status"), 401);
  EXPECT_EQ(c.WaitClosed(), 1008);
  EXPECT_EQ(c.CloseReason(), "unauthenticated");
}

TEST_P(WsTest, SilentClientIsClosedAfterAuthTimeout) {
  app::Config cfg;
  cfg.ws_auth_timeout_ms = 300;
  auto srv = NewServer(GetParam(), cfg);
  WsClient c(srv->port());
  auto e = c.Next(milliseconds(3000));
  ASSERT_TRUE(e);
  EXPECT_EQ(Code(*e), "ws_auth_timeout");
  EXPECT_EQ(c.WaitClosed(), 1008);
  EXPECT_EQ(c.CloseReason(), "auth_timeout");
}

TEST_P(WsTest, MalformedFramesGetErrorsAndTheConnectionStays) {
  auto c = Ready("en");
  const std::vector<std::string> bad = {"not json",
                                        "[1,2]",
                                        R"({"type":5})",
                                        R"({"kind":"call"})",
                                        R"({"type":"dance"})",
                                        R"({"type":"subscribe"})",
                                        R"({"type":"subscribe","topic":""})",
                                        R"({"type":"subscribe","topic":"test:1","after_seq":"x"})",
                                        R"({"type":"subscribe","topic":"test:1","after_seq":-1})",
                                        R"({"type":"call","ref":"r1"})",
                                        R"({"type":"call","ref":"r2","method":"test.echo","params":[1]})",
                                        R"({"type":"call","ref":7,"method":"test.echo"})",
                                        R"({"type":"auth","token":"again"})"};
  for (const auto& text : bad) {
    c->SendText(text);
    auto e = c->Next();
    ASSERT_TRUE(e) << text;
    EXPECT_EQ(e->at("type"), "error") << text;
    EXPECT_EQ(Code(*e), "ws_bad_frame") << text;
    EXPECT_EQ(e->at("problem").at("status"), 400) << text;
    EXPECT_EQ(e->at("problem").at("title"), "The message could not be understood.") << text;
  }
  c->SendText(R"({"type":"ping"})", /*binary=*/true);
  auto e = c->Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(Code(*e), "ws_bad_frame");
  // Still open and serving.
  c->Send({{"type", "ping"}, {"ref", "p"}});
  auto p = c->Next();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->at("type"), "pong");
  EXPECT_EQ(p->at("ref"), "p");
}

TEST_P(WsTest, OversizedFrameClosesWith1009) {
  auto c = Ready();
  c->SendText(R"({"type":"ping","pad":")" + std::string(70 * 1024, 'x') + "\"}");
  EXPECT_EQ(c->WaitClosed(), 1009);
}

// --ws-max-frame-bytes (app::Config::ws_max_frame_bytes) is the limit the hub applies.
TEST_P(WsTest, FrameLimitComesFromTheConfig) {
  app::Config cfg;
  cfg.ws_max_frame_bytes = 8 * 1024;
  auto srv = NewServer(GetParam(), cfg);
  auto patient = srv->NewPatient();
  WsClient c(srv->port());
  auto r = c.Auth(patient.token);
  ASSERT_TRUE(r && r->at("type") == "ready");
  c.SendText(R"({"type":"ping","ref":"small","pad":")" + std::string(6 * 1024, 'x') + "\"}");
  auto p = c.Next();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->at("type"), "pong");
  c.SendText(R"({"type":"ping","pad":")" + std::string(10 * 1024, 'x') + "\"}");
  EXPECT_EQ(c.WaitClosed(), 1009);
}

TEST_P(WsTest, SubscribeSendsBacklogThenLiveEvents) {
  auto c = Ready();
  c->Send({{"type", "subscribe"}, {"ref", "s1"}, {"topic", "test:42"}, {"after_seq", 1}});
  for (int seq : {2, 3}) {
    auto e = c->Next();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->at("type"), "event");
    EXPECT_EQ(e->at("topic"), "test:42");
    EXPECT_EQ(e->at("event").at("seq"), seq);
  }
  auto ack = c->Next();
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->at("type"), "subscribed");
  EXPECT_EQ(ack->at("ref"), "s1");
  EXPECT_EQ(ack->at("backlog"), 2);

  // A second client publishes; the first one receives it live, the publisher's call answers.
  auto other = Ready();
  other->Send({{"type", "call"},
               {"ref", "c1"},
               {"method", "test.publish"},
               {"params", {{"topic", "test:42"}, {"payload", {{"kind", "message"}, {"seq", 4}, {"text", "你好"}}}}}});
  auto res = other->NextOf("result");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->at("ref"), "c1");
  auto ev = c->NextOf("event");
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->at("event").at("seq"), 4);
  EXPECT_EQ(ev->at("event").at("text"), "你好");

  // Other topics do not arrive; after unsubscribing nothing arrives.
  other->Send({{"type", "call"}, {"method", "test.publish"}, {"params", {{"topic", "test:43"}}}});
  c->Send({{"type", "unsubscribe"}, {"ref", "u"}, {"topic", "test:42"}});
  auto un = c->Next();
  ASSERT_TRUE(un);
  EXPECT_EQ(un->at("type"), "unsubscribed");
  other->Send({{"type", "call"}, {"method", "test.publish"}, {"params", {{"topic", "test:42"}}}});
  EXPECT_FALSE(c->NextOf("event", milliseconds(300)));
}

TEST_P(WsTest, TopicsRefuseWhatTheUserMayNotSee) {
  auto c = Ready();
  c->Send({{"type", "subscribe"}, {"ref", "a"}, {"topic", "test:secret"}});
  auto e = c->Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("type"), "error");
  EXPECT_EQ(e->at("ref"), "a");
  EXPECT_EQ(e->at("problem").at("status"), 404);
  c->Send({{"type", "subscribe"}, {"ref", "b"}, {"topic", "nosuch:1"}});
  e = c->Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(Code(*e), "ws_topic_not_found");
  c->Send({{"type", "unsubscribe"}, {"ref", "c"}, {"topic", "test:1"}});
  e = c->Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(Code(*e), "ws_not_subscribed");
  // Subscribing twice to one topic is refused.
  c->Send({{"type", "subscribe"}, {"topic", "test:9"}, {"after_seq", 3}});
  ASSERT_TRUE(c->NextOf("subscribed"));
  c->Send({{"type", "subscribe"}, {"topic", "test:9"}});
  e = c->Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(Code(*e), "ws_already_subscribed");
}

TEST_P(WsTest, CallsAnswerWithRefResultOrProblem) {
  auto c = Ready("en");
  c->Send({{"type", "call"}, {"ref", "e1"}, {"method", "test.echo"}, {"params", {{"a", 1}}}});
  auto r = c->Next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at("type"), "result");
  EXPECT_EQ(r->at("ref"), "e1");
  EXPECT_EQ(r->at("result").at("params").at("a"), 1);
  EXPECT_EQ(r->at("result").at("user_id"), patient_.id);
  EXPECT_EQ(r->at("result").at("locale"), "en");
  EXPECT_FALSE(r->at("result").at("request_id").as_string().empty());

  c->Send({{"type", "call"}, {"ref", "f1"}, {"method", "test.fail"}});
  auto e = c->Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("type"), "error");
  EXPECT_EQ(e->at("ref"), "f1");
  EXPECT_EQ(Code(*e), "validation_failed");
  EXPECT_EQ(e->at("problem").at("status"), 400);
  EXPECT_EQ(e->at("problem").at("errors").at(0).at("field"), "text");
  EXPECT_FALSE(e->at("problem").at("request_id").as_string().empty());

  c->Send({{"type", "call"}, {"ref", "n1"}, {"method", "no.such"}});
  e = c->Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("ref"), "n1");
  EXPECT_EQ(Code(*e), "ws_method_not_found");
  EXPECT_EQ(e->at("problem").at("status"), 404);
}

TEST_P(WsTest, LimitsOnSubscriptionsAndCallsInFlight) {
  app::Config cfg;
  cfg.ws_max_subscriptions = 2;
  cfg.ws_max_calls = 2;
  auto srv = NewServer(GetParam(), cfg);
  auto who = srv->NewPatient();
  WsClient c(srv->port());
  ASSERT_EQ(c.Auth(who.token)->at("type"), "ready");
  for (int i = 0; i < 2; ++i) {
    c.Send({{"type", "subscribe"}, {"topic", "test:" + std::to_string(i)}, {"after_seq", 3}});
    ASSERT_TRUE(c.NextOf("subscribed"));
  }
  c.Send({{"type", "subscribe"}, {"ref", "x"}, {"topic", "test:x"}});
  auto e = c.Next();
  ASSERT_TRUE(e);
  EXPECT_EQ(Code(*e), "ws_too_many_subscriptions");
  EXPECT_EQ(e->at("problem").at("status"), 429);

  for (int i = 0; i < 3; ++i) c.Send({{"type", "call"}, {"ref", "s" + std::to_string(i)}, {"method", "test.slow"}});
  int results = 0, refused = 0;
  for (int i = 0; i < 3; ++i) {
    auto f = c.Next();
    ASSERT_TRUE(f);
    if (f->at("type") == "result")
      ++results;
    else if (Code(*f) == "ws_too_many_calls")
      ++refused;
  }
  EXPECT_EQ(results, 2);
  EXPECT_EQ(refused, 1);
}

TEST_P(WsTest, SlowConsumerIsClosedWithReason) {
  app::Config cfg;
  cfg.ws_max_queue = 4;
  auto srv = NewServer(GetParam(), cfg);
  auto who = srv->NewPatient();
  WsClient c(srv->port());
  ASSERT_EQ(c.Auth(who.token)->at("type"), "ready");
  c.Send({{"type", "subscribe"}, {"topic", "test:flood"}, {"after_seq", 3}});
  ASSERT_TRUE(c.NextOf("subscribed"));
  // Many events at once on the bus fill the connection's queue faster than it drains.
  c.Send({{"type", "call"},
          {"method", "test.publish"},
          {"params", {{"topic", "test:flood"}, {"count", 2000}, {"payload", {{"pad", std::string(6000, 'x')}}}}}});
  EXPECT_EQ(c.WaitClosed(), 1008);
  EXPECT_EQ(c.CloseReason(), "slow_consumer");
  auto m = srv->Get("/metrics");
  EXPECT_NE(m.body.find("ihos_ws_slow_consumer_closes_total 1"), std::string::npos) << m.body;
}

TEST_P(WsTest, MetricsCountConnectionsAndFrames) {
  auto c = Ready();
  c->Send({{"type", "ping"}});
  ASSERT_TRUE(c->Next());
  auto m = s().Get("/metrics");
  EXPECT_NE(m.body.find("ihos_ws_connections 1\n"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("ihos_ws_frames_received_total 2\n"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("ihos_ws_frames_sent_total "), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("ihos_ws_connections_total 1\n"), std::string::npos) << m.body;
}

TEST_P(WsTest, ShutdownClosesSocketsWithGoingAway) {
  auto c = Ready();
  c->Send({{"type", "subscribe"}, {"topic", "test:1"}});
  ASSERT_TRUE(c->NextOf("subscribed"));
  std::thread stop([&] { s().app().Stop(); });
  EXPECT_EQ(c->WaitClosed(), 1001);
  stop.join();
}

INSTANTIATE_TEST_SUITE_P(Backends, WsTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

// Two ihosd nodes (in-process Apps with their own servers) on one PostgreSQL database: an
// event published through node A reaches a client subscribed on node B, and back.
bool Listening(TestServer& s) {
  return WaitFor([&] { return s.Get("/metrics").body.find("ihos_bus_listening 1") != std::string::npos; });
}

TEST(WsTwoNodes, EventPublishedOnNodeAReachesSubscriberOnNodeB) {
  app::Config cfg;
  cfg.db = testing::FreshDatabaseUrl(store::Backend::postgres);
  TestServer a(store::Backend::postgres, cfg, RegisterTestApi);
  TestServer b(store::Backend::postgres, cfg, RegisterTestApi);
  ASSERT_TRUE(Listening(a));
  ASSERT_TRUE(Listening(b));
  auto alice = a.NewPatient("测试甲");
  auto bob = a.NewPatient("测试乙");  // the account lives in the shared database

  WsClient on_b(b.port());
  ASSERT_EQ(on_b.Auth(bob.token)->at("type"), "ready");
  on_b.Send({{"type", "subscribe"}, {"topic", "test:room"}, {"after_seq", 3}});
  ASSERT_TRUE(on_b.NextOf("subscribed"));
  WsClient on_a(a.port());
  ASSERT_EQ(on_a.Auth(alice.token)->at("type"), "ready");
  on_a.Send({{"type", "subscribe"}, {"topic", "test:room"}, {"after_seq", 3}});
  ASSERT_TRUE(on_a.NextOf("subscribed"));

  on_a.Send(
      {{"type", "call"},
       {"ref", "m"},
       {"method", "test.publish"},
       {"params", {{"topic", "test:room"}, {"payload", {{"kind", "message"}, {"seq", 7}, {"text", "从A节点"}}}}}});
  auto ev = on_b.NextOf("event");
  ASSERT_TRUE(ev) << "node B did not receive node A's event";
  EXPECT_EQ(ev->at("topic"), "test:room");
  EXPECT_EQ(ev->at("event").at("seq"), 7);
  EXPECT_EQ(ev->at("event").at("text"), "从A节点");
  // On node A: the call's result and the event for A's own subscriber, exactly once.
  int results = 0, events = 0;
  while (auto f = on_a.Next(milliseconds(500))) {
    if (f->at("type") == "result") ++results;
    if (f->at("type") == "event") {
      ++events;
      EXPECT_EQ(f->at("event").at("seq"), 7);
    }
  }
  EXPECT_EQ(results, 1);
  EXPECT_EQ(events, 1);

  // And back from B to A.
  on_b.Send({{"type", "call"},
             {"method", "test.publish"},
             {"params", {{"topic", "test:room"}, {"payload", {{"kind", "message"}, {"seq", 8}}}}}});
  ASSERT_TRUE(on_b.NextOf("event"));  // its own, delivered locally
  auto back = on_a.NextOf("event");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->at("event").at("seq"), 8);

  // An event too big for a notification crosses as a "changed" hint.
  on_a.Send(
      {{"type", "call"},
       {"method", "test.publish"},
       {"params", {{"topic", "test:room"}, {"payload", {{"kind", "message"}, {"text", std::string(9000, 'x')}}}}}});
  auto hint = on_b.NextOf("event");
  ASSERT_TRUE(hint);
  EXPECT_EQ(hint->at("event").at("kind"), "changed");
}

}  // namespace api_ws_hub_test
}  // namespace ihos::apitest
