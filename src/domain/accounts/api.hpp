#pragma once
// HTTP handlers of the accounts capability. Routes are listed in src/app/routes.cpp.
#include "domain/accounts/security.hpp"
#include "domain/accounts/service.hpp"
#include "http/router.hpp"

namespace ihos::domain::accounts::api {

http::Handler Register(AccountService& svc);
// POST /api/v1/auth/register/code: a registration code to the phone (same answer for any phone).
http::Handler SendRegisterCode(AccountService& svc);
// GET /api/v1/demo/sms?phone=: the demo provider's recent messages to a phone. Registered only
// when the demo provider is in use; a real provider has no such route (404).
http::Handler DemoSms(AccountService& svc);
// Records the session's device (User-Agent) through `sec`.
http::Handler Login(AccountService& svc, std::shared_ptr<AccountSecurity> sec);
http::Handler Logout(AccountService& svc);
http::Handler Me(AccountService& svc);
// GET /api/v1/me from the session cache on the I/O thread (AccountService::CachedMe); nullopt
// when the account is not cached (then Me).
http::FastHandler MeFromMemory(AccountService& svc);
http::Handler AccessLog(AccountService& svc);
// GET and PUT /api/v1/me/settings: my app preferences ({"elder_mode": bool}); PUT takes the whole
// object (every member required, unknown members refused).
http::Handler GetSettings(AccountService& svc);
http::Handler PutSettings(AccountService& svc);
http::Handler ListDependents(AccountService& svc);
http::Handler AddDependent(AccountService& svc);
http::Handler ReadPatient(AccountService& svc);
http::Handler SearchUsers(AccountService& svc);
http::Handler GrantRole(AccountService& svc);
http::Handler RevokeRole(AccountService& svc);

// My sessions, password change and reset (security.hpp).
// Each handler shares the ownership of `sec` (created with the route table).
using SecurityPtr = std::shared_ptr<AccountSecurity>;
http::Handler MySessions(SecurityPtr sec);
http::Handler SignOutSession(SecurityPtr sec);
http::Handler SignOutOthers(SecurityPtr sec);
http::Handler ChangePassword(SecurityPtr sec);
http::Handler SendPasswordChangeCode(SecurityPtr sec);
http::Handler SendResetCode(SecurityPtr sec);
http::Handler ResetPassword(SecurityPtr sec);

// The public JSON of a user: identifiers masked, age derived.
boost::json::object UserJson(const User& u, std::int64_t now_ms);

}  // namespace ihos::domain::accounts::api
