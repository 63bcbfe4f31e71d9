#pragma once
// The ICD-10 catalogue (北京临床版 v601) a doctor chooses a diagnosis from: reading the CSV from
// the team's shared data, importing it (one transaction, idempotent), searching it by a Chinese
// name fragment or a code prefix, and looking a code up. See README.md beside this file.
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"

namespace ihos::domain::icd10 {

// The CSV's name inside the data folder.
inline constexpr std::string_view kFileName = "icd10_beijing_clinical_v601.csv";

struct Code {
  std::string code;      // "E11.9", "A01.003+G01*", "M800000/3"
  std::string name_zh;   // 非胰岛素依赖型糖尿病不伴有并发症
  std::string level;     // category_3char | subcategory_4char | extension | morphology_icdo
  std::string category;  // the 3-character category, "" for morphology codes
};

struct ImportStats {
  std::int64_t codes = 0;
  std::int64_t grams = 0;
};

// The catalogue file: $IHOS_ICD10_FILE, else <repo_root>/../shared/data/icd10_cn/<kFileName>,
// else /work/shared/data/icd10_cn/<kFileName>; "" when none exists.
std::string FindDataFile(const std::string& repo_root);

// Reads the CSV (header code,name,level,category_3char,...; RFC 4180 quoting). Errors:
// not_found "icd10_file_missing"; invalid_argument "icd10_file_invalid" (detail names the line)
// for a bad header, a row without code or name, an unknown level or a duplicate code.
Result<std::vector<Code>> ReadCsv(const std::string& path);
// The same over an open stream (the fuzz target fuzz/csv_import_fuzz.cpp reads from memory).
Result<std::vector<Code>> ReadCsv(std::istream& in);

// Replaces the whole catalogue with `codes` in one transaction (running it twice leaves the
// same rows). Errors: invalid_argument "icd10_file_invalid" for an empty list; those of the store.
Result<ImportStats> Import(store::Database& db, const std::vector<Code>& codes);

// Best matches first: the exact code, codes starting with the query, names equal to it, names
// starting with it, then names containing it; within each, 3-character categories, then
// 4-character, then extensions, then morphology; then shorter names. `q` is trimmed; an empty
// one finds nothing. `limit` 1..100.
Result<std::vector<Code>> Search(store::Tx& tx, std::string_view q, int limit);

// One code, exactly as catalogued (case-insensitive). Errors: not_found "icd10_code_not_found".
Result<Code> Get(store::Tx& tx, std::string_view code);

// The Chinese name of a code, for the consultation record. Errors: not_found "icd10_code_not_found".
Result<std::string> NameOf(store::Tx& tx, std::string_view code);

// How many codes the catalogue holds (0 before an import).
Result<std::int64_t> Count(store::Tx& tx);

// The distinct character bigrams of lower-cased `text` (code points, ASCII lower-cased); the
// index of Search. Exposed for tests.
std::vector<std::string> Bigrams(std::string_view text);

}  // namespace ihos::domain::icd10
