#pragma once
// The directory: hospitals and their online departments, uploaded files, applications to
// practise, the admin review, and the practitioners patients find. See README.md beside this
// file for the rules and who may do what.
//
// Thread-safe. Every method blocks on the database: call it from the worker pool.
#include <functional>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "domain/accounts/service.hpp"
#include "domain/directory/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::directory {

struct Config {
  int uploads_per_hour = 60;  // per user
};

// Called inside the suspend transaction to cancel the practitioner's future bookings (the
// scheduling capability provides it); returns how many were cancelled.
using SuspendHook = std::function<Result<int>(store::Tx&, std::int64_t practitioner_id, std::int64_t now_ms)>;
using ReinstateHook = std::function<Status(store::Tx&, std::int64_t practitioner_id, std::int64_t now_ms)>;
// Called after the commit that granted a user a role (approval grants "doctor"), so the user's
// cached sessions carry the new role at once (accounts::AccountService::SessionsChanged).
using RolesChangedHook = std::function<void(std::int64_t user_id)>;

class DirectoryService {
 public:
  DirectoryService(store::Database& db, const Clock& clock, accounts::AccountService& accounts, Config config);
  void SetSuspensionHooks(SuspendHook on_suspend, ReinstateHook on_reinstate);
  void SetRolesChangedHook(RolesChangedHook on_roles_changed) { on_roles_changed_ = std::move(on_roles_changed); }

  // Anyone. With a hospital: the departments it runs online. Errors: not_found (hospital).
  Result<std::vector<Department>> Departments(std::optional<std::int64_t> hospital_id);
  Result<std::vector<Hospital>> Hospitals();
  Result<Hospital> GetHospital(std::int64_t id);
  // Admin. Errors: validation_failed (grade, region_code, licence_number, departments,
  // general_price_fen), conflict hospital_exists (name or licence number taken), not_found.
  Result<Hospital> CreateHospital(const Principal& admin, const HospitalInput& in, const RequestMeta& meta);
  Result<Hospital> SetHospitalDepartments(const Principal& admin, std::int64_t id,
                                          const std::vector<std::string>& codes, const RequestMeta& meta);

  // Stores an uploaded file for `actor`. The type is what the bytes are (magic numbers); a
  // declared Content-Type must agree. Errors: invalid_argument file_empty,
  // unsupported_media file_type_unsupported / file_type_mismatch; rate_limited too_many_uploads.
  Result<FileMeta> Upload(const Principal& actor, const std::string& declared_type, const std::string& bytes,
                          const std::string& file_name);
  // The uploader; or an admin, only for a file that is part of an application to practise
  // (audited as a read of the uploader's record, naming the application). Errors: not_found.
  Result<std::pair<FileMeta, std::string>> ReadFile(const Principal& actor, std::int64_t id, const RequestMeta& meta);

  // Any signed-in adult applies to practise. The uploads must be the applicant's own and all
  // different (upload_reused). Errors: validation_failed (fields), conflict
  // application_pending (one pending at a time) / already_practitioner, not_found for a
  // hospital that does not exist.
  Result<Application> Apply(const Principal& actor, const ApplicationInput& in, const RequestMeta& meta);
  Result<std::vector<Application>> MyApplications(const Principal& actor);
  // Admin review queue (status "" = all), oldest first; every listed application is audited as
  // read, and so is reading one.
  Result<std::vector<Application>> Applications(const Principal& admin, const std::string& status,
                                                const RequestMeta& meta);
  Result<Application> ReadApplication(const Principal& admin, std::int64_t id, const RequestMeta& meta);
  // Approve: creates the practitioner and grants the doctor role. Errors: validation_failed
  // (licence_expires_on), conflict application_not_pending / licence_number_taken, not_found.
  Result<Application> Approve(const Principal& admin, std::int64_t id, const std::string& licence_expires_on,
                              const RequestMeta& meta);
  Result<Application> Reject(const Principal& admin, std::int64_t id, const std::string& reason,
                             const RequestMeta& meta);

  Result<std::vector<Doctor>> Practitioners(const Principal& admin, const std::string& status, const std::string& q);
  // Suspension hides the doctor from patients and cancels future bookings (patients are
  // notified). Errors: not_found, conflict already_suspended / not_suspended.
  Result<Doctor> Suspend(const Principal& admin, std::int64_t id, const std::string& reason, const RequestMeta& meta);
  Result<Doctor> Reinstate(const Principal& admin, std::int64_t id, const std::string& reason, const RequestMeta& meta);

  // Patients' view: active practitioners with a valid licence only (others are not_found).
  Result<DoctorPage> SearchDoctors(const DoctorQuery& q);
  Result<Doctor> PublicDoctor(std::int64_t id);
  Result<std::pair<FileMeta, std::string>> DoctorPhoto(std::int64_t id);
  // The signed-in doctor's own practitioner record (any status). Errors: not_found.
  Result<Doctor> MyPractitioner(const Principal& actor);

  // --- for other capabilities, in the caller's transaction `tx` (errors: those of store::Tx) ---
  Result<std::optional<Department>> FindDepartment(store::Tx& tx, const std::string& code);
  // An upload's metadata (owner, type, hash), nullopt when there is none; the caller decides
  // who may use it.
  Result<std::optional<FileMeta>> FindUpload(store::Tx& tx, std::int64_t id);
  Result<std::string> ReadBlob(store::Tx& tx, const std::string& sha256);
  // Practitioners of the department practising on `today` (active, licence valid), other than
  // user `except_user`; only free-clinic volunteers when `volunteers_only`.
  Result<std::int64_t> CountPractising(store::Tx& tx, const std::string& department_code, const std::string& today,
                                       std::int64_t except_user, bool volunteers_only);
  // Records a patient's rating of 1..5 stars in the practitioner's totals (the consultation
  // capability has checked that the patient may rate). Errors: validation_failed stars.
  Status RecordRating(store::Tx& tx, std::int64_t practitioner_id, int stars);

  const Clock& clock() const { return clock_; }

 private:
  std::string Today() const;
  store::Database& db_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
  Config config_;
  RateLimiter uploads_;
  SuspendHook on_suspend_;
  ReinstateHook on_reinstate_;
  RolesChangedHook on_roles_changed_;
};

}  // namespace ihos::domain::directory
