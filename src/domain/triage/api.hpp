#pragma once
// HTTP handler of the self-check: POST /api/v1/triage (anyone, rate-limited per address).
#include "domain/triage/service.hpp"
#include "http/router.hpp"

namespace ihos::domain::triage::api {

http::Handler Triage(TriageService& svc);

}  // namespace ihos::domain::triage::api
