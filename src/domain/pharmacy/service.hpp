#pragma once
// Pharmacies, staff, stock and nearby search. See README.md beside this file for the stock
// invariants and who may do what.
//
// CONTRACT (written first): the section "for other capabilities" is what dispensing (drug orders)
// and needs (the chronic-medicine need registry) call; its signatures are fixed. Everything else in
// this class is the pharmacy capability's own to shape.
//
// Thread-safe. Every method blocks on the database (call from the worker pool).
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/principal.hpp"
#include "domain/pharmacy/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::pharmacy {

class PharmacyService {
 public:
  PharmacyService(store::Database& db, const Clock& clock);

  // --- for other capabilities ---
  // Pharmacies near a point, sorted by distance, with what each can supply of the basket and its
  // price. Anyone may search. Errors: validation_failed (coordinates, radius, basket).
  Result<std::vector<NearbyPharmacy>> Nearby(const NearbyQuery& q);

  // In the caller's transaction:
  // The pharmacy, or nullopt.
  Result<std::optional<Pharmacy>> FindPharmacy(store::Tx& tx, std::int64_t pharmacy_id);
  // Whether the user is active staff of the pharmacy (any duty), and with which duty
  // ("counter" | "courier" | "manager"); nullopt when not staff.
  Result<std::optional<std::string>> StaffDuty(store::Tx& tx, std::int64_t user_id, std::int64_t pharmacy_id);
  // The pharmacies the user is active staff of.
  Result<std::vector<std::int64_t>> PharmaciesOf(store::Tx& tx, std::int64_t user_id);
  // The pharmacy's price per box of each line's item (nullopt for an item it does not sell).
  Result<std::vector<std::optional<std::int64_t>>> Prices(store::Tx& tx, std::int64_t pharmacy_id,
                                                          const std::vector<BasketLine>& lines);
  // Reserves every line under `ref` (the caller's unique reference, e.g. "order:42") or nothing:
  // conflict stock_insufficient (the detail names the items short) when any line is not available
  // (on hand minus outstanding reservations, counting only unexpired batches). Serialised per
  // pharmacy and item on both backends: stock never goes negative, whatever the concurrency. A ref
  // already reserved answers ok without reserving twice.
  Status Reserve(store::Tx& tx, std::int64_t pharmacy_id, const std::string& ref, const std::vector<BasketLine>& lines,
                 std::int64_t now_ms);
  // Releases what is still reserved under `ref` (idempotent; nothing reserved: ok).
  Status Release(store::Tx& tx, const std::string& ref, std::int64_t now_ms);
  // Turns the reservation under `ref` into dispensed moves, earliest expiry first and never an
  // expired batch; returns the batches taken. Errors: conflict stock_not_reserved (nothing reserved
  // under ref), stock_insufficient (unexpired stock no longer covers it).
  Result<std::vector<DispensedBatch>> Dispense(store::Tx& tx, const std::string& ref, std::int64_t by_user,
                                               std::int64_t now_ms);
  // Puts dispensed goods back (a handed-over order returned undamaged): "returned" moves to the
  // batches they came from. Idempotent per ref.
  Status Return(store::Tx& tx, const std::string& ref, std::int64_t by_user, std::int64_t now_ms);

  // --- the pharmacy capability's own (pharmacies, staff onboarding, stock receipt, adjustments,
  // expiry, hours, status, demo seed) are declared below by the pharmacy engineer ---

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace ihos::domain::pharmacy
