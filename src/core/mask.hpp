#pragma once
// Masking of personal identifiers for lists, gates and logs (RULES.md: Records and privacy).
#include <string>
#include <string_view>

namespace ihos {

// "13812345678" -> "138****5678"; anything not 11 chars keeps only its last 2 characters.
std::string MaskPhone(std::string_view phone);
// "11010519491231002X" -> "1101**********002X" (first 4, last 4 kept).
std::string MaskIdNumber(std::string_view id);
// "张三丰" -> "张*丰", "张三" -> "张*", "Li" -> "L*" (UTF-8 aware; first char kept, last kept
// when the name has 3+ characters).
std::string MaskName(std::string_view name);
// Replaces every run of 11+ digits (optionally ending in X/x) in free text by its masked form,
// so phone and ID numbers never reach a log line unmasked.
std::string MaskDigitsInText(std::string_view text);

}  // namespace ihos
