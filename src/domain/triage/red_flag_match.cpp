// The red-flag matcher: clauses, negation, the past, hypothetical questions, terms with "…", and
// the ages, temperatures and numbers some rules read (red_flag_detail.hpp).
#include <algorithm>
#include <cstdlib>
#include <optional>

#include "domain/triage/red_flag_detail.hpp"
#include "domain/triage/text.hpp"

namespace ihos::domain::triage::red_flag_detail {

// The helpers red_flag_detail.hpp does not declare live in this namespace too: only
// these files use it, so their names cannot clash in a unity build.
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool Contains(std::string_view s, std::string_view w) { return s.find(w) != std::string_view::npos; }

bool ContainsAny(std::string_view s, const Terms& words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return Contains(s, w); });
}

// Clause breaks: a negation, a past time or a question does not reach across them. '、' and '和'
// join a list and are not breaks.
constexpr std::string_view kBreaks[] = {"，", "。", "；", "！", "？", "：", ",", ".", ";", "!", "?", ":", "\n", "…"};

std::size_t ClauseStart(std::string_view t, std::size_t pos) {
  std::size_t start = 0;
  for (std::string_view b : kBreaks) {
    const std::size_t p = t.substr(0, pos).rfind(b);
    if (p != std::string_view::npos && p + b.size() > start) start = p + b.size();
  }
  return start;
}

std::size_t ClauseEnd(std::string_view t, std::size_t pos) {
  std::size_t end = t.size();
  for (std::string_view b : kBreaks) {
    const std::size_t p = t.find(b, pos);
    if (p != std::string_view::npos && p < end) end = p;
  }
  return end;
}

// "now" inside a clause keeps it current even when it also names the past ("去年中风过今天又嘴歪").
const Terms kNow = {"突然", "忽然", "突发",  "刚才", "刚刚",   "今天",   "今早",    "今晚",        "现在",
                    "正在", "此刻", "又",    "再次", "还在",   "小时前", "分钟",    "早上",        "昨晚",
                    "半夜", "now",  "today", "just", "sudden", "again",  "tonight", "minutes ago", "an hour ago"};

// The past: a clause about an old event ("三年前车祸后腰一直疼", "既往脑梗病史").
const Terms kPast = {"医生说", "去年",   "半月前",    "周前",       "星期前",  "前年",       "年前",   "多年", "几年",
                     "半年",   "个月前", "上个月",    "上周",       "上星期",  "以前",       "之前",   "曾经", "曾",
                     "小时候", "既往",   "病史",      "史",         "后遗症",  "术后",       "手术后", "康复", "疤",
                     "出生时", "ago",    "last year", "history of", "used to", "in the past"};

// A hypothetical or general question ("如果孩子高热惊厥了应该怎么处理", "怎么预防脑梗").
const Terms kHypothetical = {"如果",           "假如",       "万一",        "预防",     "怎么防",     "防止",
                             "前兆",           "有哪些",     "哪些表现",    "什么症状", "症状有哪些", "怎么判断",
                             "以后",           "将来",       "科普",        "志愿者",   "理赔",       "what are the",
                             "how to prevent", "signs of a", "symptoms of", "what if"};

// "有过" is the past, "有过敏" is not.
bool HasPast(std::string_view clause) {
  if (ContainsAny(clause, kPast)) return true;
  std::size_t p = 0;
  while ((p = clause.find("有过", p)) != std::string_view::npos) {
    // "有过敏" is not the past, and "从来没有过" is "never before".
    const bool never = p >= std::string_view("没").size() && EndsWith(clause.substr(0, p), "没");
    if (!clause.substr(p + std::string_view("有过").size()).starts_with("敏") && !never) return true;
    p += 1;
  }
  return false;
}

// Whether the clause [start, end) speaks of the past. Only the clause itself counts: carrying the
// past into the next clause was tried and dropped ("失眠半年，最近觉得活着没意思" must fire).
bool ClauseIsPast(std::string_view t, std::size_t start, std::size_t end) {
  const std::string_view clause = t.substr(start, end - start);
  if (ContainsAny(clause, kNow)) return false;
  return HasPast(clause);
}

