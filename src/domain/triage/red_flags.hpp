#pragma once
// Red flags: a fixed, versioned, reviewable rule list (not the model) that catches words which
// mean "go to emergency care now / call 120" — or, for suicidal intent, also the mental-health
// hotline — before any department is suggested. Every rule, its terms and its source are listed
// in README.md; a rule change bumps kRedFlagRulesVersion and updates tests/unit/triage_red_flags_test.cpp.
//
// Matching is on Normalize(text): a rule fires when each of its term groups has a term present
// that is not negated (没有/无/不/未/否认/no/not/without ... just before it). Pure, thread-safe.
#include <string>
#include <string_view>
#include <vector>

namespace ihos::domain::triage {

inline constexpr std::string_view kRedFlagRulesVersion = "2026-11-23.1";

enum class RedFlagKind {
  emergency,     // go to emergency care now / call 120
  mental_health  // suicidal intent or self-harm: call 120 if in danger now, and the hotline
};

struct RedFlagRule {
  std::string_view id;
  RedFlagKind kind;
  std::vector<std::vector<std::string_view>> all_of;  // each group: any one of its terms
  std::string_view reason_zh;
  std::string_view reason_en;
  std::vector<std::string_view> not_inside;  // a match inside one of these phrases does not count
};

struct RedFlagHit {
  std::string_view rule_id;
  RedFlagKind kind;
  std::string_view reason_zh;
  std::string_view reason_en;
  std::vector<std::string> matched;  // the terms found, one per group
};

const std::vector<RedFlagRule>& RedFlagRules();

// Every rule that fires on `text`, in rule-list order (at most one hit per rule).
std::vector<RedFlagHit> CheckRedFlags(std::string_view text);

// The hotline shown with a mental_health hit: 12356, the national psychological assistance
// hotline (全国统一心理援助热线, from 2025-01-01).
inline constexpr std::string_view kMentalHealthHotline = "12356";
inline constexpr std::string_view kEmergencyNumber = "120";

const char* KindName(RedFlagKind k);

}  // namespace ihos::domain::triage
