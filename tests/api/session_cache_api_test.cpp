// The in-process session cache (accounts::SessionCache) never lets a signed-out or demoted user
// keep access: changes made on this node apply to the very next request, changes made on another
// node within --session-cache-ms, and an expired session is refused even when it was just cached.
// The test clock is frozen unless a test moves it, so without invalidation every token used once
// would stay cached: these tests fail if an invalidation is missing.
#include "harness.hpp"

namespace ihos::apitest {
namespace api_session_cache_api_test {
namespace json = boost::json;
using boost::beast::http::verb;

class SessionCacheApiTest : public ApiTest {};

std::string RolesPath(std::int64_t user_id) { return "/api/v1/admin/users/" + std::to_string(user_id) + "/roles"; }

TEST_P(SessionCacheApiTest, LogoutRefusesTheSameTokenAtOnceAndLeavesOtherSessions) {
  auto a = s().NewPatient();
  auto second = s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}});
  ASSERT_EQ(second.status, 200);
  const std::string other(second.json().at("token").as_string());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(s().Get("/api/v1/me", a.token).status, 200);
  ASSERT_EQ(s().Get("/api/v1/me", other).status, 200);

  EXPECT_EQ(s().Call(verb::post, "/api/v1/auth/logout", "", a.token).status, 204);
  auto after = s().Get("/api/v1/me", a.token);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.json().at("code"), "session_expired");
  EXPECT_EQ(s().Get("/api/v1/me/healthcode", a.token).status, 401);
  EXPECT_EQ(s().Get("/api/v1/me", other).status, 200) << "the other device stays signed in";
}

TEST_P(SessionCacheApiTest, ARevokedRoleIsRefusedAtOnceAndAGrantedOneWorksAtOnce) {
  auto admin = s().NewAdmin();
  auto staff = s().NewPatient("赵管理");
  const std::string users = "/api/v1/admin/users?q=%E8%B5%B5";
  auto before = s().Get(users, staff.token);
  EXPECT_EQ(before.status, 403);
  EXPECT_EQ(before.json().at("code"), "forbidden");

  ASSERT_EQ(s().Post(RolesPath(staff.id), {{"role", "admin"}}, admin.token).status, 200);
  EXPECT_EQ(s().Get(users, staff.token).status, 200);
  EXPECT_EQ(s().Get(users, staff.token).status, 200);

  ASSERT_EQ(s().Call(verb::delete_, RolesPath(staff.id) + "/admin", "", admin.token).status, 200);
  auto revoked = s().Get(users, staff.token);
  EXPECT_EQ(revoked.status, 403);
  EXPECT_EQ(revoked.json().at("code"), "forbidden");
  EXPECT_EQ(s().Get("/api/v1/me", staff.token).json().at("roles"), json::array{"patient"});
}

TEST_P(SessionCacheApiTest, AnExpiredSessionIsNeverServedFromTheCache) {
  auto a = s().NewPatient();
  auto l = s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}});
  ASSERT_EQ(l.status, 200);
  const std::string token(l.json().at("token").as_string());
  const std::int64_t expires_at = l.json().at("expires_at").as_int64();
  s().clock().Set(expires_at - 1);
  ASSERT_EQ(s().Get("/api/v1/me", token).status, 200);  // read from the database, now cached
  s().clock().Set(expires_at);                          // 1 ms later: well inside the cache time
  auto expired = s().Get("/api/v1/me", token);
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(expired.json().at("code"), "session_expired");
}

