#include "domain/triage/classifier.hpp"

#include <fasttext/fasttext.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>

#include "domain/triage/labels.hpp"

namespace ihos::domain::triage {

namespace {
constexpr std::string_view kLabelPrefix = "__label__";
// The least probability a model's vote counts with in the geometric mix.
constexpr float kProbabilityFloor = 1e-30f;

std::string Line(const std::vector<Token>& tokens) {
  std::string s;
  for (const auto& t : tokens) {
    if (!s.empty()) s += ' ';
    s += t.text;
  }
  return s;
}
}  // namespace

Status TrainModel(const std::vector<Example>& examples, const TrainOptions& opts, const std::string& path) {
  if (examples.empty()) return MakeError(Errc::invalid_argument, "triage_no_training_data");
  std::error_code ec;
  std::optional<Lexicon> lexicon;
  if (opts.words) {
    std::vector<std::vector<Token>> texts;
    texts.reserve(examples.size());
    for (const auto& e : examples) texts.push_back(Tokenize(e.text));
    lexicon = Lexicon::Build(texts, opts.lexicon);
    if (auto st = lexicon->Save(WordsPath(path)); !st) return st;
  } else {
    std::filesystem::remove(WordsPath(path), ec);
  }
  char tmpl[] = "/tmp/ihos-triage-train-XXXXXX";
  const int fd = ::mkstemp(tmpl);
  if (fd < 0) return MakeError(Errc::internal, "triage_training_failed", "cannot create a temporary file");
  ::close(fd);
  const std::string tmp = tmpl;
  {
    // fastText reads its file in order with one thread: a seed other than 0 also shuffles the
    // examples (our own draws, the same on every library), so models of different seeds differ
    // by more than their initial vectors.
    std::vector<std::size_t> order(examples.size());
    std::iota(order.begin(), order.end(), 0);
    if (opts.seed != 0) {
      std::mt19937_64 rng(static_cast<std::uint64_t>(opts.seed));
      for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    }
    std::ofstream out(tmp);
    for (std::size_t k : order) {
      const auto tokens = Tokenize(examples[k].text);
      const std::string line = Line(lexicon ? lexicon->Segment(tokens) : tokens);
      out << kLabelPrefix << examples[k].label << ' ' << line << '\n';
    }
  }
  fasttext::Args a;
  a.input = tmp;
  a.output = path;
  a.model = fasttext::model_name::sup;
  a.loss = fasttext::loss_name::softmax;
  a.minCount = 1;
  a.minn = 0;
  a.maxn = 0;
  a.lr = opts.lr;
  a.dim = opts.dim;
  a.epoch = opts.epoch;
  a.wordNgrams = opts.word_ngrams;
  a.bucket = opts.bucket;
  a.thread = opts.threads;
  a.seed = opts.seed;
  a.verbose = 0;
  Status st;
  try {
    fasttext::FastText ft;
    ft.train(a);
    const std::string tmp_model = path + ".tmp";
    ft.saveModel(tmp_model);
    std::filesystem::rename(tmp_model, path);
  } catch (const std::exception& e) {
    st = MakeError(Errc::internal, "triage_training_failed", e.what());
  }
  std::filesystem::remove(tmp);
  if (!st) return st;
  if (opts.linear.weight <= 0) {
    std::filesystem::remove(LinearPath(path), ec);
    return st;
  }
  std::vector<LinearExample> lin;
  lin.reserve(examples.size());
  for (const auto& e : examples) lin.push_back({Tokenize(e.text), e.label});
  return TrainLinear(lin, opts.linear, LinearPath(path));
}

std::string LinearPath(const std::string& path) { return path + ".linear"; }
std::string WordsPath(const std::string& path) { return path + ".words"; }

Classifier::~Classifier() = default;

Result<std::unique_ptr<Classifier>> Classifier::Load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return MakeError(Errc::not_found, "triage_model_missing", "no model file at " + path);
  std::unique_ptr<Classifier> c(new Classifier());
  c->ft_ = std::make_unique<fasttext::FastText>();
  try {
    c->ft_->loadModel(path);
    const auto args = c->ft_->getArgs();
    if (args.model != fasttext::model_name::sup || args.loss != fasttext::loss_name::softmax || args.maxn > 0)
      return MakeError(Errc::invalid_argument, "triage_model_invalid",
                       "not a supervised softmax model without subwords");
    auto dict = c->ft_->getDictionary();
    auto in = c->ft_->getInputMatrix();
    auto out = c->ft_->getOutputMatrix();
    c->input_ = in->data();
    c->output_ = out->data();
    c->dim_ = in->cols();
    c->nwords_ = dict->nwords();
    c->eos_ = dict->getId(fasttext::Dictionary::EOS);
    c->bucket_ = static_cast<std::uint64_t>(args.bucket);
    c->word_ngrams_ = args.wordNgrams;
    for (std::int32_t i = 0; i < dict->nlabels(); ++i) {
      std::string l = dict->getLabel(i);
      if (l.starts_with(kLabelPrefix)) l = l.substr(kLabelPrefix.size());
      if (!DepartmentOf(l)) return MakeError(Errc::invalid_argument, "triage_model_invalid", "unknown label " + l);
      c->labels_.push_back(std::move(l));
    }
    if (out->rows() != static_cast<std::int64_t>(c->labels_.size()))
      return MakeError(Errc::invalid_argument, "triage_model_invalid", "output rows differ from labels");
    if (std::filesystem::exists(WordsPath(path), ec)) {
      auto lex = Lexicon::Load(WordsPath(path));
      if (!lex) return lex.error();
      c->lexicon_ = std::make_unique<Lexicon>(std::move(*lex));
    }
    if (std::filesystem::exists(LinearPath(path), ec)) {
      auto lin = LinearModel::Load(LinearPath(path));
      if (!lin) return lin.error();
      for (const auto& l : (*lin)->labels()) {
        const auto it = std::find(c->labels_.begin(), c->labels_.end(), l);
        if (it == c->labels_.end())
          return MakeError(Errc::invalid_argument, "triage_model_invalid", "linear model label " + l + " unknown");
        c->linear_label_.push_back(static_cast<int>(it - c->labels_.begin()));
      }
      c->linear_weight_ = (*lin)->weight();
      c->linear_ = std::move(*lin);
    }
  } catch (const std::exception& e) {
    return MakeError(Errc::invalid_argument, "triage_model_invalid", e.what());
  }
  return c;
}

