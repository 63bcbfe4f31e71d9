#pragma once
// Every SQL statement of the pharmacy capability: rows -> structs. Functions run in the caller's
// transaction and return the errors of store::Tx. Stock levels (pharmacy_batches.on_hand,
// pharmacy_items.reserved) change only in AppendMove, with the move that explains them.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/pharmacy/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::pharmacy::repo {

// --- pharmacies ---
Result<std::int64_t> InsertPharmacy(store::Tx& tx, const Pharmacy& p, std::int64_t now);
Result<std::optional<Pharmacy>> FindPharmacy(store::Tx& tx, std::int64_t id);
Result<std::vector<Hours>> HoursOf(store::Tx& tx, std::int64_t id);
Result<std::optional<std::int64_t>> PharmacyByLicence(store::Tx& tx, const std::string& licence_no);
Status UpdateSettings(store::Tx& tx, std::int64_t id, const Settings& s, std::int64_t now);

// A pharmacy inside the box, with whether it is open at (weekday, minute) CST.
struct Candidate {
  Pharmacy pharmacy;
  bool open_now = false;
};
Result<std::vector<Candidate>> InBox(store::Tx& tx, double min_lat, double max_lat, double min_lon, double max_lon,
                                     bool open_only, int weekday, int minute);

// --- staff ---
Result<std::optional<std::string>> StaffDuty(store::Tx& tx, std::int64_t user_id, std::int64_t pharmacy_id);
Result<std::vector<std::int64_t>> PharmaciesOf(store::Tx& tx, std::int64_t user_id);
Status UpsertStaff(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t user_id, const std::string& duty,
                   std::int64_t now);

// --- applications ---
Result<std::int64_t> InsertApplication(store::Tx& tx, const Application& a, std::int64_t now);
Result<std::optional<Application>> FindApplication(store::Tx& tx, std::int64_t id);
// status "" = every status; user_id 0 = every user. Newest first.
Result<std::vector<Application>> Applications(store::Tx& tx, const std::string& status, std::int64_t user_id,
                                              int limit);
Result<bool> HasPendingApplication(store::Tx& tx, std::int64_t user_id);
// pending -> status; false when it was not pending.
Result<bool> ReviewApplication(store::Tx& tx, std::int64_t id, const std::string& status, const std::string& reason,
                               std::optional<std::int64_t> pharmacy_id, std::int64_t by, std::int64_t now);

// --- stock ---
struct ItemRow {
  std::optional<std::int64_t> price_fen;
  std::int64_t reserved = 0;
};
// Makes the (pharmacy, item) row when absent (ON CONFLICT DO NOTHING).
Status EnsureItem(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id);
// Reads the row, locked FOR UPDATE on PostgreSQL (SQLite write transactions are serial already):
// every stock change of the item at the pharmacy waits here. nullopt when there is no row.
Result<std::optional<ItemRow>> LockItem(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id);
Status SetPrice(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id, std::int64_t price_fen);
Result<std::vector<std::optional<std::int64_t>>> Prices(store::Tx& tx, std::int64_t pharmacy_id,
                                                        const std::vector<std::int64_t>& item_ids);
Result<std::vector<Batch>> Batches(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id);
// The one writer of the ledger and of the levels derived from it.
// The pharmacy's batches (any item) numbered `batch_no`.
Result<std::vector<ItemBatch>> BatchesNamed(store::Tx& tx, std::int64_t pharmacy_id, const std::string& batch_no);
Result<std::int64_t> AppendMove(store::Tx& tx, const StockMove& m);
Result<std::vector<StockMove>> MovesOfRef(store::Tx& tx, const std::string& ref);
Result<std::vector<StockMove>> MovesOf(store::Tx& tx, std::int64_t pharmacy_id, std::int64_t item_id, int limit);

// For search: per (pharmacy, item) of the given ones that has a row: price, reserved and the on
// hand of batches not expired on `today`.
struct Supply {
  std::optional<std::int64_t> price_fen;
  std::int64_t reserved = 0;
  std::int64_t unexpired = 0;
};
using SupplyMap = std::map<std::pair<std::int64_t, std::int64_t>, Supply>;
Result<SupplyMap> SupplyOf(store::Tx& tx, const std::vector<std::int64_t>& pharmacy_ids,
                           const std::vector<std::int64_t>& item_ids, const std::string& today);

// The stock list of a pharmacy: every item with a row (no names: the drugs service has them), in
// item order, batches earliest expiry first.
Result<std::vector<StockItem>> StockList(store::Tx& tx, std::int64_t pharmacy_id);

// Batches past their expiry date (expiry_date < today) that still hold stock, in (pharmacy, item,
// batch) order: the order every stock change locks items in (no two transactions wait crosswise).
struct DueBatch {
  std::int64_t pharmacy_id = 0;
  std::int64_t item_id = 0;
  std::string batch_no;
};
Result<std::vector<DueBatch>> ExpiredWithStock(store::Tx& tx, const std::string& today, int limit);

// Recomputes every level from the moves and compares.
Result<LevelCheck> CheckLevels(store::Tx& tx);

}  // namespace ihos::domain::pharmacy::repo
