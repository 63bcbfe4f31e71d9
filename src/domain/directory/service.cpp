#include "domain/directory/service.hpp"

#include <algorithm>

#include "core/civil_time.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "domain/audit/audit.hpp"
#include "domain/directory/repository.hpp"
#include "domain/directory/rules.hpp"

namespace ihos::domain::directory {
namespace {

void Check(std::vector<FieldError>& errs, const char* field, const std::string& code) {
  if (!code.empty()) errs.push_back({field, code});
}

audit::Entry AuditEntry(std::int64_t now, const Principal& actor, std::string action, std::int64_t patient_id,
                        std::string resource_type, std::int64_t resource_id, std::string reason,
                        const RequestMeta& meta) {
  return audit::Entry{now,
                      actor.user_id,
                      actor.AuditRole(),
                      std::move(action),
                      patient_id,
                      std::move(resource_type),
                      std::to_string(resource_id),
                      std::move(reason),
                      meta.request_id};
}

bool IsActiveOn(const Doctor& d, const std::string& today) {
  return d.status == "active" && d.licence_expires_on >= today;
}

// The media type without parameters, lower-case: "image/png; x=y" -> "image/png".
std::string BareType(std::string_view t) {
  const auto semi = t.find(';');
  std::string out = text::LowerAscii(t.substr(0, semi));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

DirectoryService::DirectoryService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                                   Config config)
    : db_(db), clock_(clock), accounts_(accounts), config_(config), uploads_(config.uploads_per_hour, 3600LL * 1000) {}

Result<std::optional<Department>> DirectoryService::FindDepartment(store::Tx& tx, const std::string& code) {
  return repo::FindDepartment(tx, code);
}

Result<std::optional<FileMeta>> DirectoryService::FindUpload(store::Tx& tx, std::int64_t id) {
  return repo::FindUpload(tx, id);
}

Result<std::string> DirectoryService::ReadBlob(store::Tx& tx, const std::string& sha256) {
  return repo::ReadBlob(tx, sha256);
}

Result<std::int64_t> DirectoryService::CountPractising(store::Tx& tx, const std::string& department_code,
                                                       const std::string& today, std::int64_t except_user,
                                                       bool volunteers_only) {
  return repo::CountPractising(tx, department_code, today, except_user, volunteers_only);
}

Status DirectoryService::RecordRating(store::Tx& tx, std::int64_t practitioner_id, int stars) {
  if (stars < 1 || stars > 5) return ValidationFailed({{"stars", "out_of_range"}});
  return repo::AddRating(tx, practitioner_id, stars);
}

void DirectoryService::SetSuspensionHooks(SuspendHook on_suspend, ReinstateHook on_reinstate) {
  on_suspend_ = std::move(on_suspend);
  on_reinstate_ = std::move(on_reinstate);
}

std::string DirectoryService::Today() const { return CivilDateCst(clock_.NowMs()); }

Result<std::vector<Department>> DirectoryService::Departments(std::optional<std::int64_t> hospital_id) {
  return db_.With<std::vector<Department>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Department>> {
    if (hospital_id) {
      auto h = repo::FindHospital(tx, *hospital_id);
      if (!h) return h.error();
      if (!*h) return MakeError(Errc::not_found, "not_found");
    }
    return repo::Departments(tx, hospital_id, Today());
  });
}

Result<std::vector<Hospital>> DirectoryService::Hospitals() {
  return db_.With<std::vector<Hospital>>(store::TxMode::read, [](store::Tx& tx) { return repo::Hospitals(tx); });
}

Result<Hospital> DirectoryService::GetHospital(std::int64_t id) {
  return db_.With<Hospital>(store::TxMode::read, [&](store::Tx& tx) -> Result<Hospital> {
    auto h = repo::FindHospital(tx, id);
    if (!h) return h.error();
    if (!*h) return MakeError(Errc::not_found, "not_found");
    return std::move(**h);
  });
}

namespace {

// Every code must be in the catalogue; duplicates are dropped.
Result<std::vector<std::string>> CheckedDepartments(store::Tx& tx, std::vector<std::string> codes) {
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  for (const auto& c : codes) {
    auto d = repo::FindDepartment(tx, c);
    if (!d) return d.error();
    if (!*d) return ValidationFailed({{"departments", "department_unknown"}});
  }
  return codes;
}

}  // namespace

Result<Hospital> DirectoryService::CreateHospital(const Principal& admin, const HospitalInput& in,
                                                  const RequestMeta& meta) {
  std::vector<FieldError> errs;
  Check(errs, "region_code", CheckRegionCode(in.region_code));
  Check(errs, "licence_number", CheckHospitalLicence(in.licence_number));
  if (in.general_price_fen < 0 || in.general_price_fen > kMaxPriceFen)
    errs.push_back({"general_price_fen", "out_of_range"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  auto h = db_.With<Hospital>(store::TxMode::write, [&](store::Tx& tx) -> Result<Hospital> {
    auto codes = CheckedDepartments(tx, in.departments);
    if (!codes) return codes.error();
    auto taken = repo::HospitalExists(tx, in.name, in.licence_number);
    if (!taken) return taken.error();
    if (*taken) return MakeError(Errc::conflict, "hospital_exists");
    HospitalInput clean = in;
    clean.departments = *codes;
    auto id = repo::InsertHospital(tx, clean, admin.user_id, clock_.NowMs());
    if (!id) return id.error();
    if (auto st =
            audit::Append(tx, audit::Entry{clock_.NowMs(), admin.user_id, admin.AuditRole(), "hospital.create",
                                           std::nullopt, "Organization", std::to_string(*id), "", meta.request_id});
        !st)
      return st.error();
    auto h = repo::FindHospital(tx, *id);
    if (!h) return h.error();
    return std::move(**h);
  });
  if (!h && h.error().code == "unique_violation") return MakeError(Errc::conflict, "hospital_exists");
  return h;
}

Result<Hospital> DirectoryService::SetHospitalDepartments(const Principal& admin, std::int64_t id,
                                                          const std::vector<std::string>& codes,
                                                          const RequestMeta& meta) {
  return db_.With<Hospital>(store::TxMode::write, [&](store::Tx& tx) -> Result<Hospital> {
    auto h = repo::FindHospital(tx, id);
    if (!h) return h.error();
    if (!*h) return MakeError(Errc::not_found, "not_found");
    auto clean = CheckedDepartments(tx, codes);
    if (!clean) return clean.error();
    // A department with practitioners or pending applications stays: suspend or review them first.
    for (const auto& old : (*h)->departments) {
      if (std::find(clean->begin(), clean->end(), old) != clean->end()) continue;
      auto used = repo::DepartmentInUse(tx, id, old);
      if (!used) return used.error();
      if (*used) return MakeError(Errc::conflict, "department_in_use");
    }
    if (auto st = repo::SetHospitalDepartments(tx, id, *clean); !st) return st.error();
    if (auto st =
            audit::Append(tx, audit::Entry{clock_.NowMs(), admin.user_id, admin.AuditRole(), "hospital.departments",
                                           std::nullopt, "Organization", std::to_string(id), "", meta.request_id});
        !st)
      return st.error();
    auto again = repo::FindHospital(tx, id);
    if (!again) return again.error();
    return std::move(**again);
  });
}

Result<FileMeta> DirectoryService::Upload(const Principal& actor, const std::string& declared_type,
                                          const std::string& bytes, const std::string& file_name) {
  if (bytes.empty()) return MakeError(Errc::invalid_argument, "file_empty");
  const auto sniffed = SniffContentType(bytes);
  if (!sniffed) return MakeError(Errc::unsupported_media, "file_type_unsupported");
  const std::string declared = BareType(declared_type);
  if (!declared.empty() && declared != "application/octet-stream" && declared != *sniffed)
    return MakeError(Errc::unsupported_media, "file_type_mismatch");
  if (auto wait = uploads_.Attempt("user:" + std::to_string(actor.user_id), clock_.NowMs())) {
    Error e = MakeError(Errc::rate_limited, "too_many_uploads");
    e.retry_after_s = static_cast<int>((*wait + 999) / 1000);
    return e;
  }
  const std::string sha = crypto::Sha256Hex(bytes);
  return db_.With<FileMeta>(store::TxMode::write, [&](store::Tx& tx) -> Result<FileMeta> {
    auto id = repo::InsertUpload(tx, actor.user_id, sha, *sniffed, bytes, file_name, clock_.NowMs());
    if (!id) return id.error();
    auto meta = repo::FindUpload(tx, *id);
    if (!meta) return meta.error();
    return std::move(**meta);
  });
}

Result<std::pair<FileMeta, std::string>> DirectoryService::ReadFile(const Principal& actor, std::int64_t id,
                                                                    const RequestMeta& meta) {
  using Out = std::pair<FileMeta, std::string>;
  const bool admin = actor.Has("admin");
  return db_.With<Out>(admin ? store::TxMode::write : store::TxMode::read, [&](store::Tx& tx) -> Result<Out> {
    auto f = repo::FindUpload(tx, id);
    if (!f) return f.error();
    if (!*f) return MakeError(Errc::not_found, "not_found");
    if ((*f)->owner_id != actor.user_id) {
      if (!admin) return MakeError(Errc::not_found, "not_found");
      // Admins see other people's files only as part of reviewing an application to practise.
      auto app = repo::ApplicationCitingUpload(tx, id);
      if (!app) return app.error();
      if (!*app) return MakeError(Errc::not_found, "not_found");
      if (auto st = audit::Append(tx, AuditEntry(clock_.NowMs(), actor, "file.read", (*f)->owner_id, "Upload", id,
                                                 "practitioner application " + std::to_string(**app), meta));
          !st)
        return st.error();
    }
    auto bytes = repo::ReadBlob(tx, (*f)->sha256);
    if (!bytes) return bytes.error();
    return Out{std::move(**f), std::move(*bytes)};
  });
}

Result<Application> DirectoryService::Apply(const Principal& actor, const ApplicationInput& in,
                                            const RequestMeta& meta) {
  std::vector<FieldError> errs;
  Check(errs, "licence_number", CheckPractitionerLicence(in.licence_number, in.title));
  Check(errs, "years_practice", CheckYearsPractice(in.years_practice));
  auto app = db_.With<Application>(store::TxMode::write, [&](store::Tx& tx) -> Result<Application> {
    auto h = repo::FindHospital(tx, in.hospital_id);
    if (!h) return h.error();
    if (!*h) {
      errs.push_back({"hospital_id", "hospital_unknown"});
    } else if (std::find((*h)->departments.begin(), (*h)->departments.end(), in.department_code) ==
               (*h)->departments.end()) {
      errs.push_back({"department_code", "department_not_offered"});
    } else {
      auto d = repo::FindDepartment(tx, in.department_code);
      if (!d) return d.error();
      Check(errs, "title", CheckTitleForDepartment(in.title, *d && (*d)->counselling));
    }
    const std::pair<const char*, std::int64_t> certs[] = {{"id_card_upload", in.id_card_upload},
                                                          {"licence_upload", in.licence_upload},
                                                          {"qualification_upload", in.qualification_upload},
                                                          {"title_upload", in.title_upload},
                                                          {"photo_upload", in.photo_upload.value_or(0)}};
    std::vector<std::int64_t> seen;
    for (const auto& [field, upload] : certs) {
      if (upload == 0) continue;  // only the optional photo can be absent (the reader requires the rest)
      if (std::find(seen.begin(), seen.end(), upload) != seen.end()) {
        errs.push_back({field, "upload_reused"});  // e.g. the ID card offered as the public photo
        continue;
      }
      seen.push_back(upload);
      auto f = repo::FindUpload(tx, upload);
      if (!f) return f.error();
      if (!*f || (*f)->owner_id != actor.user_id) {
        errs.push_back({field, "upload_unknown"});
      } else if (std::string_view(field) == "photo_upload" && (*f)->content_type == "application/pdf") {
        errs.push_back({field, "photo_not_image"});
      } else if ((*f)->content_type.rfind("audio/", 0) == 0) {
        errs.push_back({field, "certificate_not_document"});  // a voice clip is no certificate
      }
    }
    if (!errs.empty()) return ValidationFailed(std::move(errs));
    auto existing = repo::PractitionerIdOfUser(tx, actor.user_id);
    if (!existing) return existing.error();
    if (*existing) return MakeError(Errc::conflict, "already_practitioner");
    auto pending = repo::HasPendingApplication(tx, actor.user_id);
    if (!pending) return pending.error();
    if (*pending) return MakeError(Errc::conflict, "application_pending");
    auto id = repo::InsertApplication(tx, actor.user_id, in, clock_.NowMs());
    if (!id) return id.error();
    auto a = repo::FindApplication(tx, *id);
    if (!a) return a.error();
    return std::move(**a);
  });
  (void)meta;
  if (!app && app.error().code == "unique_violation") return MakeError(Errc::conflict, "application_pending");
  return app;
}

Result<std::vector<Application>> DirectoryService::MyApplications(const Principal& actor) {
  return db_.With<std::vector<Application>>(store::TxMode::read,
                                            [&](store::Tx& tx) { return repo::ApplicationsOfUser(tx, actor.user_id); });
}

Result<std::vector<Application>> DirectoryService::Applications(const Principal& admin, const std::string& status,
                                                                const RequestMeta& meta) {
  return db_.With<std::vector<Application>>(
      store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<Application>> {
        auto apps = repo::ApplicationsByStatus(tx, status, 200);
        if (!apps) return apps.error();
        for (const auto& a : *apps)
          if (auto st = audit::Append(tx, AuditEntry(clock_.NowMs(), admin, "practitioner_application.list", a.user_id,
                                                     "PractitionerApplication", a.id, "practitioner review", meta));
              !st)
            return st.error();
        return apps;
      });
}

Result<Application> DirectoryService::ReadApplication(const Principal& admin, std::int64_t id,
                                                      const RequestMeta& meta) {
  return db_.With<Application>(store::TxMode::write, [&](store::Tx& tx) -> Result<Application> {
    auto a = repo::FindApplication(tx, id);
    if (!a) return a.error();
    if (!*a) return MakeError(Errc::not_found, "not_found");
    if (auto st = audit::Append(tx, AuditEntry(clock_.NowMs(), admin, "practitioner_application.read", (*a)->user_id,
                                               "PractitionerApplication", id, "practitioner review", meta));
        !st)
      return st.error();
    return std::move(**a);
  });
}

Result<Application> DirectoryService::Approve(const Principal& admin, std::int64_t id,
                                              const std::string& licence_expires_on, const RequestMeta& meta) {
  const std::string today = Today();
  if (auto code = CheckExpiry(licence_expires_on, today); !code.empty())
    return ValidationFailed({{"licence_expires_on", code}});
  auto app = db_.With<Application>(store::TxMode::write, [&](store::Tx& tx) -> Result<Application> {
    auto a = repo::FindApplication(tx, id);
    if (!a) return a.error();
    if (!*a) return MakeError(Errc::not_found, "not_found");
    if ((*a)->status != "pending") return MakeError(Errc::conflict, "application_not_pending");
    auto h = repo::FindHospital(tx, (*a)->in.hospital_id);
    if (!h) return h.error();
    if (!*h || std::find((*h)->departments.begin(), (*h)->departments.end(), (*a)->in.department_code) ==
                   (*h)->departments.end())
      return MakeError(Errc::conflict, "department_not_offered");
    auto existing = repo::PractitionerIdOfUser(tx, (*a)->user_id);
    if (!existing) return existing.error();
    if (*existing) return MakeError(Errc::conflict, "already_practitioner");
    auto licence = repo::LicenceNumberTaken(tx, (*a)->in.licence_number);
    if (!licence) return licence.error();
    if (*licence) return MakeError(Errc::conflict, "licence_number_taken");
    const std::int64_t now = clock_.NowMs();
    auto moved = repo::ReviewApplication(tx, id, "approved", "", admin.user_id, now);
    if (!moved) return moved.error();
    if (!*moved) return MakeError(Errc::conflict, "application_not_pending");
    const Application& ap = **a;
    const std::string search = SearchText({ap.user_name, ap.hospital_name, ap.department.name_zh, ap.department.name_en,
                                           ap.in.practice_scope, ap.in.specialties});
    auto pid = repo::InsertPractitioner(tx, ap, licence_expires_on, search, now);
    if (!pid) return pid.error();
    if (auto st = accounts_.GrantRoleIn(tx, ap.user_id, "doctor", admin.user_id, now); !st) return st.error();
    if (auto st = audit::Append(
            tx, AuditEntry(now, admin, "practitioner.approve", ap.user_id, "PractitionerApplication", id, "", meta));
        !st)
      return st.error();
    auto done = repo::FindApplication(tx, id);
    if (!done) return done.error();
    return std::move(**done);
  });
  if (!app && app.error().code == "unique_violation") return MakeError(Errc::conflict, "licence_number_taken");
  if (app && on_roles_changed_) on_roles_changed_(app->user_id);
  return app;
}

Result<Application> DirectoryService::Reject(const Principal& admin, std::int64_t id, const std::string& reason,
                                             const RequestMeta& meta) {
  return db_.With<Application>(store::TxMode::write, [&](store::Tx& tx) -> Result<Application> {
    auto a = repo::FindApplication(tx, id);
    if (!a) return a.error();
    if (!*a) return MakeError(Errc::not_found, "not_found");
    auto moved = repo::ReviewApplication(tx, id, "rejected", reason, admin.user_id, clock_.NowMs());
    if (!moved) return moved.error();
    if (!*moved) return MakeError(Errc::conflict, "application_not_pending");
    if (auto st = audit::Append(tx, AuditEntry(clock_.NowMs(), admin, "practitioner.reject", (*a)->user_id,
                                               "PractitionerApplication", id, reason, meta));
        !st)
      return st.error();
    auto done = repo::FindApplication(tx, id);
    if (!done) return done.error();
    return std::move(**done);
  });
}

Result<std::vector<Doctor>> DirectoryService::Practitioners(const Principal&, const std::string& status,
                                                            const std::string& q) {
  return db_.With<std::vector<Doctor>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::AllPractitioners(tx, status, q, clock_.NowMs()); });
}

Result<Doctor> DirectoryService::Suspend(const Principal& admin, std::int64_t id, const std::string& reason,
                                         const RequestMeta& meta) {
  return db_.With<Doctor>(store::TxMode::write, [&](store::Tx& tx) -> Result<Doctor> {
    const std::int64_t now = clock_.NowMs();
    auto d = repo::FindDoctor(tx, id, now);
    if (!d) return d.error();
    if (!*d) return MakeError(Errc::not_found, "not_found");
    if ((*d)->status == "suspended") return MakeError(Errc::conflict, "already_suspended");
    if (auto ok = repo::SetPractitionerStatus(tx, id, "suspended", reason, now); !ok) return ok.error();
    int cancelled = 0;
    if (on_suspend_) {
      auto n = on_suspend_(tx, id, now);
      if (!n) return n.error();
      cancelled = *n;
    }
    if (auto st =
            audit::Append(tx, AuditEntry(now, admin, "practitioner.suspend", (*d)->user_id, "Practitioner", id,
                                         reason + " (" + std::to_string(cancelled) + " appointments cancelled)", meta));
        !st)
      return st.error();
    auto again = repo::FindDoctor(tx, id, now);
    if (!again) return again.error();
    return std::move(**again);
  });
}

Result<Doctor> DirectoryService::Reinstate(const Principal& admin, std::int64_t id, const std::string& reason,
                                           const RequestMeta& meta) {
  return db_.With<Doctor>(store::TxMode::write, [&](store::Tx& tx) -> Result<Doctor> {
    const std::int64_t now = clock_.NowMs();
    auto d = repo::FindDoctor(tx, id, now);
    if (!d) return d.error();
    if (!*d) return MakeError(Errc::not_found, "not_found");
    if ((*d)->status != "suspended") return MakeError(Errc::conflict, "not_suspended");
    if (auto ok = repo::SetPractitionerStatus(tx, id, "active", "", now); !ok) return ok.error();
    if (on_reinstate_)
      if (auto st = on_reinstate_(tx, id, now); !st) return st.error();
    if (auto st = audit::Append(
            tx, AuditEntry(now, admin, "practitioner.reinstate", (*d)->user_id, "Practitioner", id, reason, meta));
        !st)
      return st.error();
    auto again = repo::FindDoctor(tx, id, now);
    if (!again) return again.error();
    return std::move(**again);
  });
}

Result<DoctorPage> DirectoryService::SearchDoctors(const DoctorQuery& q) {
  return db_.With<DoctorPage>(store::TxMode::read,
                              [&](store::Tx& tx) { return repo::SearchDoctors(tx, q, Today(), clock_.NowMs()); });
}

Result<Doctor> DirectoryService::PublicDoctor(std::int64_t id) {
  const std::string today = Today();
  return db_.With<Doctor>(store::TxMode::read, [&](store::Tx& tx) -> Result<Doctor> {
    auto d = repo::FindDoctor(tx, id, clock_.NowMs());
    if (!d) return d.error();
    if (!*d || !IsActiveOn(**d, today)) return MakeError(Errc::not_found, "not_found");
    return std::move(**d);
  });
}

Result<std::pair<FileMeta, std::string>> DirectoryService::DoctorPhoto(std::int64_t id) {
  using Out = std::pair<FileMeta, std::string>;
  const std::string today = Today();
  return db_.With<Out>(store::TxMode::read, [&](store::Tx& tx) -> Result<Out> {
    auto d = repo::FindDoctor(tx, id, clock_.NowMs());
    if (!d) return d.error();
    if (!*d || !IsActiveOn(**d, today) || !(*d)->has_photo) return MakeError(Errc::not_found, "not_found");
    auto photo = repo::PhotoUploadOf(tx, id);
    if (!photo) return photo.error();
    if (!*photo) return MakeError(Errc::not_found, "not_found");
    auto f = repo::FindUpload(tx, **photo);
    if (!f) return f.error();
    if (!*f) return MakeError(Errc::not_found, "not_found");
    auto bytes = repo::ReadBlob(tx, (*f)->sha256);
    if (!bytes) return bytes.error();
    return Out{std::move(**f), std::move(*bytes)};
  });
}

Result<Doctor> DirectoryService::MyPractitioner(const Principal& actor) {
  return db_.With<Doctor>(store::TxMode::read, [&](store::Tx& tx) -> Result<Doctor> {
    auto pid = repo::PractitionerIdOfUser(tx, actor.user_id);
    if (!pid) return pid.error();
    if (!*pid) return MakeError(Errc::not_found, "not_found");
    auto d = repo::FindDoctor(tx, **pid, clock_.NowMs());
    if (!d) return d.error();
    return std::move(**d);
  });
}

}  // namespace ihos::domain::directory
