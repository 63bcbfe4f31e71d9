#include "cli/triage.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/triage_members.hpp"
#include "domain/triage/dataset.hpp"
#include "domain/triage/labels.hpp"
#include "domain/triage/red_flags.hpp"
#include "http/json_io.hpp"

namespace ihos::cli {
namespace tr = domain::triage;

namespace {

struct Options {
  std::string data;
  std::string out = "var/triage.bin";
  std::string on = "test";
  int fold = 0;  // eval: hold out the train-split rows with FNV-1a(id) % 10 == fold instead (2..9)
  bool no_toyhom = false;
  bool with_age = false;
  bool fine = false;
  bool augment = false;   // --augment-parts
  bool distinct = false;  // --distinct-parts
  double prune = 0;       // --prune-noisy
  bool coarse = false;    // one label per department (the first data label of it in the map)
  double threshold = 0.5;
  std::string dump;         // eval: each held-out row's label probabilities, for trying ensembles
  std::string members;      // eval: each held-out row's member probabilities (JSON lines), for trying third members
  std::vector<double> mix;  // eval: other linear weights to report (on validation, to choose one)
  tr::TrainOptions train;
};
Options g_opts;

void AddModelOptions(CLI::App* c) {
  c->add_option("--data", g_opts.data, "the data folder (haodf_xf2022_train.csv ...)")->required();
  c->add_flag("--no-toyhom", g_opts.no_toyhom, "leave out the toyhom internal-medicine sample");
  c->add_flag("--with-age", g_opts.with_age, "put the patient's age group (haodf age_group) before the text");
  c->add_flag("--fine-labels", g_opts.fine, "learn haodf's disease directions (label_j), summed to departments");
  c->add_flag("--department-labels", g_opts.coarse, "learn one label per department instead of the data labels");
  c->add_flag("--distinct-parts", g_opts.distinct, "read each request with a repeated field once (train and held out)");
  c->add_flag("--augment-parts", g_opts.augment,
              "also train on each field of a request alone (disease name, description, title, hope)");
  c->add_option("--dim", g_opts.train.dim)->capture_default_str();
  c->add_option("--epoch", g_opts.train.epoch)->capture_default_str();
  c->add_option("--lr", g_opts.train.lr)->capture_default_str();
  c->add_option("--word-ngrams", g_opts.train.word_ngrams, "character n-grams up to this length")
      ->capture_default_str();
  c->add_option("--bucket", g_opts.train.bucket)->capture_default_str();
  c->add_option("--threads", g_opts.train.threads, "1 = deterministic")->capture_default_str();
  c->add_option("--seed", g_opts.train.seed, "fastText's seed; other than 0 also shuffles the examples")
      ->capture_default_str();
  c->add_flag("--words", g_opts.train.words, "fastText reads words of a lexicon learnt from the data");
  c->add_option("--lexicon-min-count", g_opts.train.lexicon.min_count)->capture_default_str();
  c->add_option("--lexicon-cohesion", g_opts.train.lexicon.cohesion)->capture_default_str();
  c->add_option("--lexicon-freedom", g_opts.train.lexicon.freedom)->capture_default_str();
  c->add_option("--linear-weight", g_opts.train.linear.weight,
                "share of the linear model (TF-IDF n-gram logistic regression) in the mix; 0 = fastText alone")
      ->capture_default_str();
  c->add_option("--linear-epoch", g_opts.train.linear.epoch)->capture_default_str();
  c->add_option("--linear-lr", g_opts.train.linear.lr)->capture_default_str();
  c->add_option("--linear-l2", g_opts.train.linear.l2)->capture_default_str();
  c->add_option("--linear-max-n", g_opts.train.linear.max_n, "token n-grams up to this length")
      ->check(CLI::Range(1, 8))
      ->capture_default_str();
  c->add_option("--linear-min-count", g_opts.train.linear.min_count)->capture_default_str();
  c->add_option("--linear-nb-fold", g_opts.train.linear.nb_fold,
                "experiment: add this times a TF-IDF naive Bayes' log-posterior to the linear logits")
      ->capture_default_str();
  c->add_option("--linear-nb-alpha", g_opts.train.linear.nb_alpha, "that naive Bayes' smoothing")
      ->capture_default_str();
  c->add_option("--linear-nb-scale", g_opts.train.linear.nb_scale,
                "scale inputs in training by (|NB log-count ratio| / mean)^this (NBSVM-style; 0 = plain)")
      ->capture_default_str();
}

// The label a row is trained on under the options.
std::string Label(const tr::Row& r) {
  if (!g_opts.coarse) return tr::TrainingLabel(r, g_opts.fine);
  const std::string_view d = *tr::DepartmentOf(r.label);
  for (const auto& m : tr::LabelMap())
    if (m.department == d) return tr::ModelLabel(m.source, m.label);
  return r.label;
}

// A training row as examples: its text, and with --augment-parts each of its fields alone too.
void AddExamples(const tr::Row& r, std::vector<tr::Example>& ex) {
  ex.push_back({tr::ModelText(r, g_opts.with_age), Label(r)});
  if (!g_opts.augment || r.parts.size() < 2) return;
  for (const auto& part : r.parts) {
    tr::Row alone = r;
    alone.text = part;
    ex.push_back({tr::ModelText(alone, g_opts.with_age), Label(r)});
  }
}

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A model trained on `ex` in a temporary file (`tag` names it), loaded, and its files removed;
// `train_s` gets the training time.
Result<std::unique_ptr<tr::Classifier>> TrainLoaded(const std::vector<tr::Example>& ex, const std::string& tag,
                                                    double& train_s) {
  const std::string path = "/tmp/ihos-triage-" + tag + "-" + std::to_string(::getpid()) + ".bin";
  const auto t0 = std::chrono::steady_clock::now();
  if (auto st = tr::TrainModel(ex, g_opts.train, path); !st) return st.error();
  train_s = Seconds(t0);
  auto c = tr::Classifier::Load(path);
  std::filesystem::remove(path);
  std::filesystem::remove(tr::LinearPath(path));
  std::filesystem::remove(tr::WordsPath(path));
  return c;
}

// --prune-noisy: each training row (its whole text, without --augment-parts' extra examples) is
// scored by a model trained on the other four fifths of the rows; rows whose own label gets less
// than g_opts.prune are left out (label noise, "confident learning").
Status PruneNoisy(std::vector<const tr::Row*>& rows) {
  std::vector<char> drop(rows.size(), 0);
  std::map<std::string, int> dropped;
  for (std::size_t k = 0; k < 5; ++k) {
    std::vector<tr::Example> rest;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (i % 5 != k) rest.push_back({tr::ModelText(*rows[i], g_opts.with_age), Label(*rows[i])});
    double train_s = 0;
    auto c = TrainLoaded(rest, "prune", train_s);
    if (!c) return c.error();
    const auto& labels = (*c)->labels();
    for (std::size_t i = k; i < rows.size(); i += 5) {
      const std::string label = Label(*rows[i]);
      const auto p = (*c)->Predict(tr::Tokenize(tr::ModelText(*rows[i], g_opts.with_age)));
      const auto at = std::find(labels.begin(), labels.end(), label);
      const double own = at == labels.end() ? 0 : p.probs[at - labels.begin()];
      if (own < g_opts.prune) {
        drop[i] = 1;
        ++dropped[label];
      }
    }
  }
  std::vector<const tr::Row*> kept;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!drop[i]) kept.push_back(rows[i]);
  std::cout << "pruned " << rows.size() - kept.size() << " of " << rows.size() << " training rows:";
  for (const auto& [label, n] : dropped) std::cout << " " << label << " " << n;
  std::cout << "\n";
  rows = std::move(kept);
  return {};
}

// The data, with --distinct-parts each request's repeated fields read once.
Result<std::vector<tr::Row>> LoadRows() {
  auto rows = tr::LoadData(g_opts.data, !g_opts.no_toyhom);
  if (!rows || !g_opts.distinct) return rows;
  for (auto& r : *rows)
    if (!r.parts.empty()) {
      std::string t;
      for (const auto& p : r.parts) t += (t.empty() ? "" : "；") + p;
      r.text = t;
    }
  return rows;
}

int Train() {
  auto rows = LoadRows();
  if (!rows) {
    std::cerr << "ihos: " << rows.error().code << " " << rows.error().detail << "\n";
    return 1;
  }
  std::vector<tr::Example> ex;
  for (const auto& r : *rows) AddExamples(r, ex);
  const auto parent = std::filesystem::path(g_opts.out).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  const auto t0 = std::chrono::steady_clock::now();
  if (auto st = tr::TrainModel(ex, g_opts.train, g_opts.out); !st) {
    std::cerr << "ihos: " << st.error().code << " " << st.error().detail << "\n";
    return 1;
  }
  std::printf("triage model: %s (%zu examples, %.1f s)\n", g_opts.out.c_str(), ex.size(), Seconds(t0));
  return 0;
}

void PrintReport(const char* name, const tr::EvalReport& r, bool labels) {
  std::printf("%s: n=%d  department top-1 %.2f%%  top-3 %.2f%%", name, r.n, 100 * r.top1, 100 * r.top3);
  if (labels) std::printf("  | 20 data labels top-1 %.2f%%  top-3 %.2f%%", 100 * r.label_top1, 100 * r.label_top3);
  std::printf("\n  under confidence %.2f: %.1f%% of requests, top-1 %.1f%% among them\n", g_opts.threshold,
              100 * r.low_confidence_share, 100 * r.low_confidence_top1);
  std::printf("  %-20s %5s %7s  most often confused with\n", "department", "n", "recall");
  for (const auto& [gold, preds] : r.confusion) {
    int n = 0;
    for (const auto& [p, c] : preds) n += c;
    const int ok = preds.count(gold) ? preds.at(gold) : 0;
    std::vector<std::pair<int, std::string>> wrong;
    for (const auto& [p, c] : preds)
      if (p != gold) wrong.emplace_back(c, p);
    std::sort(wrong.rbegin(), wrong.rend());
    std::string w;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, wrong.size()); ++i)
      w += (i ? ", " : "") + wrong[i].second + " " + std::to_string(wrong[i].first);
    std::printf("  %-20s %5d %6.1f%%  %s\n", gold.c_str(), n, 100.0 * ok / n, w.c_str());
  }
}

