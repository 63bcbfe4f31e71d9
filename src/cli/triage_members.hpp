#pragma once
// Experimental extra members for the department mix (issue 16, `ihos triage eval --dump-members`):
// naive Bayes variants and a k-nearest-neighbour vote over the linear model's TF-IDF vectors.
// Trained in memory from the training examples; not saved, not used by the service (so they live
// beside the CLI, not in the triage capability the server links).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "domain/triage/linear.hpp"

namespace ihos::domain::triage {

// A text as the linear model sees it: n-gram rows with their occurrence count and the summed
// (L2-normalised) TF-IDF value; the age group's side feature is kept apart.
struct SparseDoc {
  std::vector<std::int32_t> index;  // sorted, distinct
  std::vector<float> count;
  std::vector<float> tfidf;
  std::int32_t age = -1;  // the side feature's row, or -1
};
SparseDoc ToSparse(const std::vector<LinearModel::Feature>& features, bool has_age);

enum class NbKind { multinomial, binary, tfidf, complement };
class NaiveBayes {
 public:
  // labels: index into nl labels per doc; rows: the linear model's row count.
  NaiveBayes(const std::vector<SparseDoc>& docs, const std::vector<int>& labels, int nl, std::size_t rows,
             NbKind kind, double alpha);
  // Normalised log posterior per label.
  std::vector<float> LogPosterior(const SparseDoc& d) const;

 private:
  NbKind kind_;
  int nl_;
  std::vector<float> logp_;  // rows x nl
  std::vector<float> prior_;
};

class NearestNeighbours {
 public:
  NearestNeighbours(const std::vector<SparseDoc>& docs, const std::vector<int>& labels, std::size_t rows,
                    bool with_age);
  // The k most similar training texts (cosine over tfidf, plus the age match when with_age): (label, sim).
  std::vector<std::pair<int, float>> Query(const SparseDoc& d, int k) const;

 private:
  bool with_age_;
  std::vector<int> labels_;
  std::vector<std::int32_t> age_;
  std::vector<std::size_t> start_;  // postings per row
  std::vector<std::pair<std::int32_t, float>> postings_;
};

}  // namespace ihos::domain::triage
