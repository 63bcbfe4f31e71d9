#include "domain/prescriptions/service_internal.hpp"

namespace ihos::domain::prescriptions {
using namespace detail;

// --- keys ---

Result<std::string> PrescriptionService::OpenKey(const SigningKey& key, const std::string& pin) {
  const std::string who = std::to_string(key.user_id) + ":" + key.role;
  if (auto wait = pin_attempts_.Attempt(who, clock_.NowMs())) {
    Error e = MakeError(Errc::rate_limited, "too_many_pin_attempts");
    e.retry_after_s = static_cast<int>((*wait + 999) / 1000);
    return e;
  }
  auto secret = signing::Open({key.public_key, key.sealed_secret, key.pin_salt, key.kdf_ops, key.kdf_mem}, pin);
  if (!secret) return MakeError(Errc::conflict, "rx_signature_invalid");
  pin_attempts_.Forgive(who);
  return std::move(*secret);
}

Result<SigningKey> PrescriptionService::SetPin(const Principal& actor, const std::string& role, const std::string& pin,
                                               const std::string& old_pin) {
  if (!signing::PinWellFormed(pin)) return ValidationFailed({{"pin", "pin_format"}});
  // Who may sign: an active, licensed practitioner (doctor) or a registered pharmacist.
  std::string name = actor.real_name;
  if (role == "doctor") {
    auto d = directory_.MyPractitioner(actor);
    if (!d || !PractisingToday(*d, clock_.NowMs())) return MakeError(Errc::forbidden, "not_a_signer");
    name = d->name;
  } else {
    auto ph = db_.With<std::optional<Pharmacist>>(
        store::TxMode::read, [&](store::Tx& tx) { return repo::PharmacistByUser(tx, actor.user_id); });
    if (!ph) return ph.error();
    if (!*ph || (*ph)->status != "active") return MakeError(Errc::forbidden, "not_a_signer");
    name = (*ph)->name;
  }
  auto current = db_.With<std::optional<SigningKey>>(
      store::TxMode::read, [&](store::Tx& tx) { return repo::ActiveKey(tx, actor.user_id, role); });
  if (!current) return current.error();
  if (*current) {
    if (auto opened = OpenKey(**current, old_pin); !opened) return opened.error();
  }
  // Argon2id outside the transaction; a new key on every PIN (the old one stays published, retired,
  // so what it signed still verifies).
  const auto sealed = signing::NewKey(pin, config_.pin_profile);
  return db_.With<SigningKey>(store::TxMode::write, [&](store::Tx& tx) -> Result<SigningKey> {
    auto again = repo::ActiveKey(tx, actor.user_id, role);
    if (!again) return again.error();
    if (again->has_value() != current->has_value() || (*again && (*again)->id != (*current)->id))
      return MakeError(Errc::conflict, "rx_signature_invalid");
    if (*again)
      if (auto st = repo::RetireKey(tx, (*again)->id); !st) return st.error();
    SigningKey k;
    k.user_id = actor.user_id;
    k.role = role;
    k.owner_name = name;
    k.public_key = sealed.public_key;
    k.sealed_secret = sealed.sealed_secret;
    k.pin_salt = sealed.pin_salt;
    k.kdf_ops = sealed.kdf_ops;
    k.kdf_mem = sealed.kdf_mem;
    k.created_at = clock_.NowMs();
    auto id = repo::InsertKey(tx, k);
    if (!id) return id.error();
    k.id = *id;
    k.status = "active";
    return k;
  });
}

Result<std::vector<SigningKey>> PrescriptionService::PublicKeys() {
  return db_.With<std::vector<SigningKey>>(store::TxMode::read, [&](store::Tx& tx) { return repo::AllKeys(tx); });
}

}  // namespace ihos::domain::prescriptions
