#include "store/backend_common.hpp"

#include <charconv>
#include <cmath>

namespace ihos::store::detail {

Error Unavailable(std::string detail) {
  return MakeError(Errc::unavailable, "database_unavailable", std::move(detail));
}

Error DatabaseError(std::string detail) {
  return MakeError(Errc::internal, "database_error", std::move(detail));
}

Error Conflict(std::string code, std::string detail) {
  return MakeError(Errc::conflict, std::move(code), std::move(detail));
}

Error InvalidText(std::size_t param_index) {
  return MakeError(Errc::invalid_argument, "invalid_text",
                   "parameter $" + std::to_string(param_index + 1) +
                       " is not valid UTF-8 or contains a NUL byte");
}

Error AfterFailure(const Error& first) {
  // PostgreSQL aborts the whole transaction at the first failed statement; SQLite would carry
  // on. Refusing on both keeps code that only works on SQLite from being written.
  return DatabaseError("statement after a failed statement in the same transaction (first: " +
                       first.code + ": " + first.detail + ")");
}

bool IsStorableText(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      if (c == 0) return false;
      ++p;
      continue;
    }
    int len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;  // continuation byte first, overlong 2-byte lead, or > U+10FFFF lead
    }
    if (end - p < len) return false;
    for (int i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += len;
  }
  return true;
}

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string TrimMessage(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

}  // namespace ihos::store::detail
