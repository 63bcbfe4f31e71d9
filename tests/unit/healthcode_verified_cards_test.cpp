#include "domain/healthcode/verified_cards.hpp"

#include <gtest/gtest.h>

namespace ihos::domain::healthcode {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;  // seconds

std::shared_ptr<const VerifiedCards::Card> Verified(std::int64_t exp_s, bool complete = true) {
  auto c = std::make_shared<VerifiedCards::Card>();
  c->kid = "k1";
  c->claims.complete = complete;
  c->claims.rid = "rid";
  c->claims.nbf = exp_s - 300;
  c->claims.exp = exp_s;
  return c;
}

TEST(VerifiedCards, ServesACardUntilItsExpAndNeverAfter) {
  VerifiedCards cards(100);
  const std::string key = cards.Key("shc:/0123");
  cards.Put(key, Verified(kNow + 300), kNow);
  ASSERT_TRUE(cards.Get(key, kNow + 299));
  EXPECT_EQ(cards.Get(key, kNow)->kid, "k1");
  EXPECT_FALSE(cards.Get(key, kNow + 300)) << "expired: the full check must say so";
  EXPECT_EQ(cards.size(), 0u) << "an expired card is dropped when met";
  cards.Put(key, Verified(kNow), kNow);
  EXPECT_FALSE(cards.Get(key, kNow)) << "already expired: not kept";
  cards.Put(key, Verified(kNow + 300, /*complete=*/false), kNow);
  EXPECT_FALSE(cards.Get(key, kNow)) << "a card without its claims is not kept";
}

TEST(VerifiedCards, KeysAreKeyedHashesOfTheExactBytes) {
  VerifiedCards a(100), b(100);
  EXPECT_EQ(a.Key("shc:/0123").size(), 32u);
  EXPECT_EQ(a.Key("shc:/0123"), a.Key("shc:/0123"));
  EXPECT_NE(a.Key("shc:/0123"), a.Key("shc:/0124"));
  EXPECT_NE(a.Key("shc:/0123"), b.Key("shc:/0123")) << "each cache has its own secret";
  a.Put(a.Key("shc:/0123"), Verified(kNow + 300), kNow);
  EXPECT_FALSE(a.Get(a.Key("shc:/0124"), kNow));
}

TEST(VerifiedCards, StaysWithinItsCapacityAndDropsExpiredCardsFirst) {
  VerifiedCards cards(64);
  for (int i = 0; i < 10000; ++i) cards.Put(cards.Key("card-" + std::to_string(i)), Verified(kNow + 300), kNow);
  EXPECT_LE(cards.size(), 64u);
  EXPECT_TRUE(cards.Get(cards.Key("card-9999"), kNow)) << "the newest card is kept";
  // Later, every card above has expired: new ones replace them, whatever the shard.
  for (int i = 0; i < 64; ++i)
    cards.Put(cards.Key("later-" + std::to_string(i)), Verified(kNow + 1000), kNow + 400);
  EXPECT_LE(cards.size(), 64u);
  EXPECT_FALSE(cards.Get(cards.Key("card-9999"), kNow + 400));
  cards.Clear();
  EXPECT_EQ(cards.size(), 0u);
  VerifiedCards off(0);
  off.Put(off.Key("x"), Verified(kNow + 300), kNow);
  EXPECT_FALSE(off.Get(off.Key("x"), kNow));
}

}  // namespace
}  // namespace ihos::domain::healthcode
