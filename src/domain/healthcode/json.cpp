#include "domain/healthcode/json.hpp"

#include "core/clock.hpp"
#include "core/mask.hpp"

namespace ihos::domain::healthcode {
namespace json = boost::json;

namespace {

constexpr char kCardType[] = "https://smarthealth.cards#health-card";

json::value OrNull(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value OrNull(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

// Stored JSON texts were written by this capability; a damaged one reads as null, not a throw.
json::value ParseStored(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

json::object FactJson(const FactRecord& f) {
  return json::object{{"id", f.id},
                      {"kind", f.kind},
                      {"value", f.value},
                      {"occurred_at", f.occurred_at},
                      {"region_code", OrNull(f.region_code)},
                      {"detail", f.detail},
                      {"source", f.source},
                      {"entered_at", f.entered_at},
                      {"withdrawn_at", OrNull(f.withdrawn_at)},
                      {"withdrawn_reason", OrNull(f.withdrawn_reason)},
                      {"demo", f.demo}};
}

json::array FactsJson(const std::vector<FactRecord>& facts) {
  json::array a;
  for (const auto& f : facts) a.push_back(FactJson(f));
  return a;
}

json::object StatusJson(const StatusRow& s) {
  return json::object{{"colour", s.colour},
                      {"reasons", ParseStored(s.reasons)},
                      {"changes_on", OrNull(s.changes_on)},
                      {"computed_at", s.computed_at},
                      {"rule_version", s.rule_version}};
}

json::object AppealJson(const AppealRow& a) {
  return json::object{{"id", a.id},
                      {"user_id", a.user_id},
                      {"colour", a.colour},
                      {"text", a.text},
                      {"status", a.status},
                      {"resolution", OrNull(a.resolution)},
                      {"created_at", a.created_at},
                      {"resolved_at", OrNull(a.resolved_at)},
                      {"name_masked", MaskName(a.real_name)},
                      {"id_number_masked", MaskIdNumber(a.id_number)}};
}

json::object Items(json::array a) { return json::object{{"items", std::move(a)}}; }

// Untrusted JSON, read without exceptions.
const json::value* Key(const json::value* v, std::string_view k) {
  if (!v || !v->is_object()) return nullptr;
  return v->as_object().if_contains(k);
}
const json::value* Index(const json::value* v, std::size_t i) {
  if (!v || !v->is_array() || v->as_array().size() <= i) return nullptr;
  return &v->as_array()[i];
}
std::optional<std::string> Str(const json::value* v) {
  if (!v) return std::nullopt;
  if (const auto* s = v->if_string()) return std::string(*s);
  return std::nullopt;
}
std::optional<std::int64_t> Int(const json::value* v) {
  if (!v) return std::nullopt;
  boost::system::error_code ec;
  const auto n = v->to_number<std::int64_t>(ec);
  if (ec) return std::nullopt;
  return n;
}
const json::value* FirstCode(const json::value* concept_) {
  return Key(Index(Key(Key(concept_, "valueCodeableConcept"), "coding"), 0), "code");
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

std::string ReasonsText(const std::vector<Reason>& reasons) { return json::serialize(ReasonsJson(reasons)); }

std::optional<std::pair<std::string, std::string>> JwkXY(const std::string& public_jwk) {
  const json::value v = ParseStored(public_jwk);
  auto x = Str(Key(&v, "x"));
  auto y = Str(Key(&v, "y"));
  if (!x || !y) return std::nullopt;
  return std::make_pair(*x, *y);
}

std::string CardPayload(const std::string& issuer, int card_minutes, const std::string& masked_name,
                        const std::string& masked_id, const std::string& birth_date, Colour colour,
                        const std::optional<std::pair<std::string, std::int64_t>>& test, const std::string& rid,
                        std::int64_t now_s) {
  // Minimal FHIR resources (spec: no id, meta or text; references as resource:N).
  json::object patient{
      {"resourceType", "Patient"},
      {"identifier", json::array{json::object{{"system", "urn:ihos:resident-id-masked"}, {"value", masked_id}}}},
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
        {"code",
         json::object{{"coding", json::array{json::object{{"system", "http://loinc.org"}, {"code", "94500-6"}}}}}},
        {"valueCodeableConcept",
         json::object{{"coding", json::array{json::object{{"system", "http://snomed.info/sct"},
                                                          {"code", neg ? "260385009" : "10828004"}}}}}},
        {"extension",
         json::array{json::object{{"url", "urn:ihos:sampled-at"}, {"valueInteger", test->second / 1000}}}}}};
  }
  json::object vc{
      {"type", json::array{kCardType}},
      {"credentialSubject",
       json::object{
           {"fhirVersion", "4.0.1"},
           {"fhirBundle",
            json::object{
                {"resourceType", "Bundle"},
                {"type", "collection"},
                {"entry", json::array{json::object{{"fullUrl", "resource:0"}, {"resource", std::move(patient)}},
                                      json::object{{"fullUrl", "resource:1"}, {"resource", std::move(obs)}}}}}}}},
      {"rid", rid}};
  return json::serialize(
      json::object{{"iss", issuer}, {"nbf", now_s}, {"exp", now_s + card_minutes * 60}, {"vc", std::move(vc)}});
}

CardClaims ParseCardPayload(const std::string& payload_json, const std::string& issuer) {
  CardClaims c;
  boost::system::error_code ec;
  const json::value p = json::parse(payload_json, ec);
  if (ec || !p.is_object()) return c;
  auto iss = Str(Key(&p, "iss"));
  if (!iss) return c;
  if (*iss != issuer) {
    c.right_issuer = false;
    return c;
  }
  auto nbf = Int(Key(&p, "nbf"));
  auto exp = Int(Key(&p, "exp"));
  const json::value* vc = Key(&p, "vc");
  if (!nbf || !exp || !vc || !vc->is_object()) return c;
  auto rid = Str(Key(vc, "rid"));
  if (!rid) return c;
  c.rid = *rid;
  const json::value* entries = Key(Key(Key(vc, "credentialSubject"), "fhirBundle"), "entry");
  const json::value* pat = Key(Index(entries, 0), "resource");
  const json::value* obs = Key(Index(entries, 1), "resource");
  if (!pat || !pat->is_object() || !obs || !obs->is_object()) return c;
  c.colour = Str(FirstCode(obs));
  if (!c.colour) return c;
  c.name_masked = Str(Key(Index(Key(pat, "name"), 0), "text"));
  if (!c.name_masked) return c;
  c.id_number_masked = Str(Key(Index(Key(pat, "identifier"), 0), "value"));
  if (!c.id_number_masked) return c;
  c.birth_date = Str(Key(pat, "birthDate"));
  if (!c.birth_date) return c;
  c.nbf = nbf;
  c.exp = exp;
  if (const json::value* comp = Key(obs, "component")) {
    auto code = Str(FirstCode(Index(comp, 0)));
    if (!code) return c;
    c.latest_test = *code == "260385009" ? "negative" : "positive";
  }
  c.complete = true;
  return c;
}

const std::string& CardJson(const Card& card) {
  std::call_once(card.serialized_once, [&] {
    card.serialized = json::serialize(json::object{{"jws", card.jws},
                                                   {"qr_text", card.qr_text},
                                                   {"qr_svg", card.qr_svg},
                                                   {"kid", card.kid},
                                                   {"issued_at", card.issued_at},
                                                   {"expires_at", card.expires_at}});
  });
  return card.serialized;
}

std::string MyCodeBody(const MyCode& c) {
  json::object out = StatusJson(c.status);
  out["name_masked"] = c.name_masked;
  out["id_number_masked"] = c.id_number_masked;
  out["latest_test"] =
      c.latest_test ? json::value(json::object{{"result", c.latest_test->first}, {"sampled_at", c.latest_test->second}})
                    : json::value(nullptr);
  // {...status} + "card": the card's JSON as serialized when it was signed.
  const std::string& card = CardJson(*c.card);
  std::string body = json::serialize(out);
  body.pop_back();
  body.reserve(body.size() + card.size() + 10);
  body += ",\"card\":";
  body += card;
  body += '}';
  return body;
}

json::object ToJson(const MyHistory& h) {
  json::array items;
  for (const auto& r : h.history)
    items.push_back(json::object{{"id", r.id},
                                 {"colour", r.colour},
                                 {"previous_colour", OrNull(r.previous_colour)},
                                 {"reasons", ParseStored(r.reasons)},
                                 {"cause", r.cause},
                                 {"rule_version", r.rule_version},
                                 {"at", r.at}});
  return json::object{{"history", std::move(items)}, {"facts", FactsJson(h.facts)}};
}

json::object ToJson(const FactOutcome& o) {
  json::object out{{"fact_id", o.fact_id}};
  if (o.value) out["value"] = *o.value;
  out["colour"] = ColourName(o.colour);
  if (o.reasons) out["reasons"] = ReasonsJson(*o.reasons);
  return out;
}

json::object ToJson(const ExposureOutcome& o) {
  json::array contacts;
  for (const auto& c : o.contacts)
    contacts.push_back(
        json::object{{"user_id", c.user_id}, {"name_masked", c.name_masked}, {"id_number_masked", c.id_number_masked}});
  return json::object{{"fact_id", o.fact_id}, {"colour", ColourName(o.colour)}, {"contacts", std::move(contacts)}};
}

json::object ToJson(const ImportOutcome& o) { return json::object{{"imported", o.imported}, {"people", o.people}}; }

json::object ToJson(const PersonView& p) {
  const Evaluation& ev = p.evaluation;
  return json::object{{"user_id", p.user_id},
                      {"real_name", p.real_name},
                      {"id_number_masked", p.id_number_masked},
                      {"birth_date", p.birth_date},
                      {"colour", ColourName(ev.colour)},
                      {"reasons", ReasonsJson(ev.reasons)},
                      {"changes_on", OrNull(ev.changes_on)},
                      {"facts", FactsJson(p.facts)}};
}

json::object ToJson(const NewAppeal& a) {
  return json::object{{"id", a.id}, {"status", "open"}, {"colour", a.colour}, {"text", a.text}};
}

json::object ToJson(const AppealOutcome& a) {
  return json::object{{"id", a.id}, {"status", a.status}, {"colour", ColourName(a.colour)}};
}

json::object ToJson(const std::vector<AppealRow>& appeals) {
  json::array a;
  for (const auto& r : appeals) a.push_back(AppealJson(r));
  return Items(std::move(a));
}

json::object ToJson(const std::vector<RuleSetRow>& rows) {
  json::array versions;
  for (const auto& r : rows)
    versions.push_back(json::object{{"version", r.version},
                                    {"rules", ParseStored(r.body)},
                                    {"note", r.note},
                                    {"created_at", r.created_at},
                                    {"demo", r.demo}});
  json::object cur = versions.empty() ? json::object{} : versions[0].as_object();
  // What a rule may name, so an editor offers only values the server accepts.
  json::object vocabulary;
  for (const auto& fact : RuleFacts()) {
    json::array values;
    for (const auto& v : RuleFactValues(fact)) values.emplace_back(v);
    vocabulary[fact] = std::move(values);
  }
  return json::object{
      {"current", std::move(cur)}, {"versions", std::move(versions)}, {"vocabulary", std::move(vocabulary)}};
}

json::object ToJson(const SavedRules& s) { return json::object{{"version", s.version}, {"recomputed", s.recomputed}}; }

json::object ToJson(const std::vector<const Region*>& regions) {
  json::array a;
  for (const Region* r : regions) a.push_back(json::object{{"code", r->code}, {"name", r->name}, {"level", r->level}});
  return Items(std::move(a));
}

json::object ToJson(const RiskAreas& areas) {
  json::array a;
  for (const auto& r : areas.items) {
    const Region* region = FindRegion(r.region_code);
    const Region* province = FindRegion(r.region_code.substr(0, 2) + "0000");
    a.push_back(json::object{{"id", r.id},
                             {"region_code", r.region_code},
                             {"region_name", region ? region->name : ""},
                             {"region_level", region ? region->level : ""},
                             {"province_name", province && province != region ? province->name : ""},
                             {"level", r.level},
                             {"start_date", r.start_date},
                             {"end_date", OrNull(r.end_date)},
                             {"note", r.note},
                             {"demo", r.demo}});
  }
  return json::object{{"items", std::move(a)}, {"today", areas.today}};
}

json::object ToJson(const RiskAreaChange& c) {
  if (c.end_date) return json::object{{"id", c.id}, {"end_date", *c.end_date}, {"recomputed", c.recomputed}};
  return json::object{{"id", c.id}, {"region_name", c.region_name}, {"recomputed", c.recomputed}};
}

json::object ToJson(const VenueRow& v) {
  return json::object{
      {"id", v.id}, {"name", v.name}, {"kind", v.kind}, {"code", v.code}, {"region_code", v.region_code}};
}

json::object ToJson(const std::vector<VenueRow>& venues) {
  json::array a;
  for (const auto& v : venues)
    a.push_back(json::object{{"id", v.id},
                             {"name", v.name},
                             {"kind", v.kind},
                             {"region_code", v.region_code},
                             {"region_name", RegionPath(v.region_code)},
                             {"address", v.address},
                             {"code", v.code},
                             {"checkin_text", "ihos-venue:" + v.code},
                             {"demo", v.demo}});
  return Items(std::move(a));
}

json::object ToJson(const CheckedIn& c) {
  return json::object{
      {"id", c.id}, {"venue_id", c.venue.id}, {"venue_name", c.venue.name}, {"venue_kind", c.venue.kind}, {"at", c.at}};
}

json::object ToJson(const std::vector<CheckInRow>& checkins) {
  json::array a;
  for (const auto& c : checkins)
    a.push_back(json::object{
        {"id", c.id}, {"venue_id", c.venue_id}, {"venue_name", c.venue_name}, {"at", c.at}, {"source", c.source}});
  return Items(std::move(a));
}

json::object ToJson(const std::vector<ScanRow>& scans) {
  json::array a;
  for (const auto& s : scans)
    a.push_back(json::object{{"id", s.id},
                             {"gate", s.gate},
                             {"venue_id", OrNull(s.venue_id)},
                             {"at", s.at},
                             {"result", s.result},
                             {"colour", OrNull(s.colour)}});
  return Items(std::move(a));
}

json::object ToJson(const Verification& v) {
  json::object out{{"result", v.result}};
  if (v.colour) out["colour"] = *v.colour;
  if (v.name_masked) out["name_masked"] = *v.name_masked;
  if (v.id_number_masked) out["id_number_masked"] = *v.id_number_masked;
  if (v.birth_date) out["birth_date"] = *v.birth_date;
  if (v.issued_at) out["issued_at"] = *v.issued_at;
  if (v.expires_at) out["expires_at"] = *v.expires_at;
  if (v.latest_test) out["latest_test"] = *v.latest_test;
  out["scan_id"] = v.scan_id;
  out["checked_in"] = v.checked_in;
  return out;
}

json::object JwksJson(const std::vector<std::string>& public_jwks) {
  json::array keys;
  for (const auto& text : public_jwks) {
    json::value k = ParseStored(text);
    if (!k.is_object()) continue;
    k.as_object()["crlVersion"] = 1;  // spec: this issuer publishes a CRL for the key
    keys.push_back(std::move(k));
  }
  return json::object{{"keys", std::move(keys)}};
}

json::object ToJson(const Crl& c) {
  json::array rids;
  for (const auto& r : c.rids) rids.push_back(json::value(r));
  return json::object{{"kid", c.kid}, {"method", "rid"}, {"ctr", c.ctr}, {"rids", std::move(rids)}};
}

}  // namespace ihos::domain::healthcode
