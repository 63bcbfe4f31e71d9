#pragma once
// The department classifier: a fastText supervised model (libfasttext, linked as a library)
// over Tokenize() tokens — Han characters and ASCII words — with character bigrams as fastText
// word n-grams. Labels are the training data's own labels (labels.hpp maps them to departments).
//
// Predict() recomputes fastText's softmax from the model's matrices so that the same numbers
// explain themselves: each input row's share of a label's score is known, and Explain() turns the
// rows that pushed a label up the most into spans of the patient's own words.
// A loaded Classifier is immutable: Predict/Explain are thread-safe.
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/triage/linear.hpp"
#include "domain/triage/text.hpp"
#include "domain/triage/words.hpp"

namespace fasttext {
class FastText;
}

namespace ihos::domain::triage {

struct TrainOptions {
  int dim = 50;
  int epoch = 25;
  double lr = 0.1;
  int word_ngrams = 2;
  int bucket = 200000;
  int threads = 1;  // 1 keeps training deterministic (same data, same model)
  int seed = 0;
  // The second model (linear.hpp), saved beside the fastText file (LinearPath); its weight 0
  // trains none (fastText alone).
  LinearOptions linear;
  // fastText reads lexicon words (words.hpp) learnt from the examples, saved beside the model
  // (WordsPath), instead of single characters.
  bool words = false;
  LexiconOptions lexicon;
};

struct Example {
  std::string text;
  std::string label;  // a model label, "haodf:甲状腺疾病"
};

// Trains on `examples` and saves the model to `path` (fastText) and, when opts.linear.weight > 0,
// the linear model to LinearPath(path); a stale linear file is removed otherwise. Errors: invalid_argument
// "triage_no_training_data" when empty; internal "triage_training_failed" when fastText fails.
Status TrainModel(const std::vector<Example>& examples, const TrainOptions& opts, const std::string& path);
// The file of the second model that goes with the fastText model at `path`.
std::string LinearPath(const std::string& path);
// The lexicon of a model whose fastText part reads words.
std::string WordsPath(const std::string& path);

struct Evidence {
  std::string text;  // a span of the original text
  double weight;     // its share of the label's score among the spans returned (0..1)
};

struct Prediction {
  // Per label index. With a linear model, the weighted geometric mean of the two models'
  // probabilities, renormalised: p ∝ p_fastText^(1-w) · p_linear^w.
  std::vector<float> probs;
  struct Row {
    std::int32_t id;           // input matrix row
    std::int32_t first, last;  // token span; first == -1 for the end-of-line row
  };
  std::vector<Row> rows;
  std::vector<LinearModel::Feature> features;  // the linear model's input, when there is one
};

class Classifier {
 public:
  // Loads the fastText model at `path` and, when LinearPath(path) exists, the linear model, whose
  // probabilities are then mixed in with the weight it was trained with.
  // Errors: not_found "triage_model_missing" when there is no file; invalid_argument
  // "triage_model_invalid" when it is not a supervised fastText model of known labels, or the
  // linear file is broken or has labels the fastText model lacks.
  static Result<std::unique_ptr<Classifier>> Load(const std::string& path);
  ~Classifier();

  Prediction Predict(const std::vector<Token>& tokens) const;
  // Up to `n` spans of `text` (the text `tokens` came from) that raised label `label` most. Rows
  // starting at a token of no width (the age token put before the text) are not the patient's words.
  std::vector<Evidence> Explain(const Prediction& p, int label, const std::vector<Token>& tokens, std::string_view text,
                                int n) const;

  const std::vector<std::string>& labels() const { return labels_; }
  bool has_linear() const { return linear_ != nullptr; }
  // The linear model, or nullptr (for experiments reusing its features: `ihos triage eval --dump-members`).
  const LinearModel* linear() const { return linear_.get(); }
  double linear_weight() const { return linear_weight_; }
  // For choosing the weight on the validation split only (`ihos triage eval --mix`); not
  // thread-safe: call before the classifier is shared.
  void set_linear_weight(double w) { linear_weight_ = w; }
  // Whether the model has `word` in its vocabulary (e.g. an age token, only in models trained with ages).
  bool Knows(const std::string& word) const;
  // What fastText itself predicts for tokens joined by spaces (a test's cross-check).
  std::vector<std::pair<float, std::string>> FastTextPredict(const std::vector<Token>& tokens, int k) const;

 private:
  Classifier() = default;
  std::unique_ptr<fasttext::FastText> ft_;
  std::vector<std::string> labels_;
  const float* input_ = nullptr;
  const float* output_ = nullptr;
  std::int64_t dim_ = 0;
  std::int32_t nwords_ = 0;
  std::int32_t eos_ = -1;
  std::uint64_t bucket_ = 0;
  int word_ngrams_ = 1;
  std::unique_ptr<Lexicon> lexicon_;  // fastText reads words when set
  std::unique_ptr<LinearModel> linear_;
  std::vector<int> linear_label_;  // linear label index -> labels_ index
  double linear_weight_ = 0;
};

}  // namespace ihos::domain::triage
