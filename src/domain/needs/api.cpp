#include "domain/needs/api.hpp"

#include <boost/json.hpp>

#include "core/regions.hpp"
#include "domain/needs/rules.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::needs::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr std::int64_t kMaxId = INT64_MAX;

json::value Opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object AnswerJson(const needs::Answer& a) {
  return {{"id", a.id},
          {"pharmacy_id", a.pharmacy_id},
          {"pharmacy_name", a.pharmacy_name},
          {"pharmacy_phone", a.pharmacy_phone},
          {"pharmacy_address", a.pharmacy_address},
          {"kind", a.kind},
          {"quantity", a.quantity},
          {"note", a.note},
          {"reserved_until", Opt(a.reserved_until)},
          {"released_at", Opt(a.released_at)},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

json::object NeedJson(const Need& n, std::int64_t now) {
  json::array matches, answers;
  for (const auto& m : n.matches)
    matches.push_back({{"pharmacy_id", m.pharmacy_id},
                       {"pharmacy_name", m.pharmacy_name},
                       {"distance_m", m.distance_m},
                       {"available", m.available}});
  for (const auto& a : n.answers) answers.push_back(AnswerJson(a));
  json::value consent = nullptr;
  if (n.consent)
    consent = json::object{
        {"method", n.consent->method}, {"at", n.consent->at}, {"by", n.consent->by}, {"by_name", n.consent->by_name}};
  return {{"id", n.id},
          {"patient_id", Opt(n.patient_id)},
          {"subject_name", n.subject_name},
          {"subject_phone", MaskPhone(n.subject_phone)},
          {"registered_by", n.registered_by},
          {"registered_as", n.registered_as},
          {"formulary_item_id", n.formulary_item_id},
          {"drug_name", n.drug_name},
          {"quantity", n.quantity},
          {"region_code", n.region_code},
          {"region_name", RegionPath(n.region_code)},
          {"address", n.address},
          {"lat_e6", n.lat_e6},
          {"lon_e6", n.lon_e6},
          {"days_left", n.days_left},
          {"marked_urgent", n.marked_urgent},
          {"urgency", n.urgency},
          {"condition", n.condition},
          {"icd10_code", n.icd10_code},
          {"needs_prescription", n.needs_prescription},
          {"status", n.status},
          {"consent", std::move(consent)},
          {"consultation_id", Opt(n.consultation_id)},
          {"matched_at", Opt(n.matched_at)},
          {"match_radius_m", Opt(n.match_radius_m)},
          {"matches", std::move(matches)},
          {"answers", std::move(answers)},
          {"days_waiting", DaysBetween(n.created_at, n.closed_at.value_or(now))},
          {"created_at", n.created_at},
          {"closed_at", Opt(n.closed_at)},
          {"close_note", n.close_note},
          {"demo", n.demo}};
}

json::object WorkerJson(const Worker& w) {
  return {{"user_id", w.user_id},
          {"name", w.name},
          {"community", w.community},
          {"region_code", w.region_code},
          {"region_name", w.region_name},
          {"active", w.active},
          {"registered_at", w.registered_at},
          {"demo", w.demo}};
}

Reply NeedsReply(const std::vector<Need>& ns, std::int64_t now) {
  json::array a;
  for (const auto& n : ns) a.push_back(NeedJson(n, now));
  return Reply::Json(json::object{{"items", std::move(a)}});
}

}  // namespace

http::Handler Register(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    NeedInput in;
    in.patient_id = r.OptInt("patient_id", 1, kMaxId);
    in.subject_name = r.OptString("subject_name", {.min_chars = 1, .max_chars = 50});
    in.subject_phone = r.OptString("subject_phone", {.min_chars = 11, .max_chars = 11});
    in.formulary_item_id = r.Int("formulary_item_id", 1, kMaxId);
    in.quantity = r.Int("quantity", 1, 99);
    in.region_code = r.String("region_code", {.min_chars = 6, .max_chars = 6});
    in.address = r.OptString("address", {.max_chars = 200}).value_or("");
    in.lat_e6 = r.OptInt("lat_e6", -90'000'000, 90'000'000);
    in.lon_e6 = r.OptInt("lon_e6", -180'000'000, 180'000'000);
    in.days_left = static_cast<int>(r.Int("days_left", 0, 365));
    in.marked_urgent = r.Bool("urgent");
    in.condition = r.OptString("condition", {.max_chars = 100}).value_or("");
    in.icd10_code = r.OptString("icd10_code", {.max_chars = 16}).value_or("");
    in.needs_prescription = r.Bool("needs_prescription");
    if (auto st = r.Finish(); !st) return st.error();
    auto n = svc.Register(req.Actor(), in, req.Meta());
    if (!n) return n.error();
    return Reply::Json(NeedJson(*n, svc.clock().NowMs()), 201);
  };
}

