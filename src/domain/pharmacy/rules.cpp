#include "domain/pharmacy/rules.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

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
