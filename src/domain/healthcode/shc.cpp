#include "domain/healthcode/shc.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <qrencode.h>
#include <sodium.h>
#include <zlib.h>

#include <boost/json.hpp>
#include <charconv>

#include "core/qr.hpp"

namespace ihos::domain::healthcode::shc {
namespace {

constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

EVP_PKEY* P(void* p) { return static_cast<EVP_PKEY*>(p); }

// OpenSSL 3 fetches the digest and initialises the key's method on every EVP_Digest*Init, under
// locks that make two threads slower than one. Each thread keeps one initialised context per key
// and copies it for each signature (copying skips the fetch).
struct CtxCache {
  const void* key = nullptr;
  EVP_MD_CTX* base = nullptr;
  EVP_MD_CTX* work = nullptr;
  ~CtxCache() {
    EVP_MD_CTX_free(base);
    EVP_MD_CTX_free(work);
  }
};
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}
EVP_MD_CTX* PreparedCtx(CtxCache& c, EVP_PKEY* pkey, bool sign) {
  if (c.key != pkey) {
    EVP_MD_CTX_free(c.base);
    c.base = EVP_MD_CTX_new();
    const int ok = sign ? EVP_DigestSignInit(c.base, nullptr, Sha256Md(), nullptr, pkey)
                        : EVP_DigestVerifyInit(c.base, nullptr, Sha256Md(), nullptr, pkey);
    if (ok != 1) {
      c.key = nullptr;
      return nullptr;
    }
    c.key = pkey;
    if (!c.work) c.work = EVP_MD_CTX_new();
  }
  if (EVP_MD_CTX_copy_ex(c.work, c.base) != 1) return nullptr;
  return c.work;
}

std::string Sha256(std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len, EVP_sha256(), nullptr);
  return out;
}

// The uncompressed public point 04|x|y of a P-256 key.
bool PublicXY(EVP_PKEY* pkey, std::string& x, std::string& y) {
  unsigned char buf[65];
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len) != 1 || len != 65 ||
      buf[0] != 0x04)
    return false;
  x = Base64UrlEncode(std::string_view(reinterpret_cast<char*>(buf + 1), 32));
  y = Base64UrlEncode(std::string_view(reinterpret_cast<char*>(buf + 33), 32));
  return true;
}

}  // namespace

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  std::size_t i = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(in.data());
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out += kB64Url[v >> 18];
    out += kB64Url[(v >> 12) & 63];
    out += kB64Url[(v >> 6) & 63];
    out += kB64Url[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = b[i] << 16;
    out += kB64Url[v >> 18];
    out += kB64Url[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    const unsigned v = (b[i] << 16) | (b[i + 1] << 8);
    out += kB64Url[v >> 18];
    out += kB64Url[(v >> 12) & 63];
    out += kB64Url[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  unsigned v = 0;
  int bits = 0;
  for (char c : in) {
    int d;
    if (c >= 'A' && c <= 'Z')
      d = c - 'A';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      d = c - '0' + 52;
    else if (c == '-')
      d = 62;
    else if (c == '_')
      d = 63;
    else
      return std::nullopt;
    v = (v << 6) | static_cast<unsigned>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xff);
    }
  }
  return out;
}

std::string RawDeflate(std::string_view data) {
  // One deflate state per thread, reset for each card: deflateInit2 allocates ~270 KB, which
  // malloc takes from the kernel as fresh zeroed pages on every call (above its mmap
  // threshold) and which cost far more than the signature itself.
  struct State {
    z_stream zs{};
    bool ok = deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK;
    ~State() {
      if (ok) deflateEnd(&zs);
    }
  };
  thread_local State st;
  if (!st.ok) throw std::runtime_error("deflateInit2 failed");
  z_stream& zs = st.zs;
  deflateReset(&zs);
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  return out;
}

std::optional<std::string> RawInflate(std::string_view data, std::size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK) return std::nullopt;
  std::string out;
  char buf[4096];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > max_bytes) rc = Z_DATA_ERROR;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;  // truncated stream
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

