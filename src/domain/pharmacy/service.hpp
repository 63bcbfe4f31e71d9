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
#include "domain/accounts/service.hpp"
#include "domain/drugs/service.hpp"
#include "domain/pharmacy/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::pharmacy {

class PharmacyService {
 public:
  PharmacyService(store::Database& db, const Clock& clock);
  // With the account service, staff onboarding can grant the pharmacy_staff role (Approve).
  PharmacyService(store::Database& db, const Clock& clock, accounts::AccountService& accounts);

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
  // Reserve, after first releasing what is still reserved under `release_refs` (reservations the
  // new one replaces: a need's reservation converted into a drug order's), under one lock order:
  // every (pharmacy, item) of the lines and of the released refs, sorted. On stock_insufficient
  // the caller's transaction rolls the releases back with everything else.
  Status Reserve(store::Tx& tx, std::int64_t pharmacy_id, const std::string& ref, const std::vector<BasketLine>& lines,
                 std::int64_t now_ms, const std::vector<std::string>& release_refs);
  // Releases what is still reserved under `ref` (idempotent; nothing reserved: ok).
  Status Release(store::Tx& tx, const std::string& ref, std::int64_t now_ms);
  // Turns the reservation under `ref` into dispensed moves, earliest expiry first and never an
  // expired batch; returns the batches taken. Errors: conflict stock_not_reserved (nothing reserved
  // under ref), stock_insufficient (unexpired stock no longer covers it).
  Result<std::vector<DispensedBatch>> Dispense(store::Tx& tx, const std::string& ref, std::int64_t by_user,
                                               std::int64_t now_ms);
  // The batch scan at dispensing checked against the stock ledger (rules CheckScans): `ordered`
  // boxes per item, one code per box scanned (at most kMaxScans).
  Result<ScanCheck> CheckScans(store::Tx& tx, std::int64_t pharmacy_id, const std::vector<BasketLine>& ordered,
                               const std::vector<std::string>& codes, std::int64_t now_ms);
  // Dispense with the boxes the pharmacist scanned instead of picking: the reservation under `ref`
  // (its outstanding boxes are what must be scanned), checked under the item locks; the batches
  // scanned become the dispensed moves. Errors: conflict stock_not_reserved; conflict with the first
  // rule broken (ScanRefusal) unless every box is scanned and accepted.
  Result<std::vector<DispensedBatch>> DispenseScanned(store::Tx& tx, const std::string& ref,
                                                      const std::vector<std::string>& codes, std::int64_t by_user,
                                                      std::int64_t now_ms);
  // Puts dispensed goods back (a handed-over order returned undamaged): "returned" moves to the
  // batches they came from. Idempotent per ref.
  Status Return(store::Tx& tx, const std::string& ref, std::int64_t by_user, std::int64_t now_ms);

  // --- the pharmacy capability's own (pharmacies, staff onboarding, stock receipt, adjustments,
  // expiry, hours, status, demo seed) ---

  // Public. Errors: not_found.
  Result<Pharmacy> GetPharmacy(std::int64_t id);
  bool OpenNow(const Pharmacy& p) const;

  // Staff console. Every method takes the pharmacy id; a pharmacy the actor is not active staff
  // of is not_found (admins may read). Settings and prices: managers; receipts and adjustments:
  // counter staff and managers (forbidden not_pharmacy_manager / not_counter_staff otherwise).
  Result<std::vector<MyPharmacy>> Mine(const Principal& actor);
  // Errors: not_found; forbidden; validation_failed (hours, status, delivery_radius_m, fees).
  Result<Pharmacy> UpdateSettings(const Principal& actor, std::int64_t pharmacy_id, const Settings& s,
                                  const RequestMeta& meta);
  Result<std::vector<StockItem>> Stock(const Principal& actor, std::int64_t pharmacy_id);
  // A received batch. Errors: not_found; forbidden; validation_failed (formulary_item_id, batch_no,
  // expiry_date: also an already expired date, quantity, cost_fen, price_fen); conflict
  // batch_expiry_mismatch (the batch is on record with another expiry date).
  Result<StockMove> Receive(const Principal& actor, std::int64_t pharmacy_id, const Receipt& r,
                            const RequestMeta& meta);
  // Errors: not_found; forbidden; validation_failed (reason required, delta non-zero, batch_no);
  // conflict stock_insufficient (the batch or the available stock would go below zero).
  Result<StockMove> Adjust(const Principal& actor, std::int64_t pharmacy_id, const Adjustment& a,
                           const RequestMeta& meta);
  Result<std::vector<StockMove>> Moves(const Principal& actor, std::int64_t pharmacy_id, std::int64_t item_id);
  // Errors: not_found; forbidden; validation_failed (price_fen, formulary_item_id).
  Status SetPrice(const Principal& actor, std::int64_t pharmacy_id, std::int64_t item_id, std::int64_t price_fen,
                  const RequestMeta& meta);

