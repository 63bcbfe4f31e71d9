#include "domain/prescriptions/json.hpp"

#include <boost/json.hpp>

#include "core/messages.hpp"
#include "core/qr.hpp"
#include "domain/drugs/rules.hpp"
#include "domain/prescriptions/document.hpp"

namespace ihos::domain::prescriptions {
namespace json = boost::json;

namespace {
std::string Fill(std::string_view text, const RuleHit& h) {
  std::string out(text);
  for (const auto& [k, v] : {std::pair<std::string, std::string>{"{drug}", h.drug}, {"{other}", h.other}})
    for (auto pos = out.find(k); pos != std::string::npos; pos = out.find(k, pos + v.size()))
      out.replace(pos, k.size(), v);
  return out;
}
json::value Opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }
}  // namespace

json::object AllergyJson(const Allergy& a) {
  std::string class_name;
  for (const auto& [code, zh] : drugs::AllergyClasses())
    if (code == a.class_code) class_name = zh;
  return {{"id", a.id},
          {"patient_id", a.patient_id},
          {"drug_id", Opt(a.drug_id)},
          {"drug_name", a.drug_name},
          {"class_code", a.class_code},
          {"class_name", class_name},
          {"reaction", a.reaction},
          {"confirmed", a.confirmed_by.has_value()},
          {"created_at", a.created_at}};
}

json::object HitJson(const RuleHit& h) {
  const Message& m = FindMessage(h.code);
  return {{"code", h.code},
          {"line", h.line},
          {"drug", h.drug},
          {"other", h.other},
          {"blocking", h.blocking},
          {"overridden", h.overridden},
          {"message", json::object{{"zh-CN", Fill(m.zh, h)}, {"en", Fill(m.en, h)}}}};
}

json::array HitsJson(const std::vector<RuleHit>& hits) {
  json::array a;
  for (const auto& h : hits) a.push_back(HitJson(h));
  return a;
}

json::object PrescriptionJson(const Prescription& p, bool with_qr) {
  json::array items;
  for (const auto& it : p.items)
    items.push_back(json::object{{"line", it.line},
                                 {"formulary_id", it.formulary_id},
                                 {"drug_id", it.drug_id},
                                 {"generic_name", it.generic_name},
                                 {"dosage_form", it.dosage_form},
                                 {"strength", it.strength},
                                 {"single_dose_milli", it.single_dose_milli},
                                 {"dose_unit", it.dose_unit},
                                 {"route", it.route},
                                 {"frequency", it.frequency},
                                 {"days", it.days},
                                 {"quantity", it.quantity},
                                 {"package_unit", it.package_unit},
                                 {"package_size", it.package_size},
                                 {"price_fen", it.price_fen},
                                 {"override_reason", it.override_reason}});
  boost::system::error_code ec;
  json::value warnings = json::parse(p.warnings_json, ec);
  json::object o{{"id", p.id},
                 {"rx_no", p.rx_no},
                 {"previous_id", Opt(p.previous_id)},
                 {"consultation_id", p.consultation_id},
                 {"patient_id", p.patient_id},
                 {"practitioner_id", p.practitioner_id},
                 {"doctor_name", p.doctor_name},
                 {"hospital_id", p.hospital_id},
                 {"kind", p.kind},
                 {"category", p.category},
                 {"status", p.status},
                 {"institution", p.institution},
                 {"department", p.department},
                 {"patient_name", p.patient_name},
                 {"patient_sex", p.patient_sex},
                 {"patient_age", p.patient_age},
                 {"patient_weight_g", Opt(p.patient_weight_g)},
                 {"diagnosis_code", p.diagnosis_code},
                 {"diagnosis_name", p.diagnosis_name},
                 {"issued_on", p.issued_on},
                 {"valid_days", p.valid_days},
                 {"expires_at", p.expires_at},
                 {"long_term_assessment", p.long_term_assessment},
                 {"patient_confirmed_long", p.patient_confirmed_long},
                 {"guardian_present", p.guardian_present},
                 {"amount_fen", p.amount_fen},
                 {"content_hash", p.content_hash},
                 {"doctor_key_id", p.doctor_key_id},
                 {"signed_at", p.signed_at},
                 {"pharmacist_name", p.pharmacist_name},
                 {"reviewed_at", Opt(p.reviewed_at)},
                 {"reject_reason", p.reject_reason},
                 {"warnings", ec ? json::value(json::array{}) : std::move(warnings)},
                 {"items", std::move(items)},
                 {"created_at", p.created_at}};
  if (with_qr && (p.status == "approved" || p.status == "dispensed")) {
    const std::string payload = document::QrPayload(p);
    o["qr_payload"] = payload;
    o["qr_svg"] = qr::Svg(payload, 4);
  }
  return o;
}

json::object ReviewContextJson(const ReviewContext& c) {
  json::array allergies, active;
  for (const auto& a : c.allergies) allergies.push_back(AllergyJson(a));
  for (const auto& p : c.active) active.push_back(PrescriptionJson(p, false));
  return {{"prescription", PrescriptionJson(c.prescription, false)},
          {"hits", HitsJson(c.hits)},
          {"allergies", std::move(allergies)},
          {"active_prescriptions", std::move(active)},
          {"chief_complaint", c.chief_complaint},
          {"present_illness", c.present_illness},
          {"patient_birth_date", c.patient_birth_date}};
}

json::object KeyJson(const SigningKey& k) {
  return {{"id", k.id},
          {"role", k.role},
          {"owner_name", k.owner_name},
          {"alg", "Ed25519"},
          {"public_key", k.public_key},
          {"status", k.status},
          {"created_at", k.created_at}};
}

}  // namespace ihos::domain::prescriptions
