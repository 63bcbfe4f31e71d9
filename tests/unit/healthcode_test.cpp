// Health code: the rule engine (pure) and the SMART Health Card primitives.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "domain/healthcode/rules.hpp"
#include "domain/healthcode/shc.hpp"

namespace ihos::domain::healthcode {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;
constexpr std::int64_t kT0 = 1'790'000'000'000;

RuleSet Defaults() { return *ParseRuleSet(DefaultRuleSetJson()); }

TEST(HealthCodeRules, NoFactsIsGreen) {
  auto ev = Evaluate(Defaults(), {}, kT0);
  EXPECT_EQ(ev.colour, Colour::green);
  EXPECT_TRUE(ev.reasons.empty());
  EXPECT_FALSE(ev.changes_on);
}

TEST(HealthCodeRules, CloseContactIsRedFourteenDaysAndNeedsTwoNegativeTests) {
  std::vector<Fact> facts{{1, "exposure", "close_contact", kT0, "", "", ""}};
  auto ev = Evaluate(Defaults(), facts, kT0 + kDay);
  EXPECT_EQ(ev.colour, Colour::red);
  ASSERT_EQ(ev.reasons.size(), 1u);
  EXPECT_EQ(ev.reasons[0].code, "exposure.close_contact");
  EXPECT_EQ(ev.reasons[0].negative_tests_needed, 2);
  EXPECT_EQ(ev.next_check_at, kT0 + 14 * kDay);
  // After 14 days with one negative test it is still red; the second turns it green.
  facts.push_back({2, "nat_test", "negative", kT0 + 10 * kDay, "", "", "s1"});
  EXPECT_EQ(Evaluate(Defaults(), facts, kT0 + 15 * kDay).colour, Colour::red);
  facts.push_back({3, "nat_test", "negative", kT0 + 13 * kDay, "", "", "s2"});
  EXPECT_EQ(Evaluate(Defaults(), facts, kT0 + 13 * kDay + 1).colour, Colour::red);  // period not over
  EXPECT_EQ(Evaluate(Defaults(), facts, kT0 + 14 * kDay).colour, Colour::green);
}

TEST(HealthCodeRules, NegativeTestsBeforeTheFactDoNotCount) {
  std::vector<Fact> facts{{1, "nat_test", "negative", kT0 - kDay, "", "", "s"},
                          {2, "symptom", "fever", kT0, "", "", ""}};
  EXPECT_EQ(Evaluate(Defaults(), facts, kT0 + 8 * kDay).colour, Colour::yellow);
}

TEST(HealthCodeRules, WorstColourWinsAndReasonsAreWorstFirst) {
  std::vector<Fact> facts{{1, "symptom", "fever", kT0, "", "", ""},
                          {2, "travel", "arrival", kT0, "high", "420106", "2026-01-01"}};
  auto ev = Evaluate(Defaults(), facts, kT0 + kDay);
  EXPECT_EQ(ev.colour, Colour::red);
  ASSERT_EQ(ev.reasons.size(), 2u);
  EXPECT_EQ(ev.reasons[0].code, "travel.high");
  EXPECT_EQ(ev.reasons[1].code, "symptom.fever");
  // Travel to a region without a risk level changes nothing.
  EXPECT_EQ(Evaluate(Defaults(), {{3, "travel", "arrival", kT0, "", "110105", ""}}, kT0).colour, Colour::green);
}

TEST(HealthCodeRules, TestValidityMakesYellowWithoutARecentNegativeTest) {
  auto rs = *ParseRuleSet(R"({"test_valid_hours":48,"rules":[]})");
  EXPECT_EQ(Evaluate(rs, {}, kT0).colour, Colour::yellow);
  std::vector<Fact> facts{{1, "nat_test", "negative", kT0, "", "", "s"}};
  auto ev = Evaluate(rs, facts, kT0 + kDay);
  EXPECT_EQ(ev.colour, Colour::green);
  EXPECT_EQ(ev.next_check_at, kT0 + 2 * kDay);
  EXPECT_EQ(Evaluate(rs, facts, kT0 + 2 * kDay).colour, Colour::yellow);
}

TEST(HealthCodeRules, RuleSetValidationNamesEveryBadField) {
  auto bad = ParseRuleSet(
      R"({"rules":[{"fact":"weather","value":"rain","colour":"green","days":0,"negative_tests":11},
                   {"fact":"travel","colour":"red","days":14,"negative_tests":2}],"extra":1})");
  ASSERT_FALSE(bad);
  std::set<std::string> fields;
  for (const auto& f : bad.error().fields) fields.insert(f.field + ":" + f.code);
  EXPECT_TRUE(fields.count("extra:unknown_field"));
  EXPECT_TRUE(fields.count("rules[0].fact:invalid_value"));
  EXPECT_TRUE(fields.count("rules[0].colour:invalid_value"));
  EXPECT_TRUE(fields.count("rules[0].days:out_of_range"));
  EXPECT_TRUE(fields.count("rules[0].negative_tests:out_of_range"));
  EXPECT_TRUE(fields.count("rules[1].risk:required"));
  EXPECT_EQ(ParseRuleSet("[1]").error().code, "malformed_json");
  // The defaults round-trip.
  EXPECT_EQ(RuleSetJson(*ParseRuleSet(RuleSetJson(Defaults()))), RuleSetJson(Defaults()));
}

