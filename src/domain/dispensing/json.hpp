#pragma once
// JSON of drug orders (the shapes are in docs/openapi.yaml).
#include <boost/json.hpp>
#include <string>

#include "domain/dispensing/model.hpp"
#include "domain/pharmacy/model.hpp"

namespace ihos::domain::dispensing {

boost::json::object OrderJson(const Order& o);
boost::json::object OrdersJson(const std::vector<Order>& v);
boost::json::object OrderableJson(const Orderable& o);
boost::json::object KeysJson(const std::vector<PublicKey>& v);
boost::json::object ScanCheckJson(const pharmacy::ScanCheck& c);
// The WebSocket event of an order's change (topics drug-order:<id>, pharmacy-orders:<pharmacy>):
// what moved, not who; a client reads the order again over HTTP (its own access applies).
std::string ChangeEventJson(const Order& o);

}  // namespace ihos::domain::dispensing
