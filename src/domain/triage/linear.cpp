#include "domain/triage/linear.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <unordered_map>

namespace ihos::domain::triage {

bool IsAgeToken(const std::string& t) {
  return t.size() >= 4 && t.size() <= 5 && t.compare(0, 3, "age") == 0 &&
         std::all_of(t.begin() + 3, t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

namespace {

constexpr char kMagic[8] = {'I', 'H', 'O', 'S', 'L', 'I', 'N', '1'};

struct Gram {
  std::uint64_t hash;
  std::int32_t first, last;
  bool side = false;  // weighed apart from the text (the age group)
};

// FNV-1a 64 over the tokens of each n-gram, a separator byte between them.
std::vector<Gram> NGrams(const std::vector<Token>& tokens, int max_n) {
  std::vector<Gram> out;
  const auto n = static_cast<std::int32_t>(tokens.size());
  out.reserve(static_cast<std::size_t>(n) * max_n);
  for (std::int32_t i = 0; i < n; ++i) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::int32_t j = i; j < n && j < i + max_n; ++j) {
      if (j > i) h = (h ^ 0x1fU) * 0x100000001b3ULL;
      for (unsigned char c : tokens[j].text) h = (h ^ c) * 0x100000001b3ULL;
      out.push_back({h, i, j});
    }
  }
  // The age group also counts on its own at full weight: within the text's normalised vector
  // it would weigh as one n-gram among a hundred, and the children's labels depend on it.
  if (n > 0 && IsAgeToken(tokens[0].text)) out.push_back({out.front().hash ^ 0x9e3779b97f4a7c15ULL, 0, 0, true});
  return out;
}

// One feature per occurrence of a known n-gram; the occurrences of one n-gram share its
// sublinear TF-IDF weight, and the vector is L2-normalised.
template <typename Lookup>
std::vector<LinearModel::Feature> Vectorize(const std::vector<Gram>& grams, const Lookup& index_of,
                                            const std::vector<float>& idf) {
  std::vector<LinearModel::Feature> f;
  std::int32_t side = -1;
  for (const auto& g : grams) {
    const std::int32_t i = index_of(g.hash);
    if (i < 0) continue;
    if (g.side)
      side = i;
    else
      f.push_back({i, g.first, g.last, 0});
  }
  // Occurrences of one n-gram side by side: each run's length is its term frequency.
  std::sort(f.begin(), f.end(),
            [](const auto& a, const auto& b) { return a.index != b.index ? a.index < b.index : a.first < b.first; });
  double norm = 0;
  for (std::size_t i = 0, j = 0; i < f.size(); i = j) {
    while (j < f.size() && f[j].index == f[i].index) ++j;
    const double c = static_cast<double>(j - i);
    const double w = (1 + std::log(c)) * idf[f[i].index];
    norm += w * w;
    for (std::size_t k = i; k < j; ++k) f[k].value = static_cast<float>(w / c);
  }
  norm = norm > 0 ? std::sqrt(norm) : 1;
  for (auto& x : f) x.value = static_cast<float>(x.value / norm);
  if (side >= 0) f.push_back({side, 0, 0, kAgeSideWeight});
  return f;
}

// The table slot of an n-gram hash (its low bits alone cluster: FNV's last step is a multiply).
std::size_t Mix(std::uint64_t h) { return static_cast<std::size_t>((h ^ (h >> 31)) * 0x9e3779b97f4a7c15ULL >> 20); }

void Softmax(std::vector<float>& s) {
  const float mx = *std::max_element(s.begin(), s.end());
  float z = 0;
  for (auto& v : s) z += (v = std::exp(v - mx));
  for (auto& v : s) v /= z;
}

template <typename T>
void Put(std::ofstream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof v);
}
template <typename T>
bool Get(std::ifstream& in, T& v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof v));
}
template <typename T>
bool GetVector(std::ifstream& in, std::vector<T>& v, std::size_t n) {
  v.resize(n);
  return static_cast<bool>(in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T))));
}

}  // namespace

