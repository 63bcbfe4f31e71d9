#pragma once
// The health-code rule set and its evaluation: pure functions, no I/O, thread-safe.
//
// A rule set is JSON the health authority edits; every save is a new version (README.md):
//   {"test_valid_hours": 0,
//    "rules": [{"fact": "exposure", "value": "close_contact", "colour": "red", "days": 14, "negative_tests": 2},
//              {"fact": "travel", "risk": "medium", "colour": "yellow", "days": 7, "negative_tests": 1}, ...]}
// A fact matching a rule opens an episode of that colour from the fact's time. The episode ends
// when `days` have passed AND at least `negative_tests` negative nucleic-acid tests were sampled
// after the fact. The colour is the worst open episode; green when none. With test_valid_hours > 0
// a person with no negative test sampled in that many hours is yellow ("test.missing").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace ihos::domain::healthcode {

enum class Colour { green = 0, yellow = 1, red = 2 };
std::string_view ColourName(Colour c);
std::optional<Colour> ParseColour(std::string_view s);

struct Rule {
  std::string fact;   // exposure, nat_test, symptom, fever_onsite, travel
  std::string value;  // the fact's value to match; "" for travel (matched by risk)
  std::string risk;   // travel only: low, medium, high
  Colour colour = Colour::yellow;
  int days = 7;
  int negative_tests = 1;
};

struct RuleSet {
  std::int64_t version = 0;
  int test_valid_hours = 0;
  std::vector<Rule> rules;
};

// strict: a new rule set from the authority; every field is checked against its fact's
// vocabulary (a value no fact can take, a risk on a non-travel rule, a value on a travel rule,
// a field of the wrong type are field errors). stored: a version already saved is read back as
// it was accepted then (an older, looser check must not make the current version unreadable).
enum class RuleCheck { stored, strict };

// Parses and validates a rule-set body. Errors: invalid_argument "malformed_json", or
// validation_failed with fields like "rules[2].days" (out_of_range, invalid_value, required,
// wrong_type).
Result<RuleSet> ParseRuleSet(std::string_view json, RuleCheck check = RuleCheck::stored);
std::string RuleSetJson(const RuleSet& rs);
// The facts a rule can name, and the values each takes (travel: the risk levels), in the order an
// editor offers them; a strict ParseRuleSet accepts exactly these.
const std::vector<std::string>& RuleFacts();
const std::vector<std::string>& RuleFactValues(std::string_view fact);
// RULES.md defaults: yellow 7 days + 1 negative test, red 14 days + 2 negative tests.
const std::string& DefaultRuleSetJson();

struct Fact {
  std::int64_t id = 0;
  std::string kind;  // nat_test, vaccination, exposure, symptom, fever_onsite, travel
  std::string value;
  std::int64_t occurred_at = 0;
  std::string risk;  // travel: the risk level of the region on that date ("" = none)
  std::string region_code;
  std::string detail;
};

struct Reason {
  std::string code;  // e.g. "exposure.close_contact", "travel.high", "test.missing"
  Colour colour = Colour::yellow;
  std::int64_t fact_id = 0;  // 0 for test.missing
  std::int64_t since = 0;
  std::string until_date;         // CST date the period ends
  int negative_tests_needed = 0;  // still missing after `since`
  std::string region_code;
  std::string detail;
};

struct Evaluation {
  Colour colour = Colour::green;
  std::vector<Reason> reasons;                // open episodes, worst first
  std::optional<std::string> changes_on;      // the date the colour can change at the earliest
  std::optional<std::int64_t> next_check_at;  // a period ends then: evaluate again
};

Evaluation Evaluate(const RuleSet& rs, const std::vector<Fact>& facts, std::int64_t now_ms);

}  // namespace ihos::domain::healthcode
