#pragma once
// JSON of home services: the shapes the API sends (docs/openapi.yaml, the web's homecare pages).
// Only api.cpp uses these.
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "domain/homecare/model.hpp"

namespace ihos::domain::homecare {

boost::json::object ServicesJson(const std::vector<ServiceItem>& items);  // {items: [...]}
boost::json::object PriceChangeJson(const PriceChange& p);
// The order for its audience: the patient's side also gets can_cancel and cancel_needs_reason;
// `events` when the view has its timeline.
boost::json::object OrderJson(const OrderView& v);
boost::json::object OrdersJson(const std::vector<OrderView>& views);   // {items: [...]}
boost::json::object AreasJson(const std::vector<std::string>& codes);  // {items: [{region_code, region_name}]}
boost::json::object NurseBoardJson(const NurseBoard& b);

}  // namespace ihos::domain::homecare
