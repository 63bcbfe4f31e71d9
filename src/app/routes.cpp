// The one route table. Every route states who may call it (there is no default), and every
// route here is documented in docs/openapi.yaml (tests/api/openapi_test.cpp compares them).
#include <boost/json.hpp>

#include "app/app.hpp"
#include "domain/accounts/api.hpp"
#include "domain/directory/api.hpp"
#include "domain/scheduling/api.hpp"

namespace ihos::app {
namespace {

using http::Access;
using http::Reply;
using http::Request;
using http::Verb;

const std::vector<std::string> kAdmin = {"admin"};

}  // namespace

void App::AddRoutes() {
  auto& r = router_;
  auto& acc = *accounts_;
  namespace api = domain::accounts::api;

  // System
  r.Add(Verb::get, "/healthz", Access::Anyone(),
        [](Request&) -> Result<Reply> { return Reply::Json(boost::json::object{{"status", "ok"}}); },
        "Liveness: the process answers", /*on_io_thread=*/true);
  r.Add(Verb::get, "/readyz", Access::Anyone(),
        [this](Request&) -> Result<Reply> {
          if (server_->stopping()) return MakeError(Errc::unavailable, "shutting_down");
          if (auto st = db_->Ping(); !st) return st.error();
          return Reply::Json(boost::json::object{{"status", "ready"}});
        },
        "Readiness: the database answers");
  r.Add(Verb::get, "/metrics", Access::Anyone(),
        [this](Request&) -> Result<Reply> {
          return Reply{200, "text/plain; version=0.0.4; charset=utf-8", server_->MetricsText(), {}};
        },
        "Prometheus metrics", /*on_io_thread=*/true);
  r.Add(Verb::get, "/api/v1/meta", Access::Anyone(),
        [this](Request&) -> Result<Reply> {
          auto demo = db_->With<bool>(store::TxMode::read, [](store::Tx& tx) -> Result<bool> {
            auto rows = tx.Query("SELECT value FROM app_meta WHERE key = 'demo'");
            if (!rows) return rows.error();
            return !rows->empty() && (*rows)[0].Text(0) == "1";
          });
          if (!demo) return demo.error();
          return Reply::Json(boost::json::object{{"name", "ihos"}, {"version", IHOS_VERSION}, {"demo", *demo}});
        },
        "Name, version and whether this installation holds demo data");

  // Accounts
  r.Add(Verb::post, "/api/v1/auth/register", Access::Anyone(), api::Register(acc), "Register a patient account");
  r.Add(Verb::post, "/api/v1/auth/login", Access::Anyone(), api::Login(acc), "Sign in; returns a bearer token");
  r.Add(Verb::post, "/api/v1/auth/logout", Access::SignedIn(), api::Logout(acc), "Revoke the current token");
  r.Add(Verb::get, "/api/v1/me", Access::SignedIn(), api::Me(acc), "The signed-in user");
  r.Add(Verb::get, "/api/v1/me/access-log", Access::SignedIn(), api::AccessLog(acc),
        "Who read or changed my record (or a ward's)");
  r.Add(Verb::get, "/api/v1/me/dependents", Access::SignedIn(), api::ListDependents(acc), "Minors I am guardian of");
  r.Add(Verb::post, "/api/v1/me/dependents", Access::SignedIn(), api::AddDependent(acc), "Add a minor I am guardian of");
  r.Add(Verb::get, "/api/v1/patients/{id}", Access::SignedIn(), api::ReadPatient(acc),
        "A patient's record: self, guardian, or admin with a reason (audited)");
  r.Add(Verb::get, "/api/v1/admin/users", Access::Roles(kAdmin), api::SearchUsers(acc), "Find users");
  r.Add(Verb::post, "/api/v1/admin/users/{id}/roles", Access::Roles(kAdmin), api::GrantRole(acc), "Grant a role");
  r.Add(Verb::delete_, "/api/v1/admin/users/{id}/roles/{role}", Access::Roles(kAdmin), api::RevokeRole(acc),
        "Revoke a role");

  // Directory: departments, hospitals, uploads, applications to practise, review, doctors
  {
    namespace dir = domain::directory::api;
    auto& d = *directory_;
    r.Add(Verb::get, "/api/v1/departments", Access::Anyone(), dir::ListDepartments(d),
          "The department catalogue, or the departments a hospital runs online");
    r.Add(Verb::get, "/api/v1/hospitals", Access::Anyone(), dir::ListHospitals(d), "Hospitals");
    r.Add(Verb::get, "/api/v1/hospitals/{id}", Access::Anyone(), dir::GetHospital(d), "One hospital");
    r.Add(Verb::post, "/api/v1/admin/hospitals", Access::Roles(kAdmin), dir::CreateHospital(d), "Add a hospital");
    r.Add(Verb::put, "/api/v1/admin/hospitals/{id}/departments", Access::Roles(kAdmin), dir::SetHospitalDepartments(d),
          "Choose the departments a hospital runs online");
    r.Add(Verb::post, "/api/v1/files", Access::SignedIn(), dir::UploadFile(d),
          "Upload an image or PDF (certificates, photos)")
        .body_limit = config_.upload_limit;
    r.Add(Verb::get, "/api/v1/files/{id}", Access::SignedIn(), dir::ReadFile(d),
          "An uploaded file: its uploader, or an admin (audited)");
    r.Add(Verb::post, "/api/v1/practitioner-applications", Access::SignedIn(), dir::Apply(d), "Apply to practise");
    r.Add(Verb::get, "/api/v1/me/practitioner-applications", Access::SignedIn(), dir::MyApplications(d),
          "My applications to practise and their review");
    r.Add(Verb::get, "/api/v1/me/practitioner", Access::SignedIn(), dir::MyPractitioner(d),
          "My practitioner record (doctors)");
    r.Add(Verb::get, "/api/v1/admin/practitioner-applications", Access::Roles(kAdmin), dir::ApplicationQueue(d),
          "The review queue");
    r.Add(Verb::get, "/api/v1/admin/practitioner-applications/{id}", Access::Roles(kAdmin), dir::ReadApplication(d),
          "One application (audited)");
    r.Add(Verb::post, "/api/v1/admin/practitioner-applications/{id}/approve", Access::Roles(kAdmin), dir::Approve(d),
          "Approve an application: the applicant becomes a practitioner");
    r.Add(Verb::post, "/api/v1/admin/practitioner-applications/{id}/reject", Access::Roles(kAdmin), dir::Reject(d),
          "Reject an application with a reason the applicant sees");
    r.Add(Verb::get, "/api/v1/admin/practitioners", Access::Roles(kAdmin), dir::ListPractitioners(d),
          "Every practitioner, with status");
    r.Add(Verb::post, "/api/v1/admin/practitioners/{id}/suspend", Access::Roles(kAdmin), dir::Suspend(d),
          "Suspend a practitioner; future bookings are cancelled");
    r.Add(Verb::post, "/api/v1/admin/practitioners/{id}/reinstate", Access::Roles(kAdmin), dir::Reinstate(d),
          "Lift a suspension");
    r.Add(Verb::get, "/api/v1/doctors", Access::Anyone(), dir::SearchDoctors(d),
          "Find doctors by department, hospital, title, name and next free time");
    r.Add(Verb::get, "/api/v1/doctors/{id}", Access::Anyone(), dir::GetDoctor(d), "A doctor's public profile");
    r.Add(Verb::get, "/api/v1/doctors/{id}/photo", Access::Anyone(), dir::DoctorPhoto(d), "A doctor's photo");
  }

  // Schedules and booking (issue #3; src/domain/scheduling). Doctors are users with the doctor
  // role and a practitioners row; patients and guardians book with any signed-in account.
  {
    namespace sch = domain::scheduling::api;
    auto& svc = *scheduling_;
    const std::vector<std::string> doctor = {"doctor"};
    r.Add(Verb::get, "/api/v1/doctors/{id}/slots", Access::Anyone(), sch::DoctorSlots(svc),
          "A bookable doctor's slots on a range of dates");
    r.Add(Verb::get, "/api/v1/me/schedule", Access::Roles(doctor), sch::GetSchedule(svc),
          "My weekly template and exceptions (doctor)");
    r.Add(Verb::put, "/api/v1/me/schedule/template", Access::Roles(doctor), sch::PutTemplate(svc),
          "Replace my weekly template; slots are re-made (doctor)");
    r.Add(Verb::post, "/api/v1/me/schedule/exceptions", Access::Roles(doctor), sch::AddException(svc),
          "Add leave or an extra shift on a date (doctor)");
    r.Add(Verb::delete_, "/api/v1/me/schedule/exceptions/{id}", Access::Roles(doctor), sch::DeleteException(svc),
          "Remove a leave or extra shift (doctor)");
    r.Add(Verb::get, "/api/v1/me/day", Access::Roles(doctor), sch::Day(svc),
          "My slots of a day with who is booked (doctor)");
    r.Add(Verb::post, "/api/v1/appointments", Access::SignedIn(), sch::Book(svc),
          "Book a place on a slot for myself or a ward");
    r.Add(Verb::get, "/api/v1/me/appointments", Access::SignedIn(), sch::MyAppointments(svc),
          "My and my wards' appointments");
    r.Add(Verb::get, "/api/v1/appointments/{id}", Access::SignedIn(), sch::GetAppointment(svc),
          "One appointment: patient, guardian or the doctor");
    r.Add(Verb::post, "/api/v1/appointments/{id}/cancel", Access::SignedIn(), sch::Cancel(svc),
          "Cancel: patient/guardian before the cut-off, the doctor with a reason");
    r.Add(Verb::post, "/api/v1/appointments/{id}/no-show", Access::Roles(doctor), sch::NoShow(svc),
          "Record that the patient did not come (doctor, after the start)");
    r.Add(Verb::post, "/api/v1/appointments/{id}/fulfil", Access::Roles(doctor), sch::Fulfil(svc),
          "Record that the appointment took place (doctor)");
    r.Add(Verb::get, "/api/v1/me/notifications", Access::SignedIn(), sch::Notifications(svc), "My notifications");
    r.Add(Verb::post, "/api/v1/me/notifications/{id}/read", Access::SignedIn(), sch::MarkRead(svc),
          "Mark a notification read");
  }
}

}  // namespace ihos::app
