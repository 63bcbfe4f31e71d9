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
  bool delivers_here = false;             // delivers and (lat, lon) is within its delivery radius
  bool complete = false;                  // every basket line available in full
  std::vector<BasketLine> available;      // per basket line, the quantity it can supply (<= asked)
  std::int64_t basket_fen = 0;            // price of what it can supply, at its prices
  std::int64_t delivery_fee_fen = 0;      // 0 when it does not deliver here
};

// One batch taken by dispensing (earliest expiry first, never expired).
struct DispensedBatch {
  std::int64_t formulary_item_id = 0;
  std::string batch_no;
  std::string expiry_date;  // YYYY-MM-DD
  std::int64_t quantity = 0;
};

}  // namespace ihos::domain::pharmacy
