#pragma once
// Pharmacies, their staff, stock (an append-only ledger of moves per pharmacy, item and batch) and
// nearby search. No JSON, no SQL. See README.md beside this file.
//
// CONTRACT (written first, so the dispensing and needs capabilities can be built against it): the
// structs below are used by other capabilities; add fields, do not rename or remove them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::pharmacy {

// Opening hours: one interval of one weekday (1 = Monday .. 7 = Sunday), minutes from local (CST)
// midnight; close_min may be 1440. Several intervals per day are allowed.
struct Hours {
  int weekday = 1;
  int open_min = 0;
  int close_min = 0;
};

struct Pharmacy {
  std::int64_t id = 0;
  std::string name;
  std::string licence_no;   // 药品经营许可证编号
  std::string region_code;  // 6-digit county code (china_admin_divisions)
  std::string address;
  double lat = 0;  // GCJ-02, as in the region data
  double lon = 0;
  std::vector<Hours> hours;
  std::string status;  // open | closed | temporarily_closed
  std::string status_note;
  bool delivers = false;
  std::int64_t delivery_radius_m = 0;
  std::int64_t delivery_fee_fen = 0;
  std::string pickup_counter;  // where pickup orders are handed over, e.g. "1 号窗口"
  std::string phone;
  bool demo = false;
};

// A quantity of one stock-keeping unit. The SKU is a hospital formulary line (drug, strength and
// package: drugs::FormularyItem::id); quantities are boxes.
struct BasketLine {
  std::int64_t formulary_item_id = 0;
  std::int64_t quantity = 0;
};

struct NearbyQuery {
  double lat = 0;
  double lon = 0;
  std::int64_t radius_m = 5000;
  std::vector<BasketLine> basket;  // empty: any pharmacy
  bool open_now = true;            // only pharmacies open at `now`
  bool complete_only = true;       // false: also pharmacies that have some of the basket (partial supply)
  bool delivery_only = false;      // only pharmacies that deliver to (lat, lon)
  int limit = 20;
};

struct NearbyPharmacy {
  Pharmacy pharmacy;
  std::int64_t distance_m = 0;
  bool open_now = false;
  bool delivers_here = false;         // delivers and (lat, lon) is within its delivery radius
  bool complete = false;              // every basket line available in full
  std::vector<BasketLine> available;  // per basket line, the quantity it can supply (<= asked)
  std::int64_t basket_fen = 0;        // price of what it can supply, at its prices
  std::int64_t delivery_fee_fen = 0;  // 0 when it does not deliver here
  // When it next opens (Unix ms; now when open now); nullopt when closed or temporarily closed by
  // its status, or without hours. Filled when the query includes pharmacies closed now.
  std::optional<std::int64_t> next_open_at;
};

// One batch taken by dispensing (earliest expiry first, never expired).
struct DispensedBatch {
  std::int64_t formulary_item_id = 0;
  std::string batch_no;
  std::string expiry_date;  // YYYY-MM-DD
  std::int64_t quantity = 0;
};

// --- the pharmacy capability's own ---

// One move of the stock ledger (append-only). on_hand_delta changes the batch's on hand,
// reserved_delta the item's outstanding reservations.
struct StockMove {
  std::int64_t id = 0;
  std::int64_t pharmacy_id = 0;
  std::int64_t formulary_item_id = 0;
  std::string kind;  // received | reserved | released | dispensed | returned | expired | adjusted
  std::string batch_no;
  std::string expiry_date;
  std::int64_t on_hand_delta = 0;
  std::int64_t reserved_delta = 0;
  std::string ref;
  std::string reason;
  std::optional<std::int64_t> cost_fen;
  std::optional<std::int64_t> by_user;
  std::int64_t at = 0;
};

struct Batch {
  std::string batch_no;
  std::string expiry_date;
  std::int64_t on_hand = 0;
  bool expired = false;
  bool near_expiry = false;  // within kNearExpiryDays
};

