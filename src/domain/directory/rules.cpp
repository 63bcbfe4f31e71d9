#include "domain/directory/rules.hpp"

#include <algorithm>
#include <cctype>

#include "core/civil_time.hpp"
#include "core/regions.hpp"
#include "core/text.hpp"

namespace ihos::domain::directory {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

const std::vector<std::string>& HospitalGrades() {
  static const std::vector<std::string> k = {"3A", "3B", "3C", "2A", "2B", "2C", "1", "ungraded"};
  return k;
}
const std::vector<std::string>& PhysicianTitles() {
  static const std::vector<std::string> k = {"chief_physician", "associate_chief_physician", "attending_physician",
                                             "resident_physician"};
  return k;
}
const std::vector<std::string>& CounsellorTitles() {
  static const std::vector<std::string> k = {"psychotherapist", "counsellor"};
  return k;
}
const std::vector<std::string>& AllTitles() {
  static const std::vector<std::string> k = [] {
    auto all = PhysicianTitles();
    all.insert(all.end(), CounsellorTitles().begin(), CounsellorTitles().end());
    return all;
  }();
  return k;
}

std::string CheckRegionCode(std::string_view code) {
  const Region* r = FindRegion(code);
  if (r == nullptr) return "region_unknown";
  if (r->level == "province") return "region_too_broad";
  return "";
}

std::string CheckHospitalLicence(std::string_view licence) {
  if (licence.size() < 6 || licence.size() > 40) return "licence_format";
  for (unsigned char c : licence)
    if (!std::isalnum(c) && c != '-') return "licence_format";
  return "";
}

std::string CheckPractitionerLicence(std::string_view licence, std::string_view title) {
  if (Contains(CounsellorTitles(), title)) {
    if (licence.size() < 6 || licence.size() > 30) return "licence_format";
    for (unsigned char c : licence)
      if (!std::isalnum(c)) return "licence_format";
    return "";
  }
  if (licence.size() != 15 || !AllDigits(licence)) return "licence_format";
  return "";
}

std::string CheckTitleForDepartment(std::string_view title, bool counselling_department) {
  if (Contains(CounsellorTitles(), title) && !counselling_department) return "title_not_in_department";
  return "";
}

std::string CheckYearsPractice(std::int64_t years) {
  if (years < kMinYearsPractice) return "too_few_years";
  if (years > 70) return "out_of_range";
  return "";
}

std::string CheckExpiry(std::string_view date, std::string_view today) {
  if (!IsValidIsoDate(date)) return "date_format";
  if (date <= today) return "date_not_future";
  return "";
}

std::optional<std::string> SniffContentType(std::string_view b) {
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF)
    return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  if (b.size() >= 5 && b.substr(0, 5) == "%PDF-") return "application/pdf";
  // Voice clips of a consultation: what browsers' MediaRecorder and phones record.
  if (b.size() >= 4 && b.substr(0, 4) == std::string_view("\x1a\x45\xdf\xa3", 4)) return "audio/webm";
  if (b.size() >= 4 && b.substr(0, 4) == "OggS") return "audio/ogg";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WAVE") return "audio/wav";
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp" &&
      (b.substr(8, 3) == "M4A" || b.substr(8, 3) == "mp4" || b.substr(8, 4) == "isom"))
    return "audio/mp4";
  if (b.size() >= 3 && b.substr(0, 3) == "ID3") return "audio/mpeg";
  if (b.size() >= 6 && b.substr(0, 6) == "#!AMR\n") return "audio/amr";
  return std::nullopt;
}

std::string SearchText(const std::vector<std::string_view>& parts) {
  std::string out;
  for (auto p : parts) {
    if (!out.empty()) out += ' ';
    out += text::LowerAscii(p);
  }
  return out;
}

}  // namespace ihos::domain::directory
