#include "domain/healthcode/service.hpp"

#include <algorithm>
#include <sstream>

#include "core/crypto.hpp"
#include "core/mask.hpp"
#include "core/regions.hpp"
#include "core/resident_id.hpp"
#include "domain/audit/audit.hpp"

namespace ihos::domain::healthcode {
namespace json = boost::json;
using store::Tx;
using store::TxMode;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::int64_t kKeyRefreshMs = 30 * 1000;
constexpr std::int64_t kCrlKeepMs = 2 * kDayMs;  // longer than any card's life
constexpr char kCardType[] = "https://smarthealth.cards#health-card";
constexpr std::int64_t kStatusCacheMs = 2000;  // see CachedSnap in service.hpp

// People recomputed by the write transaction running on this thread; dropped from the status
// cache when it ends (HealthCodeService::Write / WriteTx).
thread_local std::vector<std::int64_t> tl_recomputed;

const std::vector<std::string> kExposures = {"confirmed", "suspected", "close_contact", "secondary_contact"};
const std::vector<std::string> kSymptoms = {"fever", "cough", "sore_throat", "loss_of_smell", "fatigue"};
const std::vector<std::string> kVenueKinds = {"hospital", "clinic", "pharmacy", "supermarket", "station",
                                              "school", "office", "restaurant", "checkpoint", "other"};

bool In(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// "2026-11-20T08:30" / "2026-11-20 08:30[:ss]" (CST) or Unix ms digits; nullopt when neither.
std::optional<std::int64_t> ParseTime(const std::string& s) {
  if (!s.empty() && s.size() <= 15 && std::all_of(s.begin(), s.end(), ::isdigit)) return std::stoll(s);
  if (s.size() < 16 || !IsValidIsoDate(s.substr(0, 10)) || (s[10] != 'T' && s[10] != ' ') || s[13] != ':') return std::nullopt;
  if (!isdigit(s[11]) || !isdigit(s[12]) || !isdigit(s[14]) || !isdigit(s[15])) return std::nullopt;
  const int h = std::stoi(s.substr(11, 2)), mi = std::stoi(s.substr(14, 2));
  if (h > 23 || mi > 59) return std::nullopt;
  return *CstMidnightMs(s.substr(0, 10)) + (h * 60LL + mi) * 60000;
}

std::string RiskName(std::int64_t rank) { return rank == 3 ? "high" : rank == 2 ? "medium" : rank == 1 ? "low" : ""; }

json::object FactJson(const store::Row& r) {
  // id, kind, value, occurred_at, region_code, detail, source, entered_at, withdrawn_at, withdrawn_reason, demo
  return json::object{{"id", r.Int(0)},
                      {"kind", r.Text(1)},
                      {"value", r.Text(2)},
                      {"occurred_at", r.Int(3)},
                      {"region_code", r.IsNull(4) ? json::value(nullptr) : json::value(r.Text(4))},
                      {"detail", r.Text(5)},
                      {"source", r.Text(6)},
                      {"entered_at", r.Int(7)},
                      {"withdrawn_at", r.IsNull(8) ? json::value(nullptr) : json::value(r.Int(8))},
                      {"withdrawn_reason", r.IsNull(9) ? json::value(nullptr) : json::value(r.Text(9))},
                      {"demo", r.Int(10) == 1}};
}
constexpr char kFactCols[] =
    "id, kind, value, occurred_at, region_code, detail, source, entered_at, withdrawn_at, withdrawn_reason, demo";

json::object StatusJson(const store::Row& r) {
  // colour, reasons, changes_on, computed_at, rule_version
  json::object o{{"colour", r.Text(0)},
                 {"reasons", json::parse(r.Text(1))},
                 {"changes_on", r.IsNull(2) ? json::value(nullptr) : json::value(r.Text(2))},
                 {"computed_at", r.Int(3)},
                 {"rule_version", r.Int(4)}};
  return o;
}

audit::Entry AuditOf(const Principal& actor, std::string action, std::optional<std::int64_t> patient, std::string type,
                     std::string id, std::string reason, const RequestMeta& meta, std::int64_t now) {
  return audit::Entry{now, actor.user_id, actor.AuditRole(), std::move(action), patient, std::move(type),
                      std::move(id), std::move(reason), meta.request_id};
}

}  // namespace

json::array ReasonsJson(const std::vector<Reason>& reasons) {
  json::array a;
  for (const auto& r : reasons)
    a.push_back(json::object{{"code", r.code},
                             {"colour", ColourName(r.colour)},
                             {"fact_id", r.fact_id},
                             {"since", r.since},
                             {"until_date", r.until_date},
                             {"negative_tests_needed", r.negative_tests_needed},
                             {"region_code", r.region_code},
                             {"detail", r.detail}});
  return a;
}

HealthCodeService::HealthCodeService(store::Database& db, const Clock& clock, Config config)
    : db_(db), clock_(clock), config_(std::move(config)), kek_(shc::DeriveKek(config_.kek)), issuer_(config_.issuer) {}

void HealthCodeService::SetIssuer(std::string issuer) { issuer_ = std::move(issuer); }

Status HealthCodeService::Init() {
  auto st = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto n = tx.Query("SELECT COUNT(*) FROM hc_keys");
    if (!n) return n.error();
    if ((*n)[0].Int(0) == 0) {
      auto key = shc::SigningKey::Generate();
      if (!key) return MakeError(Errc::internal, "healthcode_key_sealed", "key generation failed");
      auto ins = tx.Exec(
          "INSERT INTO hc_keys (kid, public_jwk, private_sealed, rid_secret_sealed, created_at) VALUES ($1, $2, $3, $4, $5) "
          "ON CONFLICT (kid) DO NOTHING",
          {key->kid(), key->PublicJwkJson(), shc::Seal(key->Pem(), kek_), shc::Seal(crypto::RandomHex(32), kek_),
           clock_.NowMs()});
      if (!ins) return ins.error();
    }
    auto rs = tx.Query("SELECT COUNT(*) FROM hc_rule_sets");
    if (!rs) return rs.error();
    if ((*rs)[0].Int(0) == 0) {
      auto ins = tx.Exec("INSERT INTO hc_rule_sets (body, note, created_at) VALUES ($1, $2, $3)",
                         {RuleSetJson(*ParseRuleSet(DefaultRuleSetJson())), "RULES.md defaults / 默认规则",
                          clock_.NowMs()});
      if (!ins) return ins.error();
    }
    return {};
  });
  if (!st) return st;
  return LoadKeys();
}

Status HealthCodeService::LoadKeys() {
  auto ks = std::make_shared<KeySet>();
  const std::int64_t now = clock_.NowMs();
  const std::int64_t card_ms = config_.card_minutes * 60000LL;
  auto st = db_.Transact(TxMode::read, [&](Tx& tx) -> Status {
    auto rows = tx.Query(
        "SELECT kid, public_jwk, private_sealed, rid_secret_sealed, retired_at FROM hc_keys "
        "WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at",
        {now - card_ms});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      auto jwk = json::parse(r.Text(1)).as_object();
      auto vk = shc::VerifyKey::FromXY(jwk.at("x").as_string(), jwk.at("y").as_string());
      auto rid = shc::Unseal(r.Text(3), kek_);
      if (!vk || !rid) return MakeError(Errc::internal, "healthcode_key_sealed", "kid " + r.Text(0));
      ks->verifiers[r.Text(0)] = std::move(vk);
      ks->rid_secrets[r.Text(0)] = *rid;
      if (r.IsNull(4)) {
        auto pem = shc::Unseal(r.Text(2), kek_);
        if (!pem) return MakeError(Errc::internal, "healthcode_key_sealed", "kid " + r.Text(0));
        auto sk = shc::SigningKey::FromPem(*pem);
        if (!sk) return MakeError(Errc::internal, "healthcode_key_sealed", "kid " + r.Text(0));
        ks->signer = std::move(sk);
        ks->rid_secret = *rid;
      }
    }
    if (!ks->signer) return MakeError(Errc::internal, "healthcode_key_sealed", "no signing key");
    return {};
  });
  if (!st) return st;
  ks->loaded_at = now;
  std::lock_guard lock(mu_);
  keys_ = std::move(ks);
  return {};
}

