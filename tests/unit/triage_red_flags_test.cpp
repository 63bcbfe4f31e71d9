// The labelled red-flag set: every emergency must be caught (100%), and near-misses that are not
// emergencies must not be flagged. Needs no data and no model. A rule change updates this set
// and kRedFlagRulesVersion together (src/domain/triage/README.md lists the rules and sources).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "domain/triage/red_flags.hpp"
#include "domain/triage/service.hpp"

namespace ihos::domain::triage {
namespace {

struct Case {
  const char* text;
  const char* rule;  // the rule that must fire; "" = must not be flagged at all
};

const Case kCases[] = {
    // chest pain with warning signs
    {"胸口痛得厉害，一直在出冷汗", "chest_pain_warning_signs"},
    {"我爸60岁，突然胸痛，喘不上气，满头大汗", "chest_pain_warning_signs"},
    {"胸口像压了块石头一样疼，疼到左胳膊和下巴", "chest_pain_warning_signs"},
    {"心前区疼痛半小时，伴有恶心出汗", "chest_pain_warning_signs"},
    {"I have crushing chest pain and I'm sweating a lot", "chest_pain_warning_signs"},
    {"chest pressure spreading to my left arm", "chest_pain_warning_signs"},
    {"胸口闷痛，感觉透不过气，有濒死感", "chest_pain_warning_signs"},
    // breathing
    {"孩子突然呼吸困难，嘴唇发紫", "breathing_difficulty"},
    {"我妈喘不上气，说不了完整的话", "breathing_difficulty"},
    {"吃东西噎住了，窒息", "breathing_difficulty"},
    {"my husband can't breathe properly", "breathing_difficulty"},
    {"哮喘发作，吸了药还是喘不过气", "breathing_difficulty"},
    // stroke
    {"我爸今天早上起来嘴歪了，说话不清楚", "stroke_signs"},
    {"奶奶突然一侧肢体无力，拿不住筷子", "stroke_signs"},
    {"刚才突然说不出话，右手麻", "stroke_signs"},
    {"My mother suddenly has face drooping and slurred speech", "stroke_signs"},
    {"爷爷好像中风了，怎么办", "stroke_suspected"},
    {"怀疑是脑梗，半边身子动不了", "stroke_suspected"},
    {"I think my dad is having a stroke", "stroke_suspected"},
    // heavy bleeding
    {"手被刀割了很深，血流不止", "heavy_bleeding"},
    {"今天吐血了，好多", "heavy_bleeding"},
    {"胃出血，呕血两次，头晕", "heavy_bleeding"},
    {"大口咯血怎么办", "heavy_bleeding"},
    {"产后大出血", "heavy_bleeding"},
    {"my nose won't stop bleeding, heavy bleeding for an hour", "heavy_bleeding"},
    // suicidal intent and self-harm
    {"最近压力很大，不想活了", "suicidal_intent"},
    {"我想自杀", "suicidal_intent"},
    {"觉得活着没意思，想结束自己的生命", "suicidal_intent"},
    {"我又割腕了", "suicidal_intent"},
    {"有时候想从楼上跳下去，想死", "suicidal_intent"},
    {"I want to kill myself", "suicidal_intent"},
    {"I have been having suicidal thoughts", "suicidal_intent"},
    {"抑郁三年了，总想伤害自己", "suicidal_intent"},
    // unconscious
    {"老人摔倒后叫不醒", "unconscious"},
    {"我妈突然昏迷了", "unconscious"},
    {"he passed out and is unresponsive", "unconscious"},
    {"孩子没有呼吸了", "unconscious"},
    // seizures happening now
    {"孩子发烧突然抽搐，翻白眼", "seizure_now"},
    {"刚才癫痫发作，到现在还在抽", "seizure_now"},
    {"my son is having a seizure right now", "seizure_now"},
    // poisoning
    {"孩子误服了奶奶的降压药", "poisoning"},
    {"我爸喝了农药", "poisoning"},
    {"屋里烧炭，好像煤气中毒了，头痛恶心", "poisoning"},
    {"吃了一整瓶安眠药", "poisoning"},
    {"宝宝吞了纽扣电池", "poisoning"},
    {"my toddler swallowed bleach, is it poisoning?", "poisoning"},
    // anaphylaxis
    {"吃了海鲜过敏，喉咙肿，呼吸困难", "anaphylaxis"},
    {"青霉素过敏后舌头肿了起来", "anaphylaxis"},
    {"allergic to peanuts, my throat is swelling", "anaphylaxis"},
    // sudden severe headache
    {"突然剧烈头痛，像被雷劈一样，还吐了", "sudden_severe_headache"},
    {"this is the worst headache of my life", "sudden_severe_headache"},
    // pregnancy
    {"怀孕8周，肚子剧痛，出血", "pregnancy_emergency"},
    {"孕36周，羊水破了", "pregnancy_emergency"},
    {"I'm pregnant and have severe abdominal pain", "pregnancy_emergency"},
    // infant fever
    {"宝宝两个月，发烧38.5度", "infant_fever"},
    {"出生20天的宝宝发热", "infant_fever"},
    {"新生儿体温38.2℃", "infant_fever"},
    {"my 6 weeks old baby has a fever", "infant_fever"},
    // serious injury just now
    {"刚刚出了车祸，腿动不了", "severe_injury"},
    {"孩子刚才从高处摔下来，头部撞击后呕吐", "severe_injury"},

    // near-misses: not emergencies
    {"没有胸痛，也没有呼吸困难，就是咳嗽一周", ""},
    {"胸口有点闷，运动后好一些，想做个检查", ""},
    {"去年中风后遗症，现在康复训练怎么做", ""},
    {"孩子两岁说话还不太清楚，需要去看吗", ""},
    {"宝宝8个月，发烧38度，精神还好", ""},
    {"两个月宝宝体温37.3度，正常吗", ""},
    {"痔疮大便带血，有点疼", ""},
    {"痰中带血丝，抽烟十年", ""},
    {"月经量多，持续七天", ""},
    {"怀孕8周，有少量褐色分泌物", ""},
    {"吃了辣的胃疼，疼死了", ""},
    {"身上痒死了，起了很多红疹子", ""},
    {"否认自杀念头，最近睡眠不好", ""},
    {"蔬菜上的农药残留怎么洗掉", ""},
    {"食物过敏，嘴边起了疹子，想查过敏原", ""},
    {"三年前车祸后腰一直疼", ""},
    {"头痛两年了，每次月经前都疼", ""},
    {"癫痫吃药控制得很好，能怀孕吗", ""},
    {"甲状腺结节4a类，需要手术吗", ""},
    {"I have had a mild cough for a week, no chest pain", ""},
    {"小孩咳嗽有痰，晚上咳得厉害", ""},
    {"想死你了，什么时候回来", ""},
    {"膝盖半月板损伤，上下楼梯疼", ""},
};

// The earlier hand-written set (kept as a regression): the kind of answer each case needs.
TEST(TriageRedFlags, EarlierSetAllCaughtAndNearMissesQuiet) {
  for (const auto& c : kCases) {
    const auto hits = CheckRedFlags(c.text);
    std::vector<std::string> ids;
    for (const auto& h : hits) ids.emplace_back(h.rule_id);
    if (std::string(c.rule).empty()) {
      EXPECT_TRUE(hits.empty()) << c.text << " was flagged by " << ::testing::PrintToString(ids);
    } else {
      const RedFlagKind want =
          std::string(c.rule) == "suicidal_intent" ? RedFlagKind::mental_health : RedFlagKind::emergency;
      const bool ok = std::any_of(hits.begin(), hits.end(), [&](const RedFlagHit& h) { return h.kind == want; });
      EXPECT_TRUE(ok) << c.text << " should fire a " << KindName(want) << " rule, fired "
                      << ::testing::PrintToString(ids);
    }
  }
}

struct SafetyCase {
  std::string expect, discriminator, text;
};

std::vector<SafetyCase> LoadSafetySet() {
  std::ifstream in(std::string(IHOS_SOURCE_DIR) + "/data/triage/red_flag_cases.tsv");
  std::vector<SafetyCase> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto a = line.find('\t');
    const auto b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return out;
}

// The safety set of issue 16 (data/triage/red_flag_cases.tsv), written from the published sources
// before the rules: every emergency caught (100%), at most 5% false alarms on the near-misses.
TEST(TriageRedFlags, SafetySetFromPublishedSources) {
  const auto cases = LoadSafetySet();
  int emergencies = 0, caught = 0, near_misses = 0, false_alarms = 0;
  for (const auto& c : cases) {
    const auto hits = CheckRedFlags(c.text);
    std::vector<std::string> ids;
    for (const auto& h : hits) ids.emplace_back(h.rule_id);
    if (c.expect == "none") {
      ++near_misses;
      if (!hits.empty()) {
        ++false_alarms;
        ADD_FAILURE() << "near-miss flagged [" << c.discriminator << "] " << c.text << " by "
                      << ::testing::PrintToString(ids);
      }
      continue;
    }
    ASSERT_TRUE(c.expect == "emergency" || c.expect == "mental_health") << c.expect;
    ++emergencies;
    const RedFlagKind want = c.expect == "emergency" ? RedFlagKind::emergency : RedFlagKind::mental_health;
    const bool ok = std::any_of(hits.begin(), hits.end(), [&](const RedFlagHit& h) { return h.kind == want; });
    if (ok) ++caught;
    EXPECT_TRUE(ok) << "missed [" << c.discriminator << "] " << c.text << " (fired " << ::testing::PrintToString(ids)
                    << ")";
  }
  EXPECT_GE(emergencies, 300);
  EXPECT_GE(near_misses, 150);
  EXPECT_EQ(caught, emergencies);
  EXPECT_LE(false_alarms * 100, near_misses * 5);
  std::printf("safety set: %d/%d emergencies caught, %d/%d near-misses flagged\n", caught, emergencies, false_alarms,
              near_misses);
}

TEST(TriageRedFlags, TraditionalChineseIsFoldedWithOpenCC) {
  ASSERT_TRUE(TraditionalChineseFolding()) << "OpenCC's t2s.json was not found (Debian libopencc-dev / opencc data)";
  EXPECT_EQ(NormalizeForRules("孩子發燒抽搐"), "孩子发烧抽搐");
  EXPECT_EQ(NormalizeForRules("呼 吸 困 難"), "呼吸困难");
  EXPECT_EQ(NormalizeForRules("my grandma 突然 Face Drooping"), "my grandma突然face drooping");
}

TEST(TriageRedFlags, NegationHistoryAndHypotheticalDoNotFire) {
  EXPECT_TRUE(CheckRedFlags("没有胸痛、出汗和气短").empty());
  EXPECT_TRUE(CheckRedFlags("去年中风过").empty());
  EXPECT_TRUE(CheckRedFlags("如果孩子抽搐了怎么办").empty());
  // ...but the same words about now do.
  EXPECT_FALSE(CheckRedFlags("去年中风过，今天又嘴歪了").empty());
  EXPECT_FALSE(CheckRedFlags("孩子抽搐了怎么办").empty());
  EXPECT_FALSE(CheckRedFlags("我没想到他突然抽搐").empty());
  EXPECT_FALSE(CheckRedFlags("失眠半年，最近觉得活着没意思，不想活了").empty());
  EXPECT_EQ(CheckRedFlags("我爸突然胸痛，出了一身冷汗，喘不上气").at(0).rule_id, "chest_pain_warning_signs");
}

TEST(TriageRedFlags, EveryRuleCitesASource) {
  for (const auto& r : RedFlagRules()) EXPECT_FALSE(r.source.empty()) << r.id;
}

TEST(TriageRedFlags, SuicidalIntentIsMentalHealthWithHotline) {
  const auto hits = CheckRedFlags("我真的不想活了");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].kind, RedFlagKind::mental_health);
  EXPECT_EQ(kMentalHealthHotline, "12356");
}

