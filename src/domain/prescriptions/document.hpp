#pragma once
// The signed document: the canonical text of a prescription's content (前记, 正文, 后记 without the
// pharmacist), what the doctor signs and what the pharmacist countersigns, and the QR payload
// that carries content and signatures so any pharmacy can verify it offline against the
// published keys (GET /api/v1/prescriptions/keys).
#include <optional>
#include <string>
#include <string_view>

#include "domain/prescriptions/model.hpp"

namespace ihos::domain::prescriptions::document {

inline constexpr std::string_view kQrPrefix = "IHOSRX1.";

// A JSON array of the content fields in a fixed order (stable across versions of ihos).
std::string CanonicalContent(const Prescription& p);
// What the doctor signs: "ihos-rx-v1\n" + BLAKE2b-256 hex of the content.
std::string DoctorMessage(std::string_view content_hash);
// What the pharmacist signs: the doctor's message, the doctor's signature and "approved".
std::string PharmacistMessage(std::string_view content_hash, std::string_view doctor_signature);

// IHOSRX1.<base64url of JSON {c: content, dk, ds, pk, ps}>.
std::string QrPayload(const Prescription& p);

struct Parsed {
  std::string content;  // the canonical content text
  std::string rx_no;
  std::int64_t doctor_key_id = 0;
  std::string doctor_signature;
  std::int64_t pharmacist_key_id = 0;
  std::string pharmacist_signature;
};
// nullopt for anything that is not a well-formed payload (never throws).
std::optional<Parsed> ParseQr(std::string_view payload);

}  // namespace ihos::domain::prescriptions::document
