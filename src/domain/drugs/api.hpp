#pragma once
// HTTP handlers of the drug catalogue. Routes are listed in src/app/routes_medicine.cpp.
#include "domain/drugs/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::drugs::api {

http::Handler Search(DrugService& svc);        // GET /api/v1/drugs?q=&category=&scope=formulary|catalogue
http::Handler GetFormulary(DrugService& svc);  // GET /api/v1/formulary/{id}
http::Handler AddFormulary(DrugService& svc);  // POST /api/v1/admin/formulary
http::Handler SearchOtc(DrugService& svc);     // GET /api/v1/otc/drugs?q=
http::Handler OtcHistory(DrugService& svc);    // GET /api/v1/formulary/{id}/otc
http::Handler MarkOtc(DrugService& svc);       // POST /api/v1/formulary/{id}/otc
http::Handler RevokeOtc(DrugService& svc);     // POST /api/v1/formulary/{id}/otc/revoke

}  // namespace ihos::domain::drugs::api
