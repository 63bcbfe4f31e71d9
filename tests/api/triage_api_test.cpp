// POST /api/v1/triage: anyone may call it; red flags come first; without a model the answer is
// the red flags plus the department list; bad input is a 400 naming the field; past 30 requests a
// minute from one address, 429 with Retry-After. The cases with a model need the triage data
// folder (tests/support/triage_model.hpp) and fail without it.
#include "api/harness.hpp"
#include "support/triage_model.hpp"

namespace ihos::apitest {
namespace api_triage_api_test {
namespace json = boost::json;

app::Config NoModel() {
  app::Config c;
  c.triage_model = "/nonexistent/triage.bin";
  return c;
}

class TriageApiTest : public ::testing::TestWithParam<store::Backend> {};

TEST_P(TriageApiTest, WithoutModelRedFlagsStillAnswerAndTheDepartmentListIsOffered) {
  TestServer s(GetParam(), NoModel());
  auto r = s.Post("/api/v1/triage", json::object{{"text", "我爸突然胸痛，出了一身冷汗，喘不上气"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& o = r.json().as_object();
  EXPECT_EQ(o.at("urgency").as_string(), "emergency");
  EXPECT_EQ(o.at("emergency_number").as_string(), "120");
  EXPECT_TRUE(o.at("hotline").is_null());
  ASSERT_FALSE(o.at("red_flags").as_array().empty());
  const auto& flag = o.at("red_flags").as_array()[0].as_object();
  EXPECT_EQ(flag.at("rule").as_string(), "chest_pain_warning_signs");
  EXPECT_FALSE(flag.at("reason_zh").as_string().empty());
  EXPECT_FALSE(flag.at("reason_en").as_string().empty());
  EXPECT_FALSE(o.at("model_available").as_bool());
  EXPECT_TRUE(o.at("departments").as_array().empty());
  EXPECT_EQ(o.at("fallback_department").as_object().at("name_zh").as_string(), "全科");
  const auto& choose = o.at("choose_from").as_array();
  EXPECT_EQ(choose.size(), 33u);  // every department but the emergency department
  EXPECT_FALSE(o.at("rules_version").as_string().empty());
}

TEST_P(TriageApiTest, BadInputIsA400NamingTheField) {
  TestServer s(GetParam(), NoModel());
  auto missing = s.Post("/api/v1/triage", json::object{});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json().at("code").as_string(), "validation_failed");
  EXPECT_EQ(missing.json().at("errors").as_array()[0].at("field").as_string(), "text");
  auto wrong = s.Post("/api/v1/triage", json::object{{"text", 42}});
  EXPECT_EQ(wrong.status, 400);
  auto extra = s.Post("/api/v1/triage", json::object{{"text", "咳嗽三天"}, {"sex", "male"}});
  EXPECT_EQ(extra.status, 400);
  // The age is optional, in whole years from 0 to 130.
  EXPECT_EQ(s.Post("/api/v1/triage", json::object{{"text", "咳嗽三天"}, {"age", 3}}).status, 200);
  auto old = s.Post("/api/v1/triage", json::object{{"text", "咳嗽三天"}, {"age", 131}});
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(old.json().at("errors").as_array()[0].at("field").as_string(), "age");
  EXPECT_EQ(s.Post("/api/v1/triage", json::object{{"text", "咳嗽三天"}, {"age", "3"}}).status, 400);
  auto too_long = s.Post("/api/v1/triage", json::object{{"text", std::string(2001, 'a')}});
  EXPECT_EQ(too_long.status, 400);
  auto too_short = s.Post("/api/v1/triage", json::object{{"text", "痛"}});
  EXPECT_EQ(too_short.status, 400);
  auto not_json = s.Call(boost::beast::http::verb::post, "/api/v1/triage", "text=1", "",
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(not_json.status, 415);
}

TEST_P(TriageApiTest, RateLimitedPerAddressWithRetryAfter) {
  TestServer s(GetParam(), NoModel());
  for (int i = 0; i < 30; ++i) ASSERT_EQ(s.Post("/api/v1/triage", json::object{{"text", "咳嗽三天"}}).status, 200);
  auto r = s.Post("/api/v1/triage", json::object{{"text", "咳嗽三天"}});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json().at("code").as_string(), "triage_too_many_requests");
  EXPECT_FALSE(r.header("retry-after").empty());
  s.clock().Advance(61 * 1000);
  EXPECT_EQ(s.Post("/api/v1/triage", json::object{{"text", "咳嗽三天"}}).status, 200);
}

class TriageModelApiTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    std::string why;
    model_ = testsupport::TriageTestModel(&why);
    ASSERT_FALSE(model_.empty()) << why;
  }
  std::string model_;
};

TEST_P(TriageModelApiTest, ThyroidQuestionSuggestsEndocrinologyWithReasons) {
  app::Config c;
  c.triage_model = model_;
  TestServer s(GetParam(), c);
  auto r = s.Post("/api/v1/triage", json::object{{"text", "甲状腺结节4a类，TSH偏高，需要吃优甲乐吗？"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& o = r.json().as_object();
  EXPECT_EQ(o.at("urgency").as_string(), "routine");
  EXPECT_TRUE(o.at("model_available").as_bool());
  const auto& deps = o.at("departments").as_array();
  ASSERT_GE(deps.size(), 1u);
  ASSERT_LE(deps.size(), 3u);
  const auto& first = deps[0].as_object();
  EXPECT_EQ(first.at("code").as_string(), "endocrinology");
  EXPECT_EQ(first.at("name_zh").as_string(), "内分泌科");
  EXPECT_GT(first.at("confidence").to_number<double>(), 0.5);
  ASSERT_FALSE(first.at("evidence").as_array().empty());
  EXPECT_FALSE(o.contains("choose_from"));
}

TEST_P(TriageModelApiTest, SuicidalIntentShowsTheHotlineBeforeAnyDepartment) {
  app::Config c;
  c.triage_model = model_;
  TestServer s(GetParam(), c);
  auto r = s.Post("/api/v1/triage", json::object{{"text", "失眠半年，最近觉得活着没意思，不想活了"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& o = r.json().as_object();
  EXPECT_EQ(o.at("urgency").as_string(), "mental_health");
  EXPECT_EQ(o.at("hotline").as_string(), "12356");
  EXPECT_EQ(o.at("emergency_number").as_string(), "120");
  EXPECT_EQ(o.at("red_flags").as_array()[0].at("kind").as_string(), "mental_health");
  // The departments are mental health by rule, not the model's guess.
  const auto& deps = o.at("departments").as_array();
  ASSERT_EQ(deps.size(), 2u);
  EXPECT_EQ(deps[0].at("code").as_string(), "psychiatry");
  EXPECT_EQ(deps[1].at("code").as_string(), "psychology");
  EXPECT_TRUE(deps[0].at("by_rule").as_bool());
  EXPECT_TRUE(deps[0].at("confidence").is_null());
}

INSTANTIATE_TEST_SUITE_P(Backends, TriageApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });
INSTANTIATE_TEST_SUITE_P(Backends, TriageModelApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_triage_api_test
}  // namespace ihos::apitest