TEST(TriageRedFlags, EveryRuleHasReasonsInBothLanguages) {
  for (const auto& r : RedFlagRules()) {
    EXPECT_FALSE(r.reason_zh.empty()) << r.id;
    EXPECT_FALSE(r.reason_en.empty()) << r.id;
    EXPECT_FALSE(r.all_of.empty()) << r.id;
  }
}

TEST(TriageRedFlags, HostileInputIsHandled) {
  EXPECT_TRUE(CheckRedFlags("").empty());
  EXPECT_TRUE(CheckRedFlags(std::string("\xff\xfe\x80 abc", 7)).empty());
  EXPECT_TRUE(CheckRedFlags(std::string(5000, 'a')).empty());
}

TEST(TriageService, WithoutModelAnswersRedFlagsAndGeneralPractice) {
  struct FixedClock : Clock {
    std::int64_t NowMs() const override { return 1; }
  } clock;
  TriageService svc({{"general_practice", "全科", "General Practice"}}, nullptr, clock, {});
  const auto r = svc.Assess("胸痛，出了一身冷汗");
  EXPECT_FALSE(r.model_available);
  EXPECT_TRUE(r.suggestions.empty());
  ASSERT_FALSE(r.red_flags.empty());
  EXPECT_EQ(r.red_flags[0].rule_id, "chest_pain_warning_signs");
  EXPECT_EQ(r.fallback.code, "general_practice");
  EXPECT_EQ(r.fallback.name_zh, "全科");
}

