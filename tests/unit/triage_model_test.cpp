// The department model on real data. These tests need the triage data folder (see
// tests/support/triage_model.hpp) and fail without it; the model is trained once (seconds) on
// the train and validation splits, and the test split stays unseen.
#include "../support/triage_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "domain/triage/dataset.hpp"
#include "domain/triage/labels.hpp"
#include "domain/triage/red_flags.hpp"
#include "domain/triage/service.hpp"

namespace ihos::domain::triage {
namespace {

class TriageModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string why;
    path_ = new std::string(testsupport::TriageTestModel(&why));
    why_ = new std::string(why);
  }
  void SetUp() override {
    ASSERT_FALSE(path_->empty()) << *why_;
    auto c = Classifier::Load(*path_);
    ASSERT_TRUE(c) << c.error().code << " " << c.error().detail;
    model_ = std::move(*c);
  }
  std::vector<Row> HeldOut(const std::string& source) {
    auto rows = LoadData(testsupport::TriageDataDir(), true);
    EXPECT_TRUE(rows);
    std::vector<Row> out;
    for (auto& r : *rows)
      if (SplitOf(r.id) == Split::test && r.source == source) out.push_back(r);
    return out;
  }
  static std::string* path_;
  static std::string* why_;
  std::unique_ptr<Classifier> model_;
};
std::string* TriageModel::path_ = nullptr;
std::string* TriageModel::why_ = nullptr;

TEST_F(TriageModel, OurSoftmaxEqualsFastTextsOwnPrediction) {
  ASSERT_TRUE(model_->has_linear());
  model_->set_linear_weight(0);  // fastText's part of the mix alone
  for (const char* text : {"甲状腺结节4a类，需要手术吗", "宝宝拉肚子三天了", "膝盖半月板损伤", "痔疮出血"}) {
    const auto tokens = Tokenize(text);
    const auto p = model_->Predict(tokens);
    const auto ft = model_->FastTextPredict(tokens, 3);
    ASSERT_FALSE(ft.empty());
    for (const auto& [prob, label] : ft) {
      const auto it = std::find(model_->labels().begin(), model_->labels().end(), label);
      ASSERT_NE(it, model_->labels().end());
      EXPECT_NEAR(p.probs[it - model_->labels().begin()], prob, 2e-3) << text << " " << label;
    }
  }
}

// The linear model beside fastText is loaded with its weight, and the mix is a distribution
// that differs from fastText's alone: their weighted geometric mean.
TEST_F(TriageModel, TheLinearModelIsMixedIn) {
  ASSERT_TRUE(model_->has_linear());
  EXPECT_DOUBLE_EQ(model_->linear_weight(), LinearOptions{}.weight);
  const double w = LinearOptions{}.weight;
  // A clear request: the mix is a distribution and answers as both models do.
  const auto clear = model_->Predict(Tokenize("胃胀反酸，吃完饭后胃痛，做了胃镜说是浅表性胃炎"));
  double sum = 0;
  for (float v : clear.probs) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-4);
  EXPECT_FALSE(clear.features.empty());
  EXPECT_EQ(RankDepartments(*model_, clear)[0].department, "gastroenterology");

  // A request the two models read differently (dizziness, palpitations, blood pressure: cardiology,
  // neurology or internal medicine), where many labels keep some probability under both.
  const auto tokens = Tokenize("最近总是头晕，有时候心慌，血压有点高");
  const auto mixed = model_->Predict(tokens);
  model_->set_linear_weight(0);
  const auto alone = model_->Predict(tokens);
  model_->set_linear_weight(1);
  const auto linear = model_->Predict(tokens);
  model_->set_linear_weight(w);
  // The linear model is a model of its own (not fastText's distribution, not uniform), and the
  // mix is neither model alone.
  double apart = 0, moved = 0;
  for (std::size_t i = 0; i < alone.probs.size(); ++i) {
    apart += std::abs(alone.probs[i] - linear.probs[i]);
    moved += std::abs(alone.probs[i] - mixed.probs[i]);
  }
  EXPECT_GT(apart, 0.1);
  EXPECT_GT(moved, 0.01);
  EXPECT_GT(*std::max_element(linear.probs.begin(), linear.probs.end()), 2.0 / static_cast<double>(linear.probs.size()));

  // The mix is the weighted geometric mean of the two models' probabilities, renormalised: the
  // log-ratio of two labels' mixed probabilities is the weighted sum of their log-ratios under each.
  int checked = 0;
  for (std::size_t a = 0; a < mixed.probs.size(); ++a)
    for (std::size_t b = 0; b < mixed.probs.size(); ++b) {
      if (a == b || std::min({alone.probs[a], alone.probs[b], linear.probs[a], linear.probs[b]}) < 1e-6) continue;
      ++checked;
      const double expected = (1 - w) * std::log(alone.probs[a] / alone.probs[b]) +
                              w * std::log(linear.probs[a] / linear.probs[b]);
      EXPECT_NEAR(std::log(mixed.probs[a] / mixed.probs[b]), expected, 1e-3) << a << " " << b;
    }
  EXPECT_GT(checked, 10) << "too few pairs of labels that both models give a probability of 1e-6 or more";
}