http::Handler List(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto as = http::QueryString(req, "as", 10);
    if (!as) return as.error();
    if (!as->empty() && *as != "patient" && *as != "worker") return ValidationFailed({{"as", "invalid_value"}});
    auto ns = *as == "worker" ? svc.Registered(req.Actor()) : svc.Mine(req.Actor());
    if (!ns) return ns.error();
    return NeedsReply(*ns, svc.clock().NowMs());
  };
}

http::Handler AwaitingConsent(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto ns = svc.AwaitingMyConsent(req.Actor());
    if (!ns) return ns.error();
    return NeedsReply(*ns, svc.clock().NowMs());
  };
}

http::Handler Get(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto n = svc.Get(req.Actor(), *id);
    if (!n) return n.error();
    return Reply::Json(NeedJson(*n, svc.clock().NowMs()));
  };
}

http::Handler Consent(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const auto code = r.OptString("code", {.min_chars = 6, .max_chars = 6});
    const std::string decision = r.Enum("decision", {"confirm", "decline"});
    if (code && decision != "confirm") r.Fail("decision", "invalid_value");
    if (auto st = r.Finish(); !st) return st.error();
    auto n = svc.Consent(req.Actor(), *id, code, decision == "confirm");
    if (!n) return n.error();
    return Reply::Json(NeedJson(*n, svc.clock().NowMs()));
  };
}

http::Handler ResendCode(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto n = svc.ResendConsentCode(req.Actor(), *id, req.Meta());
    if (!n) return n.error();
    return Reply::Json(NeedJson(*n, svc.clock().NowMs()));
  };
}

http::Handler Finish(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string to = r.Enum("status", {"fulfilled", "closed", "cancelled"});
    const std::string note = r.OptString("note", {.max_chars = 200}).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    auto n = svc.Finish(req.Actor(), *id, to, note);
    if (!n) return n.error();
    return Reply::Json(NeedJson(*n, svc.clock().NowMs()));
  };
}

http::Handler LinkConsultation(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    ConsultationChoice c;
    c.consultation_id = r.OptInt("consultation_id", 1, kMaxId);
    c.practitioner_id = r.OptInt("practitioner_id", 1, kMaxId);
    c.department_code = r.OptString("department_code", {.max_chars = 40}).value_or("");
    c.kind = r.OptString("kind", {.max_chars = 20}).value_or("text");
    if (c.kind != "text" && c.kind != "voice" && c.kind != "phone") r.Fail("kind", "invalid_value");
    c.proof_upload_ids = r.IntArray("proof_upload_ids", 1, kMaxId, 9);
    if (!c.consultation_id && !c.practitioner_id && c.department_code.empty()) r.Fail("department_code", "required");
    if (auto st = r.Finish(); !st) return st.error();
    auto n = svc.LinkConsultation(req.Actor(), *id, c, req.Meta());
    if (!n) return n.error();
    return Reply::Json(NeedJson(*n, svc.clock().NowMs()));
  };
}

http::Handler Nearby(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto pid = http::QueryInt(req, "pharmacy_id", 0, 0, kMaxId);
    if (!pid) return pid.error();
    auto out = svc.NearPharmacy(req.Actor(), *pid ? std::optional<std::int64_t>(*pid) : std::nullopt);
    if (!out) return out.error();
    const std::int64_t now = svc.clock().NowMs();
    json::array a;
    for (const auto& n : out->second)
      a.push_back({{"id", n.id},
                   {"formulary_item_id", n.formulary_item_id},
                   {"drug_name", n.drug_name},
                   {"quantity", n.quantity},
                   {"region_code", n.region_code},
                   {"region_name", n.region_name},
                   {"distance_m", n.distance_m},
                   {"days_left", n.days_left},
                   {"urgency", n.urgency},
                   {"needs_prescription", n.needs_prescription},
                   {"days_waiting", DaysBetween(n.created_at, now)},
                   {"created_at", n.created_at},
                   {"in_stock", n.matched},
                   {"my_answer", n.my_answer ? json::value(AnswerJson(*n.my_answer)) : json::value(nullptr)},
                   {"demo", n.demo}});
    const auto& p = out->first;
    return Reply::Json(
        json::object{{"pharmacy", {{"id", p.id}, {"name", p.name}, {"address", p.address}, {"demo", p.demo}}},
                     {"area_m", svc.config().pharmacy_area_m},
                     {"reserve_days", svc.config().default_reserve_days},
                     {"reserve_days_max", svc.config().max_reserve_days},
                     {"items", std::move(a)}});
  };
}

