#pragma once
// The JSON of consultations and messages, as the HTTP API answers and live events carry them.
#include <boost/json/object.hpp>

#include "domain/consultation/model.hpp"

namespace ihos::domain::consultation {

boost::json::object MessageJson(const Message& m);
boost::json::object ConsultationJson(const Consultation& c);
boost::json::object WorkstationJson(const Workstation& w);

}  // namespace ihos::domain::consultation