Prediction Classifier::Predict(const std::vector<Token>& tokens) const {
  const auto dict = ft_->getDictionary();
  Prediction p;
  // With a lexicon fastText reads words; a row's span is still in `tokens` (the explanation's).
  std::vector<std::pair<std::int32_t, std::int32_t>> spans;
  const std::vector<Token> segmented = lexicon_ ? lexicon_->Segment(tokens, &spans) : std::vector<Token>{};
  const std::vector<Token>& words = lexicon_ ? segmented : tokens;
  auto first = [&](std::int32_t i) { return lexicon_ ? spans[i].first : i; };
  auto last = [&](std::int32_t i) { return lexicon_ ? spans[i].second : i; };
  // Rebuilds fastText's Dictionary::getLine for a supervised model without subwords: the ids
  // of known words, the end-of-line word, then hashed word n-grams over all tokens.
  const std::int32_t n = static_cast<std::int32_t>(words.size());
  std::vector<std::int32_t> hashes;
  hashes.reserve(n + 1);
  for (std::int32_t i = 0; i <= n; ++i) {
    const std::string& w = i < n ? words[i].text : fasttext::Dictionary::EOS;
    const std::uint32_t h = dict->hash(w);
    const std::int32_t wid = dict->getId(w, h);
    hashes.push_back(static_cast<std::int32_t>(h));
    if (wid >= 0 && dict->getType(wid) == fasttext::entry_type::word)
      p.rows.push_back({wid, i < n ? first(i) : -1, i < n ? last(i) : static_cast<std::int32_t>(tokens.size())});
  }
  for (std::int32_t i = 0; i <= n; ++i) {
    std::uint64_t h = static_cast<std::uint64_t>(static_cast<std::int64_t>(hashes[i]));
    for (std::int32_t j = i + 1; j <= n && j < i + word_ngrams_; ++j) {
      h = h * 116049371 + static_cast<std::uint64_t>(static_cast<std::int64_t>(hashes[j]));
      const auto id = static_cast<std::int32_t>(h % bucket_);
      p.rows.push_back({nwords_ + id, i < n ? first(i) : -1, last(j == n ? n - 1 : j)});
    }
  }
  std::vector<float> hidden(dim_, 0.0f);
  for (const auto& r : p.rows) {
    const float* v = input_ + static_cast<std::int64_t>(r.id) * dim_;
    for (std::int64_t d = 0; d < dim_; ++d) hidden[d] += v[d];
  }
  const float inv = 1.0f / static_cast<float>(p.rows.size());
  for (auto& h : hidden) h *= inv;
  const std::size_t nl = labels_.size();
  p.probs.resize(nl);
  float mx = -1e30f;
  for (std::size_t l = 0; l < nl; ++l) {
    const float* w = output_ + static_cast<std::int64_t>(l) * dim_;
    float s = 0;
    for (std::int64_t d = 0; d < dim_; ++d) s += w[d] * hidden[d];
    p.probs[l] = s;
    mx = std::max(mx, s);
  }
  if (linear_ && linear_weight_ > 0) {
    // The two models' log-probabilities are averaged (a weighted geometric mean, renormalised):
    // a label both models find likely beats one only the more confident model likes. On the
    // validation split and two train folds (3,783 requests) it was right on 15 that the
    // arithmetic mean got wrong, and wrong on 6 (README).
    p.features = linear_->Features(tokens);
    const auto lp = linear_->Predict(p.features);
    const auto w = static_cast<float>(linear_weight_);
    std::vector<float> lin_log(nl, std::log(kProbabilityFloor));  // a label the linear model lacks
    for (std::size_t l = 0; l < lp.size(); ++l)
      lin_log[linear_label_[l]] = std::log(std::max(lp[l], kProbabilityFloor));
    mx = -1e30f;
    for (std::size_t l = 0; l < nl; ++l) {
      p.probs[l] = (1 - w) * p.probs[l] + w * lin_log[l];  // fastText's logits: its log-probabilities + a constant
      mx = std::max(mx, p.probs[l]);
    }
  }
  float z = 0;
  for (auto& s : p.probs) z += (s = std::exp(s - mx));
  for (auto& s : p.probs) s /= z;
  return p;
}

