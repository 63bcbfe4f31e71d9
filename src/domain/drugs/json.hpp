#pragma once
// JSON of the drug catalogue (the only place it is made).
#include <boost/json/object.hpp>

#include "domain/drugs/model.hpp"

namespace ihos::domain::drugs {

boost::json::object DrugJson(const Drug& d);
boost::json::object FormularyJson(const FormularyItem& f);

}  // namespace ihos::domain::drugs
