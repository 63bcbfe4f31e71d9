// Tokens of the patient's words: Han characters one by one, ASCII words and numbers whole and
// lowercased, full-width forms folded, punctuation dropped, offsets pointing into the original.
#include <gtest/gtest.h>

#include "domain/triage/labels.hpp"
#include "domain/triage/text.hpp"

namespace ihos::domain::triage {
namespace {

std::vector<std::string> Texts(const std::vector<Token>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(t.text);
  return out;
}

TEST(TriageText, HanCharactersAsciiWordsAndNumbers) {
  const std::string s = "甲状腺TSH偏高，体温38.5度！";
  const auto ts = Tokenize(s);
  EXPECT_EQ(Texts(ts), (std::vector<std::string>{"甲", "状", "腺", "tsh", "偏", "高", "体", "温", "38.5", "度"}));
  for (const auto& t : ts) EXPECT_EQ(Tokenize(s.substr(t.begin, t.end - t.begin))[0].text, t.text);
}

TEST(TriageText, FullWidthFormsFoldToAscii) {
  EXPECT_EQ(Texts(Tokenize("ＴＳＨ　３９")), (std::vector<std::string>{"tsh", "39"}));
  EXPECT_EQ(Normalize("I Can’t  Breathe\n"), "i can’t breathe");
  EXPECT_EQ(Normalize("ＣＨＥＳＴ　ＰＡＩＮ"), "chest pain");
}

TEST(TriageText, InvalidUtf8AndControlCharactersAreSkipped) {
  EXPECT_EQ(Texts(Tokenize(std::string("\xe7\x94\xb2\xff\x01"
                                       "ab",
                                       7))),
            (std::vector<std::string>{"甲", "ab"}));
  EXPECT_TRUE(Tokenize("，。！？ ...").empty());
}

TEST(TriageLabels, EveryDataLabelMapsToAKnownDepartmentCode) {
  // The codes of migration 0003 that the map may use.
  const std::vector<std::string> known = {"general_practice", "internal_medicine", "respiratory", "gastroenterology",
                                          "cardiology",       "endocrinology",     "neurology",   "nephrology",
                                          "hematology",       "rheumatology",      "hepatology",  "infectious_diseases",
                                          "breast_surgery",   "anorectal_surgery", "orthopedics", "spine_surgery",
                                          "sports_medicine",  "gynecology",        "obstetrics",  "pediatrics",
                                          "dermatology",      "ophthalmology",     "ent"};
  EXPECT_EQ(LabelMap().size(), 31u);  // 20 haodf + 11 toyhom
  for (const auto& m : LabelMap()) {
    EXPECT_NE(std::find(known.begin(), known.end(), std::string(m.department)), known.end()) << m.label;
    EXPECT_EQ(DepartmentOf(ModelLabel(m.source, m.label)), m.department);
  }
  EXPECT_EQ(DepartmentOf("haodf:甲状腺疾病"), "endocrinology");
  EXPECT_FALSE(DepartmentOf("haodf:不存在"));
}

}  // namespace
}  // namespace ihos::domain::triage
