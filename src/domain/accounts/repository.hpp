#pragma once
// Storage of accounts, roles, sessions and guardianships. Implemented in
// repository.cpp beside this header, the same SQL on both backends. All functions run inside
// the caller's transaction; errors are those of store::Tx.
#include "domain/accounts/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::accounts::repo {

Result<std::int64_t> InsertUser(store::Tx& tx, const NewUser& u);
Result<std::optional<User>> FindUser(store::Tx& tx, std::int64_t id);
Result<std::optional<std::int64_t>> FindUserIdByIdNumber(store::Tx& tx, const std::string& id_number);
Result<std::optional<std::int64_t>> FindUserIdByPhone(store::Tx& tx, const std::string& phone);
Result<std::optional<LoginRecord>> FindLogin(store::Tx& tx, const std::string& phone);
Result<std::vector<std::string>> Roles(store::Tx& tx, std::int64_t user_id);
// Idempotent: granting a held role changes nothing.
Status GrantRole(store::Tx& tx, std::int64_t user_id, const std::string& role, std::optional<std::int64_t> by,
                 std::int64_t at);
Status RevokeRole(store::Tx& tx, std::int64_t user_id, const std::string& role);

Status InsertSession(store::Tx& tx, const std::string& token_hash, std::int64_t user_id, std::int64_t now,
                     std::int64_t expires_at, const std::string& client_addr);
// The live (unrevoked, unexpired) session's user, or nullopt.
Result<std::optional<SessionRecord>> FindLiveSession(store::Tx& tx, const std::string& token_hash, std::int64_t now);
Status RevokeSession(store::Tx& tx, const std::string& token_hash, std::int64_t now);

// --- my sessions and passwords (security.cpp) ---
struct SessionRow {
  std::string token_hash;
  std::string user_agent, client_addr;
  std::int64_t created_at = 0, last_seen_at = 0, expires_at = 0;
};
Status SetSessionDevice(store::Tx& tx, const std::string& token_hash, const std::string& user_agent);
Status TouchSession(store::Tx& tx, const std::string& token_hash, std::int64_t now);
// When the session was last marked as used (0: never).
Result<std::int64_t> SessionLastSeen(store::Tx& tx, const std::string& token_hash);
// The user's live sessions, newest first.
Result<std::vector<SessionRow>> LiveSessions(store::Tx& tx, std::int64_t user_id, std::int64_t now);
// Revokes the user's live sessions except `keep_hash` (none when empty); returns how many.
Result<std::int64_t> RevokeSessionsExcept(store::Tx& tx, std::int64_t user_id, const std::string& keep_hash,
                                          std::int64_t now);
// Revokes one live session of the user; false when it is not one.
Result<bool> RevokeUserSession(store::Tx& tx, std::int64_t user_id, const std::string& token_hash, std::int64_t now);
// The user's phone, password hash and ID number (for the password rules), or nullopt.
struct PasswordRecord {
  std::int64_t id = 0;
  std::string phone, password_hash, id_number, status;
};
Result<std::optional<PasswordRecord>> FindPassword(store::Tx& tx, std::int64_t user_id);
Result<std::optional<PasswordRecord>> FindPasswordByPhone(store::Tx& tx, const std::string& phone);
Status SetPassword(store::Tx& tx, std::int64_t user_id, const std::string& password_hash);

Status InsertGuardianship(store::Tx& tx, std::int64_t guardian_id, std::int64_t ward_id,
                          const std::string& relationship, std::int64_t at);
Result<bool> IsGuardianOf(store::Tx& tx, std::int64_t guardian_id, std::int64_t ward_id);
Result<std::vector<Dependent>> Wards(store::Tx& tx, std::int64_t guardian_id);

// The user's settings; the defaults (updated_at 0) when the user never set any.
Result<UserSettings> FindSettings(store::Tx& tx, std::int64_t user_id);
// Inserts or replaces the user's settings row.
Status PutSettings(store::Tx& tx, std::int64_t user_id, const UserSettings& s);

// Users whose name contains `q` or whose phone starts with `q`, newest first.
Result<std::vector<User>> Search(store::Tx& tx, const std::string& q, int limit);

}  // namespace ihos::domain::accounts::repo
