#pragma once
// HTTP handlers of e-prescriptions, allergies and pharmacist review. Routes are listed in
// src/app/routes_medicine.cpp (and docs/openapi.yaml).
#include "domain/prescriptions/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::prescriptions::api {

http::Handler Allergies(PrescriptionService& svc);
http::Handler AddAllergy(PrescriptionService& svc);
http::Handler RemoveAllergy(PrescriptionService& svc);
http::Handler ConsultationAllergies(PrescriptionService& svc);
http::Handler RecordAllergy(PrescriptionService& svc);
http::Handler ConfirmAllergy(PrescriptionService& svc);
http::Handler SetPin(PrescriptionService& svc);
http::Handler Keys(PrescriptionService& svc);
http::Handler Check(PrescriptionService& svc);
http::Handler Create(PrescriptionService& svc);
http::Handler Cancel(PrescriptionService& svc);
http::Handler OfConsultation(PrescriptionService& svc);
http::Handler Get(PrescriptionService& svc);
http::Handler Mine(PrescriptionService& svc);
http::Handler Queue(PrescriptionService& svc);
http::Handler ForReview(PrescriptionService& svc);
http::Handler Review(PrescriptionService& svc);
http::Handler Stats(PrescriptionService& svc);
http::Handler AddPharmacist(PrescriptionService& svc);
http::Handler Verify(PrescriptionService& svc);

}  // namespace ihos::domain::prescriptions::api
