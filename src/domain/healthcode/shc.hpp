#pragma once
// SMART Health Card primitives (spec.smarthealth.cards): ES256 keys (OpenSSL, P-256), JWS compact
// serialisation with a raw-DEFLATE payload (zlib), RFC 7638 JWK thumbprints as `kid`, the `shc:/`
// numeric QR encoding, QR SVG (libqrencode) and sealing of private keys with a key-encryption key
// (libsodium secretbox). Pure functions and immutable key objects: thread-safe.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace ihos::domain::healthcode::shc {

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Raw DEFLATE (no zlib or gzip header), as `zip: "DEF"` requires.
std::string RawDeflate(std::string_view data);
// nullopt when `data` is not a complete raw-DEFLATE stream or inflates past `max_bytes`.
std::optional<std::string> RawInflate(std::string_view data, std::size_t max_bytes = 64 * 1024);

// "shc:/" + two decimal digits per JWS character (code point - 45).
std::string ToQrText(std::string_view jws);
// The JWS inside a `shc:/` text; nullopt for a chunked, malformed or non-numeric text.
std::optional<std::string> FromQrText(std::string_view qr_text);

// The QR code as a standalone SVG: "shc:/" in byte mode and the digits in numeric mode, error
// correction level L (spec: QR). `module_px` is the size of one module.
std::string QrSvg(std::string_view qr_text, int module_px = 4);
// Any text (e.g. a venue check-in URL) as an SVG QR code, error correction M.
std::string TextQrSvg(std::string_view text, int module_px = 4);

// RFC 7638 thumbprint of a P-256 public key given by its base64url x and y.
std::string Thumbprint(std::string_view x_b64u, std::string_view y_b64u);

// An ES256 private key. Generate() and FromPem() return nullptr on OpenSSL failure / bad PEM.
class SigningKey {
 public:
  static std::unique_ptr<SigningKey> Generate();
  static std::unique_ptr<SigningKey> FromPem(std::string_view pkcs8_pem);
  ~SigningKey();
  std::string Pem() const;  // PKCS#8, unencrypted: seal it before storing
  const std::string& x() const { return x_; }
  const std::string& y() const { return y_; }
  const std::string& kid() const { return kid_; }
  // {"kty":"EC","kid":...,"use":"sig","alg":"ES256","crv":"P-256","x":...,"y":...}
  std::string PublicJwkJson() const;
  // 64-byte raw r||s signature over SHA-256(data), as JWS ES256 requires.
  std::string Sign(std::string_view data) const;

 private:
  SigningKey() = default;
  void* pkey_ = nullptr;  // EVP_PKEY*
  std::string x_, y_, kid_;
};

// An ES256 public key from a JWK's x and y (base64url). nullptr when not a P-256 point.
class VerifyKey {
 public:
  static std::unique_ptr<VerifyKey> FromXY(std::string_view x_b64u, std::string_view y_b64u);
  ~VerifyKey();
  bool Verify(std::string_view data, std::string_view raw_sig) const;

 private:
  VerifyKey() = default;
  void* pkey_ = nullptr;
};

// A compact JWS {"alg":"ES256","zip":"DEF","kid":...} over the minified, deflated payload.
std::string SignJws(const SigningKey& key, std::string_view payload_json);

struct ParsedJws {
  std::string kid;
  std::string signing_input;  // header.payload as sent
  std::string signature;      // raw 64 bytes
  std::string payload_json;   // inflated
};
// Splits and decodes a compact JWS. Errors: invalid_argument "card_malformed" (not three parts,
// bad base64url, header not ES256/DEF, payload does not inflate).
Result<ParsedJws> ParseJws(std::string_view jws);

// A 32-byte key-encryption key derived (BLAKE2b) from a passphrase.
using Kek = std::array<unsigned char, 32>;
Kek DeriveKek(std::string_view passphrase);
std::string Seal(std::string_view plaintext, const Kek& kek);                // base64url(nonce|box)
std::optional<std::string> Unseal(std::string_view sealed, const Kek& kek);  // nullopt: wrong key

// rid for a person under one key: base64url of the first 8 bytes of HMAC-SHA-256(secret, kid|id).
std::string Rid(std::string_view secret, std::string_view kid, std::int64_t user_id);

}  // namespace ihos::domain::healthcode::shc