bool IsAgeText(const std::vector<tr::Token>& t) { return g_opts.with_age && !t.empty() && tr::IsAgeToken(t[0].text); }

void JsonFloats(std::ofstream& out, const std::vector<float>& v) {
  out << '[';
  for (std::size_t i = 0; i < v.size(); ++i) out << (i ? "," : "") << v[i];
  out << ']';
}

// Experiment (issue 16): the members' probabilities of each held-out row, and naive Bayes and
// nearest-neighbour members trained in memory on the same examples, for choosing a mix outside
// the binary.
void DumpMembers(tr::Classifier& c, const std::vector<tr::Example>& ex, const std::vector<tr::Row>& haodf,
                 const std::vector<tr::Row>& toyhom) {
  const auto* lin = c.linear();
  const auto& labels = c.labels();
  auto label_index = [&](const std::string& l) {
    return static_cast<int>(std::find(labels.begin(), labels.end(), l) - labels.begin());
  };
  std::vector<tr::SparseDoc> docs;
  std::vector<int> y;
  for (const auto& e : ex) {
    const auto t = tr::Tokenize(e.text);
    docs.push_back(tr::ToSparse(lin->Features(t), IsAgeText(t)));
    y.push_back(label_index(e.label));
  }
  const int nl = static_cast<int>(labels.size());
  struct Nb {
    const char* name;
    tr::NbKind kind;
    double alpha;
  };
  const std::vector<Nb> nbs = {{"mnb1", tr::NbKind::multinomial, 1.0}, {"mnb01", tr::NbKind::multinomial, 0.1},
                               {"bnb1", tr::NbKind::binary, 1.0},      {"bnb01", tr::NbKind::binary, 0.1},
                               {"tnb01", tr::NbKind::tfidf, 0.1},      {"tnb001", tr::NbKind::tfidf, 0.01},
                               {"tnb0003", tr::NbKind::tfidf, 0.003},  {"tnb0001", tr::NbKind::tfidf, 0.001},
                               {"cnb", tr::NbKind::complement, 0.1}};
  std::vector<tr::NaiveBayes> models;
  for (const auto& nb : nbs) models.emplace_back(docs, y, nl, lin->rows(), nb.kind, nb.alpha);
  const tr::NearestNeighbours knn(docs, y, lin->rows(), false), knna(docs, y, lin->rows(), true);
  std::ofstream out(g_opts.members);
  out << "{\"labels\":[";
  for (int i = 0; i < nl; ++i) out << (i ? "," : "") << '"' << labels[i] << '"';
  out << "],\"depts\":[";
  for (int i = 0; i < nl; ++i) out << (i ? "," : "") << '"' << *tr::DepartmentOf(labels[i]) << '"';
  out << "]}\n";
  const double trained = c.linear_weight();
  std::vector<double> knn_us;
  for (const auto* set : {&haodf, &toyhom})
    for (const auto& r : *set) {
      const auto t = tr::Tokenize(tr::ModelText(r, g_opts.with_age));
      out << "{\"id\":\"" << r.id << "\",\"src\":\"" << r.source << "\",\"gold\":\"" << *tr::DepartmentOf(r.label)
          << "\",\"ft\":";
      c.set_linear_weight(0);
      JsonFloats(out, c.Predict(t).probs);
      out << ",\"lin\":";
      c.set_linear_weight(1);
      JsonFloats(out, c.Predict(t).probs);
      const auto d = tr::ToSparse(lin->Features(t), IsAgeText(t));
      for (std::size_t i = 0; i < nbs.size(); ++i) {
        out << ",\"" << nbs[i].name << "\":";
        JsonFloats(out, models[i].LogPosterior(d));
      }
      for (const auto* k : {&knn, &knna}) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto nn = k->Query(d, 50);
        knn_us.push_back(1e6 * Seconds(t0));
        out << (k == &knn ? ",\"knn\":[" : ",\"knna\":[");
        for (std::size_t i = 0; i < nn.size(); ++i)
          out << (i ? "," : "") << '[' << nn[i].first << ',' << nn[i].second << ']';
        out << ']';
      }
      out << "}\n";
    }
  c.set_linear_weight(trained);
  std::sort(knn_us.begin(), knn_us.end());
  if (!knn_us.empty())
    std::printf("members dumped to %s; kNN query p50 %.0f us, p99 %.0f us (%zu postings)\n", g_opts.members.c_str(),
                knn_us[knn_us.size() / 2], knn_us[knn_us.size() * 99 / 100], docs.size());
}

