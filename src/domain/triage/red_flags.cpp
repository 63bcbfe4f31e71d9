#include "domain/triage/red_flags.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "domain/triage/text.hpp"

namespace ihos::domain::triage {

namespace {

using K = RedFlagKind;

// Words that say "now": the sign has just begun (stroke, seizure, injury). Without one of them
// a sign may be an old one ("去年中风后…").
const std::vector<std::string_view> kOnset = {
    "突然", "忽然",     "突发",     "刚才",         "刚刚",      "今天",        "今早",
    "今晚", "早上起来", "醒来",     "半小时",       "一小时",    "小时前",      "分钟前",
    "正在", "sudden",   "just now", "this morning", "right now", "an hour ago", "minutes ago"};

// For a named emergency ("好像中风了"): the onset words, or a suspicion voiced now.
const std::vector<std::string_view> kOnsetOrSuspected = [] {
  auto v = kOnset;
  for (std::string_view w : {"好像", "是不是", "可能是", "怀疑", "i think", "maybe", "might be"}) v.push_back(w);
  return v;
}();

}  // namespace

const std::vector<RedFlagRule>& RedFlagRules() {
  static const std::vector<RedFlagRule> kRules = {
      {"chest_pain_warning_signs",
       K::emergency,
       {{"胸痛",           "胸口痛",          "胸口疼",           "胸口闷痛",         "胸闷痛",   "胸部疼",
         "胸部痛",         "胸口剧痛",        "心口痛",           "心口疼",           "心前区痛", "心前区疼",
         "胸口压",         "胸前压",          "胸口像压",         "压榨样",           "胸口像被", "chest pain",
         "chest pressure", "chest tightness", "pain in my chest", "pain in the chest"},
        {"出汗",     "大汗",     "冷汗",  "虚汗",   "呼吸困难",   "喘不上气", "喘不过气", "气短", "憋气",
         "透不过气", "上不来气", "放射",  "左臂",   "左胳膊",     "左肩",     "下巴",     "下颌", "濒死",
         "晕厥",     "晕倒",     "sweat", "breath", "breathless", "left arm", "jaw",      "faint"}},
       "胸痛伴出汗、气短或放射痛，可能是急性心肌梗死等急症。",
       "Chest pain with sweating, breathlessness or pain spreading to the arm or jaw can be a heart attack.",
       {}},
      {"breathing_difficulty",
       K::emergency,
       {{"呼吸困难",
         "喘不上气",
         "喘不过气",
         "上不来气",
         "透不过气",
         "无法呼吸",
         "不能呼吸",
         "喘不动",
         "窒息",
         "嘴唇发紫",
         "口唇发紫",
         "口唇发绀",
         "嘴唇青紫",
         "憋得喘",
         "can't breathe",
         "can’t breathe",
         "cannot breathe",
         "difficulty breathing",
         "struggling to breathe",
         "short of breath",
         "choking",
         "lips turning blue"}},
       "呼吸困难或口唇发紫需要立即急救。",
       "Difficulty breathing or blue lips needs emergency care now.",
       {}},
      {"stroke_signs",
       K::emergency,
       {{"嘴歪",         "口角歪斜",       "口眼歪斜",   "嘴角歪",       "脸歪",        "半身不遂",
         "一侧肢体无力", "一侧无力",       "一边无力",   "半边身体",     "半边身子",    "半身麻木",
         "一侧麻木",     "手脚无力",       "胳膊抬不起", "说话不清",     "说话含糊",    "口齿不清",
         "言语不清",     "吐字不清",       "说不出话",   "看不见",       "失明",        "face drooping",
         "face droop",   "slurred speech", "one side",   "arm weakness", "can't speak", "cannot speak"},
        kOnset},
       "突然出现口角歪斜、一侧无力或说话不清，可能是脑卒中，每一分钟都很重要。",
       "Sudden face drooping, one-sided weakness or slurred speech may be a stroke: every minute counts.",
       {"中风后遗症", "卒中后遗症", "脑梗后遗症"}},
      {"stroke_suspected",
       K::emergency,
       {{"中风", "脑卒中", "卒中", "脑梗", "脑出血", "stroke"}, kOnsetOrSuspected},
       "疑似刚发生的脑卒中（中风），请立即拨打 120。",
       "A stroke that may be happening now: call 120 at once.",
       {"中风后遗症", "卒中后遗症", "脑梗后遗症"}},
      {"heavy_bleeding",
       K::emergency,
       {{"大出血",
         "大量出血",
         "出血不止",
         "流血不止",
         "血流不止",
         "止不住血",
         "血止不住",
         "喷血",
         "吐血",
         "呕血",
         "大口咯血",
         "大量咯血",
         "大口吐血",
         "大量便血",
         "便血很多",
         "出血很多",
         "流了很多血",
         "heavy bleeding",
         "bleeding heavily",
         "won't stop bleeding",
         "bleeding that won't stop",
         "vomiting blood",
         "coughing up blood"}},
       "大量出血或吐血、呕血需要立即急救。",
       "Heavy bleeding, or vomiting or coughing up blood, needs emergency care now.",
       {}},
      {"suicidal_intent",
       K::mental_health,
       {{"自杀",       "轻生",         "不想活",      "想死",        "活着没意思",         "活着没有意思",
         "活着没意义", "活着没有意义", "结束生命",    "结束自己",    "了结自己",           "割腕",
         "跳楼",       "寻死",         "自尽",        "自残",        "伤害自己",           "suicide",
         "suicidal",   "kill myself",  "end my life", "want to die", "don't want to live", "hurt myself",
         "self-harm"}},
       "你提到了轻生或伤害自己的想法。你并不孤单，现在就可以找人谈谈。",
       "You mentioned thoughts of ending your life or harming yourself. You are not alone; you can talk to someone "
       "now.",
       {"想死你", "想死我了", "想死他", "想死她"}},
      {"unconscious",
       K::emergency,
       {{"昏迷", "叫不醒", "意识不清", "不省人事", "没有意识", "失去意识", "昏过去", "没反应了", "没有反应了",
         "没有呼吸", "没呼吸", "心跳停", "unconscious", "unresponsive", "not breathing", "passed out"}},
       "意识丧失或叫不醒需要立即拨打 120。",
       "Someone who is unconscious or cannot be woken needs an ambulance (120) now.",
       {"没有呼吸困难", "没有呼吸急促", "没有呼吸道"}},
      {"seizure_now",
       K::emergency,
       {{"抽搐", "惊厥", "抽风", "癫痫发作", "seizure", "convulsion", "fitting"}, kOnset},
       "正在发生或刚发生的抽搐需要急救评估。",
       "A seizure that is happening or has just happened needs emergency care.",
       {}},
      {"poisoning",
       K::emergency,
       {{"喝了农药",     "喝农药",
         "喝了敌敌畏",   "喝了百草枯",
         "吃了老鼠药",   "吃老鼠药",
         "误服",         "误食",
         "误吞",         "误喝",
         "吞了电池",     "吞下电池",
         "吞了纽扣电池", "煤气中毒",
         "一氧化碳中毒", "药物中毒",
         "农药中毒",     "过量服用",
         "服药过量",     "药物过量",
         "吃了一整瓶",   "吃了一瓶",
         "overdose",     "poisoned",
         "poisoning",    "swallowed a battery",
         "drank bleach", "swallowed bleach"}},
       "中毒或误服需要立即急救，并带上药品或包装。",
       "Poisoning or swallowing something harmful needs emergency care now; bring the package with you.",
       {}},
      {"anaphylaxis",
       K::emergency,
       {{"过敏", "allerg"},
        {"喉咙肿", "喉头水肿", "嗓子肿", "喉咙发紧", "嗓子发紧", "舌头肿", "嘴唇肿", "呼吸困难", "喘不上气", "晕倒",
         "throat swelling", "throat is swelling", "swollen tongue", "tongue swelling", "lips swelling",
         "swollen lips"}},
       "严重过敏反应（喉咙或舌头肿、呼吸困难）可能危及生命。",
       "A severe allergic reaction (swollen throat or tongue, difficulty breathing) can be life-threatening.",
       {}},
      {"sudden_severe_headache",
       K::emergency,
       {{"突然剧烈头痛", "突发剧烈头痛", "突然头剧痛", "雷击样头痛", "头痛欲裂", "一生中最严重的头痛", "头要炸开",
         "worst headache", "thunderclap headache"}},
       "突然发生的剧烈头痛可能是脑出血等急症。",
       "A sudden, severe headache can be a bleed in the brain.",
       {}},
      {"pregnancy_emergency",
       K::emergency,
       {{"怀孕", "孕妇", "妊娠", "宫外孕", "孕期", "孕", "pregnan"},
        {"剧烈腹痛", "肚子剧痛", "腹部剧痛", "肚子疼得厉害", "腹痛难忍", "阴道大量出血", "羊水破了", "破水",
         "severe abdominal pain", "severe stomach pain", "waters broke", "water broke"}},
       "孕期剧烈腹痛、大量出血或破水需要立即去医院。",
       "Severe abdominal pain, heavy bleeding or waters breaking in pregnancy needs hospital care now.",
       {}},
      {"severe_injury",
       K::emergency,
       {{"车祸", "被车撞", "高处坠落", "从楼上摔", "从高处摔", "被刀", "刀伤", "骨头露出", "头部撞击", "car accident",
         "hit by a car", "fell from a height", "stab"},
        kOnset},
       "刚发生的严重外伤需要急救评估。",
       "A serious injury that has just happened needs emergency care.",
       {}},
  };
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

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Negators just before a term: "无胸痛", "没有明显的呼吸困难", "no chest pain".
bool Negated(std::string_view text, std::size_t pos) {
  std::string_view before = text.substr(0, pos);
  // At most 8 bytes of filler between the negator and the term: 明显, 任何, 什么, 出现, 感到.
  for (int strip = 0; strip < 3; ++strip) {
    bool stripped = false;
    for (std::string_view filler :
         {"明显的", "明显", "任何", "什么", "出现", "感到", "觉得", "有", "的", " ", "any "}) {
      if (EndsWith(before, filler) && !EndsWith(before, "没有")) {
        before.remove_suffix(filler.size());
        stripped = true;
        break;
      }
    }
    if (!stripped) break;
  }
  for (std::string_view neg :
       {"没有", "没", "无", "不", "未", "否认", "并无", "no", "not", "without", "denies", "never"}) {
    if (EndsWith(before, neg)) {
      // "no" must be a word of its own, not the end of "piano".
      const bool ascii = neg[0] >= 'a' && neg[0] <= 'z';
      if (!ascii) return true;
      const std::size_t at = before.size() - neg.size();
      if (at == 0 || before[at - 1] == ' ') return true;
    }
  }
  return false;
}

// A term present in `text` and not negated, and not inside one of `not_inside`.
std::optional<std::string_view> FindTerm(std::string_view text, const std::vector<std::string_view>& terms,
                                         const std::vector<std::string_view>& not_inside) {
  for (std::string_view term : terms) {
    std::size_t pos = 0;
    while ((pos = text.find(term, pos)) != std::string_view::npos) {
      bool excluded = Negated(text, pos);
      for (std::string_view phrase : not_inside) {
        // The match lies inside an occurrence of `phrase` when the phrase starts at most
        // phrase.size() bytes before it and contains it at that offset.
        const std::size_t off = phrase.find(term);
        if (off != std::string_view::npos && pos >= off && text.substr(pos - off, phrase.size()) == phrase)
          excluded = true;
      }
      if (!excluded) return term;
      pos += term.size();
    }
  }
  return std::nullopt;
}

// Age in days from "出生20天", "20天大", "两个月", "2个月大", "newborn", "6 weeks old"; nullopt
// when the text names no age that young (or none at all).
std::optional<int> InfantAgeDays(std::string_view t) {
  if (t.find("新生儿") != std::string_view::npos || t.find("newborn") != std::string_view::npos) return 7;
  if (t.find("满月") != std::string_view::npos) return 30;
  auto number_before = [&](std::size_t pos) -> std::optional<int> {
    // Digits, or one Chinese numeral, right before `pos`.
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
      if (auto n = number_before(p); n && *n > 0) {
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
    // "出生20天"
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

const RedFlagRule& InfantFeverRule() {
  static const RedFlagRule kRule{
      "infant_fever",
      K::emergency,
      {{"发烧", "发热", "高烧", "烧到", "体温", "fever", "temperature"}},
      "3 个月以下的婴儿发烧（38℃及以上）需要立即就医。",
      "A baby under 3 months old with a fever (38 °C or more) needs to see a doctor urgently.",
      {}};
  return kRule;
}

}  // namespace

std::vector<RedFlagHit> CheckRedFlags(std::string_view raw) {
  const std::string text = Normalize(raw);
  std::vector<RedFlagHit> hits;
  for (const auto& rule : RedFlagRules()) {
    RedFlagHit hit{rule.id, rule.kind, rule.reason_zh, rule.reason_en, {}};
    bool all = true;
    for (const auto& group : rule.all_of) {
      auto term = FindTerm(text, group, rule.not_inside);
      if (!term) {
        all = false;
        break;
      }
      hit.matched.emplace_back(*term);
    }
    if (all) hits.push_back(std::move(hit));
  }
  // Infant fever (NICE NG143: any fever of 38 °C or more under 3 months is high risk): an age
  // under 90 days, a fever word, and either no temperature or one of 38 °C or more.
  const auto& infant = InfantFeverRule();
  if (auto age = InfantAgeDays(text); age && *age < 90) {
    if (auto term = FindTerm(text, infant.all_of[0], {}); term) {
      const auto temp = Temperature(text);
      if (!temp || *temp >= 38.0)
        hits.push_back(RedFlagHit{infant.id,
                                  infant.kind,
                                  infant.reason_zh,
                                  infant.reason_en,
                                  {std::to_string(*age) + " days", std::string(*term)}});
    }
  }
  return hits;
}

}  // namespace ihos::domain::triage
