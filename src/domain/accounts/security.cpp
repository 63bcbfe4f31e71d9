#include "domain/accounts/security.hpp"

#include <algorithm>

#include "domain/accounts/repository.hpp"
#include "domain/accounts/rules.hpp"

namespace ihos::domain::accounts {
namespace {

constexpr std::size_t kMaxUserAgent = 200;
constexpr const char* kPasswordChangePurpose = "password_change";

Error FieldFailed(const char* field, const char* code) {
  std::vector<FieldError> errs;
  errs.push_back({field, code});
  return ValidationFailed(std::move(errs));
}

}  // namespace

AccountSecurity::AccountSecurity(store::Database& db, AccountService& accounts, crypto::PasswordProfile profile)
    : db_(db), accounts_(accounts), profile_(profile) {}

std::string AccountSecurity::SessionId(const std::string& token_hash) {
  return crypto::Blake2bHex("session-id:" + token_hash).substr(0, 24);
}

Status AccountSecurity::NoteDevice(const std::string& token, const std::string& user_agent) {
  std::string ua = user_agent.substr(0, kMaxUserAgent);
  for (char& c : ua)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  const std::string hash = crypto::Blake2bHex(token);
  const std::int64_t now = accounts_.clock().NowMs();
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto st = repo::SetSessionDevice(tx, hash, ua); !st) return st;
    return repo::TouchSession(tx, hash, now);
  });
}

Result<std::vector<SessionInfo>> AccountSecurity::Sessions(const Principal& actor, const std::string& current_token) {
  const std::string current = crypto::Blake2bHex(current_token);
  auto rows = db_.With<std::vector<repo::SessionRow>>(store::TxMode::read, [&](store::Tx& tx) {
    return repo::LiveSessions(tx, actor.user_id, accounts_.clock().NowMs());
  });
  if (!rows) return rows.error();
  std::vector<SessionInfo> out;
  for (const auto& r : *rows)
    out.push_back({SessionId(r.token_hash), r.user_agent, r.client_addr, r.created_at,
                   std::max(r.last_seen_at, r.created_at), r.expires_at, r.token_hash == current});
  // This session first, then newest first.
  std::stable_partition(out.begin(), out.end(), [](const SessionInfo& s) { return s.current; });
  return out;
}

Status AccountSecurity::SignOut(const Principal& actor, const std::string& session_id) {
  const std::int64_t now = accounts_.clock().NowMs();
  auto done = db_.With<bool>(store::TxMode::write, [&](store::Tx& tx) -> Result<bool> {
    auto rows = repo::LiveSessions(tx, actor.user_id, now);
    if (!rows) return rows.error();
    for (const auto& r : *rows)
      if (SessionId(r.token_hash) == session_id) return repo::RevokeUserSession(tx, actor.user_id, r.token_hash, now);
    return false;
  });
  accounts_.SessionsChanged(actor.user_id);
  if (!done) return done.error();
  if (!*done) return MakeError(Errc::not_found, "not_found");
  return {};
}

Result<std::int64_t> AccountSecurity::SignOutOthers(const Principal& actor, const std::string& current_token) {
  const std::string keep = crypto::Blake2bHex(current_token);
  auto n = db_.With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) {
    return repo::RevokeSessionsExcept(tx, actor.user_id, keep, accounts_.clock().NowMs());
  });
  accounts_.SessionsChanged(actor.user_id);
  return n;
}

Result<AccountSecurity::SentCode> AccountSecurity::SendPasswordChangeCode(const Principal& actor,
                                                                          const RequestMeta& meta) {
  auto rec = db_.With<std::optional<repo::PasswordRecord>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::FindPassword(tx, actor.user_id); });
  if (!rec) return rec.error();
  if (!*rec) return MakeError(Errc::not_found, "not_found");
  const std::string& phone = (*rec)->phone;
  auto expires = accounts_.sms_codes().Issue(phone, kPasswordChangePurpose, meta.client_addr);
  if (!expires) return expires.error();
  SentCode out;
  out.masked_phone = phone.size() >= 7
                         ? phone.substr(0, 3) + std::string(phone.size() - 7, '*') + phone.substr(phone.size() - 4)
                         : std::string(phone.size(), '*');
  out.expires_at = *expires;
  return out;
}

