#pragma once
// HTTP handlers of the pharmacy capability: public nearby search and pharmacy pages, the staff
// console (settings, stock, receipts, adjustments, prices, moves), staff applications and their
// admin review, and the stock level check. Routes are listed in src/app/routes_medicine.cpp (and
// docs/openapi.yaml).
#include "domain/pharmacy/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::pharmacy::api {

http::Handler Nearby(PharmacyService& svc);
http::Handler Get(PharmacyService& svc);
http::Handler Mine(PharmacyService& svc);
http::Handler UpdateSettings(PharmacyService& svc);
http::Handler Stock(PharmacyService& svc);
http::Handler Receive(PharmacyService& svc);
http::Handler Adjust(PharmacyService& svc);
http::Handler Moves(PharmacyService& svc);
http::Handler SetPrice(PharmacyService& svc);
http::Handler Apply(PharmacyService& svc);
http::Handler MyApplications(PharmacyService& svc);
http::Handler Applications(PharmacyService& svc);
http::Handler Approve(PharmacyService& svc);
http::Handler Reject(PharmacyService& svc);
http::Handler CheckLevels(PharmacyService& svc);
http::Handler ExpireDue(PharmacyService& svc);

}  // namespace ihos::domain::pharmacy::api
