#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/access_log.hpp"
#include "core/log.hpp"
#include "core/mask.hpp"
#include "core/rate_limiter.hpp"

namespace ihos {
namespace {

TEST(Error, EveryErrcHasAStatusAndAName) {
  // Iterates every enumerator: a new one without a mapping falls through to 500 and fails here.
  for (int i = 0; i <= static_cast<int>(Errc::internal); ++i) {
    const auto e = static_cast<Errc>(i);
    const int status = ToHttpStatus(e);
    EXPECT_GE(status, 400);
    if (e != Errc::internal) {
      EXPECT_LT(status, 500 + (e == Errc::unavailable ? 4 : 0)) << ErrcName(e);
    }
    EXPECT_STRNE(ErrcName(e), "");
  }
  EXPECT_EQ(ToHttpStatus(Errc::not_found), 404);
  EXPECT_EQ(ToHttpStatus(Errc::conflict), 409);
  EXPECT_EQ(ToHttpStatus(Errc::rate_limited), 429);
  EXPECT_EQ(ToHttpStatus(Errc::header_too_large), 431);
  EXPECT_EQ(ToHttpStatus(Errc::internal), 500);
}

TEST(Mask, PhoneIdAndName) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "1101**********002X");
  EXPECT_EQ(MaskName("张三丰"), "张*丰");
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧**娜");
}

TEST(Mask, DigitsInFreeTextNeverLeak) {
  const std::string t = MaskDigitsInText("user 13812345678 id 11010519491231002X code 12345");
  EXPECT_EQ(t, "user 138****5678 id 1101**********002X code 12345");
}

TEST(Log, LinesAreJsonWithIdentifiersMasked) {
  const std::string line = log::Format("info", "login 13812345678", {{"id", "11010519491231002X"}, {"n", 5}});
  EXPECT_EQ(line.find("13812345678"), std::string::npos);
  EXPECT_EQ(line.find("11010519491231002X"), std::string::npos);
  EXPECT_NE(line.find("\"msg\":\"login 138****5678\""), std::string::npos);
  EXPECT_NE(line.find("\"n\":5"), std::string::npos);
}

TEST(Log, LineIsOneObjectInFieldOrderAsTheJsonSerializerWritesIt) {
  auto keys = [](const boost::json::object& o) {
    std::vector<std::string> k;
    for (const auto& kv : o) k.emplace_back(kv.key());
    return k;
  };
  const std::string line =
      log::Format("info", "access",
                  {{"rid", "ab12cd34-0000002a"}, {"method", "GET"}, {"route", "/healthz"}, {"status", 200},
                   {"ms", 0.123}, {"bytes", 15}, {"client", "127.0.0.1"}, {"note", "quote \" and \u00e9"}});
  const auto v = boost::json::parse(line).as_object();
  EXPECT_EQ(boost::json::serialize(v), line);
  EXPECT_EQ(keys(v), (std::vector<std::string>{"ts", "level", "msg", "rid", "method", "route", "status", "ms",
                                               "bytes", "client", "note"}));
  EXPECT_EQ(v.at("level"), "info");
  EXPECT_EQ(v.at("ms").as_double(), 0.123);
  EXPECT_EQ(v.at("note"), "quote \" and \u00e9");
  EXPECT_GT(v.at("ts").as_int64(), 0);
  // A field named like a built-in member replaces it where it stands.
  const auto w = boost::json::parse(log::Format("warn", "x", {{"msg", "y"}, {"a", 1}})).as_object();
  EXPECT_EQ(keys(w), (std::vector<std::string>{"ts", "level", "msg", "a"}));
  EXPECT_EQ(w.at("msg"), "y");
  const auto e = boost::json::parse(log::Format("error", "only", {})).as_object();
  EXPECT_EQ(keys(e), (std::vector<std::string>{"ts", "level", "msg"}));
}

