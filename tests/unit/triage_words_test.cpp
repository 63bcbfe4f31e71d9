// The lexicon the word-reading fastText model learns from its training texts (words.hpp): which
// character runs become words, how a text is cut into them, and its file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "domain/triage/words.hpp"

namespace ihos::domain::triage {
namespace {

std::vector<std::string> WordTexts(const std::vector<Token>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(t.text);
  return out;
}

// 甲状腺, 结节 and 一个星期 recur, always whole, between varied neighbours; 的 is everywhere and
// goes with anything, so "的甲" (seen 3 times, as often as min_count asks) is no more frequent
// than chance puts them together; "一个星" sticks together but is always followed by 期.
std::vector<std::vector<Token>> Corpus() {
  std::vector<std::vector<Token>> texts;
  for (const char* t : {"我的甲状腺有结节", "甲状腺结节要手术吗", "体检发现的甲状腺结节", "他的甲状腺的问题",
                        "结节大了怎么办的", "我有的结节的", "的的确确的", "好的好的", "真的是我的", "甲状腺不好的",
                        "是的没有的", "对的", "咳嗽一个星期", "发烧一个星期了", "头疼一个星期", "拉肚子一个星期吗"})
    texts.push_back(Tokenize(t));
  return texts;
}

Lexicon Build() { return Lexicon::Build(Corpus(), {.min_count = 3, .cohesion = 5, .freedom = 0.5}); }

TEST(TriageWords, RecurringCharacterRunsBecomeWordsAndFillerDoesNot) {
  const Lexicon lex = Build();
  EXPECT_TRUE(lex.Has("甲状腺"));
  EXPECT_TRUE(lex.Has("结节"));
  EXPECT_TRUE(lex.Has("一个星期"));
  EXPECT_FALSE(lex.Has("的甲"));        // 3 times, but 的 goes with anything
  EXPECT_FALSE(lex.Has("一个星"));      // a fragment: always followed by 期
  EXPECT_FALSE(lex.Has("甲状腺结节"));  // longer than kMaxWordChars
  EXPECT_FALSE(lex.Has("的"));          // one character is not a word
  EXPECT_EQ(Lexicon::Build({}, {}).size(), 0u);
  // Without the freedom test the fragment is a word.
  EXPECT_TRUE(Lexicon::Build(Corpus(), {.min_count = 3, .cohesion = 5, .freedom = 0}).Has("一个星"));
}

TEST(TriageWords, SegmentTakesTheLongestWordAndKeepsOffsetsIntoTheText) {
  const Lexicon lex = Build();
  const std::string text = "我甲状腺结节，TSH 5.2";
  const auto tokens = Tokenize(text);
  std::vector<std::pair<std::int32_t, std::int32_t>> spans;
  const auto words = lex.Segment(tokens, &spans);
  EXPECT_EQ(WordTexts(words), (std::vector<std::string>{"我", "甲状腺", "结节", "tsh", "5.2"}));
  ASSERT_EQ(spans.size(), words.size());
  EXPECT_EQ(spans[1], (std::pair<std::int32_t, std::int32_t>{1, 3}));
  EXPECT_EQ(spans[3], (std::pair<std::int32_t, std::int32_t>{6, 6}));
  for (const auto& w : words)
    EXPECT_EQ(WordTexts(Tokenize(text.substr(w.begin, w.end - w.begin))), WordTexts(Tokenize(w.text)));
  // A word never spans punctuation or a space: "结，节" stays two characters.
  EXPECT_EQ(WordTexts(lex.Segment(Tokenize("结，节 甲状 腺"))),
            (std::vector<std::string>{"结", "节", "甲", "状", "腺"}));
}

TEST(TriageWords, SavedLexiconLoadsTheSameAndBrokenFilesAreRefused) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("ihos-words-test-" + std::to_string(::getpid()))).string();
  const Lexicon lex = Build();
  ASSERT_TRUE(lex.Save(path));
  auto loaded = Lexicon::Load(path);
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded->size(), lex.size());
  EXPECT_TRUE(loaded->Has("甲状腺"));
  EXPECT_EQ(WordTexts(loaded->Segment(Tokenize("甲状腺结节"))), WordTexts(lex.Segment(Tokenize("甲状腺结节"))));

  EXPECT_EQ(Lexicon::Load(path + ".none").error().code, "triage_model_missing");
  std::ofstream(path, std::ios::trunc) << "甲状腺\nnot a word\n";
  EXPECT_EQ(Lexicon::Load(path).error().code, "triage_model_invalid");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ihos::domain::triage
