#include "domain/prescriptions/signing.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace ihos::domain::prescriptions::signing {
namespace {

struct Cost {
  unsigned long long ops;
  std::size_t mem;
};
Cost CostOf(crypto::PasswordProfile p) {
  switch (p) {
    case crypto::PasswordProfile::interactive:
      return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
    case crypto::PasswordProfile::moderate:
      return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
    case crypto::PasswordProfile::test:
      return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  }
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

bool DeriveKey(std::string_view pin, std::string_view salt, Cost c, unsigned char (&out)[crypto_secretbox_KEYBYTES]) {
  if (salt.size() != crypto_pwhash_SALTBYTES) return false;
  if (c.ops < crypto_pwhash_OPSLIMIT_MIN || c.ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      c.mem < crypto_pwhash_MEMLIMIT_MIN || c.mem > crypto_pwhash_MEMLIMIT_SENSITIVE)
    return false;
  return crypto_pwhash(out, sizeof out, pin.data(), pin.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                       c.ops, c.mem, crypto_pwhash_ALG_ARGON2ID13) == 0;
}

}  // namespace

std::string B64Url(std::string_view bytes) {
  const std::size_t len = sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(len, '\0');
  sodium_bin2base64(out.data(), len, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(len - 1);
  return out;
}

std::optional<std::string> FromB64Url(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

bool PinWellFormed(std::string_view pin) {
  if (pin.size() < 6 || pin.size() > 12) return false;
  for (char c : pin)
    if (c < '0' || c > '9') return false;
  return true;
}

SealedKey NewKey(std::string_view pin, crypto::PasswordProfile profile) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  unsigned char salt[crypto_pwhash_SALTBYTES];
  randombytes_buf(salt, sizeof salt);
  unsigned char key[crypto_secretbox_KEYBYTES];
  const std::string salt_s(reinterpret_cast<char*>(salt), sizeof salt);
  const Cost cost = CostOf(profile);
  if (!DeriveKey(pin, salt_s, cost, key)) throw std::runtime_error("argon2id failed (out of memory)");
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + sizeof sk);
  randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES, sk, sizeof sk, box.data(), key);
  sodium_memzero(sk, sizeof sk);
  sodium_memzero(key, sizeof key);
  return {B64Url(std::string_view(reinterpret_cast<char*>(pk), sizeof pk)),
          B64Url(std::string_view(reinterpret_cast<char*>(box.data()), box.size())), B64Url(salt_s),
          static_cast<std::int64_t>(cost.ops), static_cast<std::int64_t>(cost.mem)};
}

std::optional<std::string> Open(const SealedKey& k, std::string_view pin) {
  auto box = FromB64Url(k.sealed_secret);
  auto salt = FromB64Url(k.pin_salt);
  if (!box || !salt ||
      box->size() != crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + crypto_sign_SECRETKEYBYTES)
    return std::nullopt;
  unsigned char key[crypto_secretbox_KEYBYTES];
  if (k.kdf_ops <= 0 || k.kdf_mem <= 0) return std::nullopt;
  const Cost cost{static_cast<unsigned long long>(k.kdf_ops), static_cast<std::size_t>(k.kdf_mem)};
  if (!DeriveKey(pin, *salt, cost, key)) return std::nullopt;
  std::string sk(crypto_sign_SECRETKEYBYTES, '\0');
  const auto* b = reinterpret_cast<const unsigned char*>(box->data());
  const int rc =
      crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(sk.data()), b + crypto_secretbox_NONCEBYTES,
                                 box->size() - crypto_secretbox_NONCEBYTES, b, key);
  sodium_memzero(key, sizeof key);
  if (rc != 0) return std::nullopt;
  return sk;
}

std::string Sign(const std::string& secret_key, std::string_view message) {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(secret_key.data()));
  return B64Url(std::string_view(reinterpret_cast<char*>(sig), sizeof sig));
}

bool Verify(std::string_view public_key_b64, std::string_view message, std::string_view signature_b64) {
  auto pk = FromB64Url(public_key_b64);
  auto sig = FromB64Url(signature_b64);
  if (!pk || !sig || pk->size() != crypto_sign_PUBLICKEYBYTES || sig->size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     reinterpret_cast<const unsigned char*>(pk->data())) == 0;
}

}  // namespace ihos::domain::prescriptions::signing
