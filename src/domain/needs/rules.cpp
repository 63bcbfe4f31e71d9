#include "domain/needs/rules.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/regions.hpp"

namespace ihos::domain::needs {

std::string UrgencyOf(int days_left, bool marked_urgent) {
  return marked_urgent || days_left <= kUrgentDaysLeft ? "urgent" : "normal";
}

bool IsFinal(std::string_view s) { return s == "fulfilled" || s == "closed" || s == "cancelled" || s == "lapsed"; }

bool CanMove(std::string_view from, std::string_view to) {
  if (from == "awaiting_consent") return to == "open" || to == "cancelled";
  if (from == "open") return IsFinal(to);
  return false;
}

namespace {
constexpr double kEarthRadiusM = 6371008.8;
constexpr double kPi = 3.14159265358979323846;
double Rad(std::int64_t e6) { return static_cast<double>(e6) / 1e6 * kPi / 180.0; }
}  // namespace

std::int64_t DistanceM(std::int64_t lat1_e6, std::int64_t lon1_e6, std::int64_t lat2_e6, std::int64_t lon2_e6) {
  const double p1 = Rad(lat1_e6), p2 = Rad(lat2_e6);
  const double dp = p2 - p1, dl = Rad(lon2_e6) - Rad(lon1_e6);
  const double a =
      std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return std::llround(2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a))));
}

std::int64_t LatSpanE6(std::int64_t radius_m) {
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(radius_m) / 111194.9 * 1e6)) + 1;
}

std::int64_t LonSpanE6(std::int64_t radius_m, std::int64_t lat_e6) {
  const double c = std::max(0.01, std::cos(Rad(lat_e6)));
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(radius_m) / (111194.9 * c) * 1e6)) + 1;
}

bool InChina(std::int64_t lat_e6, std::int64_t lon_e6) {
  return lat_e6 >= 3'000'000 && lat_e6 <= 54'000'000 && lon_e6 >= 73'000'000 && lon_e6 <= 136'000'000;
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

bool IsMobile(std::string_view phone) {
  return phone.size() == 11 && phone[0] == '1' &&
         std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t DaysBetween(std::int64_t from_ms, std::int64_t now_ms) {
  return std::max<std::int64_t>(0, (now_ms - from_ms) / (24LL * 3600 * 1000));
}

std::string RegionAt(std::string_view code, std::string_view level) {
  const Region* r = FindRegion(code);
  while (r && r->level != level && !r->parent_code.empty()) {
    if (level == "county") break;
    if (level == "city" && r->level == "province") break;
    r = FindRegion(r->parent_code);
  }
  return r ? r->code : std::string(code);
}

std::vector<ShortageRow> RollUp(const std::vector<ShortageRow>& rows, std::string_view level, std::int64_t now_ms) {
  std::map<std::pair<std::string, std::int64_t>, ShortageRow> by;
  for (const auto& r : rows) {
    const std::string code = RegionAt(r.region_code, level);
    auto [it, fresh] = by.try_emplace({code, r.formulary_item_id});
    ShortageRow& o = it->second;
    if (fresh) {
      o = r;
      o.region_code = code;
      continue;
    }
    o.needs += r.needs;
    o.urgent += r.urgent;
    o.unmatched += r.unmatched;
    o.quantity += r.quantity;
    o.sum_created += r.sum_created;
    o.min_created = std::min(o.min_created, r.min_created);
  }
  std::vector<ShortageRow> out;
  out.reserve(by.size());
  for (auto& [key, r] : by) {
    const Region* reg = FindRegion(r.region_code);
    r.region_name = reg ? RegionPath(r.region_code) : r.region_code;
    if (r.needs > 0) {
      const std::int64_t avg_created = r.sum_created / r.needs;
      r.avg_days_waiting_x10 = std::max<std::int64_t>(0, (now_ms - avg_created) * 10 / (24LL * 3600 * 1000));
    }
    r.max_days_waiting = DaysBetween(r.min_created, now_ms);
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const ShortageRow& a, const ShortageRow& b) {
    return std::make_tuple(-a.needs, -a.urgent, a.region_code, a.formulary_item_id) <
           std::make_tuple(-b.needs, -b.urgent, b.region_code, b.formulary_item_id);
  });
  return out;
}

}  // namespace ihos::domain::needs
