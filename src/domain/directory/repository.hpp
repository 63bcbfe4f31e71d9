#pragma once
// Storage of the directory. Implemented in repository.cpp beside this header, the same SQL on
// both backends. All functions run inside the caller's transaction; errors are those of store::Tx.
#include "domain/directory/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::directory::repo {

// The catalogue in display order with active, licence-valid practitioner counts; with a
// hospital, only the departments it runs online and its own practitioners.
Result<std::vector<Department>> Departments(store::Tx& tx, std::optional<std::int64_t> hospital_id,
                                            const std::string& today);
Result<std::optional<Department>> FindDepartment(store::Tx& tx, const std::string& code);

Result<std::int64_t> InsertHospital(store::Tx& tx, const HospitalInput& in, std::int64_t by, std::int64_t at);
// True when a hospital already has this name or licence number.
Result<bool> HospitalExists(store::Tx& tx, const std::string& name, const std::string& licence_number);
// True when an active practitioner or a pending application of the hospital is in the department.
Result<bool> DepartmentInUse(store::Tx& tx, std::int64_t hospital_id, const std::string& department_code);
Result<std::optional<Hospital>> FindHospital(store::Tx& tx, std::int64_t id);
Result<std::vector<Hospital>> Hospitals(store::Tx& tx);
Status SetHospitalDepartments(store::Tx& tx, std::int64_t hospital_id, const std::vector<std::string>& codes);

// Stores the bytes once per content (idempotent) and records the owner's upload of them.
Result<std::int64_t> InsertUpload(store::Tx& tx, std::int64_t owner_id, const std::string& sha256,
                                  const std::string& content_type, const std::string& bytes,
                                  const std::string& file_name, std::int64_t at);
Result<std::optional<FileMeta>> FindUpload(store::Tx& tx, std::int64_t id);
Result<std::string> ReadBlob(store::Tx& tx, const std::string& sha256);

Result<std::int64_t> InsertApplication(store::Tx& tx, std::int64_t user_id, const ApplicationInput& in,
                                       std::int64_t at);
// The newest application citing the upload as one of its documents.
Result<std::optional<std::int64_t>> ApplicationCitingUpload(store::Tx& tx, std::int64_t upload_id);
Result<bool> HasPendingApplication(store::Tx& tx, std::int64_t user_id);
Result<std::optional<Application>> FindApplication(store::Tx& tx, std::int64_t id);
// By status ("" = all) oldest first, or one user's newest first.
Result<std::vector<Application>> ApplicationsByStatus(store::Tx& tx, const std::string& status, int limit);
Result<std::vector<Application>> ApplicationsOfUser(store::Tx& tx, std::int64_t user_id);
// Moves a pending application to `status`; false when it was no longer pending.
Result<bool> ReviewApplication(store::Tx& tx, std::int64_t id, const std::string& status, const std::string& reason,
                               std::int64_t by, std::int64_t at);

Result<std::int64_t> InsertPractitioner(store::Tx& tx, const Application& a, const std::string& licence_expires_on,
                                        const std::string& search_text, std::int64_t at);
Result<bool> LicenceNumberTaken(store::Tx& tx, const std::string& licence_number);
// The practitioner's photo upload id (nullopt when none or no such practitioner).
Result<std::optional<std::int64_t>> PhotoUploadOf(store::Tx& tx, std::int64_t practitioner_id);
// Active practitioners of the department whose licence is valid on `today`, other than user
// `except_user`; only volunteers (free clinic) when `volunteers_only`.
Result<std::int64_t> CountPractising(store::Tx& tx, const std::string& department_code, const std::string& today,
                                     std::int64_t except_user, bool volunteers_only);
// Adds one rating of `stars` to the practitioner's totals.
Status AddRating(store::Tx& tx, std::int64_t practitioner_id, int stars);
Result<std::optional<std::int64_t>> PractitionerIdOfUser(store::Tx& tx, std::int64_t user_id);
// Any practitioner (any status), with the next free slot after now_ms.
Result<std::optional<Doctor>> FindDoctor(store::Tx& tx, std::int64_t id, std::int64_t now_ms);
// Active practitioners whose licence is valid on `today`, filtered and ordered by `q`.
Result<DoctorPage> SearchDoctors(store::Tx& tx, const DoctorQuery& q, const std::string& today, std::int64_t now_ms);
// Admin listing: every practitioner, `status` "" for all, `q` a name/hospital fragment.
Result<std::vector<Doctor>> AllPractitioners(store::Tx& tx, const std::string& status, const std::string& q,
                                             std::int64_t now_ms);
Result<bool> SetPractitionerStatus(store::Tx& tx, std::int64_t id, const std::string& status, const std::string& reason,
                                   std::int64_t at);

}  // namespace ihos::domain::directory::repo