// A batch of one item, as the batch scan at dispensing checks it.
struct ItemBatch {
  std::int64_t formulary_item_id = 0;
  std::string batch_no;
  std::string expiry_date;  // YYYY-MM-DD
  std::int64_t on_hand = 0;
};

// One box scanned (or typed) at dispensing: its batch or trace code, what the stock ledger says of
// it, and the rule it breaks ("" when accepted).
struct ScannedBox {
  std::string code;
  std::int64_t formulary_item_id = 0;  // 0 when the code names no batch of an ordered item
  std::string batch_no;
  std::string expiry_date;
  // "" | batch_unknown | trace_code_unresolved | batch_wrong_drug | batch_expired | batch_not_fefo |
  // batch_scan_extra
  std::string refusal;
  std::string earlier_batch;  // batch_not_fefo: the earlier-expiring batch still on the shelf
  std::string earlier_expiry;
};

// Boxes of one ordered item scanned so far.
struct ScanProgress {
  std::int64_t formulary_item_id = 0;
  std::int64_t ordered = 0;
  std::int64_t scanned = 0;  // accepted scans
};

struct ScanCheck {
  std::vector<ScannedBox> scans;    // in scan order
  std::vector<ScanProgress> items;  // by item id
  bool clean() const {
    for (const auto& s : scans)
      if (!s.refusal.empty()) return false;
    return true;
  }
  bool complete() const {
    for (const auto& i : items)
      if (i.scanned != i.ordered) return false;
    return true;
  }
};

// One item of a pharmacy's stock list.
struct StockItem {
  std::int64_t formulary_item_id = 0;
  std::string name;  // drug name, strength and package, for people
  std::optional<std::int64_t> price_fen;
  std::int64_t on_hand = 0;    // unexpired and expired batches
  std::int64_t reserved = 0;   // outstanding reservations
  std::int64_t available = 0;  // unexpired on hand - reserved (never below 0 in the answer)
  std::vector<Batch> batches;  // earliest expiry first
};

struct Receipt {
  std::int64_t formulary_item_id = 0;
  std::string batch_no;
  std::string expiry_date;  // YYYY-MM-DD
  std::int64_t quantity = 0;
  std::optional<std::int64_t> cost_fen;   // per box
  std::optional<std::int64_t> price_fen;  // sets the selling price when given
};

struct Adjustment {
  std::int64_t formulary_item_id = 0;
  std::string batch_no;
  std::int64_t delta = 0;  // +/- boxes
  std::string reason;      // required
};

// The settings staff change: hours, status, delivery, counter, phone.
struct Settings {
  std::vector<Hours> hours;
  std::string status;
  std::string status_note;
  bool delivers = false;
  std::int64_t delivery_radius_m = 0;
  std::int64_t delivery_fee_fen = 0;
  std::string pickup_counter;
  std::string phone;
};

struct MyPharmacy {
  Pharmacy pharmacy;
  std::string duty;
  bool open_now = false;
};

struct Application {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string user_name;
  std::string kind;  // join | register
  std::optional<std::int64_t> pharmacy_id;
  std::string pharmacy_name;  // join: the pharmacy's name; register: the proposed name
  std::string duty;           // counter | courier | manager (register: manager)
  std::string licence_no;
  std::string region_code;
  std::string address;
  double lat = 0;
  double lon = 0;
  std::string phone;
  std::string note;
  std::string status;  // pending | approved | rejected
  std::string reason;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> reviewed_at;
};

// A difference between a derived level and the level recomputed from the moves.
struct LevelDiff {
  std::int64_t pharmacy_id = 0;
  std::int64_t formulary_item_id = 0;
  std::string batch_no;  // "" for the reserved level of the item
  std::int64_t stored = 0;
  std::int64_t from_moves = 0;
};

struct LevelCheck {
  std::int64_t moves_checked = 0;
  std::int64_t levels_checked = 0;
  std::vector<LevelDiff> differences;
};

}  // namespace ihos::domain::pharmacy
