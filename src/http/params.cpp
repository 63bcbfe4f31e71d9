#include "http/params.hpp"

#include <charconv>

#include "http/json_io.hpp"

namespace ihos::http {
namespace {

std::optional<std::int64_t> ToInt(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Result<std::int64_t> PathId(const Request& req, std::string_view name) {
  auto v = ToInt(req.Param(name));
  if (!v || *v <= 0) return MakeError(Errc::not_found, "not_found");
  return *v;
}

Result<std::int64_t> QueryInt(const Request& req, std::string_view name, std::int64_t fallback, std::int64_t min,
                              std::int64_t max) {
  auto raw = req.Query(name);
  if (!raw) return fallback;
  auto v = ToInt(*raw);
  if (!v || *v < min || *v > max) return ValidationFailed({{std::string(name), "invalid_value"}});
  return *v;
}

Result<std::string> QueryString(const Request& req, std::string_view name, std::size_t max_chars) {
  std::string v = req.Query(name).value_or("");
  if (Utf8Length(v) > max_chars) return ValidationFailed({{std::string(name), "too_long"}});
  return v;
}

}  // namespace ihos::http
