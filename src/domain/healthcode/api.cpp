#include "domain/healthcode/api.hpp"

#include <boost/json.hpp>

#include "domain/healthcode/json.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::healthcode::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

// Every value the health code returns has a ToJson overload (json.hpp).
template <class T>
Result<Reply> Send(const Result<T>& r, int status = 200) {
  return http::Send(r, [](const T& v) { return ToJson(v); }, status);
}

constexpr http::StringRule kShort{.max_chars = 64};
constexpr http::StringRule kText{.max_chars = 1000, .multiline = true};
constexpr http::StringRule kIdNumber{.max_chars = 32};

// Reads an integer member and removes it, so FieldReader sees only the string members.
std::optional<std::int64_t> TakeInt(json::object& o, std::string_view key, std::vector<FieldError>& errs,
                                    bool required = true) {
  auto it = o.find(key);
  if (it == o.end()) {
    if (required) errs.push_back({std::string(key), "required"});
    return std::nullopt;
  }
  std::optional<std::int64_t> v;
  if (it->value().is_int64())
    v = it->value().as_int64();
  else if (it->value().is_uint64() && it->value().as_uint64() < INT64_MAX)
    v = static_cast<std::int64_t>(it->value().as_uint64());
  else
    errs.push_back({std::string(key), "wrong_type"});
  o.erase(it);
  return v;
}

Status Finish(http::FieldReader& r, std::vector<FieldError>& errs) {
  for (auto& e : errs) r.Fail(e.field, e.code);
  return r.Finish();
}

}  // namespace

http::Handler MyCode(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto code = s.status().Show(req.Actor());
    if (!code) return code.error();
    return Reply{200, "application/json", MyCodeBody(*code), {}};
  };
}

http::FastHandler MyCodeFromMemory(HealthCodeService& s) {
  return [&s](Request& req) -> std::optional<Reply> {
    auto code = s.status().ShowFromMemory(req.Actor());
    if (!code) return std::nullopt;
    return Reply{200, "application/json", MyCodeBody(*code), {}};
  };
}

http::Handler MyHistory(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.status().History(req.Actor())); };
}

http::Handler Declare(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string kind = r.Enum("kind", {"symptom", "travel"});
    const std::string value = r.OptString("value", kShort).value_or("");
    const std::string region = r.OptString("region_code", kShort).value_or("");
    const std::string date = r.String("date", kShort);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.facts().Declare(req.Actor(), kind, value, region, date), 201);
  };
}

http::Handler CreateAppeal(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string text = r.String("text", kText);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.authority().Appeal(req.Actor(), text), 201);
  };
}

http::Handler MyAppeals(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.authority().MyAppeals(req.Actor())); };
}

http::Handler CheckIn(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    std::string code = r.String("venue_code", kShort);
    if (auto st = r.Finish(); !st) return st.error();
    if (code.rfind("ihos-venue:", 0) == 0) code = code.substr(11);  // the scanned QR text
    return Send(s.gate().CheckIn(req.Actor(), code), 201);
  };
}

http::Handler MyCheckIns(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.gate().MyCheckIns(req.Actor())); };
}

http::Handler AddTestResult(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    auto sampled = TakeInt(*body, "sampled_at", errs);
    http::FieldReader r(*body);
    TestResultInput in{r.String("id_number", kIdNumber), r.String("sample_id", kShort),
                       r.Enum("result", {"negative", "positive"}), sampled.value_or(0)};
    if (auto st = Finish(r, errs); !st) return st.error();
    return Send(s.facts().AddTestResult(req.Actor(), in, req.Meta()), 201);
  };
}

http::Handler ImportTestResults(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    if (req.content_type.rfind("text/csv", 0) != 0) return MakeError(Errc::unsupported_media, "unsupported_media_type");
    return Send(s.facts().ImportTestResults(req.Actor(), req.body, req.Meta()), 201);
  };
}

http::Handler AddVaccination(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    auto dose = TakeInt(*body, "dose", errs);
    http::FieldReader r(*body);
    const std::string id = r.String("id_number", kIdNumber);
    const std::string vaccine = r.String("vaccine", kShort);
    const std::string date = r.String("date", kShort);
    if (auto st = Finish(r, errs); !st) return st.error();
    return Send(
        s.facts().AddVaccination(req.Actor(), id, static_cast<int>(dose.value_or(0)), vaccine, date, req.Meta()), 201);
  };
}

http::Handler ReportFever(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    double celsius = 0;
    if (auto it = body->find("temperature"); it == body->end()) {
      errs.push_back({"temperature", "required"});
    } else {
      if (it->value().is_number())
        celsius = it->value().to_number<double>();
      else
        errs.push_back({"temperature", "wrong_type"});
      body->erase(it);
    }
    http::FieldReader r(*body);
    const std::string id = r.String("id_number", kIdNumber);
    const std::string gate = r.String("gate", {.min_chars = 1, .max_chars = 60});
    if (auto st = Finish(r, errs); !st) return st.error();
    return Send(s.facts().ReportFever(req.Actor(), id, celsius, gate, req.Meta()), 201);
  };
}

http::Handler SetExposure(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string id = r.String("id_number", kIdNumber);
    const std::string value = r.Enum("value", {"confirmed", "suspected", "close_contact", "secondary_contact"});
    const std::string detail = r.OptString("detail", kText).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.facts().SetExposure(req.Actor(), id, value, detail, req.Meta()), 201);
  };
}

http::Handler WithdrawFact(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string reason = r.String("reason", kText);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.facts().WithdrawFact(req.Actor(), *id, reason, req.Meta()));
  };
}

