#pragma once
// Thin wrappers over libsodium. Call SodiumInit() once at start (idempotent, thread-safe).
#include <optional>
#include <string>
#include <string_view>

namespace ihos::crypto {

void SodiumInit();

// `bytes` random bytes, URL-safe base64 without padding (43 chars for 32 bytes).
std::string RandomToken(std::size_t bytes = 32);
// `bytes` random bytes as lower-case hex.
std::string RandomHex(std::size_t bytes);
// BLAKE2b-256 of `data`, lower-case hex (64 chars).
std::string Blake2bHex(std::string_view data);
// SHA-256 of `data`, lower-case hex (64 chars): the content address of uploaded files.
std::string Sha256Hex(std::string_view data);
// HMAC-SHA256 of `data` under `key`, lowercase hex (payment notifications).
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// Compares two strings in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// Standard base64 (RFC 4648, padded) of bytes, and back; nullopt for text that is not base64.
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

// Argon2id cost. `interactive` is libsodium's interactive limits (the production default);
// `test` is libsodium's minimum, for tests and benches that create many accounts.
enum class PasswordProfile { interactive, moderate, test };

// Argon2id hash string (includes salt and parameters). Slow by design: call off I/O threads.
std::string HashPassword(std::string_view password, PasswordProfile profile);
// True when `password` matches `hash`. Constant-time in the password; slow by design.
bool VerifyPassword(std::string_view password, const std::string& hash);

}  // namespace ihos::crypto