std::shared_ptr<const HealthCodeService::KeySet> HealthCodeService::Keys() {
  std::shared_ptr<const KeySet> k;
  {
    std::lock_guard lock(mu_);
    k = keys_;
  }
  // A rotation by `ihos keys rotate` in another process is picked up within kKeyRefreshMs.
  if (clock_.NowMs() - k->loaded_at > kKeyRefreshMs && LoadKeys()) {
    std::lock_guard lock(mu_);
    k = keys_;
  }
  return k;
}

Result<std::string> HealthCodeService::RotateKey(store::Database& db, const std::string& kek_pass, std::int64_t now) {
  const auto kek = shc::DeriveKek(kek_pass);
  return db.With<std::string>(TxMode::write, [&](Tx& tx) -> Result<std::string> {
    auto cur = tx.Query("SELECT private_sealed FROM hc_keys WHERE retired_at IS NULL");
    if (!cur) return cur.error();
    for (const auto& r : *cur)
      if (!shc::Unseal(r.Text(0), kek)) return MakeError(Errc::internal, "healthcode_key_sealed", "wrong KEK");
    auto key = shc::SigningKey::Generate();
    if (!key) return MakeError(Errc::internal, "healthcode_key_sealed", "key generation failed");
    if (auto u = tx.Exec("UPDATE hc_keys SET retired_at = $1 WHERE retired_at IS NULL", {now}); !u) return u.error();
    auto ins = tx.Exec(
        "INSERT INTO hc_keys (kid, public_jwk, private_sealed, rid_secret_sealed, created_at) VALUES ($1, $2, $3, $4, $5)",
        {key->kid(), key->PublicJwkJson(), shc::Seal(key->Pem(), kek), shc::Seal(crypto::RandomHex(32), kek), now});
    if (!ins) return ins.error();
    return key->kid();
  });
}

Result<RuleSet> HealthCodeService::CurrentRules(Tx& tx) {
  auto rows = tx.Query("SELECT version, body FROM hc_rule_sets ORDER BY version DESC LIMIT 1");
  if (!rows) return rows.error();
  if (rows->empty()) return MakeError(Errc::internal, "database_error", "no rule set");
  {
    std::lock_guard lock(mu_);
    if (rules_cache_ && rules_cache_->version == (*rows)[0].Int(0)) return *rules_cache_;
  }
  auto rs = ParseRuleSet((*rows)[0].Text(1));
  if (!rs) return rs.error();
  rs->version = (*rows)[0].Int(0);
  std::lock_guard lock(mu_);
  rules_cache_ = *rs;
  return *rs;
}

