#include "domain/triage/red_flags.hpp"

#include <opencc/opencc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "domain/triage/red_flag_detail.hpp"
#include "domain/triage/text.hpp"

// The red flags' entry points: the rule table in order, the normaliser (OpenCC, spacing, typos), the
// vital signs and CheckRedFlags. The table and the matcher are in the red_flag_*.cpp files beside this
// one (red_flag_detail.hpp).
namespace ihos::domain::triage {
namespace rf = red_flag_detail;

const std::vector<RedFlagRule>& RedFlagRules() {
  static const std::vector<RedFlagRule> kRules = [] {
    auto v = rf::NeuroAndCirculationRules();
    for (auto& r : rf::OtherPresentationRules()) v.push_back(std::move(r));
    return v;
  }();
  return kRules;
}

const char* KindName(RedFlagKind k) {
  switch (k) {
    case RedFlagKind::emergency:
      return "emergency";
    case RedFlagKind::mental_health:
      return "mental_health";
  }
  return "emergency";
}

namespace red_flag_detail {
namespace {

RedFlagHit Hit(std::string_view id, std::string_view zh, std::string_view en, std::vector<std::string> matched) {
  return RedFlagHit{id, RedFlagKind::emergency, zh, en, std::move(matched)};
}

// Measured values from cn2018 level 1-2: SpO2 under 90 %, a systolic pressure of 200 or more or a
// diastolic of 120 or more, a heart rate over 150 or under 40. Returned as hits of their own.
void CheckVitals(std::string_view t, std::vector<RedFlagHit>& hits) {
  // A fetal heart rate is not the patient's; a recurring episode ("有时心跳160") needs a word saying now.
  if (Contains(t, "胎心")) return;
  if (ContainsAny(t, kChronic) && !ContainsAny(t, kOnset) && !ContainsAny(t, {"又", "正在", "还在", "这次", "此刻"}))
    return;
  if (auto v = NumberAfter(t, {"血氧", "氧饱和度", "spo2", "oxygen saturation", "oxygen level"}, 12);
      v && v->first >= 50 && v->first < 90) {
    const std::size_t p = t.find(v->second);
    if (!ClauseIsPast(t, ClauseStart(t, p), ClauseEnd(t, p)))
      hits.push_back(Hit("low_oxygen", "血氧饱和度低于 90% 需要立即急救。",
                         "An oxygen saturation under 90% needs emergency care now.",
                         {std::string(v->second), std::to_string(v->first)}));
  }
  if (auto v = NumberAfter(t, {"血压", "bp", "blood pressure"}, 12); v) {
    const std::size_t p = t.find(v->second);
    const std::size_t num = t.find(std::to_string(v->first), p);
    int diastolic = 0;
    if (num != std::string_view::npos) {
      std::size_t s = num + std::to_string(v->first).size();
      if (s < t.size() && t[s] == '/') diastolic = std::atoi(std::string(t.substr(s + 1, 3)).c_str());
    }
    if ((v->first >= 200 && v->first < 300) || diastolic >= 120) {
      if (!ClauseIsPast(t, ClauseStart(t, p), ClauseEnd(t, p)))
        hits.push_back(Hit("very_high_blood_pressure", "血压极高（收缩压 ≥200 或舒张压 ≥120）需要立即急诊。",
                           "A very high blood pressure (200 systolic or 120 diastolic or more) needs the emergency "
                           "department now.",
                           {std::string(v->second), std::to_string(v->first)}));
    }
  }
  if (auto v = NumberAfter(t, {"心跳", "心率", "脉搏", "heart rate", "pulse"}, 12);
      v && ((v->first > 150 && v->first < 300) || (v->first > 0 && v->first < 40))) {
    const std::size_t p = t.find(v->second);
    if (!ClauseIsPast(t, ClauseStart(t, p), ClauseEnd(t, p)))
      hits.push_back(Hit("extreme_heart_rate", "心率过快（>150 次/分）或过慢（<40 次/分）需要立即急诊。",
                         "A heart rate over 150 or under 40 a minute needs the emergency department now.",
                         {std::string(v->second), std::to_string(v->first)}));
  }
}

const RedFlagRule& InfantFeverRule() {
  static const RedFlagRule kRule{
      "infant_fever",
      K::emergency,
      {{"发烧", "发热", "高烧", "烧到", "体温", "fever", "temperature"}},
      "3 个月以下的婴儿发烧（38℃及以上）需要立即就医。",
      "A baby under 3 months old with a fever (38 °C or more) needs to see a doctor urgently.",
      {"体温正常", "体温不高"},
      "nice.infant"};
  return kRule;
}

// Typing slips and homophones seen in patients' messages, after traditional -> simplified.
constexpr std::pair<std::string_view, std::string_view> kTypos[] = {
    {"抽蓄", "抽搐"},   {"抽畜", "抽搐"},     {"抽触", "抽搐"},     {"昏谜", "昏迷"},   {"昏米", "昏迷"},
    {"晕阙", "晕厥"},   {"晕蹶", "晕厥"},     {"惊阙", "惊厥"},     {"胸通", "胸痛"},   {"冷汉", "冷汗"},
    {"中凤", "中风"},   {"脑梗赛", "脑梗塞"}, {"农要", "农药"},     {"困男", "困难"},   {"窒熄", "窒息"},
    {"自刹", "自杀"},   {"过民", "过敏"},     {"羊癫风", "羊癫疯"}, {"can’t", "can't"}, {"won’t", "won't"},
    {"don’t", "don't"}, {"i’m", "i'm"},       {"it’s", "it's"}};

// OpenCC's traditional -> simplified converter, opened once; null when its data files are missing.
opencc_t OpenConverter() {
  std::vector<std::string> candidates;
  if (const char* dir = std::getenv("IHOS_OPENCC_DIR"); dir && *dir)
    candidates.push_back(std::string(dir) + "/t2s.json");
  candidates.push_back("t2s.json");  // OpenCC's own data directory (its build's PKGDATADIR)
  for (const char* dir : {"/usr/share/opencc", "/usr/local/share/opencc", "/opt/homebrew/share/opencc",
                          "/usr/lib/x86_64-linux-gnu/opencc", "/usr/lib/aarch64-linux-gnu/opencc"})
    candidates.push_back(std::string(dir) + "/t2s.json");
  for (const auto& path : candidates) {
    opencc_t od = opencc_open(path.c_str());
    if (od != reinterpret_cast<opencc_t>(-1)) return od;
  }
  std::fprintf(stderr,
               "{\"level\":\"warn\",\"msg\":\"triage: OpenCC t2s.json not found; traditional Chinese is not "
               "folded for the red flags (install opencc data or set IHOS_OPENCC_DIR)\"}\n");
  return nullptr;
}

opencc_t Converter() {
  static const opencc_t kConverter = OpenConverter();
  return kConverter;
}

}  // namespace
}  // namespace red_flag_detail

bool TraditionalChineseFolding() { return rf::Converter() != nullptr; }

std::string NormalizeForRules(std::string_view raw) {
  std::string text = Normalize(raw);
  // Traditional -> simplified (only when there is something beyond ASCII).
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    if (opencc_t od = rf::Converter()) {
      // The converter is immutable after opening; conversion allocates its own buffers.
      if (char* out = opencc_convert_utf8(od, text.data(), text.size())) {
        text.assign(out);
        opencc_convert_utf8_free(out);
      }
    }
  }
  // Spaces next to a non-ASCII character go: "呼 吸 困 难", "grandma 突然".
  std::string compact;
  compact.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ') {
      const bool prev_wide = i > 0 && static_cast<unsigned char>(text[i - 1]) >= 0x80;
      const bool next_wide = i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80;
      if (prev_wide || next_wide) continue;
    }
    compact += text[i];
  }
  for (const auto& [from, to] : rf::kTypos) {
    std::size_t p = 0;
    while ((p = compact.find(from, p)) != std::string::npos) {
      compact.replace(p, from.size(), to);
      p += to.size();
    }
  }
  return compact;
}

