#pragma once
// Storage of the audit log (the `audit_log` table). Implemented in repository.cpp beside this
// header, the same SQL on both backends. All functions run inside the caller's transaction;
// errors are those of store::Tx. Only audit.cpp uses it; others call audit.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/audit/audit.hpp"
#include "store/database.hpp"

namespace ihos::domain::audit::repo {

// A stored row of the chain.
struct ChainRow {
  std::int64_t id = 0;
  Entry entry;
  std::string prev_hash;
  std::string hash;
};

// The hash of the newest row, nullopt when the log is empty.
Result<std::optional<std::string>> LastHash(store::Tx& tx);
Status Insert(store::Tx& tx, const Entry& e, const std::string& prev_hash, const std::string& hash);
// Up to `limit` rows with id > after_id, in id order.
Result<std::vector<ChainRow>> RowsAfter(store::Tx& tx, std::int64_t after_id, int limit);
// The patient's lines, newest first, with id < before_id.
Result<std::vector<AccessItem>> ForPatient(store::Tx& tx, std::int64_t patient_id, int limit, std::int64_t before_id);

}  // namespace ihos::domain::audit::repo
