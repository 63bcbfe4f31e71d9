#pragma once
// A short-lived in-process cache of live sessions: token hash -> the signed-in Principal, so that
// authenticating a request that hit the cache costs no database transaction.
//
// Rules (README.md beside this file, ADR 0001 §8):
//  - an entry is served for at most `ttl_ms` after it was read from the database, and never at
//    or after the session's own expiry; a change made by another process (another node, the
//    CLI) therefore shows within ttl_ms;
//  - every change made in this process to a session, a user's roles, name or status calls
//    ForgetToken / ForgetUser / Clear after its commit, so it shows at once;
//  - a value read from the database is stored only if no Forget* ran since the read began
//    (Generation()), so a read that raced with a change cannot put the old state back;
//  - misses (unknown, revoked, expired tokens) are never cached, and the number of entries is
//    bounded by `capacity`: a flood of random tokens cannot grow it.
// Beside the sessions it keeps each signed-in user's account as GET /api/v1/me shows it (by user
// id, under the same rules: ttl_ms, ForgetUser, generation, capacity), so /me is answered from
// memory on the I/O thread.
// Thread-safe (sharded mutexes). ttl_ms <= 0 or capacity 0 disables it (Get always misses).
#include <array>
#include <atomic>
#include <memory>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/principal.hpp"
#include "domain/accounts/model.hpp"

namespace ihos::domain::accounts {

class SessionCache {
 public:
  SessionCache(std::int64_t ttl_ms, std::size_t capacity);

  bool enabled() const { return ttl_ms_ > 0 && shard_capacity_ > 0; }
  // Read before the database read whose result is later passed to Put.
  std::uint64_t Generation() const { return generation_.load(); }
  // The cached principal of a live session, or nullopt (miss, stale, or session expired).
  std::optional<Principal> Get(const std::string& token_hash, std::int64_t now) const;
  // Stores what a database read that began at `generation` found; ignored when a Forget* ran
  // since then.
  void Put(const std::string& token_hash, const Principal& who, std::int64_t session_expires_at, std::int64_t now,
           std::uint64_t generation);
  // The cached account of a user, or null (miss or stale).
  std::shared_ptr<const User> GetUser(std::int64_t user_id, std::int64_t now) const;
  // Stores the account a database read that began at `generation` (and at `now`) found; ignored
  // when a Forget* ran since then.
  void PutUser(std::shared_ptr<const User> user, std::int64_t now, std::uint64_t generation);
  void ForgetToken(const std::string& token_hash);
  void ForgetUser(std::int64_t user_id);
  void Clear();
  std::size_t size() const;

 private:
  struct Entry {
    Principal who;
    std::int64_t session_expires_at = 0;
    std::int64_t cached_at = 0;
  };
  struct UserEntry {
    std::shared_ptr<const User> user;
    std::int64_t cached_at = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry> map;
    std::unordered_map<std::int64_t, UserEntry> users;
  };
  static constexpr std::size_t kShards = 16;
  bool Fresh(const Entry& e, std::int64_t now) const {
    return now >= e.cached_at && now - e.cached_at < ttl_ms_ && now < e.session_expires_at;
  }
  bool Fresh(const UserEntry& e, std::int64_t now) const { return now >= e.cached_at && now - e.cached_at < ttl_ms_; }
  Shard& ShardOf(const std::string& key) const;
  Shard& ShardOf(std::int64_t user_id) const { return shards_[static_cast<std::uint64_t>(user_id) % kShards]; }

  const std::int64_t ttl_ms_;
  const std::size_t shard_capacity_;
  std::atomic<std::uint64_t> generation_{0};
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace ihos::domain::accounts
