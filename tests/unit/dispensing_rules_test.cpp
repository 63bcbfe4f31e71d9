// Pure rules of drug orders: when a prescription may be ordered, how much of each line, the status
// machine, the billing item of a drug, distances and the signed pickup code.
#include <gtest/gtest.h>
#include <sodium.h>

#include "domain/dispensing/pickup.hpp"
#include "domain/dispensing/rules.hpp"

namespace ihos::domain::dispensing {
namespace {

constexpr std::int64_t kNow = 1'794'961'560'000;

TEST(DispensingRules, OnlyAnApprovedUnexpiredPrescriptionIsOrderable) {
  EXPECT_EQ(RxRefusal("approved", kNow + 1000, kNow), "");
  for (const char* s : {"pending_review", "rejected", "cancelled", "dispensed"})
    EXPECT_EQ(RxRefusal(s, kNow + 1000, kNow), "rx_not_approved") << s;
  EXPECT_EQ(RxRefusal("expired", kNow + 1000, kNow), "rx_expired");
  // Approved but past validity (the sweeper has not run yet): expired all the same.
  EXPECT_EQ(RxRefusal("approved", kNow - 1, kNow), "rx_expired");
}

TEST(DispensingRules, PicksWhatIsLeftAndNeverMoreThanPrescribed) {
  const std::map<std::int64_t, std::int64_t> prescribed{{1, 3}, {2, 2}};
  // Nothing ordered yet, nothing chosen: every line in full.
  auto all = PickLines(prescribed, {}, {});
  ASSERT_EQ(all.error, "");
  ASSERT_EQ(all.picks.size(), 2u);
  EXPECT_EQ(all.picks[0].quantity, 3);
  EXPECT_EQ(all.picks[1].quantity, 2);
  // Partial supply elsewhere took line 1 in full and one box of line 2: only one box of line 2 is left.
  auto rest = PickLines(prescribed, {{1, 3}, {2, 1}}, {});
  ASSERT_EQ(rest.error, "");
  ASSERT_EQ(rest.picks.size(), 1u);
  EXPECT_EQ(rest.picks[0].line_no, 2);
  EXPECT_EQ(rest.picks[0].quantity, 1);
  EXPECT_EQ(PickLines(prescribed, {{1, 3}, {2, 1}}, {{2, 2}}).error, "rx_quantity_exceeded");
  EXPECT_EQ(PickLines(prescribed, {{1, 3}, {2, 1}}, {{1, 0}}).error, "rx_nothing_left");
  EXPECT_EQ(PickLines(prescribed, {{1, 3}, {2, 2}}, {}).error, "rx_nothing_left");
  EXPECT_EQ(PickLines(prescribed, {}, {{3, 1}}).error, "rx_line_unknown");
  EXPECT_EQ(PickLines(prescribed, {}, {{1, 1}, {1, 1}}).error, "rx_line_unknown");
  auto some = PickLines(prescribed, {}, {{2, 1}});
  ASSERT_EQ(some.error, "");
  ASSERT_EQ(some.picks.size(), 1u);
  EXPECT_EQ(some.picks[0].quantity, 1);
}

TEST(DispensingRules, StatusMachine) {
  EXPECT_TRUE(CanMove("placed", "accepted"));
  EXPECT_TRUE(CanMove("placed", "cancelled"));
  EXPECT_TRUE(CanMove("accepted", "cancelled"));
  EXPECT_FALSE(CanMove("dispensed", "cancelled"));  // never after dispensing
  EXPECT_FALSE(CanMove("placed", "dispensed"));     // never before the pharmacy accepts (paid)
  EXPECT_TRUE(CanMove("dispensed", "handed_over"));
  EXPECT_TRUE(CanMove("dispensed", "assigned"));
  EXPECT_TRUE(CanMove("assigned", "picked_up"));
  EXPECT_TRUE(CanMove("picked_up", "delivered"));
  EXPECT_TRUE(CanMove("picked_up", "failed"));
  EXPECT_TRUE(CanMove("failed", "returned"));
  EXPECT_FALSE(CanMove("delivered", "failed"));
  EXPECT_FALSE(CanMove("cancelled", "placed"));
  for (const char* s : {"cancelled", "rejected", "expired", "returned"}) {
    EXPECT_TRUE(IsEnded(s)) << s;
    EXPECT_FALSE(EndReason(s).empty()) << s;
  }
  for (const char* s : {"placed", "accepted", "dispensed", "delivered", "handed_over"}) {
    EXPECT_FALSE(IsEnded(s)) << s;
    EXPECT_EQ(EndReason(s), "") << s;
  }
}

TEST(DispensingRules, BillingItemFromTheNrdlClass) {
  EXPECT_EQ(ItemCodeFor("医保甲类"), "drug.A");
  EXPECT_EQ(ItemCodeFor("医保乙类"), "drug.B");
  EXPECT_EQ(ItemCodeFor(""), "drug.none");
}

TEST(DispensingRules, Distance) {
  // Two points in 武汉 (江汉区 and 武昌区): about 6.8 km as the crow flies.
  const auto d = DistanceM(30.6013, 114.2707, 30.5539, 114.3160);
  EXPECT_GT(d, 6000);
  EXPECT_LT(d, 7200);
  EXPECT_EQ(DistanceM(30.5, 114.3, 30.5, 114.3), 0);
  // One degree of latitude is about 111.2 km.
  EXPECT_NEAR(DistanceM(30.0, 114.0, 31.0, 114.0), 111'195, 50);
}

TEST(DispensingRules, PickupCodeVerifiesAndRefusesForgeries) {
  ASSERT_GE(sodium_init(), 0);
  auto key = pickup::NewKeyPair();
  auto other = pickup::NewKeyPair();
  const PickupClaim claim{3, 42, 7, "n0nce"};
  const std::string code = pickup::Sign(claim, key.secret_key);
  ASSERT_EQ(code.rfind(std::string(kPickupPrefix), 0), 0u);
  auto p = ParsePickup(code + "\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->claim.key_id, 3);
  EXPECT_EQ(p->claim.order_id, 42);
  EXPECT_EQ(p->claim.pharmacy_id, 7);
  EXPECT_EQ(p->claim.nonce, "n0nce");
  EXPECT_TRUE(pickup::Verify(p->message, p->signature, key.public_key));
  EXPECT_FALSE(pickup::Verify(p->message, p->signature, other.public_key));
  // Another order id under the same signature: the message changed, the signature does not verify.
  const std::string forged =
      EncodePickup(PickupMessage(PickupClaim{3, 43, 7, "n0nce"}), std::string_view(p->signature));
  auto f = ParsePickup(forged);
  ASSERT_TRUE(f);
  EXPECT_FALSE(pickup::Verify(f->message, f->signature, key.public_key));
  for (const char* bad : {"", "IHOSPU1.", "IHOSPU1.abc", "IHOSRX1.abc.def", "IHOSPU1.!!.??"})
    EXPECT_FALSE(ParsePickup(bad)) << bad;
  EXPECT_FALSE(ParsePickup(EncodePickup("ihos-pickup-v1|0|42|7|x", std::string(64, 'a'))));
  EXPECT_FALSE(ParsePickup(EncodePickup("ihos-pickup-v1|1|42|7|x", std::string(10, 'a'))));
}

}  // namespace
}  // namespace ihos::domain::dispensing
