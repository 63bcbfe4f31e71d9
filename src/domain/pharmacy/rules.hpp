#pragma once
// Pure rules of the pharmacy capability: licence numbers, opening hours ("open now" in CST),
// distances, baskets, earliest-expiry-first picking. No I/O; tests/unit/pharmacy_rules_test.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/pharmacy/model.hpp"

namespace ihos::domain::pharmacy {

inline constexpr int kNearExpiryDays = 90;  // highlighted in the console
inline constexpr std::int64_t kMaxRadiusM = 50'000;
inline constexpr std::int64_t kMaxQuantity = 100'000;
inline constexpr std::size_t kMaxBasketLines = 20;

// 药品经营许可证编号: a province abbreviation (京, 鄂, ...), two capital letters and seven digits,
// e.g. 鄂CB0270001.
bool ValidLicenceNo(std::string_view s);

// "" when the intervals are valid (weekday 1..7, 0 <= open < close <= 1440, no overlap within a
// day), else a field error code: hours_invalid / hours_overlap.
std::string CheckHours(const std::vector<Hours>& hours);

// Status open and `now_ms` (CST) inside an interval of its weekday.
bool OpenAt(const std::string& status, const std::vector<Hours>& hours, std::int64_t now_ms);

// When the pharmacy next opens at or after `now_ms` (CST): `now_ms` itself when open now, else the
// start of its next interval within the coming week; nullopt when its status is not open (closed
// or temporarily closed: no scheduled opening) or it has no hours.
std::optional<std::int64_t> NextOpening(const std::string& status, const std::vector<Hours>& hours,
                                        std::int64_t now_ms);

// Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m).
double HaversineM(double lat1, double lon1, double lat2, double lon2);

struct Box {
  double min_lat, max_lat, min_lon, max_lon;
};
// A box that holds every point within `radius_m` of (lat, lon) (a little larger, never smaller).
Box BoundingBox(double lat, double lon, std::int64_t radius_m);

// "12:2,15:1" -> lines (merged by item, in first-seen order); nullopt when malformed, a quantity
// is not 1..kMaxQuantity, or more than kMaxBasketLines items.
std::optional<std::vector<BasketLine>> ParseBasket(std::string_view s);
// Lines with the same item summed, in first-seen order.
std::vector<BasketLine> MergeLines(const std::vector<BasketLine>& lines);

// Earliest expiry first (then batch number), skipping batches expired on `today` (expiry_date <
// today) and empty ones: what to take for `quantity`; empty when the unexpired stock is short.
struct Take {
  std::string batch_no;
  std::string expiry_date;
  std::int64_t quantity = 0;
};
std::vector<Take> PickFefo(std::vector<Batch> batches, std::int64_t quantity, const std::string& today);

bool Expired(const std::string& expiry_date, const std::string& today);

// A drug trace code (药品追溯码, NMPAB/T 1002-2019) as printed on a box: 20 digits.
bool LooksLikeTraceCode(std::string_view code);

// The batch scan at dispensing: every box of the order scanned once, each code checked against the
// pharmacy's batches (`batches`: every batch of the ordered items, and every batch named by a code).
// `ordered`: boxes per item. Each scan is, in this order of precedence: trace_code_unresolved (a
// trace code no batch is recorded under), batch_unknown (no batch of this pharmacy), batch_wrong_drug
// (a batch of an item not in the order), batch_expired (expiry_date < today), batch_scan_extra (more
// boxes of the item than ordered, or of the batch than it holds), batch_not_fefo (an unexpired batch
// of the item expiring earlier still has boxes on the shelf that were not scanned), else accepted.
// Codes are matched after trimming spaces.
inline constexpr std::size_t kMaxScans = 500;
ScanCheck CheckScans(const std::vector<std::pair<std::int64_t, std::int64_t>>& ordered,
                     const std::vector<std::string>& codes, const std::vector<ItemBatch>& batches,
                     const std::string& today);
// The refusal of a scan check (nullopt when every scan is accepted and, if `require_complete`,
// every box scanned): conflict with the first rule broken as its code and every one in
// `violations` (a refused scan: index, code, batch, expiry, earlier; an item short:
// batch_scan_incomplete with item, scanned, ordered).
std::optional<Error> ScanRefusal(const ScanCheck& check, bool require_complete);
bool NearExpiry(const std::string& expiry_date, const std::string& today);

}  // namespace ihos::domain::pharmacy