// Two nodes on one database: what node A changes shows on node B once B's cache time has passed
// (the documented bound), and at once on a node that runs without the cache.
TEST_P(SessionCacheApiTest, ChangesOnAnotherNodeShowWithinTheCacheTime) {
  app::Config shared;
  shared.db = testing::FreshDatabaseUrl(GetParam());
  TestServer a(GetParam(), shared);
  TestServer b(GetParam(), shared);
  app::Config uncached = shared;
  uncached.session_cache_ms = 0;
  TestServer c(GetParam(), uncached);

  auto admin = a.NewAdmin();
  auto staff = a.NewPatient("孙管理");
  ASSERT_EQ(a.Post(RolesPath(staff.id), {{"role", "admin"}}, admin.token).status, 200);
  const std::string users = "/api/v1/admin/users?q=%E5%AD%99";
  ASSERT_EQ(b.Get(users, staff.token).status, 200);  // B caches the admin session
  ASSERT_EQ(c.Get(users, staff.token).status, 200);

  ASSERT_EQ(a.Call(verb::delete_, RolesPath(staff.id) + "/admin", "", admin.token).status, 200);
  EXPECT_EQ(a.Get(users, staff.token).status, 403);
  EXPECT_EQ(c.Get(users, staff.token).status, 403) << "no cache: at once";
  EXPECT_EQ(b.Get(users, staff.token).status, 200) << "within B's cache time (the documented bound)";
  b.clock().Advance(app::Config{}.session_cache_ms);
  EXPECT_EQ(b.Get(users, staff.token).status, 403);

  ASSERT_EQ(b.Get("/api/v1/me", staff.token).status, 200);
  EXPECT_EQ(a.Call(verb::post, "/api/v1/auth/logout", "", staff.token).status, 204);
  EXPECT_EQ(a.Get("/api/v1/me", staff.token).status, 401);
  EXPECT_EQ(c.Get("/api/v1/me", staff.token).status, 401);
  b.clock().Advance(app::Config{}.session_cache_ms);
  EXPECT_EQ(b.Get("/api/v1/me", staff.token).status, 401);
}

TEST_P(SessionCacheApiTest, UnknownTokensAreRefusedAndNotKept) {
  for (int i = 0; i < 50; ++i) {
    auto r = s().Get("/api/v1/me", "bogus-token-" + std::to_string(i));
    ASSERT_EQ(r.status, 401);
    EXPECT_EQ(r.json().at("code"), "session_expired");
  }
  EXPECT_EQ(s().app().accounts().CachedSessions(), 0u);
}

// GET /api/v1/me is answered from memory on the I/O thread once the session and the account are
// cached (the test clock is frozen, so without invalidation they would stay cached for good):
// every change made on this node must still show on the very next /me.
TEST_P(SessionCacheApiTest, MeFromMemoryShowsRevocationsAndRoleChangesAtOnce) {
  auto admin = s().NewAdmin();
  auto a = s().NewPatient("钱缓存");
  auto l = s().Post("/api/v1/auth/login", {{"phone", a.phone}, {"password", a.password}});
  ASSERT_EQ(l.status, 200);
  const std::string second(l.json().at("token").as_string());
  for (int i = 0; i < 3; ++i) {  // the first read fills the cache, the others are served from it
    auto me = s().Get("/api/v1/me", a.token);
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(me.json().at("roles"), json::array{"patient"});
  }
  ASSERT_EQ(s().Get("/api/v1/me", second).status, 200);

  // A role granted shows on the next /me of every session, and a role revoked goes at once.
  ASSERT_EQ(s().Post(RolesPath(a.id), {{"role", "admin"}}, admin.token).status, 200);
  EXPECT_EQ(s().Get("/api/v1/me", a.token).json().at("roles"), (json::array{"admin", "patient"}));
  EXPECT_EQ(s().Get("/api/v1/me", second).json().at("roles"), (json::array{"admin", "patient"}));
  ASSERT_EQ(s().Call(verb::delete_, RolesPath(a.id) + "/admin", "", admin.token).status, 200);
  EXPECT_EQ(s().Get("/api/v1/me", second).json().at("roles"), json::array{"patient"});

  // "Sign out my other sessions" revokes `second`: refused at once, `a.token` still answered.
  ASSERT_EQ(s().Post("/api/v1/me/sessions/sign-out-others", json::object{}, a.token).status, 200);
  auto revoked = s().Get("/api/v1/me", second);
  EXPECT_EQ(revoked.status, 401);
  EXPECT_EQ(revoked.json().at("code"), "session_expired");
  EXPECT_EQ(s().Get("/api/v1/me", a.token).status, 200);

  // Logout: the very next /me with that token is refused, though it was just served from memory.
  ASSERT_EQ(s().Get("/api/v1/me", a.token).status, 200);
  EXPECT_EQ(s().Call(verb::post, "/api/v1/auth/logout", "", a.token).status, 204);
  auto out = s().Get("/api/v1/me", a.token);
  EXPECT_EQ(out.status, 401);
  EXPECT_EQ(out.json().at("code"), "session_expired");
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionCacheApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace api_session_cache_api_test
}  // namespace ihos::apitest
