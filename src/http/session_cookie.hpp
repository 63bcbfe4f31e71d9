#pragma once
// The web app's session: an `HttpOnly; Secure; SameSite=Strict` cookie holding the session token
// (so page scripts never see it), plus a CSRF token the app sends back in `X-CSRF-Token` on every
// state-changing request. API clients keep sending `Authorization: Bearer`, which wins over the
// cookie and needs no CSRF token (a browser never adds it by itself).
//
// The CSRF token is derived from the session token (SHA-256 of a fixed label and the token): it
// cannot be computed without the session token, which a cross-site page cannot read, and it
// reveals nothing about the session token. No state is stored for it.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "http/types.hpp"

namespace ihos::http {

inline constexpr std::string_view kSessionCookie = "ihos_session";

// The value of the session cookie in a `Cookie:` header, or "".
std::string SessionCookieToken(std::string_view cookie_header);
// The CSRF token of a session token.
std::string CsrfTokenFor(std::string_view session_token);
// `Set-Cookie` values: the session for `max_age_s` seconds, and its removal.
std::string SessionCookieHeader(std::string_view token, std::int64_t max_age_s);
std::string ClearSessionCookieHeader();

// Where a request's session token came from.
struct Credentials {
  std::string token;
  bool from_cookie = false;
};
// From `Authorization: Bearer …` (preferred), else the session cookie.
Credentials RequestCredentials(std::string_view authorization, std::string_view cookie_header);

// A cookie-authenticated POST/PUT/PATCH/DELETE must carry the session's CSRF token. Errors:
// forbidden csrf_token_missing / csrf_token_invalid. Bearer requests and safe methods pass.
Status CheckCsrf(Verb method, const Credentials& cred, std::string_view csrf_header);

// True when the `Origin` header names the same host as `Host` (http or https).
bool SameOrigin(std::string_view origin, std::string_view host);

}  // namespace ihos::http
