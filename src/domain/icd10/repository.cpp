// SQL of the ICD-10 catalogue (declared in repository.hpp beside this file).
#include "domain/icd10/repository.hpp"

#include <algorithm>

namespace ihos::domain::icd10::repo {
namespace {

constexpr const char* kCols = "c.code, c.name_zh, c.level, c.category";
constexpr const char* kLevelOrder =
    "CASE c.level WHEN 'category_3char' THEN 0 WHEN 'subcategory_4char' THEN 1 WHEN 'extension' THEN 2 ELSE 3 END";

Code ToCode(const store::Row& r) { return Code{r.Text(0), r.Text(1), r.Text(2), r.Text(3)}; }

Result<std::vector<Code>> ToCodes(Result<store::Rows> rows) {
  if (!rows) return rows.error();
  std::vector<Code> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(ToCode(r));
  return out;
}

}  // namespace

Status ReplaceAll(store::Tx& tx, const std::vector<Code>& codes, const std::vector<std::string>& search_texts,
                  const std::vector<std::pair<std::string, const std::string*>>& grams) {
  if (auto r = tx.Exec("DELETE FROM icd10_grams"); !r) return r.error();
  if (auto r = tx.Exec("DELETE FROM icd10_codes"); !r) return r.error();
  if (auto st = store::InsertRows(tx, "INSERT INTO icd10_codes (code, name_zh, level, category, search_text)", 5,
                                  codes.size(),
                                  [&](std::size_t i, store::Params& p) {
                                    const Code& c = codes[i];
                                    p.emplace_back(c.code);
                                    p.emplace_back(c.name_zh);
                                    p.emplace_back(c.level);
                                    p.emplace_back(c.category);
                                    p.emplace_back(search_texts[i]);
                                  });
      !st)
    return st;
  return store::InsertRows(tx, "INSERT INTO icd10_grams (gram, code)", 2, grams.size(),
                           [&](std::size_t i, store::Params& p) {
                             p.emplace_back(grams[i].first);
                             p.emplace_back(*grams[i].second);
                           });
}

Result<std::vector<Code>> CodesInRange(store::Tx& tx, const std::string& from, const std::string& to, int limit) {
  return ToCodes(tx.Query(std::string("SELECT ") + kCols + " FROM icd10_codes c WHERE c.code >= $1 AND c.code < $2 " +
                              "ORDER BY CASE WHEN c.code = $1 THEN 0 ELSE 1 END, " + kLevelOrder + ", c.code LIMIT " +
                              std::to_string(limit),
                          {from, to}));
}

Result<std::vector<Code>> CodesByName(store::Tx& tx, const std::string& like, const std::string& q,
                                      const std::string& prefix_like, const std::optional<std::string>& gram,
                                      int limit) {
  const std::string order = std::string(
                                " ORDER BY CASE WHEN c.name_zh = $2 THEN 0 WHEN c.name_zh LIKE $3 ESCAPE '\\' "
                                "THEN 1 ELSE 2 END, ") +
                            kLevelOrder + ", length(c.name_zh), c.code LIMIT " + std::to_string(limit);
  if (!gram)
    return ToCodes(
        tx.Query(std::string("SELECT ") + kCols + " FROM icd10_codes c WHERE c.search_text LIKE $1 ESCAPE '\\'" + order,
                 {like, q, prefix_like}));
  return ToCodes(tx.Query(std::string("SELECT ") + kCols +
                              " FROM icd10_grams g JOIN icd10_codes c ON c.code = g.code "
                              "WHERE g.gram = $4 AND c.search_text LIKE $1 ESCAPE '\\'" +
                              order,
                          {like, q, prefix_like, *gram}));
}

Result<std::optional<Code>> FindCode(store::Tx& tx, const std::string& code) {
  auto rows = tx.Query("SELECT code, name_zh, level, category FROM icd10_codes WHERE code = $1", {code});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Code>();
  return std::optional<Code>(ToCode(rows->front()));
}

Result<std::int64_t> CountCodes(store::Tx& tx) {
  auto rows = tx.Query("SELECT COUNT(*) FROM icd10_codes");
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

}  // namespace ihos::domain::icd10::repo
