#include "domain/triage/dataset.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/csv.hpp"
#include "domain/triage/labels.hpp"

namespace ihos::domain::triage {

int FoldOf(const std::string& id) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : id) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return static_cast<int>(h % 10);
}

Split SplitOf(const std::string& id) {
  switch (FoldOf(id)) {
    case 0:
      return Split::test;
    case 1:
      return Split::validation;
    default:
      return Split::train;
  }
}

namespace {

Status ReadFile(const std::string& path, const std::string& source, std::vector<Row>& out) {
  std::ifstream in(path);
  if (!in) return MakeError(Errc::not_found, "triage_data_missing", path);
  std::vector<std::string> header, f;
  if (!ReadCsvRecord(in, header)) return MakeError(Errc::invalid_argument, "triage_data_invalid", path + ": empty");
  auto col = [&](std::string_view name) -> int {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  const int id = col("id"), text = col("text"), label = col("department"), age = col("age_group"),
            direction = col("disease_direction");
  std::vector<int> part_cols;
  for (std::string_view name : {"disease_name", "condition_desc", "title", "hope_help", "ask"})
    if (const int c = col(name); c >= 0) part_cols.push_back(c);
  if (id < 0 || text < 0 || label < 0)
    return MakeError(Errc::invalid_argument, "triage_data_invalid", path + ": needs columns id, text, department");
  while (ReadCsvRecord(in, f)) {
    if (f.size() != header.size()) return MakeError(Errc::invalid_argument, "triage_data_invalid", path + ": bad row");
    Row r{f[id],
          source,
          f[text],
          ModelLabel(source, f[label]),
          age >= 0 ? f[age] : "",
          direction >= 0 ? f[direction] : "",
          {}};
    for (const int c : part_cols)
      if (!f[c].empty() && std::find(r.parts.begin(), r.parts.end(), f[c]) == r.parts.end())
        r.parts.push_back(f[c]);
    if (!DepartmentOf(r.label))
      return MakeError(Errc::invalid_argument, "triage_data_invalid", "label not in the map: " + r.label);
    out.push_back(std::move(r));
  }
  return {};
}

}  // namespace

Result<std::vector<Row>> LoadData(const std::string& dir, bool with_toyhom) {
  std::vector<Row> rows;
  if (auto st = ReadFile(dir + "/haodf_xf2022_train.csv", "haodf", rows); !st) return st.error();
  if (with_toyhom)
    if (auto st = ReadFile(dir + "/toyhom_internal_medicine_sample_train.csv", "toyhom", rows); !st) return st.error();
  return rows;
}

std::string FindDataDir(const std::string& repo_root) {
  std::error_code ec;
  auto has = [&](const std::string& d) {
    return !d.empty() && std::filesystem::exists(d + "/haodf_xf2022_train.csv", ec);
  };
  if (const char* env = std::getenv("IHOS_TRIAGE_DATA"); env && has(env)) return env;
  const std::string rel = repo_root + "/../shared/data/triage";
  if (has(rel)) return std::filesystem::weakly_canonical(rel, ec).string();
  return "";
}

std::vector<Ranked> RankDepartments(const Classifier& c, const Prediction& p) {
  std::vector<Ranked> out;
  for (std::size_t i = 0; i < p.probs.size(); ++i) {
    const std::string_view d = *DepartmentOf(c.labels()[i]);
    auto it = std::find_if(out.begin(), out.end(), [&](const Ranked& r) { return r.department == d; });
    if (it == out.end())
      out.push_back({std::string(d), p.probs[i]});
    else
      it->confidence += p.probs[i];
  }
  std::sort(out.begin(), out.end(), [](const Ranked& a, const Ranked& b) { return a.confidence > b.confidence; });
  return out;
}

std::string AgeToken(std::string_view age_group) {
  if (age_group.empty() || age_group.back() != '+') return "";
  const std::string_view digits = age_group.substr(0, age_group.size() - 1);
  if (digits.empty() || digits.size() > 2 ||
      !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return "";
  return "age" + std::string(digits);
}

std::string AgeTokenOfYears(int years) {
  if (years < 0 || years > 130) return "";
  return "age" + std::to_string(std::min(years / 10 * 10, 90));
}

std::string TrainingLabel(const Row& row, bool fine) {
  return fine ? FineModelLabel(row.label, row.direction) : row.label;
}

std::string ModelText(const Row& row, bool with_age) {
  if (!with_age) return row.text;
  const std::string token = AgeToken(row.age_group);
  return token.empty() ? row.text : token + " " + row.text;
}

EvalReport Evaluate(const Classifier& c, const std::vector<Row>& rows, double threshold, bool with_age) {
  EvalReport r;
  int t1 = 0, t3 = 0, l1 = 0, l3 = 0, low = 0, low_ok = 0;
  for (const auto& row : rows) {
    const auto p = c.Predict(Tokenize(ModelText(row, with_age)));
    const auto ranked = RankDepartments(c, p);
    const std::string gold(*DepartmentOf(row.label));
    ++r.n;
    if (ranked[0].department == gold) ++t1;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, ranked.size()); ++i)
      if (ranked[i].department == gold) ++t3;
    ++r.confusion[gold][ranked[0].department];
    if (ranked[0].confidence < threshold) {
      ++low;
      if (ranked[0].department == gold) ++low_ok;
    }
    // The data label's probability is the sum of its fine labels' (a model trained on plain
    // labels has one each).
    std::vector<std::pair<double, std::string_view>> data;
    for (std::size_t i = 0; i < p.probs.size(); ++i) {
      const std::string_view l = DataLabelOf(c.labels()[i]);
      auto it = std::find_if(data.begin(), data.end(), [&](const auto& d) { return d.second == l; });
      if (it == data.end())
        data.emplace_back(p.probs[i], l);
      else
        it->first += p.probs[i];
    }
    std::sort(data.begin(), data.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (data[0].second == row.label) ++l1;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, data.size()); ++i)
      if (data[i].second == row.label) ++l3;
  }
  if (r.n > 0) {
    r.top1 = double(t1) / r.n;
    r.top3 = double(t3) / r.n;
    r.label_top1 = double(l1) / r.n;
    r.label_top3 = double(l3) / r.n;
    r.low_confidence_share = double(low) / r.n;
    r.low_confidence_top1 = low ? double(low_ok) / low : 0;
  }
  return r;
}

}  // namespace ihos::domain::triage
