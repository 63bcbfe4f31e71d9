// The second department model (linear.hpp) on a handful of made-up requests: no data folder
// needed. What it learns, that it learns the same thing twice, and that a broken file is refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "domain/triage/linear.hpp"

namespace ihos::domain::triage {
namespace {

std::vector<LinearExample> Examples() {
  std::vector<LinearExample> ex;
  for (const char* t : {"甲状腺结节需要手术吗", "甲状腺功能减退吃什么药", "体检发现甲状腺结节", "甲状腺肿大怎么办"})
    ex.push_back({Tokenize(t), "haodf:甲状腺疾病"});
  for (const char* t : {"膝盖半月板损伤", "打球后膝盖韧带拉伤", "半月板撕裂要手术吗", "膝关节韧带断裂"})
    ex.push_back({Tokenize(t), "haodf:运动医学"});
  for (const char* t : {"宝宝拉肚子三天", "孩子腹泻发烧怎么办", "宝宝吃奶后拉肚子", "小孩拉肚子有泡沫"})
    ex.push_back({Tokenize(t), "haodf:小儿消化疾病"});
  return ex;
}

std::string Temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("ihos-linear-test-" + std::to_string(::getpid()) + name)).string();
}

std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(TriageLinear, LearnsTheWordsOfEachLabelAndSaysWhichWordsCounted) {
  const std::string path = Temp("a");
  LinearOptions o;
  o.min_count = 1;
  o.epoch = 30;
  ASSERT_TRUE(TrainLinear(Examples(), o, path));
  auto m = LinearModel::Load(path);
  ASSERT_TRUE(m) << m.error().detail;
  const auto& labels = (*m)->labels();
  auto best = [&](const std::string& text) {
    const auto p = (*m)->Predict((*m)->Features(Tokenize(text)));
    return labels[std::max_element(p.begin(), p.end()) - p.begin()];
  };
  EXPECT_EQ(best("我的甲状腺有结节"), "haodf:甲状腺疾病");
  EXPECT_EQ(best("踢球时膝盖扭了一下，韧带疼"), "haodf:运动医学");
  EXPECT_EQ(best("宝宝又拉肚子了"), "haodf:小儿消化疾病");
  EXPECT_DOUBLE_EQ((*m)->weight(), o.weight);

  // The n-gram that raised the thyroid label most lies inside 甲状腺, not in the filler words.
  const auto tokens = Tokenize("请问我的甲状腺有问题吗");
  const auto f = (*m)->Features(tokens);
  const int thyroid = static_cast<int>(std::find(labels.begin(), labels.end(), "haodf:甲状腺疾病") - labels.begin());
  const auto c = (*m)->Contributions(f, thyroid);
  ASSERT_EQ(c.size(), f.size());
  const auto top = std::max_element(c.begin(), c.end()) - c.begin();
  std::string words;
  for (int i = f[top].first; i <= f[top].last; ++i) words += tokens[i].text;
  EXPECT_NE(std::string("甲状腺").find(words), std::string::npos) << words;
  std::filesystem::remove(path);
}

TEST(TriageLinear, TrainingTwiceGivesTheSameFile) {
  const std::string a = Temp("b"), b = Temp("c");
  ASSERT_TRUE(TrainLinear(Examples(), {}, a));
  ASSERT_TRUE(TrainLinear(Examples(), {}, b));
  EXPECT_FALSE(Bytes(a).empty());
  EXPECT_EQ(Bytes(a), Bytes(b));
  std::filesystem::remove(a);
  std::filesystem::remove(b);
}

TEST(TriageLinear, MissingOrBrokenFilesAreRefused) {
  EXPECT_EQ(LinearModel::Load(Temp("none")).error().code, "triage_model_missing");
  EXPECT_EQ(TrainLinear({}, {}, Temp("none")).error().code, "triage_no_training_data");
  const std::string path = Temp("d");
  ASSERT_TRUE(TrainLinear(Examples(), {}, path));
  const std::string full = Bytes(path);
  for (std::size_t keep : {std::size_t{0}, std::size_t{5}, std::size_t{40}, full.size() - 4}) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << full.substr(0, keep);
    const auto m = LinearModel::Load(path);
    ASSERT_FALSE(m) << keep;
    EXPECT_EQ(m.error().code, "triage_model_invalid") << keep;
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ihos::domain::triage
