#pragma once
// JSON of the drug catalogue (the only place it is made).
#include <boost/json/object.hpp>

#include "domain/drugs/model.hpp"

namespace ihos::domain::drugs {

boost::json::object DrugJson(const Drug& d);
boost::json::object FormularyJson(const FormularyItem& f);
// An OTC mark row (history) and a line marked OTC (the shop): the mark's effective per-order limit.
boost::json::object OtcMarkJson(const OtcMark& m);
boost::json::object OtcItemJson(const OtcItem& i);

}  // namespace ihos::domain::drugs
