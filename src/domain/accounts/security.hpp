#pragma once
// Account security: my active sessions (list, sign one out, sign out everywhere
// else), password change with the old password and an SMS code, and password reset by SMS code. Both password
// paths revoke the user's other sessions (a reset revokes all of them). README.md beside this
// file has the rules.
//
// Thread-safe. Methods block on the database (and the password ones on Argon2id): call them from
// the worker pool.
#include "core/crypto.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "domain/accounts/service.hpp"
#include "store/database.hpp"

namespace ihos::domain::accounts {

// One of my live sessions as the API shows it. `id` is derived from the session (never the token
// or its stored hash).
struct SessionInfo {
  std::string id;
  std::string user_agent, client_addr;
  std::int64_t created_at = 0, last_seen_at = 0, expires_at = 0;
  bool current = false;
};

class AccountSecurity {
 public:
  AccountSecurity(store::Database& db, AccountService& accounts, crypto::PasswordProfile profile);

  // Records the device (User-Agent, cut to 200 bytes) of a session just created by Login.
  Status NoteDevice(const std::string& token, const std::string& user_agent);

  // My live sessions, newest first; `current_token` marks this one.
  Result<std::vector<SessionInfo>> Sessions(const Principal& actor, const std::string& current_token);
  // Signs out one of my sessions. Errors: not_found (not a live session of mine).
  Status SignOut(const Principal& actor, const std::string& session_id);
  // Signs out all my sessions but this one; returns how many.
  Result<std::int64_t> SignOutOthers(const Principal& actor, const std::string& current_token);

  // Sends a code for purpose password_change to the phone of the actor's account. Returns the
  // phone, masked (138****1234), and when the code expires. Errors: rate_limited sms_too_frequent;
  // not_found (no such account).
  struct SentCode {
    std::string masked_phone;
    std::int64_t expires_at = 0;
  };
  Result<SentCode> SendPasswordChangeCode(const Principal& actor, const RequestMeta& meta);
  // Needs the old password and the code sent by SendPasswordChangeCode. Checked in this order, so a
  // wrong old password or a weak new one does not use up the code. Errors: validation_failed
  // (old_password password_wrong; new_password password_weak or password_unchanged; sms_code
  // required when empty); invalid_argument sms_code_invalid (wrong, expired, used or over-tried);
  // rate_limited too_many_attempts past 5 wrong old passwords per user in 15 minutes. Revokes every
  // other session of the user.
  Status ChangePassword(const Principal& actor, const std::string& current_token, const std::string& old_password,
                        const std::string& new_password, const std::string& sms_code);
  // Sends a reset code to `phone` when it belongs to an account (purpose reset_password). The
  // answer is the same for an unknown phone. Errors: validation_failed (phone_format);
  // rate_limited sms_too_frequent.
  Status SendResetCode(const std::string& phone, const RequestMeta& meta);
  // Sets a new password with the code sent to `phone`, and revokes all the account's sessions.
  // Errors: invalid_argument sms_code_invalid; validation_failed (new_password password_weak).
  Status ResetPassword(const std::string& phone, const std::string& code, const std::string& new_password);

  static std::string SessionId(const std::string& token_hash);

 private:
  store::Database& db_;
  AccountService& accounts_;
  crypto::PasswordProfile profile_;
  RateLimiter wrong_old_password_{5, 15LL * 60 * 1000};
};

}  // namespace ihos::domain::accounts
