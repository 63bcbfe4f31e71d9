#include "domain/directory/repository.hpp"

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "store/value.hpp"

namespace ihos::domain::directory::repo {
namespace {

constexpr const char* kAppSelect =
    "SELECT a.id, a.user_id, u.real_name, a.hospital_id, h.name, a.department_code, d.name_zh, d.name_en, "
    "d.counselling, a.title, a.practice_scope, a.licence_number, a.years_practice, a.introduction, a.specialties, "
    "a.free_clinic, a.id_card_upload, a.licence_upload, a.qualification_upload, a.title_upload, a.photo_upload, "
    "a.status, a.review_reason, a.reviewed_at, a.created_at, p.id "
    "FROM practitioner_applications a JOIN users u ON u.id = a.user_id JOIN hospitals h ON h.id = a.hospital_id "
    "JOIN departments d ON d.code = a.department_code "
    "LEFT JOIN practitioners p ON p.application_id = a.id ";

Application ToApplication(const store::Row& r) {
  Application a;
  a.id = r.Int(0);
  a.user_id = r.Int(1);
  a.user_name = r.Text(2);
  a.in.hospital_id = r.Int(3);
  a.hospital_name = r.Text(4);
  a.in.department_code = r.Text(5);
  a.department = Department{r.Text(5), r.Text(6), r.Text(7), r.Int(8) != 0, 0};
  a.in.title = r.Text(9);
  a.in.practice_scope = r.Text(10);
  a.in.licence_number = r.Text(11);
  a.in.years_practice = r.Int(12);
  a.in.introduction = r.Text(13);
  a.in.specialties = r.Text(14);
  a.in.free_clinic = r.Int(15) != 0;
  a.in.id_card_upload = r.Int(16);
  a.in.licence_upload = r.Int(17);
  a.in.qualification_upload = r.Int(18);
  a.in.title_upload = r.Int(19);
  a.in.photo_upload = r.OptInt(20);
  a.status = r.Text(21);
  a.review_reason = r.Text(22);
  a.reviewed_at = r.OptInt(23);
  a.created_at = r.Int(24);
  a.practitioner_id = r.OptInt(25);
  return a;
}

Result<std::vector<Application>> Applications(Result<store::Rows> rows) {
  if (!rows) return rows.error();
  std::vector<Application> out;
  for (const auto& r : *rows) out.push_back(ToApplication(r));
  return out;
}

// $1 = now (ms) for the next free slot.
constexpr const char* kDoctorSelect =
    "SELECT p.id, p.user_id, u.real_name, p.title, p.hospital_id, h.name, h.grade, d.code, d.name_zh, d.name_en, "
    "d.counselling, p.practice_scope, p.licence_number, p.licence_expires_on, p.years_practice, p.introduction, "
    "p.specialties, p.free_clinic, p.photo_upload, p.rating_sum, p.rating_count, p.status, p.status_reason, "
    "ns.id, ns.service, ns.start_at, ns.price_fen "
    "FROM practitioners p JOIN users u ON u.id = p.user_id JOIN hospitals h ON h.id = p.hospital_id "
    "JOIN departments d ON d.code = p.department_code "
    "LEFT JOIN slots ns ON ns.id = (SELECT s.id FROM slots s WHERE s.practitioner_id = p.id AND s.status = 'open' "
    "AND s.booked < s.capacity AND s.start_at > $1 ORDER BY s.start_at, s.id LIMIT 1) ";

Doctor ToDoctor(const store::Row& r) {
  Doctor d;
  d.id = r.Int(0);
  d.user_id = r.Int(1);
  d.name = r.Text(2);
  d.title = r.Text(3);
  d.hospital_id = r.Int(4);
  d.hospital_name = r.Text(5);
  d.hospital_grade = r.Text(6);
  d.department = Department{r.Text(7), r.Text(8), r.Text(9), r.Int(10) != 0, 0};
  d.practice_scope = r.Text(11);
  d.licence_number = r.Text(12);
  d.licence_expires_on = r.Text(13);
  d.years_practice = r.Int(14);
  d.introduction = r.Text(15);
  d.specialties = r.Text(16);
  d.free_clinic = r.Int(17) != 0;
  d.has_photo = !r.IsNull(18);
  d.rating_sum = r.Int(19);
  d.rating_count = r.Int(20);
  d.status = r.Text(21);
  d.status_reason = r.Text(22);
  if (!r.IsNull(23)) d.next_free = NextFree{r.Int(23), r.Text(24), r.Int(25), r.Int(26)};
  return d;
}

Result<std::vector<Doctor>> Doctors(Result<store::Rows> rows) {
  if (!rows) return rows.error();
  std::vector<Doctor> out;
  for (const auto& r : *rows) out.push_back(ToDoctor(r));
  return out;
}

// LIKE pattern for a fragment: %, _ and \ are matched literally (ESCAPE '\').
std::string ContainsPattern(const std::string& q) {
  std::string p = "%";
  for (char c : text::LowerAscii(q)) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

}  // namespace

Result<std::vector<Department>> Departments(store::Tx& tx, std::optional<std::int64_t> hospital_id,
                                            const std::string& today) {
  Result<store::Rows> rows =
      hospital_id ? tx.Query(
                        "SELECT d.code, d.name_zh, d.name_en, d.counselling, "
                        "(SELECT COUNT(*) FROM practitioners p WHERE p.department_code = d.code AND p.hospital_id = $1 "
                        "AND p.status = 'active' AND p.licence_expires_on >= $2) "
                        "FROM departments d JOIN hospital_departments hd ON hd.department_code = d.code "
                        "WHERE hd.hospital_id = $1 ORDER BY d.sort_order",
                        {*hospital_id, today})
                  : tx.Query(
                        "SELECT d.code, d.name_zh, d.name_en, d.counselling, "
                        "(SELECT COUNT(*) FROM practitioners p WHERE p.department_code = d.code "
                        "AND p.status = 'active' AND p.licence_expires_on >= $1) "
                        "FROM departments d ORDER BY d.sort_order",
                        {today});
  if (!rows) return rows.error();
  std::vector<Department> out;
  for (const auto& r : *rows) out.push_back(Department{r.Text(0), r.Text(1), r.Text(2), r.Int(3) != 0, r.Int(4)});
  return out;
}

Result<std::optional<Department>> FindDepartment(store::Tx& tx, const std::string& code) {
  auto rows = tx.Query("SELECT code, name_zh, name_en, counselling FROM departments WHERE code = $1", {code});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Department>();
  const auto& r = (*rows)[0];
  return std::optional<Department>(Department{r.Text(0), r.Text(1), r.Text(2), r.Int(3) != 0, 0});
}

Result<std::int64_t> InsertHospital(store::Tx& tx, const HospitalInput& in, std::int64_t by, std::int64_t at) {
  auto rows = tx.Query(
      "INSERT INTO hospitals (name, grade, address, region_code, licence_number, general_price_fen, created_by, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      {in.name, in.grade, in.address, in.region_code, in.licence_number, in.general_price_fen, by, at});
  if (!rows) return rows.error();
  const std::int64_t id = (*rows)[0].Int(0);
  if (auto st = SetHospitalDepartments(tx, id, in.departments); !st) return st.error();
  return id;
}

Result<std::vector<Hospital>> Hospitals(store::Tx& tx) {
  auto rows = tx.Query(
      "SELECT h.id, h.name, h.grade, h.address, h.region_code, h.licence_number, h.general_price_fen, h.created_at, "
      "hd.department_code FROM hospitals h LEFT JOIN hospital_departments hd ON hd.hospital_id = h.id "
      "LEFT JOIN departments d ON d.code = hd.department_code ORDER BY h.name, h.id, d.sort_order");
  if (!rows) return rows.error();
  std::vector<Hospital> out;
  for (const auto& r : *rows) {
    if (out.empty() || out.back().id != r.Int(0))
      out.push_back(Hospital{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6), {}, r.Int(7)});
    if (!r.IsNull(8)) out.back().departments.push_back(r.Text(8));
  }
  return out;
}

Result<std::optional<Hospital>> FindHospital(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(
      "SELECT h.id, h.name, h.grade, h.address, h.region_code, h.licence_number, h.general_price_fen, h.created_at, "
      "hd.department_code FROM hospitals h LEFT JOIN hospital_departments hd ON hd.hospital_id = h.id "
      "LEFT JOIN departments d ON d.code = hd.department_code WHERE h.id = $1 ORDER BY d.sort_order",
      {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Hospital>();
  const auto& f = (*rows)[0];
  Hospital h{f.Int(0), f.Text(1), f.Text(2), f.Text(3), f.Text(4), f.Text(5), f.Int(6), {}, f.Int(7)};
  for (const auto& r : *rows)
    if (!r.IsNull(8)) h.departments.push_back(r.Text(8));
  return std::optional<Hospital>(std::move(h));
}

Status SetHospitalDepartments(store::Tx& tx, std::int64_t hospital_id, const std::vector<std::string>& codes) {
  if (auto n = tx.Exec("DELETE FROM hospital_departments WHERE hospital_id = $1", {hospital_id}); !n) return n.error();
  for (const auto& c : codes) {
    auto n = tx.Exec(
        "INSERT INTO hospital_departments (hospital_id, department_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        {hospital_id, c});
    if (!n) return n.error();
  }
  return {};
}

Result<std::int64_t> InsertUpload(store::Tx& tx, std::int64_t owner_id, const std::string& sha256,
                                  const std::string& content_type, const std::string& bytes,
                                  const std::string& file_name, std::int64_t at) {
  auto n = tx.Exec(
      "INSERT INTO blobs (sha256, content_type, size, data, created_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (sha256) DO NOTHING",
      {sha256, content_type, static_cast<std::int64_t>(bytes.size()), crypto::Base64Encode(bytes), at});
  if (!n) return n.error();
  auto rows =
      tx.Query("INSERT INTO uploads (owner_id, sha256, file_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
               {owner_id, sha256, file_name, at});
  if (!rows) return rows.error();
  return (*rows)[0].Int(0);
}

Result<std::optional<FileMeta>> FindUpload(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(
      "SELECT u.id, u.owner_id, u.sha256, b.content_type, b.size, u.file_name, u.created_at "
      "FROM uploads u JOIN blobs b ON b.sha256 = u.sha256 WHERE u.id = $1",
      {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<FileMeta>();
  const auto& r = (*rows)[0];
  return std::optional<FileMeta>(FileMeta{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5), r.Int(6)});
}

Result<std::string> ReadBlob(store::Tx& tx, const std::string& sha256) {
  auto rows = tx.Query("SELECT data FROM blobs WHERE sha256 = $1", {sha256});
  if (!rows) return rows.error();
  if (rows->empty()) return MakeError(Errc::not_found, "not_found");
  auto bytes = crypto::Base64Decode((*rows)[0].Text(0));
  if (!bytes) return MakeError(Errc::internal, "database_error", "blob is not base64");
  return std::move(*bytes);
}

Result<std::int64_t> InsertApplication(store::Tx& tx, std::int64_t user_id, const ApplicationInput& in,
                                       std::int64_t at) {
  auto rows = tx.Query(
      "INSERT INTO practitioner_applications (user_id, hospital_id, department_code, title, practice_scope, "
      "licence_number, years_practice, introduction, specialties, free_clinic, id_card_upload, licence_upload, "
      "qualification_upload, title_upload, photo_upload, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
      {user_id, in.hospital_id, in.department_code, in.title, in.practice_scope, in.licence_number, in.years_practice,
       in.introduction, in.specialties, std::int64_t{in.free_clinic ? 1 : 0}, in.id_card_upload, in.licence_upload,
       in.qualification_upload, in.title_upload, store::OrNull(in.photo_upload), at});
  if (!rows) return rows.error();
  return (*rows)[0].Int(0);
}

Result<std::optional<Application>> FindApplication(store::Tx& tx, std::int64_t id) {
  auto apps = Applications(tx.Query(std::string(kAppSelect) + "WHERE a.id = $1", {id}));
  if (!apps) return apps.error();
  if (apps->empty()) return std::optional<Application>();
  return std::optional<Application>(std::move(apps->front()));
}

Result<std::vector<Application>> ApplicationsByStatus(store::Tx& tx, const std::string& status, int limit) {
  return Applications(
      tx.Query(std::string(kAppSelect) + "WHERE (a.status = $1 OR $1 = '') ORDER BY a.created_at, a.id LIMIT $2",
               {status, std::int64_t{limit}}));
}

Result<std::vector<Application>> ApplicationsOfUser(store::Tx& tx, std::int64_t user_id) {
  return Applications(
      tx.Query(std::string(kAppSelect) + "WHERE a.user_id = $1 ORDER BY a.created_at DESC, a.id DESC", {user_id}));
}

Result<bool> ReviewApplication(store::Tx& tx, std::int64_t id, const std::string& status, const std::string& reason,
                               std::int64_t by, std::int64_t at) {
  auto n = tx.Exec(
      "UPDATE practitioner_applications SET status = $2, review_reason = $3, reviewed_by = $4, reviewed_at = $5 "
      "WHERE id = $1 AND status = 'pending'",
      {id, status, reason, by, at});
  if (!n) return n.error();
  return *n == 1;
}

Result<std::int64_t> InsertPractitioner(store::Tx& tx, const Application& a, const std::string& licence_expires_on,
                                        const std::string& search_text, std::int64_t at) {
  auto rows = tx.Query(
      "INSERT INTO practitioners (user_id, application_id, hospital_id, department_code, title, practice_scope, "
      "licence_number, licence_expires_on, years_practice, introduction, specialties, free_clinic, photo_upload, "
      "search_text, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
      {a.user_id, a.id, a.in.hospital_id, a.in.department_code, a.in.title, a.in.practice_scope, a.in.licence_number,
       licence_expires_on, a.in.years_practice, a.in.introduction, a.in.specialties,
       std::int64_t{a.in.free_clinic ? 1 : 0}, store::OrNull(a.in.photo_upload), search_text, at});
  if (!rows) return rows.error();
  return (*rows)[0].Int(0);
}

Result<std::optional<std::int64_t>> PractitionerIdOfUser(store::Tx& tx, std::int64_t user_id) {
  auto rows = tx.Query("SELECT id FROM practitioners WHERE user_id = $1", {user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>((*rows)[0].Int(0));
}

Result<std::optional<Doctor>> FindDoctor(store::Tx& tx, std::int64_t id, std::int64_t now_ms) {
  auto ds = Doctors(tx.Query(std::string(kDoctorSelect) + "WHERE p.id = $2", {now_ms, id}));
  if (!ds) return ds.error();
  if (ds->empty()) return std::optional<Doctor>();
  return std::optional<Doctor>(std::move(ds->front()));
}

Result<DoctorPage> SearchDoctors(store::Tx& tx, const DoctorQuery& q, const std::string& today, std::int64_t now_ms) {
  // Only the filters asked for go into the statement, so each combination can use its index
  // (at most 32 distinct statements, each prepared once per connection on PostgreSQL).
  store::Params params = {now_ms, today};
  std::string where = "WHERE p.status = 'active' AND p.licence_expires_on >= $2 ";
  auto add = [&](const char* condition, store::Value v) {
    params.push_back(std::move(v));
    where += "AND " + std::string(condition) + " $" + std::to_string(params.size()) + " ";
  };
  if (!q.department.empty()) add("p.department_code =", q.department);
  if (q.hospital_id) add("p.hospital_id =", *q.hospital_id);
  if (!q.title.empty()) add("p.title =", q.title);
  if (q.free_clinic) add("p.free_clinic =", std::int64_t{*q.free_clinic ? 1 : 0});
  if (!q.q.empty()) {
    params.push_back(ContainsPattern(q.q));
    where += "AND p.search_text LIKE $" + std::to_string(params.size()) + " ESCAPE '\\' ";
  }
  std::string order;
  if (q.sort == "rating") {
    order = "ORDER BY CASE WHEN p.rating_count = 0 THEN 0 ELSE p.rating_sum * 1.0 / p.rating_count END DESC, p.id ";
  } else if (q.sort == "title") {
    order =
        "ORDER BY CASE p.title WHEN 'chief_physician' THEN 1 WHEN 'associate_chief_physician' THEN 2 "
        "WHEN 'attending_physician' THEN 3 WHEN 'psychotherapist' THEN 4 ELSE 5 END, p.id ";
  } else {
    order = "ORDER BY CASE WHEN ns.start_at IS NULL THEN 1 ELSE 0 END, ns.start_at, p.id ";
  }
  const std::size_t filters = params.size();
  params.push_back(std::int64_t{q.limit});
  params.push_back(std::int64_t{q.offset});
  auto items = Doctors(tx.Query(std::string(kDoctorSelect) + where + order + "LIMIT $" + std::to_string(filters + 1) +
                                    " OFFSET $" + std::to_string(filters + 2),
                                params));
  if (!items) return items.error();
  // The count needs no next-free join; $1 is still referenced so the parameters line up.
  auto count = tx.Query("SELECT COUNT(*) FROM practitioners p WHERE CAST($1 AS BIGINT) >= 0 AND " + where.substr(6),
                        store::Params(params.begin(), params.begin() + static_cast<std::ptrdiff_t>(filters)));
  if (!count) return count.error();
  return DoctorPage{std::move(*items), (*count)[0].Int(0)};
}

Result<std::vector<Doctor>> AllPractitioners(store::Tx& tx, const std::string& status, const std::string& q,
                                             std::int64_t now_ms) {
  return Doctors(tx.Query(std::string(kDoctorSelect) +
                              "WHERE ($2 = '' OR p.status = $2) AND p.search_text LIKE $3 ESCAPE '\\' "
                              "ORDER BY p.created_at DESC, p.id DESC LIMIT 500",
                          {now_ms, status, ContainsPattern(q)}));
}

Result<bool> SetPractitionerStatus(store::Tx& tx, std::int64_t id, const std::string& status, const std::string& reason,
                                   std::int64_t at) {
  auto n = tx.Exec("UPDATE practitioners SET status = $2, status_reason = $3, updated_at = $4 WHERE id = $1",
                   {id, status, reason, at});
  if (!n) return n.error();
  return *n == 1;
}

Result<bool> HospitalExists(store::Tx& tx, const std::string& name, const std::string& licence_number) {
  auto rows = tx.Query("SELECT id FROM hospitals WHERE name = $1 OR licence_number = $2", {name, licence_number});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<bool> DepartmentInUse(store::Tx& tx, std::int64_t hospital_id, const std::string& department_code) {
  auto rows = tx.Query(
      "SELECT 1 FROM practitioners WHERE hospital_id = $1 AND department_code = $2 AND status = 'active' "
      "UNION ALL SELECT 1 FROM practitioner_applications WHERE hospital_id = $1 AND department_code = $2 "
      "AND status = 'pending'",
      {hospital_id, department_code});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<std::optional<std::int64_t>> ApplicationCitingUpload(store::Tx& tx, std::int64_t upload_id) {
  auto rows = tx.Query(
      "SELECT id FROM practitioner_applications WHERE $1 IN (id_card_upload, licence_upload, "
      "qualification_upload, title_upload, photo_upload) ORDER BY id DESC LIMIT 1",
      {upload_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>((*rows)[0].Int(0));
}

Result<bool> HasPendingApplication(store::Tx& tx, std::int64_t user_id) {
  auto rows = tx.Query("SELECT id FROM practitioner_applications WHERE user_id = $1 AND status = 'pending'", {user_id});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<bool> LicenceNumberTaken(store::Tx& tx, const std::string& licence_number) {
  auto rows = tx.Query("SELECT id FROM practitioners WHERE licence_number = $1", {licence_number});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<std::optional<std::int64_t>> PhotoUploadOf(store::Tx& tx, std::int64_t practitioner_id) {
  auto rows = tx.Query("SELECT photo_upload FROM practitioners WHERE id = $1", {practitioner_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::int64_t>();
  return (*rows)[0].OptInt(0);
}

Result<std::int64_t> CountPractising(store::Tx& tx, const std::string& department_code, const std::string& today,
                                     std::int64_t except_user, bool volunteers_only) {
  auto rows = tx.Query(
      "SELECT COUNT(*) FROM practitioners WHERE department_code = $1 AND (free_clinic = 1 OR $4 = 0) "
      "AND status = 'active' AND licence_expires_on >= $2 AND user_id <> $3",
      {department_code, today, except_user, std::int64_t{volunteers_only ? 1 : 0}});
  if (!rows) return rows.error();
  return (*rows)[0].Int(0);
}

Status AddRating(store::Tx& tx, std::int64_t practitioner_id, int stars) {
  auto n =
      tx.Exec("UPDATE practitioners SET rating_sum = rating_sum + $2, rating_count = rating_count + 1 WHERE id = $1",
              {practitioner_id, std::int64_t{stars}});
  if (!n) return n.error();
  return {};
}

}  // namespace ihos::domain::directory::repo
