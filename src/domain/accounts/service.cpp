#include "domain/accounts/service.hpp"

#include <algorithm>

#include "core/civil_time.hpp"
#include "core/resident_id.hpp"
#include "domain/accounts/repository.hpp"
#include "domain/accounts/rules.hpp"

namespace ihos::domain::accounts {
namespace {

void Check(std::vector<FieldError>& errs, const char* field, const std::string& code) {
  if (!code.empty()) errs.push_back({field, code});
}

constexpr std::int64_t kLastSeenEveryMs = 5 * 60 * 1000;

Error TooManyAttempts(std::int64_t wait_ms) {
  Error e = MakeError(Errc::rate_limited, "too_many_attempts");
  e.retry_after_s = static_cast<int>((wait_ms + 999) / 1000);
  return e;
}

// A unique violation raced past the pre-check: name the rule from the constraint text.
Error MapUniqueViolation(const Error& e) {
  if (e.code != "unique_violation") return e;
  if (e.detail.find("id_number") != std::string::npos) return MakeError(Errc::conflict, "id_number_taken");
  if (e.detail.find("phone") != std::string::npos) return MakeError(Errc::conflict, "phone_taken");
  return e;
}

// "id_number_taken" / "phone_taken" when an account holds either, else nullopt.
Result<std::optional<std::string>> TakenBy(store::Tx& tx, const std::string& id_number, const std::string& phone) {
  auto by_id = repo::FindUserIdByIdNumber(tx, id_number);
  if (!by_id) return by_id.error();
  if (*by_id) return std::optional<std::string>("id_number_taken");
  auto by_phone = repo::FindUserIdByPhone(tx, phone);
  if (!by_phone) return by_phone.error();
  if (*by_phone) return std::optional<std::string>("phone_taken");
  return std::optional<std::string>();
}

}  // namespace

AccountService::AccountService(store::Database& db, const Clock& clock, Config config)
    : db_(db),
      clock_(clock),
      config_(config),
      account_failures_(config.account_failure_limit, config.failure_window_ms),
      phone_address_failures_(config.phone_address_failure_limit, config.failure_window_ms),
      address_failures_(config.address_failure_limit, config.failure_window_ms),
      registrations_(config.registrations_per_address, config.registration_window_ms),
      dummy_hash_(crypto::HashPassword(crypto::RandomToken(16), config.password_profile)),
      sessions_(config.session_cache_ms, config.session_cache_entries),
      sms_sender_(config.sms_sender ? config.sms_sender : std::make_shared<DemoSmsSender>(clock)),
      sms_codes_(clock, *sms_sender_, config.sms) {}

audit::Entry AccountService::AuditEntry(const Principal& actor, std::string action, std::int64_t patient_id,
                                        const RequestMeta& meta, std::string reason) const {
  return audit::Entry{clock_.NowMs(), actor.user_id, actor.AuditRole(),          std::move(action),
                      patient_id,     "Patient",     std::to_string(patient_id), std::move(reason),
                      meta.request_id};
}

Result<User> AccountService::CreateAccount(const RegisterInput& in, const std::vector<std::string>& roles,
                                           bool verify_sms_code) {
  const std::string today = CivilDateCst(clock_.NowMs());
  std::vector<FieldError> errs;
  Check(errs, "phone", CheckPhone(in.phone));
  Check(errs, "real_name", CheckRealName(in.real_name));
  auto id = ParseResidentId(in.id_number, today);
  if (!id) errs.push_back(id.error().fields.front());
  Check(errs, "password", CheckPassword(in.password, in.phone, id ? id->number : in.id_number));
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  if (AgeOn(id->birth_date, today) < kAdultAge) {
    Error e = MakeError(Errc::invalid_argument, "minor_needs_guardian");
    e.fields.push_back({"id_number", "minor_needs_guardian"});
    return e;
  }
  // The phone is proven before the taken checks: only the phone's owner can learn phone_taken.
  if (verify_sms_code) {
    if (!in.sms_code || in.sms_code->empty()) return ValidationFailed({{"sms_code", "required"}});
    if (auto st = sms_codes_.Verify(in.phone, "register", *in.sms_code); !st) return st.error();
  }

  // Refuse a taken ID number or phone before paying for Argon2id, so repeated registrations
  // of a known number cannot keep the worker pool busy hashing; the write transaction below
  // checks again.
  auto taken = db_.With<std::optional<std::string>>(store::TxMode::read,
                                                    [&](store::Tx& tx) { return TakenBy(tx, id->number, in.phone); });
  if (!taken) return taken.error();
  if (*taken) return MakeError(Errc::conflict, **taken);

  // Argon2id before the transaction: it takes tens of milliseconds and must not hold the
  // write lock.
  const std::string hash = crypto::HashPassword(in.password, config_.password_profile);
  const std::int64_t now = clock_.NowMs();
  auto user = db_.With<User>(store::TxMode::write, [&](store::Tx& tx) -> Result<User> {
    auto again = TakenBy(tx, id->number, in.phone);
    if (!again) return again.error();
    if (*again) return MakeError(Errc::conflict, **again);
    auto uid = repo::InsertUser(tx, NewUser{in.phone, hash, in.real_name, id->number, id->birth_date, id->sex, now});
    if (!uid) return uid.error();
    for (const auto& role : roles)
      if (auto st = repo::GrantRole(tx, *uid, role, std::nullopt, now); !st) return st.error();
    auto u = repo::FindUser(tx, *uid);
    if (!u) return u.error();
    return std::move(**u);
  });
  if (!user) return MapUniqueViolation(user.error());
  return user;
}

Result<User> AccountService::Register(const RegisterInput& in, const RequestMeta& meta) {
  if (auto wait = registrations_.Attempt("addr:" + meta.client_addr, clock_.NowMs())) return TooManyAttempts(*wait);
  return CreateAccount(in, {"patient"}, config_.register_needs_sms_code);
}

Status AccountService::SendRegisterCode(const std::string& phone, const RequestMeta& meta) {
  if (auto code = CheckPhone(phone); !code.empty()) return ValidationFailed({{"phone", code}});
  // Sent to a registered phone too (its owner then learns phone_taken after proving it): the
  // answer and the limits are the same either way.
  auto sent = sms_codes_.Issue(phone, "register", meta.client_addr);
  if (!sent) return sent.error();
  return {};
}

Result<User> AccountService::CreateAdmin(const RegisterInput& in) {
  auto existing = db_.With<std::optional<std::int64_t>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::FindUserIdByPhone(tx, in.phone); });
  if (!existing) return existing.error();
  if (!*existing) return CreateAccount(in, {"patient", "admin"}, false);
  auto user = db_.With<User>(store::TxMode::write, [&](store::Tx& tx) -> Result<User> {
    if (auto st = repo::GrantRole(tx, **existing, "admin", std::nullopt, clock_.NowMs()); !st) return st.error();
    if (auto st = audit::Append(tx, audit::Entry{clock_.NowMs(), std::nullopt, "system", "role.grant", **existing,
                                                 "Patient", std::to_string(**existing), "ihos admin create", ""});
        !st)
      return st.error();
    auto u = repo::FindUser(tx, **existing);
    if (!u) return u.error();
    return std::move(**u);
  });
  sessions_.ForgetUser(**existing);
  return user;
}