Result<Evaluation> HealthCodeService::Recompute(Tx& tx, std::int64_t user_id, const std::string& cause) {
  const std::int64_t now = clock_.NowMs();
  tl_recomputed.push_back(user_id);
  auto rules = CurrentRules(tx);
  if (!rules) return rules.error();
  // Travel facts carry the highest risk level in force on the arrival date for the county, its
  // city or its province.
  auto rows = tx.Query(
      "SELECT f.id, f.kind, f.value, f.occurred_at, COALESCE(f.region_code, ''), f.detail, "
      "(SELECT MAX(CASE a.level WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) FROM hc_risk_areas a "
      " WHERE f.kind = 'travel' AND a.region_code IN (f.region_code, SUBSTR(f.region_code, 1, 4) || '00', "
      " SUBSTR(f.region_code, 1, 2) || '0000') AND a.start_date <= f.detail "
      " AND (a.end_date IS NULL OR a.end_date >= f.detail)) "
      "FROM hc_facts f WHERE f.user_id = $1 AND f.withdrawn_at IS NULL ORDER BY f.occurred_at",
      {user_id});
  if (!rows) return rows.error();
  std::vector<Fact> facts;
  for (const auto& r : *rows)
    facts.push_back(Fact{r.Int(0), r.Text(1), r.Text(2), r.Int(3), RiskName(r.Int(6)), r.Text(4), r.Text(5)});
  Evaluation ev = Evaluate(*rules, facts, now);
  const std::string reasons = json::serialize(ReasonsJson(ev.reasons));
  auto prev = tx.Query("SELECT colour, reasons FROM hc_status WHERE user_id = $1", {user_id});
  if (!prev) return prev.error();
  const std::string colour(ColourName(ev.colour));
  auto up = tx.Exec(
      "INSERT INTO hc_status (user_id, colour, reasons, changes_on, next_check_at, rule_version, computed_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO UPDATE SET colour = excluded.colour, "
      "reasons = excluded.reasons, changes_on = excluded.changes_on, next_check_at = excluded.next_check_at, "
      "rule_version = excluded.rule_version, computed_at = excluded.computed_at",
      {user_id, colour, reasons, ev.changes_on ? store::Value(*ev.changes_on) : store::Value(nullptr),
       ev.next_check_at ? store::Value(*ev.next_check_at) : store::Value(nullptr), rules->version, now});
  if (!up) return up.error();
  const bool first = prev->empty();
  const std::string before = first ? "" : (*prev)[0].Text(0);
  if (first || before != colour || (*prev)[0].Text(1) != reasons) {
    auto h = tx.Exec(
        "INSERT INTO hc_status_history (user_id, colour, previous_colour, reasons, cause, rule_version, at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {user_id, colour, first ? store::Value(nullptr) : store::Value(before), reasons, cause, rules->version, now});
    if (!h) return h.error();
  }
  // A worse colour revokes the cards already shown: a green screenshot stops verifying online.
  if (!first && ParseColour(before).value_or(Colour::green) < ev.colour) {
    auto rv = tx.Exec("INSERT INTO hc_revocations (user_id, revoked_before, reason, at) VALUES ($1, $2, $3, $4)",
                      {user_id, now / 1000 + 1, "colour." + colour, now});
    if (!rv) return rv.error();
  }
  return ev;
}

Result<std::int64_t> HealthCodeService::PersonId(Tx& tx, const std::string& id_number) {
  std::string id = id_number;
  std::transform(id.begin(), id.end(), id.begin(), [](char c) { return c == 'x' ? 'X' : c; });
  auto rows = tx.Query("SELECT id FROM users WHERE id_number = $1", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return MakeError(Errc::not_found, "person_not_found");
  return (*rows)[0].Int(0);
}

Result<std::int64_t> HealthCodeService::InsertFact(Tx& tx, std::int64_t user_id, const std::string& kind,
                                                   const std::string& value, std::int64_t occurred_at,
                                                   const std::optional<std::string>& region, const std::string& detail,
                                                   const std::string& source, std::optional<std::int64_t> by) {
  auto rows = tx.Query(
      "INSERT INTO hc_facts (user_id, kind, value, occurred_at, region_code, detail, source, entered_by, entered_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {user_id, kind, value, occurred_at, region ? store::Value(*region) : store::Value(nullptr), detail, source,
       by ? store::Value(*by) : store::Value(nullptr), clock_.NowMs()});
  if (!rows) return rows.error();
  return (*rows)[0].Int(0);
}

// ---------------------------------------------------------------- the card

std::string HealthCodeService::CardPayload(const std::string& masked_name, const std::string& masked_id,
                                           const std::string& birth_date, Colour colour,
                                           const std::optional<std::pair<std::string, std::int64_t>>& test,
                                           const std::string& rid, std::int64_t now_s) const {
  // Minimal FHIR resources (spec: no id, meta or text; references as resource:N).
  json::object patient{{"resourceType", "Patient"},
                       {"identifier", json::array{json::object{{"system", "urn:ihos:resident-id-masked"},
                                                               {"value", masked_id}}}},
                       {"name", json::array{json::object{{"text", masked_name}}}},
                       {"birthDate", birth_date}};
  json::object obs{{"resourceType", "Observation"},
                   {"status", "final"},
                   {"code", json::object{{"coding", json::array{json::object{{"system", "urn:ihos:health-code"},
                                                                             {"code", "health-code"}}}}}},
                   {"subject", json::object{{"reference", "resource:0"}}},
                   {"effectiveDateTime", CivilDateCst(now_s * 1000)},
                   {"valueCodeableConcept",
                    json::object{{"coding", json::array{json::object{{"system", "urn:ihos:health-code-colour"},
                                                                     {"code", ColourName(colour)}}}}}}};
  if (test) {
    // LOINC 94500-6 SARS-CoV-2 RNA NAA; SNOMED CT 260385009 negative / 10828004 positive.
    const bool neg = test->first == "negative";
    obs["component"] = json::array{json::object{
        {"code", json::object{{"coding", json::array{json::object{{"system", "http://loinc.org"}, {"code", "94500-6"}}}}}},
        {"valueCodeableConcept",
         json::object{{"coding", json::array{json::object{{"system", "http://snomed.info/sct"},
                                                          {"code", neg ? "260385009" : "10828004"}}}}}},
        {"extension", json::array{json::object{{"url", "urn:ihos:sampled-at"},
                                               {"valueInteger", test->second / 1000}}}}}};
  }
  json::object vc{
      {"type", json::array{kCardType}},
      {"credentialSubject",
       json::object{{"fhirVersion", "4.0.1"},
                    {"fhirBundle", json::object{{"resourceType", "Bundle"},
                                                {"type", "collection"},
                                                {"entry", json::array{json::object{{"fullUrl", "resource:0"},
                                                                                   {"resource", std::move(patient)}},
                                                                      json::object{{"fullUrl", "resource:1"},
                                                                                   {"resource", std::move(obs)}}}}}}}},
      {"rid", rid}};
  return json::serialize(json::object{{"iss", issuer_},
                                      {"nbf", now_s},
                                      {"exp", now_s + config_.card_minutes * 60},
                                      {"vc", std::move(vc)}});
}

std::string HealthCodeService::SignCardForBench(const std::string& masked_name, const std::string& birth_date,
                                                Colour colour, std::int64_t user_id) {
  auto keys = Keys();
  const std::string rid = shc::Rid(keys->rid_secret, keys->signer->kid(), user_id);
  const std::string jws = shc::SignJws(
      *keys->signer, CardPayload(masked_name, "1101**********002X", birth_date, colour,
                                 std::make_pair(std::string("negative"), clock_.NowMs()), rid, clock_.NowMs() / 1000));
  return shc::ToQrText(jws);
}

void HealthCodeService::FlushInvalidations() {
  if (tl_recomputed.empty()) return;
  std::lock_guard lock(status_mu_);
  if (tl_recomputed.size() > 1000) status_cache_.clear();
  else
    for (auto u : tl_recomputed) status_cache_.erase(u);
  ++status_gen_;
  tl_recomputed.clear();
}

Status HealthCodeService::ReadSnap(Tx& tx, std::int64_t user_id, const std::string& kid, std::int64_t now,
                                   CodeSnap& s) {
  auto st = tx.Query(
      "SELECT s.colour, s.reasons, s.changes_on, s.computed_at, s.rule_version, s.next_check_at, u.real_name, "
      "u.id_number, u.birth_date, (SELECT r.rid FROM hc_rids r WHERE r.kid = $2 AND r.user_id = u.id), "
      "(SELECT MAX(v.revoked_before) FROM hc_revocations v WHERE v.user_id = u.id) "
      "FROM users u LEFT JOIN hc_status s ON s.user_id = u.id WHERE u.id = $1",
      {user_id, kid});
  if (!st) return st.error();
  if (st->empty()) return MakeError(Errc::not_found, "person_not_found");
  const auto& r = (*st)[0];
  s.real_name = r.Text(6);
  s.id_number = r.Text(7);
  s.birth_date = r.Text(8);
  s.not_before = r.Int(10);
  s.next_check_at = r.IsNull(5) ? 0 : r.Int(5);
  s.need_write = r.IsNull(0) || (!r.IsNull(5) && r.Int(5) <= now) || r.IsNull(9);
  if (!r.IsNull(0)) s.status = StatusJson(r);
  auto t = tx.Query(
      "SELECT value, occurred_at FROM hc_facts WHERE user_id = $1 AND kind = 'nat_test' AND withdrawn_at IS NULL "
      "ORDER BY occurred_at DESC LIMIT 1",
      {user_id});
  if (!t) return t.error();
  if (!t->empty()) s.test = std::make_pair((*t)[0].Text(0), (*t)[0].Int(1));
  return {};
}

Result<std::string> HealthCodeService::MyCode(const Principal& me) {
  const std::int64_t now = clock_.NowMs();
  auto keys = Keys();
  const std::string& kid = keys->signer->kid();
  const std::string rid = shc::Rid(keys->rid_secret, kid, me.user_id);
  std::optional<CodeSnap> cached;
  std::uint64_t gen = 0;
  {
    std::lock_guard lock(status_mu_);
    gen = status_gen_;
    auto it = status_cache_.find(me.user_id);
    if (it != status_cache_.end() && it->second.kid == kid && now >= it->second.read_at &&
        now - it->second.read_at < kStatusCacheMs && (it->second.snap.next_check_at == 0 || it->second.snap.next_check_at > now))
      cached = it->second.snap;
  }
  CodeSnap snap;
  if (cached) {
    snap = std::move(*cached);
  } else {
    if (auto st = db_.Transact(TxMode::read, [&](Tx& tx) { return ReadSnap(tx, me.user_id, kid, now, snap); }); !st)
      return st.error();
    if (snap.need_write) {
      auto st = WriteTx([&](Tx& tx) -> Status {
        auto cur = tx.Query("SELECT next_check_at, computed_at FROM hc_status WHERE user_id = $1", {me.user_id});
        if (!cur) return cur.error();
        if (cur->empty() || (!(*cur)[0].IsNull(0) && (*cur)[0].Int(0) <= now)) {
          auto ev = Recompute(tx, me.user_id, cur->empty() ? "first.view" : "period.ended");
          if (!ev) return ev.error();
        }
        auto ins = tx.Exec("INSERT INTO hc_rids (kid, user_id, rid) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                           {kid, me.user_id, rid});
        if (!ins) return ins.error();
        snap = CodeSnap{};
        return ReadSnap(tx, me.user_id, kid, now, snap);
      });
      if (!st) return st.error();
    }
    // Stored only when nothing changed since `gen` was read (our own write above bumps it too:
    // the next read stores what it committed).
    std::lock_guard lock(status_mu_);
    if (status_gen_ == gen) {
      if (status_cache_.size() > 200'000) status_cache_.clear();
      status_cache_[me.user_id] = CachedSnap{kid, now, snap};
    }
  }
  const Colour colour = ParseColour(snap.status.at("colour").as_string()).value_or(Colour::green);
  const std::int64_t now_s = std::max(now / 1000, snap.not_before);
  const std::string fingerprint = kid + "|" + json::serialize(snap.status.at("computed_at")) + "|" +
                                  std::string(ColourName(colour)) + "|" +
                                  (snap.test ? snap.test->first + std::to_string(snap.test->second) : "") + "|" +
                                  std::to_string(snap.not_before) + "|" + snap.real_name;
  std::shared_ptr<const std::string> card;
  {
    std::lock_guard lock(cards_mu_);
    auto it = cards_.find(me.user_id);
    if (it != cards_.end() && it->second.fingerprint == fingerprint && now_s >= it->second.issued_s &&
        now_s - it->second.issued_s < config_.card_minutes * 60 / 2)
      card = it->second.card_json;
  }
  if (!card) {
    const std::string jws =
        shc::SignJws(*keys->signer, CardPayload(MaskName(snap.real_name), MaskIdNumber(snap.id_number), snap.birth_date,
                                                colour, snap.test, rid, now_s));
    const std::string qr = shc::ToQrText(jws);
    card = std::make_shared<const std::string>(json::serialize(json::object{{"jws", jws},
                                                                            {"qr_text", qr},
                                                                            {"qr_svg", shc::QrSvg(qr)},
                                                                            {"kid", kid},
                                                                            {"issued_at", now_s * 1000},
                                                                            {"expires_at", (now_s + config_.card_minutes * 60) * 1000}}));
    std::lock_guard lock(cards_mu_);
    if (cards_.size() > 200'000) cards_.clear();
    cards_[me.user_id] = CachedCard{fingerprint, now_s, card};
  }
  json::object out = std::move(snap.status);
  out["name_masked"] = MaskName(snap.real_name);
  out["id_number_masked"] = MaskIdNumber(snap.id_number);
  out["latest_test"] = snap.test ? json::value(json::object{{"result", snap.test->first}, {"sampled_at", snap.test->second}})
                                 : json::value(nullptr);
  // {...status} + "card": the card's JSON as serialized when it was signed.
  std::string body = json::serialize(out);
  body.pop_back();
  body.reserve(body.size() + card->size() + 10);
  body += ",\"card\":";
  body += *card;
  body += '}';
  return body;
}

Result<json::object> HealthCodeService::MyHistory(const Principal& me) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto h = tx.Query(
        "SELECT id, colour, previous_colour, reasons, cause, rule_version, at FROM hc_status_history "
        "WHERE user_id = $1 ORDER BY id DESC LIMIT 100",
        {me.user_id});
    if (!h) return h.error();
    json::array items;
    for (const auto& r : *h)
      items.push_back(json::object{{"id", r.Int(0)},
                                   {"colour", r.Text(1)},
                                   {"previous_colour", r.IsNull(2) ? json::value(nullptr) : json::value(r.Text(2))},
                                   {"reasons", json::parse(r.Text(3))},
                                   {"cause", r.Text(4)},
                                   {"rule_version", r.Int(5)},
                                   {"at", r.Int(6)}});
    auto f = tx.Query(std::string("SELECT ") + kFactCols + " FROM hc_facts WHERE user_id = $1 ORDER BY occurred_at DESC LIMIT 200",
                      {me.user_id});
    if (!f) return f.error();
    json::array facts;
    for (const auto& r : *f) facts.push_back(FactJson(r));
    return json::object{{"history", std::move(items)}, {"facts", std::move(facts)}};
  });
}

Result<json::object> HealthCodeService::Declare(const Principal& me, const std::string& kind, const std::string& value,
                                                const std::string& region_code, const std::string& date) {
  std::vector<FieldError> errs;
  if (kind != "symptom" && kind != "travel") errs.push_back({"kind", "invalid_value"});
  if (kind == "symptom" && !In(kSymptoms, value)) errs.push_back({"value", "invalid_value"});
  if (!IsValidIsoDate(date)) errs.push_back({"date", "invalid_date"});
  else if (*CstMidnightMs(date) > clock_.NowMs()) errs.push_back({"date", "date_in_future"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    std::optional<std::string> region;
    if (kind == "travel") {
      if (FindRegion(region_code) == nullptr) return ValidationFailed({{"region_code", "region_unknown"}});
      region = region_code;
    }
    // A travel fact keeps its arrival date in `detail` so risk areas are matched by date.
    const std::int64_t at = kind == "travel" ? *CstMidnightMs(date) : std::min<std::int64_t>(clock_.NowMs(), *CstMidnightMs(date) + 12 * 3600000LL);
    auto id = InsertFact(tx, me.user_id, kind, kind == "travel" ? "arrival" : value, at, region,
                         kind == "travel" ? date : "", "self", me.user_id);
    if (!id) return id.error();
    auto ev = Recompute(tx, me.user_id, "fact.added:" + kind);
    if (!ev) return ev.error();
    return json::object{{"fact_id", *id}, {"colour", ColourName(ev->colour)}, {"reasons", ReasonsJson(ev->reasons)}};
  });
}

Result<json::object> HealthCodeService::Appeal(const Principal& me, const std::string& text) {
  if (text.size() < 4) return ValidationFailed({{"text", "too_short"}});
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto open = tx.Query("SELECT COUNT(*) FROM hc_appeals WHERE user_id = $1 AND status = 'open'", {me.user_id});
    if (!open) return open.error();
    if ((*open)[0].Int(0) > 0) return MakeError(Errc::conflict, "appeal_open");
    auto st = tx.Query("SELECT colour FROM hc_status WHERE user_id = $1", {me.user_id});
    if (!st) return st.error();
    const std::string colour = st->empty() ? "green" : (*st)[0].Text(0);
    if (colour == "green") return MakeError(Errc::conflict, "appeal_green");
    auto id = tx.Query("INSERT INTO hc_appeals (user_id, colour, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                       {me.user_id, colour, text, clock_.NowMs()});
    if (!id) return id.error();
    return json::object{{"id", (*id)[0].Int(0)}, {"status", "open"}, {"colour", colour}, {"text", text}};
  });
}

