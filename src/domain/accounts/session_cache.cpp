#include "domain/accounts/session_cache.hpp"

#include <functional>

namespace ihos::domain::accounts {

SessionCache::SessionCache(std::int64_t ttl_ms, std::size_t capacity)
    : ttl_ms_(ttl_ms), shard_capacity_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards) {}

SessionCache::Shard& SessionCache::ShardOf(const std::string& key) const {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

std::optional<Principal> SessionCache::Get(const std::string& token_hash, std::int64_t now) const {
  if (!enabled()) return std::nullopt;
  Shard& s = ShardOf(token_hash);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(token_hash);
  if (it == s.map.end() || !Fresh(it->second, now)) return std::nullopt;
  return it->second.who;
}

void SessionCache::Put(const std::string& token_hash, const Principal& who, std::int64_t session_expires_at,
                       std::int64_t now, std::uint64_t generation) {
  if (!enabled() || now >= session_expires_at) return;
  Shard& s = ShardOf(token_hash);
  std::lock_guard lock(s.mu);
  // Checked under the shard lock: a Forget* that bumped the generation after this check erases
  // the entry when it reaches this shard, so the old state never outlives the change.
  if (generation != generation_.load()) return;
  if (s.map.size() >= shard_capacity_ && !s.map.contains(token_hash)) {
    std::erase_if(s.map, [&](const auto& kv) { return !Fresh(kv.second, now); });
    // Still full of fresh entries: drop one; the bound holds whatever the traffic.
    if (s.map.size() >= shard_capacity_) s.map.erase(s.map.begin());
  }
  s.map.insert_or_assign(token_hash, Entry{who, session_expires_at, now});
}

std::shared_ptr<const User> SessionCache::GetUser(std::int64_t user_id, std::int64_t now) const {
  if (!enabled()) return nullptr;
  Shard& s = ShardOf(user_id);
  std::lock_guard lock(s.mu);
  auto it = s.users.find(user_id);
  if (it == s.users.end() || !Fresh(it->second, now)) return nullptr;
  return it->second.user;
}

void SessionCache::PutUser(std::shared_ptr<const User> user, std::int64_t now, std::uint64_t generation) {
  if (!enabled() || !user) return;
  const std::int64_t id = user->id;
  Shard& s = ShardOf(id);
  std::lock_guard lock(s.mu);
  if (generation != generation_.load()) return;  // as in Put
  if (s.users.size() >= shard_capacity_ && !s.users.contains(id)) {
    std::erase_if(s.users, [&](const auto& kv) { return !Fresh(kv.second, now); });
    if (s.users.size() >= shard_capacity_) s.users.erase(s.users.begin());
  }
  s.users.insert_or_assign(id, UserEntry{std::move(user), now});
}

void SessionCache::ForgetToken(const std::string& token_hash) {
  ++generation_;
  Shard& s = ShardOf(token_hash);
  std::lock_guard lock(s.mu);
  s.map.erase(token_hash);
}

void SessionCache::ForgetUser(std::int64_t user_id) {
  ++generation_;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mu);
    std::erase_if(s.map, [&](const auto& kv) { return kv.second.who.user_id == user_id; });
    s.users.erase(user_id);
  }
}

void SessionCache::Clear() {
  ++generation_;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mu);
    s.map.clear();
    s.users.clear();
  }
}

std::size_t SessionCache::size() const {
  std::size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.map.size();
  }
  return n;
}

}  // namespace ihos::domain::accounts
