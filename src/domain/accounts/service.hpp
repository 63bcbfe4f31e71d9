#pragma once
// Accounts: real-name registration, login sessions, roles, guardians of minors, and the one
// access check for acting on a patient's behalf. See README.md beside this file for the rules.
//
// Thread-safe. Every method blocks on the database (and Register/Login on Argon2id): call it
// from the worker pool.
#include <memory>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "domain/accounts/model.hpp"
#include "domain/accounts/session_cache.hpp"
#include "domain/accounts/sms.hpp"
#include "domain/audit/audit.hpp"
#include "store/database.hpp"

namespace ihos::domain::accounts {

struct Config {
  crypto::PasswordProfile password_profile = crypto::PasswordProfile::interactive;
  std::int64_t session_ttl_ms = 7LL * 24 * 3600 * 1000;
  // Failed logins per phone number per window (from any address): past it the password alone
  // no longer signs in, an SMS code to the phone is needed as well; the owner is never refused.
  int account_failure_limit = 5;
  int phone_address_failure_limit = 5;  // failed logins per (phone number, client address) per window
  int address_failure_limit = 20;       // failed logins per client address per window
  std::int64_t failure_window_ms = 15LL * 60 * 1000;
  int registrations_per_address = 30;  // registration attempts per client address per window
  std::int64_t registration_window_ms = 60LL * 60 * 1000;
  // Session cache (SessionCache): how long a session read from the database is trusted without
  // reading it again (0 disables the cache), and how many sessions it holds at most. A change
  // made by another process shows within session_cache_ms.
  std::int64_t session_cache_ms = 2000;
  std::size_t session_cache_entries = 50000;
  // Registration proves the phone by an SMS code (purpose "register"). The server turns it on
  // (app::Config register_sms_code, `--register-sms-code`, default required); off here for
  // in-process callers such as the operator's CLI seeds, which register known demo accounts.
  bool register_needs_sms_code = false;
  // The SMS provider; null: the demo provider (DemoSmsSender). Codes' lifetimes and limits.
  std::shared_ptr<SmsSender> sms_sender;
  SmsCodeConfig sms;
};

struct RegisterInput {
  std::string phone;
  std::string password;
  std::string real_name;
  std::string id_number;
  std::optional<std::string> sms_code;  // the code sent for purpose "register"
};

struct DependentInput {
  std::string real_name;
  std::string id_number;
  std::string relationship;  // parent | legal_guardian | other
};

struct LoginResult {
  std::string token;  // shown once; only its hash is stored
  std::int64_t expires_at = 0;
  User user;
};

class AccountService {
 public:
  AccountService(store::Database& db, const Clock& clock, Config config);

  // Creates a patient account. Errors: invalid_argument validation_failed (fields phone,
  // password, real_name, id_number with their codes) or minor_needs_guardian (under 18);
  // conflict id_number_taken / phone_taken; rate_limited too_many_attempts past
  // registrations_per_address attempts from one client address in the window.
  // When register_needs_sms_code, `in.sms_code` must be the live code sent to `in.phone` for
  // purpose "register" (invalid_argument sms_code_invalid otherwise, no account). It is checked
  // after the field rules and before the taken checks, so phone_taken is only ever told to the
  // phone's owner.
  Result<User> Register(const RegisterInput& in, const RequestMeta& meta);
  // Sends a registration code to `phone` (errors: validation_failed phone phone_format;
  // rate_limited sms_too_frequent; unavailable). The code is sent whether or not the phone has
  // an account, and the answer is the same, so this tells a stranger nothing.
  Status SendRegisterCode(const std::string& phone, const RequestMeta& meta);
  bool register_needs_sms_code() const { return config_.register_needs_sms_code; }

  // Errors: rate_limited too_many_attempts (retry_after_s set) when the phone number or the
  // client address failed too often; unauthenticated login_failed (unknown phone or wrong
  // password, indistinguishable); forbidden account_disabled.
  //
  // Lock-out: the (phone, address) and address limits refuse (429); past the per-phone limit
  // (failures from anywhere) a right password is not enough: without `sms_code` a code is sent
  // to the phone and the answer is unauthenticated sms_code_required; with a wrong one
  // invalid_argument sms_code_invalid.
  Result<LoginResult> Login(const std::string& phone, const std::string& password, const RequestMeta& meta,
                            const std::optional<std::string>& sms_code = std::nullopt);
  // Revokes the session of `token` (no error when it is unknown or already revoked). The token
  // is refused from the moment this returns.
  Status Logout(const std::string& token);
  // The live session's user. Errors: unauthenticated session_expired. Served from the session
  // cache when it holds the token (at most session_cache_ms old, never past the session's
  // expiry); otherwise one database read.
  Result<Principal> Authenticate(const std::string& token);
  // Memory only, never blocks (for the I/O thread): the principal of `token` when the session
  // cache holds it, under the same rules as Authenticate; nullopt otherwise (then Authenticate).
  std::optional<Principal> CachedPrincipal(const std::string& token) const;
  // Memory only, never blocks: the account Me(actor) would return, when the session cache holds
  // it (read by Me at most session_cache_ms ago, dropped by SessionsChanged); else null.
  std::shared_ptr<const User> CachedMe(const Principal& actor) const;
  // Every change to a user's sessions, roles, name or status made outside this service (e.g.
  // the directory granting the doctor role) calls this after its commit, so that the change
  // applies to the user's next request. Methods of this service do it themselves.
  void SessionsChanged(std::int64_t user_id) { sessions_.ForgetUser(user_id); }
  std::size_t CachedSessions() const { return sessions_.size(); }

