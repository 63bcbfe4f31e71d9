#pragma once
// Pure validation rules for accounts (no I/O). Each returns the FieldError code, or "" when
// the value is acceptable.
#include <string>
#include <string_view>

namespace ihos::domain::accounts {

// Mainland mobile number: 11 digits starting 1[3-9].
std::string CheckPhone(std::string_view phone);
// At least 8 and at most 128 characters, letters and digits both present, not one of the
// most common passwords, not containing the phone number or the ID number's last 8 digits.
std::string CheckPassword(std::string_view password, std::string_view phone, std::string_view id_number);
// 2 to 30 characters; letters (any script), "·" (middle dot of minority and foreign names),
// spaces and hyphens; no digits or punctuation.
std::string CheckRealName(std::string_view name);

// A guardian's relationship to a ward: parent, legal_guardian or other ("invalid_value" else).
// Checked before the insert so an in-process caller gets the field error, not the table's CHECK.
std::string CheckRelationship(std::string_view relationship);

inline constexpr int kAdultAge = 18;

// Roles that only a credential review gives: a doctor's approved practitioner application, a
// pharmacist's registration with their licence. An admin never grants them directly.
inline bool RoleNeedsCredentialReview(std::string_view role) { return role == "doctor" || role == "pharmacist"; }

}  // namespace ihos::domain::accounts
