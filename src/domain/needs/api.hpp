#pragma once
// HTTP handlers of the need registry: registering, consent, the patient side's reads and actions,
// the follow-up consultation link, pharmacy staff's nearby needs and answers, the shortage map and
// community workers. Routes are listed in src/app/routes_medicine.cpp (and docs/openapi.yaml).
#include "domain/needs/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::needs::api {

http::Handler Register(NeedService& svc);
http::Handler List(NeedService& svc);
http::Handler AwaitingConsent(NeedService& svc);
http::Handler Get(NeedService& svc);
http::Handler Consent(NeedService& svc);
http::Handler ResendCode(NeedService& svc);
http::Handler Finish(NeedService& svc);
http::Handler LinkConsultation(NeedService& svc);
http::Handler Nearby(NeedService& svc);
http::Handler Answer(NeedService& svc);
http::Handler Shortage(NeedService& svc);
http::Handler Workers(NeedService& svc);
http::Handler RegisterWorker(NeedService& svc);
http::Handler MyWorker(NeedService& svc);

}  // namespace ihos::domain::needs::api
