#include "domain/accounts/repository.hpp"

#include "store/value.hpp"

namespace ihos::domain::accounts::repo {
namespace {

constexpr const char* kUserCols = "id, phone, real_name, id_number, birth_date, sex, status, created_at";

User ToUser(const store::Row& r, std::size_t o = 0) {
  User u;
  u.id = r.Int(o + 0);
  u.phone = r.OptText(o + 1);
  u.real_name = r.Text(o + 2);
  u.id_number = r.Text(o + 3);
  u.birth_date = r.Text(o + 4);
  u.sex = r.Text(o + 5);
  u.status = r.Text(o + 6);
  u.created_at = r.Int(o + 7);
  return u;
}

Result<std::optional<std::int64_t>> FirstId(Result<store::Rows> rows) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>((*rows)[0].Int(0));
}

}  // namespace

Result<std::int64_t> InsertUser(store::Tx& tx, const NewUser& u) {
  auto rows = tx.Query(
      "INSERT INTO users (phone, password_hash, real_name, id_number, birth_date, sex, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {store::OrNull(u.phone), store::OrNull(u.password_hash), u.real_name, u.id_number, u.birth_date, u.sex,
       u.created_at});
  if (!rows) return rows.error();
  return (*rows)[0].Int(0);
}

Result<std::optional<User>> FindUser(store::Tx& tx, std::int64_t id) {
  // One round trip: the user joined with their roles (one row per role, or one with NULL).
  auto rows = tx.Query(
      "SELECT u.id, u.phone, u.real_name, u.id_number, u.birth_date, u.sex, u.status, u.created_at, r.role "
      "FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id = $1 ORDER BY r.role",
      {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<User>();
  User u = ToUser((*rows)[0]);
  for (const auto& r : *rows)
    if (!r.IsNull(8)) u.roles.push_back(r.Text(8));
  return std::optional<User>(std::move(u));
}

Result<std::optional<std::int64_t>> FindUserIdByIdNumber(store::Tx& tx, const std::string& id_number) {
  return FirstId(tx.Query("SELECT id FROM users WHERE id_number = $1", {id_number}));
}

Result<std::optional<std::int64_t>> FindUserIdByPhone(store::Tx& tx, const std::string& phone) {
  return FirstId(tx.Query("SELECT id FROM users WHERE phone = $1", {phone}));
}

Result<std::optional<LoginRecord>> FindLogin(store::Tx& tx, const std::string& phone) {
  auto rows = tx.Query("SELECT id, password_hash, status FROM users WHERE phone = $1", {phone});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<LoginRecord>();
  const auto& r = (*rows)[0];
  return std::optional<LoginRecord>(LoginRecord{r.Int(0), r.Text(1), r.Text(2)});
}

Result<std::vector<std::string>> Roles(store::Tx& tx, std::int64_t user_id) {
  auto rows = tx.Query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role", {user_id});
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.Text(0));
  return out;
}

Status GrantRole(store::Tx& tx, std::int64_t user_id, const std::string& role, std::optional<std::int64_t> by,
                 std::int64_t at) {
  auto r = tx.Exec(
      "INSERT INTO user_roles (user_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (user_id, role) DO NOTHING",
      {user_id, role, by ? store::Value(*by) : store::Value(nullptr), at});
  if (!r) return r.error();
  return {};
}

Status RevokeRole(store::Tx& tx, std::int64_t user_id, const std::string& role) {
  auto r = tx.Exec("DELETE FROM user_roles WHERE user_id = $1 AND role = $2", {user_id, role});
  if (!r) return r.error();
  return {};
}

Status InsertSession(store::Tx& tx, const std::string& token_hash, std::int64_t user_id, std::int64_t now,
                     std::int64_t expires_at, const std::string& client_addr) {
  auto r = tx.Exec(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, client_addr) VALUES ($1, $2, $3, $4, $5)",
      {token_hash, user_id, now, expires_at, client_addr});
  if (!r) return r.error();
  return {};
}

Result<std::optional<SessionRecord>> FindLiveSession(store::Tx& tx, const std::string& token_hash, std::int64_t now) {
  auto rows = tx.Query(
      "SELECT u.id, u.real_name, u.status, r.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
      "LEFT JOIN user_roles r ON r.user_id = u.id "
      "WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2",
      {token_hash, now});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<SessionRecord>();
  SessionRecord s{(*rows)[0].Int(0), (*rows)[0].Text(1), (*rows)[0].Text(2), {}, (*rows)[0].Int(4)};
  for (const auto& r : *rows)
    if (!r.IsNull(3)) s.roles.push_back(r.Text(3));
  return std::optional<SessionRecord>(std::move(s));
}

Status RevokeSession(store::Tx& tx, const std::string& token_hash, std::int64_t now) {
  auto r =
      tx.Exec("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL", {token_hash, now});
  if (!r) return r.error();
  return {};
}

Status SetSessionDevice(store::Tx& tx, const std::string& token_hash, const std::string& user_agent) {
  auto r = tx.Exec("UPDATE sessions SET user_agent = $2 WHERE token_hash = $1", {token_hash, user_agent});
  if (!r) return r.error();
  return {};
}

Status TouchSession(store::Tx& tx, const std::string& token_hash, std::int64_t now) {
  auto r = tx.Exec("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1", {token_hash, now});
  if (!r) return r.error();
  return {};
}

Result<std::int64_t> SessionLastSeen(store::Tx& tx, const std::string& token_hash) {
  auto rows = tx.Query("SELECT last_seen_at FROM sessions WHERE token_hash = $1", {token_hash});
  if (!rows) return rows.error();
  return rows->empty() ? 0 : (*rows)[0].Int(0);
}

