#pragma once
// Ed25519 (libsodium) for pickup codes: a server key pair, signing a pickup claim, verifying a
// code against a published key. Keys are base64url. Thread-safe (no state).
#include <optional>
#include <string>
#include <string_view>

#include "domain/dispensing/model.hpp"

namespace ihos::domain::dispensing::pickup {

struct KeyPair {
  std::string public_key;  // base64url, 32 bytes
  std::string secret_key;  // base64url, 64 bytes
};
KeyPair NewKeyPair();
// The code's text (rules.hpp: IHOSPU1.<message>.<signature>); "" for a malformed secret key.
std::string Sign(const PickupClaim& claim, const std::string& secret_key_b64);
// True when the signature of the parsed code verifies under `public_key_b64`.
bool Verify(std::string_view message, std::string_view signature_raw, const std::string& public_key_b64);

}  // namespace ihos::domain::dispensing::pickup