Result<LoginResult> AccountService::Login(const std::string& phone, const std::string& password,
                                          const RequestMeta& meta, const std::optional<std::string>& sms_code) {
  const std::int64_t now = clock_.NowMs();
  const std::string acct_key = "phone:" + phone;
  const std::string pa_key = "phone-addr:" + phone + "|" + meta.client_addr;
  const std::string addr_key = "addr:" + meta.client_addr;
  // Count the attempt before the (slow) password check, so a burst of parallel guesses cannot
  // all slip past the limit; a success is forgiven below. Only the guesser's own address and
  // (phone, address) pair are refused: failures from elsewhere cannot lock the owner out.
  const auto wait_pa = phone_address_failures_.Attempt(pa_key, now);
  const auto wait_addr = address_failures_.Attempt(addr_key, now);
  if (wait_pa || wait_addr) {
    if (!wait_pa) phone_address_failures_.Forgive(pa_key);
    if (!wait_addr) address_failures_.Forgive(addr_key);
    return TooManyAttempts(std::max(wait_pa.value_or(0), wait_addr.value_or(0)));
  }
  // Past the per-phone limit (failures from any address) the password alone is not enough.
  const bool second_factor = account_failures_.Attempt(acct_key, now).has_value();

  auto rec = db_.With<std::optional<LoginRecord>>(store::TxMode::read,
                                                  [&](store::Tx& tx) { return repo::FindLogin(tx, phone); });
  if (!rec) return rec.error();
  const bool ok = crypto::VerifyPassword(password, *rec ? (*rec)->password_hash : dummy_hash_) && rec->has_value();
  if (!ok) return MakeError(Errc::unauthenticated, "login_failed");
  phone_address_failures_.Reset(pa_key);
  address_failures_.Forgive(addr_key);
  if (!second_factor) account_failures_.Reset(acct_key);
  if (second_factor) {
    // The code goes only to someone who knows the password, so strangers cannot spam the phone.
    if (!sms_code || sms_code->empty()) {
      if (auto sent = sms_codes_.Issue(phone, "login", meta.client_addr); !sent) {
        if (sent.error().errc != Errc::rate_limited) return sent.error();
      }
      return MakeError(Errc::unauthenticated, "sms_code_required");
    }
    if (auto st = sms_codes_.Verify(phone, "login", *sms_code); !st) return st.error();
  }
  if ((*rec)->status != "active") return MakeError(Errc::forbidden, "account_disabled");

  LoginResult out;
  out.token = crypto::RandomToken(32);
  out.expires_at = now + config_.session_ttl_ms;
  auto user = db_.With<User>(store::TxMode::write, [&](store::Tx& tx) -> Result<User> {
    if (auto st =
            repo::InsertSession(tx, crypto::Blake2bHex(out.token), (*rec)->id, now, out.expires_at, meta.client_addr);
        !st)
      return st.error();
    auto u = repo::FindUser(tx, (*rec)->id);
    if (!u) return u.error();
    return std::move(**u);
  });
  if (!user) return user.error();
  out.user = std::move(*user);
  return out;
}