std::vector<Evidence> Classifier::Explain(const Prediction& p, int label, const std::vector<Token>& tokens,
                                          std::string_view text, int n) const {
  // A row's contribution to the label's logit, less its mean contribution over all labels
  // (softmax ignores what every label gets alike, e.g. "的").
  const std::size_t nl = labels_.size();
  std::vector<float> rel(dim_, 0.0f);
  for (std::size_t l = 0; l < nl; ++l) {
    const float* w = output_ + static_cast<std::int64_t>(l) * dim_;
    const float f = (static_cast<int>(l) == label ? 1.0f : 0.0f) - 1.0f / static_cast<float>(nl);
    for (std::int64_t d = 0; d < dim_; ++d) rel[d] += f * w[d];
  }
  struct Span {
    std::int32_t first, last;
    float score;
  };
  // Each model's positive contributions, as shares of their sum, weighted as in the mix.
  std::vector<Span> spans, lin;
  auto words = [&](std::int32_t first) { return first >= 0 && tokens[first].begin != tokens[first].end; };
  for (const auto& r : p.rows) {
    if (!words(r.first)) continue;
    const float* v = input_ + static_cast<std::int64_t>(r.id) * dim_;
    float s = 0;
    for (std::int64_t d = 0; d < dim_; ++d) s += rel[d] * v[d];
    if (s > 0) spans.push_back({r.first, r.last, s});
  }
  if (linear_ && linear_weight_ > 0 && !p.features.empty()) {
    int ll = -1;
    for (std::size_t l = 0; l < linear_label_.size(); ++l)
      if (linear_label_[l] == label) ll = static_cast<int>(l);
    if (ll >= 0) {
      const auto c = linear_->Contributions(p.features, ll);
      for (std::size_t i = 0; i < c.size(); ++i)
        if (c[i] > 0 && words(p.features[i].first)) lin.push_back({p.features[i].first, p.features[i].last, c[i]});
    }
  }
  auto weigh = [](std::vector<Span>& v, double w) {
    float sum = 0;
    for (const auto& s : v) sum += s.score;
    for (auto& s : v) s.score = sum > 0 ? static_cast<float>(s.score / sum * w) : 0;
  };
  if (!lin.empty()) {
    weigh(spans, 1 - linear_weight_);
    weigh(lin, linear_weight_);
    spans.insert(spans.end(), lin.begin(), lin.end());
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.score > b.score; });
  if (spans.size() > 12) spans.resize(12);
  // Overlapping or touching spans make one phrase ("甲状" + "状腺" -> "甲状腺").
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.first < b.first; });
  std::vector<Span> merged;
  for (const auto& s : spans) {
    const bool joins = !merged.empty() &&
                       (s.first <= merged.back().last ||
                        (s.first == merged.back().last + 1 && tokens[s.first].begin == tokens[merged.back().last].end));
    if (joins) {
      merged.back().last = std::max(merged.back().last, s.last);
      merged.back().score += s.score;
    } else {
      merged.push_back(s);
    }
  }
  std::sort(merged.begin(), merged.end(), [](const Span& a, const Span& b) { return a.score > b.score; });
  std::vector<Evidence> out;
  double total = 0;
  for (const auto& m : merged) {
    // A lone Han character says little to a reader ("甲"); a phrase or an ASCII word ("tsh") does.
    if (m.first == m.last && static_cast<unsigned char>(tokens[m.first].text[0]) >= 0x80) continue;
    std::string t(text.substr(tokens[m.first].begin, tokens[m.last].end - tokens[m.first].begin));
    // Repeats, and parts of a phrase already chosen, add nothing.
    if (std::any_of(out.begin(), out.end(), [&](const Evidence& e) { return e.text.find(t) != std::string::npos; }))
      continue;
    out.push_back({std::move(t), m.score});
    total += m.score;
    if (static_cast<int>(out.size()) == n) break;
  }
  for (auto& e : out) e.weight = total > 0 ? e.weight / total : 0;
  return out;
}

bool Classifier::Knows(const std::string& word) const {
  const auto dict = ft_->getDictionary();
  const std::int32_t id = dict->getId(word);
  return id >= 0 && dict->getType(id) == fasttext::entry_type::word;
}

std::vector<std::pair<float, std::string>> Classifier::FastTextPredict(const std::vector<Token>& tokens, int k) const {
  std::istringstream in(Line(lexicon_ ? lexicon_->Segment(tokens) : tokens) + "\n");
  std::vector<std::pair<fasttext::real, std::string>> preds;
  ft_->predictLine(in, preds, k, 0.0);
  std::vector<std::pair<float, std::string>> out;
  for (auto& [p, l] : preds) out.emplace_back(p, l.starts_with(kLabelPrefix) ? l.substr(kLabelPrefix.size()) : l);
  return out;
}

}  // namespace ihos::domain::triage
