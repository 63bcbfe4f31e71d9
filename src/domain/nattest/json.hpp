#pragma once
// JSON of nucleic-acid test booking: the shapes the API sends (docs/openapi.yaml, the web's
// natApi.ts). Only api.cpp uses these.
#include <boost/json.hpp>
#include <vector>

#include "domain/nattest/model.hpp"

namespace ihos::domain::nattest {

boost::json::object SiteJson(const Site& s);     // with free_places
boost::json::object NewSiteJson(const Site& s);  // as added: no free_places
boost::json::object SitesJson(const std::vector<Site>& sites);
boost::json::object SlotPlanJson(const SlotPlanOutcome& o);
boost::json::object SiteDayJson(const SiteDay& d);
boost::json::object BookingJson(const Booking& b);
boost::json::object BookingsJson(const std::vector<Booking>& bookings);  // {items: [...]}
boost::json::object RecordedResultJson(const RecordedResult& r);

}  // namespace ihos::domain::nattest
