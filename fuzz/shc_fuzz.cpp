// `shc:/` QR payloads and health cards: the numeric QR text, the compact JWS (base64url, raw
// DEFLATE) and the card payload's claims, as the gate's verify reads a scanned code. The first
// byte picks the entry point, so raw JWS and payload JSON are reached directly too.
// Invariants: the QR text round-trips; a parsed JWS's parts re-encode to the input.
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/healthcode/json.hpp"
#include "domain/healthcode/shc.hpp"
#include "fuzz_check.hpp"

namespace shc = ihos::domain::healthcode::shc;
namespace hc = ihos::domain::healthcode;

namespace {

void Card(std::string_view jws) {
  auto p = shc::ParseJws(jws);
  if (!p) return;
  FUZZ_CHECK(p->signing_input.size() < jws.size());
  FUZZ_CHECK(p->payload_json.size() <= 64 * 1024);
  auto claims = hc::ParseCardPayload(p->payload_json, "https://ihos.example/hc");
  (void)claims;
  if (auto xy = hc::JwkXY(p->payload_json)) (void)shc::VerifyKey::FromXY(xy->first, xy->second);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {  // a scanned QR text
      auto jws = shc::FromQrText(in);
      if (!jws) return 0;
      FUZZ_CHECK(shc::ToQrText(*jws) == in);
      Card(*jws);
      break;
    }
    case 1:  // a compact JWS
      Card(in);
      break;
    case 2: {  // a card payload (after a good signature)
      auto claims = hc::ParseCardPayload(std::string(in), "https://ihos.example/hc");
      if (claims.complete) FUZZ_CHECK(claims.colour && claims.nbf && claims.exp);
      break;
    }
    default: {  // base64url and raw DEFLATE
      if (auto b = shc::Base64UrlDecode(in)) {
        if (in.size() % 4 != 1) FUZZ_CHECK(b->size() == in.size() * 3 / 4);
        if (auto z = shc::RawInflate(*b, 4096)) FUZZ_CHECK(z->size() <= 4096);
      }
      break;
    }
  }
  return 0;
}