std::vector<RedFlagHit> CheckRedFlags(std::string_view raw) {
  const std::string text = NormalizeForRules(raw);
  std::vector<RedFlagHit> hits;
  // A word saying "now" for needs_onset_if: the onset words, or 又 / 正在 / 还在 / 这次 ("又抽了").
  const bool has_onset =
      rf::ContainsAny(text, rf::kOnset) || rf::ContainsAny(text, {"又", "正在", "还在", "这次", "此刻"});
  for (const auto& rule : RedFlagRules()) {
    if (!rule.needs_onset_if.empty() && !has_onset && rf::ContainsAny(text, rule.needs_onset_if)) continue;
    RedFlagHit hit{rule.id, rule.kind, rule.reason_zh, rule.reason_en, {}};
    bool all = true;
    for (const auto& group : rule.all_of) {
      auto term = rf::FindTerm(text, group, rule.not_inside);
      if (!term) {
        all = false;
        break;
      }
      hit.matched.emplace_back(*term);
    }
    if (all && std::none_of(hits.begin(), hits.end(), [&](const RedFlagHit& h) { return h.rule_id == rule.id; }))
      hits.push_back(std::move(hit));
  }
  // Infant fever (NICE NG143: any fever of 38 °C or more under 3 months is high risk): an age
  // under 90 days, a fever word, and either no temperature or one of 38 °C or more.
  const auto& infant = rf::InfantFeverRule();
  if (auto age = rf::InfantAgeDays(text); age && *age < 90) {
    if (auto term = rf::FindTerm(text, infant.all_of[0], {}); term) {
      const auto temp = rf::Temperature(text);
      if (!temp || *temp >= 38.0)
        hits.push_back(RedFlagHit{infant.id,
                                  infant.kind,
                                  infant.reason_zh,
                                  infant.reason_en,
                                  {std::to_string(*age) + " days", std::string(*term)}});
    }
  }
  rf::CheckVitals(text, hits);
  return hits;
}

}  // namespace ihos::domain::triage
