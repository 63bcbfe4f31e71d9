#include "domain/healthcode/status.hpp"

#include <algorithm>

#include "core/mask.hpp"
#include "domain/healthcode/json.hpp"
#include "domain/healthcode/repository.hpp"

namespace ihos::domain::healthcode {
using store::Tx;
using store::TxMode;

namespace {

constexpr std::int64_t kStatusCacheMs = 2000;  // see CachedSnap in status.hpp

// Where Recompute records the person: the innermost RecomputedScope open on this thread.
thread_local std::vector<std::int64_t>* tl_recomputed = nullptr;

}  // namespace

Result<std::int64_t> PersonId(Tx& tx, const std::string& id_number) {
  auto id = repo::PersonByIdNumber(tx, id_number);
  if (!id) return id.error();
  if (!*id) return MakeError(Errc::not_found, "person_not_found");
  return **id;
}

audit::Entry AuditOf(const Principal& actor, std::string action, std::optional<std::int64_t> patient, std::string type,
                     std::string id, std::string reason, const RequestMeta& meta, std::int64_t now) {
  return audit::Entry{now,           actor.user_id,     actor.AuditRole(), std::move(action), patient, std::move(type),
                      std::move(id), std::move(reason), meta.request_id};
}

StatusService::StatusService(store::Database& db, const Clock& clock, Issuer& issuer)
    : db_(db), clock_(clock), issuer_(issuer) {}

Status StatusService::EnsureRules(Tx& tx) {
  auto n = repo::CountRuleSets(tx);
  if (!n) return n.error();
  if (*n > 0) return {};
  auto v = repo::InsertRuleSet(tx, RuleSetJson(*ParseRuleSet(DefaultRuleSetJson())), "RULES.md defaults / 默认规则",
                               std::nullopt, clock_.NowMs());
  if (!v) return v.error();
  return {};
}

Result<RuleSet> StatusService::CurrentRules(Tx& tx) {
  auto row = repo::CurrentRuleSet(tx);
  if (!row) return row.error();
  if (!*row) return MakeError(Errc::internal, "database_error", "no rule set");
  {
    std::lock_guard lock(rules_mu_);
    if (rules_cache_ && rules_cache_->version == (*row)->version) return *rules_cache_;
  }
  auto rs = ParseRuleSet((*row)->body);
  if (!rs) return rs.error();
  rs->version = (*row)->version;
  std::lock_guard lock(rules_mu_);
  rules_cache_ = *rs;
  return *rs;
}

Result<Evaluation> StatusService::Recompute(Tx& tx, std::int64_t user_id, const std::string& cause) {
  const std::int64_t now = clock_.NowMs();
  if (tl_recomputed) {
    tl_recomputed->push_back(user_id);
  } else {
    // A write path without a scope (a bug): drop the person now, so at worst a racing read
    // caches the old colour for the cache's short life, never longer.
    Invalidate({user_id});
  }
  auto rules = CurrentRules(tx);
  if (!rules) return rules.error();
  auto facts = repo::FactsForRules(tx, user_id);
  if (!facts) return facts.error();
  Evaluation ev = Evaluate(*rules, *facts, now);
  const std::string reasons = ReasonsText(ev.reasons);
  auto prev = repo::FindStatus(tx, user_id);
  if (!prev) return prev.error();
  const std::string colour(ColourName(ev.colour));
  if (auto st = repo::UpsertStatus(tx, user_id,
                                   StatusRow{colour, reasons, ev.changes_on, now, rules->version, ev.next_check_at});
      !st)
    return st.error();
  const bool first = !prev->has_value();
  const std::string before = first ? "" : (*prev)->colour;
  if (first || before != colour || (*prev)->reasons != reasons) {
    HistoryRow h{0,  colour, first ? std::nullopt : std::optional<std::string>(before), reasons, cause, rules->version,
                 now};
    if (auto st = repo::InsertHistory(tx, user_id, h); !st) return st.error();
  }
  // A worse colour revokes the cards already shown: a green screenshot stops verifying online.
  if (!first && ParseColour(before).value_or(Colour::green) < ev.colour)
    if (auto st = repo::InsertRevocation(tx, user_id, now / 1000 + 1, "colour." + colour, now); !st) return st.error();
  return ev;
}

RecomputedScope::RecomputedScope(std::vector<std::int64_t>& sink) : previous_(tl_recomputed) { tl_recomputed = &sink; }

RecomputedScope::~RecomputedScope() { tl_recomputed = previous_; }

void StatusService::Invalidate(const std::vector<std::int64_t>& people) {
  if (people.empty()) return;
  std::lock_guard lock(status_mu_);
  if (people.size() > 1000)
    status_cache_.clear();
  else
    for (auto u : people) status_cache_.erase(u);
  ++status_gen_;
}

Result<CodeSnap> StatusService::ReadFresh(std::int64_t user_id, const std::string& kid, const std::string& rid,
                                          std::int64_t now) {
  auto snap = db_.With<CodeSnap>(TxMode::read, [&](Tx& tx) { return repo::ReadSnap(tx, user_id, kid); });
  if (!snap) return snap.error();
  const auto due = [now](const std::optional<StatusRow>& s) { return s->next_check_at && *s->next_check_at <= now; };
  if (snap->status && !due(snap->status) && snap->has_rid) return snap;
  return Write<CodeSnap>([&](Tx& tx) -> Result<CodeSnap> {
    auto cur = repo::FindStatus(tx, user_id);
    if (!cur) return cur.error();
    if (!*cur || due(*cur)) {
      auto ev = Recompute(tx, user_id, *cur ? "period.ended" : "first.view");
      if (!ev) return ev.error();
    }
    if (auto st = repo::InsertRid(tx, kid, user_id, rid); !st) return st.error();
    return repo::ReadSnap(tx, user_id, kid);
  });
}

std::optional<CodeSnap> StatusService::CachedSnapOf(std::int64_t user_id, const std::string& kid, std::int64_t now,
                                                    std::uint64_t* gen) {
  std::lock_guard lock(status_mu_);
  if (gen) *gen = status_gen_;
  auto it = status_cache_.find(user_id);
  if (it == status_cache_.end() || it->second.kid != kid || now < it->second.read_at ||
      now - it->second.read_at >= kStatusCacheMs)
    return std::nullopt;
  const auto& next = it->second.snap.status->next_check_at;
  if (next && *next <= now) return std::nullopt;  // a period ended: recompute first
  return it->second.snap;
}

std::optional<MyCode> StatusService::CodeOf(const CodeSnap& snap, const Issuer::KeySet& keys, const std::string& rid,
                                            std::int64_t user_id, std::int64_t now, bool may_sign) {
  const StatusRow& status = *snap.status;
  const Colour colour = ParseColour(status.colour).value_or(Colour::green);
  const std::int64_t now_s = std::max(now / 1000, snap.not_before);
  const std::string fingerprint = keys.signer->kid() + "|" + std::to_string(status.computed_at) + "|" +
                                  std::string(ColourName(colour)) + "|" +
                                  (snap.test ? snap.test->first + std::to_string(snap.test->second) : "") + "|" +
                                  std::to_string(snap.not_before) + "|" + snap.who.real_name;
  const int half_life_s = issuer_.card_minutes() * 60 / 2;
  std::shared_ptr<const Card> card;
  {
    std::lock_guard lock(cards_mu_);
    auto it = cards_.find(user_id);
    if (it != cards_.end() && it->second.fingerprint == fingerprint && now_s >= it->second.issued_s &&
        now_s - it->second.issued_s < half_life_s)
      card = it->second.card;
  }
  if (!card) {
    if (!may_sign) return std::nullopt;
    card = issuer_.SignCard(keys, snap.who, colour, snap.test, rid, now_s);
    std::lock_guard lock(cards_mu_);
    if (cards_.size() > 200'000) cards_.clear();
    cards_[user_id] = CachedCard{fingerprint, now_s, card};
  }
  return MyCode{status, MaskName(snap.who.real_name), MaskIdNumber(snap.who.id_number), snap.test, std::move(card)};
}

Result<MyCode> StatusService::Show(const Principal& me) {
  const std::int64_t now = clock_.NowMs();
  auto keys = issuer_.Keys();
  const std::string& kid = keys->signer->kid();
  const std::string rid = Issuer::RidOf(*keys, me.user_id);
  std::uint64_t gen = 0;
  std::optional<CodeSnap> snap = CachedSnapOf(me.user_id, kid, now, &gen);
  if (!snap) {
    auto fresh = ReadFresh(me.user_id, kid, rid, now);
    if (!fresh) return fresh.error();
    if (!fresh->status) return MakeError(Errc::internal, "database_error", "no status after recompute");
    snap = std::move(*fresh);
    // Stored only when nothing changed since `gen` was read (our own write above bumps it too:
    // the next read stores what it committed).
    std::lock_guard lock(status_mu_);
    if (status_gen_ == gen) {
      if (status_cache_.size() > 200'000) status_cache_.clear();
      status_cache_[me.user_id] = CachedSnap{kid, now, *snap};
    }
  }
  return *CodeOf(*snap, *keys, rid, me.user_id, now, /*may_sign=*/true);
}

std::optional<MyCode> StatusService::ShowFromMemory(const Principal& me) {
  const std::int64_t now = clock_.NowMs();
  auto keys = issuer_.Keys();
  auto snap = CachedSnapOf(me.user_id, keys->signer->kid(), now, nullptr);
  if (!snap) return std::nullopt;
  return CodeOf(*snap, *keys, /*rid: only for signing*/ std::string(), me.user_id, now, /*may_sign=*/false);
}

Result<MyHistory> StatusService::History(const Principal& me) {
  return db_.With<MyHistory>(TxMode::read, [&](Tx& tx) -> Result<MyHistory> {
    auto h = repo::History(tx, me.user_id, 100);
    if (!h) return h.error();
    auto f = repo::FactsOf(tx, me.user_id, 200);
    if (!f) return f.error();
    return MyHistory{std::move(*h), std::move(*f)};
  });
}

}  // namespace ihos::domain::healthcode