Status AccountService::Logout(const std::string& token) {
  const std::string hash = crypto::Blake2bHex(token);
  auto st =
      db_.Transact(store::TxMode::write, [&](store::Tx& tx) { return repo::RevokeSession(tx, hash, clock_.NowMs()); });
  // After the commit (SessionCache: a read racing with the revocation is not stored), and also
  // when the commit failed, since its outcome may be unknown.
  sessions_.ForgetToken(hash);
  return st;
}

Result<Principal> AccountService::Authenticate(const std::string& token) {
  if (token.size() > 128) return MakeError(Errc::unauthenticated, "session_expired");
  const std::string hash = crypto::Blake2bHex(token);
  const std::int64_t now = clock_.NowMs();
  if (auto hit = sessions_.Get(hash, now)) return std::move(*hit);
  const std::uint64_t generation = sessions_.Generation();
  std::int64_t last_seen = now;
  auto s = db_.With<std::optional<SessionRecord>>(store::TxMode::read, [&](store::Tx& tx) {
    auto found = repo::FindLiveSession(tx, hash, now);
    if (found && *found) {
      auto seen = repo::SessionLastSeen(tx, hash);
      if (!seen) return Result<std::optional<SessionRecord>>(seen.error());
      last_seen = *seen;
    }
    return found;
  });
  if (!s) return s.error();
  if (!*s || (*s)->status != "active") return MakeError(Errc::unauthenticated, "session_expired");
  Principal who{(*s)->user_id, (*s)->real_name, (*s)->roles};
  sessions_.Put(hash, who, (*s)->expires_at, now, generation);
  // "My sessions" shows when each was last used: written on a database read (a cache miss) at
  // most every kLastSeenEveryMs per session, best effort (a failed write costs only accuracy).
  if (now - last_seen >= kLastSeenEveryMs)
    (void)db_.Transact(store::TxMode::write, [&](store::Tx& tx) { return repo::TouchSession(tx, hash, now); });
  return who;
}

std::optional<Principal> AccountService::CachedPrincipal(const std::string& token) const {
  if (!sessions_.enabled() || token.size() > 128) return std::nullopt;
  return sessions_.Get(crypto::Blake2bHex(token), clock_.NowMs());
}

std::shared_ptr<const User> AccountService::CachedMe(const Principal& actor) const {
  return sessions_.GetUser(actor.user_id, clock_.NowMs());
}

Result<User> AccountService::Me(const Principal& actor) {
  const std::int64_t now = clock_.NowMs();
  if (auto hit = sessions_.GetUser(actor.user_id, now)) return *hit;
  const std::uint64_t generation = sessions_.Generation();
  auto u = db_.With<std::optional<User>>(store::TxMode::read,
                                         [&](store::Tx& tx) { return repo::FindUser(tx, actor.user_id); });
  if (!u) return u.error();
  if (!*u) return MakeError(Errc::not_found, "not_found");
  sessions_.PutUser(std::make_shared<const User>(**u), now, generation);
  return std::move(**u);
}

Result<UserSettings> AccountService::Settings(const Principal& actor) {
  return db_.With<UserSettings>(store::TxMode::read,
                                [&](store::Tx& tx) { return repo::FindSettings(tx, actor.user_id); });
}

Result<UserSettings> AccountService::PutSettings(const Principal& actor, UserSettings settings) {
  settings.updated_at = clock_.NowMs();
  auto st = db_.Transact(store::TxMode::write,
                         [&](store::Tx& tx) { return repo::PutSettings(tx, actor.user_id, settings); });
  if (!st) return st.error();
  return settings;
}

