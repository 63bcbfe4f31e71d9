#include "domain/pharmacy/rules.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/civil_time.hpp"

namespace ihos::domain::pharmacy {

namespace {

// The one-character abbreviations of the 31 provincial-level divisions on the mainland.
constexpr std::string_view kProvinces[] = {"京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙",
                                           "皖", "闽", "赣", "鲁", "豫", "鄂", "湘", "粤", "桂", "琼", "渝",
                                           "川", "贵", "云", "藏", "陕", "甘", "青", "宁", "新"};

constexpr double kEarthM = 6'371'008.8;
constexpr double kPi = 3.14159265358979323846;

double Rad(double d) { return d * kPi / 180.0; }

}  // namespace

bool ValidLicenceNo(std::string_view s) {
  bool province = false;
  for (auto p : kProvinces)
    if (s.starts_with(p)) {
      s.remove_prefix(p.size());
      province = true;
      break;
    }
  if (!province || s.size() != 9) return false;
  for (std::size_t i = 0; i < 9; ++i) {
    const char c = s[i];
    if (i < 2 ? !(c >= 'A' && c <= 'Z') : !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string CheckHours(const std::vector<Hours>& hours) {
  for (const auto& h : hours)
    if (h.weekday < 1 || h.weekday > 7 || h.open_min < 0 || h.close_min > 1440 || h.open_min >= h.close_min)
      return "hours_invalid";
  for (std::size_t i = 0; i < hours.size(); ++i)
    for (std::size_t j = i + 1; j < hours.size(); ++j)
      if (hours[i].weekday == hours[j].weekday && hours[i].open_min < hours[j].close_min &&
          hours[j].open_min < hours[i].close_min)
        return "hours_overlap";
  return "";
}

bool OpenAt(const std::string& status, const std::vector<Hours>& hours, std::int64_t now_ms) {
  if (status != "open") return false;
  const std::string date = CivilDateCst(now_ms);
  const int weekday = WeekdayOf(date);
  const auto minute = static_cast<int>((now_ms - CstMs(date, 0)) / 60'000);
  for (const auto& h : hours)
    if (h.weekday == weekday && h.open_min <= minute && minute < h.close_min) return true;
  return false;
}

std::optional<std::int64_t> NextOpening(const std::string& status, const std::vector<Hours>& hours,
                                        std::int64_t now_ms) {
  if (status != "open" || hours.empty()) return std::nullopt;
  if (OpenAt(status, hours, now_ms)) return now_ms;
  constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  const std::string today = CivilDateCst(now_ms);
  const std::int64_t midnight = CstMs(today, 0);  // CST has no daylight saving: days are 24 h
  const int weekday = WeekdayOf(today);
  for (int d = 0; d <= 7; ++d) {
    const int wd = (weekday - 1 + d) % 7 + 1;
    std::optional<std::int64_t> best;
    for (const auto& h : hours) {
      if (h.weekday != wd) continue;
      const std::int64_t at = midnight + d * kDayMs + static_cast<std::int64_t>(h.open_min) * 60'000;
      if (at > now_ms && (!best || at < *best)) best = at;
    }
    if (best) return best;
  }
  return std::nullopt;
}

double HaversineM(double lat1, double lon1, double lat2, double lon2) {
  const double dlat = Rad(lat2 - lat1), dlon = Rad(lon2 - lon1);
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(Rad(lat1)) * std::cos(Rad(lat2)) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthM * std::asin(std::min(1.0, std::sqrt(a)));
}

Box BoundingBox(double lat, double lon, std::int64_t radius_m) {
  // 1% margin over the spherical figures; the exact distance is checked afterwards.
  const double dlat = static_cast<double>(radius_m) * 1.01 / (kEarthM * kPi / 180.0);
  const double cosl = std::max(0.01, std::cos(Rad(std::min(89.0, std::abs(lat) + dlat))));
  const double dlon = std::min(180.0, dlat / cosl);
  return {lat - dlat, lat + dlat, lon - dlon, lon + dlon};
}

std::vector<BasketLine> MergeLines(const std::vector<BasketLine>& lines) {
  std::vector<BasketLine> out;
  for (const auto& l : lines) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const BasketLine& o) { return o.formulary_item_id == l.formulary_item_id; });
    if (it == out.end())
      out.push_back(l);
    else
      it->quantity += l.quantity;
  }
  return out;
}

std::optional<std::vector<BasketLine>> ParseBasket(std::string_view s) {
  if (s.ends_with(',')) return std::nullopt;
  std::vector<BasketLine> lines;
  while (!s.empty()) {
    const auto comma = s.find(',');
    std::string_view part = s.substr(0, comma);
    s.remove_prefix(comma == std::string_view::npos ? s.size() : comma + 1);
    const auto colon = part.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    BasketLine l;
    auto id = part.substr(0, colon), qty = part.substr(colon + 1);
    auto r1 = std::from_chars(id.data(), id.data() + id.size(), l.formulary_item_id);
    auto r2 = std::from_chars(qty.data(), qty.data() + qty.size(), l.quantity);
    if (r1.ec != std::errc() || r1.ptr != id.data() + id.size() || r2.ec != std::errc() ||
        r2.ptr != qty.data() + qty.size() || l.formulary_item_id <= 0 || l.quantity < 1 || l.quantity > kMaxQuantity)
      return std::nullopt;
    lines.push_back(l);
  }
  auto merged = MergeLines(lines);
  if (merged.size() > kMaxBasketLines) return std::nullopt;
  for (const auto& l : merged)
    if (l.quantity > kMaxQuantity) return std::nullopt;
  return merged;
}

bool Expired(const std::string& expiry_date, const std::string& today) { return expiry_date < today; }

bool NearExpiry(const std::string& expiry_date, const std::string& today) {
  return !Expired(expiry_date, today) && expiry_date <= AddDays(today, kNearExpiryDays);
}

bool LooksLikeTraceCode(std::string_view code) {
  if (code.size() != 20) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

ScanCheck CheckScans(const std::vector<std::pair<std::int64_t, std::int64_t>>& ordered,
                     const std::vector<std::string>& codes, const std::vector<ItemBatch>& batches,
                     const std::string& today) {
  ScanCheck out;
  std::map<std::int64_t, std::int64_t> want;
  for (const auto& [item, qty] : ordered) want[item] += qty;
  std::map<std::int64_t, std::int64_t> per_item;
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> per_batch;
  for (const auto& raw : codes) {
    ScannedBox box;
    std::string_view c = raw;
    while (!c.empty() && (c.front() == ' ' || c.front() == '\t')) c.remove_prefix(1);
    while (!c.empty() && (c.back() == ' ' || c.back() == '\t' || c.back() == '\n' || c.back() == '\r'))
      c.remove_suffix(1);
    box.code = std::string(c);
    // A batch number may be shared by two items of the pharmacy: the ordered one wins.
    const ItemBatch* found = nullptr;
    bool any = false;
    for (const auto& b : batches) {
      if (b.batch_no != box.code) continue;
      any = true;
      if (want.count(b.formulary_item_id)) {
        found = &b;
        break;
      }
    }
    if (!any) {
      box.refusal = LooksLikeTraceCode(box.code) ? "trace_code_unresolved" : "batch_unknown";
    } else if (!found) {
      box.refusal = "batch_wrong_drug";
    } else {
      box.formulary_item_id = found->formulary_item_id;
      box.batch_no = found->batch_no;
      box.expiry_date = found->expiry_date;
      if (Expired(found->expiry_date, today)) {
        box.refusal = "batch_expired";
      } else if (per_item[found->formulary_item_id] + 1 > want[found->formulary_item_id] ||
                 per_batch[{found->formulary_item_id, found->batch_no}] + 1 > found->on_hand) {
        box.refusal = "batch_scan_extra";
      } else {
        ++per_item[found->formulary_item_id];
        ++per_batch[{found->formulary_item_id, found->batch_no}];
      }
    }
    out.scans.push_back(std::move(box));
  }
  // Earliest expiry first: an accepted box is refused when an unexpired batch of its item expiring
  // earlier still has boxes on the shelf that were not scanned.
  for (auto& box : out.scans) {
    if (!box.refusal.empty()) continue;
    for (const auto& b : batches) {
      if (b.formulary_item_id != box.formulary_item_id || Expired(b.expiry_date, today)) continue;
      if (b.expiry_date >= box.expiry_date) continue;
      if (b.on_hand > per_batch[{b.formulary_item_id, b.batch_no}]) {
        box.refusal = "batch_not_fefo";
        box.earlier_batch = b.batch_no;
        box.earlier_expiry = b.expiry_date;
        --per_item[box.formulary_item_id];  // not counted towards the order
        break;
      }
    }
  }
  for (const auto& [item, qty] : want) out.items.push_back({item, qty, per_item[item]});
  return out;
}

std::optional<Error> ScanRefusal(const ScanCheck& check, bool require_complete) {
  std::vector<Violation> vs;
  for (std::size_t i = 0; i < check.scans.size(); ++i) {
    const auto& s = check.scans[i];
    if (s.refusal.empty()) continue;
    vs.push_back({s.refusal,
                  {{"index", std::to_string(i)},
                   {"code", s.code},
                   {"batch", s.batch_no},
                   {"expiry", s.expiry_date},
                   {"earlier", s.earlier_batch},
                   {"earlier_expiry", s.earlier_expiry}}});
  }
  if (require_complete)
    for (const auto& it : check.items)
      if (it.scanned < it.ordered)
        vs.push_back({"batch_scan_incomplete",
                      {{"item", std::to_string(it.formulary_item_id)},
                       {"scanned", std::to_string(it.scanned)},
                       {"ordered", std::to_string(it.ordered)}}});
  if (vs.empty()) return std::nullopt;
  Error e = MakeError(Errc::conflict, vs.front().code, vs.front().code);
  e.params = vs.front().params;
  e.violations = std::move(vs);
  return e;
}

std::vector<Take> PickFefo(std::vector<Batch> batches, std::int64_t quantity, const std::string& today) {
  std::sort(batches.begin(), batches.end(), [](const Batch& a, const Batch& b) {
    return a.expiry_date != b.expiry_date ? a.expiry_date < b.expiry_date : a.batch_no < b.batch_no;
  });
  std::vector<Take> out;
  for (const auto& b : batches) {
    if (quantity == 0) break;
    if (b.on_hand <= 0 || Expired(b.expiry_date, today)) continue;
    const std::int64_t take = std::min(quantity, b.on_hand);
    out.push_back({b.batch_no, b.expiry_date, take});
    quantity -= take;
  }
  if (quantity > 0) return {};
  return out;
}

}  // namespace ihos::domain::pharmacy
