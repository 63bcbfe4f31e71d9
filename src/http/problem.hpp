#pragma once
// The one renderer from Error to application/problem+json (RFC 9457):
// {type, title, status, code, message: {zh-CN, en}, detail?, errors?: [{field, code, message}],
//  request_id}. `title` is in the request's locale. `detail` is given only for invalid_argument
// errors (about the client's own input), never for infrastructure or internal errors.
#include <string_view>

#include "core/error.hpp"
#include "http/types.hpp"

namespace ihos::http {

Reply RenderProblem(const Error& e, std::string_view request_id, std::string_view locale);

// "zh-CN" or "en" from an Accept-Language header value (zh-CN is the default).
std::string PickLocale(std::string_view accept_language);

}  // namespace ihos::http
