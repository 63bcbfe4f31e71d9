#include "cli/triage_members.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ihos::domain::triage {

SparseDoc ToSparse(const std::vector<LinearModel::Feature>& features, bool has_age) {
  std::vector<LinearModel::Feature> f = features;
  SparseDoc d;
  if (has_age && !f.empty() && f.back().first == 0 && f.back().last == 0) {
    // Vectorize appends the age side feature last.
    d.age = f.back().index;
    f.pop_back();
  }
  std::sort(f.begin(), f.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (!d.index.empty() && d.index.back() == f[i].index) {
      d.count.back() += 1;
      d.tfidf.back() += f[i].value;
    } else {
      d.index.push_back(f[i].index);
      d.count.push_back(1);
      d.tfidf.push_back(f[i].value);
    }
  }
  return d;
}

NaiveBayes::NaiveBayes(const std::vector<SparseDoc>& docs, const std::vector<int>& labels, int nl,
                       std::size_t rows, NbKind kind, double alpha)
    : kind_(kind), nl_(nl) {
  std::vector<double> n(rows * nl, 0.0), total(nl, 0.0), docs_of(nl, 0.0);
  auto value = [&](const SparseDoc& d, std::size_t i) -> double {
    switch (kind) {
      case NbKind::multinomial: return d.count[i];
      case NbKind::binary: return 1.0;
      case NbKind::tfidf: return d.tfidf[i];
      case NbKind::complement: return d.tfidf[i];
    }
    return 0;
  };
  for (std::size_t k = 0; k < docs.size(); ++k) {
    const auto& d = docs[k];
    const int y = labels[k];
    docs_of[y] += 1;
    for (std::size_t i = 0; i < d.index.size(); ++i) {
      const double v = value(d, i);
      n[static_cast<std::size_t>(d.index[i]) * nl + y] += v;
      total[y] += v;
    }
    if (d.age >= 0) {
      n[static_cast<std::size_t>(d.age) * nl + y] += kind == NbKind::tfidf || kind == NbKind::complement ? kAgeSideWeight : 1.0f;
      total[y] += kind == NbKind::tfidf || kind == NbKind::complement ? kAgeSideWeight : 1.0f;
    }
  }
  logp_.assign(rows * nl, 0.0f);
  prior_.assign(nl, 0.0f);
  const double v = static_cast<double>(rows);
  for (int c = 0; c < nl; ++c) prior_[c] = static_cast<float>(std::log((docs_of[c] + 1) / (docs.size() + nl)));
  if (kind == NbKind::complement) {
    // Rennie et al. 2003: weights from the other classes' counts, negated, each class's weights
    // normalised by their L1 norm; no prior.
    double all = std::accumulate(total.begin(), total.end(), 0.0);
    std::vector<double> norm(nl, 0.0);
    for (std::size_t r = 0; r < rows; ++r) {
      double row_all = 0;
      for (int c = 0; c < nl; ++c) row_all += n[r * nl + c];
      for (int c = 0; c < nl; ++c) {
        const double w = std::log((row_all - n[r * nl + c] + alpha) / (all - total[c] + alpha * v));
        logp_[r * nl + c] = static_cast<float>(w);
        norm[c] += std::abs(w);
      }
    }
    for (std::size_t r = 0; r < rows; ++r)
      for (int c = 0; c < nl; ++c) logp_[r * nl + c] = static_cast<float>(-logp_[r * nl + c] / norm[c] * 1000);
    std::fill(prior_.begin(), prior_.end(), 0.0f);
    return;
  }
  for (std::size_t r = 0; r < rows; ++r)
    for (int c = 0; c < nl; ++c)
      logp_[r * nl + c] = static_cast<float>(std::log((n[r * nl + c] + alpha) / (total[c] + alpha * v)));
}

std::vector<float> NaiveBayes::LogPosterior(const SparseDoc& d) const {
  std::vector<double> s(prior_.begin(), prior_.end());
  auto add = [&](std::int32_t row, double x) {
    const float* p = logp_.data() + static_cast<std::size_t>(row) * nl_;
    for (int c = 0; c < nl_; ++c) s[c] += x * p[c];
  };
  for (std::size_t i = 0; i < d.index.size(); ++i) {
    double x = 0;
    switch (kind_) {
      case NbKind::multinomial: x = d.count[i]; break;
      case NbKind::binary: x = 1; break;
      case NbKind::tfidf: x = d.tfidf[i]; break;
      case NbKind::complement: x = d.tfidf[i]; break;
    }
    add(d.index[i], x);
  }
  if (d.age >= 0) add(d.age, kind_ == NbKind::tfidf || kind_ == NbKind::complement ? kAgeSideWeight : 1.0f);
  const double mx = *std::max_element(s.begin(), s.end());
  double z = 0;
  for (double x : s) z += std::exp(x - mx);
  const double lz = mx + std::log(z);
  std::vector<float> out(nl_);
  for (int c = 0; c < nl_; ++c) out[c] = static_cast<float>(s[c] - lz);
  return out;
}

NearestNeighbours::NearestNeighbours(const std::vector<SparseDoc>& docs, const std::vector<int>& labels,
                                     std::size_t rows, bool with_age)
    : with_age_(with_age), labels_(labels) {
  std::vector<std::size_t> cnt(rows + 1, 0);
  for (const auto& d : docs)
    for (auto i : d.index) ++cnt[i + 1];
  start_.assign(rows + 1, 0);
  for (std::size_t r = 0; r < rows; ++r) start_[r + 1] = start_[r] + cnt[r + 1];
  postings_.resize(start_[rows]);
  std::vector<std::size_t> pos(start_.begin(), start_.end() - 1);
  for (std::size_t k = 0; k < docs.size(); ++k) {
    age_.push_back(docs[k].age);
    for (std::size_t i = 0; i < docs[k].index.size(); ++i)
      postings_[pos[docs[k].index[i]]++] = {static_cast<std::int32_t>(k), docs[k].tfidf[i]};
  }
}

std::vector<std::pair<int, float>> NearestNeighbours::Query(const SparseDoc& d, int k) const {
  std::vector<float> sim(labels_.size(), 0.0f);
  for (std::size_t i = 0; i < d.index.size(); ++i) {
    const auto r = static_cast<std::size_t>(d.index[i]);
    const float q = d.tfidf[i];
    for (std::size_t j = start_[r]; j < start_[r + 1]; ++j) sim[postings_[j].first] += q * postings_[j].second;
  }
  if (with_age_ && d.age >= 0)
    for (std::size_t j = 0; j < sim.size(); ++j)
      if (age_[j] == d.age) sim[j] += 0.09f;
  std::vector<std::int32_t> idx(sim.size());
  std::iota(idx.begin(), idx.end(), 0);
  const auto kk = std::min<std::size_t>(static_cast<std::size_t>(k), idx.size());
  std::partial_sort(idx.begin(), idx.begin() + kk, idx.end(), [&](auto a, auto b) {
    return sim[a] != sim[b] ? sim[a] > sim[b] : a < b;
  });
  std::vector<std::pair<int, float>> out;
  for (std::size_t i = 0; i < kk; ++i) out.emplace_back(labels_[idx[i]], sim[idx[i]]);
  return out;
}

}  // namespace ihos::domain::triage
