#pragma once
// Red flags: a fixed, versioned, reviewable rule list (not the model) that catches words which
// mean "go to emergency care now / call 120" — or, for suicidal intent, also the mental-health
// hotline — before any department is suggested. Every rule, its terms and its source are listed
// in README.md; a rule change bumps kRedFlagRulesVersion and updates tests/unit/triage_red_flags_test.cpp.
//
// Matching is on NormalizeForRules(text) (Normalize, then traditional -> simplified Chinese with
// OpenCC, spaces between Chinese characters dropped, common typos fixed). A rule fires when each of
// its term groups has a term present that is not negated (没有/无/未/否认/no ... before it, also
// across a list: "无胸痛、气短"), not in a clause about the past ("去年中风过") unless that clause
// also says "now", and not in a hypothetical or general question ("如果…", "怎么预防…"). A term may
// hold "…": its parts in order within the same clause, at most 8 characters apart. Pure, thread-safe.
#include <string>
#include <string_view>
#include <vector>

namespace ihos::domain::triage {

inline constexpr std::string_view kRedFlagRulesVersion = "2026-12-05.1";

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
  std::string_view source;                   // the published source (README.md, "Sources"), never empty
  // When one of these words is in the text, the rule also needs a word saying "now" (突然, 刚才 ...):
  // 口齿不清 in a child's question is about speech development, not a stroke.
  std::vector<std::string_view> needs_onset_if = {};
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

// The text the rules read (see above). Exposed for tests.
std::string NormalizeForRules(std::string_view text);

// Whether OpenCC's traditional -> simplified conversion is loaded (its data files are found at run
// time: $IHOS_OPENCC_DIR, OpenCC's own data directory, /usr/share/opencc, /usr/local/share/opencc).
bool TraditionalChineseFolding();

}  // namespace ihos::domain::triage
