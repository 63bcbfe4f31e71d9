#pragma once
// What a handler sees and returns. Handlers are plain functions that run on the worker pool
// (they may block on the database); they never touch sockets.
#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/principal.hpp"

namespace ihos::http {

using Verb = boost::beast::http::verb;

using ihos::Principal;

struct Request {
  Verb method = Verb::get;
  std::string path;   // decoded path, e.g. /api/v1/admin/users/7/roles
  std::string route;  // the matched template, e.g. /api/v1/admin/users/{id}/roles
  std::vector<std::pair<std::string, std::string>> path_params;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::string content_type;
  std::string body;
  std::string client_addr;
  std::string request_id;
  std::string locale;                                          // "zh-CN" or "en", from Accept-Language
  std::string bearer;                                          // token from "Authorization: Bearer ...", or empty
  std::optional<Principal> principal;                          // set for routes that need a session
  std::vector<std::pair<std::string, std::string>> x_headers;  // "X-*" request headers, names lower-case

  // The value of an X-* request header or Idempotency-Key (`name` lower-case), or "".
  std::string Header(std::string_view name) const;

  // The path parameter `name` (always present when the route declares it).
  const std::string& Param(std::string_view name) const;
  std::optional<std::string> Query(std::string_view name) const;
  const Principal& Actor() const { return *principal; }
  // Who asked, for the audit log.
  RequestMeta Meta() const { return RequestMeta{request_id, client_addr}; }
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Reply Json(const boost::json::value& v, int status = 200);
  static Reply NoContent() { return Reply{204, "", "", {}}; }
};

using Handler = std::function<Result<Reply>(Request&)>;

// Who may call a route. There is no default: every route states its access.
struct Access {
  enum class Kind { anyone, signed_in, roles } kind;
  std::vector<std::string> roles;  // for Kind::roles: any one of them suffices

  static Access Anyone() { return {Kind::anyone, {}}; }
  static Access SignedIn() { return {Kind::signed_in, {}}; }
  static Access Roles(std::vector<std::string> r) { return {Kind::roles, std::move(r)}; }
};

// Resolves a bearer token to the signed-in user. Errors: unauthenticated (unknown, revoked
// or expired token), unavailable. Called on the worker pool.
using Authenticator = std::function<Result<Principal>(const std::string& token)>;

}  // namespace ihos::http