  // Onboarding. Apply: any signed-in user; kind join (pharmacy_id, duty) or register (name,
  // licence_no, region_code, address, lat, lon, phone). Errors: validation_failed; not_found (no
  // such pharmacy); conflict application_pending (one at a time), licence_number_taken,
  // already_pharmacy_staff.
  Result<Application> Apply(const Principal& actor, Application in, const RequestMeta& meta);
  Result<std::vector<Application>> MyApplications(const Principal& actor);
  // Admin. Errors: forbidden; not_found; conflict application_not_pending, licence_number_taken.
  Result<std::vector<Application>> Applications(const Principal& admin, const std::string& status);
  Result<Application> Approve(const Principal& admin, std::int64_t id, const RequestMeta& meta);
  Result<Application> Reject(const Principal& admin, std::int64_t id, const std::string& reason,
                             const RequestMeta& meta);
  // Writes off expired stock: an `expired` move taking the on hand of each batch past its expiry
  // date (up to 500 batches a call). Expired stock is never counted or dispensed either way; this
  // makes the ledger say so. Returns how many batches were written off. Errors: forbidden.
  Result<int> ExpireDue(const Principal& admin);
  // Recomputes every derived level from the moves. Errors: forbidden.
  Result<LevelCheck> CheckLevels(const Principal& admin);

  // In the caller's transaction (demo seed, benchmark, tests): a pharmacy as given; a staff row
  // (granting pharmacy_staff when the account service is wired); a receipt without access checks.
  Result<std::int64_t> CreatePharmacyIn(store::Tx& tx, const Pharmacy& p, std::int64_t now_ms);
  Status AddStaffIn(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t user_id, const std::string& duty,
                    std::optional<std::int64_t> by, std::int64_t now_ms);
  Result<StockMove> ReceiveIn(store::Tx& tx, std::int64_t pharmacy_id, const Receipt& r, std::optional<std::int64_t> by,
                              std::int64_t now_ms);

  // Demo seed (idempotent by licence number): the demo pharmacies with stock of `items` at about
  // their formulary price; `staff_user_id` becomes manager of the first. Returns the names added.
  struct DemoStock {
    std::int64_t formulary_item_id = 0;
    std::int64_t price_fen = 0;
  };
  Result<std::vector<std::string>> SeedDemo(const std::vector<DemoStock>& items,
                                            std::optional<std::int64_t> staff_user_id);

 private:
  // Whether the formulary line exists (the drugs capability's service; call outside a transaction).
  Result<bool> KnownItem(std::int64_t item_id);
  Result<StockMove> ReceiveChecked(store::Tx& tx, std::int64_t pharmacy_id, const Receipt& r,
                                   std::optional<std::int64_t> by, std::int64_t now_ms, bool item_known);
  // The stock list without names (Stock adds them from the drugs service).
  Result<std::vector<StockItem>> StockLevels(const Principal& actor, std::int64_t pharmacy_id,
                                             const std::string& today);
  // The actor's duty at the pharmacy; not_found when not staff (admins: "admin" when allowed).
  Result<std::string> DutyOf(store::Tx& tx, const Principal& actor, std::int64_t pharmacy_id, bool admin_reads);
  store::Database& db_;
  const Clock& clock_;
  accounts::AccountService* accounts_ = nullptr;
  // The formulary (names, whether a line exists) is the drugs capability's: read through its
  // service, never its tables. Stateless, so the pharmacy service keeps its own.
  drugs::DrugService drugs_{db_, clock_};
};

}  // namespace ihos::domain::pharmacy
