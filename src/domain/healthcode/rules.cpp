#include "domain/healthcode/rules.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/clock.hpp"

namespace ihos::domain::healthcode {
namespace json = boost::json;
namespace {

const std::vector<std::string> kFacts = {"exposure", "nat_test", "symptom", "fever_onsite", "travel"};
const std::vector<std::string> kRisks = {"low", "medium", "high"};

// The values each fact takes (what the facts service records), so a rule can only name a value
// that can occur: a rule for anything else would save and silently never match.
const std::vector<std::string>& FactValues(std::string_view fact) {
  static const std::vector<std::string> kExposure = {"confirmed", "suspected", "close_contact", "secondary_contact",
                                                     "possible_contact"};
  static const std::vector<std::string> kNatTest = {"positive", "negative"};
  static const std::vector<std::string> kSymptom = {"fever", "cough", "sore_throat", "loss_of_smell", "fatigue"};
  static const std::vector<std::string> kFeverOnsite = {"fever", "normal"};
  static const std::vector<std::string> kNone;
  if (fact == "exposure") return kExposure;
  if (fact == "nat_test") return kNatTest;
  if (fact == "symptom") return kSymptom;
  if (fact == "fever_onsite") return kFeverOnsite;
  return kNone;
}

}  // namespace

const std::vector<std::string>& RuleFacts() { return kFacts; }

const std::vector<std::string>& RuleFactValues(std::string_view fact) {
  return fact == "travel" ? kRisks : FactValues(fact);
}

namespace {

bool In(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

std::string_view ColourName(Colour c) {
  static constexpr std::string_view kNames[] = {"green", "yellow", "red"};
  return kNames[static_cast<int>(c)];
}

std::optional<Colour> ParseColour(std::string_view s) {
  if (s == "green") return Colour::green;
  if (s == "yellow") return Colour::yellow;
  if (s == "red") return Colour::red;
  return std::nullopt;
}

Result<RuleSet> ParseRuleSet(std::string_view text, RuleCheck check) {
  const bool strict = check == RuleCheck::strict;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return MakeError(Errc::invalid_argument, "malformed_json");
  const auto& o = v.as_object();
  std::vector<FieldError> errs;
  RuleSet rs;
  for (const auto& kv : o)
    if (kv.key() != "test_valid_hours" && kv.key() != "rules") errs.push_back({std::string(kv.key()), "unknown_field"});
  if (const auto* t = o.if_contains("test_valid_hours")) {
    if (!t->is_int64() || t->as_int64() < 0 || t->as_int64() > 24 * 30)
      errs.push_back({"test_valid_hours", "out_of_range"});
    else
      rs.test_valid_hours = static_cast<int>(t->as_int64());
  }
  const auto* rules = o.if_contains("rules");
  if (!rules || !rules->is_array()) {
    errs.push_back({"rules", "required"});
  } else if (rules->as_array().size() > 100) {
    errs.push_back({"rules", "too_long"});
  } else {
    int i = 0;
    for (const auto& rv : rules->as_array()) {
      const std::string p = "rules[" + std::to_string(i++) + "].";
      if (!rv.is_object()) {
        errs.push_back({p.substr(0, p.size() - 1), "wrong_type"});
        continue;
      }
      const auto& ro = rv.as_object();
      Rule r;
      for (const auto& kv : ro)
        if (!In({"fact", "value", "risk", "colour", "days", "negative_tests"}, kv.key()))
          errs.push_back({p + std::string(kv.key()), "unknown_field"});
      // A string field; a present field of another type is a field error of its own.
      auto str = [&](const char* k) -> std::string {
        const auto* f = ro.if_contains(k);
        if (f && !f->is_string() && !f->is_null() && strict) {
          errs.push_back({p + k, "wrong_type"});
          return "";
        }
        return f && f->is_string() ? std::string(f->as_string()) : "";
      };
      // Present and not "" (an editor may send the unused one empty).
      auto given = [&](const char* k) {
        const auto* f = ro.if_contains(k);
        return f && !(f->is_string() && f->as_string().empty()) && !f->is_null();
      };
      const bool has_value = given("value"), has_risk = given("risk");
      r.fact = str("fact");
      r.value = str("value");
      r.risk = str("risk");
      if (!In(kFacts, r.fact)) errs.push_back({p + "fact", r.fact.empty() ? "required" : "invalid_value"});
      if (r.fact == "travel") {
        if (!In(kRisks, r.risk)) errs.push_back({p + "risk", r.risk.empty() ? "required" : "invalid_value"});
        if (has_value && strict) errs.push_back({p + "value", "invalid_value"});  // travel matches by risk only
      } else if (!r.fact.empty() && In(kFacts, r.fact)) {
        // Every value is checked against its fact's vocabulary (which also keeps out NULs,
        // quotes and other junk that could never match a recorded fact).
        if (r.value.empty() || r.value.size() > 40)
          errs.push_back({p + "value", "required"});
        else if (strict && !In(FactValues(r.fact), r.value))
          errs.push_back({p + "value", "invalid_value"});
        if (strict ? has_risk : !r.risk.empty()) errs.push_back({p + "risk", "invalid_value"});
      }
      const std::string colour_text = str("colour");
      auto colour = ParseColour(colour_text);
      if (!colour || *colour == Colour::green)
        errs.push_back({p + "colour", "invalid_value"});
      else
        r.colour = *colour;
      const auto* d = ro.if_contains("days");
      if (!d || !d->is_int64() || d->as_int64() < 1 || d->as_int64() > 90)
        errs.push_back({p + "days", "out_of_range"});
      else
        r.days = static_cast<int>(d->as_int64());
      const auto* n = ro.if_contains("negative_tests");
      if (!n || !n->is_int64() || n->as_int64() < 0 || n->as_int64() > 10)
        errs.push_back({p + "negative_tests", "out_of_range"});
      else
        r.negative_tests = static_cast<int>(n->as_int64());
      rs.rules.push_back(std::move(r));
    }
  }
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return rs;
}

std::string RuleSetJson(const RuleSet& rs) {
  json::array a;
  for (const auto& r : rs.rules) {
    json::object o{{"fact", r.fact}};
    if (r.fact == "travel")
      o["risk"] = r.risk;
    else
      o["value"] = r.value;
    o["colour"] = ColourName(r.colour);
    o["days"] = r.days;
    o["negative_tests"] = r.negative_tests;
    a.push_back(std::move(o));
  }
  return json::serialize(json::object{{"test_valid_hours", rs.test_valid_hours}, {"rules", std::move(a)}});
}

const std::string& DefaultRuleSetJson() {
  static const std::string k = R"({"test_valid_hours":0,"rules":[
{"fact":"exposure","value":"confirmed","colour":"red","days":14,"negative_tests":2},
{"fact":"exposure","value":"suspected","colour":"red","days":14,"negative_tests":2},
{"fact":"exposure","value":"close_contact","colour":"red","days":14,"negative_tests":2},
{"fact":"exposure","value":"secondary_contact","colour":"yellow","days":7,"negative_tests":1},
{"fact":"exposure","value":"possible_contact","colour":"yellow","days":7,"negative_tests":1},
{"fact":"nat_test","value":"positive","colour":"red","days":14,"negative_tests":2},
{"fact":"travel","risk":"high","colour":"red","days":14,"negative_tests":2},
{"fact":"travel","risk":"medium","colour":"yellow","days":7,"negative_tests":1},
{"fact":"symptom","value":"fever","colour":"yellow","days":7,"negative_tests":1},
{"fact":"fever_onsite","value":"fever","colour":"yellow","days":7,"negative_tests":1}]})";
  return k;
}

