#pragma once
// Storage of drug orders, their lines, dispensed batches, timeline and the pickup-code keys: every
// SQL statement of dispensing, the same on both backends. All functions run inside the caller's
// transaction; errors are those of store::Tx.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/dispensing/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::dispensing::repo {

// Inserts a placed order with its lines (the order's id is filled in); returns the id.
Result<std::int64_t> InsertOrder(store::Tx& tx, const Order& o);
// The order with lines, batches and events, or nullopt.
Result<std::optional<Order>> FindOrder(store::Tx& tx, std::int64_t id);
// The orders of these patients, newest first (no events).
Result<std::vector<Order>> OrdersOfPatients(store::Tx& tx, const std::vector<std::int64_t>& patient_ids, int limit);
// A pharmacy's orders in one of `statuses` (every status when empty), oldest first (lines only).
Result<std::vector<Order>> OrdersOfPharmacy(store::Tx& tx, std::int64_t pharmacy_id,
                                            const std::vector<std::string>& statuses, int limit);
// Live orders' quantity per line of a prescription, and how much of that is dispensed.
Result<std::map<std::int64_t, std::int64_t>> OrderedPerLine(store::Tx& tx, std::int64_t prescription_id);
Result<std::map<std::int64_t, std::int64_t>> DispensedPerLine(store::Tx& tx, std::int64_t prescription_id);
// What each line of a prescription prescribes, as copied onto its orders' lines.
Result<std::map<std::int64_t, std::int64_t>> PrescribedPerLine(store::Tx& tx, std::int64_t prescription_id);
// Placed orders older than `before_ms` (the unpaid-hold backstop).
Result<std::vector<std::int64_t>> PlacedBefore(store::Tx& tx, std::int64_t before_ms, int limit);

// `from` -> `to` (conditional: false when the order was no longer in `from`); a non-empty reason is
// kept.
Result<bool> Move(store::Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
                  const std::string& reason, std::int64_t at);
Result<bool> SetCourier(store::Tx& tx, std::int64_t id, std::optional<std::int64_t> courier_id, std::int64_t at);
// Marks the pickup code used (false when it already was).
Result<bool> UsePickup(store::Tx& tx, std::int64_t id, std::int64_t by, std::int64_t at);
Status InsertBatch(store::Tx& tx, std::int64_t order_id, const Batch& b);
Status InsertEvent(store::Tx& tx, std::int64_t order_id, std::optional<std::int64_t> actor_id, const Event& e);

// --- pickup keys
Result<std::vector<PublicKey>> PublicKeys(store::Tx& tx);
// The newest key's id and secret, or nullopt.
Result<std::optional<std::pair<std::int64_t, std::string>>> SigningKey(store::Tx& tx);
Result<std::int64_t> InsertKey(store::Tx& tx, const std::string& public_key, const std::string& secret_key,
                               std::int64_t at);
Result<std::optional<std::string>> PublicKeyOf(store::Tx& tx, std::int64_t key_id);

}  // namespace ihos::domain::dispensing::repo