TEST(TriageService, RateLimitedPerAddress) {
  struct FixedClock : Clock {
    std::int64_t NowMs() const override { return 1; }
  } clock;
  Config cfg;
  cfg.rate_limit = 2;
  TriageService svc({}, nullptr, clock, cfg);
  EXPECT_TRUE(svc.Triage("咳嗽", {"r", "1.2.3.4"}));
  EXPECT_TRUE(svc.Triage("咳嗽", {"r", "1.2.3.4"}));
  auto third = svc.Triage("咳嗽", {"r", "1.2.3.4"});
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, "triage_too_many_requests");
  EXPECT_TRUE(third.error().retry_after_s.has_value());
  EXPECT_TRUE(svc.Triage("咳嗽", {"r", "5.6.7.8"}));
}

// The per-address limit is ihosd's --triage-rate-limit (default 30 a minute).
TEST(TriageConfig, RateLimitIsASetting) {
  auto parse = [](std::vector<std::string> args) {
    args.insert(args.begin(), "ihosd");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return app::ParseConfig(static_cast<int>(argv.size()), argv.data());
  };
  auto d = parse({});
  ASSERT_EQ(d.exit_code, -1);
  EXPECT_EQ(d.config.triage_rate_limit, Config{}.rate_limit);
  auto p = parse({"--triage-rate-limit", "5"});
  ASSERT_EQ(p.exit_code, -1);
  EXPECT_EQ(p.config.triage_rate_limit, 5);
  EXPECT_NE(parse({"--triage-rate-limit", "0"}).exit_code, -1);
}

}  // namespace
}  // namespace ihos::domain::triage
