#include "support/prescription_row.hpp"

#include <unistd.h>

#include <atomic>
#include <stdexcept>

namespace ihos::testing {
namespace {
std::atomic<int> g_rx{0};

store::Rows Must(Result<store::Rows> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().code + " " + r.error().detail);
  return std::move(*r);
}
}  // namespace

std::int64_t InsertPrescriptionRow(store::Database& db, const PrescriptionRowSpec& s) {
  const std::string rx_no = "RX-T" + std::to_string(getpid()) + "-" + std::to_string(g_rx.fetch_add(1));
  auto id = db.With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
    auto key = Must(tx.Query("SELECT id FROM signing_keys WHERE user_id = $1 AND role = 'doctor' AND status = 'active'",
                             {s.doctor_user_id}),
                    "signing key");
    if (key.empty())
      key =
          Must(tx.Query("INSERT INTO signing_keys (user_id, role, owner_name, public_key, sealed_secret, pin_salt, "
                        "kdf_ops, kdf_mem, created_at) VALUES ($1, 'doctor', '李医生', $2, 'sealed', 'salt', 1, 8192, "
                        "$3) RETURNING id",
                        {s.doctor_user_id, "pk-" + rx_no, s.now_ms}),
               "new signing key");
    auto consultation =
        Must(tx.Query("INSERT INTO consultations (kind, status, patient_id, requested_by, practitioner_id, "
                      "department_code, chief_complaint, duration, is_follow_up, follow_up, created_at, accepted_at, "
                      "last_activity_at) VALUES ('text', 'active', $1, $1, $2, 'internal_medicine', '复诊', '1年', 1, "
                      "'verified', $3, $3, $3) RETURNING id",
                      {s.patient_id, s.practitioner_id, s.now_ms}),
             "consultation");
    auto rx = Must(
        tx.Query("INSERT INTO prescriptions (rx_no, consultation_id, patient_id, practitioner_id, doctor_user_id, "
                 "doctor_name, hospital_id, kind, status, institution, department, patient_name, patient_sex, "
                 "patient_age, diagnosis_code, diagnosis_name, issued_on, expires_at, amount_fen, content_hash, "
                 "doctor_key_id, doctor_signature, signed_at, created_at) VALUES ($1, $2, $3, $4, $5, '李医生', $6, "
                 "'western', $7, '测试医院', '内科', '测试患者', '女', '36岁', 'E78.500', '高脂血症', '2026-11-18', "
                 "$8, 4000, $9, $10, 'sig', $11, $11) RETURNING id",
                 {rx_no, consultation.front().Int(0), s.patient_id, s.practitioner_id, s.doctor_user_id, s.hospital_id,
                  s.status, s.now_ms + 24LL * 3600 * 1000, "hash-" + rx_no, key.front().Int(0), s.now_ms}),
        "prescription");
    return rx.front().Int(0);
  });
  if (!id) throw std::runtime_error("prescription row: " + id.error().code + " " + id.error().detail);
  return *id;
}

}  // namespace ihos::testing