std::string ToQrText(std::string_view jws) {
  std::string out = "shc:/";
  out.reserve(5 + jws.size() * 2);
  for (char c : jws) {
    const int v = static_cast<unsigned char>(c) - 45;
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  }
  return out;
}

std::optional<std::string> FromQrText(std::string_view t) {
  if (t.size() < 5 || t.substr(0, 5) != "shc:/") return std::nullopt;
  t.remove_prefix(5);
  if (t.empty() || t.size() % 2 != 0) return std::nullopt;  // chunked "n/m/..." is deprecated and refused
  std::string out;
  out.reserve(t.size() / 2);
  for (std::size_t i = 0; i < t.size(); i += 2) {
    if (t[i] < '0' || t[i] > '9' || t[i + 1] < '0' || t[i + 1] > '9') return std::nullopt;
    const int v = (t[i] - '0') * 10 + (t[i + 1] - '0');
    if (v > 77) return std::nullopt;  // 'z' - 45
    out += static_cast<char>(v + 45);
  }
  return out;
}

std::string QrSvg(std::string_view qr_text, int module_px) {
  auto digits = std::string(qr_text.substr(5));
  QRinput* in = QRinput_new2(0, QR_ECLEVEL_L);
  QRinput_append(in, QR_MODE_8, 5, reinterpret_cast<const unsigned char*>("shc:/"));
  QRinput_append(in, QR_MODE_NUM, static_cast<int>(digits.size()),
                 reinterpret_cast<const unsigned char*>(digits.data()));
  QRcode* qr = QRcode_encodeInput(in);
  QRinput_free(in);
  if (!qr) return "";
  std::string svg = qr::SvgOf(qr->data, qr->width, module_px);
  QRcode_free(qr);
  return svg;
}

std::string TextQrSvg(std::string_view text, int module_px) { return qr::Svg(text, module_px); }

std::string Thumbprint(std::string_view x, std::string_view y) {
  // RFC 7638: the required members in lexicographic order, no whitespace.
  const std::string canonical =
      "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + std::string(x) + "\",\"y\":\"" + std::string(y) + "\"}";
  return Base64UrlEncode(Sha256(canonical));
}

std::unique_ptr<SigningKey> SigningKey::Generate() {
  EVP_PKEY* pkey = EVP_EC_gen("P-256");
  if (!pkey) return nullptr;
  std::unique_ptr<SigningKey> k(new SigningKey());
  k->pkey_ = pkey;
  if (!PublicXY(pkey, k->x_, k->y_)) return nullptr;
  k->kid_ = Thumbprint(k->x_, k->y_);
  return k;
}

std::unique_ptr<SigningKey> SigningKey::FromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!pkey) return nullptr;
  std::unique_ptr<SigningKey> k(new SigningKey());
  k->pkey_ = pkey;
  if (!PublicXY(pkey, k->x_, k->y_)) return nullptr;
  k->kid_ = Thumbprint(k->x_, k->y_);
  return k;
}

SigningKey::~SigningKey() { EVP_PKEY_free(P(pkey_)); }

std::string SigningKey::Pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, P(pkey_), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return pem;
}

std::string SigningKey::PublicJwkJson() const {
  boost::json::object o{{"kty", "EC"},    {"kid", kid_}, {"use", "sig"}, {"alg", "ES256"},
                        {"crv", "P-256"}, {"x", x_},     {"y", y_}};
  return boost::json::serialize(o);
}

std::string SigningKey::Sign(std::string_view data) const {
  thread_local CtxCache cache;
  EVP_MD_CTX* ctx = PreparedCtx(cache, P(pkey_), true);
  unsigned char der[80];
  size_t der_len = sizeof der;
  std::string raw;
  if (ctx && EVP_DigestSignUpdate(ctx, data.data(), data.size()) == 1 && EVP_DigestSignFinal(ctx, der, &der_len) == 1) {
    const unsigned char* p = der;
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len));
    if (sig) {
      raw.assign(64, '\0');
      BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
      BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
      ECDSA_SIG_free(sig);
    }
  }
  if (raw.empty()) throw std::runtime_error("ES256 signing failed");
  return raw;
}