TEST(Log, AccessLineIsTheSameTextAsTheGenericLine) {
  // Only "ts" (the clock) may differ between the two calls.
  auto without_ts = [](std::string line) {
    const auto end = line.find(',');
    return line.substr(end);
  };
  struct Case {
    std::string rid, method, route;
    int status;
    double ms;
    std::uint64_t bytes;
    std::string client;
  };
  for (const Case& c : std::vector<Case>{
           {"ab12cd34-0000002a", "GET", "/healthz", 200, 0.047, 15, "127.0.0.1"},
           {"rid", "POST", "/api/v1/auth/login", 401, 12.5, 231, "::1"},
           {"x", "HEAD", "unmatched", 405, 0, 0, ""},
           {"r\"q", "GET", "/a\\b\n", 500, 1e-3, 1u << 31, "10.0.0.1"},       // escaped
           {"13812345678", "GET", "/p/13812345678", 200, 2500.25, 3, "1.2.3.4"},  // masked, rid verbatim
       }) {
    const std::string fast = log::FormatAccess(c.rid, c.method, c.route, c.status, c.ms, c.bytes, c.client);
    const std::string generic = log::Format("info", "access",
                                            {{"rid", c.rid},
                                             {"method", c.method},
                                             {"route", c.route},
                                             {"status", c.status},
                                             {"ms", c.ms},
                                             {"bytes", c.bytes},
                                             {"client", c.client}});
    EXPECT_EQ(without_ts(fast), without_ts(generic)) << fast;
    EXPECT_EQ(fast.rfind("{\"ts\":", 0), 0u) << fast;
  }
}

TEST(RateLimiter, BlocksAfterLimitUntilWindowEnds) {
  RateLimiter rl(3, 1000);
  EXPECT_FALSE(rl.Attempt("k", 0));
  EXPECT_FALSE(rl.Attempt("k", 10));
  EXPECT_FALSE(rl.Attempt("k", 20));
  ASSERT_TRUE(rl.Attempt("k", 500));
  EXPECT_EQ(*rl.Attempt("k", 500), 500);
  EXPECT_FALSE(rl.Attempt("k", 1000)) << "a new window starts";
  EXPECT_FALSE(rl.Attempt("other", 500));
}

TEST(RateLimiter, ForgivenAttemptsDoNotCount) {
  RateLimiter rl(2, 1000);
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(rl.Attempt("k", i));
    rl.Forgive("k");
  }
  EXPECT_FALSE(rl.Attempt("k", 20));
  EXPECT_FALSE(rl.Attempt("k", 20));
  EXPECT_TRUE(rl.Attempt("k", 20));
  rl.Reset("k");
  EXPECT_FALSE(rl.Attempt("k", 20));
}

TEST(RateLimiter, ConcurrentAttemptsNeverExceedTheLimit) {
  RateLimiter rl(5, 1000000);
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i)
        if (!rl.Attempt("k", 0)) ++passed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(passed.load(), 5);
}

TEST(RateLimiter, StaysBoundedUnderAFloodOfKeys) {
  RateLimiter rl(1, 1000000, 100);
  for (int i = 0; i < 10000; ++i) rl.Attempt("k" + std::to_string(i), i);
  // The newest keys are still tracked and blocked.
  EXPECT_TRUE(rl.Attempt("k9999", 10000));
}

TEST(Crypto, PasswordHashVerifies) {
  const std::string h = crypto::HashPassword("s3cret-pass", crypto::PasswordProfile::test);
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(crypto::VerifyPassword("s3cret-pass", h));
  EXPECT_FALSE(crypto::VerifyPassword("s3cret-pasS", h));
}

TEST(Crypto, TokensAreRandomAndUrlSafe) {
  const auto a = crypto::RandomToken(32), b = crypto::RandomToken(32);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
  EXPECT_EQ(crypto::Blake2bHex("abc").size(), 64u);
}

TEST(Clock, CivilDateIsChinaTime) {
  // 2026-11-22T16:00:00Z is midnight in Beijing.
  EXPECT_EQ(CivilDateCst(1795363200000LL - 1), "2026-11-22");
  EXPECT_EQ(CivilDateCst(1795363200000LL), "2026-11-23");
}

}  // namespace
}  // namespace ihos
