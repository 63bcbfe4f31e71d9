#include "core/mask.hpp"

#include <vector>

namespace ihos {
namespace {

std::vector<std::string_view> Utf8Chars(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > s.size()) len = s.size() - i;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string MaskPhone(std::string_view phone) {
  if (phone.size() == 11) return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(7));
  if (phone.size() <= 2) return std::string(phone.size(), '*');
  return std::string(phone.size() - 2, '*') + std::string(phone.substr(phone.size() - 2));
}

std::string MaskIdNumber(std::string_view id) {
  if (id.size() <= 8) return std::string(id.size(), '*');
  return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') + std::string(id.substr(id.size() - 4));
}

std::string MaskName(std::string_view name) {
  const auto chars = Utf8Chars(name);
  if (chars.empty()) return {};
  std::string out(chars.front());
  if (chars.size() == 1) return out;
  if (chars.size() == 2) return out + "*";
  out += std::string(chars.size() - 2, '*');
  out += chars.back();
  return out;
}

std::string MaskDigitsInText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (!IsDigit(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && IsDigit(text[j])) ++j;
    if (j < text.size() && (text[j] == 'X' || text[j] == 'x') && j - i == 17) ++j;
    const std::string_view run = text.substr(i, j - i);
    out += run.size() >= 11 ? (run.size() == 11 ? MaskPhone(run) : MaskIdNumber(run)) : std::string(run);
    i = j;
  }
  return out;
}

}  // namespace ihos
