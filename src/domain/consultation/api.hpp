#pragma once
// HTTP handlers and WebSocket methods/topics of the consultation capability. Routes are listed
// in src/app/routes.cpp.
#include "domain/consultation/service.hpp"
#include "http/types.hpp"
#include "http/ws_registry.hpp"

namespace ihos::domain::consultation::api {

http::Handler Start(ConsultationService& svc);
http::Handler List(ConsultationService& svc);
http::Handler Get(ConsultationService& svc);
http::Handler Cancel(ConsultationService& svc);
http::Handler Accept(ConsultationService& svc);
http::Handler Messages(ConsultationService& svc);
http::Handler Send(ConsultationService& svc);
http::Handler Recall(ConsultationService& svc);
http::Handler MarkRead(ConsultationService& svc);
http::Handler File(ConsultationService& svc);
http::Handler RecordCall(ConsultationService& svc);
http::Handler CallbackNumber(ConsultationService& svc);
http::Handler WriteRecord(ConsultationService& svc);
http::Handler FollowUp(ConsultationService& svc);
http::Handler Refer(ConsultationService& svc);
http::Handler Close(ConsultationService& svc);
http::Handler Rate(ConsultationService& svc);
http::Handler Workstation(ConsultationService& svc);
http::Handler StaffRead(ConsultationService& svc);
http::Handler Eligibility(ConsultationService& svc);

// consultation.send / consultation.read / consultation.typing, and the topics consultation:,
// workstation:, free-clinic:, department-queue:.
void RegisterWs(http::WsRegistry& ws, ConsultationService& svc);

}  // namespace ihos::domain::consultation::api