  // The actor's account, from the session cache when it holds it (see CachedMe); else one
  // database read, kept in the cache.
  Result<User> Me(const Principal& actor);
  // My app preferences (the defaults when never set), and replacing them (stamped with the
  // clock's now; the stored settings come back). Errors: those of the database.
  Result<UserSettings> Settings(const Principal& actor);
  Result<UserSettings> PutSettings(const Principal& actor, UserSettings settings);
  // The access log of `patient_id` (self, or a ward of the actor; a guardian's read is itself
  // audited). Errors: not_found.
  Result<std::vector<audit::AccessItem>> AccessLog(const Principal& actor, std::int64_t patient_id, int limit,
                                                   std::int64_t before_id, const RequestMeta& meta);

  // Minors (under 18) the actor is guardian of; each listed ward is audited as read.
  Result<std::vector<Dependent>> Dependents(const Principal& actor, const RequestMeta& meta);
  // Adds a minor (under 18) the actor is guardian of, creating the minor's patient record.
  // Errors: validation_failed (real_name, id_number, relationship), dependent_not_minor,
  // conflict already_guardian (the actor added this minor before) or dependent_exists (another
  // guardian registered them).
  Result<Dependent> AddDependent(const Principal& actor, const DependentInput& in, const RequestMeta& meta);

  // A patient's record as `actor` may see it: self; a guardian for a ward; an admin with a
  // reason. Every read by someone else is audited. Errors: not_found (also when the actor
  // may not see it), invalid_argument reason_required.
  Result<User> ReadPatient(const Principal& actor, std::int64_t patient_id, const std::string& reason,
                           const RequestMeta& meta);

  // The one check for acting on a patient's data: true for the patient themselves and for a
  // guardian of that (minor) patient. Runs in the caller's transaction.
  Result<bool> CanActFor(store::Tx& tx, const Principal& actor, std::int64_t patient_id);

  // --- for other capabilities, in the caller's transaction `tx` (errors: those of store::Tx) ---
  Result<std::optional<User>> FindUser(store::Tx& tx, std::int64_t id);
  // The guardian's wards (any age).
  Result<std::vector<Dependent>> Wards(store::Tx& tx, std::int64_t guardian_id);
  // Grants `role` to the user (idempotent), recorded as granted by `by` at `at`. The caller
  // calls SessionsChanged(user_id) after its commit.
  Status GrantRoleIn(store::Tx& tx, std::int64_t user_id, const std::string& role, std::int64_t by, std::int64_t at);

  // Admin: find users (each listed user is audited as read). Grant or revoke a role.
  // Errors: invalid_argument role_unknown; not_found; conflict cannot_revoke_own_admin.
  Result<std::vector<User>> SearchUsers(const Principal& admin, const std::string& q, const RequestMeta& meta);
  Result<std::vector<std::string>> GrantRole(const Principal& admin, std::int64_t user_id, const std::string& role,
                                             const RequestMeta& meta);
  Result<std::vector<std::string>> RevokeRole(const Principal& admin, std::int64_t user_id, const std::string& role,
                                              const RequestMeta& meta);

  // CLI: creates an adult account holding the admin role (or grants admin to the existing
  // account with that phone). Same validation as Register.
  Result<User> CreateAdmin(const RegisterInput& in);

  const Clock& clock() const { return clock_; }
  SmsCodes& sms_codes() { return sms_codes_; }
  // The demo SMS provider when it is the one in use (the default), else null.
  DemoSmsSender* demo_sms() { return dynamic_cast<DemoSmsSender*>(sms_sender_.get()); }

 private:
  Result<User> CreateAccount(const RegisterInput& in, const std::vector<std::string>& roles, bool verify_sms_code);
  audit::Entry AuditEntry(const Principal& actor, std::string action, std::int64_t patient_id, const RequestMeta& meta,
                          std::string reason) const;

  store::Database& db_;
  const Clock& clock_;
  Config config_;
  RateLimiter account_failures_;  // per phone: past it, a second factor
  RateLimiter phone_address_failures_;
  RateLimiter address_failures_;
  RateLimiter registrations_;
  std::string dummy_hash_;  // verified against when the phone is unknown, so timing does not tell
  SessionCache sessions_;
  std::shared_ptr<SmsSender> sms_sender_;
  SmsCodes sms_codes_;
};

}  // namespace ihos::domain::accounts
