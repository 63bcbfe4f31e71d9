#pragma once
// Expected outcomes travel as values: Result<T> = boost::system::result<T, Error>.
// Exceptions are for bugs and broken infrastructure only; the HTTP layer turns them into a 500.
#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ihos {

// The kind of failure; decides the HTTP status (ToHttpStatus, one switch, no default).
enum class Errc {
  invalid_argument,    // 400: the request is malformed or a field is invalid
  unauthenticated,     // 401: no valid session
  forbidden,           // 403: signed in, but the role may not do this
  not_found,           // 404: does not exist, or the caller may not see it
  method_not_allowed,  // 405
  request_timeout,     // 408
  conflict,            // 409: unique rule broken (one account per ID number, ...)
  payload_too_large,   // 413
  header_too_large,    // 431
  unsupported_media,   // 415
  rate_limited,        // 429
  unavailable,         // 503: database unreachable, shutting down
  internal,            // 500: a bug or broken infrastructure
};

// A problem with one field of a request body. `code` is a stable key of core/messages.
struct FieldError {
  std::string field;
  std::string code;
};

// One broken rule among several (e.g. every rule a prescription breaks): its stable code and the
// values its message names ({drug}, {other}), rendered with the message in zh-CN and en.
struct Violation {
  std::string code;
  std::vector<std::pair<std::string, std::string>> params;
};

// A failure. `code` is the stable, machine-readable name (a key of core/messages, which holds
// the zh-CN and en text); `detail` is optional extra text in English for developers, never
// shown with internals for Errc::internal.
struct Error {
  Errc errc = Errc::internal;
  std::string code;
  std::string detail;
  std::vector<FieldError> fields;
  std::optional<int> retry_after_s;
  std::vector<std::string> allow;  // for method_not_allowed: the methods the route has
  // Values the message of `code` names ({drug} ...), and every rule broken when there are several.
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<Violation> violations;
};

inline Error MakeError(Errc errc, std::string code, std::string detail = {}) {
  return Error{errc, std::move(code), std::move(detail), {}, std::nullopt, {}, {}, {}};
}

// Errc::invalid_argument "validation_failed" carrying these field errors.
inline Error ValidationFailed(std::vector<FieldError> fields) {
  Error e = MakeError(Errc::invalid_argument, "validation_failed");
  e.fields = std::move(fields);
  return e;
}

[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;
using Status = boost::system::result<void, Error>;

// The HTTP status for a kind of error.
int ToHttpStatus(Errc errc);
// A stable lowercase name of the enumerator, e.g. "not_found".
const char* ErrcName(Errc errc);

}  // namespace ihos
