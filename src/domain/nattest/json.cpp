#include "domain/nattest/json.hpp"

#include "core/regions.hpp"
#include "domain/nattest/rules.hpp"

namespace ihos::domain::nattest {
namespace json = boost::json;
namespace {

json::value Opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value Opt(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

}  // namespace

json::object NewSiteJson(const Site& s) {
  return json::object{{"id", s.id},
                      {"name", s.name},
                      {"kind", s.kind},
                      {"region_code", s.region_code},
                      {"region_name", RegionPath(s.region_code)},
                      {"address", s.address},
                      {"opening_hours", s.opening_hours},
                      {"price_fen", s.price_fen},
                      {"demo", s.demo}};
}

json::object SiteJson(const Site& s) {
  auto o = NewSiteJson(s);
  o["free_places"] = s.free_places;
  return o;
}

json::object SitesJson(const std::vector<Site>& sites) {
  json::array a;
  for (const auto& s : sites) a.push_back(SiteJson(s));
  return json::object{{"items", std::move(a)}};
}

json::object SlotPlanJson(const SlotPlanOutcome& o) {
  return json::object{{"created", o.created}, {"existing", o.existing}};
}

json::object SiteDayJson(const SiteDay& d) {
  json::array a;
  for (const auto& [s, bookable] : d.items)
    a.push_back(json::object{{"id", s.id},
                             {"start_at", s.start_at},
                             {"end_at", s.end_at},
                             {"window", WindowText(s.start_at, s.end_at)},
                             {"capacity", s.capacity},
                             {"free", s.capacity - s.booked},
                             {"bookable", bookable}});
  return json::object{{"site_id", d.site_id}, {"date", d.date}, {"items", std::move(a)}};
}

json::object BookingJson(const Booking& b) {
  const std::string region = b.region_code.value_or("");
  return json::object{{"id", b.id},
                      {"patient_id", b.patient_id},
                      {"patient_name", b.patient_name},
                      {"booked_by", b.booked_by},
                      {"mode", b.mode},
                      {"site_id", Opt(b.site_id)},
                      {"site_name", Opt(b.site_name)},
                      {"site_address", Opt(b.site_address)},
                      {"slot_id", Opt(b.slot_id)},
                      {"region_code", Opt(b.region_code)},
                      {"region_name", region.empty() ? json::value(nullptr) : json::value(RegionPath(region))},
                      {"address", b.address},
                      {"date", b.date},
                      {"window_start", b.window_start},
                      {"window_end", b.window_end},
                      {"window", WindowText(b.window_start, b.window_end)},
                      {"status", b.status},
                      {"accepted_at", Opt(b.accepted_at)},
                      {"accepted_by", Opt(b.accepted_by)},
                      {"sample_no", Opt(b.sample_no)},
                      {"collected_at", Opt(b.collected_at)},
                      {"result", Opt(b.result)},
                      {"reported_at", Opt(b.reported_at)},
                      {"cancel_reason", b.cancel_reason},
                      {"cancelled_by", Opt(b.cancelled_by)},
                      {"cancelled_at", Opt(b.cancelled_at)},
                      {"price_fen", b.price_fen},
                      {"created_at", b.created_at}};
}

json::object BookingsJson(const std::vector<Booking>& bookings) {
  json::array a;
  for (const auto& b : bookings) a.push_back(BookingJson(b));
  return json::object{{"items", std::move(a)}};
}

json::object RecordedResultJson(const RecordedResult& r) {
  auto o = BookingJson(r.booking);
  o["fact_id"] = r.fact_id;
  o["colour"] = r.colour;
  return o;
}

}  // namespace ihos::domain::nattest
