#include "domain/prescriptions/document.hpp"

#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "domain/prescriptions/signing.hpp"

namespace ihos::domain::prescriptions::document {
namespace json = boost::json;

std::string CanonicalContent(const Prescription& p) {
  json::array items;
  for (const auto& it : p.items)
    items.push_back(json::array{it.line, it.generic_name, it.dosage_form, it.strength, it.single_dose_milli,
                                it.dose_unit, it.route, it.frequency, it.days, it.quantity, it.package_unit,
                                it.package_size, it.price_fen});
  json::array a{"ihos-rx-v1",
                p.rx_no,
                p.institution,
                p.department,
                p.patient_name,
                p.patient_sex,
                p.patient_age,
                p.patient_weight_g ? json::value(*p.patient_weight_g) : nullptr,
                p.diagnosis_code,
                p.diagnosis_name,
                p.issued_on,
                p.valid_days,
                p.expires_at,
                p.kind,
                p.category,
                std::move(items),
                p.amount_fen,
                p.doctor_name,
                p.long_term_assessment};
  return json::serialize(a);
}

std::string DoctorMessage(std::string_view content_hash) { return "ihos-rx-v1\n" + std::string(content_hash); }

std::string PharmacistMessage(std::string_view content_hash, std::string_view doctor_signature) {
  return "ihos-rx-review-v1\n" + std::string(content_hash) + "\n" + std::string(doctor_signature) + "\napproved";
}

std::string QrPayload(const Prescription& p) {
  json::object o{{"c", CanonicalContent(p)},
                 {"dk", p.doctor_key_id},
                 {"ds", p.doctor_signature},
                 {"pk", p.pharmacist_key_id ? *p.pharmacist_key_id : 0},
                 {"ps", p.pharmacist_signature}};
  return std::string(kQrPrefix) + signing::B64Url(json::serialize(o));
}

std::optional<Parsed> ParseQr(std::string_view payload) {
  if (payload.size() > 8192 || payload.substr(0, kQrPrefix.size()) != kQrPrefix) return std::nullopt;
  auto raw = signing::FromB64Url(payload.substr(kQrPrefix.size()));
  if (!raw) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(*raw, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  const auto* c = o.if_contains("c");
  const auto* dk = o.if_contains("dk");
  const auto* ds = o.if_contains("ds");
  const auto* pk = o.if_contains("pk");
  const auto* ps = o.if_contains("ps");
  if (!c || !c->is_string() || !dk || !dk->is_int64() || !ds || !ds->is_string() || !pk || !pk->is_int64() || !ps ||
      !ps->is_string())
    return std::nullopt;
  Parsed out;
  out.content = std::string(c->get_string());
  // The content must itself be the canonical array; its second element is the number.
  json::value content = json::parse(out.content, ec);
  if (ec || !content.is_array() || content.get_array().size() < 2 || !content.get_array()[1].is_string())
    return std::nullopt;
  out.rx_no = std::string(content.get_array()[1].get_string());
  out.doctor_key_id = dk->get_int64();
  out.doctor_signature = std::string(ds->get_string());
  out.pharmacist_key_id = pk->get_int64();
  out.pharmacist_signature = std::string(ps->get_string());
  return out;
}

}  // namespace ihos::domain::prescriptions::document
