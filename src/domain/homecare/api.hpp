#pragma once
// HTTP handlers of home services (home nurse, escort); the routes are in src/app/routes.cpp.
#include "domain/homecare/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::homecare::api {

http::Handler Services(HomeCareService& s);
http::Handler SetPrice(HomeCareService& s);
http::Handler Order(HomeCareService& s);
http::Handler MyOrders(HomeCareService& s);
http::Handler Get(HomeCareService& s);
http::Handler Cancel(HomeCareService& s);
http::Handler Areas(HomeCareService& s);
http::Handler SetAreas(HomeCareService& s);
http::Handler NurseBoard(HomeCareService& s);
http::Handler Accept(HomeCareService& s);
http::Handler Arrive(HomeCareService& s);
http::Handler Complete(HomeCareService& s);

}  // namespace ihos::domain::homecare::api