Evaluation Evaluate(const RuleSet& rs, const std::vector<Fact>& facts, std::int64_t now) {
  Evaluation ev;
  std::vector<std::int64_t> negatives;  // sample times
  for (const auto& f : facts)
    if (f.kind == "nat_test" && f.value == "negative" && f.occurred_at <= now) negatives.push_back(f.occurred_at);
  std::int64_t next = INT64_MAX;
  std::int64_t top_end = 0;
  for (const auto& f : facts) {
    if (f.occurred_at > now) continue;
    for (const auto& r : rs.rules) {
      if (r.fact != f.kind) continue;
      if (r.fact == "travel" ? r.risk != f.risk : r.value != f.value) continue;
      const std::int64_t end = f.occurred_at + r.days * kDayMs;
      const int after = static_cast<int>(
          std::count_if(negatives.begin(), negatives.end(), [&](std::int64_t t) { return t > f.occurred_at; }));
      const int missing = std::max(0, r.negative_tests - after);
      if (now >= end && missing == 0) continue;  // episode over
      if (now < end) next = std::min(next, end);
      Reason why{r.fact == "travel" ? "travel." + f.risk : f.kind + "." + f.value,
                 r.colour,
                 f.id,
                 f.occurred_at,
                 CivilDateCst(end),
                 missing,
                 f.region_code,
                 f.detail};
      if (r.colour > ev.colour) {
        ev.colour = r.colour;
        top_end = 0;
      }
      if (r.colour == ev.colour) top_end = std::max(top_end, end);
      ev.reasons.push_back(std::move(why));
    }
  }
  if (rs.test_valid_hours > 0) {
    const std::int64_t valid_ms = rs.test_valid_hours * 3600LL * 1000;
    std::int64_t latest = 0;
    for (auto t : negatives) latest = std::max(latest, t);
    if (latest == 0 || now >= latest + valid_ms) {
      ev.reasons.push_back({"test.missing", Colour::yellow, 0, latest, CivilDateCst(now), 1, "", ""});
      if (ev.colour == Colour::green) {
        ev.colour = Colour::yellow;
        top_end = now;
      }
    } else {
      next = std::min(next, latest + valid_ms);
    }
  }
  std::stable_sort(ev.reasons.begin(), ev.reasons.end(),
                   [](const Reason& a, const Reason& b) { return a.colour > b.colour; });
  if (ev.colour != Colour::green) ev.changes_on = CivilDateCst(std::max(top_end, now));
  if (next != INT64_MAX) ev.next_check_at = next;
  return ev;
}

}  // namespace ihos::domain::healthcode
