#pragma once
// The triage training data (../shared/data/triage, see its SOURCE.md): reading the CSV files,
// the deterministic held-out split, and the accuracy report. The data has no stated licence:
// ihos never ships it or a model trained on it; these functions read it where it lies.
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/triage/classifier.hpp"

namespace ihos::domain::triage {

struct Row {
  std::string id;
  std::string source;  // "haodf" or "toyhom"
  std::string text;
  std::string label;      // the model label, ModelLabel(source, data label)
  std::string age_group;  // haodf's "0+", "10+", ... "90+"; "" when unknown (toyhom has none)
  std::string direction;  // haodf's disease direction (label_j name, "甲减"); "" for toyhom
  // The distinct non-empty fields `text` was joined from (haodf: disease name, description, title,
  // hope; toyhom: title, question), in that order; empty when the file has no such columns.
  std::vector<std::string> parts;
};

// The label a model is trained on for a row: `fine` adds the disease direction
// (FineModelLabel), else the data label. Either way its department is the data label's.
std::string TrainingLabel(const Row& row, bool fine);

// The patient's age group as one token the model reads before the text ("age0" for 0-9 years,
// "age10", ... "age90"); "" for an unknown or impossible group. The children's labels depend on it.
std::string AgeToken(std::string_view age_group);
// The same token for an age in whole years (0-9 -> "age0", ..., 90 and over -> "age90"); "" when
// the age is impossible (negative or over 130).
std::string AgeTokenOfYears(int years);
// The text the model reads for a row: with_age puts AgeToken first.
std::string ModelText(const Row& row, bool with_age);

enum class Split { train, validation, test };
// FNV-1a 64 of the row id, mod 10: 0 -> test (held out, reported, never tuned on),
// 1 -> validation (for choosing settings), else train.
Split SplitOf(const std::string& id);
// FNV-1a 64 of the row id, mod 10 (SplitOf's ten parts; 2..9 are the train split's folds).
int FoldOf(const std::string& id);

// Reads haodf_xf2022_train.csv and, when `with_toyhom`, toyhom_internal_medicine_sample_train.csv
// from `dir`. Errors: not_found "triage_data_missing"; invalid_argument "triage_data_invalid".
Result<std::vector<Row>> LoadData(const std::string& dir, bool with_toyhom);

// The data folder for tests and `make run`: $IHOS_TRIAGE_DATA, else ../shared/data/triage
// relative to `repo_root`; "" when neither holds haodf_xf2022_train.csv.
std::string FindDataDir(const std::string& repo_root);

struct EvalReport {
  int n = 0;
  double top1 = 0, top3 = 0;                                    // department level, the figure a user sees
  double label_top1 = 0, label_top3 = 0;                        // data-label level (20 haodf labels), for comparison
  std::map<std::string, std::map<std::string, int>> confusion;  // gold department -> predicted -> count
  double low_confidence_share = 0;                              // share of rows under the confidence threshold
  double low_confidence_top1 = 0;                               // top-1 accuracy among them
};

struct Ranked {
  std::string department;
  double confidence;
};
// The departments of a prediction, by summed probability, best first.
std::vector<Ranked> RankDepartments(const Classifier& c, const Prediction& p);

EvalReport Evaluate(const Classifier& c, const std::vector<Row>& rows, double low_confidence_threshold,
                    bool with_age = false);

}  // namespace ihos::domain::triage