int Eval() {
  auto rows = LoadRows();
  if (!rows) {
    std::cerr << "ihos: " << rows.error().code << " " << rows.error().detail << "\n";
    return 1;
  }
  const tr::Split target = g_opts.on == "test" ? tr::Split::test : tr::Split::validation;
  std::vector<const tr::Row*> trained;
  std::vector<tr::Row> haodf, toyhom;
  for (const auto& r : *rows) {
    const auto s = tr::SplitOf(r.id);
    // --fold K: one of the train split's folds is held out instead and the validation rows are
    // trained on (the same amount of training data), for choosing settings on more than one part.
    const bool held = g_opts.fold >= 2 ? tr::FoldOf(r.id) == g_opts.fold : s == target;
    if (held)
      (r.source == "haodf" ? haodf : toyhom).push_back(r);
    else if (s == tr::Split::train || (s == tr::Split::validation && (target == tr::Split::test || g_opts.fold >= 2)))
      trained.push_back(&r);
  }
  if (g_opts.prune > 0)
    if (auto st = PruneNoisy(trained); !st) {
      std::cerr << "ihos: " << st.error().code << " " << st.error().detail << "\n";
      return 1;
    }
  std::vector<tr::Example> ex;
  for (const tr::Row* r : trained) AddExamples(*r, ex);
  double train_s = 0;
  auto c = TrainLoaded(ex, "eval", train_s);
  if (!c) {
    std::cerr << "ihos: " << c.error().code << " " << c.error().detail << "\n";
    return 1;
  }
  std::printf("trained on %zu rows in %.1f s (dim %d, epoch %d, lr %.2f, char n-grams up to %d, bucket %d, %s)\n",
              ex.size(), train_s, g_opts.train.dim, g_opts.train.epoch, g_opts.train.lr, g_opts.train.word_ngrams,
              g_opts.train.bucket, g_opts.no_toyhom ? "haodf only" : "haodf + toyhom");
  if (g_opts.fold >= 2)
    std::printf("held-out split: train fold %d (FNV-1a(id) %% 10 == %d)\n", g_opts.fold, g_opts.fold);
  else
    std::printf("held-out split: %s (FNV-1a(id) %% 10 == %d)\n", g_opts.on.c_str(), target == tr::Split::test ? 0 : 1);
  std::printf("age group: %s; labels: %s\n", g_opts.with_age ? "used (--with-age)" : "not used",
              g_opts.fine ? "disease directions (--fine-labels)" : "data labels");
  if ((*c)->has_linear())
    std::printf("linear model: weight %.2f (n-grams up to %d, min count %d, epoch %d, lr %.2f, l2 %g)\n",
                (*c)->linear_weight(), g_opts.train.linear.max_n, g_opts.train.linear.min_count,
                g_opts.train.linear.epoch, g_opts.train.linear.lr, g_opts.train.linear.l2);
  if ((*c)->has_linear() && !g_opts.mix.empty()) {
    const double trained = (*c)->linear_weight();
    for (double w : g_opts.mix) {
      (*c)->set_linear_weight(w);
      const auto r = tr::Evaluate(**c, haodf, g_opts.threshold, g_opts.with_age);
      std::printf("  mix: linear weight %.2f -> haodf department top-1 %.2f%%  top-3 %.2f%%\n", w, 100 * r.top1,
                  100 * r.top3);
    }
    (*c)->set_linear_weight(trained);
  }
  if (!g_opts.members.empty() && (*c)->has_linear()) DumpMembers(**c, ex, haodf, toyhom);
  if (!g_opts.dump.empty()) {
    std::ofstream out(g_opts.dump);
    out << "id";
    for (const auto& l : (*c)->labels()) out << '\t' << l;
    out << '\n';
    for (const auto* set : {&haodf, &toyhom})
      for (const auto& r : *set) {
        const auto p = (*c)->Predict(tr::Tokenize(tr::ModelText(r, g_opts.with_age)));
        out << r.id;
        for (float v : p.probs) out << '\t' << v;
        out << '\n';
      }
  }
  PrintReport("haodf", tr::Evaluate(**c, haodf, g_opts.threshold, g_opts.with_age), true);
  if (!toyhom.empty()) PrintReport("toyhom", tr::Evaluate(**c, toyhom, g_opts.threshold, g_opts.with_age), false);
  return 0;
}