constexpr std::string_view kNegators[] = {
    "没有", "没",   "无", "不",  "未",      "否认",   "并无",  "排除",       "除外",        "不是",   "并非",      "怕",
    "担心", "以为", "no", "not", "without", "denies", "never", "don't have", "do not have", "didn't", "no sign of"};

// Negators just before a term: "无胸痛", "没有明显的呼吸困难", "no chest pain"; and across a list:
// "无胸痛、气短", "没有发烧和抽搐".
bool Negated(std::string_view text, std::size_t pos, int depth = 0) {
  std::string_view before = text.substr(0, pos);
  for (int strip = 0; strip < 3; ++strip) {
    bool stripped = false;
    for (std::string_view filler : {"明显的", "明显", "任何", "什么", "出现", "感到", "觉得", "有", "的", "过", "想",
                                    "要", " ", "any ", "other "}) {
      if (EndsWith(before, filler) && !EndsWith(before, "没有")) {
        before.remove_suffix(filler.size());
        stripped = true;
        break;
      }
    }
    if (!stripped) break;
  }
  for (std::string_view neg : kNegators) {
    if (EndsWith(before, neg)) {
      const bool ascii = IsAsciiAlpha(neg[0]);
      if (!ascii) return true;
      const std::size_t at = before.size() - neg.size();
      if (at == 0 || !IsAsciiAlpha(before[at - 1])) return true;
    }
  }
  // A list: the term follows '、', '和', '或', '及', "也没有" after an earlier item; that item
  // (at most 6 characters) must itself follow a negator.
  if (depth < 3) {
    for (std::string_view sep : {"、", "和", "或", "及", "/", " or "}) {
      if (!EndsWith(before, sep)) continue;
      std::string_view item = before.substr(0, before.size() - sep.size());
      // Walk back over up to 6 code points that are not breaks.
      std::size_t cut = item.size();
      for (int n = 0; n < 6 && cut > 0; ++n) {
        std::size_t c = cut - 1;
        while (c > 0 && (static_cast<unsigned char>(item[c]) & 0xC0) == 0x80) --c;
        const std::string_view cp = item.substr(c, cut - c);
        bool is_break = false;
        for (std::string_view b : kBreaks) is_break = is_break || cp == b;
        if (is_break) break;
        cut = c;
        if (Negated(text, cut, depth + 1)) return true;
      }
    }
  }
  return false;
}

// Where `term` occurs at or after `from` (parts joined by "…" in order, each gap at most 8
// characters and within one clause); returns the start and end of the whole match.
std::optional<std::pair<std::size_t, std::size_t>> FindAt(std::string_view text, std::string_view term,
                                                          std::size_t from) {
  constexpr std::string_view kGap = "…";
  const std::size_t g = term.find(kGap);
  if (g == std::string_view::npos) {
    const std::size_t p = text.find(term, from);
    if (p == std::string_view::npos) return std::nullopt;
    return std::make_pair(p, p + term.size());
  }
  const std::string_view first = term.substr(0, g);
  std::size_t p = from;
  while ((p = text.find(first, p)) != std::string_view::npos) {
    std::size_t end = p + first.size();
    std::string_view rest = term.substr(g + kGap.size());
    bool ok = true;
    while (!rest.empty()) {
      const std::size_t ng = rest.find(kGap);
      const std::string_view part = rest.substr(0, ng);
      const std::size_t clause_end = ClauseEnd(text, end);
      const std::size_t limit = std::min(clause_end, end + 8 * 3 + part.size());
      const std::size_t q = text.substr(0, limit).find(part, end);
      if (q == std::string_view::npos) {
        ok = false;
        break;
      }
      end = q + part.size();
      rest = ng == std::string_view::npos ? std::string_view{} : rest.substr(ng + kGap.size());
    }
    if (ok) return std::make_pair(p, end);
    p += first.size();
  }
  return std::nullopt;
}

