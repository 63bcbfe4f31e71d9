#include "domain/dispensing/pickup.hpp"

#include <sodium.h>

#include "domain/dispensing/rules.hpp"

namespace ihos::domain::dispensing::pickup {
namespace {

std::string B64(const unsigned char* bytes, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::optional<std::string> Raw(std::string_view b64, std::size_t want) {
  std::string out(b64.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(), b64.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len != want)
    return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace

KeyPair NewKeyPair() {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  KeyPair k{B64(pk, sizeof pk), B64(sk, sizeof sk)};
  sodium_memzero(sk, sizeof sk);
  return k;
}

std::string Sign(const PickupClaim& claim, const std::string& secret_key_b64) {
  auto sk = Raw(secret_key_b64, crypto_sign_SECRETKEYBYTES);
  if (!sk) return "";
  const std::string message = PickupMessage(claim);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(sk->data()));
  sodium_memzero(sk->data(), sk->size());
  return EncodePickup(message, std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
}

bool Verify(std::string_view message, std::string_view signature_raw, const std::string& public_key_b64) {
  auto pk = Raw(public_key_b64, crypto_sign_PUBLICKEYBYTES);
  if (!pk || signature_raw.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature_raw.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     reinterpret_cast<const unsigned char*>(pk->data())) == 0;
}

}  // namespace ihos::domain::dispensing::pickup
