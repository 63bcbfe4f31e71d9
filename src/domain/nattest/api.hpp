#pragma once
// HTTP handlers of nucleic-acid test booking; the routes are in src/app/routes.cpp.
#include "domain/nattest/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::nattest::api {

http::Handler Sites(NatTestService& s);
http::Handler AddSite(NatTestService& s);
http::Handler AddSlots(NatTestService& s);
http::Handler SiteSlots(NatTestService& s);
http::Handler BookSlot(NatTestService& s);
http::Handler BookHomeVisit(NatTestService& s);
http::Handler MyBookings(NatTestService& s);
http::Handler Cancel(NatTestService& s);
http::Handler HomeVisits(NatTestService& s);
http::Handler AcceptHomeVisit(NatTestService& s);
http::Handler Sample(NatTestService& s);
http::Handler Collect(NatTestService& s);
http::Handler PendingSamples(NatTestService& s);
http::Handler EnterResult(NatTestService& s);

}  // namespace ihos::domain::nattest::api
