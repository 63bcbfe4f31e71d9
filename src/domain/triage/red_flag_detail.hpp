#pragma once
// Internal to the red flags (red_flags.hpp is the interface): the word lists the rule table and the
// matcher share, the rule table's two halves, and the matcher's functions. Split along its seams:
//   red_flag_rules_neuro.cpp  — chest pain, stroke, seizures, consciousness, breathing, circulation
//   red_flag_rules_other.cpp  — headache, children, poisoning, mental health, pregnancy, allergy,
//                               trauma, burns and the other presentations
//   red_flag_match.cpp        — clauses, negation, the past, hypotheticals, terms, ages, numbers
//   red_flags.cpp             — the normaliser (OpenCC, spacing, typos), vital signs, CheckRedFlags
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/triage/red_flags.hpp"

namespace ihos::domain::triage::red_flag_detail {

using K = RedFlagKind;
using Terms = std::vector<std::string_view>;

// Words that say "now": the sign has just begun. Used by rules whose signs are also common
// long-standing complaints, and to keep a clause current when it also names the past.
inline const Terms kOnset = {"突然",         "忽然",      "突发",        "一下子",     "猛地",     "刚才",
                             "刚刚",         "今天",      "今早",        "今晚",       "早上起来", "醒来",
                             "起床后",       "起来后",    "半小时",      "一小时",     "小时前",   "分钟前",
                             "十几分钟",     "正在",      "吃着饭",      "吃饭的时候", "sudden",   "just now",
                             "this morning", "right now", "an hour ago", "minutes ago"};

// For a named emergency ("好像中风了"): the onset words, or a suspicion voiced now.
inline const Terms kOnsetOrSuspected = [] {
  auto v = kOnset;
  for (std::string_view w : {"好像", "是不是", "可能是", "怀疑", "了吧", "i think", "maybe", "might be", "可能"})
    v.push_back(w);
  return v;
}();

// A recurring or long-standing complaint, or a question about a known condition ("经常呼吸困难",
// "癫痫每次发作都口吐白沫", "车祸后膝盖疼"): rules whose signs are also chronic complaints need a word
// saying "now" when one of these is in the text (MTS: the discriminators describe the current episode).
inline const Terms kChronic = {
    "经常", "有时候", "有时", "偶尔", "时不时", "反复", "每次", "每天", "每晚", "总是", "老是", "常常", "时常",
    "活动后", "运动后", "稍有活动", "一活动", "爬楼", "上楼", "阵发性", "好几年", "多年", "几年", "年了", "个月了",
    "多月", "一个月", "几个月", "半年", "一段时间", "这段时间", "很久", "一直都", "每当", "复发", "确诊", "诊断",
    "病史", "住院", "出院", "复查", "术后", "手术", "哪家", "有什么办法", "怎么治", "如何治", "能治好", "治疗方法",
    "遗传", "次了", "发病", "星期一次", "周一次", "一个星期", "周了", "天了", "损伤", "医院",
    // a consultation about a known complaint (the Haodf form's "hope for help" boilerplate)
    "检查", "治疗", "吃药", "吃了药", "服药", "引起", "什么病", "什么毛病", "怎么回事", "什么原因", "挂什么", "科室",
    "哪个科", "看什么科", "建议", "需要注意", "深呼吸", "吸氧", "因为什么", "结痂"};

// Long-standing signs, for the stroke signs (a narrower list than kChronic: "去医院" must not hide a
// stroke).
inline const Terms kLongStanding = {"有时",   "偶尔",   "经常", "年了", "几年",   "多年",   "好几年", "个月了",
                                    "越来越", "岁了",   "语言", "迟缓", "说话晚", "孩子",   "宝宝",   "小孩",
                                    "幼儿",   "小朋友", "岁半", "发育", "面瘫",   "面神经", "轻微"};

// A child is the subject (WHO IMCI danger signs; a child's swallowed tablets).
inline const Terms kChild = {"孩子",    "宝宝",   "小孩", "儿子",   "女儿",   "娃",   "宝贝",
                             "婴儿",    "新生儿", "幼儿", "小朋友", "孙子",   "孙女", "外孙",
                             "toddler", "baby",   "kid",  "child",  "infant", "son",  "daughter"};

// The rule table, in order: RedFlagRules() is the first half followed by the second.
std::vector<RedFlagRule> NeuroAndCirculationRules();
std::vector<RedFlagRule> OtherPresentationRules();

// The matcher (red_flag_match.cpp).
bool Contains(std::string_view s, std::string_view w);
bool ContainsAny(std::string_view s, const Terms& words);
std::size_t ClauseStart(std::string_view t, std::size_t pos);
std::size_t ClauseEnd(std::string_view t, std::size_t pos);
// Whether the clause [start, end) speaks of the past.
bool ClauseIsPast(std::string_view t, std::size_t start, std::size_t end);
// A term present in `text` and counting: not negated, not inside one of `not_inside`, not in a
// clause about the past or a hypothetical one.
std::optional<std::string_view> FindTerm(std::string_view text, const Terms& terms, const Terms& not_inside);
// Age in days named in the text, when that young.
std::optional<int> InfantAgeDays(std::string_view t);
// The highest temperature in °C named in the text, if any.
std::optional<double> Temperature(std::string_view t);
// The first number within `window` bytes after one of `labels`.
std::optional<std::pair<int, std::string_view>> NumberAfter(std::string_view t, const Terms& labels,
                                                            std::size_t window);

}  // namespace ihos::domain::triage::red_flag_detail
