// Resident identity numbers (GB 11643-1999). Invariant: an accepted number is 18 characters with
// the right check character, a real birth date not after today, and a sex from its sequence.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/resident_id.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kToday = "2026-12-03";
  auto id = ihos::ParseResidentId(raw, kToday);
  if (!id) {
    FUZZ_CHECK(!id.error().fields.empty());
    return 0;
  }
  FUZZ_CHECK(id->number.size() == 18);
  FUZZ_CHECK(ihos::ResidentIdCheckChar(id->number) == id->number[17]);
  FUZZ_CHECK(id->birth_date.size() == 10 && id->birth_date <= kToday);
  FUZZ_CHECK(id->sex == "male" || id->sex == "female");
  const int age = ihos::AgeOn(id->birth_date, kToday);
  FUZZ_CHECK(age >= 0 && age <= 127);
  return 0;
}
