#include "support/practitioner_fixture.hpp"

#include <unistd.h>

#include <atomic>
#include <stdexcept>

#include "core/crypto.hpp"

namespace ihos::testing {
namespace {
std::atomic<int> g_seq{0};

template <class T>
T Must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().code + " " + r.error().detail);
  return std::move(*r);
}
}  // namespace

PractitionerIds InsertPractitioner(store::Database& db, std::int64_t user_id, const PractitionerSpec& spec) {
  const int n = g_seq.fetch_add(1);
  const std::string tag = std::to_string(getpid()) + "-" + std::to_string(n);
  PractitionerIds out;
  auto st = db.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    const std::int64_t now = 1'700'000'000'000;
    out.hospital_id =
        Must(tx.Query("INSERT INTO hospitals (name, grade, address, region_code, licence_number, "
                      "general_price_fen, created_at) VALUES ($1, '3A', '测试路 1 号', '110101', $2, $3, $4) "
                      "RETURNING id",
                      {"测试医院" + tag, "PDY-" + tag, spec.general_price_fen, now}),
             "hospital")
            .front()
            .Int(0);
    Must(tx.Exec("INSERT INTO hospital_departments (hospital_id, department_code) VALUES ($1, $2)",
                 {out.hospital_id, spec.department_code}),
         "hospital department");
    // One blob per test run is enough: uploads only need something to point at.
    const std::string sha(64, 'a');
    Must(tx.Exec("INSERT INTO blobs (sha256, content_type, size, data, created_at) VALUES ($1, 'image/png', 1, 'AA==', "
                 "$2) ON CONFLICT (sha256) DO NOTHING",
                 {sha, now}),
         "blob");
    auto upload = Must(tx.Query("INSERT INTO uploads (owner_id, sha256, file_name, created_at) VALUES ($1, $2, "
                                "'cert.png', $3) RETURNING id",
                                {user_id, sha, now}),
                       "upload")
                      .front()
                      .Int(0);
    const std::string licence = "110" + std::to_string(100000000 + n) + std::to_string(getpid());
    auto app = Must(tx.Query("INSERT INTO practitioner_applications (user_id, hospital_id, department_code, title, "
                             "practice_scope, licence_number, years_practice, free_clinic, id_card_upload, "
                             "licence_upload, qualification_upload, title_upload, status, reviewed_at, created_at) "
                             "VALUES ($1, $2, $3, $4, '内科专业', $5, 8, $6, $7, $7, $7, $7, 'approved', $8, $8) "
                             "RETURNING id",
                             {user_id, out.hospital_id, spec.department_code, spec.title, licence,
                              std::int64_t{spec.free_clinic ? 1 : 0}, upload, now}),
                    "application")
                   .front()
                   .Int(0);
    out.practitioner_id =
        Must(tx.Query("INSERT INTO practitioners (user_id, application_id, hospital_id, department_code, title, "
                      "practice_scope, licence_number, licence_expires_on, years_practice, free_clinic, status, "
                      "search_text, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, '内科专业', $6, $7, 8, $8, "
                      "$9, '', $10, $10) RETURNING id",
                      {user_id, app, out.hospital_id, spec.department_code, spec.title, licence,
                       spec.licence_expires_on, std::int64_t{spec.free_clinic ? 1 : 0}, spec.status, now}),
             "practitioner")
            .front()
            .Int(0);
    Must(tx.Exec("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, 'doctor', $2) "
                 "ON CONFLICT (user_id, role) DO NOTHING",
                 {user_id, now}),
         "role");
    return {};
  });
  if (!st) throw std::runtime_error("practitioner fixture: " + st.error().code + " " + st.error().detail);
  return out;
}

std::vector<SeededPatient> InsertPatients(store::Database& db, int n, const std::string& tag, std::int64_t now_ms) {
  std::vector<SeededPatient> out;
  auto st = db.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    out.clear();
    for (int i = 0; i < n; ++i) {
      const std::string key = tag + "-" + std::to_string(getpid()) + "-" + std::to_string(i);
      auto id = Must(tx.Query("INSERT INTO users (real_name, id_number, birth_date, sex, created_at) VALUES ($1, $2, "
                              "'1990-01-01', 'female', $3) RETURNING id",
                              {"测试患者", "SEED-" + key, now_ms}),
                     "user")
                    .front()
                    .Int(0);
      Must(tx.Exec("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, 'patient', $2)", {id, now_ms}),
           "role");
      SeededPatient p{id, "seed-token-" + key};
      Must(tx.Exec("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                   {crypto::Blake2bHex(p.token), id, now_ms, now_ms + 30LL * 24 * 3600 * 1000}),
           "session");
      out.push_back(std::move(p));
    }
    return {};
  });
  if (!st) throw std::runtime_error("patient fixture: " + st.error().code + " " + st.error().detail);
  return out;
}

}  // namespace ihos::testing
