#include "http/session_cookie.hpp"

#include <boost/beast/core/string.hpp>

#include "core/crypto.hpp"

namespace ihos::http {

namespace {
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string SessionCookieToken(std::string_view header) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (Trim(pair.substr(0, eq)) != kSessionCookie) continue;
    std::string_view v = Trim(pair.substr(eq + 1));
    if (v.empty() || v.size() > 512) return {};
    return std::string(v);
  }
  return {};
}

std::string CsrfTokenFor(std::string_view session_token) {
  std::string data = "ihos-csrf-v1:";
  data.append(session_token);
  return crypto::Sha256Hex(data);
}

std::string SessionCookieHeader(std::string_view token, std::int64_t max_age_s) {
  return std::string(kSessionCookie) + "=" + std::string(token) + "; Path=/; Max-Age=" + std::to_string(max_age_s) +
         "; HttpOnly; Secure; SameSite=Strict";
}

std::string ClearSessionCookieHeader() {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict";
}

Credentials RequestCredentials(std::string_view authz, std::string_view cookie_header) {
  if (authz.size() > 7 && boost::beast::iequals(authz.substr(0, 7), "Bearer "))
    return {std::string(authz.substr(7)), false};
  std::string c = SessionCookieToken(cookie_header);
  if (c.empty()) return {};
  return {std::move(c), true};
}

Status CheckCsrf(Verb method, const Credentials& cred, std::string_view csrf_header) {
  if (!cred.from_cookie) return {};
  if (method == Verb::get || method == Verb::head || method == Verb::options) return {};
  if (csrf_header.empty()) return MakeError(Errc::forbidden, "csrf_token_missing");
  if (!crypto::ConstantTimeEquals(csrf_header, CsrfTokenFor(cred.token)))
    return MakeError(Errc::forbidden, "csrf_token_invalid");
  return {};
}

bool SameOrigin(std::string_view origin, std::string_view host) {
  if (host.empty()) return false;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.substr(0, scheme.size()) == scheme && origin.substr(scheme.size()) == host) return true;
  }
  return false;
}

}  // namespace ihos::http
