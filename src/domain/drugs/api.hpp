#pragma once
// HTTP handlers of the drug catalogue. Routes are listed in src/app/routes.cpp.
#include "domain/drugs/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::drugs::api {

http::Handler Search(DrugService& svc);        // GET /api/v1/drugs?q=&category=&scope=formulary|catalogue
http::Handler GetFormulary(DrugService& svc);  // GET /api/v1/formulary/{id}
http::Handler AddFormulary(DrugService& svc);  // POST /api/v1/admin/formulary

}  // namespace ihos::domain::drugs::api
