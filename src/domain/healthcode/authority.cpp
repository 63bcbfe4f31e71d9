#include "domain/healthcode/authority.hpp"

#include "core/mask.hpp"
#include "domain/audit/audit.hpp"
#include "domain/healthcode/repository.hpp"

namespace ihos::domain::healthcode {
using store::Tx;
using store::TxMode;

AuthorityService::AuthorityService(store::Database& db, const Clock& clock, StatusService& status)
    : db_(db), clock_(clock), status_(status) {}

Result<PersonView> AuthorityService::Person(const Principal& auth, const std::string& id_number,
                                            const std::string& reason, const RequestMeta& meta) {
  if (reason.empty()) return MakeError(Errc::invalid_argument, "reason_required");
  return status_.Write<PersonView>([&](Tx& tx) -> Result<PersonView> {
    auto uid = PersonId(tx, id_number);
    if (!uid) return uid.error();
    auto ev = status_.Recompute(tx, *uid, "authority.view");
    if (!ev) return ev.error();
    auto who = repo::FindIdentity(tx, *uid);
    if (!who) return who.error();
    if (!*who) return MakeError(Errc::not_found, "person_not_found");
    auto facts = repo::FactsOf(tx, *uid, 200);
    if (!facts) return facts.error();
    if (auto a = audit::Append(tx, AuditOf(auth, "healthcode.read", *uid, "HealthCode", std::to_string(*uid), reason,
                                           meta, clock_.NowMs()));
        !a)
      return a.error();
    return PersonView{*uid,           (*who)->real_name, MaskIdNumber((*who)->id_number), (*who)->birth_date,
                      std::move(*ev), std::move(*facts)};
  });
}

// ---------------------------------------------------------------- rules

Result<std::vector<RuleSetRow>> AuthorityService::Rules() {
  return db_.With<std::vector<RuleSetRow>>(TxMode::read, [&](Tx& tx) { return repo::RuleSets(tx, 20); });
}

Result<SavedRules> AuthorityService::SaveRules(const Principal& auth, const std::string& body,
                                               const std::string& note) {
  auto rs = ParseRuleSet(body, RuleCheck::strict);
  if (!rs) return rs.error();
  return status_.Write<SavedRules>([&](Tx& tx) -> Result<SavedRules> {
    auto v = repo::InsertRuleSet(tx, RuleSetJson(*rs), note, auth.user_id, clock_.NowMs());
    if (!v) return v.error();
    // Everyone with a status is evaluated under the new version.
    auto users = repo::PeopleWithStatus(tx);
    if (!users) return users.error();
    int changed = 0;
    for (auto u : *users) {
      auto ev = status_.Recompute(tx, u, "rules.changed:v" + std::to_string(*v));
      if (!ev) return ev.error();
      ++changed;
    }
    return SavedRules{*v, changed};
  });
}

// ---------------------------------------------------------------- regions and risk areas

std::vector<const Region*> AuthorityService::Regions(const std::string& parent) {
  // The divisions are compiled in (core/regions): no database read.
  // The statistical placeholders (市辖区 under a municipality, 省直辖县级行政区划 ...) are skipped:
  // their counties are listed in their place, so the picker reads 北京市 → 东城区.
  std::vector<const Region*> out;
  for (const Region* r : RegionChildren(parent)) {
    const bool placeholder =
        r->level == "city" && (r->name == "市辖区" || r->name == "县" || r->name.ends_with("直辖县级行政区划"));
    if (placeholder) {
      for (const Region* c : RegionChildren(r->code)) out.push_back(c);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

Result<RiskAreas> AuthorityService::ListRiskAreas(bool current_only) {
  const std::string today = CivilDateCst(clock_.NowMs());
  return db_.With<RiskAreas>(TxMode::read, [&](Tx& tx) -> Result<RiskAreas> {
    auto rows = repo::RiskAreas(tx, current_only, today, 500);
    if (!rows) return rows.error();
    return RiskAreas{std::move(*rows), today};
  });
}

Result<int> AuthorityService::RecomputeTravellers(Tx& tx, const std::string& region_code, const std::string& cause) {
  auto users = repo::TravellersTo(tx, std::string(CoveredPrefix(region_code)));
  if (!users) return users.error();
  int n = 0;
  for (auto u : *users) {
    ++n;
    auto ev = status_.Recompute(tx, u, cause);
    if (!ev) return ev.error();
  }
  return n;
}

Result<RiskAreaChange> AuthorityService::AddRiskArea(const Principal& auth, const std::string& region_code,
                                                     const std::string& level, const std::string& start_date,
                                                     const std::optional<std::string>& end_date,
                                                     const std::string& note) {
  std::vector<FieldError> errs;
  if (level != "low" && level != "medium" && level != "high") errs.push_back({"level", "invalid_value"});
  if (!IsValidIsoDate(start_date)) errs.push_back({"start_date", "invalid_date"});
  if (end_date && !IsValidIsoDate(*end_date)) errs.push_back({"end_date", "invalid_date"});
  if (end_date && IsValidIsoDate(start_date) && IsValidIsoDate(*end_date) && *end_date < start_date)
    errs.push_back({"end_date", "end_date_before_start"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return status_.Write<RiskAreaChange>([&](Tx& tx) -> Result<RiskAreaChange> {
    const Region* region = FindRegion(region_code);
    if (region == nullptr) return ValidationFailed({{"region_code", "region_unknown"}});
    auto id = repo::InsertRiskArea(tx, RiskAreaRow{0, region_code, level, start_date, end_date, note, false},
                                   auth.user_id, clock_.NowMs());
    if (!id) return id.error();
    auto n = RecomputeTravellers(tx, region_code, "risk_area.set:" + region_code + "." + level);
    if (!n) return n.error();
    return RiskAreaChange{*id, region->name, std::nullopt, *n};
  });
}

Result<RiskAreaChange> AuthorityService::EndRiskArea(const Principal& auth, std::int64_t id,
                                                     const std::string& end_date) {
  (void)auth;
  if (!IsValidIsoDate(end_date)) return ValidationFailed({{"end_date", "invalid_date"}});
  return status_.Write<RiskAreaChange>([&](Tx& tx) -> Result<RiskAreaChange> {
    auto a = repo::FindRiskArea(tx, id);
    if (!a) return a.error();
    if (!*a) return MakeError(Errc::not_found, "risk_area_not_found");
    if (end_date < (*a)->start_date) return ValidationFailed({{"end_date", "end_date_before_start"}});
    if (auto u = repo::SetRiskAreaEnd(tx, id, end_date); !u) return u.error();
    auto n = RecomputeTravellers(tx, (*a)->region_code, "risk_area.ended:" + (*a)->region_code);
    if (!n) return n.error();
    return RiskAreaChange{id, "", end_date, *n};
  });
}

// ---------------------------------------------------------------- appeals

Result<NewAppeal> AuthorityService::Appeal(const Principal& me, const std::string& text) {
  if (text.size() < 4) return ValidationFailed({{"text", "too_short"}});
  return status_.Write<NewAppeal>([&](Tx& tx) -> Result<NewAppeal> {
    auto open = repo::CountOpenAppeals(tx, me.user_id);
    if (!open) return open.error();
    if (*open > 0) return MakeError(Errc::conflict, "appeal_open");
    auto st = repo::FindStatus(tx, me.user_id);
    if (!st) return st.error();
    const std::string colour = *st ? (*st)->colour : "green";
    if (colour == "green") return MakeError(Errc::conflict, "appeal_green");
    auto id = repo::InsertAppeal(tx, me.user_id, colour, text, clock_.NowMs());
    if (!id) return id.error();
    return NewAppeal{*id, colour, text};
  });
}

Result<std::vector<AppealRow>> AuthorityService::MyAppeals(const Principal& me) {
  return db_.With<std::vector<AppealRow>>(TxMode::read, [&](Tx& tx) { return repo::AppealsOf(tx, me.user_id); });
}

Result<std::vector<AppealRow>> AuthorityService::Appeals(const std::string& status) {
  return db_.With<std::vector<AppealRow>>(TxMode::read, [&](Tx& tx) { return repo::Appeals(tx, status, 200); });
}

Result<AppealOutcome> AuthorityService::ResolveAppeal(const Principal& auth, std::int64_t id,
                                                      const std::string& decision, const std::string& resolution,
                                                      const std::vector<std::int64_t>& facts, const RequestMeta& meta) {
  if (decision != "upheld" && decision != "rejected") return ValidationFailed({{"decision", "invalid_value"}});
  if (resolution.empty()) return ValidationFailed({{"resolution", "required"}});
  return status_.Write<AppealOutcome>([&](Tx& tx) -> Result<AppealOutcome> {
    auto a = repo::FindAppeal(tx, id);
    if (!a) return a.error();
    if (!*a) return MakeError(Errc::not_found, "appeal_not_found");
    if ((*a)->status != "open") return MakeError(Errc::conflict, "appeal_resolved");
    const std::int64_t uid = (*a)->user_id;
    const std::int64_t now = clock_.NowMs();
    for (auto f : facts) {
      auto u = repo::WithdrawFact(tx, f, uid, "appeal #" + std::to_string(id) + ": " + resolution, now);
      if (!u) return u.error();
      if (!*u) return ValidationFailed({{"withdraw_fact_ids", "fact_not_found"}});
    }
    if (auto u = repo::ResolveAppeal(tx, id, decision, resolution, auth.user_id, now); !u) return u.error();
    if (auto au = audit::Append(tx, AuditOf(auth, "healthcode.appeal." + decision, uid, "Appeal", std::to_string(id),
                                            resolution, meta, now));
        !au)
      return au.error();
    auto ev = status_.Recompute(tx, uid, "appeal." + decision + ":#" + std::to_string(id));
    if (!ev) return ev.error();
    return AppealOutcome{id, decision, ev->colour};
  });
}

}  // namespace ihos::domain::healthcode
