#include "domain/accounts/rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace ihos::domain::accounts {

std::string CheckPhone(std::string_view phone) {
  if (phone.size() != 11 || phone[0] != '1' || phone[1] < '3' || phone[1] > '9') return "phone_format";
  if (!std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; })) return "phone_format";
  return "";
}

std::string CheckPassword(std::string_view pw, std::string_view phone, std::string_view id_number) {
  static constexpr std::array<std::string_view, 12> kCommon = {"password1", "password123", "qwerty123", "abc12345",
                                                               "abcd1234",  "a1234567",    "1234qwer",  "qwer1234",
                                                               "iloveyou1", "woaini1314",  "admin123",  "passw0rd"};
  if (pw.size() < 8 || pw.size() > 128) return "password_weak";
  bool letter = false, digit = false;
  for (unsigned char c : pw) {
    letter = letter || std::isalpha(c);
    digit = digit || std::isdigit(c);
  }
  if (!letter || !digit) return "password_weak";
  std::string lower(pw);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (std::find(kCommon.begin(), kCommon.end(), lower) != kCommon.end()) return "password_weak";
  if (!phone.empty() && pw.find(phone) != std::string_view::npos) return "password_weak";
  if (id_number.size() == 18) {
    std::string tail(id_number.substr(10, 8));
    std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.find(tail) != std::string::npos) return "password_weak";
  }
  return "";
}

std::string CheckRealName(std::string_view name) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < name.size();) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      if (!(std::isalpha(c) || c == ' ' || c == '-' || c == '.')) return "name_format";
      ++i;
    } else {
      std::size_t len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
      std::string_view ch = name.substr(i, len);
      // Full-width punctuation and symbols are refused; CJK ideographs, "·" and letters pass.
      if (ch.size() == 3 && static_cast<unsigned char>(ch[0]) == 0xEF && static_cast<unsigned char>(ch[1]) == 0xBC)
        return "name_format";
      if (ch.size() == 3 && static_cast<unsigned char>(ch[0]) == 0xE3 && static_cast<unsigned char>(ch[1]) == 0x80)
        return "name_format";
      i += len;
    }
    ++chars;
  }
  if (chars < 2 || chars > 30) return "name_format";
  return "";
}

std::string CheckRelationship(std::string_view relationship) {
  if (relationship == "parent" || relationship == "legal_guardian" || relationship == "other") return "";
  return "invalid_value";
}

}  // namespace ihos::domain::accounts
