#pragma once
// JSON of prescriptions, allergies, review context and keys (the only place it is made).
#include <boost/json/object.hpp>

#include "domain/prescriptions/model.hpp"

namespace ihos::domain::prescriptions {

boost::json::object AllergyJson(const Allergy& a);
boost::json::object HitJson(const RuleHit& h);
boost::json::array HitsJson(const std::vector<RuleHit>& hits);
// `with_qr`: the QR payload and SVG (for the patient and pharmacies; approved prescriptions).
boost::json::object PrescriptionJson(const Prescription& p, bool with_qr);
boost::json::object ReviewContextJson(const ReviewContext& c);
boost::json::object KeyJson(const SigningKey& k);

}  // namespace ihos::domain::prescriptions
