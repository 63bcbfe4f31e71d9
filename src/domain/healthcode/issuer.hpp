#pragma once
// Health code, issuer part: the signing keys (sealed with the KEK), the rid secret, the signed
// card, the published JWKS and CRL, key rotation. See README.md.
//
// Thread-safe. Keys are loaded at Init and reloaded at most every 30 s (a rotation by
// `ihos keys rotate` in another process is picked up then).
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "domain/healthcode/model.hpp"
#include "domain/healthcode/shc.hpp"
#include "store/database.hpp"

namespace ihos::domain::healthcode {

class Issuer {
 public:
  struct KeySet {
    std::shared_ptr<const shc::SigningKey> signer;
    std::string rid_secret;
    std::map<std::string, std::shared_ptr<const shc::VerifyKey>> verifiers;  // kid ->
    std::map<std::string, std::string> rid_secrets;                          // kid ->
    std::int64_t loaded_at = 0;
  };

  Issuer(store::Database& db, const Clock& clock, const Config& config);

  // Inside the caller's write transaction: stores a first signing key when there is none.
  Status EnsureKey(store::Tx& tx);
  // Errors: internal "healthcode_key_sealed" when a stored key does not open with this KEK.
  Status LoadKeys();
  // The keys as last loaded (reloaded when older than 30 s). Init must have succeeded.
  std::shared_ptr<const KeySet> Keys();

  // Set before the server starts; read by every card signed and verified.
  void SetIssuer(std::string issuer) { issuer_ = std::move(issuer); }
  const std::string& issuer() const { return issuer_; }
  int card_minutes() const { return card_minutes_; }

  // The person's rid under the current signing key.
  static std::string RidOf(const KeySet& keys, std::int64_t user_id);
  // Signs a card that starts at now_s; the result is the card's JWS, QR text and SVG.
  std::shared_ptr<const Card> SignCard(const KeySet& keys, const Identity& who, Colour colour,
                                       const std::optional<std::pair<std::string, std::int64_t>>& test,
                                       const std::string& rid, std::int64_t now_s) const;
  // The shc:/ text of a card, without the QR drawing (the benchmark).
  std::string SignQrText(const std::string& masked_name, const std::string& birth_date, Colour colour,
                         std::int64_t user_id);

  // The public keys still verifying (the signing key and those retired less than a card's life ago).
  Result<std::vector<std::string>> Jwks();
  // Errors: not_found "key_not_found".
  Result<Crl> RevocationList(const std::string& kid);
  // Retires the signing key and makes a new one. Returns the new kid. Errors: internal
  // "healthcode_key_sealed" (wrong KEK).
  static Result<std::string> RotateKey(store::Database& db, const std::string& kek, std::int64_t now_ms);

 private:
  store::Database& db_;
  const Clock& clock_;
  const int card_minutes_;
  const shc::Kek kek_;
  std::string issuer_;
  std::mutex mu_;
  std::shared_ptr<const KeySet> keys_;
};

}  // namespace ihos::domain::healthcode
