#pragma once
// HTTP handlers of the scheduling capability. Routes are listed in src/app/routes.cpp.
#include "domain/scheduling/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::scheduling::api {

http::Handler DoctorSlots(SchedulingService& svc);
http::Handler GetSchedule(SchedulingService& svc);
http::Handler PutTemplate(SchedulingService& svc);
http::Handler AddException(SchedulingService& svc);
http::Handler DeleteException(SchedulingService& svc);
http::Handler Day(SchedulingService& svc);
http::Handler Book(SchedulingService& svc);
http::Handler MyAppointments(SchedulingService& svc);
http::Handler GetAppointment(SchedulingService& svc);
http::Handler Cancel(SchedulingService& svc);
http::Handler NoShow(SchedulingService& svc);
http::Handler Fulfil(SchedulingService& svc);

boost::json::object SlotJson(const Slot& s);

}  // namespace ihos::domain::scheduling::api
