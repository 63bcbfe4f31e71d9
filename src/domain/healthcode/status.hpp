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

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/audit/audit.hpp"
#include "domain/healthcode/issuer.hpp"
#include "domain/healthcode/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::healthcode {

class StatusService {
 public:
  StatusService(store::Database& db, const Clock& clock, Issuer& issuer);

  // Inside the caller's write transaction: stores the default rule set when there is none.
  Status EnsureRules(store::Tx& tx);
  // The newest rule set (parsed once per version).
  Result<RuleSet> CurrentRules(store::Tx& tx);
  // Recomputes one person's colour inside `tx`; keeps history and revokes the cards shown on a
  // worse colour. The person is dropped from the status cache when the transaction ends through
  // Write/WriteTx (or FlushInvalidations).
  Result<Evaluation> Recompute(store::Tx& tx, std::int64_t user_id, const std::string& cause);

  // Status, reasons, identity, latest test and a signed card. Recomputes when a period ended.
  // Errors: not_found "person_not_found".
  Result<MyCode> Show(const Principal& me);
  Result<MyHistory> History(const Principal& me);

  // After a write transaction on this thread ended (committed or not): drops the people it
  // recomputed from this process's status cache.
  void FlushInvalidations();

  // A write transaction that may recompute people; the status cache is flushed after it.
  template <class T, class F>
  Result<T> Write(F&& f) {
    auto r = db_.With<T>(store::TxMode::write, std::forward<F>(f));
    FlushInvalidations();
    return r;
  }
  Status WriteTx(const std::function<Status(store::Tx&)>& body) {
    auto st = db_.Transact(store::TxMode::write, body);
    FlushInvalidations();
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
  Result<CodeSnap> ReadFresh(std::int64_t user_id, const std::string& kid, const std::string& rid, std::int64_t now);
};

// Shared by the parts that change facts.
Result<std::int64_t> PersonId(store::Tx& tx, const std::string& id_number);  // not_found "person_not_found"
audit::Entry AuditOf(const Principal& actor, std::string action, std::optional<std::int64_t> patient, std::string type,
                     std::string id, std::string reason, const RequestMeta& meta, std::int64_t now);

}  // namespace ihos::domain::healthcode
