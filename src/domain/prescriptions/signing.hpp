#pragma once
// Ed25519 signing keys sealed by the signer's PIN (libsodium): the secret key is encrypted with
// XSalsa20-Poly1305 under a key derived from the PIN by Argon2id, so the server holds only
// ciphertext and cannot sign without the signer. Thread-safe (no state); the Argon2id step is
// slow by design — call from the worker pool.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto.hpp"

namespace ihos::domain::prescriptions::signing {

struct SealedKey {
  std::string public_key;     // base64url, 32 bytes
  std::string sealed_secret;  // base64url(nonce || ciphertext)
  std::string pin_salt;       // base64url, 16 bytes
  std::int64_t kdf_ops = 0;   // the Argon2id cost it was sealed with (kept with the key, so a
  std::int64_t kdf_mem = 0;   // later change of the default cost still opens it)
};

// A PIN is 6 to 12 digits.
bool PinWellFormed(std::string_view pin);

SealedKey NewKey(std::string_view pin, crypto::PasswordProfile profile);
// The secret key (64 bytes, raw) when the PIN opens it (with the key's own Argon2id cost);
// nullopt for a wrong PIN.
std::optional<std::string> Open(const SealedKey& key, std::string_view pin);
// Detached Ed25519 signature of `message`, base64url.
std::string Sign(const std::string& secret_key, std::string_view message);
bool Verify(std::string_view public_key_b64, std::string_view message, std::string_view signature_b64);

std::string B64Url(std::string_view bytes);
std::optional<std::string> FromB64Url(std::string_view text);

}  // namespace ihos::domain::prescriptions::signing