TEST(SmartHealthCard, NumericQrEncodingRoundTripsAndRefusesChunksAndJunk) {
  const std::string jws = "eyJhbGciOiJFUzI1NiJ9.abc-_XYZ.012";
  const std::string qr = shc::ToQrText(jws);
  EXPECT_EQ(qr.substr(0, 7), "shc:/56");  // 'e' = 101 - 45 = 56
  EXPECT_EQ(shc::FromQrText(qr), jws);
  EXPECT_FALSE(shc::FromQrText("shc:/1/2/5676"));
  EXPECT_FALSE(shc::FromQrText("shc:/567"));
  EXPECT_FALSE(shc::FromQrText("shc:/99"));
  EXPECT_FALSE(shc::FromQrText("http://x"));
}

TEST(SmartHealthCard, RawDeflateRoundTripsAndRefusesGarbage) {
  const std::string text(2000, 'a');
  const auto z = shc::RawDeflate(text);
  EXPECT_LT(z.size(), 100u);
  EXPECT_EQ(shc::RawInflate(z), text);
  EXPECT_FALSE(shc::RawInflate("not deflate at all"));
  EXPECT_FALSE(shc::RawInflate(z, 100));  // past the size limit
}

TEST(SmartHealthCard, SignedJwsVerifiesAndATamperedOneDoesNot) {
  auto key = shc::SigningKey::Generate();
  ASSERT_TRUE(key);
  EXPECT_EQ(key->kid(), shc::Thumbprint(key->x(), key->y()));
  EXPECT_EQ(key->kid().size(), 43u);
  const std::string jws = shc::SignJws(*key, R"({"iss":"http://x","nbf":1})");
  auto parsed = shc::ParseJws(jws);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kid, key->kid());
  EXPECT_EQ(parsed->payload_json, R"({"iss":"http://x","nbf":1})");
  auto vk = shc::VerifyKey::FromXY(key->x(), key->y());
  ASSERT_TRUE(vk);
  EXPECT_TRUE(vk->Verify(parsed->signing_input, parsed->signature));
  EXPECT_FALSE(vk->Verify(parsed->signing_input + "x", parsed->signature));
  auto other = shc::SigningKey::Generate();
  EXPECT_FALSE(shc::VerifyKey::FromXY(other->x(), other->y())->Verify(parsed->signing_input, parsed->signature));
  EXPECT_FALSE(shc::VerifyKey::FromXY("AAAA", "BBBB"));
  // The PEM reloads to the same key.
  auto again = shc::SigningKey::FromPem(key->Pem());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->kid(), key->kid());
}

TEST(SmartHealthCard, SealedKeysOpenOnlyWithTheirKek) {
  const auto kek = shc::DeriveKek("correct horse");
  const auto sealed = shc::Seal("private pem", kek);
  EXPECT_EQ(shc::Unseal(sealed, kek), "private pem");
  EXPECT_FALSE(shc::Unseal(sealed, shc::DeriveKek("wrong")));
  EXPECT_NE(shc::Rid("s", "kid", 1), shc::Rid("s", "kid", 2));
  EXPECT_LE(shc::Rid("s", "kid", 1).size(), 24u);
}

TEST(SmartHealthCard, QrSvgIsAnSvgWithModules) {
  const auto svg = shc::QrSvg(shc::ToQrText("abc.def.ghi"));
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("<path"), std::string::npos);
}

}  // namespace
}  // namespace ihos::domain::healthcode
