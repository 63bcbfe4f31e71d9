#include "core/resident_id.hpp"

#include <array>
#include <chrono>
#include <string>

namespace ihos {
namespace {

// Province-level codes of GB/T 2260 (the first two digits of every region code), including
// Taiwan (71), Hong Kong (81) and Macao (82), whose residents can hold mainland-issued numbers.
bool KnownProvince(int p) {
  static constexpr std::array kCodes = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                                        43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
  for (int c : kCodes)
    if (c == p) return true;
  return false;
}

Error IdError(const char* code) {
  Error e = MakeError(Errc::invalid_argument, code);
  e.fields.push_back({"id_number", code});
  return e;
}

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

}  // namespace

char ResidentIdCheckChar(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

int AgeOn(std::string_view birth_date, std::string_view today) {
  const int by = std::stoi(std::string(birth_date.substr(0, 4)));
  const int ty = std::stoi(std::string(today.substr(0, 4)));
  int age = ty - by;
  if (today.substr(5) < birth_date.substr(5)) --age;  // "MM-DD" compares lexically
  return age;
}

Result<ResidentId> ParseResidentId(std::string_view raw, std::string_view today) {
  if (raw.size() != 18) return IdError("id_number_format");
  std::string n(raw);
  if (n[17] == 'x') n[17] = 'X';
  if (!AllDigits(std::string_view(n).substr(0, 17)) || !(AllDigits(std::string_view(n).substr(17)) || n[17] == 'X'))
    return IdError("id_number_format");

  const int province = std::stoi(n.substr(0, 2));
  if (!KnownProvince(province)) return IdError("id_number_region");

  using namespace std::chrono;
  const int y = std::stoi(n.substr(6, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(n.substr(10, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(n.substr(12, 2)));
  const year_month_day ymd{year(y), month(m), day(d)};
  std::string birth = n.substr(6, 4) + "-" + n.substr(10, 2) + "-" + n.substr(12, 2);
  if (!ymd.ok() || y < 1900 || birth > today) return IdError("id_number_birth_date");

  if (ResidentIdCheckChar(n) != n[17]) return IdError("id_number_check_digit");

  const int seq_last = n[16] - '0';
  return ResidentId{n, n.substr(0, 6), std::move(birth), seq_last % 2 == 1 ? "male" : "female"};
}

}  // namespace ihos