// "中风过", "抽搐过一次": the term names a past event ("过量", "过敏", "过去" are other words).
bool FollowedByPast(std::string_view text, std::size_t end) {
  const std::string_view rest = text.substr(end);
  if (!rest.starts_with("过")) return false;
  const std::string_view after = rest.substr(std::string_view("过").size());
  for (std::string_view w : {"量", "敏", "去", "来", "度", "多", "于", "快", "慢", "劳"})
    if (after.starts_with(w)) return false;
  return true;
}

// A term present in `text` and counting: not negated, not inside one of `not_inside`, not in a
// clause about the past or a hypothetical one.
std::optional<std::string_view> FindTerm(std::string_view text, const Terms& terms, const Terms& not_inside) {
  for (std::string_view term : terms) {
    std::size_t from = 0;
    while (auto m = FindAt(text, term, from)) {
      const auto [pos, end] = *m;
      bool excluded = Negated(text, pos) || FollowedByPast(text, end);
      for (std::string_view phrase : not_inside) {
        // The match lies inside an occurrence of `phrase` when the phrase starts at most
        // phrase.size() bytes before it and contains the match's first part at that offset.
        const std::string_view head = term.substr(0, term.find("…"));
        const std::size_t off = phrase.find(head);
        if (off != std::string_view::npos && pos >= off && text.substr(pos - off, phrase.size()) == phrase)
          excluded = true;
      }
      if (!excluded) {
        const std::size_t cs = ClauseStart(text, pos), ce = ClauseEnd(text, end);
        const std::string_view clause = text.substr(cs, ce - cs);
        if (ContainsAny(clause, kHypothetical) || ClauseIsPast(text, cs, ce)) excluded = true;
      }
      if (!excluded) return term;
      from = pos + 1;
      while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
    }
  }
  return std::nullopt;
}

// Age in days from "出生20天", "20天大", "两个月", "2个月大", "newborn", "6 weeks old"; nullopt
// when the text names no age that young (or none at all).
std::optional<int> InfantAgeDays(std::string_view t) {
  if (Contains(t, "新生儿") || Contains(t, "newborn")) return 7;
  if (Contains(t, "满月")) return 30;
  auto number_before = [&](std::size_t pos) -> std::optional<int> {
    std::size_t b = pos;
    while (b > 0 && t[b - 1] >= '0' && t[b - 1] <= '9') --b;
    if (b < pos) return std::atoi(std::string(t.substr(b, pos - b)).c_str());
    static const std::pair<std::string_view, int> kNums[] = {{"一", 1}, {"两", 2}, {"二", 2}, {"三", 3},
                                                             {"四", 4}, {"五", 5}, {"六", 6}, {"十", 10}};
    for (const auto& [w, n] : kNums)
      if (EndsWith(t.substr(0, pos), w)) return n;
    return std::nullopt;
  };
  std::optional<int> best;
  auto consider = [&](std::string_view unit, int days_per_unit, bool skip_space) {
    std::size_t pos = 0;
    while ((pos = t.find(unit, pos)) != std::string_view::npos) {
      std::size_t p = pos;
      if (skip_space && p > 0 && t[p - 1] == ' ') --p;
      // "3个月前" is a time, not an age; "1岁2个月" is over a year; "最近二个月" is a duration: a
      // month count is an age only right after a child word or before 大 / 的 / 宝宝 / 婴儿 / a comma.
      const std::string_view after = t.substr(pos + unit.size());
      bool ago = after.starts_with("前");
      if (unit == "个月") {
        std::size_t b = p;
        while (b > 0 && t[b - 1] >= '0' && t[b - 1] <= '9') --b;
        if (b == p && b >= 3) b -= 3;  // one Chinese numeral
        const std::string_view head = t.substr(0, b);
        const bool child_before = EndsWith(head, "宝宝") || EndsWith(head, "孩子") || EndsWith(head, "婴儿") ||
                                  EndsWith(head, "男,") || EndsWith(head, "女,") || EndsWith(head, "男，") ||
                                  EndsWith(head, "女，") || EndsWith(head, "才") || EndsWith(head, "出生");
        const bool age_after = after.starts_with("大") || after.starts_with("的") || after.starts_with("宝宝") ||
                               after.starts_with("婴儿") || after.starts_with("，") || after.starts_with(",") ||
                               after.empty();
        if (EndsWith(head, "岁") || !(child_before || age_after)) ago = true;
      }
      if (unit == "天大" && (after.starts_with("便") || after.starts_with("概"))) ago = true;
      if (auto n = number_before(p); n && *n > 0 && !ago) {
        const int days = *n * days_per_unit;
        if (!best || days < *best) best = days;
      }
      pos += unit.size();
    }
  };
  consider("个月", 30, false);
  consider("天大", 1, false);
  consider("天的宝宝", 1, false);
  consider("天的孩子", 1, false);
  consider("周大", 7, false);
  consider("week", 7, true);
  consider("-week", 7, false);
  consider("day-old", 1, false);
  consider("days old", 1, true);
  consider("month-old", 30, false);
  consider("months old", 30, true);
  if (auto p = t.find("出生"); p != std::string_view::npos) {
    std::size_t q = p + std::string_view("出生").size();
    std::size_t e = q;
    while (e < t.size() && t[e] >= '0' && t[e] <= '9') ++e;
    if (e > q && t.substr(e).starts_with("天")) {
      const int days = std::atoi(std::string(t.substr(q, e - q)).c_str());
      if (!best || days < *best) best = days;
    }
  }
  return best;
}

