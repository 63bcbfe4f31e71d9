#pragma once
// HTTP handlers of drug orders; the routes are in src/app/routes.cpp.
#include "domain/dispensing/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::dispensing::api {

http::Handler Orderable(DispensingService& s);
http::Handler Place(DispensingService& s);
http::Handler Mine(DispensingService& s);
http::Handler Get(DispensingService& s);
http::Handler Cancel(DispensingService& s);
http::Handler PickupCode(DispensingService& s);
http::Handler PickupKeys(DispensingService& s);
http::Handler MyPharmacies(DispensingService& s);
http::Handler Queue(DispensingService& s);
http::Handler Accept(DispensingService& s);
http::Handler Reject(DispensingService& s);
http::Handler Dispense(DispensingService& s);
http::Handler Redeliver(DispensingService& s);
http::Handler TakeBack(DispensingService& s);
http::Handler ScanPickup(DispensingService& s);
http::Handler CourierBoard(DispensingService& s);
http::Handler CourierMove(DispensingService& s);

}  // namespace ihos::domain::dispensing::api