Result<std::vector<SessionRow>> LiveSessions(store::Tx& tx, std::int64_t user_id, std::int64_t now) {
  auto rows = tx.Query(
      "SELECT token_hash, user_agent, client_addr, created_at, last_seen_at, expires_at FROM sessions "
      "WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC, token_hash LIMIT 200",
      {user_id, now});
  if (!rows) return rows.error();
  std::vector<SessionRow> out;
  for (const auto& r : *rows) out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5)});
  return out;
}

Result<std::int64_t> RevokeSessionsExcept(store::Tx& tx, std::int64_t user_id, const std::string& keep_hash,
                                          std::int64_t now) {
  return tx.Exec(
      "UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND token_hash <> $2 AND revoked_at IS NULL "
      "AND expires_at > $3",
      {user_id, keep_hash, now});
}

Result<bool> RevokeUserSession(store::Tx& tx, std::int64_t user_id, const std::string& token_hash, std::int64_t now) {
  auto r = tx.Exec(
      "UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND token_hash = $2 AND revoked_at IS NULL "
      "AND expires_at > $3",
      {user_id, token_hash, now});
  if (!r) return r.error();
  return *r > 0;
}

namespace {
Result<std::optional<PasswordRecord>> PasswordWhere(store::Tx& tx, std::string_view where, store::Value key) {
  auto rows = tx.Query("SELECT id, phone, password_hash, id_number, status FROM users WHERE " + std::string(where) +
                           " AND password_hash IS NOT NULL",
                       {std::move(key)});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<PasswordRecord>();
  const auto& r = (*rows)[0];
  return std::optional<PasswordRecord>(PasswordRecord{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)});
}
}  // namespace

Result<std::optional<PasswordRecord>> FindPassword(store::Tx& tx, std::int64_t user_id) {
  return PasswordWhere(tx, "id = $1", user_id);
}

Result<std::optional<PasswordRecord>> FindPasswordByPhone(store::Tx& tx, const std::string& phone) {
  return PasswordWhere(tx, "phone = $1", phone);
}

Status SetPassword(store::Tx& tx, std::int64_t user_id, const std::string& password_hash) {
  auto r = tx.Exec("UPDATE users SET password_hash = $2 WHERE id = $1", {user_id, password_hash});
  if (!r) return r.error();
  return {};
}

Status InsertGuardianship(store::Tx& tx, std::int64_t guardian_id, std::int64_t ward_id,
                          const std::string& relationship, std::int64_t at) {
  auto r = tx.Exec("INSERT INTO guardianships (guardian_id, ward_id, relationship, created_at) VALUES ($1, $2, $3, $4)",
                   {guardian_id, ward_id, relationship, at});
  if (!r) return r.error();
  return {};
}

Result<bool> IsGuardianOf(store::Tx& tx, std::int64_t guardian_id, std::int64_t ward_id) {
  auto rows = tx.Query("SELECT 1 FROM guardianships WHERE guardian_id = $1 AND ward_id = $2", {guardian_id, ward_id});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<std::vector<Dependent>> Wards(store::Tx& tx, std::int64_t guardian_id) {
  auto rows = tx.Query(
      "SELECT u.id, u.phone, u.real_name, u.id_number, u.birth_date, u.sex, u.status, u.created_at, g.relationship "
      "FROM guardianships g JOIN users u ON u.id = g.ward_id WHERE g.guardian_id = $1 ORDER BY g.created_at, u.id",
      {guardian_id});
  if (!rows) return rows.error();
  std::vector<Dependent> out;
  for (const auto& r : *rows) out.push_back({ToUser(r), r.Text(8)});
  return out;
}

Result<std::vector<User>> Search(store::Tx& tx, const std::string& q, int limit) {
  // LIKE wildcards in the query are matched literally.
  std::string esc;
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') esc += '\\';
    esc += c;
  }
  auto rows = tx.Query(std::string("SELECT ") + kUserCols +
                           " FROM users WHERE lower(real_name) LIKE lower($1) ESCAPE '\\' OR phone LIKE $2 ESCAPE '\\' "
                           "ORDER BY id DESC LIMIT $3",
                       {"%" + esc + "%", esc + "%", static_cast<std::int64_t>(limit)});
  if (!rows) return rows.error();
  std::vector<User> out;
  for (const auto& r : *rows) {
    User u = ToUser(r);
    auto roles = Roles(tx, u.id);
    if (!roles) return roles.error();
    u.roles = std::move(*roles);
    out.push_back(std::move(u));
  }
  return out;
}

Result<UserSettings> FindSettings(store::Tx& tx, std::int64_t user_id) {
  auto rows = tx.Query("SELECT elder_mode, updated_at FROM user_settings WHERE user_id = $1", {user_id});
  if (!rows) return rows.error();
  UserSettings s;
  if (rows->empty()) return s;
  s.elder_mode = (*rows)[0].Int(0) != 0;
  s.updated_at = (*rows)[0].Int(1);
  return s;
}

Status PutSettings(store::Tx& tx, std::int64_t user_id, const UserSettings& s) {
  auto r = tx.Exec(
      "INSERT INTO user_settings (user_id, elder_mode, updated_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id) DO UPDATE SET elder_mode = excluded.elder_mode, updated_at = excluded.updated_at",
      {user_id, static_cast<std::int64_t>(s.elder_mode ? 1 : 0), s.updated_at});
  if (!r) return r.error();
  return {};
}

}  // namespace ihos::domain::accounts::repo