namespace {
json::object AppealJson(const store::Row& r) {
  // id, user_id, colour, text, status, resolution, created_at, resolved_at, real_name, id_number
  return json::object{{"id", r.Int(0)},
                      {"user_id", r.Int(1)},
                      {"colour", r.Text(2)},
                      {"text", r.Text(3)},
                      {"status", r.Text(4)},
                      {"resolution", r.IsNull(5) ? json::value(nullptr) : json::value(r.Text(5))},
                      {"created_at", r.Int(6)},
                      {"resolved_at", r.IsNull(7) ? json::value(nullptr) : json::value(r.Int(7))},
                      {"name_masked", MaskName(r.Text(8))},
                      {"id_number_masked", MaskIdNumber(r.Text(9))}};
}
constexpr char kAppealSelect[] =
    "SELECT a.id, a.user_id, a.colour, a.text, a.status, a.resolution, a.created_at, a.resolved_at, u.real_name, "
    "u.id_number FROM hc_appeals a JOIN users u ON u.id = a.user_id ";
}  // namespace

Result<json::object> HealthCodeService::MyAppeals(const Principal& me) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(std::string(kAppealSelect) + "WHERE a.user_id = $1 ORDER BY a.id DESC", {me.user_id});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows) a.push_back(AppealJson(r));
    return json::object{{"items", std::move(a)}};
  });
}

Result<json::object> HealthCodeService::CheckIn(const Principal& me, const std::string& venue_code) {
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto v = tx.Query("SELECT id, name, kind FROM hc_venues WHERE code = $1", {venue_code});
    if (!v) return v.error();
    if (v->empty()) return MakeError(Errc::not_found, "venue_not_found");
    const std::int64_t now = clock_.NowMs();
    auto id = tx.Query("INSERT INTO hc_checkins (user_id, venue_id, at, source) VALUES ($1, $2, $3, 'venue_qr') RETURNING id",
                       {me.user_id, (*v)[0].Int(0), now});
    if (!id) return id.error();
    return json::object{{"id", (*id)[0].Int(0)}, {"venue_id", (*v)[0].Int(0)}, {"venue_name", (*v)[0].Text(1)},
                        {"venue_kind", (*v)[0].Text(2)}, {"at", now}};
  });
}

Result<json::object> HealthCodeService::MyCheckIns(const Principal& me) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(
        "SELECT c.id, c.venue_id, v.name, c.at, c.source FROM hc_checkins c JOIN hc_venues v ON v.id = c.venue_id "
        "WHERE c.user_id = $1 ORDER BY c.at DESC LIMIT 100",
        {me.user_id});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows)
      a.push_back(json::object{{"id", r.Int(0)}, {"venue_id", r.Int(1)}, {"venue_name", r.Text(2)}, {"at", r.Int(3)},
                               {"source", r.Text(4)}});
    return json::object{{"items", std::move(a)}};
  });
}

// ---------------------------------------------------------------- lab

namespace {
std::vector<FieldError> CheckTestResult(const TestResultInput& in, std::int64_t now) {
  std::vector<FieldError> errs;
  if (in.result != "negative" && in.result != "positive") errs.push_back({"result", "invalid_value"});
  if (in.sample_id.empty()) errs.push_back({"sample_id", "required"});
  if (in.sampled_at <= 0 || in.sampled_at > now) errs.push_back({"sampled_at", "date_in_future"});
  return errs;
}
}  // namespace

Result<json::object> HealthCodeService::AddTestResult(const Principal& lab, const TestResultInput& in,
                                                      const RequestMeta& meta) {
  if (auto errs = CheckTestResult(in, clock_.NowMs()); !errs.empty()) return ValidationFailed(std::move(errs));
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto uid = PersonId(tx, in.id_number);
    if (!uid) return uid.error();
    return AddTestResultTx(tx, lab, *uid, in, meta);
  });
}

Result<json::object> HealthCodeService::AddTestResultTx(Tx& tx, const Principal& lab, std::int64_t user_id,
                                                        const TestResultInput& in, const RequestMeta& meta) {
  if (auto errs = CheckTestResult(in, clock_.NowMs()); !errs.empty()) return ValidationFailed(std::move(errs));
  auto dup = tx.Query("SELECT id FROM hc_facts WHERE kind = 'nat_test' AND detail = $1", {in.sample_id});
  if (!dup) return dup.error();
  if (!dup->empty()) return MakeError(Errc::conflict, "sample_exists");
  auto id = InsertFact(tx, user_id, "nat_test", in.result, in.sampled_at, std::nullopt, in.sample_id, "lab", lab.user_id);
  if (!id) return id.error();
  if (auto a = audit::Append(tx, AuditOf(lab, "healthcode.test.add", user_id, "Observation", std::to_string(*id), "",
                                         meta, clock_.NowMs()));
      !a)
    return a.error();
  auto ev = Recompute(tx, user_id, "fact.added:nat_test");
  if (!ev) return ev.error();
  return json::object{{"fact_id", *id}, {"colour", ColourName(ev->colour)}};
}

