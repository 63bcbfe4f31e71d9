#include "store/backend_common.hpp"

#include <charconv>
#include <cmath>

namespace ihos::store::detail {

Error Unavailable(std::string detail) {
  return MakeError(Errc::unavailable, "database_unavailable", std::move(detail));
}

Error DatabaseError(std::string detail) { return MakeError(Errc::internal, "database_error", std::move(detail)); }

Error Conflict(std::string code, std::string detail) {
  return MakeError(Errc::conflict, std::move(code), std::move(detail));
}

Error InvalidText(std::size_t param_index) {
  return MakeError(Errc::invalid_argument, "invalid_text",
                   "parameter $" + std::to_string(param_index + 1) + " is not valid UTF-8 or contains a NUL byte");
}

Error AfterFailure(const Error& first) {
  // PostgreSQL aborts the whole transaction at the first failed statement; SQLite would carry
  // on. Refusing on both keeps code that only works on SQLite from being written.
  return DatabaseError("statement after a failed statement in the same transaction (first: " + first.code + ": " +
                       first.detail + ")");
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
