#pragma once
// HTTP handlers of the ICD-10 catalogue: GET /api/v1/icd10?q=&limit= and GET /api/v1/icd10/{code}
// (signed in). Reading the catalogue is not patient data: nothing is audited.
#include "http/router.hpp"
#include "store/database.hpp"

namespace ihos::domain::icd10::api {

http::Handler Search(store::Database& db);
http::Handler Get(store::Database& db);

}  // namespace ihos::domain::icd10::api