Result<json::object> HealthCodeService::ImportTestResults(const Principal& lab, const std::string& csv,
                                                          const RequestMeta& meta) {
  // A spreadsheet saves UTF-8 CSV with a byte-order mark: skip it.
  std::istringstream in(csv.rfind("\xEF\xBB\xBF", 0) == 0 ? csv.substr(3) : csv);
  std::string line;
  std::vector<TestResultInput> rows;
  std::vector<FieldError> errs;
  std::map<std::string, int> sample_line;  // sample id -> first line it is on
  std::vector<int> row_lines;              // the file's line number of each row (blank lines count)
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (n == 1) {
      if (line != "id_number,sample_id,result,sampled_at") errs.push_back({"line 1", "csv_header"});
      continue;
    }
    std::vector<std::string> cols;
    std::stringstream ls(line);
    std::string c;
    while (std::getline(ls, c, ',')) cols.push_back(c);
    const std::string where = "line " + std::to_string(n);
    if (cols.size() != 4) {
      errs.push_back({where, "csv_columns"});
      continue;
    }
    auto t = ParseTime(cols[3]);
    if (!t || *t > clock_.NowMs()) errs.push_back({where + ".sampled_at", "invalid_date"});
    if (cols[2] != "negative" && cols[2] != "positive") errs.push_back({where + ".result", "invalid_value"});
    if (!ParseResidentId(cols[0], CivilDateCst(clock_.NowMs()))) errs.push_back({where + ".id_number", "id_number_format"});
    if (cols[1].empty() || cols[1].size() > 64) errs.push_back({where + ".sample_id", "required"});
    else if (!sample_line.emplace(cols[1], n).second) errs.push_back({where + ".sample_id", "sample_duplicate_in_file"});
    rows.push_back({cols[0], cols[1], cols[2], t.value_or(0)});
    row_lines.push_back(n);
    if (errs.size() > 50) break;
  }
  if (rows.empty() && errs.empty()) errs.push_back({"csv", "required"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  std::vector<FieldError> late;
  auto res = Write<json::object>([&](Tx& tx) -> Result<json::object> {
    std::vector<std::int64_t> users;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const auto& r = rows[k];
      const int i = row_lines[k];
      auto uid = PersonId(tx, r.id_number);
      if (!uid) {
        late.push_back({"line " + std::to_string(i) + ".id_number", "person_not_found"});
        continue;
      }
      auto dup = tx.Query("SELECT id FROM hc_facts WHERE kind = 'nat_test' AND detail = $1", {r.sample_id});
      if (!dup) return dup.error();
      if (!dup->empty()) {
        late.push_back({"line " + std::to_string(i) + ".sample_id", "sample_exists"});
        continue;
      }
      auto id = InsertFact(tx, *uid, "nat_test", r.result, r.sampled_at, std::nullopt, r.sample_id, "import", lab.user_id);
      if (!id) {
        late.push_back({"line " + std::to_string(i) + ".sample_id", "sample_exists"});
        continue;
      }
      users.push_back(*uid);
    }
    if (!late.empty()) return ValidationFailed(late);  // rolls the whole file back
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    json::object colours;
    for (auto u : users) {
      auto ev = Recompute(tx, u, "fact.added:nat_test.import");
      if (!ev) return ev.error();
    }
    if (auto a = audit::Append(tx, AuditOf(lab, "healthcode.test.import", std::nullopt, "Observation",
                                           std::to_string(rows.size()), "csv import", meta, clock_.NowMs()));
        !a)
      return a.error();
    return json::object{{"imported", rows.size()}, {"people", users.size()}};
  });
  return res;
}

Result<json::object> HealthCodeService::ReportFever(const Principal& staff, const std::string& id_number,
                                                    double celsius, const std::string& gate, const RequestMeta& meta) {
  if (!(celsius >= 34.0 && celsius <= 43.0)) return ValidationFailed({{"temperature", "out_of_range"}});
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto uid = PersonId(tx, id_number);
    if (!uid) return uid.error();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f°C @ ", celsius);
    const std::string value = celsius >= 37.3 ? "fever" : "normal";
    auto id = InsertFact(tx, *uid, "fever_onsite", value, clock_.NowMs(), std::nullopt, buf + gate, "gate", staff.user_id);
    if (!id) return id.error();
    if (auto a = audit::Append(tx, AuditOf(staff, "healthcode.fever.report", *uid, "Observation", std::to_string(*id),
                                           gate, meta, clock_.NowMs()));
        !a)
      return a.error();
    auto ev = Recompute(tx, *uid, "fact.added:fever_onsite." + value);
    if (!ev) return ev.error();
    return json::object{{"fact_id", *id}, {"value", value}, {"colour", ColourName(ev->colour)}};
  });
}

Result<json::object> HealthCodeService::AddVaccination(const Principal& actor, const std::string& id_number, int dose,
                                                       const std::string& vaccine, const std::string& date,
                                                       const RequestMeta& meta) {
  std::vector<FieldError> errs;
  if (dose < 1 || dose > 10) errs.push_back({"dose", "out_of_range"});
  if (vaccine.empty()) errs.push_back({"vaccine", "required"});
  if (!IsValidIsoDate(date)) errs.push_back({"date", "invalid_date"});
  else if (*CstMidnightMs(date) > clock_.NowMs()) errs.push_back({"date", "date_in_future"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto uid = PersonId(tx, id_number);
    if (!uid) return uid.error();
    auto id = InsertFact(tx, *uid, "vaccination", std::to_string(dose), *CstMidnightMs(date), std::nullopt, vaccine,
                         "clinic", actor.user_id);
    if (!id) return id.error();
    if (auto a = audit::Append(tx, AuditOf(actor, "healthcode.vaccination.add", *uid, "Immunization",
                                           std::to_string(*id), "", meta, clock_.NowMs()));
        !a)
      return a.error();
    auto ev = Recompute(tx, *uid, "fact.added:vaccination");
    if (!ev) return ev.error();
    return json::object{{"fact_id", *id}, {"colour", ColourName(ev->colour)}};
  });
}

// ---------------------------------------------------------------- authority

Result<std::vector<std::int64_t>> HealthCodeService::FlagContacts(Tx& tx, std::int64_t case_id,
                                                                  std::int64_t case_fact_id) {
  const std::int64_t now = clock_.NowMs();
  const std::int64_t window = config_.exposure_window_minutes * 60000LL;
  // Uses hc_checkins_user_at for the case's visits and hc_checkins_venue_at for everyone else.
  auto rows = tx.Query(
      "SELECT o.user_id, MIN(o.at), MIN(v.name) FROM hc_checkins c "
      "JOIN hc_checkins o ON o.venue_id = c.venue_id AND o.at >= c.at - $2 AND o.at <= c.at + $2 "
      "JOIN hc_venues v ON v.id = c.venue_id "
      "WHERE c.user_id = $1 AND c.at >= $3 AND o.user_id <> $1 GROUP BY o.user_id",
      {case_id, window, now - config_.exposure_lookback_days * kDayMs});
  if (!rows) return rows.error();
  std::vector<std::int64_t> flagged;
  for (const auto& r : *rows) {
    const std::string detail = "case-fact:" + std::to_string(case_fact_id) + " " + r.Text(2);
    auto id = InsertFact(tx, r.Int(0), "exposure", "possible_contact", r.Int(1), std::nullopt, detail, "exposure_query",
                         std::nullopt);
    if (!id) return id.error();
    auto ev = Recompute(tx, r.Int(0), "fact.added:exposure.possible_contact");
    if (!ev) return ev.error();
    flagged.push_back(r.Int(0));
  }
  return flagged;
}