Status AccountSecurity::ChangePassword(const Principal& actor, const std::string& current_token,
                                       const std::string& old_password, const std::string& new_password,
                                       const std::string& sms_code) {
  const std::string key = "user:" + std::to_string(actor.user_id);
  if (auto wait = wrong_old_password_.Attempt(key, accounts_.clock().NowMs())) {
    Error e = MakeError(Errc::rate_limited, "too_many_attempts");
    e.retry_after_s = static_cast<int>((*wait + 999) / 1000);
    return e;
  }
  auto rec = db_.With<std::optional<repo::PasswordRecord>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::FindPassword(tx, actor.user_id); });
  if (!rec) return rec.error();
  if (!*rec) return MakeError(Errc::not_found, "not_found");
  if (!crypto::VerifyPassword(old_password, (*rec)->password_hash))
    return FieldFailed("old_password", "password_wrong");
  wrong_old_password_.Forgive(key);
  if (const auto code = CheckPassword(new_password, (*rec)->phone, (*rec)->id_number); !code.empty()) {
    std::vector<FieldError> errs;
    errs.push_back({"new_password", code});
    return ValidationFailed(std::move(errs));
  }
  if (new_password == old_password) return FieldFailed("new_password", "password_unchanged");
  // A second factor: whoever holds a signed-in device and the password must also hold the phone.
  if (sms_code.empty()) return FieldFailed("sms_code", "required");
  if (auto st = accounts_.sms_codes().Verify((*rec)->phone, kPasswordChangePurpose, sms_code); !st) return st;
  const std::string hash = crypto::HashPassword(new_password, profile_);
  const std::string keep = crypto::Blake2bHex(current_token);
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto s = repo::SetPassword(tx, actor.user_id, hash); !s) return s;
    auto n = repo::RevokeSessionsExcept(tx, actor.user_id, keep, accounts_.clock().NowMs());
    if (!n) return n.error();
    return {};
  });
  accounts_.SessionsChanged(actor.user_id);
  return st;
}

Status AccountSecurity::SendResetCode(const std::string& phone, const RequestMeta& meta) {
  if (const auto code = CheckPhone(phone); !code.empty()) {
    std::vector<FieldError> errs;
    errs.push_back({"phone", code});
    return ValidationFailed(std::move(errs));
  }
  auto rec = db_.With<std::optional<repo::PasswordRecord>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::FindPasswordByPhone(tx, phone); });
  if (!rec) return rec.error();
  // An unknown (or disabled) phone gets the same answer and no text.
  if (!*rec || (*rec)->status != "active") return {};
  auto sent = accounts_.sms_codes().Issue(phone, "reset_password", meta.client_addr);
  if (!sent) return sent.error();
  return {};
}

Status AccountSecurity::ResetPassword(const std::string& phone, const std::string& code,
                                      const std::string& new_password) {
  auto rec = db_.With<std::optional<repo::PasswordRecord>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::FindPasswordByPhone(tx, phone); });
  if (!rec) return rec.error();
  if (!*rec || (*rec)->status != "active") return MakeError(Errc::invalid_argument, "sms_code_invalid");
  // The rules first, so a weak password does not use up the code.
  if (const auto c = CheckPassword(new_password, (*rec)->phone, (*rec)->id_number); !c.empty()) {
    std::vector<FieldError> errs;
    errs.push_back({"new_password", c});
    return ValidationFailed(std::move(errs));
  }
  if (auto st = accounts_.sms_codes().Verify(phone, "reset_password", code); !st) return st;
  const std::string hash = crypto::HashPassword(new_password, profile_);
  const std::int64_t user_id = (*rec)->id;
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto s = repo::SetPassword(tx, user_id, hash); !s) return s;
    auto n = repo::RevokeSessionsExcept(tx, user_id, "", accounts_.clock().NowMs());
    if (!n) return n.error();
    return {};
  });
  accounts_.SessionsChanged(user_id);
  return st;
}

}  // namespace ihos::domain::accounts
