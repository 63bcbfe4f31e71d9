// The health-code rule validator (issue 17, defect 3): a new rule set names only values its
// fact can take; versions saved before the stricter check still load.
#include <gtest/gtest.h>

#include "domain/healthcode/rules.hpp"

namespace ihos::domain::healthcode {
namespace {

std::string One(const std::string& rule) { return R"({"test_valid_hours":0,"rules":[)" + rule + "]}"; }

std::vector<std::string> Fields(const Result<RuleSet>& r) {
  std::vector<std::string> out;
  if (r) return out;
  for (const auto& f : r.error().fields) out.push_back(f.field + ":" + f.code);
  return out;
}

TEST(HealthCodeRuleVocabulary, StrictRefusesValuesNoFactTakes) {
  const auto bogus = One(R"({"fact":"exposure","value":"bogus","colour":"red","days":14,"negative_tests":2})");
  EXPECT_EQ(Fields(ParseRuleSet(bogus, RuleCheck::strict)), std::vector<std::string>{"rules[0].value:invalid_value"});
  // A version saved under the old check is still readable (the current version must load).
  EXPECT_TRUE(ParseRuleSet(bogus, RuleCheck::stored));
  EXPECT_TRUE(ParseRuleSet(bogus));
}

TEST(HealthCodeRuleVocabulary, StrictRefusesJunkStrings) {
  for (const std::string v : {"fever\\u0000", "fever\\\"", "FEVER", " fever", "close_contact"})
    EXPECT_FALSE(
        ParseRuleSet(One(R"({"fact":"symptom","value":")" + v + R"(","colour":"yellow","days":7,"negative_tests":1})"),
                     RuleCheck::strict))
        << v;
}

TEST(HealthCodeRuleVocabulary, TravelTakesARiskOtherFactsAValue) {
  EXPECT_EQ(Fields(ParseRuleSet(
                One(R"({"fact":"travel","risk":"high","value":"x","colour":"red","days":14,"negative_tests":2})"),
                RuleCheck::strict)),
            std::vector<std::string>{"rules[0].value:invalid_value"});
  EXPECT_TRUE(
      ParseRuleSet(One(R"({"fact":"travel","risk":"high","value":"","colour":"red","days":14,"negative_tests":2})"),
                   RuleCheck::strict));
  EXPECT_EQ(
      Fields(ParseRuleSet(
          One(R"({"fact":"nat_test","value":"positive","risk":"high","colour":"red","days":14,"negative_tests":2})"),
          RuleCheck::strict)),
      std::vector<std::string>{"rules[0].risk:invalid_value"});
  EXPECT_EQ(Fields(ParseRuleSet(One(R"({"fact":"nat_test","value":7,"colour":"red","days":14,"negative_tests":2})"),
                                RuleCheck::strict)),
            (std::vector<std::string>{"rules[0].value:wrong_type", "rules[0].value:required"}));
}

TEST(HealthCodeRuleVocabulary, TheDefaultsPassTheStrictCheck) {
  auto rs = ParseRuleSet(DefaultRuleSetJson(), RuleCheck::strict);
  ASSERT_TRUE(rs) << rs.error().code;
  EXPECT_EQ(rs->rules.size(), 10u);
  EXPECT_TRUE(ParseRuleSet(RuleSetJson(*rs), RuleCheck::strict));
}

// The vocabulary the rules endpoint offers an editor is exactly what a strict parse accepts.
TEST(HealthCodeRuleVocabulary, EveryOfferedValueIsAccepted) {
  ASSERT_EQ(RuleFacts().size(), 5u);
  for (const auto& fact : RuleFacts()) {
    ASSERT_FALSE(RuleFactValues(fact).empty()) << fact;
    const std::string key = fact == "travel" ? "risk" : "value";
    for (const auto& v : RuleFactValues(fact))
      EXPECT_TRUE(ParseRuleSet(One(R"({"fact":")" + fact + R"(",")" + key + R"(":")" + v +
                                   R"(","colour":"yellow","days":7,"negative_tests":1})"),
                               RuleCheck::strict))
          << fact << "=" << v;
  }
  EXPECT_TRUE(RuleFactValues("vaccination").empty());
}

}  // namespace
}  // namespace ihos::domain::healthcode