Result<std::optional<User>> AccountService::FindUser(store::Tx& tx, std::int64_t id) { return repo::FindUser(tx, id); }

Result<std::vector<Dependent>> AccountService::Wards(store::Tx& tx, std::int64_t guardian_id) {
  return repo::Wards(tx, guardian_id);
}

Status AccountService::GrantRoleIn(store::Tx& tx, std::int64_t user_id, const std::string& role, std::int64_t by,
                                   std::int64_t at) {
  return repo::GrantRole(tx, user_id, role, by, at);
}

Result<bool> AccountService::CanActFor(store::Tx& tx, const Principal& actor, std::int64_t patient_id) {
  if (actor.user_id == patient_id) return true;
  auto g = repo::IsGuardianOf(tx, actor.user_id, patient_id);
  if (!g) return g.error();
  if (!*g) return false;
  // Guardianship of a minor ends at 18: an adult manages their own record.
  auto ward = repo::FindUser(tx, patient_id);
  if (!ward) return ward.error();
  return *ward && AgeOn((*ward)->birth_date, CivilDateCst(clock_.NowMs())) < kAdultAge;
}

Result<std::vector<audit::AccessItem>> AccountService::AccessLog(const Principal& actor, std::int64_t patient_id,
                                                                 int limit, std::int64_t before_id,
                                                                 const RequestMeta& meta) {
  const bool self = actor.user_id == patient_id;
  return db_.With<std::vector<audit::AccessItem>>(
      self ? store::TxMode::read : store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<audit::AccessItem>> {
        auto can = CanActFor(tx, actor, patient_id);
        if (!can) return can.error();
        if (!*can) return MakeError(Errc::not_found, "not_found");
        auto items = audit::ListForPatient(tx, patient_id, limit, before_id);
        if (!items) return items.error();
        // A guardian reading a ward's access log reads the ward's data: that is logged too
        // (after the listing, so it shows from the next read on).
        if (!self)
          if (auto st = audit::Append(tx, AuditEntry(actor, "access_log.read", patient_id, meta, "guardian")); !st)
            return st.error();
        return items;
      });
}

Result<std::vector<Dependent>> AccountService::Dependents(const Principal& actor, const RequestMeta& meta) {
  return db_.With<std::vector<Dependent>>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<Dependent>> {
    auto all = repo::Wards(tx, actor.user_id);
    if (!all) return all.error();
    // Guardianship ends at 18 (CanActFor): a ward who came of age is no longer listed.
    const std::string today = CivilDateCst(clock_.NowMs());
    std::vector<Dependent> wards;
    for (auto& w : *all)
      if (AgeOn(w.user.birth_date, today) < kAdultAge) wards.push_back(std::move(w));
    for (const auto& w : wards)
      if (auto st = audit::Append(tx, AuditEntry(actor, "patient.list", w.user.id, meta, "guardian")); !st)
        return st.error();
    return wards;
  });
}

Result<Dependent> AccountService::AddDependent(const Principal& actor, const DependentInput& in,
                                               const RequestMeta& meta) {
  const std::string today = CivilDateCst(clock_.NowMs());
  std::vector<FieldError> errs;
  Check(errs, "real_name", CheckRealName(in.real_name));
  auto id = ParseResidentId(in.id_number, today);
  if (!id) errs.push_back(id.error().fields.front());
  Check(errs, "relationship", CheckRelationship(in.relationship));
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  if (AgeOn(id->birth_date, today) >= kAdultAge) {
    Error e = MakeError(Errc::invalid_argument, "dependent_not_minor");
    e.fields.push_back({"id_number", "dependent_not_minor"});
    return e;
  }
  const std::int64_t now = clock_.NowMs();
  const auto attempt = [&] {
    return db_.With<Dependent>(store::TxMode::write, [&](store::Tx& tx) -> Result<Dependent> {
      auto existing = repo::FindUserIdByIdNumber(tx, id->number);
      if (!existing) return existing.error();
      if (*existing) {
        auto mine = repo::IsGuardianOf(tx, actor.user_id, **existing);
        if (!mine) return mine.error();
        return MakeError(Errc::conflict, *mine ? "already_guardian" : "dependent_exists");
      }
      auto uid = repo::InsertUser(
          tx, NewUser{std::nullopt, std::nullopt, in.real_name, id->number, id->birth_date, id->sex, now});
      if (!uid) return uid.error();
      if (auto st = repo::GrantRole(tx, *uid, "patient", actor.user_id, now); !st) return st.error();
      if (auto st = repo::InsertGuardianship(tx, actor.user_id, *uid, in.relationship, now); !st) return st.error();
      if (auto st = audit::Append(tx, AuditEntry(actor, "patient.create", *uid, meta, "guardian")); !st)
        return st.error();
      auto u = repo::FindUser(tx, *uid);
      if (!u) return u.error();
      return Dependent{std::move(**u), in.relationship};
    });
  };
  auto dep = attempt();
  // Two guardians adding the same minor at once: on PostgreSQL both see no record, and the
  // later insert fails on the unique ID number. Run again: now the other's committed record is
  // seen, and the answer is the one it would have been a moment later (dependent_exists or
  // already_guardian), not id_number_taken.
  if (!dep && dep.error().code == "unique_violation") dep = attempt();
  if (!dep) return MapUniqueViolation(dep.error());
  return dep;
}

