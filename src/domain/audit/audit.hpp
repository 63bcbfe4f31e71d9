#pragma once
// The append-only, hash-chained audit log (RULES.md: Records and privacy).
//
// Every read or write of a patient's data by someone other than that patient appends one
// Entry in the same transaction as the read or write, so the log and the data never disagree.
// Each row stores prev_hash (the previous row's hash, 64 zeros for the first row) and
// hash = BLAKE2b-256(prev_hash + "\n" + CanonicalText(entry)). Appends are serialised with
// Tx::LockChain("audit_log"), so the chain is linear on both backends.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"

namespace ihos::domain::audit {

struct Entry {
  std::int64_t at = 0;
  std::optional<std::int64_t> actor_id;  // nullopt: the system (CLI, background job)
  std::string actor_role;
  std::string action;  // e.g. "patient.read", "role.grant"
  std::optional<std::int64_t> patient_id;
  std::string resource_type;  // e.g. "Patient"
  std::string resource_id;
  std::string reason;
  std::string request_id;
};

inline constexpr char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

// The text that is hashed: a JSON array of the fields in a fixed order.
std::string CanonicalText(const Entry& e);
std::string ChainHash(const std::string& prev_hash, const Entry& e);

// Appends `e` inside the caller's write transaction. Errors: those of the store.
Status Append(store::Tx& tx, const Entry& e);

struct VerifyReport {
  std::int64_t rows_checked = 0;
  std::optional<std::int64_t> first_broken_id;  // nullopt: the chain is intact
  std::string problem;                          // why that row breaks the chain
  std::int64_t head_id = 0;                     // the last row checked (0: empty log)
  std::string head_hash = kGenesisHash;         // its hash: publish it to detect a truncated end
  std::optional<std::string> hash_at;           // the hash of row `at_id` of Verify (nullopt: no such row)
};
// Walks the whole chain in id order, in pages. Errors: those of the store.
// `at_id`: also report that row's hash (to compare with a published head).
Result<VerifyReport> Verify(store::Database& db, std::int64_t at_id = 0);

// One line of a patient's access log.
struct AccessItem {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string actor_name;
  std::string actor_role;
  std::string action;
  std::string resource_type;
  std::string resource_id;
  std::string reason;
};
// Newest first; `before_id` pages (0 = from the newest).
Result<std::vector<AccessItem>> ListForPatient(store::Tx& tx, std::int64_t patient_id, int limit,
                                               std::int64_t before_id);

}  // namespace ihos::domain::audit
