// Consultation chat over the WebSocket across two nodes: two ihosd Apps with their own
// servers on one PostgreSQL database. A message sent through node A (WS call consultation.send)
// reaches the doctor subscribed on node B, the doctor's answer sent on node B (HTTP) reaches the
// patient on node A, and a client that reconnects with its last seq gets exactly the missing ones.
#include <thread>

#include "harness.hpp"
#include "support/practitioner_fixture.hpp"
#include "ws_client.hpp"

namespace ihos::apitest {
namespace api_ws_consultation_test {

namespace json = boost::json;
using std::chrono::milliseconds;

bool Listening(TestServer& s) {
  return WaitFor([&] { return s.Get("/metrics").body.find("ihos_bus_listening 1") != std::string::npos; });
}

// The next consultation message event (skipping other frames and events), or nullopt.
std::optional<json::object> NextMessage(WsClient& c, milliseconds timeout = milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto f = c.NextOf("event", left);
    if (!f) return std::nullopt;
    const auto& ev = f->at("event").as_object();
    if (ev.at("kind") == "message") return ev.at("message").as_object();
  }
}

TEST(WsConsultationTwoNodes, MessageSentThroughNodeAReachesTheDoctorOnNodeB) {
  app::Config cfg;
  cfg.db = testing::FreshDatabaseUrl(store::Backend::postgres);
  TestServer a(store::Backend::postgres, cfg);
  TestServer b(store::Backend::postgres, cfg);
  ASSERT_TRUE(Listening(a));
  ASSERT_TRUE(Listening(b));
  auto patient = a.NewPatient("测试患者");
  auto doctor = a.NewPatient("测试医生");
  const auto practitioner = testing::InsertPractitioner(a.app().db(), doctor.id).practitioner_id;

  auto started =
      a.Post("/api/v1/consultations",
             {{"kind", "text"},
              {"practitioner_id", practitioner},
              {"intake", {{"chief_complaint", "咳嗽三天，夜间加重"}, {"duration", "3天"}, {"symptoms", {"咳嗽"}}}}},
             patient.token);
  ASSERT_EQ(started.status, 201) << started.body;
  const auto id = started.json().at("id").as_int64();
  const std::string topic = "consultation:" + std::to_string(id);
  auto accepted = b.Post("/api/v1/consultations/" + std::to_string(id) + "/accept", json::object{}, doctor.token);
  ASSERT_EQ(accepted.status, 200) << accepted.body;

  // The doctor follows the consultation on node B, the patient on node A.
  auto on_b = std::make_unique<WsClient>(b.port());
  ASSERT_EQ(on_b->Auth(doctor.token)->at("type"), "ready");
  on_b->Send({{"type", "subscribe"}, {"topic", topic}, {"after_seq", 0}});
  ASSERT_TRUE(on_b->NextOf("subscribed"));
  WsClient on_a(a.port());
  ASSERT_EQ(on_a.Auth(patient.token)->at("type"), "ready");
  on_a.Send({{"type", "subscribe"}, {"topic", topic}, {"after_seq", 0}});
  ASSERT_TRUE(on_a.NextOf("subscribed"));

  // Patient → doctor: sent on node A over the WebSocket, answered after the commit.
  on_a.Send(
      {{"type", "call"},
       {"ref", "p1"},
       {"method", "consultation.send"},
       {"params",
        {{"consultation_id", id}, {"client_msg_id", "p-1"}, {"kind", "text"}, {"text", "医生您好，我咳嗽三天了"}}}});
  auto result = on_a.NextOf("result");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->at("ref"), "p1");
  const auto seq = result->at("result").at("seq").as_int64();
  auto got = NextMessage(*on_b);
  ASSERT_TRUE(got) << "the doctor on node B did not receive the patient's message sent through node A";
  EXPECT_EQ(got->at("seq"), seq);
  EXPECT_EQ(got->at("text"), "医生您好，我咳嗽三天了");
  EXPECT_EQ(got->at("sender_id"), patient.id);

  // Doctor → patient: sent on node B over HTTP, reaches the patient on node A.
  auto reply =
      b.Post("/api/v1/consultations/" + std::to_string(id) + "/messages",
             {{"client_msg_id", "d-1"}, {"kind", "text"}, {"text", "夜里咳得厉害吗？有没有发烧？"}}, doctor.token);
  ASSERT_EQ(reply.status, 201) << reply.body;
  std::optional<json::object> back;
  while ((back = NextMessage(on_a)) && back->at("client_msg_id") != "d-1") {
  }
  ASSERT_TRUE(back) << "the patient on node A did not receive the doctor's reply sent on node B";
  EXPECT_EQ(back->at("seq"), seq + 1);

  // The doctor's connection drops; two messages are sent meanwhile; on reconnecting (to node B
  // again) with the last seq it saw, the doctor gets exactly the missing ones, in order.
  on_b.reset();
  for (int i = 2; i <= 3; ++i) {
    on_a.Send({{"type", "call"},
               {"ref", "p" + std::to_string(i)},
               {"method", "consultation.send"},
               {"params",
                {{"consultation_id", id},
                 {"client_msg_id", "p-" + std::to_string(i)},
                 {"kind", "text"},
                 {"text", "补充" + std::to_string(i)}}}});
    ASSERT_TRUE(on_a.NextOf("result"));
  }
  WsClient again(b.port());
  ASSERT_EQ(again.Auth(doctor.token)->at("type"), "ready");
  again.Send({{"type", "subscribe"}, {"topic", topic}, {"after_seq", seq + 1}});
  std::vector<std::int64_t> seqs;
  for (;;) {
    auto f = again.Next();
    ASSERT_TRUE(f);
    if (f->at("type") == "subscribed") break;
    ASSERT_EQ(f->at("type"), "event");
    if (f->at("event").at("kind") == "message") seqs.push_back(f->at("event").at("message").at("seq").as_int64());
  }
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{seq + 2, seq + 3}));

  // A non-party cannot follow the consultation on either node.
  auto stranger = a.NewPatient("无关用户");
  WsClient nosy(b.port());
  ASSERT_EQ(nosy.Auth(stranger.token)->at("type"), "ready");
  nosy.Send({{"type", "subscribe"}, {"topic", topic}});
  auto refused = nosy.Next();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->at("type"), "error");
  EXPECT_EQ(refused->at("problem").at("status"), 404);
}

}  // namespace api_ws_consultation_test
}  // namespace ihos::apitest
