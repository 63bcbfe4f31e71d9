#include "domain/accounts/session_cache.hpp"

#include <gtest/gtest.h>

namespace ihos::domain::accounts {
namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;
constexpr std::int64_t kDay = 24LL * 3600 * 1000;

Principal Who(std::int64_t id) { return Principal{id, "测试", {"patient"}}; }

TEST(SessionCache, ServesAnEntryForTheCacheTimeAndNeverPastTheSessionsExpiry) {
  SessionCache c(2000, 100);
  c.Put("t1", Who(1), kNow + kDay, kNow, c.Generation());
  ASSERT_TRUE(c.Get("t1", kNow + 1999));
  EXPECT_EQ(c.Get("t1", kNow)->user_id, 1);
  EXPECT_FALSE(c.Get("t1", kNow + 2000)) << "older than the cache time";
  EXPECT_FALSE(c.Get("t1", kNow - 1)) << "the clock went back: not trusted";
  c.Put("t2", Who(2), kNow + 500, kNow, c.Generation());
  EXPECT_TRUE(c.Get("t2", kNow + 499));
  EXPECT_FALSE(c.Get("t2", kNow + 500)) << "the session expired";
  c.Put("t3", Who(3), kNow, kNow, c.Generation());
  EXPECT_FALSE(c.Get("t3", kNow));
  EXPECT_FALSE(c.Get("unknown", kNow));
}

TEST(SessionCache, ForgetDropsTheTokenOrEverySessionOfTheUser) {
  SessionCache c(2000, 100);
  c.Put("a1", Who(1), kNow + kDay, kNow, c.Generation());
  c.Put("a2", Who(1), kNow + kDay, kNow, c.Generation());
  c.Put("b1", Who(2), kNow + kDay, kNow, c.Generation());
  c.ForgetToken("a1");
  EXPECT_FALSE(c.Get("a1", kNow));
  EXPECT_TRUE(c.Get("a2", kNow));
  c.ForgetUser(1);
  EXPECT_FALSE(c.Get("a2", kNow));
  EXPECT_TRUE(c.Get("b1", kNow));
  c.Clear();
  EXPECT_EQ(c.size(), 0u);
}

TEST(SessionCache, AReadThatRacedWithAChangeIsNotStored) {
  SessionCache c(2000, 100);
  const auto before = c.Generation();  // a request starts reading the session
  c.ForgetUser(7);                     // meanwhile an admin revokes a role and commits
  c.Put("t", Who(7), kNow + kDay, kNow, before);
  EXPECT_FALSE(c.Get("t", kNow));
  c.Put("t", Who(7), kNow + kDay, kNow, c.Generation());
  EXPECT_TRUE(c.Get("t", kNow));
}

TEST(SessionCache, StaysWithinItsCapacityWhateverIsPut) {
  SessionCache c(2000, 64);
  for (int i = 0; i < 10000; ++i) c.Put("token-" + std::to_string(i), Who(i), kNow + kDay, kNow, c.Generation());
  EXPECT_LE(c.size(), 64u);
  EXPECT_GT(c.size(), 0u);
  EXPECT_TRUE(c.Get("token-9999", kNow)) << "the newest entry is kept";
}

TEST(SessionCache, ZeroTimeOrZeroCapacityDisablesIt) {
  for (auto [ttl, cap] : {std::pair<std::int64_t, std::size_t>{0, 100}, {2000, 0}}) {
    SessionCache c(ttl, cap);
    c.Put("t", Who(1), kNow + kDay, kNow, c.Generation());
    EXPECT_FALSE(c.Get("t", kNow));
    EXPECT_EQ(c.size(), 0u);
  }
}

std::shared_ptr<const User> Account(std::int64_t id, std::vector<std::string> roles = {"patient"}) {
  auto u = std::make_shared<User>();
  u->id = id;
  u->real_name = "测试";
  u->roles = std::move(roles);
  return u;
}

TEST(SessionCache, KeepsAnAccountForTheCacheTimeUntilItsUserChanges) {
  SessionCache c(2000, 100);
  c.PutUser(Account(1), kNow, c.Generation());
  c.PutUser(Account(2), kNow, c.Generation());
  ASSERT_TRUE(c.GetUser(1, kNow + 1999));
  EXPECT_EQ(c.GetUser(1, kNow)->roles, std::vector<std::string>{"patient"});
  EXPECT_FALSE(c.GetUser(1, kNow + 2000)) << "older than the cache time";
  EXPECT_FALSE(c.GetUser(1, kNow - 1)) << "the clock went back: not trusted";
  c.ForgetUser(1);
  EXPECT_FALSE(c.GetUser(1, kNow)) << "a role change, a password change: gone at once";
  EXPECT_TRUE(c.GetUser(2, kNow));
  c.Clear();
  EXPECT_FALSE(c.GetUser(2, kNow));
}

TEST(SessionCache, AnAccountReadThatRacedWithAChangeIsNotStored) {
  SessionCache c(2000, 100);
  const auto before = c.Generation();  // GET /me starts reading the account
  c.ForgetUser(7);                     // meanwhile the admin role is revoked and committed
  c.PutUser(Account(7, {"admin", "patient"}), kNow, before);
  EXPECT_FALSE(c.GetUser(7, kNow));
}

TEST(SessionCache, KeepsAtMostItsCapacityOfAccounts) {
  SessionCache c(2000, 64);
  for (int i = 1; i <= 10000; ++i) c.PutUser(Account(i), kNow, c.Generation());
  int kept = 0;
  for (int i = 1; i <= 10000; ++i) kept += c.GetUser(i, kNow) ? 1 : 0;
  EXPECT_LE(kept, 64);
  EXPECT_TRUE(c.GetUser(10000, kNow));
  SessionCache off(0, 64);
  off.PutUser(Account(1), kNow, off.Generation());
  EXPECT_FALSE(off.GetUser(1, kNow));
}

}  // namespace
}  // namespace ihos::domain::accounts
