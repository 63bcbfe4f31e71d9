#pragma once
// Health code, gate part: a bounded in-process cache of cards whose signature verified, so a card
// scanned again (a queue re-scanning, a phone held to two gates) skips QR decoding, inflate and
// the ES256 verify.
//
// Rules (README.md beside this file):
//  - keyed by a Blake2b hash of the whole shc:/ text, keyed with a per-process random secret: the
//    key is a fact about those exact bytes, and nobody outside can aim two cards at one entry;
//  - only a card whose signature verified, from our issuer and complete, is kept, and only until
//    its `exp` (an expired card is never served from here; a full check says "expired");
//  - an entry names the key object that verified it: it is used only while the issuer's current
//    key set still holds that very object under the card's kid, so a key rotation or reload
//    sends the card through the full check again;
//  - what can change about a card after it was signed (its holder's revocations, a venue) is not
//    cached here: the scan writer reads it in the batch that logs each scan, cached card or not,
//    so a revocation applies to the next scan;
//  - bounded by `capacity`: when full, expired entries go first, then an arbitrary one.
// Thread-safe (sharded mutexes). capacity 0 disables it (Get always misses).
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/healthcode/json.hpp"

namespace ihos::domain::healthcode {

class VerifiedCards {
 public:
  struct Card {
    std::string kid;
    const void* verifier = nullptr;  // the key object that verified the signature (identity only)
    CardClaims claims;               // complete, right issuer: nbf and exp are set
  };

  explicit VerifiedCards(std::size_t capacity);

  // The cache key of a scanned text (32 bytes, binary).
  std::string Key(std::string_view qr_text) const;
  // The verified card under `key`, or null (miss, or the card expired at now_s).
  std::shared_ptr<const Card> Get(const std::string& key, std::int64_t now_s) const;
  // Keeps a card that verified (ignored unless claims are complete and the card is not expired).
  void Put(const std::string& key, std::shared_ptr<const Card> card, std::int64_t now_s);
  void Clear();
  std::size_t size() const;

 private:
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, std::shared_ptr<const Card>> map;
  };
  static constexpr std::size_t kShards = 16;
  static bool Live(const Card& c, std::int64_t now_s) { return c.claims.exp && now_s < *c.claims.exp; }
  Shard& ShardOf(const std::string& key) const;

  const std::size_t shard_capacity_;
  std::array<unsigned char, 32> secret_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace ihos::domain::healthcode
