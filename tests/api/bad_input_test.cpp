// Hostile and malformed requests: each gets a clear 4xx problem+json, the server stays up, and
// nothing half-written is left behind.
#include "harness.hpp"

namespace ihos::apitest {
namespace api_bad_input_test {
namespace json = boost::json;
using boost::beast::http::verb;

using BadInputTest = ApiTest;

std::int64_t CountUsers(TestServer& s) {
  auto n = s.app().db().With<std::int64_t>(store::TxMode::read, [](store::Tx& tx) -> Result<std::int64_t> {
    auto r = tx.Query("SELECT COUNT(*) FROM users");
    if (!r) return r.error();
    return (*r)[0].Int(0);
  });
  return n ? *n : -1;
}

void ExpectProblem(const Resp& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json") << r.body;
  if (r.status == status) {
    auto j = r.json();
    EXPECT_EQ(std::string(j.at("code").as_string()), code) << r.body;
    EXPECT_TRUE(j.at("message").as_object().contains("zh-CN"));
    EXPECT_TRUE(j.at("message").as_object().contains("en"));
  }
}

TEST_P(BadInputTest, MalformedJson) {
  ExpectProblem(s().Call(verb::post, "/api/v1/auth/register", "{\"phone\": "), 400, "malformed_json");
  ExpectProblem(s().Call(verb::post, "/api/v1/auth/register", "[1,2,3]"), 400, "malformed_json");
  ExpectProblem(s().Call(verb::post, "/api/v1/auth/register", std::string(100, '[') + std::string(100, ']')), 400,
                "malformed_json");
  EXPECT_EQ(CountUsers(s()), 0);
}

TEST_P(BadInputTest, WrongContentType) {
  auto r = s().Call(verb::post, "/api/v1/auth/login", "phone=1&password=2", "",
                    {{"Content-Type", "application/x-www-form-urlencoded"}});
  ExpectProblem(r, 415, "unsupported_media_type");
}

TEST_P(BadInputTest, WrongTypesMissingAndUnknownFields) {
  auto r = s().Post("/api/v1/auth/register", {{"phone", 13812345678LL}, {"password", "Health2026ok"}, {"extra", 1}});
  ExpectProblem(r, 400, "validation_failed");
  std::map<std::string, std::string> fields;
  for (const auto& f : r.json().at("errors").as_array())
    fields[std::string(f.at("field").as_string())] = std::string(f.at("code").as_string());
  EXPECT_EQ(fields["phone"], "wrong_type");
  EXPECT_EQ(fields["real_name"], "required");
  EXPECT_EQ(fields["id_number"], "required");
  EXPECT_EQ(fields["extra"], "unknown_field");
  EXPECT_EQ(CountUsers(s()), 0);
}

TEST_P(BadInputTest, OverLongStrings) {
  auto r = s().Post("/api/v1/auth/register", {{"phone", MakePhone()},
                                              {"password", "Health2026ok"},
                                              {"real_name", std::string(10000, 'a')},
                                              {"id_number", MakeIdNumber("19900101")}});
  ExpectProblem(r, 400, "validation_failed");
  EXPECT_EQ(r.json().at("errors").at(0).at("code"), "too_long");
}

TEST_P(BadInputTest, InvalidUtf8AndControlCharacters) {
  std::string body =
      "{\"phone\":\"13812345678\",\"password\":\"Health2026ok\",\"real_name\":\"\xff\xfe\",\"id_number\":\"x\"}";
  ExpectProblem(s().Call(verb::post, "/api/v1/auth/register", body), 400, "malformed_json");
  auto r = s().Post("/api/v1/auth/register", {{"phone", MakePhone()},
                                              {"password", "Health2026ok"},
                                              {"real_name", std::string("王\0芳", 7)},
                                              {"id_number", MakeIdNumber("19900101")}});
  ExpectProblem(r, 400, "validation_failed");
  EXPECT_EQ(r.json().at("errors").at(0).at("code"), "control_characters");
  EXPECT_EQ(CountUsers(s()), 0);
}

TEST_P(BadInputTest, SqlLookingStringsAreStoredVerbatim) {
  // A valid name cannot hold SQL punctuation, so the admin search query carries it instead, and
  // a guardian relationship...; the name column gets the longest allowed SQL-ish letters.
  auto admin = s().NewAdmin();
  const std::string q = "'; DROP TABLE users; --";
  auto r = s().Get("/api/v1/admin/users?q=%27%3B%20DROP%20TABLE%20users%3B%20--", admin.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("items").as_array().size(), 0u);
  EXPECT_EQ(CountUsers(s()), 1);
  // The admin reason is free text and goes into the audit log verbatim.
  auto pat = s().NewPatient("Robert Tables");
  auto read = s().Get("/api/v1/patients/" + std::to_string(pat.id) + "?reason=%27)%3B%20DELETE%20FROM%20audit_log%3B--",
                      admin.token);
  ASSERT_EQ(read.status, 200) << read.body;
  auto log = s().Get("/api/v1/me/access-log", pat.token);
  EXPECT_EQ(log.json().at("items").at(0).at("reason"), "'); DELETE FROM audit_log;--");
  (void)q;
}

TEST_P(BadInputTest, BodyOverTheLimit) {
  const std::string big = "{\"phone\":\"" + std::string(2 * 1024 * 1024, '1') + "\"}";
  auto raw =
      s().Raw("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(big.size()) + "\r\n\r\n" + big.substr(0, 1000));
  EXPECT_EQ(raw.rfind("HTTP/1.1 413", 0), 0u) << raw.substr(0, 200);
  EXPECT_NE(raw.find("payload_too_large"), std::string::npos);
  EXPECT_EQ(s().Get("/healthz").status, 200);
}

TEST_P(BadInputTest, HeadersOverTheLimit) {
  auto raw = s().Raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 431", 0), 0u) << raw.substr(0, 200);
}

TEST_P(BadInputTest, GarbageRequestLine) {
  auto raw = s().Raw("HELLO WORLD\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 400", 0), 0u) << raw.substr(0, 200);
  EXPECT_EQ(s().Get("/healthz").status, 200);
}

TEST_P(BadInputTest, UnknownRoutesAndMethods) {
  ExpectProblem(s().Get("/api/v1/nope"), 404, "route_not_found");
  auto r = s().Call(verb::put, "/api/v1/me", "");
  ExpectProblem(r, 405, "method_not_allowed");
  EXPECT_EQ(r.header("allow"), "GET");
  ExpectProblem(s().Get("/api/v1/patients/abc", s().NewPatient().token), 404, "not_found");
}

TEST_P(BadInputTest, SlowHeadersAreDropped) {
  // The harness sets a 2 s read timeout: send half the headers and stop. Raw() returns when the
  // server closes the connection (or after 8 s, which would mean it never did).
  const auto start = std::chrono::steady_clock::now();
  auto raw = s().Raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow", 8000);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(raw, "") << "a slow client is dropped without a reply";
  EXPECT_LT(waited, std::chrono::seconds(7)) << "the server did not drop the slow client";
  EXPECT_EQ(s().Get("/healthz").status, 200);
}

TEST_P(BadInputTest, BadTokensAreUnauthenticated) {
  ExpectProblem(s().Get("/api/v1/me", "not-a-token"), 401, "session_expired");
  ExpectProblem(s().Get("/api/v1/me", std::string(5000, 'a')), 401, "session_expired");
  ExpectProblem(s().Get("/api/v1/me"), 401, "unauthenticated");
}

INSTANTIATE_TEST_SUITE_P(Backends, BadInputTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_bad_input_test
}  // namespace ihos::apitest