Result<json::object> HealthCodeService::SetExposure(const Principal& auth, const std::string& id_number,
                                                    const std::string& value, const std::string& detail,
                                                    const RequestMeta& meta) {
  if (!In(kExposures, value)) return ValidationFailed({{"value", "invalid_value"}});
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto uid = PersonId(tx, id_number);
    if (!uid) return uid.error();
    const std::int64_t now = clock_.NowMs();
    auto id = InsertFact(tx, *uid, "exposure", value, now, std::nullopt, detail, "authority", auth.user_id);
    if (!id) return id.error();
    if (auto a = audit::Append(tx, AuditOf(auth, "healthcode.exposure.set", *uid, "Flag", std::to_string(*id), value,
                                           meta, now));
        !a)
      return a.error();
    auto ev = Recompute(tx, *uid, "fact.added:exposure." + value);
    if (!ev) return ev.error();
    json::array contacts;
    if (value == "confirmed") {
      auto flagged = FlagContacts(tx, *uid, *id);
      if (!flagged) return flagged.error();
      for (auto u : *flagged) {
        auto r = tx.Query("SELECT real_name, id_number FROM users WHERE id = $1", {u});
        if (!r) return r.error();
        contacts.push_back(json::object{{"user_id", u},
                                        {"name_masked", MaskName((*r)[0].Text(0))},
                                        {"id_number_masked", MaskIdNumber((*r)[0].Text(1))}});
      }
    }
    return json::object{{"fact_id", *id}, {"colour", ColourName(ev->colour)}, {"contacts", std::move(contacts)}};
  });
}

Result<json::object> HealthCodeService::WithdrawFact(const Principal& auth, std::int64_t fact_id,
                                                     const std::string& reason, const RequestMeta& meta) {
  if (reason.empty()) return ValidationFailed({{"reason", "required"}});
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto f = tx.Query("SELECT user_id, kind FROM hc_facts WHERE id = $1 AND withdrawn_at IS NULL", {fact_id});
    if (!f) return f.error();
    if (f->empty()) return MakeError(Errc::not_found, "fact_not_found");
    const std::int64_t uid = (*f)[0].Int(0);
    auto u = tx.Exec("UPDATE hc_facts SET withdrawn_at = $1, withdrawn_reason = $2 WHERE id = $3",
                     {clock_.NowMs(), reason, fact_id});
    if (!u) return u.error();
    if (auto a = audit::Append(tx, AuditOf(auth, "healthcode.fact.withdraw", uid, "Fact", std::to_string(fact_id),
                                           reason, meta, clock_.NowMs()));
        !a)
      return a.error();
    auto ev = Recompute(tx, uid, "fact.withdrawn:" + (*f)[0].Text(1));
    if (!ev) return ev.error();
    return json::object{{"fact_id", fact_id}, {"colour", ColourName(ev->colour)}};
  });
}

Result<json::object> HealthCodeService::Person(const Principal& auth, const std::string& id_number,
                                               const std::string& reason, const RequestMeta& meta) {
  if (reason.empty()) return MakeError(Errc::invalid_argument, "reason_required");
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto uid = PersonId(tx, id_number);
    if (!uid) return uid.error();
    auto ev = Recompute(tx, *uid, "authority.view");
    if (!ev) return ev.error();
    auto u = tx.Query("SELECT real_name, id_number, birth_date FROM users WHERE id = $1", {*uid});
    if (!u) return u.error();
    auto f = tx.Query(std::string("SELECT ") + kFactCols + " FROM hc_facts WHERE user_id = $1 ORDER BY occurred_at DESC LIMIT 200",
                      {*uid});
    if (!f) return f.error();
    json::array facts;
    for (const auto& r : *f) facts.push_back(FactJson(r));
    if (auto a = audit::Append(tx, AuditOf(auth, "healthcode.read", *uid, "HealthCode", std::to_string(*uid), reason,
                                           meta, clock_.NowMs()));
        !a)
      return a.error();
    return json::object{{"user_id", *uid},
                        {"real_name", (*u)[0].Text(0)},
                        {"id_number_masked", MaskIdNumber((*u)[0].Text(1))},
                        {"birth_date", (*u)[0].Text(2)},
                        {"colour", ColourName(ev->colour)},
                        {"reasons", ReasonsJson(ev->reasons)},
                        {"changes_on", ev->changes_on ? json::value(*ev->changes_on) : json::value(nullptr)},
                        {"facts", std::move(facts)}};
  });
}

Result<json::object> HealthCodeService::Rules() {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query("SELECT version, body, note, created_at, demo FROM hc_rule_sets ORDER BY version DESC LIMIT 20");
    if (!rows) return rows.error();
    json::array versions;
    for (const auto& r : *rows)
      versions.push_back(json::object{{"version", r.Int(0)}, {"rules", json::parse(r.Text(1))}, {"note", r.Text(2)},
                                      {"created_at", r.Int(3)}, {"demo", r.Int(4) == 1}});
    json::object cur = versions.empty() ? json::object{} : versions[0].as_object();
    return json::object{{"current", std::move(cur)}, {"versions", std::move(versions)}};
  });
}

Result<json::object> HealthCodeService::SaveRules(const Principal& auth, const std::string& body,
                                                  const std::string& note) {
  auto rs = ParseRuleSet(body);
  if (!rs) return rs.error();
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto v = tx.Query("INSERT INTO hc_rule_sets (body, note, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING version",
                      {RuleSetJson(*rs), note, auth.user_id, clock_.NowMs()});
    if (!v) return v.error();
    // Everyone with a status is evaluated under the new version.
    auto users = tx.Query("SELECT user_id FROM hc_status");
    if (!users) return users.error();
    int changed = 0;
    for (const auto& u : *users) {
      auto ev = Recompute(tx, u.Int(0), "rules.changed:v" + std::to_string((*v)[0].Int(0)));
      if (!ev) return ev.error();
      ++changed;
    }
    return json::object{{"version", (*v)[0].Int(0)}, {"recomputed", changed}};
  });
}

Result<json::object> HealthCodeService::Regions(const std::string& parent) {
  // The divisions are compiled in (core/regions): no database read.
  // The statistical placeholders (市辖区 under a municipality, 省直辖县级行政区划 ...) are skipped:
  // their counties are listed in their place, so the picker reads 北京市 → 东城区.
  json::array a;
  for (const Region* r : RegionChildren(parent)) {
    const bool placeholder = r->level == "city" && (r->name == "市辖区" || r->name == "县" || r->name.ends_with("直辖县级行政区划"));
    if (placeholder) {
      for (const Region* c : RegionChildren(r->code))
        a.push_back(json::object{{"code", c->code}, {"name", c->name}, {"level", c->level}});
    } else {
      a.push_back(json::object{{"code", r->code}, {"name", r->name}, {"level", r->level}});
    }
  }
  return json::object{{"items", std::move(a)}};
}

Result<json::object> HealthCodeService::RiskAreas(bool current_only) {
  const std::string today = CivilDateCst(clock_.NowMs());
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(
        "SELECT a.id, a.region_code, a.level, a.start_date, a.end_date, a.note, a.demo FROM hc_risk_areas a "
        "WHERE $1 = 0 OR (a.start_date <= $2 AND (a.end_date IS NULL OR a.end_date >= $2)) ORDER BY a.id DESC LIMIT 500",
        {static_cast<std::int64_t>(current_only ? 1 : 0), today});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows) {
      const std::string code = r.Text(1);
      const Region* region = FindRegion(code);
      const Region* province = FindRegion(code.substr(0, 2) + "0000");
      a.push_back(json::object{{"id", r.Int(0)},
                               {"region_code", code},
                               {"region_name", region ? region->name : ""},
                               {"region_level", region ? region->level : ""},
                               {"province_name", province && province != region ? province->name : ""},
                               {"level", r.Text(2)},
                               {"start_date", r.Text(3)},
                               {"end_date", r.IsNull(4) ? json::value(nullptr) : json::value(r.Text(4))},
                               {"note", r.Text(5)},
                               {"demo", r.Int(6) == 1}});
    }
    return json::object{{"items", std::move(a)}, {"today", today}};
  });
}

namespace {
// Recomputes everyone who travelled to `region_code` (or inside it): a risk-area change moves
// their colour at once.
Status RecomputeTravellers(Tx& tx, const std::string& region_code,
                           const std::function<Status(std::int64_t)>& recompute) {
  std::string prefix = region_code;
  while (prefix.size() > 2 && prefix.substr(prefix.size() - 2) == "00") prefix.resize(prefix.size() - 2);
  auto users = tx.Query(
      "SELECT DISTINCT user_id FROM hc_facts WHERE kind = 'travel' AND withdrawn_at IS NULL "
      "AND SUBSTR(region_code, 1, " + std::to_string(prefix.size()) + ") = $1",
      {prefix});
  if (!users) return users.error();
  for (const auto& u : *users)
    if (auto st = recompute(u.Int(0)); !st) return st;
  return {};
}
}  // namespace