Result<User> AccountService::ReadPatient(const Principal& actor, std::int64_t patient_id, const std::string& reason,
                                         const RequestMeta& meta) {
  return db_.With<User>(store::TxMode::write, [&](store::Tx& tx) -> Result<User> {
    auto can = CanActFor(tx, actor, patient_id);
    if (!can) return can.error();
    std::string why = reason;
    if (!*can) {
      if (!actor.Has("admin")) return MakeError(Errc::not_found, "not_found");
      if (reason.empty()) {
        Error e = MakeError(Errc::invalid_argument, "reason_required");
        e.fields.push_back({"reason", "reason_required"});
        return e;
      }
    } else if (why.empty() && actor.user_id != patient_id) {
      why = "guardian";
    }
    auto u = repo::FindUser(tx, patient_id);
    if (!u) return u.error();
    if (!*u) return MakeError(Errc::not_found, "not_found");
    if (actor.user_id != patient_id)
      if (auto st = audit::Append(tx, AuditEntry(actor, "patient.read", patient_id, meta, why)); !st) return st.error();
    return std::move(**u);
  });
}

Result<std::vector<User>> AccountService::SearchUsers(const Principal& admin, const std::string& q,
                                                      const RequestMeta& meta) {
  return db_.With<std::vector<User>>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<User>> {
    auto users = repo::Search(tx, q, 50);
    if (!users) return users.error();
    for (const auto& u : *users)
      if (u.id != admin.user_id)
        if (auto st = audit::Append(tx, AuditEntry(admin, "user.search", u.id, meta, "user_administration")); !st)
          return st.error();
    return users;
  });
}

Result<std::vector<std::string>> AccountService::GrantRole(const Principal& admin, std::int64_t user_id,
                                                           const std::string& role, const RequestMeta& meta) {
  if (std::find(AllRoles().begin(), AllRoles().end(), role) == AllRoles().end())
    return MakeError(Errc::invalid_argument, "role_unknown");
  // Errors also: conflict role_needs_credential_review (see RoleNeedsCredentialReview).
  if (RoleNeedsCredentialReview(role)) return MakeError(Errc::conflict, "role_needs_credential_review");
  auto roles =
      db_.With<std::vector<std::string>>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<std::string>> {
        auto u = repo::FindUser(tx, user_id);
        if (!u) return u.error();
        if (!*u) return MakeError(Errc::not_found, "not_found");
        if (auto st = repo::GrantRole(tx, user_id, role, admin.user_id, clock_.NowMs()); !st) return st.error();
        if (auto st = audit::Append(tx, AuditEntry(admin, "role.grant", user_id, meta, role)); !st) return st.error();
        return repo::Roles(tx, user_id);
      });
  sessions_.ForgetUser(user_id);
  return roles;
}

Result<std::vector<std::string>> AccountService::RevokeRole(const Principal& admin, std::int64_t user_id,
                                                            const std::string& role, const RequestMeta& meta) {
  if (std::find(AllRoles().begin(), AllRoles().end(), role) == AllRoles().end())
    return MakeError(Errc::invalid_argument, "role_unknown");
  if (role == "admin" && user_id == admin.user_id) return MakeError(Errc::conflict, "cannot_revoke_own_admin");
  auto roles =
      db_.With<std::vector<std::string>>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<std::string>> {
        auto u = repo::FindUser(tx, user_id);
        if (!u) return u.error();
        if (!*u) return MakeError(Errc::not_found, "not_found");
        if (auto st = repo::RevokeRole(tx, user_id, role); !st) return st.error();
        if (auto st = audit::Append(tx, AuditEntry(admin, "role.revoke", user_id, meta, role)); !st) return st.error();
        return repo::Roles(tx, user_id);
      });
  sessions_.ForgetUser(user_id);
  return roles;
}

}  // namespace ihos::domain::accounts
