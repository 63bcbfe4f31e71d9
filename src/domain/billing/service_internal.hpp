#pragma once
// Shared by the files of BillingService (service.cpp, payments.cpp, refunds.cpp, admin.cpp) and by
// nothing else: errors, lock names, ledger accounts and posting, Idempotency-Key checks.
#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_time.hpp"
#include "domain/billing/repository.hpp"
#include "domain/billing/rules.hpp"
#include "domain/billing/service.hpp"

namespace ihos::domain::billing::internal {

inline Error NotFound() { return MakeError(Errc::not_found, "not_found"); }
inline Error Conflict(std::string code) { return MakeError(Errc::conflict, std::move(code)); }
inline Error Forbidden() { return MakeError(Errc::forbidden, "forbidden"); }

inline int YearOf(std::int64_t ms) { return std::stoi(CivilDateCst(ms).substr(0, 4)); }

inline constexpr std::int64_t kNoHold = 253402300799000;  // 9999-12-31: a bill that holds no place

inline std::string OrderLock(std::int64_t id) { return "billing_order:" + std::to_string(id); }
// Taken after the order's lock, never before: the patient's year-to-date use and personal balance.
inline std::string PatientLock(std::int64_t patient_id) { return "billing_patient:" + std::to_string(patient_id); }

// The insurance platform's reference of an order's n-th refund (1-based): the same when a
// transaction is retried, so the adapter reverses once (InsuranceAdapter::Cancel is idempotent by it).
inline std::string InsuranceRefundRef(std::int64_t order_id, std::size_t n) {
  return "order:" + std::to_string(order_id) + ":refund:" + std::to_string(n);
}

inline std::string Patient(std::int64_t id) { return "patient:" + std::to_string(id); }
inline std::string Personal(std::int64_t id) { return "personal:" + std::to_string(id); }
inline std::string Fund(const std::string& region) { return "fund:" + region; }

// The ledger entries of a transaction, zero amounts left out and one entry per account.
inline std::vector<LedgerEntry> Entries(std::initializer_list<LedgerEntry> in) {
  std::vector<LedgerEntry> out;
  for (const auto& e : in) {
    if (e.amount_fen == 0) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const LedgerEntry& x) { return x.account == e.account; });
    if (it != out.end())
      it->amount_fen += e.amount_fen;
    else
      out.push_back(e);
  }
  out.erase(std::remove_if(out.begin(), out.end(), [](const LedgerEntry& e) { return e.amount_fen == 0; }), out.end());
  return out;
}

// Appends a balanced ledger transaction (nothing when there are no entries).
inline Status Post(store::Tx& tx, const std::string& kind, std::optional<std::int64_t> order_id, const std::string& ref,
                   std::int64_t at, const std::vector<LedgerEntry>& entries) {
  if (entries.empty()) return {};
  if (!Balanced(entries))
    return MakeError(Errc::internal, "internal_error", "ledger transaction does not balance: " + kind);
  auto id = repo::AppendLedger(tx, kind, order_id, ref, at, entries);
  if (!id) return id.error();
  return {};
}

// Checks the key against what it was used for before. Returns the earlier result's id, or nullopt
// when the key is new (or none was given). Errors: validation_failed Idempotency-Key; conflict
// idempotency_key_reused.
inline Result<std::optional<std::int64_t>> CheckIdem(store::Tx& tx, std::int64_t actor, const Idem& idem,
                                                     const std::string& operation) {
  if (idem.key.empty()) return std::optional<std::int64_t>();
  if (!ValidIdempotencyKey(idem.key)) return ValidationFailed({{"Idempotency-Key", "invalid"}});
  auto row = repo::FindIdem(tx, actor, idem.key);
  if (!row) return row.error();
  if (!*row) return std::optional<std::int64_t>();
  if ((*row)->operation != operation || (*row)->request_hash != idem.request_hash)
    return Conflict("idempotency_key_reused");
  return std::optional<std::int64_t>((*row)->result_id);
}
inline Status SaveIdem(store::Tx& tx, std::int64_t actor, const Idem& idem, const std::string& operation,
                       std::int64_t result, std::int64_t now) {
  if (idem.key.empty()) return {};
  return repo::InsertIdem(tx, actor, idem.key, {operation, idem.request_hash, result}, now);
}

}  // namespace ihos::domain::billing::internal
