#include "domain/prescriptions/repository.hpp"

#include "store/value.hpp"

namespace ihos::domain::prescriptions::repo {
namespace {

// --- allergies ---
constexpr char kAllergyCols[] =
    "a.id, a.patient_id, a.drug_id, COALESCE(d.name, ''), a.class_code, a.reaction, a.recorded_by, a.confirmed_by, "
    "a.created_at";
Allergy AllergyFrom(const store::Row& r) {
  Allergy a;
  a.id = r.Int(0);
  a.patient_id = r.Int(1);
  a.drug_id = r.OptInt(2);
  a.drug_name = r.Text(3);
  a.class_code = r.Text(4);
  a.reaction = r.Text(5);
  a.recorded_by = r.Int(6);
  a.confirmed_by = r.OptInt(7);
  a.created_at = r.Int(8);
  return a;
}

// --- pharmacists ---
Pharmacist PharmacistFrom(const store::Row& r) {
  return {r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5)};
}

// --- keys ---
constexpr char kKeyCols[] =
    "id, user_id, role, public_key, sealed_secret, pin_salt, kdf_ops, kdf_mem, status, created_at, owner_name";
SigningKey KeyFrom(const store::Row& r) {
  return {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
          r.Int(6), r.Int(7), r.Text(8), r.Int(9),  r.Text(10)};
}

// --- prescriptions ---
constexpr char kRxCols[] =
    "p.id, p.rx_no, p.previous_id, p.consultation_id, p.patient_id, p.practitioner_id, p.doctor_user_id, "
    "p.doctor_name, p.hospital_id, p.kind, p.category, p.status, p.institution, p.department, p.patient_name, "
    "p.patient_sex, p.patient_age, p.patient_weight_g, p.diagnosis_code, p.diagnosis_name, p.issued_on, "
    "p.valid_days, p.expires_at, p.long_term_assessment, p.patient_confirmed_long, p.guardian_present, "
    "p.amount_fen, p.content_hash, p.doctor_key_id, p.doctor_signature, p.signed_at, p.pharmacist_user_id, "
    "p.pharmacist_name, p.pharmacist_key_id, p.pharmacist_signature, p.reviewed_at, p.reject_reason, p.warnings, "
    "p.created_at";
Prescription RxFrom(const store::Row& r) {
  Prescription p;
  std::size_t i = 0;
  p.id = r.Int(i++);
  p.rx_no = r.Text(i++);
  p.previous_id = r.OptInt(i++);
  p.consultation_id = r.Int(i++);
  p.patient_id = r.Int(i++);
  p.practitioner_id = r.Int(i++);
  p.doctor_user_id = r.Int(i++);
  p.doctor_name = r.Text(i++);
  p.hospital_id = r.Int(i++);
  p.kind = r.Text(i++);
  p.category = r.Text(i++);
  p.status = r.Text(i++);
  p.institution = r.Text(i++);
  p.department = r.Text(i++);
  p.patient_name = r.Text(i++);
  p.patient_sex = r.Text(i++);
  p.patient_age = r.Text(i++);
  p.patient_weight_g = r.OptInt(i++);
  p.diagnosis_code = r.Text(i++);
  p.diagnosis_name = r.Text(i++);
  p.issued_on = r.Text(i++);
  p.valid_days = r.Int(i++);
  p.expires_at = r.Int(i++);
  p.long_term_assessment = r.Text(i++);
  p.patient_confirmed_long = r.Int(i++) != 0;
  p.guardian_present = r.Int(i++) != 0;
  p.amount_fen = r.Int(i++);
  p.content_hash = r.Text(i++);
  p.doctor_key_id = r.Int(i++);
  p.doctor_signature = r.Text(i++);
  p.signed_at = r.Int(i++);
  p.pharmacist_user_id = r.OptInt(i++);
  p.pharmacist_name = r.Text(i++);
  p.pharmacist_key_id = r.OptInt(i++);
  p.pharmacist_signature = r.Text(i++);
  p.reviewed_at = r.OptInt(i++);
  p.reject_reason = r.Text(i++);
  p.warnings_json = r.Text(i++);
  p.created_at = r.Int(i++);
  return p;
}

constexpr char kItemCols[] =
    "line, formulary_id, drug_id, generic_name, dosage_form, strength, single_dose_milli, dose_unit, route, "
    "frequency, days, quantity, package_unit, package_size, price_fen, override_reason";
Item ItemFrom(const store::Row& r) {
  Item it;
  it.line = r.Int(0);
  it.formulary_id = r.Int(1);
  it.drug_id = r.Int(2);
  it.generic_name = r.Text(3);
  it.dosage_form = r.Text(4);
  it.strength = r.Text(5);
  it.single_dose_milli = r.Int(6);
  it.dose_unit = r.Text(7);
  it.route = r.Text(8);
  it.frequency = r.Text(9);
  it.days = r.Int(10);
  it.quantity = r.Int(11);
  it.package_unit = r.Text(12);
  it.package_size = r.Int(13);
  it.price_fen = r.Int(14);
  it.override_reason = r.Text(15);
  return it;
}

Status LoadItems(store::Tx& tx, Prescription& p) {
  auto rows = tx.Query(
      std::string("SELECT ") + kItemCols + " FROM prescription_items WHERE prescription_id = $1 ORDER BY line", {p.id});
  if (!rows) return rows.error();
  p.items.clear();
  for (const auto& r : *rows) p.items.push_back(ItemFrom(r));
  return {};
}

Result<std::vector<Prescription>> QueryRx(store::Tx& tx, const std::string& where_order, const store::Params& params) {
  auto rows = tx.Query(std::string("SELECT ") + kRxCols + " FROM prescriptions p " + where_order, params);
  if (!rows) return rows.error();
  std::vector<Prescription> out;
  for (const auto& r : *rows) {
    out.push_back(RxFrom(r));
    if (auto st = LoadItems(tx, out.back()); !st) return st.error();
  }
  return out;
}

Result<std::optional<Prescription>> One(Result<std::vector<Prescription>> v) {
  if (!v) return v.error();
  if (v->empty()) return std::optional<Prescription>{};
  return std::optional<Prescription>{std::move(v->front())};
}

constexpr char kReviewCols[] =
    "id, prescription_id, pharmacist_user_id, outcome, legality, normativity, suitability, reason, opened_at, "
    "decided_at";
Review ReviewFrom(const store::Row& r) {
  return {r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7), r.Int(8), r.Int(9)};
}

}  // namespace