Result<json::object> HealthCodeService::AddRiskArea(const Principal& auth, const std::string& region_code,
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
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    if (FindRegion(region_code) == nullptr) return ValidationFailed({{"region_code", "region_unknown"}});
    auto id = tx.Query(
        "INSERT INTO hc_risk_areas (region_code, level, start_date, end_date, note, set_by, set_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {region_code, level, start_date, end_date ? store::Value(*end_date) : store::Value(nullptr), note,
         auth.user_id, clock_.NowMs()});
    if (!id) return id.error();
    int n = 0;
    auto st = RecomputeTravellers(tx, region_code, [&](std::int64_t u) -> Status {
      ++n;
      auto ev = Recompute(tx, u, "risk_area.set:" + region_code + "." + level);
      return ev ? Status{} : Status{ev.error()};
    });
    if (!st) return st.error();
    return json::object{{"id", (*id)[0].Int(0)}, {"region_name", FindRegion(region_code)->name}, {"recomputed", n}};
  });
}

Result<json::object> HealthCodeService::EndRiskArea(const Principal& auth, std::int64_t id, const std::string& end_date) {
  (void)auth;
  if (!IsValidIsoDate(end_date)) return ValidationFailed({{"end_date", "invalid_date"}});
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto a = tx.Query("SELECT region_code, start_date FROM hc_risk_areas WHERE id = $1", {id});
    if (!a) return a.error();
    if (a->empty()) return MakeError(Errc::not_found, "risk_area_not_found");
    if (end_date < (*a)[0].Text(1)) return ValidationFailed({{"end_date", "end_date_before_start"}});
    auto u = tx.Exec("UPDATE hc_risk_areas SET end_date = $1 WHERE id = $2", {end_date, id});
    if (!u) return u.error();
    int n = 0;
    auto st = RecomputeTravellers(tx, (*a)[0].Text(0), [&](std::int64_t uid) -> Status {
      ++n;
      auto ev = Recompute(tx, uid, "risk_area.ended:" + (*a)[0].Text(0));
      return ev ? Status{} : Status{ev.error()};
    });
    if (!st) return st.error();
    return json::object{{"id", id}, {"end_date", end_date}, {"recomputed", n}};
  });
}

Result<json::object> HealthCodeService::Appeals(const std::string& status) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = status.empty() ? tx.Query(std::string(kAppealSelect) + "ORDER BY a.id DESC LIMIT 200")
                               : tx.Query(std::string(kAppealSelect) + "WHERE a.status = $1 ORDER BY a.id DESC LIMIT 200",
                                          {status});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows) a.push_back(AppealJson(r));
    return json::object{{"items", std::move(a)}};
  });
}

Result<json::object> HealthCodeService::ResolveAppeal(const Principal& auth, std::int64_t id,
                                                      const std::string& decision, const std::string& resolution,
                                                      const std::vector<std::int64_t>& facts, const RequestMeta& meta) {
  if (decision != "upheld" && decision != "rejected") return ValidationFailed({{"decision", "invalid_value"}});
  if (resolution.empty()) return ValidationFailed({{"resolution", "required"}});
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    auto a = tx.Query("SELECT user_id, status FROM hc_appeals WHERE id = $1", {id});
    if (!a) return a.error();
    if (a->empty()) return MakeError(Errc::not_found, "appeal_not_found");
    if ((*a)[0].Text(1) != "open") return MakeError(Errc::conflict, "appeal_resolved");
    const std::int64_t uid = (*a)[0].Int(0);
    const std::int64_t now = clock_.NowMs();
    for (auto f : facts) {
      auto u = tx.Exec(
          "UPDATE hc_facts SET withdrawn_at = $1, withdrawn_reason = $2 WHERE id = $3 AND user_id = $4 AND withdrawn_at IS NULL",
          {now, "appeal #" + std::to_string(id) + ": " + resolution, f, uid});
      if (!u) return u.error();
      if (*u == 0) return ValidationFailed({{"withdraw_fact_ids", "fact_not_found"}});
    }
    auto u = tx.Exec("UPDATE hc_appeals SET status = $1, resolution = $2, resolved_by = $3, resolved_at = $4 WHERE id = $5",
                     {decision, resolution, auth.user_id, now, id});
    if (!u) return u.error();
    if (auto au = audit::Append(tx, AuditOf(auth, "healthcode.appeal." + decision, uid, "Appeal", std::to_string(id),
                                            resolution, meta, now));
        !au)
      return au.error();
    auto ev = Recompute(tx, uid, "appeal." + decision + ":#" + std::to_string(id));
    if (!ev) return ev.error();
    return json::object{{"id", id}, {"status", decision}, {"colour", ColourName(ev->colour)}};
  });
}

Result<json::object> HealthCodeService::AddVenue(const Principal& auth, const std::string& name,
                                                 const std::string& kind, const std::string& region_code,
                                                 const std::string& address) {
  std::vector<FieldError> errs;
  if (name.empty()) errs.push_back({"name", "required"});
  if (!In(kVenueKinds, kind)) errs.push_back({"kind", "invalid_value"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return Write<json::object>([&](Tx& tx) -> Result<json::object> {
    if (FindRegion(region_code) == nullptr) return ValidationFailed({{"region_code", "region_unknown"}});
    const std::string code = crypto::RandomToken(12);
    auto id = tx.Query(
        "INSERT INTO hc_venues (name, kind, region_code, address, code, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {name, kind, region_code, address, code, auth.user_id, clock_.NowMs()});
    if (!id) return id.error();
    return json::object{{"id", (*id)[0].Int(0)}, {"name", name}, {"kind", kind}, {"code", code},
                        {"region_code", region_code}};
  });
}

Result<json::object> HealthCodeService::Venues() {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(
        "SELECT v.id, v.name, v.kind, v.region_code, v.address, v.code, v.demo FROM hc_venues v "
        "ORDER BY v.id LIMIT 500");
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows)
      a.push_back(json::object{{"id", r.Int(0)}, {"name", r.Text(1)}, {"kind", r.Text(2)}, {"region_code", r.Text(3)},
                               {"region_name", RegionPath(r.Text(3))}, {"address", r.Text(4)}, {"code", r.Text(5)},
                               {"checkin_text", "ihos-venue:" + r.Text(5)}, {"demo", r.Int(6) == 1}});
    return json::object{{"items", std::move(a)}};
  });
}

Result<std::string> HealthCodeService::VenueQrSvg(std::int64_t venue_id) {
  return db_.With<std::string>(TxMode::read, [&](Tx& tx) -> Result<std::string> {
    auto rows = tx.Query("SELECT code FROM hc_venues WHERE id = $1", {venue_id});
    if (!rows) return rows.error();
    if (rows->empty()) return MakeError(Errc::not_found, "venue_not_found");
    return shc::TextQrSvg("ihos-venue:" + (*rows)[0].Text(0), 8);
  });
}

Result<json::object> HealthCodeService::Scans(int limit) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(
        "SELECT s.id, s.gate, s.venue_id, s.at, s.result, s.colour FROM hc_scans s ORDER BY s.id DESC LIMIT $1",
        {static_cast<std::int64_t>(limit)});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows)
      a.push_back(json::object{{"id", r.Int(0)}, {"gate", r.Text(1)},
                               {"venue_id", r.IsNull(2) ? json::value(nullptr) : json::value(r.Int(2))},
                               {"at", r.Int(3)}, {"result", r.Text(4)},
                               {"colour", r.IsNull(5) ? json::value(nullptr) : json::value(r.Text(5))}});
    return json::object{{"items", std::move(a)}};
  });
}

// ---------------------------------------------------------------- gate and published keys

