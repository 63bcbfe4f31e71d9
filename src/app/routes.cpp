// The route table, first part: the system routes, accounts, the directory, the self-check,
// booking, notifications, the health code, consultations, tests and home care. The medicine
// routes (ICD-10, drugs and prescriptions, billing, pharmacies, drug orders, needs) are in
// routes_medicine.cpp. Every route states who may call it (there is no default), and every route is
// documented in docs/openapi.yaml (tests/api/openapi_test.cpp compares them).
#include <boost/json.hpp>

#include "app/app.hpp"
#include "domain/accounts/api.hpp"
#include "domain/consultation/api.hpp"
#include "domain/directory/api.hpp"
#include "domain/healthcode/api.hpp"
#include "domain/notifications/api.hpp"
#include "domain/scheduling/api.hpp"
#include "domain/triage/api.hpp"
// Tests and home services
#include "domain/homecare/api.hpp"
#include "domain/nattest/api.hpp"
#include "store/migrations.hpp"

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
  r.Add(
      Verb::get, "/healthz", Access::Anyone(),
      [](Request&) -> Result<Reply> {
        return Reply{200, "application/json", R"({"status":"ok"})", {}};  // Reply::Json's text, without the object
      },
      "Liveness: the process answers", /*on_io_thread=*/true);
  r.Add(
      Verb::get, "/readyz", Access::Anyone(),
      [this](Request&) -> Result<Reply> {
        if (server_->stopping()) return MakeError(Errc::unavailable, "shutting_down");
        if (auto st = db_->Ping(); !st) return st.error();
        return Reply::Json(boost::json::object{{"status", "ready"}});
      },
      "Readiness: the database answers");
  r.Add(
      Verb::get, "/metrics", Access::Anyone(),
      [this](Request&) -> Result<Reply> {
        return Reply{200, "text/plain; version=0.0.4; charset=utf-8", server_->MetricsText(), {}};
      },
      "Prometheus metrics", /*on_io_thread=*/true);
  r.Add(
      Verb::get, "/api/v1/meta", Access::Anyone(),
      [this](Request&) -> Result<Reply> {
        auto demo = db_->With<bool>(store::TxMode::read, [](store::Tx& tx) -> Result<bool> {
          auto demo = store::ReadMeta(tx, "demo");
          if (!demo) return demo.error();
          return *demo == "1";
        });
        if (!demo) return demo.error();
        return Reply::Json(boost::json::object{
            {"name", "ihos"},
            {"version", IHOS_VERSION},
            {"demo", *demo},
            {"sms_provider", accounts_->sms_codes().sender().Name()},
            {"register_sms_code", accounts_->register_needs_sms_code() ? "required" : "off"}});
      },
      "Name, version and whether this installation holds demo data");

  // Accounts
  r.Add(Verb::post, "/api/v1/auth/register", Access::Anyone(), api::Register(acc),
        "Register a patient account (with the SMS code sent for purpose register)");
  // Phone verification at registration
  r.Add(Verb::post, "/api/v1/auth/register/code", Access::Anyone(), api::SendRegisterCode(acc),
        "Send a registration code by SMS");
  // Only with the demo provider: a real SMS provider has no such route (404).
  if (acc.demo_sms())
    r.Add(Verb::get, "/api/v1/demo/sms", Access::Anyone(), api::DemoSms(acc),
          "DEMO provider only: the recent demo messages to a phone");
  // My sessions, password change and reset: owned by the handlers that use it.
  auto security = std::make_shared<domain::accounts::AccountSecurity>(*db_, acc, config_.password_profile);
  r.Add(Verb::post, "/api/v1/auth/login", Access::Anyone(), api::Login(acc, security),
        "Sign in: a bearer token, or the web app's session cookie");
  r.Add(Verb::post, "/api/v1/auth/logout", Access::SignedIn(), api::Logout(acc), "Revoke the current token");
  r.Add(Verb::get, "/api/v1/me", Access::SignedIn(), api::Me(acc), "The signed-in user").fast =
      api::MeFromMemory(acc);
  r.Add(Verb::get, "/api/v1/me/settings", Access::SignedIn(), api::GetSettings(acc),
        "My app preferences (elder mode)");
  r.Add(Verb::put, "/api/v1/me/settings", Access::SignedIn(), api::PutSettings(acc),
        "Replace my app preferences (elder mode)");
  r.Add(Verb::get, "/api/v1/me/access-log", Access::SignedIn(), api::AccessLog(acc),
        "Who read or changed my record (or a ward's)");
  r.Add(Verb::get, "/api/v1/me/dependents", Access::SignedIn(), api::ListDependents(acc), "Minors I am guardian of");
  r.Add(Verb::post, "/api/v1/me/dependents", Access::SignedIn(), api::AddDependent(acc),
        "Add a minor I am guardian of");
  r.Add(Verb::get, "/api/v1/patients/{id}", Access::SignedIn(), api::ReadPatient(acc),
        "A patient's record: self, guardian, or admin with a reason (audited)");
  r.Add(Verb::get, "/api/v1/admin/users", Access::Roles(kAdmin), api::SearchUsers(acc), "Find users");
  r.Add(Verb::post, "/api/v1/admin/users/{id}/roles", Access::Roles(kAdmin), api::GrantRole(acc), "Grant a role");
  r.Add(Verb::delete_, "/api/v1/admin/users/{id}/roles/{role}", Access::Roles(kAdmin), api::RevokeRole(acc),
        "Revoke a role");
  // Accounts: my sessions, password change and reset
  {
    const auto& sec = security;
    r.Add(Verb::get, "/api/v1/me/sessions", Access::SignedIn(), api::MySessions(sec), "My active sessions");
    r.Add(Verb::delete_, "/api/v1/me/sessions/{id}", Access::SignedIn(), api::SignOutSession(sec),
          "Sign out one of my sessions");
    r.Add(Verb::post, "/api/v1/me/sessions/sign-out-others", Access::SignedIn(), api::SignOutOthers(sec),
          "Sign out all my other sessions");
    r.Add(Verb::post, "/api/v1/me/password", Access::SignedIn(), api::ChangePassword(sec),
          "Change my password (signs out my other sessions)");
    r.Add(Verb::post, "/api/v1/me/password/code", Access::SignedIn(), api::SendPasswordChangeCode(sec),
          "Send an SMS code for a password change to my phone");
    r.Add(Verb::post, "/api/v1/auth/password-reset/code", Access::Anyone(), api::SendResetCode(sec),
          "Send a password reset code by SMS");
    r.Add(Verb::post, "/api/v1/auth/password-reset", Access::Anyone(), api::ResetPassword(sec),
          "Set a new password with an SMS code (signs out every session)");
  }

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
  // Triage (AI self-check)
  r.Add(Verb::post, "/api/v1/triage", Access::Anyone(), domain::triage::api::Triage(*triage_),
        "Self-check: red flags first, then the departments most likely to help (guidance only)");

  // Schedules and booking (src/domain/scheduling). Doctors are users with the doctor
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
  }

  // Notifications (src/domain/notifications): what a user is told, written by the capabilities
  // whose changes they report; the addressee alone reads them.
  {
    namespace nt = domain::notifications::api;
    auto& svc = *notifications_;
    r.Add(Verb::get, "/api/v1/me/notifications", Access::SignedIn(), nt::Mine(svc), "My notifications");
    r.Add(Verb::post, "/api/v1/me/notifications/{id}/read", Access::SignedIn(), nt::MarkRead(svc),
          "Mark a notification read");
  }

  // Health code (健康码)
  {
    namespace hapi = domain::healthcode::api;
    auto& hc = *healthcode_;
    const std::vector<std::string> kLab = {"lab"};
    const std::vector<std::string> kAuthority = {"health_authority"};
    const std::vector<std::string> kVaccinator = {"lab", "nurse", "doctor"};
    const std::vector<std::string> kGate = {"nurse", "doctor",           "pharmacist", "pharmacy_staff",
                                            "lab",   "health_authority", "admin"};
    r.Add(Verb::get, "/.well-known/jwks.json", Access::Anyone(), hapi::Jwks(hc),
          "Health-card issuer public keys (JWKS)");
    r.Add(Verb::get, "/.well-known/crl/{file}", Access::Anyone(), hapi::Crl(hc),
          "Health-card revocation list of one key: /.well-known/crl/<kid>.json");
    r.Add(Verb::get, "/api/v1/me/healthcode", Access::SignedIn(), hapi::MyCode(hc),
          "My health code: colour, reasons, and a freshly signed SMART Health Card with its QR")
        .fast = hapi::MyCodeFromMemory(hc);
    r.Add(Verb::get, "/api/v1/me/healthcode/history", Access::SignedIn(), hapi::MyHistory(hc),
          "Every change of my colour with its reason, and the facts behind it");
    r.Add(Verb::post, "/api/v1/me/healthcode/declarations", Access::SignedIn(), hapi::Declare(hc),
          "Declare symptoms or travel");
    r.Add(Verb::get, "/api/v1/me/healthcode/appeals", Access::SignedIn(), hapi::MyAppeals(hc), "My appeals");
    r.Add(Verb::post, "/api/v1/me/healthcode/appeals", Access::SignedIn(), hapi::CreateAppeal(hc), "Appeal my colour");
    r.Add(Verb::get, "/api/v1/me/checkins", Access::SignedIn(), hapi::MyCheckIns(hc), "My venue check-ins");
    r.Add(Verb::post, "/api/v1/me/checkins", Access::SignedIn(), hapi::CheckIn(hc),
          "Check in at a venue (scanned venue QR)");
    r.Add(Verb::post, "/api/v1/healthcode/tests", Access::Roles(kLab), hapi::AddTestResult(hc),
          "Enter a nucleic-acid test result (lab)");
    r.Add(Verb::post, "/api/v1/healthcode/tests/import", Access::Roles(kLab), hapi::ImportTestResults(hc),
          "Import test results as CSV, all rows or none (lab)");
    r.Add(Verb::post, "/api/v1/healthcode/vaccinations", Access::Roles(kVaccinator), hapi::AddVaccination(hc),
          "Record a vaccination");
    r.Add(Verb::post, "/api/v1/healthcode/exposures", Access::Roles(kAuthority), hapi::SetExposure(hc),
          "Flag a person (confirmed, suspected, close or secondary contact); a confirmed case flags contacts");
    r.Add(Verb::post, "/api/v1/healthcode/facts/{id}/withdraw", Access::Roles(kAuthority), hapi::WithdrawFact(hc),
          "Withdraw a fact (kept, marked withdrawn with the reason)");
    r.Add(Verb::get, "/api/v1/healthcode/people", Access::Roles(kAuthority), hapi::Person(hc),
          "A person's colour, reasons and facts by ID number, with a reason (audited)");
    r.Add(Verb::get, "/api/v1/healthcode/rules", Access::Roles(kAuthority), hapi::Rules(hc),
          "The current rule set and earlier versions");
    r.Add(Verb::post, "/api/v1/healthcode/rules", Access::Roles(kAuthority), hapi::SaveRules(hc),
          "Save a new rule-set version (validated); everyone is re-evaluated");
    r.Add(Verb::get, "/api/v1/healthcode/regions", Access::SignedIn(), hapi::Regions(hc),
          "Administrative divisions (province, city, county)");
    r.Add(Verb::get, "/api/v1/healthcode/risk-areas", Access::SignedIn(), hapi::RiskAreas(hc), "Risk areas");
    r.Add(Verb::post, "/api/v1/healthcode/risk-areas", Access::Roles(kAuthority), hapi::AddRiskArea(hc),
          "Set a risk level for a region and dates");
    r.Add(Verb::post, "/api/v1/healthcode/risk-areas/{id}/end", Access::Roles(kAuthority), hapi::EndRiskArea(hc),
          "End a risk area on a date");
    r.Add(Verb::get, "/api/v1/healthcode/appeals", Access::Roles(kAuthority), hapi::Appeals(hc), "Appeals to resolve");
    r.Add(Verb::post, "/api/v1/healthcode/appeals/{id}/resolve", Access::Roles(kAuthority), hapi::ResolveAppeal(hc),
          "Uphold (withdrawing facts) or reject an appeal");
    r.Add(Verb::get, "/api/v1/healthcode/venues", Access::SignedIn(), hapi::Venues(hc), "Venues");
    r.Add(Verb::post, "/api/v1/healthcode/venues", Access::Roles(kAuthority), hapi::AddVenue(hc), "Register a venue");
    r.Add(Verb::get, "/api/v1/healthcode/venues/{id}/qr.svg", Access::SignedIn(), hapi::VenueQr(hc),
          "The printable venue check-in QR (SVG)");
    r.Add(Verb::get, "/api/v1/healthcode/scans", Access::Roles(kAuthority), hapi::Scans(hc), "Recent gate scans");
    r.Add(Verb::post, "/api/v1/healthcode/fever-reports", Access::Roles(kGate), hapi::ReportFever(hc),
          "Record an on-site temperature; 37.3 °C or more is a fever fact");
    r.Add(Verb::post, "/api/v1/healthcode/verify", Access::Roles(kGate), hapi::Verify(hc),
          "Verify a scanned shc:/ text online (signature, expiry, revocation); logs the scan and the check-in");
  }

  // Online consultation (src/domain/consultation). Parties are checked by the service
  // (the patient or guardian, the assigned doctor); everyone else gets 404.
  {
    namespace con = domain::consultation::api;
    auto& svc = *consultation_;
    const std::vector<std::string> doctor = {"doctor"};
    const std::vector<std::string> admin = {"admin"};
    r.Add(Verb::post, "/api/v1/consultations", Access::SignedIn(), con::Start(svc),
          "Start a consultation with the pre-consultation questionnaire (patient or guardian)");
    r.Add(Verb::get, "/api/v1/consultations", Access::SignedIn(), con::List(svc),
          "My consultations, as patient/guardian or as doctor");
    r.Add(Verb::get, "/api/v1/consultations/{id}", Access::SignedIn(), con::Get(svc),
          "A consultation with its questionnaire, record and queue position");
    r.Add(Verb::post, "/api/v1/consultations/{id}/cancel", Access::SignedIn(), con::Cancel(svc),
          "Withdraw a consultation still waiting (patient side)");
    r.Add(Verb::post, "/api/v1/consultations/{id}/accept", Access::Roles(doctor), con::Accept(svc),
          "Take a waiting consultation (the named doctor, or a free-clinic volunteer)");
    r.Add(Verb::get, "/api/v1/consultations/{id}/messages", Access::SignedIn(), con::Messages(svc),
          "Messages after a sequence number");
    r.Add(Verb::post, "/api/v1/consultations/{id}/messages", Access::SignedIn(), con::Send(svc),
          "Send a message (stored once per client_msg_id)");
    r.Add(Verb::post, "/api/v1/consultations/{id}/messages/{seq}/recall", Access::SignedIn(), con::Recall(svc),
          "Recall my message within 2 minutes");
    r.Add(Verb::post, "/api/v1/consultations/{id}/read", Access::SignedIn(), con::MarkRead(svc), "Read receipt");
    r.Add(Verb::get, "/api/v1/consultations/{id}/files/{upload_id}", Access::SignedIn(), con::File(svc),
          "A file attached to the consultation (image, voice clip, proof)");
    r.Add(Verb::post, "/api/v1/consultations/{id}/calls", Access::Roles(doctor), con::RecordCall(svc),
          "Record a phone callback (doctor)");
    r.Add(Verb::get, "/api/v1/consultations/{id}/callback-number", Access::Roles(doctor), con::CallbackNumber(svc),
          "The number to call back on a phone consultation (its doctor, while active; audited)");
    r.Add(Verb::put, "/api/v1/consultations/{id}/record", Access::Roles(doctor), con::WriteRecord(svc),
          "Write a new version of the consultation record (doctor)");
    r.Add(Verb::post, "/api/v1/consultations/{id}/follow-up", Access::Roles(doctor), con::FollowUp(svc),
          "Verified follow-up or advice only (doctor)");
    r.Add(Verb::post, "/api/v1/consultations/{id}/referral", Access::Roles(doctor), con::Refer(svc),
          "Stop and refer offline, optionally booking an offline slot (doctor)");
    r.Add(Verb::post, "/api/v1/consultations/{id}/close", Access::Roles(doctor), con::Close(svc),
          "Close a consultation that has a record (doctor)");
    r.Add(Verb::post, "/api/v1/consultations/{id}/rating", Access::SignedIn(), con::Rate(svc),
          "Rate a finished consultation once (patient side)");
    r.Add(Verb::get, "/api/v1/consultations/{id}/prescription-eligibility", Access::SignedIn(), con::Eligibility(svc),
          "Whether this consultation may lead to a prescription (follow-up rule)");
    r.Add(Verb::get, "/api/v1/workstation", Access::Roles(doctor), con::Workstation(svc),
          "The doctor's workstation: who waits, active consultations, today's counts");
    r.Add(Verb::get, "/api/v1/admin/consultations/{id}", Access::Roles(admin), con::StaffRead(svc),
          "Read a consultation with a stated reason (audited; never counselling)");
  }

  // Tests and home services (src/domain/nattest, src/domain/homecare)
  {
    namespace nat = domain::nattest::api;
    namespace hca = domain::homecare::api;
    auto& nt = *nattest_;
    auto& hs = *homecare_;
    const std::vector<std::string> kSiteAdmin = {"health_authority", "admin"};
    const std::vector<std::string> kSampler = {"nurse", "lab"};
    const std::vector<std::string> kLabOnly = {"lab"};
    const std::vector<std::string> kNurse = {"nurse"};
    r.Add(Verb::get, "/api/v1/nat/sites", Access::SignedIn(), nat::Sites(nt),
          "Nucleic-acid test sites, optionally under a region, with free places");
    r.Add(Verb::post, "/api/v1/nat/sites", Access::Roles(kSiteAdmin), nat::AddSite(nt), "Add a test site");
    r.Add(Verb::post, "/api/v1/nat/sites/{id}/slots", Access::Roles(kSiteAdmin), nat::AddSlots(nt),
          "Add daily time slots with a capacity to a test site");
    r.Add(Verb::get, "/api/v1/nat/sites/{id}/slots", Access::SignedIn(), nat::SiteSlots(nt),
          "A test site's slots on a date with free places");
    r.Add(Verb::post, "/api/v1/nat/bookings", Access::SignedIn(), nat::BookSlot(nt),
          "Book a test slot for myself or a ward");
    r.Add(Verb::post, "/api/v1/nat/home-visits", Access::SignedIn(), nat::BookHomeVisit(nt),
          "Ask for a home test visit (address and time window)");
    r.Add(Verb::get, "/api/v1/me/nat/bookings", Access::SignedIn(), nat::MyBookings(nt),
          "My and my wards' test bookings, samples and results");
    r.Add(Verb::post, "/api/v1/nat/bookings/{id}/cancel", Access::SignedIn(), nat::Cancel(nt),
          "Cancel a test booking before its window");
    r.Add(Verb::get, "/api/v1/nat/home-visits", Access::Roles(kSampler), nat::HomeVisits(nt),
          "Home test visits waiting for someone, and mine (nurse, lab)");
    r.Add(Verb::post, "/api/v1/nat/home-visits/{id}/accept", Access::Roles(kSampler), nat::AcceptHomeVisit(nt),
          "Accept a home test visit (nurse, lab)");
    r.Add(Verb::get, "/api/v1/nat/samples", Access::Roles(kLabOnly), nat::PendingSamples(nt),
          "Collected samples waiting for a result (lab)");
    r.Add(Verb::get, "/api/v1/nat/samples/{sample_no}", Access::Roles(kSampler), nat::Sample(nt),
          "One sample by its number (audited)");
    r.Add(Verb::post, "/api/v1/nat/samples/{sample_no}/collect", Access::Roles(kSampler), nat::Collect(nt),
          "Mark a sample collected (nurse, lab)");
    r.Add(Verb::post, "/api/v1/nat/samples/{sample_no}/result", Access::Roles(kLabOnly), nat::EnterResult(nt),
          "Enter a sample's result; the health code is updated at once (lab)");
    r.Add(Verb::get, "/api/v1/homecare/services", Access::Anyone(), hca::Services(hs),
          "Home nursing and escort services with prices");
    r.Add(Verb::put, "/api/v1/homecare/services/{code}", Access::Roles(kAdmin), hca::SetPrice(hs),
          "Set a service's price and availability (admin)");
    r.Add(Verb::post, "/api/v1/homecare/orders", Access::SignedIn(), hca::Order(hs),
          "Order a home nurse or escort for myself or a ward");
    r.Add(Verb::get, "/api/v1/me/homecare/orders", Access::SignedIn(), hca::MyOrders(hs),
          "My and my wards' home-service orders with their timelines");
    r.Add(Verb::get, "/api/v1/homecare/orders/{id}", Access::SignedIn(), hca::Get(hs),
          "One order: patient, guardian or the nurse who accepted it");
    r.Add(Verb::post, "/api/v1/homecare/orders/{id}/cancel", Access::SignedIn(), hca::Cancel(hs),
          "Cancel an order (after acceptance with a reason)");
    r.Add(Verb::get, "/api/v1/me/homecare/areas", Access::Roles(kNurse), hca::Areas(hs), "My service area (nurse)");
    r.Add(Verb::put, "/api/v1/me/homecare/areas", Access::Roles(kNurse), hca::SetAreas(hs),
          "Replace my service area (nurse)");
    r.Add(Verb::get, "/api/v1/homecare/board", Access::Roles(kNurse), hca::NurseBoard(hs),
          "Open orders in my area and my accepted orders (nurse)");
    r.Add(Verb::post, "/api/v1/homecare/orders/{id}/accept", Access::Roles(kNurse), hca::Accept(hs),
          "Accept an open order in my area (nurse)");
    r.Add(Verb::post, "/api/v1/homecare/orders/{id}/arrive", Access::Roles(kNurse), hca::Arrive(hs),
          "Record arrival at the patient (nurse)");
    r.Add(Verb::post, "/api/v1/homecare/orders/{id}/complete", Access::Roles(kNurse), hca::Complete(hs),
          "Complete with a service note (nurse)");
  }

  AddMedicineRoutes();  // routes_medicine.cpp
}

}  // namespace ihos::app
