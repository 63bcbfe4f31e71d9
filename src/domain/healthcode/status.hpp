#pragma once
// Health code, status part: the current rule set, the recomputed colour with its history and
// revocations, and "show my code" (the person's snapshot and card, kept in memory).
//
// Thread-safe. Every method blocks on the database: call it from the worker pool. Errors: those
// named per method, and the store's (unavailable, internal).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/audit/audit.hpp"
#include "domain/healthcode/issuer.hpp"
#include "domain/healthcode/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::healthcode {

// Collects, while it lives, the people StatusService::Recompute recomputes on this thread. A write
// transaction's body may run on another thread than its caller's (SQLite's group commit runs queued
// bodies on the thread that leads the batch), so each write path opens one inside its body, with a
// vector of its own, and hands that vector to StatusService::Invalidate after the transaction.
class RecomputedScope {
 public:
  explicit RecomputedScope(std::vector<std::int64_t>& sink);
  ~RecomputedScope();
  RecomputedScope(const RecomputedScope&) = delete;
  RecomputedScope& operator=(const RecomputedScope&) = delete;

 private:
  std::vector<std::int64_t>* previous_;
};

class StatusService {
 public:
  StatusService(store::Database& db, const Clock& clock, Issuer& issuer);

  // Inside the caller's write transaction: stores the default rule set when there is none.
  Status EnsureRules(store::Tx& tx);
  // The newest rule set (parsed once per version).
  Result<RuleSet> CurrentRules(store::Tx& tx);
  // Recomputes one person's colour inside `tx`; keeps history and revokes the cards shown on a
  // worse colour. The person is dropped from the status cache after the transaction: Write/WriteTx
  // do it; any other write path opens a RecomputedScope in its body and calls Invalidate after.
  Result<Evaluation> Recompute(store::Tx& tx, std::int64_t user_id, const std::string& cause);

  // Status, reasons, identity, latest test and a signed card. Recomputes when a period ended.
  // Errors: not_found "person_not_found".
  Result<MyCode> Show(const Principal& me);
  // Memory only, never blocks (the I/O thread's answer to "show my code"): what Show would return
  // when both the person's status and a card still within half its life are cached; else nullopt
  // (Show then reads, recomputes or signs on the worker pool).
  std::optional<MyCode> ShowFromMemory(const Principal& me);
  Result<MyHistory> History(const Principal& me);

  // After a write transaction ended (committed or not): drops the people its body recomputed
  // (collected by a RecomputedScope) from this process's status cache.
  void Invalidate(const std::vector<std::int64_t>& people);

  // A write transaction that may recompute people; they are dropped from the status cache after it.
  template <class T, class F>
  Result<T> Write(F&& f) {
    std::vector<std::int64_t> people;
    auto r = db_.With<T>(store::TxMode::write, [&](store::Tx& tx) -> Result<T> {
      RecomputedScope scope(people);
      return f(tx);
    });
    Invalidate(people);
    return r;
  }
  Status WriteTx(const std::function<Status(store::Tx&)>& body) {
    std::vector<std::int64_t> people;
    auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      RecomputedScope scope(people);
      return body(tx);
    });
    Invalidate(people);
    return st;
  }

 private:
  store::Database& db_;
  const Clock& clock_;
  Issuer& issuer_;

  std::mutex rules_mu_;
  std::optional<RuleSet> rules_cache_;

  // "Show my code" serves a person's card again while at least half of its life remains and
  // nothing behind it changed (key, status computation, latest test, revocation): signing and
  // drawing the QR are the costly part. A card served again is the same bytes the person already
  // holds, so no screenshot lives longer; the page refreshes it before it expires.
  struct CachedCard {
    std::string fingerprint;
    std::int64_t issued_s = 0;
    std::shared_ptr<const Card> card;
  };
  std::mutex cards_mu_;
  std::map<std::int64_t, CachedCard> cards_;

  // The person's snapshot is kept in memory (speed) and dropped when this process changes
  // anything behind it: every write transaction that recomputes a person invalidates that person
  // after it ends, bumping status_gen_ so that a read that raced with the change is not stored.
  // Changes made by another process (a second node, a renamed user) are seen after 2 s; a period
  // that ends (next_check_at) is recomputed on the next read.
  struct CachedSnap {
    std::string kid;
    std::int64_t read_at = 0;
    CodeSnap snap;
  };
  std::mutex status_mu_;
  std::uint64_t status_gen_ = 0;  // under status_mu_
  std::map<std::int64_t, CachedSnap> status_cache_;
  // The cached snapshot of a person, when fresh and no period of it has ended; `gen` (if given)
  // receives status_gen_ as read under the same lock.
  std::optional<CodeSnap> CachedSnapOf(std::int64_t user_id, const std::string& kid, std::int64_t now,
                                       std::uint64_t* gen);
  // The answer for a snapshot: the cached card when its fingerprint matches and half its life
  // remains, else a newly signed one — or nullopt when `may_sign` is false.
  std::optional<MyCode> CodeOf(const CodeSnap& snap, const Issuer::KeySet& keys, const std::string& rid,
                               std::int64_t user_id, std::int64_t now, bool may_sign);
  Result<CodeSnap> ReadFresh(std::int64_t user_id, const std::string& kid, const std::string& rid, std::int64_t now);
};

// Shared by the parts that change facts.
Result<std::int64_t> PersonId(store::Tx& tx, const std::string& id_number);  // not_found "person_not_found"
audit::Entry AuditOf(const Principal& actor, std::string action, std::optional<std::int64_t> patient, std::string type,
                     std::string id, std::string reason, const RequestMeta& meta, std::int64_t now);

}  // namespace ihos::domain::healthcode
