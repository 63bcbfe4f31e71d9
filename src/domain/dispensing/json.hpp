#pragma once
// JSON of drug orders (the shapes are in docs/openapi.yaml).
#include <boost/json.hpp>

#include "domain/dispensing/model.hpp"

namespace ihos::domain::dispensing {

boost::json::object OrderJson(const Order& o);
boost::json::object OrdersJson(const std::vector<Order>& v);
boost::json::object OrderableJson(const Orderable& o);
boost::json::object KeysJson(const std::vector<PublicKey>& v);

}  // namespace ihos::domain::dispensing