http::Handler Person(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::QueryString(req, "id_number", 32);
    auto reason = http::QueryString(req, "reason", 200);
    if (!id) return id.error();
    if (!reason) return reason.error();
    return Send(s.authority().Person(req.Actor(), *id, *reason, req.Meta()));
  };
}

http::Handler Rules(HealthCodeService& s) {
  return [&s](Request&) -> Result<Reply> { return Send(s.authority().Rules()); };
}

http::Handler SaveRules(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    auto rules = body->find("rules");
    if (rules == body->end() || !rules->value().is_object()) return ValidationFailed({{"rules", "required"}});
    const std::string text = json::serialize(rules->value());
    body->erase(rules);
    http::FieldReader r(*body);
    const std::string note = r.OptString("note", kText).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.authority().SaveRules(req.Actor(), text, note), 201);
  };
}

http::Handler Regions(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto parent = http::QueryString(req, "parent", 6);
    if (!parent) return parent.error();
    return Reply::Json(ToJson(s.authority().Regions(*parent)));
  };
}

http::Handler RiskAreas(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto cur = http::QueryInt(req, "current", 0, 0, 1);
    if (!cur) return cur.error();
    return Send(s.authority().ListRiskAreas(*cur == 1));
  };
}

http::Handler AddRiskArea(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string region = r.String("region_code", kShort);
    const std::string level = r.Enum("level", {"low", "medium", "high"});
    const std::string start = r.String("start_date", kShort);
    const auto end = r.OptString("end_date", kShort);
    const std::string note = r.OptString("note", kText).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.authority().AddRiskArea(req.Actor(), region, level, start, end, note), 201);
  };
}

http::Handler EndRiskArea(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string end = r.String("end_date", kShort);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.authority().EndRiskArea(req.Actor(), *id, end));
  };
}

http::Handler Appeals(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto status = http::QueryString(req, "status", 10);
    if (!status) return status.error();
    if (!status->empty() && *status != "open" && *status != "upheld" && *status != "rejected")
      return ValidationFailed({{"status", "invalid_value"}});
    return Send(s.authority().Appeals(*status));
  };
}

http::Handler ResolveAppeal(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    std::vector<std::int64_t> facts;
    if (auto it = body->find("withdraw_fact_ids"); it != body->end()) {
      if (!it->value().is_array() || it->value().as_array().size() > 50)
        errs.push_back({"withdraw_fact_ids", "wrong_type"});
      else
        for (const auto& v : it->value().as_array())
          if (v.is_int64())
            facts.push_back(v.as_int64());
          else
            errs.push_back({"withdraw_fact_ids", "wrong_type"});
      body->erase(it);
    }
    http::FieldReader r(*body);
    const std::string decision = r.Enum("decision", {"upheld", "rejected"});
    const std::string resolution = r.String("resolution", kText);
    if (auto st = Finish(r, errs); !st) return st.error();
    return Send(s.authority().ResolveAppeal(req.Actor(), *id, decision, resolution, facts, req.Meta()));
  };
}

http::Handler AddVenue(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string name = r.String("name", {.min_chars = 1, .max_chars = 100});
    const std::string kind = r.String("kind", kShort);
    const std::string region = r.String("region_code", kShort);
    const std::string address = r.OptString("address", {.max_chars = 200}).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.gate().AddVenue(req.Actor(), name, kind, region, address), 201);
  };
}

http::Handler Venues(HealthCodeService& s) {
  return [&s](Request&) -> Result<Reply> { return Send(s.gate().Venues()); };
}

http::Handler VenueQr(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto svg = s.gate().VenueQrSvg(*id);
    if (!svg) return svg.error();
    return Reply{200, "image/svg+xml", std::move(*svg), {}};
  };
}

http::Handler Scans(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto limit = http::QueryInt(req, "limit", 50, 1, 500);
    if (!limit) return limit.error();
    return Send(s.gate().Scans(static_cast<int>(*limit)));
  };
}

http::Handler Verify(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    auto venue = TakeInt(*body, "venue_id", errs, /*required=*/false);
    http::FieldReader r(*body);
    const std::string qr = r.String("qr", {.min_chars = 1, .max_chars = 8000});
    const std::string gate = r.String("gate", {.min_chars = 1, .max_chars = 60});
    if (auto st = Finish(r, errs); !st) return st.error();
    return Send(s.gate().Verify(req.Actor(), qr, gate, venue));
  };
}

http::Handler Jwks(HealthCodeService& s) {
  return [&s](Request&) -> Result<Reply> {
    auto j = s.cards().Jwks();
    if (!j) return j.error();
    Reply rep = Reply::Json(JwksJson(*j));
    rep.headers.emplace_back("Access-Control-Allow-Origin", "*");  // spec: verifiers fetch keys cross-origin
    rep.headers.emplace_back("Cache-Control", "max-age=60");
    return rep;
  };
}

http::Handler Crl(HealthCodeService& s) {
  return [&s](Request& req) -> Result<Reply> {
    std::string file = req.Param("file");
    if (file.size() < 6 || file.substr(file.size() - 5) != ".json") return MakeError(Errc::not_found, "key_not_found");
    auto j = s.cards().RevocationList(file.substr(0, file.size() - 5));
    if (!j) return j.error();
    Reply rep = Reply::Json(ToJson(*j));
    rep.headers.emplace_back("Access-Control-Allow-Origin", "*");
    return rep;
  };
}

}  // namespace ihos::domain::healthcode::api
