#include "domain/healthcode/verified_cards.hpp"

#include <sodium.h>


namespace ihos::domain::healthcode {

VerifiedCards::VerifiedCards(std::size_t capacity)
    : shard_capacity_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards) {
  if (sodium_init() < 0) secret_.fill(0);  // sodium_init only fails without a random source
  randombytes_buf(secret_.data(), secret_.size());
}

std::string VerifiedCards::Key(std::string_view qr_text) const {
  std::string out(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(qr_text.data()), qr_text.size(), secret_.data(),
                     secret_.size());
  return out;
}

VerifiedCards::Shard& VerifiedCards::ShardOf(const std::string& key) const {
  // The key is already a keyed hash: its first byte spreads the shards evenly.
  return shards_[static_cast<unsigned char>(key.empty() ? 0 : key[0]) % kShards];
}

std::shared_ptr<const VerifiedCards::Card> VerifiedCards::Get(const std::string& key, std::int64_t now_s) const {
  if (shard_capacity_ == 0) return nullptr;
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(key);
  if (it == s.map.end()) return nullptr;
  if (!Live(*it->second, now_s)) {
    s.map.erase(it);
    return nullptr;
  }
  return it->second;
}

void VerifiedCards::Put(const std::string& key, std::shared_ptr<const Card> card, std::int64_t now_s) {
  if (shard_capacity_ == 0 || !card || !card->claims.complete || !card->claims.right_issuer || !Live(*card, now_s))
    return;
  Shard& s = ShardOf(key);
  std::lock_guard lock(s.mu);
  if (s.map.size() >= shard_capacity_ && !s.map.contains(key)) {
    std::erase_if(s.map, [&](const auto& kv) { return !Live(*kv.second, now_s); });
    // Still full of live cards: drop one; the bound holds whatever the traffic.
    if (s.map.size() >= shard_capacity_) s.map.erase(s.map.begin());
  }
  s.map.insert_or_assign(key, std::move(card));
}

void VerifiedCards::Clear() {
  for (auto& s : shards_) {
    std::lock_guard lock(s.mu);
    s.map.clear();
  }
}

std::size_t VerifiedCards::size() const {
  std::size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.map.size();
  }
  return n;
}

}  // namespace ihos::domain::healthcode