Status TrainLinear(const std::vector<LinearExample>& examples, const LinearOptions& o, const std::string& path) {
  if (examples.empty()) return MakeError(Errc::invalid_argument, "triage_no_training_data");
  std::vector<std::string> labels;
  for (const auto& e : examples) labels.push_back(e.label);
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  const std::size_t nl = labels.size();

  // Document frequencies; the n-grams kept, sorted by hash (the row order of the model).
  std::vector<std::vector<Gram>> grams;
  std::unordered_map<std::uint64_t, int> df;
  for (const auto& e : examples) {
    grams.push_back(NGrams(e.tokens, o.max_n));
    std::vector<std::uint64_t> seen;
    for (const auto& g : grams.back()) seen.push_back(g.hash);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (auto h : seen) ++df[h];
  }
  std::vector<std::uint64_t> hashes;
  for (const auto& [h, c] : df)
    if (c >= o.min_count) hashes.push_back(h);
  std::sort(hashes.begin(), hashes.end());
  const double n_docs = static_cast<double>(examples.size());
  std::vector<float> idf(hashes.size());
  for (std::size_t i = 0; i < hashes.size(); ++i)
    idf[i] = static_cast<float>(std::log((n_docs + 1) / (df[hashes[i]] + 1)) + 1);
  auto index_of = [&](std::uint64_t h) -> std::int32_t {
    auto it = std::lower_bound(hashes.begin(), hashes.end(), h);
    return it != hashes.end() && *it == h ? static_cast<std::int32_t>(it - hashes.begin()) : -1;
  };
  std::vector<std::vector<LinearModel::Feature>> x;
  std::vector<std::size_t> y;
  for (std::size_t k = 0; k < examples.size(); ++k) {
    x.push_back(Vectorize(grams[k], index_of, idf));
    y.push_back(std::lower_bound(labels.begin(), labels.end(), examples[k].label) - labels.begin());
  }
  grams.clear();

  // NBSVM-style input scale per (n-gram, label): the log-count ratio of binarised counts.
  std::vector<float> nbs;
  if (o.nb_scale > 0) {
    std::vector<double> n(hashes.size() * nl, 0.0), tot(nl, 0.0);
    for (std::size_t k = 0; k < x.size(); ++k) {
      std::int32_t prev = -1;
      for (const auto& f : x[k]) {
        if (f.index == prev) continue;  // occurrences of one n-gram are adjacent (sorted)
        prev = f.index;
        n[static_cast<std::size_t>(f.index) * nl + y[k]] += 1;
        tot[y[k]] += 1;
      }
    }
    const double all = std::accumulate(tot.begin(), tot.end(), 0.0);
    nbs.assign(n.size(), 0.0f);
    double mean = 0;
    for (std::size_t r = 0; r < hashes.size(); ++r) {
      double row = 0;
      for (std::size_t l = 0; l < nl; ++l) row += n[r * nl + l];
      for (std::size_t l = 0; l < nl; ++l) {
        const double p = (n[r * nl + l] + 1) / (tot[l] + hashes.size());
        const double q = (row - n[r * nl + l] + 1) / (all - tot[l] + hashes.size());
        nbs[r * nl + l] = static_cast<float>(std::abs(std::log(p / q)));
        mean += nbs[r * nl + l];
      }
    }
    mean /= static_cast<double>(nbs.size());
    // No n-gram tells any label apart (degenerate data): no scaling rather than 0/0.
    if (mean > 0)
      for (auto& z : nbs) z = static_cast<float>(std::pow(z / mean, o.nb_scale));
    else
      nbs.clear();
  }
  auto scale_row = [&](std::int32_t index) -> const float* {
    return nbs.empty() ? nullptr : nbs.data() + static_cast<std::size_t>(index) * nl;
  };

  // SGD on the softmax loss, the learning rate decaying linearly to 0; weight decay through one
  // scale factor (w = scale * v) so that each step touches only the example's rows.
  std::vector<float> v(hashes.size() * nl, 0.0f), bias(nl, 0.0f);
  double scale = 1;
  std::vector<std::size_t> order(examples.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(o.seed);
  const double steps = static_cast<double>(o.epoch) * examples.size();
  double t = 0;
  std::vector<float> s(nl);
  for (int ep = 0; ep < o.epoch; ++ep) {
    // Fisher-Yates with our own draws: std::shuffle's order is not the same on every library.
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    for (std::size_t k : order) {
      const double lr = o.lr * (1 - t++ / steps);
      for (std::size_t l = 0; l < nl; ++l) s[l] = bias[l];
      for (const auto& f : x[k]) {
        const float* row = v.data() + static_cast<std::size_t>(f.index) * nl;
        const float a = static_cast<float>(f.value * scale);
        if (const float* sr = scale_row(f.index))
          for (std::size_t l = 0; l < nl; ++l) s[l] += a * sr[l] * row[l];
        else
          for (std::size_t l = 0; l < nl; ++l) s[l] += a * row[l];
      }
      Softmax(s);
      s[y[k]] -= 1;  // the gradient of the loss by the logits
      for (const auto& f : x[k]) {
        float* row = v.data() + static_cast<std::size_t>(f.index) * nl;
        const float a = static_cast<float>(lr * f.value / scale);
        if (const float* sr = scale_row(f.index))
          for (std::size_t l = 0; l < nl; ++l) row[l] -= a * sr[l] * s[l];
        else
          for (std::size_t l = 0; l < nl; ++l) row[l] -= a * s[l];
      }
      for (std::size_t l = 0; l < nl; ++l) bias[l] -= static_cast<float>(lr * s[l]);
      scale *= 1 - lr * o.l2;
      if (scale < 1e-3) {
        for (auto& w : v) w = static_cast<float>(w * scale);
        scale = 1;
      }
    }
  }
  for (auto& w : v) w = static_cast<float>(w * scale);
  if (!nbs.empty())
    for (std::size_t i = 0; i < v.size(); ++i) v[i] *= nbs[i];
  if (o.nb_fold > 0) {
    // Multinomial naive Bayes over the same feature values (the age side feature included),
    // its log-likelihoods and log-prior added to the weights and biases.
    std::vector<double> n(hashes.size() * nl, 0.0), tot(nl, 0.0), docs(nl, 0.0);
    for (std::size_t k = 0; k < x.size(); ++k) {
      docs[y[k]] += 1;
      for (const auto& f : x[k]) {
        n[static_cast<std::size_t>(f.index) * nl + y[k]] += f.value;
        tot[y[k]] += f.value;
      }
    }
    const double vocab = static_cast<double>(hashes.size());
    for (std::size_t r = 0; r < hashes.size(); ++r)
      for (std::size_t l = 0; l < nl; ++l)
        v[r * nl + l] += static_cast<float>(
            o.nb_fold * std::log((n[r * nl + l] + o.nb_alpha) / (tot[l] + o.nb_alpha * vocab)));
    for (std::size_t l = 0; l < nl; ++l)
      bias[l] += static_cast<float>(o.nb_fold * std::log((docs[l] + 1) / (n_docs + static_cast<double>(nl))));
  }

  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(kMagic, sizeof kMagic);
    Put(out, static_cast<float>(o.weight));
    Put(out, static_cast<std::int32_t>(o.max_n));
    Put(out, static_cast<std::int32_t>(nl));
    for (const auto& l : labels) {
      Put(out, static_cast<std::int32_t>(l.size()));
      out.write(l.data(), static_cast<std::streamsize>(l.size()));
    }
    Put(out, static_cast<std::int64_t>(hashes.size()));
    out.write(reinterpret_cast<const char*>(hashes.data()), static_cast<std::streamsize>(hashes.size() * 8));
    out.write(reinterpret_cast<const char*>(idf.data()), static_cast<std::streamsize>(idf.size() * 4));
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
    out.write(reinterpret_cast<const char*>(bias.data()), static_cast<std::streamsize>(bias.size() * 4));
    if (!out.flush()) return MakeError(Errc::internal, "triage_training_failed", "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return MakeError(Errc::internal, "triage_training_failed", ec.message());
  return {};
}

Result<std::unique_ptr<LinearModel>> LinearModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(Errc::not_found, "triage_model_missing", "no linear model at " + path);
  auto bad = [&](const char* why) {
    return MakeError(Errc::invalid_argument, "triage_model_invalid", path + ": " + why);
  };
  char magic[sizeof kMagic];
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof kMagic) != 0) return bad("not a linear model");
  std::unique_ptr<LinearModel> m(new LinearModel());
  std::int32_t max_n = 0, nl = 0;
  float weight = 0;
  if (!Get(in, weight) || !(weight >= 0 && weight <= 1)) return bad("bad weight");
  m->weight_ = weight;
  if (!Get(in, max_n) || !Get(in, nl) || max_n < 1 || max_n > 8 || nl < 1 || nl > 10000) return bad("bad header");
  m->max_n_ = max_n;
  for (std::int32_t i = 0; i < nl; ++i) {
    std::int32_t len = 0;
    if (!Get(in, len) || len < 0 || len > 1000) return bad("bad label");
    std::string l(static_cast<std::size_t>(len), '\0');
    if (!in.read(l.data(), len)) return bad("bad label");
    m->labels_.push_back(std::move(l));
  }
  std::int64_t rows = 0;
  if (!Get(in, rows) || rows < 0 || rows > (std::int64_t{1} << 26)) return bad("bad size");
  const auto n = static_cast<std::size_t>(rows);
  if (!GetVector(in, m->hashes_, n) || !GetVector(in, m->idf_, n) ||
      !GetVector(in, m->weights_, n * static_cast<std::size_t>(nl)) ||
      !GetVector(in, m->bias_, static_cast<std::size_t>(nl)))
    return bad("truncated");
  if (!std::is_sorted(m->hashes_.begin(), m->hashes_.end())) return bad("unsorted rows");
  std::size_t cap = 1024;
  while (cap < 2 * n) cap *= 2;
  m->slots_.assign(cap, Slot{0, -1});
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t k = Mix(m->hashes_[i]) & (cap - 1);
    while (m->slots_[k].index >= 0) k = (k + 1) & (cap - 1);
    m->slots_[k] = {m->hashes_[i], static_cast<std::int32_t>(i)};
  }
  return m;
}

