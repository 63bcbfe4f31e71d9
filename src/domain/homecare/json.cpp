#include "domain/homecare/json.hpp"

#include "core/clock.hpp"
#include "core/regions.hpp"
#include "domain/homecare/rules.hpp"

namespace ihos::domain::homecare {
namespace json = boost::json;
namespace {

json::array AreaItems(const std::vector<std::string>& codes) {
  json::array a;
  for (const auto& c : codes) a.push_back(json::object{{"region_code", c}, {"region_name", RegionPath(c)}});
  return a;
}

}  // namespace

json::object ServicesJson(const std::vector<ServiceItem>& items) {
  json::array a;
  for (const auto& s : items)
    a.push_back(json::object{{"code", s.code},
                             {"kind", s.kind},
                             {"name_zh", s.name_zh},
                             {"name_en", s.name_en},
                             {"price_fen", s.price_fen},
                             {"duration_minutes", s.duration_minutes},
                             {"demo", s.demo}});
  return json::object{{"items", std::move(a)}};
}

json::object PriceChangeJson(const PriceChange& p) {
  return json::object{{"code", p.code}, {"price_fen", p.price_fen}, {"active", p.active}, {"demo", false}};
}

json::object OrderJson(const OrderView& v) {
  const Order& o = v.order;
  json::object j{{"id", o.id},
                 {"patient_id", o.patient_id},
                 {"patient_name", o.patient_name},
                 {"booked_by", o.booked_by},
                 {"service_code", o.service_code},
                 {"service_kind", o.service_kind},
                 {"service_name_zh", o.service_name_zh},
                 {"service_name_en", o.service_name_en},
                 {"price_fen", o.price_fen},
                 {"price_demo", o.price_demo},
                 {"region_code", o.region_code},
                 {"region_name", RegionPath(o.region_code)},
                 {"address", o.address},
                 {"contact_phone", o.contact_phone},
                 {"date", CivilDateCst(o.window_start)},
                 {"window_start", o.window_start},
                 {"window_end", o.window_end},
                 {"window", WindowText(o.window_start, o.window_end)},
                 {"note", o.note},
                 {"status", o.status},
                 {"nurse_id", o.nurse_id ? json::value(*o.nurse_id) : json::value(nullptr)},
                 {"nurse_name", o.nurse_name ? json::value(*o.nurse_name) : json::value(nullptr)},
                 {"service_note", o.service_note},
                 {"cancel_reason", o.cancel_reason},
                 {"created_at", o.created_at},
                 {"updated_at", o.updated_at}};
  if (v.audience == Audience::patient) {
    j["can_cancel"] = CanCancel(o.status);
    j["cancel_needs_reason"] = CancelNeedsReason(o.status);
  }
  if (v.events) {
    json::array a;
    for (const auto& e : *v.events)
      a.push_back(json::object{{"status", e.status}, {"actor_role", e.actor_role}, {"note", e.note}, {"at", e.at}});
    j["events"] = std::move(a);
  }
  return j;
}

json::object OrdersJson(const std::vector<OrderView>& views) {
  json::array a;
  for (const auto& v : views) a.push_back(OrderJson(v));
  return json::object{{"items", std::move(a)}};
}

json::object AreasJson(const std::vector<std::string>& codes) { return json::object{{"items", AreaItems(codes)}}; }

json::object NurseBoardJson(const NurseBoard& b) {
  json::array open, mine;
  for (const auto& v : b.open) open.push_back(OrderJson(v));
  for (const auto& v : b.mine) mine.push_back(OrderJson(v));
  return json::object{{"areas", AreaItems(b.areas)}, {"open", std::move(open)}, {"mine", std::move(mine)}};
}

}  // namespace ihos::domain::homecare
