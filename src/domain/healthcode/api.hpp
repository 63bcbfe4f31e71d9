#pragma once
// HTTP handlers of the health code; the routes are in src/app/routes.cpp.
#include "domain/healthcode/service.hpp"
#include "http/router.hpp"
#include "http/types.hpp"

namespace ihos::domain::healthcode::api {

http::Handler MyCode(HealthCodeService& s);
// "Show my code" from memory on the I/O thread, when the status and a card are cached (else the
// worker pool's MyCode answers).
http::FastHandler MyCodeFromMemory(HealthCodeService& s);
http::Handler MyHistory(HealthCodeService& s);
http::Handler Declare(HealthCodeService& s);
http::Handler CreateAppeal(HealthCodeService& s);
http::Handler MyAppeals(HealthCodeService& s);
http::Handler CheckIn(HealthCodeService& s);
http::Handler MyCheckIns(HealthCodeService& s);
http::Handler AddTestResult(HealthCodeService& s);
http::Handler ImportTestResults(HealthCodeService& s);
http::Handler AddVaccination(HealthCodeService& s);
http::Handler ReportFever(HealthCodeService& s);
http::Handler SetExposure(HealthCodeService& s);
http::Handler WithdrawFact(HealthCodeService& s);
http::Handler Person(HealthCodeService& s);
http::Handler Rules(HealthCodeService& s);
http::Handler SaveRules(HealthCodeService& s);
http::Handler Regions(HealthCodeService& s);
http::Handler RiskAreas(HealthCodeService& s);
http::Handler AddRiskArea(HealthCodeService& s);
http::Handler EndRiskArea(HealthCodeService& s);
http::Handler Appeals(HealthCodeService& s);
http::Handler ResolveAppeal(HealthCodeService& s);
http::Handler AddVenue(HealthCodeService& s);
http::Handler Venues(HealthCodeService& s);
http::Handler VenueQr(HealthCodeService& s);
http::Handler Scans(HealthCodeService& s);
http::Handler Verify(HealthCodeService& s);
http::Handler Jwks(HealthCodeService& s);
http::Handler Crl(HealthCodeService& s);

}  // namespace ihos::domain::healthcode::api