std::int32_t LinearModel::Find(std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t k = Mix(hash) & mask;; k = (k + 1) & mask) {
    const Slot& s = slots_[k];
    if (s.index < 0) return -1;
    if (s.hash == hash) return s.index;
  }
}

std::vector<LinearModel::Feature> LinearModel::Features(const std::vector<Token>& tokens) const {
  return Vectorize(
      NGrams(tokens, max_n_), [this](std::uint64_t h) { return Find(h); }, idf_);
}

std::vector<float> LinearModel::Predict(const std::vector<Feature>& features) const {
  const std::size_t nl = labels_.size();
  std::vector<float> s(bias_);
  for (const auto& f : features) {
    const float* row = weights_.data() + static_cast<std::size_t>(f.index) * nl;
    for (std::size_t l = 0; l < nl; ++l) s[l] += f.value * row[l];
  }
  Softmax(s);
  return s;
}

std::vector<float> LinearModel::Contributions(const std::vector<Feature>& features, int label) const {
  const std::size_t nl = labels_.size();
  std::vector<float> out;
  out.reserve(features.size());
  for (const auto& f : features) {
    const float* row = weights_.data() + static_cast<std::size_t>(f.index) * nl;
    const float mean = std::accumulate(row, row + nl, 0.0f) / static_cast<float>(nl);
    out.push_back(f.value * (row[label] - mean));
  }
  return out;
}

}  // namespace ihos::domain::triage
