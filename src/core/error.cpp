#include "core/error.hpp"

#include <stdexcept>

namespace ihos {

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::runtime_error("unchecked Result holding error " + e.code + ": " + e.detail);
}

int ToHttpStatus(Errc errc) {
  switch (errc) {
    case Errc::invalid_argument:
      return 400;
    case Errc::unauthenticated:
      return 401;
    case Errc::forbidden:
      return 403;
    case Errc::not_found:
      return 404;
    case Errc::method_not_allowed:
      return 405;
    case Errc::request_timeout:
      return 408;
    case Errc::conflict:
      return 409;
    case Errc::payload_too_large:
      return 413;
    case Errc::header_too_large:
      return 431;
    case Errc::unsupported_media:
      return 415;
    case Errc::rate_limited:
      return 429;
    case Errc::unavailable:
      return 503;
    case Errc::internal:
      return 500;
  }
  return 500;
}

const char* ErrcName(Errc errc) {
  switch (errc) {
    case Errc::invalid_argument:
      return "invalid_argument";
    case Errc::unauthenticated:
      return "unauthenticated";
    case Errc::forbidden:
      return "forbidden";
    case Errc::not_found:
      return "not_found";
    case Errc::method_not_allowed:
      return "method_not_allowed";
    case Errc::request_timeout:
      return "request_timeout";
    case Errc::conflict:
      return "conflict";
    case Errc::payload_too_large:
      return "payload_too_large";
    case Errc::header_too_large:
      return "header_too_large";
    case Errc::unsupported_media:
      return "unsupported_media";
    case Errc::rate_limited:
      return "rate_limited";
    case Errc::unavailable:
      return "unavailable";
    case Errc::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace ihos
