#pragma once
// HTTP handlers of the directory capability. Routes are listed in src/app/routes.cpp.
#include "domain/directory/service.hpp"
#include "http/types.hpp"

namespace ihos::domain::directory::api {

http::Handler ListDepartments(DirectoryService& svc);
http::Handler ListHospitals(DirectoryService& svc);
http::Handler GetHospital(DirectoryService& svc);
http::Handler CreateHospital(DirectoryService& svc);
http::Handler SetHospitalDepartments(DirectoryService& svc);
http::Handler UploadFile(DirectoryService& svc);
http::Handler ReadFile(DirectoryService& svc);
http::Handler Apply(DirectoryService& svc);
http::Handler MyApplications(DirectoryService& svc);
http::Handler ApplicationQueue(DirectoryService& svc);
http::Handler ReadApplication(DirectoryService& svc);
http::Handler Approve(DirectoryService& svc);
http::Handler Reject(DirectoryService& svc);
http::Handler ListPractitioners(DirectoryService& svc);
http::Handler Suspend(DirectoryService& svc);
http::Handler Reinstate(DirectoryService& svc);
http::Handler SearchDoctors(DirectoryService& svc);
http::Handler GetDoctor(DirectoryService& svc);
http::Handler DoctorPhoto(DirectoryService& svc);
http::Handler MyPractitioner(DirectoryService& svc);

// The public JSON of a practitioner (the contract's Doctor).
boost::json::object DoctorJson(const Doctor& d);

}  // namespace ihos::domain::directory::api
