#include "domain/healthcode/issuer.hpp"

#include "core/crypto.hpp"
#include "core/mask.hpp"
#include "domain/healthcode/json.hpp"
#include "domain/healthcode/repository.hpp"

namespace ihos::domain::healthcode {
using store::Tx;
using store::TxMode;

namespace {
constexpr std::int64_t kKeyRefreshMs = 30 * 1000;
constexpr std::int64_t kCrlKeepMs = 2 * 24LL * 3600 * 1000;  // longer than any card's life

Result<KeyRow> NewKey(const shc::Kek& kek) {
  auto key = shc::SigningKey::Generate();
  if (!key) return MakeError(Errc::internal, "healthcode_key_sealed", "key generation failed");
  return KeyRow{key->kid(), key->PublicJwkJson(), shc::Seal(key->Pem(), kek), shc::Seal(crypto::RandomHex(32), kek),
                std::nullopt};
}
}  // namespace

Issuer::Issuer(store::Database& db, const Clock& clock, const Config& config)
    : db_(db),
      clock_(clock),
      card_minutes_(config.card_minutes),
      kek_(shc::DeriveKek(config.kek)),
      issuer_(config.issuer) {}

Status Issuer::EnsureKey(Tx& tx) {
  auto n = repo::CountKeys(tx);
  if (!n) return n.error();
  if (*n > 0) return {};
  auto key = NewKey(kek_);
  if (!key) return key.error();
  return repo::InsertKey(tx, *key, clock_.NowMs());
}

Status Issuer::LoadKeys() {
  auto ks = std::make_shared<KeySet>();
  const std::int64_t now = clock_.NowMs();
  auto st = db_.Transact(TxMode::read, [&](Tx& tx) -> Status {
    auto rows = repo::LiveKeys(tx, now - card_minutes_ * 60000LL);
    if (!rows) return rows.error();
    for (const auto& k : *rows) {
      auto xy = JwkXY(k.public_jwk);
      auto vk = xy ? shc::VerifyKey::FromXY(xy->first, xy->second) : nullptr;
      auto rid = shc::Unseal(k.rid_secret_sealed, kek_);
      if (!vk || !rid) return MakeError(Errc::internal, "healthcode_key_sealed", "kid " + k.kid);
      ks->verifiers[k.kid] = std::move(vk);
      ks->rid_secrets[k.kid] = *rid;
      if (!k.retired_at) {
        auto pem = shc::Unseal(k.private_sealed, kek_);
        if (!pem) return MakeError(Errc::internal, "healthcode_key_sealed", "kid " + k.kid);
        auto sk = shc::SigningKey::FromPem(*pem);
        if (!sk) return MakeError(Errc::internal, "healthcode_key_sealed", "kid " + k.kid);
        ks->signer = std::move(sk);
        ks->rid_secret = *rid;
      }
    }
    if (!ks->signer) return MakeError(Errc::internal, "healthcode_key_sealed", "no signing key");
    return {};
  });
  if (!st) return st;
  ks->loaded_at = now;
  std::lock_guard lock(mu_);
  keys_ = std::move(ks);
  return {};
}

std::shared_ptr<const Issuer::KeySet> Issuer::Keys() {
  std::shared_ptr<const KeySet> k;
  {
    std::lock_guard lock(mu_);
    k = keys_;
  }
  // A rotation by `ihos keys rotate` in another process is picked up within kKeyRefreshMs.
  if (clock_.NowMs() - k->loaded_at > kKeyRefreshMs && LoadKeys()) {
    std::lock_guard lock(mu_);
    k = keys_;
  }
  return k;
}

std::string Issuer::RidOf(const KeySet& keys, std::int64_t user_id) {
  return shc::Rid(keys.rid_secret, keys.signer->kid(), user_id);
}

std::shared_ptr<const Card> Issuer::SignCard(const KeySet& keys, const Identity& who, Colour colour,
                                             const std::optional<std::pair<std::string, std::int64_t>>& test,
                                             const std::string& rid, std::int64_t now_s) const {
  auto card = std::make_shared<Card>();
  card->jws =
      shc::SignJws(*keys.signer, CardPayload(issuer_, card_minutes_, MaskName(who.real_name),
                                             MaskIdNumber(who.id_number), who.birth_date, colour, test, rid, now_s));
  card->qr_text = shc::ToQrText(card->jws);
  card->qr_svg = shc::QrSvg(card->qr_text);
  card->kid = keys.signer->kid();
  card->issued_at = now_s * 1000;
  card->expires_at = (now_s + card_minutes_ * 60) * 1000;
  return card;
}

std::string Issuer::SignQrText(const std::string& masked_name, const std::string& birth_date, Colour colour,
                               std::int64_t user_id) {
  auto keys = Keys();
  const std::string rid = RidOf(*keys, user_id);
  const std::string jws = shc::SignJws(
      *keys->signer, CardPayload(issuer_, card_minutes_, masked_name, "1101**********002X", birth_date, colour,
                                 std::make_pair(std::string("negative"), clock_.NowMs()), rid, clock_.NowMs() / 1000));
  return shc::ToQrText(jws);
}

Result<std::vector<std::string>> Issuer::Jwks() {
  const std::int64_t now = clock_.NowMs();
  return db_.With<std::vector<std::string>>(TxMode::read, [&](Tx& tx) -> Result<std::vector<std::string>> {
    auto rows = repo::LiveKeys(tx, now - card_minutes_ * 60000LL);
    if (!rows) return rows.error();
    std::vector<std::string> out;
    for (const auto& k : *rows) out.push_back(k.public_jwk);
    return out;
  });
}

Result<Crl> Issuer::RevocationList(const std::string& kid) {
  auto keys = Keys();
  auto secret = keys->rid_secrets.find(kid);
  if (secret == keys->rid_secrets.end()) return MakeError(Errc::not_found, "key_not_found");
  const std::int64_t now = clock_.NowMs();
  return db_.With<Crl>(TxMode::read, [&](Tx& tx) -> Result<Crl> {
    auto rows = repo::RevokedSince(tx, now - kCrlKeepMs);
    if (!rows) return rows.error();
    auto ctr = repo::MaxRevocationId(tx);
    if (!ctr) return ctr.error();
    Crl crl{kid, *ctr + 1, {}};
    // "rid.timestamp": every card of that rid with nbf before the timestamp is revoked.
    for (const auto& [user, before] : *rows)
      crl.rids.push_back(shc::Rid(secret->second, kid, user) + "." + std::to_string(before));
    return crl;
  });
}

Result<std::string> Issuer::RotateKey(store::Database& db, const std::string& kek_pass, std::int64_t now) {
  const auto kek = shc::DeriveKek(kek_pass);
  return db.With<std::string>(TxMode::write, [&](Tx& tx) -> Result<std::string> {
    auto cur = repo::SigningKeys(tx);
    if (!cur) return cur.error();
    for (const auto& k : *cur)
      if (!shc::Unseal(k.private_sealed, kek)) return MakeError(Errc::internal, "healthcode_key_sealed", "wrong KEK");
    auto key = NewKey(kek);
    if (!key) return key.error();
    if (auto u = repo::RetireSigningKeys(tx, now); !u) return u.error();
    if (auto ins = repo::InsertKey(tx, *key, now); !ins) return ins.error();
    return key->kid;
  });
}

}  // namespace ihos::domain::healthcode