http::Handler Answer(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::int64_t pharmacy_id = r.Int("pharmacy_id", 1, kMaxId);
    const std::string kind = r.Enum("kind", {"can_supply", "reserved"});
    const std::int64_t quantity = r.Int("quantity", 1, 99);
    const std::string note = r.OptString("note", {.max_chars = 200}).value_or("");
    const auto days = r.OptInt("reserve_days", 1, 30);  // the service holds it to its maximum setting
    if (auto st = r.Finish(); !st) return st.error();
    auto a = svc.AnswerNeed(req.Actor(), *id, pharmacy_id, kind, quantity, note,
                            days ? std::optional<int>(static_cast<int>(*days)) : std::nullopt);
    if (!a) return a.error();
    return Reply::Json(AnswerJson(*a), 201);
  };
}

http::Handler Shortage(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    ShortageQuery q;
    auto level = http::QueryString(req, "level", 10);
    if (!level) return level.error();
    auto region = http::QueryString(req, "region", 6);
    if (!region) return region.error();
    auto urgency = http::QueryString(req, "urgency", 10);
    if (!urgency) return urgency.error();
    auto item = http::QueryInt(req, "drug", 0, 0, kMaxId);
    if (!item) return item.error();
    std::vector<FieldError> errs;
    q.level = level->empty() ? "province" : *level;
    if (q.level != "province" && q.level != "city" && q.level != "county") errs.push_back({"level", "invalid_value"});
    if (!region->empty() && !FindRegion(*region)) errs.push_back({"region", "unknown_region"});
    if (!urgency->empty() && *urgency != "urgent" && *urgency != "normal") errs.push_back({"urgency", "invalid_value"});
    if (!errs.empty()) return ValidationFailed(std::move(errs));
    q.region_code = *region;
    q.urgency = *urgency;
    if (*item) q.formulary_item_id = *item;
    auto rows = svc.Shortage(q);
    if (!rows) return rows.error();
    json::array a;
    std::int64_t total = 0, urgent = 0, unmatched = 0;
    for (const auto& s : *rows) {
      total += s.needs;
      urgent += s.urgent;
      unmatched += s.unmatched;
      a.push_back({{"region_code", s.region_code},
                   {"region_name", s.region_name},
                   {"formulary_item_id", s.formulary_item_id},
                   {"drug_name", s.drug_name},
                   {"needs", s.needs},
                   {"urgent", s.urgent},
                   {"unmatched", s.unmatched},
                   {"quantity", s.quantity},
                   {"avg_days_waiting", static_cast<double>(s.avg_days_waiting_x10) / 10.0},
                   {"max_days_waiting", s.max_days_waiting}});
    }
    return Reply::Json(json::object{{"level", q.level},
                                    {"total", {{"needs", total}, {"urgent", urgent}, {"unmatched", unmatched}}},
                                    {"items", std::move(a)}});
  };
}

http::Handler Workers(NeedService& svc) {
  return [&svc](Request&) -> Result<Reply> {
    auto ws = svc.Workers();
    if (!ws) return ws.error();
    json::array a;
    for (const auto& w : *ws) a.push_back(WorkerJson(w));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler RegisterWorker(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string phone = r.String("phone", {.min_chars = 11, .max_chars = 11});
    const std::string community = r.String("community", {.min_chars = 1, .max_chars = 60});
    const std::string region = r.String("region_code", {.min_chars = 6, .max_chars = 6});
    const bool active = r.Bool("active", true);
    if (auto st = r.Finish(); !st) return st.error();
    auto w = svc.RegisterWorker(req.Actor(), phone, community, region, active, req.Meta());
    if (!w) return w.error();
    return Reply::Json(WorkerJson(*w), 201);
  };
}

http::Handler MyWorker(NeedService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto w = svc.MyWorker(req.Actor());
    if (!w) return w.error();
    return Reply::Json(json::object{{"worker", *w ? json::value(WorkerJson(**w)) : json::value(nullptr)}});
  };
}

}  // namespace ihos::domain::needs::api