Result<std::vector<Allergy>> Allergies(store::Tx& tx, std::int64_t patient_id) {
  auto rows = tx.Query(std::string("SELECT ") + kAllergyCols +
                           " FROM patient_allergies a LEFT JOIN drugs d ON d.id = a.drug_id "
                           "WHERE a.patient_id = $1 AND a.removed_at IS NULL ORDER BY a.id",
                       {patient_id});
  if (!rows) return rows.error();
  std::vector<Allergy> out;
  for (const auto& r : *rows) out.push_back(AllergyFrom(r));
  return out;
}

Result<std::int64_t> InsertAllergy(store::Tx& tx, std::int64_t patient_id, const AllergyInput& in,
                                   std::int64_t recorded_by, std::optional<std::int64_t> confirmed_by,
                                   std::int64_t now) {
  auto rows = tx.Query(
      "INSERT INTO patient_allergies (patient_id, drug_id, class_code, reaction, recorded_by, confirmed_by, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {patient_id, store::OrNull(in.drug_id), in.class_code, in.reaction, recorded_by, store::OrNull(confirmed_by),
       now});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<bool> RemoveAllergy(store::Tx& tx, std::int64_t patient_id, std::int64_t id, std::int64_t by, std::int64_t now) {
  auto n = tx.Exec(
      "UPDATE patient_allergies SET removed_at = $1, removed_by = $2 WHERE id = $3 AND patient_id = $4 AND "
      "removed_at IS NULL",
      {now, by, id, patient_id});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> ConfirmAllergy(store::Tx& tx, std::int64_t patient_id, std::int64_t id, std::int64_t by) {
  auto n =
      tx.Exec("UPDATE patient_allergies SET confirmed_by = $1 WHERE id = $2 AND patient_id = $3 AND removed_at IS NULL",
              {by, id, patient_id});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::optional<Pharmacist>> PharmacistByUser(store::Tx& tx, std::int64_t user_id) {
  auto rows = tx.Query(
      "SELECT id, user_id, hospital_id, licence_number, status, name FROM pharmacists WHERE user_id = $1", {user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Pharmacist>{};
  return std::optional<Pharmacist>{PharmacistFrom(rows->front())};
}

Result<std::int64_t> InsertPharmacist(store::Tx& tx, std::int64_t user_id, const std::string& name,
                                      std::int64_t hospital_id, const std::string& licence_number, std::int64_t now) {
  auto rows = tx.Query(
      "INSERT INTO pharmacists (user_id, name, hospital_id, licence_number, created_at) VALUES ($1, $2, $3, $4, $5) "
      "RETURNING id",
      {user_id, name, hospital_id, licence_number, now});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::optional<SigningKey>> ActiveKey(store::Tx& tx, std::int64_t user_id, const std::string& role) {
  auto rows = tx.Query(
      std::string("SELECT ") + kKeyCols + " FROM signing_keys WHERE user_id = $1 AND role = $2 AND status = 'active'",
      {user_id, role});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<SigningKey>{};
  return std::optional<SigningKey>{KeyFrom(rows->front())};
}

Result<std::optional<SigningKey>> FindKey(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(std::string("SELECT ") + kKeyCols + " FROM signing_keys WHERE id = $1", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<SigningKey>{};
  return std::optional<SigningKey>{KeyFrom(rows->front())};
}

Result<std::vector<SigningKey>> AllKeys(store::Tx& tx) {
  auto rows = tx.Query(std::string("SELECT ") + kKeyCols + " FROM signing_keys ORDER BY id");
  if (!rows) return rows.error();
  std::vector<SigningKey> out;
  for (const auto& r : *rows) out.push_back(KeyFrom(r));
  return out;
}

Result<std::int64_t> InsertKey(store::Tx& tx, const SigningKey& k) {
  auto rows = tx.Query(
      "INSERT INTO signing_keys (user_id, role, owner_name, public_key, sealed_secret, pin_salt, kdf_ops, kdf_mem, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {k.user_id, k.role, k.owner_name, k.public_key, k.sealed_secret, k.pin_salt, k.kdf_ops, k.kdf_mem, k.created_at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Status RetireKey(store::Tx& tx, std::int64_t id) {
  auto n = tx.Exec("UPDATE signing_keys SET status = 'retired' WHERE id = $1", {id});
  if (!n) return n.error();
  return {};
}

Result<std::int64_t> InsertPrescription(store::Tx& tx, const Prescription& p) {
  auto rows = tx.Query(
      "INSERT INTO prescriptions (rx_no, previous_id, consultation_id, patient_id, practitioner_id, doctor_user_id, "
      "doctor_name, hospital_id, kind, category, status, institution, department, patient_name, patient_sex, "
      "patient_age, patient_weight_g, diagnosis_code, diagnosis_name, issued_on, valid_days, expires_at, "
      "long_term_assessment, patient_confirmed_long, guardian_present, amount_fen, content_hash, doctor_key_id, "
      "doctor_signature, signed_at, warnings, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32) "
      "RETURNING id",
      {p.rx_no,
       store::OrNull(p.previous_id),
       p.consultation_id,
       p.patient_id,
       p.practitioner_id,
       p.doctor_user_id,
       p.doctor_name,
       p.hospital_id,
       p.kind,
       p.category,
       p.status,
       p.institution,
       p.department,
       p.patient_name,
       p.patient_sex,
       p.patient_age,
       store::OrNull(p.patient_weight_g),
       p.diagnosis_code,
       p.diagnosis_name,
       p.issued_on,
       p.valid_days,
       p.expires_at,
       p.long_term_assessment,
       std::int64_t{p.patient_confirmed_long},
       std::int64_t{p.guardian_present},
       p.amount_fen,
       p.content_hash,
       p.doctor_key_id,
       p.doctor_signature,
       p.signed_at,
       p.warnings_json,
       p.created_at});
  if (!rows) return rows.error();
  const std::int64_t id = rows->front().Int(0);
  for (const auto& it : p.items) {
    auto r = tx.Exec(
        "INSERT INTO prescription_items (prescription_id, line, formulary_id, drug_id, generic_name, dosage_form, "
        "strength, single_dose_milli, dose_unit, route, frequency, days, quantity, package_unit, package_size, "
        "price_fen, override_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
        "$17)",
        {id, it.line, it.formulary_id, it.drug_id, it.generic_name, it.dosage_form, it.strength, it.single_dose_milli,
         it.dose_unit, it.route, it.frequency, it.days, it.quantity, it.package_unit, it.package_size, it.price_fen,
         it.override_reason});
    if (!r) return r.error();
  }
  return id;
}

Result<std::optional<Prescription>> Find(store::Tx& tx, std::int64_t id) {
  return One(QueryRx(tx, "WHERE p.id = $1", {id}));
}

Result<std::optional<Prescription>> FindByNumber(store::Tx& tx, const std::string& rx_no) {
  return One(QueryRx(tx, "WHERE p.rx_no = $1", {rx_no}));
}

Result<std::vector<Prescription>> OfConsultation(store::Tx& tx, std::int64_t consultation_id) {
  return QueryRx(tx, "WHERE p.consultation_id = $1 ORDER BY p.id DESC", {consultation_id});
}

Result<std::vector<Prescription>> OfPatients(store::Tx& tx, const std::vector<std::int64_t>& patient_ids, int limit) {
  std::vector<Prescription> out;
  for (auto pid : patient_ids) {
    auto v = QueryRx(tx, "WHERE p.patient_id = $1 ORDER BY p.id DESC LIMIT $2", {pid, std::int64_t{limit}});
    if (!v) return v.error();
    for (auto& p : *v) out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<Prescription>> ActiveOfPatient(store::Tx& tx, std::int64_t patient_id, std::int64_t now_ms) {
  // Supply left: signed_at + the longest days of its items (in ms) still ahead.
  return QueryRx(tx,
                 "WHERE p.patient_id = $1 AND ((p.status IN ('pending_review', 'approved') AND p.expires_at > $2) "
                 "OR (p.status = 'dispensed' AND p.signed_at + 86400000 * (SELECT MAX(i.days) FROM "
                 "prescription_items i WHERE i.prescription_id = p.id) > $2)) ORDER BY p.id",
                 {patient_id, now_ms});
}

Result<std::vector<Prescription>> Queue(store::Tx& tx, std::int64_t hospital_id, int limit) {
  return QueryRx(tx, "WHERE p.hospital_id = $1 AND p.status = 'pending_review' ORDER BY p.signed_at LIMIT $2",
                 {hospital_id, std::int64_t{limit}});
}

Result<bool> SetStatus(store::Tx& tx, std::int64_t id, const std::string& from, const std::string& to) {
  auto n = tx.Exec("UPDATE prescriptions SET status = $1 WHERE id = $2 AND status = $3", {to, id, from});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::optional<std::pair<std::string, std::int64_t>>> StatusForUpdate(store::Tx& tx, std::int64_t id) {
  std::string sql = "SELECT status, expires_at FROM prescriptions WHERE id = $1";
  if (tx.backend() == store::Backend::postgres) sql += " FOR UPDATE";
  auto rows = tx.Query(sql, {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::pair<std::string, std::int64_t>>();
  return std::optional(std::pair{rows->front().Text(0), rows->front().Int(1)});
}

Result<bool> MarkDispensed(store::Tx& tx, std::int64_t id) {
  auto n = tx.Exec("UPDATE prescriptions SET status = 'dispensed' WHERE id = $1 AND status = 'approved'", {id});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> Approve(store::Tx& tx, std::int64_t id, std::int64_t pharmacist_user_id, std::int64_t key_id,
                     const std::string& signature, std::int64_t now) {
  auto n = tx.Exec(
      "UPDATE prescriptions SET status = 'approved', pharmacist_user_id = $1, pharmacist_name = (SELECT name FROM "
      "pharmacists WHERE user_id = $1), pharmacist_key_id = $2, pharmacist_signature = $3, reviewed_at = $4 "
      "WHERE id = $5 AND status = 'pending_review' AND expires_at > $4",
      {pharmacist_user_id, key_id, signature, now, id});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> Reject(store::Tx& tx, std::int64_t id, std::int64_t pharmacist_user_id, const std::string& reason,
                    std::int64_t now) {
  auto n = tx.Exec(
      "UPDATE prescriptions SET status = 'rejected', pharmacist_user_id = $1, pharmacist_name = (SELECT name FROM "
      "pharmacists WHERE user_id = $1), reject_reason = $2, reviewed_at = $3 WHERE id = $4 AND "
      "status = 'pending_review'",
      {pharmacist_user_id, reason, now, id});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::int64_t> ExpireDue(store::Tx& tx, std::int64_t now_ms) {
  return tx.Exec(
      "UPDATE prescriptions SET status = 'expired' WHERE status IN ('pending_review', 'approved') AND expires_at <= $1",
      {now_ms});
}

Result<std::int64_t> InsertReview(store::Tx& tx, const Review& r) {
  auto rows = tx.Query(
      "INSERT INTO prescription_reviews (prescription_id, pharmacist_user_id, outcome, legality, normativity, "
      "suitability, reason, opened_at, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {r.prescription_id, r.pharmacist_user_id, r.outcome, r.legality, r.normativity, r.suitability, r.reason,
       r.opened_at, r.decided_at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::vector<Review>> ReviewsOf(store::Tx& tx, std::int64_t prescription_id) {
  auto rows = tx.Query(
      std::string("SELECT ") + kReviewCols + " FROM prescription_reviews WHERE prescription_id = $1 ORDER BY id",
      {prescription_id});
  if (!rows) return rows.error();
  std::vector<Review> out;
  for (const auto& r : *rows) out.push_back(ReviewFrom(r));
  return out;
}

Result<std::vector<Review>> ReviewsBy(store::Tx& tx, std::int64_t pharmacist_user_id, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kReviewCols +
                           " FROM prescription_reviews WHERE pharmacist_user_id = $1 ORDER BY id DESC LIMIT $2",
                       {pharmacist_user_id, std::int64_t{limit}});
  if (!rows) return rows.error();
  std::vector<Review> out;
  for (const auto& r : *rows) out.push_back(ReviewFrom(r));
  return out;
}

}  // namespace ihos::domain::prescriptions::repo