Result<json::object> HealthCodeService::Verify(const Principal& gate, const std::string& qr_text,
                                               const std::string& gate_name, std::optional<std::int64_t> venue_id) {
  const std::int64_t now = clock_.NowMs();
  json::object out{{"result", "malformed"}};
  std::string rid, kid;
  std::optional<std::string> colour;
  auto keys = Keys();
  [&] {
    auto jws = shc::FromQrText(qr_text);
    if (!jws) return;
    auto parsed = shc::ParseJws(*jws);
    if (!parsed) return;
    kid = parsed->kid;
    auto vk = keys->verifiers.find(parsed->kid);
    if (vk == keys->verifiers.end()) {
      out["result"] = "unknown_key";
      return;
    }
    if (!vk->second->Verify(parsed->signing_input, parsed->signature)) {
      out["result"] = "invalid_signature";
      return;
    }
    boost::system::error_code ec;
    auto pv = json::parse(parsed->payload_json, ec);
    if (ec || !pv.is_object()) return;
    const auto& p = pv.as_object();
    try {
      if (p.at("iss").as_string() != issuer_) {
        out["result"] = "wrong_issuer";
        return;
      }
      const std::int64_t nbf = p.at("nbf").to_number<std::int64_t>();
      const std::int64_t exp = p.at("exp").to_number<std::int64_t>();
      const auto& vc = p.at("vc").as_object();
      rid = std::string(vc.at("rid").as_string());
      const auto& entries = vc.at("credentialSubject").at("fhirBundle").at("entry").as_array();
      const auto& pat = entries.at(0).at("resource").as_object();
      const auto& obs = entries.at(1).at("resource").as_object();
      colour = std::string(obs.at("valueCodeableConcept").at("coding").at(0).at("code").as_string());
      out["colour"] = *colour;
      out["name_masked"] = pat.at("name").at(0).at("text");
      out["id_number_masked"] = pat.at("identifier").at(0).at("value");
      out["birth_date"] = pat.at("birthDate");
      out["issued_at"] = nbf * 1000;
      out["expires_at"] = exp * 1000;
      if (const auto* comp = obs.if_contains("component"))
        out["latest_test"] = comp->at(0).at("valueCodeableConcept").at("coding").at(0).at("code") == "260385009"
                                 ? "negative"
                                 : "positive";
      if (now / 1000 < nbf - 60) out["result"] = "not_yet_valid";
      else if (now / 1000 >= exp) out["result"] = "expired";
      else out["result"] = "valid";
    } catch (const std::exception&) {
      out["result"] = "malformed";
      out.erase("colour");
      colour.reset();
    }
  }();
  ScanJob job;
  job.rid = rid;
  job.kid = kid;
  job.gate_name = gate_name;
  job.result = std::string(out["result"].as_string());
  job.colour = colour;
  job.venue_id = venue_id;
  job.issued_s = out.contains("issued_at") ? out["issued_at"].as_int64() / 1000 : 0;
  job.now = now;
  job.gate_user = gate.user_id;
  LogScan(job);
  if (job.error) return *job.error;
  out["result"] = job.result;
  out["scan_id"] = job.scan_id;
  out["checked_in"] = job.checked_in;
  return out;
}

void HealthCodeService::LogScan(ScanJob& job) {
  std::unique_lock lk(scan_mu_);
  scan_queue_.push_back(&job);
  while (!job.done) {
    if (scan_flushing_) {
      scan_cv_.wait(lk);
      continue;
    }
    scan_flushing_ = true;
    std::vector<ScanJob*> batch;
    batch.swap(scan_queue_);
    lk.unlock();
    Status st = MakeError(Errc::internal, "internal_error");
    try {
      st = WriteScans(batch);
    } catch (...) {
    }
    lk.lock();
    for (auto* j : batch) {
      if (!st && !j->error) j->error = st.error();
      j->done = true;
    }
    scan_flushing_ = false;
    scan_cv_.notify_all();
  }
}

Status HealthCodeService::WriteScans(const std::vector<ScanJob*>& batch) {
  return db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    for (auto* j : batch) {  // outputs are written afresh should the body run again
      j->user.reset();
      j->error.reset();
      j->checked_in = false;
    }
    // Read once per batch: this transaction writes scans and check-ins only, so a person's
    // revocations and a venue's existence cannot change within it (a queue at one gate is
    // often the same venue, and a person may be scanned at two gates at once).
    std::unordered_map<std::int64_t, std::optional<std::int64_t>> revoked_before;  // user ->
    std::unordered_map<std::int64_t, bool> venue_known;
    for (auto* j : batch) {
      if (!j->rid.empty()) {
        const std::string key = j->kid + "|" + j->rid;
        {
          std::lock_guard lock(rid_mu_);
          if (auto it = rid_users_.find(key); it != rid_users_.end()) j->user = it->second;
        }
        if (!j->user) {
          auto u = tx.Query("SELECT user_id FROM hc_rids WHERE rid = $1 AND kid = $2", {j->rid, j->kid});
          if (!u) return u.error();
          if (!u->empty()) {
            j->user = (*u)[0].Int(0);
            std::lock_guard lock(rid_mu_);
            if (rid_users_.size() > 500'000) rid_users_.clear();
            rid_users_.emplace(key, *j->user);
          }
        }
      }
      if (j->user && j->result == "valid") {
        auto known = revoked_before.find(*j->user);
        if (known == revoked_before.end()) {
          auto rv = tx.Query("SELECT MAX(revoked_before) FROM hc_revocations WHERE user_id = $1", {*j->user});
          if (!rv) return rv.error();
          known = revoked_before.emplace(*j->user, (*rv)[0].OptInt(0)).first;
        }
        if (known->second && j->issued_s < *known->second) j->result = "revoked";
      }
      if (j->venue_id) {
        auto known = venue_known.find(*j->venue_id);
        if (known == venue_known.end()) {
          auto v = tx.Query("SELECT id FROM hc_venues WHERE id = $1", {*j->venue_id});
          if (!v) return v.error();
          known = venue_known.emplace(*j->venue_id, !v->empty()).first;
        }
        if (!known->second) {
          j->error = MakeError(Errc::not_found, "venue_not_found");
          continue;  // nothing logged for this scan; the others in the batch go on
        }
      }
      auto id = tx.Query(
          "INSERT INTO hc_scans (venue_id, gate, scanned_by, at, result, colour, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7) "
          "RETURNING id",
          {j->venue_id ? store::Value(*j->venue_id) : store::Value(nullptr), j->gate_name, j->gate_user, j->now, j->result,
           j->colour ? store::Value(*j->colour) : store::Value(nullptr),
           j->user ? store::Value(*j->user) : store::Value(nullptr)});
      if (!id) return id.error();
      j->scan_id = (*id)[0].Int(0);
      if (j->venue_id && j->user && j->result == "valid") {
        auto c = tx.Exec("INSERT INTO hc_checkins (user_id, venue_id, at, source) VALUES ($1, $2, $3, 'gate_scan')",
                         {*j->user, *j->venue_id, j->now});
        if (!c) return c.error();
        j->checked_in = true;
      }
    }
    return {};
  });
}

Result<json::object> HealthCodeService::Jwks() {
  const std::int64_t now = clock_.NowMs();
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query("SELECT public_jwk FROM hc_keys WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at",
                         {now - config_.card_minutes * 60000LL});
    if (!rows) return rows.error();
    json::array keys;
    for (const auto& r : *rows) {
      auto k = json::parse(r.Text(0)).as_object();
      k["crlVersion"] = 1;  // spec: this issuer publishes a CRL for the key
      keys.push_back(std::move(k));
    }
    return json::object{{"keys", std::move(keys)}};
  });
}

Result<json::object> HealthCodeService::Crl(const std::string& kid) {
  auto keys = Keys();
  auto secret = keys->rid_secrets.find(kid);
  if (secret == keys->rid_secrets.end()) return MakeError(Errc::not_found, "key_not_found");
  const std::int64_t now = clock_.NowMs();
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(
        "SELECT user_id, MAX(revoked_before) FROM hc_revocations WHERE at > $1 GROUP BY user_id ORDER BY user_id",
        {now - kCrlKeepMs});
    if (!rows) return rows.error();
    auto ctr = tx.Query("SELECT COALESCE(MAX(id), 0) FROM hc_revocations");
    if (!ctr) return ctr.error();
    json::array rids;
    // "rid.timestamp": every card of that rid with nbf before the timestamp is revoked.
    for (const auto& r : *rows)
      rids.push_back(json::value(shc::Rid(secret->second, kid, r.Int(0)) + "." + std::to_string(r.Int(1))));
    return json::object{{"kid", kid}, {"method", "rid"}, {"ctr", (*ctr)[0].Int(0) + 1}, {"rids", std::move(rids)}};
  });
}

}  // namespace ihos::domain::healthcode
