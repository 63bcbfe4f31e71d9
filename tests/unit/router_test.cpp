#include "http/router.hpp"

#include <gtest/gtest.h>

#include "http/problem.hpp"
#include "http/server.hpp"

namespace ihos::http {
namespace {

Handler Ok() {
  return [](Request&) -> Result<Reply> { return Reply::NoContent(); };
}

TEST(Router, MatchesTemplatesAndCapturesParams) {
  Router r;
  r.Add(Verb::get, "/api/v1/me", Access::SignedIn(), Ok(), "");
  r.Add(Verb::delete_, "/api/v1/admin/users/{id}/roles/{role}", Access::Roles({"admin"}), Ok(), "");
  auto m = r.Find(Verb::delete_, "/api/v1/admin/users/42/roles/doctor");
  ASSERT_NE(m.route, nullptr);
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"id", "42"}));
  EXPECT_EQ(m.params[1], (std::pair<std::string, std::string>{"role", "doctor"}));
  EXPECT_NE(r.Find(Verb::get, "/api/v1/me/").route, nullptr);
}

TEST(Router, DistinguishesNotFoundFromMethodNotAllowed) {
  Router r;
  r.Add(Verb::get, "/api/v1/me", Access::SignedIn(), Ok(), "");
  auto nf = r.Find(Verb::get, "/api/v1/nope");
  EXPECT_EQ(nf.route, nullptr);
  EXPECT_TRUE(nf.allow.empty());
  auto na = r.Find(Verb::post, "/api/v1/me");
  EXPECT_EQ(na.route, nullptr);
  EXPECT_EQ(na.allow, std::vector<std::string>{"GET"});
}

TEST(Router, RefusesDuplicates) {
  Router r;
  r.Add(Verb::get, "/x", Access::Anyone(), Ok(), "");
  EXPECT_THROW(r.Add(Verb::get, "/x", Access::Anyone(), Ok(), ""), std::logic_error);
}

TEST(Problem, RendersBilingualMessageFieldsAndRequestId) {
  Error e = MakeError(Errc::invalid_argument, "validation_failed");
  e.fields.push_back({"id_number", "id_number_check_digit"});
  Reply rep = RenderProblem(e, "rid-1", "en");
  EXPECT_EQ(rep.status, 400);
  EXPECT_EQ(rep.content_type, "application/problem+json");
  EXPECT_NE(rep.body.find("\"code\":\"validation_failed\""), std::string::npos);
  EXPECT_NE(rep.body.find("\"request_id\":\"rid-1\""), std::string::npos);
  EXPECT_NE(rep.body.find("\"title\":\"Please check the fields you entered.\""), std::string::npos);
  EXPECT_NE(rep.body.find("身份证号校验码不正确"), std::string::npos);
}

TEST(Problem, InternalErrorsCarryNoDetail) {
  Reply rep = RenderProblem(MakeError(Errc::internal, "database_error", "syntax error near SELECT"), "r", "zh-CN");
  EXPECT_EQ(rep.status, 500);
  EXPECT_EQ(rep.body.find("syntax"), std::string::npos);
  EXPECT_NE(rep.body.find("\"code\":\"internal_error\""), std::string::npos);
}

TEST(Problem, PicksLocale) {
  EXPECT_EQ(PickLocale("en-US,en;q=0.9"), "en");
  EXPECT_EQ(PickLocale("zh-CN,zh;q=0.9,en;q=0.8"), "zh-CN");
  EXPECT_EQ(PickLocale(""), "zh-CN");
  EXPECT_EQ(PickLocale("eng"), "zh-CN");
}

TEST(RequestId, IsTheProcessPrefixAndAnEightDigitHexCounter) {
  const std::string a = NewRequestId(), b = NewRequestId();
  ASSERT_EQ(a.size(), 17u) << a;
  ASSERT_EQ(b.size(), 17u) << b;
  EXPECT_EQ(a.substr(0, 9), b.substr(0, 9));
  EXPECT_EQ(a[8], '-');
  for (std::size_t i = 0; i < a.size(); ++i)
    if (i != 8) {
      EXPECT_NE(std::string_view("0123456789abcdef").find(a[i]), std::string_view::npos) << a;
    }
  EXPECT_EQ(std::stoul(b.substr(9), nullptr, 16), std::stoul(a.substr(9), nullptr, 16) + 1);
}

}  // namespace
}  // namespace ihos::http
