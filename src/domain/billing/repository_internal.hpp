#pragma once
// Shared by billing's repository files (repository.cpp, repository_payments.cpp,
// repository_ledger.cpp, repository_demo.cpp) and nothing else: rows -> structs.
#include <optional>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace ihos::domain::billing::repo::internal {

template <class T, class F>
Result<std::vector<T>> All(store::Tx& tx, std::string_view sql, const store::Params& params, F from) {
  auto rows = tx.Query(sql, params);
  if (!rows) return rows.error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(from(r));
  return out;
}
template <class T, class F>
Result<std::optional<T>> One(store::Tx& tx, std::string_view sql, const store::Params& params, F from) {
  auto rows = tx.Query(sql, params);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(from(rows->front()));
}

}  // namespace ihos::domain::billing::repo::internal
