#pragma once
// HTTP handlers of drug orders; the routes are in src/app/routes_medicine.cpp.
#include "domain/dispensing/service.hpp"
#include "core/events.hpp"
#include "http/types.hpp"
#include "http/ws_registry.hpp"

namespace ihos::domain::dispensing::api {

http::Handler Orderable(DispensingService& s);
http::Handler Place(DispensingService& s);
http::Handler PlaceOtc(DispensingService& s);  // POST /api/v1/otc-orders
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
http::Handler BatchCheck(DispensingService& s);
http::Handler Redeliver(DispensingService& s);
http::Handler TakeBack(DispensingService& s);
http::Handler ScanPickup(DispensingService& s);
http::Handler CourierBoard(DispensingService& s);
http::Handler CourierMove(DispensingService& s);

// WebSocket topics drug-order:<id> and pharmacy-orders:<pharmacy id> (access: DispensingService::Watch);
// subscribing to drug-order:<id> answers one event with the order's state now.
void RegisterWs(http::WsRegistry& ws, DispensingService& s);
// Publishes an order's committed change on both of its topics (DispensingService Config::changed).
void PublishChange(events::Bus& bus, const Order& o);

}  // namespace ihos::domain::dispensing::api
