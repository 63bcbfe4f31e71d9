#pragma once
// Chinese resident identity number (公民身份号码, GB 11643-1999): 18 characters =
// 6-digit administrative region code + 8-digit birth date (YYYYMMDD) + 3-digit sequence
// (odd = male, even = female) + ISO 7064 MOD 11-2 check character (0-9 or X).
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace ihos {

struct ResidentId {
  std::string number;      // normalised: upper-case X
  std::string region;      // "110105"
  std::string birth_date;  // "1949-12-31"
  std::string sex;         // "male" | "female"
};

// Parses and validates `raw` against `today` ("YYYY-MM-DD", China time). Errors (all
// Errc::invalid_argument, field "id_number"): id_number_format (length or characters),
// id_number_region (unknown province-level code), id_number_birth_date (not a real date, in
// the future, or before 1900), id_number_check_digit (check character wrong).
Result<ResidentId> ParseResidentId(std::string_view raw, std::string_view today);

// The check character for the first 17 digits (which must be digits).
char ResidentIdCheckChar(std::string_view first17);

// Whole years from birth_date to today (both "YYYY-MM-DD").
int AgeOn(std::string_view birth_date, std::string_view today);

}  // namespace ihos
