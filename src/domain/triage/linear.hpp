#pragma once
// The second department model: multinomial logistic regression over TF-IDF weighted token
// n-grams (Han characters and ASCII words, n = 1..max_n), trained by SGD in one thread with a
// fixed seed (same data, same model). Small and deterministic; written here rather than linked
// because it needs ~200 lines and its file format is ours.
//
// Its probabilities are mixed with fastText's (classifier.hpp); each n-gram's share of a label's
// score is known, so it explains itself the same way. A loaded LinearModel is immutable:
// Predict/Contributions are thread-safe.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/triage/text.hpp"

namespace ihos::domain::triage {

struct LinearOptions {
  int max_n = 3;      // n-grams of 1..max_n tokens
  int min_count = 2;  // an n-gram seen in fewer training texts is dropped
  int epoch = 10;
  double lr = 0.5;   // decays linearly to 0
  double l2 = 1e-6;  // per-example weight decay
  std::uint32_t seed = 1;
  // Experiments (issue 16). nb_fold: a multinomial naive Bayes over the same TF-IDF features
  // (additive smoothing nb_alpha) added to the weights and biases times nb_fold after training
  // (the logits become linear + nb_fold * NB log-posterior: a third member at no query cost).
  // nb_scale: each weight's input scaled during training by (|r| / mean |r|)^nb_scale, r the
  // label's NB log-count ratio (NBSVM-style; folded into the saved weights).
  double nb_fold = 0;
  double nb_alpha = 0.01;
  double nb_scale = 1.5;  // chosen on the validation split and train folds 2-3 (README)
  // The share of its probabilities in the mix with fastText's (saved in the file); 0 = no
  // linear model.
  double weight = 0.5;
};

// The age group token ModelText puts first ("age0" ... "age90", dataset.hpp).
bool IsAgeToken(const std::string& token);
// The age group feature's value beside the text's unit vector (chosen on the validation split).
inline constexpr float kAgeSideWeight = 0.3f;

struct LinearExample {
  std::vector<Token> tokens;
  std::string label;
};

// Trains on `examples` and writes the model to `path`. Errors: invalid_argument
// "triage_no_training_data" when empty; internal "triage_training_failed" when the file cannot be written.
Status TrainLinear(const std::vector<LinearExample>& examples, const LinearOptions& opts, const std::string& path);

class LinearModel {
 public:
  // Errors: not_found "triage_model_missing"; invalid_argument "triage_model_invalid" for a file
  // that is not a linear model this code wrote.
  static Result<std::unique_ptr<LinearModel>> Load(const std::string& path);

  struct Feature {
    std::int32_t index;        // row of the weight matrix
    std::int32_t first, last;  // token span
    float value;               // TF-IDF weight, the vector L2-normalised
  };
  // The known n-grams of `tokens`.
  std::vector<Feature> Features(const std::vector<Token>& tokens) const;
  // Probabilities per label (labels() order).
  std::vector<float> Predict(const std::vector<Feature>& features) const;
  // Each feature's contribution to label `label`'s logit less its mean over all labels.
  std::vector<float> Contributions(const std::vector<Feature>& features, int label) const;

  const std::vector<std::string>& labels() const { return labels_; }
  double weight() const { return weight_; }
  std::size_t rows() const { return hashes_.size(); }

 private:
  LinearModel() = default;
  int max_n_ = 3;
  double weight_ = 0;
  std::vector<std::string> labels_;
  std::vector<std::uint64_t> hashes_;  // sorted; index = feature row
  // An open-addressing table over hashes_, built at load: one cache miss per n-gram looked up
  // where a binary search over the sorted array took several.
  struct Slot {
    std::uint64_t hash;
    std::int32_t index;  // -1: empty
  };
  std::vector<Slot> slots_;
  std::int32_t Find(std::uint64_t hash) const;
  std::vector<float> idf_;
  std::vector<float> weights_;  // rows x labels
  std::vector<float> bias_;
};

}  // namespace ihos::domain::triage