// Every red-flag hit on the real requests of the train and validation splits (never the test split,
// on which the false-alarm rate is reported), one TSV line each: rule, the terms matched, source,
// the request's first 300 bytes. For reviewing false alarms by hand, and for comparing the rules'
// behaviour before and after a change (the same hits, rule by rule).
int RedFlagReview() {
  auto rows = tr::LoadData(g_opts.data, true);
  if (!rows) {
    std::cerr << "ihos: " << rows.error().code << " " << rows.error().detail << "\n";
    return 1;
  }
  for (const auto& r : *rows) {
    if (tr::SplitOf(r.id) == tr::Split::test) continue;
    const auto hits = tr::CheckRedFlags(r.text);
    if (hits.empty()) continue;
    const std::string shown = http::Utf8Prefix(r.text, 300);
    for (const auto& h : hits) {
      std::string matched;
      for (const auto& t : h.matched) matched += t + "|";
      std::cout << "HIT\t" << h.rule_id << '\t' << matched << '\t' << r.source << '\t' << shown << '\n';
    }
  }
  return 0;
}

}  // namespace

TriageCommands AddTriageCommands(CLI::App& app) {
  auto* triage = app.add_subcommand("triage", "the self-check (AI自查) model")->require_subcommand(1);
  TriageCommands t;
  t.train = triage->add_subcommand("train", "train the department model on all rows of the data folder");
  AddModelOptions(t.train);
  t.train->add_option("--out", g_opts.out, "model file")->capture_default_str();
  t.eval = triage->add_subcommand("eval", "train on the train split and report accuracy on a held-out split");
  AddModelOptions(t.eval);
  t.eval->add_option("--on", g_opts.on, "test (reported) or validation (for choosing settings)")
      ->check(CLI::IsMember({"test", "validation"}))
      ->capture_default_str();
  t.eval
      ->add_option("--prune-noisy", g_opts.prune,
                   "drop training rows whose own label gets less than this probability from a model that did "
                   "not see them (5 folds of rows), then train")
      ->capture_default_str();
  t.eval->add_option("--fold", g_opts.fold, "hold out train fold 2..9 instead (for choosing settings)")
      ->check(CLI::Range(2, 9));
  t.eval->add_option("--low-confidence", g_opts.threshold)->capture_default_str();
  t.eval->add_option("--dump-probs", g_opts.dump, "write id, label probabilities of each held-out row (TSV)");
  t.eval->add_option("--dump-members", g_opts.members,
                     "write each held-out row's member probabilities, naive Bayes and nearest neighbours (JSON lines)");
  t.eval->add_option("--mix", g_opts.mix, "also report these linear weights (choose on --on validation only)")
      ->delimiter(',');
  t.review = triage->add_subcommand(
      "red-flag-review", "every red-flag hit on the train and validation requests (TSV), to review false alarms");
  t.review->add_option("--data", g_opts.data, "the data folder (haodf_xf2022_train.csv ...)")->required();
  return t;
}

int RunTriageCommands(const TriageCommands& t) {
  if (t.train->parsed()) return Train();
  if (t.eval->parsed()) return Eval();
  if (t.review->parsed()) return RedFlagReview();
  return -1;
}

}  // namespace ihos::cli