// The highest temperature in °C named in the text ("38.5度", "39℃", "38.5°c"), if any.
std::optional<double> Temperature(std::string_view t) {
  std::optional<double> best;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!(t[i] >= '0' && t[i] <= '9') || (i > 0 && ((t[i - 1] >= '0' && t[i - 1] <= '9') || t[i - 1] == '.'))) continue;
    std::size_t e = i;
    while (e < t.size() && ((t[e] >= '0' && t[e] <= '9') || t[e] == '.')) ++e;
    const double v = std::atof(std::string(t.substr(i, e - i)).c_str());
    if (v >= 35 && v <= 43) {
      std::string_view rest = t.substr(e);
      if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
      if (rest.starts_with("度") || rest.starts_with("℃") || rest.starts_with("°") || rest.starts_with("c") ||
          rest.starts_with("摄氏")) {
        if (!best || v > *best) best = v;
      }
    }
    i = e;
  }
  return best;
}

// The first number (digits) within `window` bytes after one of `labels`, e.g. "血氧只有85".
std::optional<std::pair<int, std::string_view>> NumberAfter(std::string_view t, const Terms& labels,
                                                            std::size_t window) {
  for (std::string_view label : labels) {
    std::size_t p = 0;
    while ((p = t.find(label, p)) != std::string_view::npos) {
      const std::size_t from = p + label.size();
      const std::size_t stop = std::min(t.size(), from + window);
      for (std::size_t i = from; i < stop; ++i) {
        if (t[i] >= '0' && t[i] <= '9') {
          std::size_t e = i;
          while (e < t.size() && t[e] >= '0' && t[e] <= '9') ++e;
          // "27岁", "36周", "5cm" are not the measurement.
          const std::string_view unit = t.substr(e);
          bool other = false;
          for (std::string_view u : {"岁", "周", "天", "年", "月", "号", "日", "cm", "kg", "斤", "mm", "次/天"})
            other = other || unit.starts_with(u);
          if (other) break;
          if (e - i <= 3 && (e >= t.size() || t[e] != '.'))
            return std::make_pair(std::atoi(std::string(t.substr(i, e - i)).c_str()), label);
          break;
        }
      }
      p = from;
    }
  }
  return std::nullopt;
}

}  // namespace ihos::domain::triage::red_flag_detail
