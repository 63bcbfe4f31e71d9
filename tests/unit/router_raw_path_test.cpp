// Routing on the raw path (issue 17, defect 7): "%2F" inside a segment is not a separator.
#include <gtest/gtest.h>

#include "http/router.hpp"

namespace ihos::http {
namespace {

Handler Nothing() {
  return [](Request&) -> Result<Reply> { return Reply::NoContent(); };
}

TEST(RouterRawPath, AnEncodedSlashStaysInsideItsSegment) {
  Router r;
  r.Add(Verb::get, "/api/v1/consultations/{id}", Access::Anyone(), Nothing(), "one");
  r.Add(Verb::get, "/api/v1/consultations/{id}/messages", Access::Anyone(), Nothing(), "messages");
  for (const char* path : {"/api/v1/consultations/1%2Fmessages", "/api/v1/consultations/1%2fmessages"}) {
    auto m = r.Find(Verb::get, path);
    ASSERT_NE(m.route, nullptr) << path;
    EXPECT_EQ(m.route->path, "/api/v1/consultations/{id}") << path;
    ASSERT_EQ(m.params.size(), 1u);
    EXPECT_EQ(m.params[0].second, "1/messages");  // decoded after matching
  }
  auto messages = r.Find(Verb::get, "/api/v1/consultations/1/messages");
  ASSERT_NE(messages.route, nullptr);
  EXPECT_EQ(messages.route->path, "/api/v1/consultations/{id}/messages");
}

TEST(RouterRawPath, SegmentsAreDecodedAfterTheSplit) {
  Router r;
  r.Add(Verb::get, "/api/v1/drugs/{name}", Access::Anyone(), Nothing(), "drug");
  auto m = r.Find(Verb::get, "/api/v1/drugs/%E9%98%BF%E5%8F%B8%E5%8C%B9%E6%9E%97");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params[0].second, "阿司匹林");
  // A literal segment matches its encoded spelling too; a malformed escape is kept as it is.
  EXPECT_NE(r.Find(Verb::get, "/api/v1/%64rugs/x").route, nullptr);
  auto bad = r.Find(Verb::get, "/api/v1/drugs/a%2");
  ASSERT_NE(bad.route, nullptr);
  EXPECT_EQ(bad.params[0].second, "a%2");
}

}  // namespace
}  // namespace ihos::http