TEST_F(TriageModel, ThyroidQuestionGoesToEndocrinologyWithTheThyroidWordsAsReason) {
  struct FixedClock : Clock {
    std::int64_t NowMs() const override { return 1; }
  } clock;
  TriageService svc({}, std::move(model_), clock, {});
  const auto r = svc.Assess("体检发现甲状腺结节，TSH偏高，需要吃优甲乐吗？");
  ASSERT_FALSE(r.suggestions.empty());
  EXPECT_EQ(r.suggestions[0].department.code, "endocrinology");
  EXPECT_FALSE(r.low_confidence);
  ASSERT_FALSE(r.suggestions[0].evidence.empty());
  bool thyroid = false;
  for (const auto& e : r.suggestions[0].evidence) thyroid = thyroid || e.text.find("甲状") != std::string::npos;
  EXPECT_TRUE(thyroid) << r.suggestions[0].evidence[0].text;
  EXPECT_LE(r.suggestions.size(), 3u);
  double sum = 0;
  for (const auto& s : r.suggestions) sum += s.confidence;
  EXPECT_LE(sum, 1.0001);
}

TEST_F(TriageModel, GibberishIsLowConfidence) {
  struct FixedClock : Clock {
    std::int64_t NowMs() const override { return 1; }
  } clock;
  TriageService svc({}, std::move(model_), clock, {});
  const auto r = svc.Assess("你好");
  EXPECT_TRUE(r.low_confidence);
  EXPECT_EQ(r.fallback.code, "general_practice");
}

// The page sends the patient's age: the same words about a cough are a child's question for 儿科 at
// 3 and an adult's for another department at 45 (the model reads the age group as in training).
TEST_F(TriageModel, TheAgeChangesTheAnswerForAChildsComplaint) {
  struct FixedClock : Clock {
    std::int64_t NowMs() const override { return 1; }
  } clock;
  TriageService svc({}, std::move(model_), clock, {});
  const std::string text = "咳嗽有痰一个星期了，晚上咳得厉害，嗓子有点哑，吃了药也不见好";
  const auto child = svc.Assess(text, 3);
  const auto adult = svc.Assess(text, 45);
  ASSERT_FALSE(child.suggestions.empty());
  ASSERT_FALSE(adult.suggestions.empty());
  EXPECT_EQ(child.suggestions[0].department.code, "pediatrics");
  EXPECT_NE(adult.suggestions[0].department.code, "pediatrics");
  // The age token is not the patient's words: it is never shown as a reason.
  for (const auto& s : child.suggestions)
    for (const auto& e : s.evidence) EXPECT_EQ(e.text.find("age"), std::string::npos) << e.text;
  // An impossible age is ignored, not an error.
  EXPECT_FALSE(svc.Assess(text, 200).suggestions.empty());
}

// A guard against a broken pipeline, far below the reported figures (see the README).
TEST_F(TriageModel, HeldOutAccuracyIsNotBroken) {
  const auto rep = Evaluate(*model_, HeldOut("haodf"), 0.5, /*with_age=*/true);
  EXPECT_GT(rep.n, 1000);
  EXPECT_GE(rep.top1, 0.80);
  EXPECT_GE(rep.top3, 0.95);
}

// False alarms: held-out real Haodf requests (the test split, never trained on and never read
// while the rules were tuned; the rules were reviewed on the train split only) are ordinary
// consultation requests; issue 16 allows at most 2% of them to be flagged. The toyhom sample is
// reported too (forum questions, many about epilepsy and its seizures).
TEST(TriageRedFlagsOnRealRequests, AtMostTwoPercentFalseAlarmsOnHaodf) {
  const std::string dir = testsupport::TriageDataDir();
  ASSERT_FALSE(dir.empty()) << "triage data not found: set IHOS_TRIAGE_DATA or put shared/data/triage beside the repo";
  auto rows = LoadData(dir, true);
  ASSERT_TRUE(rows) << rows.error().detail;
  int n = 0, flagged = 0, tn = 0, tflagged = 0;
  for (const auto& r : *rows) {
    if (SplitOf(r.id) != Split::test) continue;
    const bool hit = !CheckRedFlags(r.text).empty();
    if (r.source == "haodf") {
      ++n;
      flagged += hit;
    } else {
      ++tn;
      tflagged += hit;
    }
  }
  ASSERT_GT(n, 1000);
  const double rate = double(flagged) / n;
  std::printf("red flags on %d held-out Haodf requests: %d flagged (%.2f%%); toyhom %d of %d\n", n, flagged, 100 * rate,
              tflagged, tn);
  EXPECT_LE(rate, 0.02);
}

}  // namespace
}  // namespace ihos::domain::triage
