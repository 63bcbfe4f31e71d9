#pragma once
// Storage of the ICD-10 catalogue (icd10_codes, icd10_grams). Implemented in repository.cpp
// beside this header, the same SQL on both backends. All functions run inside the caller's
// transaction; errors are those of store::Tx. Only icd10.cpp uses it.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/icd10/icd10.hpp"
#include "store/database.hpp"

namespace ihos::domain::icd10::repo {

// Replaces the whole catalogue: `codes` with their search texts (same order), and the bigram
// index (gram, code).
Status ReplaceAll(store::Tx& tx, const std::vector<Code>& codes, const std::vector<std::string>& search_texts,
                  const std::vector<std::pair<std::string, const std::string*>>& grams);
// Codes in [from, to) — every code starting with a prefix lies in [prefix, prefix') — the
// exact code `from` first, then by level and code; at most `limit`.
Result<std::vector<Code>> CodesInRange(store::Tx& tx, const std::string& from, const std::string& to, int limit);
// Codes whose search text matches the LIKE pattern `like`; an exact name `q` first, then names
// matching `prefix_like`, then by level, name length and code. With `gram`, through the bigram
// index (the text has two characters or more); without, by a scan.
Result<std::vector<Code>> CodesByName(store::Tx& tx, const std::string& like, const std::string& q,
                                      const std::string& prefix_like, const std::optional<std::string>& gram,
                                      int limit);
Result<std::optional<Code>> FindCode(store::Tx& tx, const std::string& code);
Result<std::int64_t> CountCodes(store::Tx& tx);

}  // namespace ihos::domain::icd10::repo