std::unique_ptr<VerifyKey> VerifyKey::FromXY(std::string_view xs, std::string_view ys) {
  auto x = Base64UrlDecode(xs);
  auto y = Base64UrlDecode(ys);
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  std::string point = "\x04" + *x + *y;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* pkey = nullptr;
  if (ctx && EVP_PKEY_fromdata_init(ctx) == 1) EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  if (!pkey) return nullptr;
  std::unique_ptr<VerifyKey> k(new VerifyKey());
  k->pkey_ = pkey;
  return k;
}

VerifyKey::~VerifyKey() { EVP_PKEY_free(P(pkey_)); }

bool VerifyKey::Verify(std::string_view data, std::string_view raw) const {
  if (raw.size() != 64) return false;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  bool ok = false;
  thread_local CtxCache cache;
  EVP_MD_CTX* ctx = PreparedCtx(cache, P(pkey_), false);
  if (ctx && der_len > 0 && EVP_DigestVerifyUpdate(ctx, data.data(), data.size()) == 1)
    ok = EVP_DigestVerifyFinal(ctx, der, static_cast<size_t>(der_len)) == 1;
  OPENSSL_free(der);
  return ok;
}

std::string SignJws(const SigningKey& key, std::string_view payload_json) {
  const std::string header = "{\"alg\":\"ES256\",\"zip\":\"DEF\",\"kid\":\"" + key.kid() + "\"}";
  std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(RawDeflate(payload_json));
  const std::string sig = key.Sign(input);
  return input + "." + Base64UrlEncode(sig);
}

Result<ParsedJws> ParseJws(std::string_view jws) {
  const auto bad = [] { return MakeError(Errc::invalid_argument, "card_malformed"); };
  const auto d1 = jws.find('.');
  if (d1 == std::string_view::npos) return bad();
  const auto d2 = jws.find('.', d1 + 1);
  if (d2 == std::string_view::npos || jws.find('.', d2 + 1) != std::string_view::npos) return bad();
  auto header = Base64UrlDecode(jws.substr(0, d1));
  auto payload = Base64UrlDecode(jws.substr(d1 + 1, d2 - d1 - 1));
  auto sig = Base64UrlDecode(jws.substr(d2 + 1));
  if (!header || !payload || !sig) return bad();
  boost::system::error_code ec;
  auto h = boost::json::parse(*header, ec);
  if (ec || !h.is_object()) return bad();
  const auto& ho = h.as_object();
  const auto* alg = ho.if_contains("alg");
  const auto* zip = ho.if_contains("zip");
  const auto* kid = ho.if_contains("kid");
  if (!alg || !zip || !kid || !alg->is_string() || !zip->is_string() || !kid->is_string() || *alg != "ES256" ||
      *zip != "DEF")
    return bad();
  auto inflated = RawInflate(*payload);
  if (!inflated) return bad();
  return ParsedJws{std::string(kid->as_string()), std::string(jws.substr(0, d2)), std::move(*sig),
                   std::move(*inflated)};
}

Kek DeriveKek(std::string_view passphrase) {
  Kek k{};
  crypto_generichash(k.data(), k.size(), reinterpret_cast<const unsigned char*>(passphrase.data()), passphrase.size(),
                     reinterpret_cast<const unsigned char*>("ihos-healthcode-kek"), 19);
  return k;
}

std::string Seal(std::string_view plaintext, const Kek& kek) {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(o, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(o + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), o, kek.data());
  return Base64UrlEncode(out);
}

std::optional<std::string> Unseal(std::string_view sealed, const Kek& kek) {
  auto raw = Base64UrlDecode(sealed);
  if (!raw || raw->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  const auto* r = reinterpret_cast<const unsigned char*>(raw->data());
  std::string out(raw->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), r + crypto_secretbox_NONCEBYTES,
                                 raw->size() - crypto_secretbox_NONCEBYTES, r, kek.data()) != 0)
    return std::nullopt;
  return out;
}

std::string Rid(std::string_view secret, std::string_view kid, std::int64_t user_id) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  const std::string msg = std::string(kid) + "|" + std::to_string(user_id);
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), 8));
}

}  // namespace ihos::domain::healthcode::shc
