#pragma once
// Pure rules of the directory (no I/O). Each Check* returns the FieldError code, or "" when the
// value is acceptable.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ihos::domain::directory {

const std::vector<std::string>& HospitalGrades();    // 3A 3B 3C 2A 2B 2C 1 ungraded
const std::vector<std::string>& PhysicianTitles();   // chief_physician ... resident_physician
const std::vector<std::string>& CounsellorTitles();  // psychotherapist, counsellor
const std::vector<std::string>& AllTitles();

inline constexpr int kMinYearsPractice = 3;  // RULES.md: People
inline constexpr std::int64_t kMaxPriceFen = 100000;

// A county- or city-level code of the administrative divisions (not a province).
std::string CheckRegionCode(std::string_view code);
// 医疗机构执业许可证登记号: 6 to 40 letters, digits and hyphens.
std::string CheckHospitalLicence(std::string_view licence);
// 医师执业证书编码: 15 digits. Counsellors' certificate numbers: 6 to 30 letters and digits.
std::string CheckPractitionerLicence(std::string_view licence, std::string_view title);
// Counsellor titles only in counselling departments.
std::string CheckTitleForDepartment(std::string_view title, bool counselling_department);
std::string CheckYearsPractice(std::int64_t years);
// A licence expiry date: a real date (YYYY-MM-DD) after `today`.
std::string CheckExpiry(std::string_view date, std::string_view today);

// What the bytes of an upload are, by their first bytes (magic numbers): image/jpeg,
// image/png, image/webp, application/pdf, and the voice clips of a consultation (audio/webm,
// audio/ogg, audio/wav, audio/mp4, audio/mpeg, audio/amr); nullopt for anything else.
std::optional<std::string> SniffContentType(std::string_view bytes);

// Lower-cased (ASCII) search text of a practitioner: name, hospital, department names, scope,
// specialties.
std::string SearchText(const std::vector<std::string_view>& parts);

}  // namespace ihos::domain::directory
