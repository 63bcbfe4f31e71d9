#pragma once
// Parsing of path and query parameters into typed values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "http/types.hpp"

namespace ihos::http {

// A positive decimal id from a path segment; not_found when it is not one (an id that cannot
// exist names nothing).
Result<std::int64_t> PathId(const Request& req, std::string_view name);
// An integer query parameter in [min, max], `fallback` when absent. Errors: invalid_argument
// validation_failed with the field named.
Result<std::int64_t> QueryInt(const Request& req, std::string_view name, std::int64_t fallback, std::int64_t min,
                              std::int64_t max);

// A query parameter of at most `max_chars` code points, "" when absent. Errors:
// invalid_argument validation_failed (field `name`, too_long).
Result<std::string> QueryString(const Request& req, std::string_view name, std::size_t max_chars);

}  // namespace ihos::http
