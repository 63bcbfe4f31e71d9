#include "domain/prescriptions/api.hpp"

#include <boost/json.hpp>

#include "domain/prescriptions/json.hpp"
#include "domain/prescriptions/rules.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::prescriptions::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr std::int64_t kMaxId = INT64_MAX;
constexpr http::StringRule kPin{.min_chars = 1, .max_chars = 12, .trim = false};

PrescriptionInput ReadInput(http::FieldReader& r) {
  PrescriptionInput in;
  in.consultation_id = r.Int("consultation_id", 1, kMaxId);
  if (const json::array* items = r.OptArray("items", 20)) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string prefix = "items[" + std::to_string(i) + "].";
      if (!(*items)[i].is_object()) {
        r.Fail("items[" + std::to_string(i) + "]", "wrong_type");
        continue;
      }
      http::FieldReader ir((*items)[i].get_object(), prefix);
      ItemInput it;
      it.formulary_id = ir.Int("formulary_id", 1, kMaxId);
      it.single_dose_milli = ir.Int("single_dose_milli", 1, 1'000'000'000);
      it.route = ir.Enum("route", Routes());
      it.frequency = ir.Enum("frequency", Frequencies());
      it.days = ir.Int("days", 1, 365);
      it.override_reason = ir.OptString("override_reason", {.max_chars = 200}).value_or("");
      r.Absorb(ir);
      in.items.push_back(std::move(it));
    }
  } else {
    r.Fail("items", "required");
  }
  in.long_term = r.Bool("long_term", false);
  in.long_term_assessment = r.OptString("long_term_assessment", {.max_chars = 500, .multiline = true}).value_or("");
  in.patient_confirmed_long = r.Bool("patient_confirmed_long", false);
  in.guardian_present = r.Bool("guardian_present", false);
  in.patient_weight_g = r.OptInt("patient_weight_g", 500, 300'000);
  in.valid_days = r.OptInt("valid_days", 1, 3).value_or(1);
  in.previous_id = r.OptInt("previous_id", 1, kMaxId);
  return in;
}

AllergyInput ReadAllergy(http::FieldReader& r) {
  AllergyInput in;
  in.drug_id = r.OptInt("drug_id", 1, kMaxId);
  in.class_code = r.OptString("class_code", {.max_chars = 40}).value_or("");
  in.reaction = r.OptString("reaction", {.max_chars = 200}).value_or("");
  return in;
}

json::array List(const std::vector<Prescription>& ps, bool with_qr) {
  json::array a;
  for (const auto& p : ps) a.push_back(PrescriptionJson(p, with_qr));
  return a;
}

}  // namespace

http::Handler Allergies(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto pid = http::PathId(req, "id");
    if (!pid) return pid.error();
    auto v = svc.Allergies(req.Actor(), *pid, req.Meta());
    if (!v) return v.error();
    json::array a;
    for (const auto& x : *v) a.push_back(AllergyJson(x));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler AddAllergy(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto pid = http::PathId(req, "id");
    if (!pid) return pid.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const AllergyInput in = ReadAllergy(r);
    if (auto st = r.Finish(); !st) return st.error();
    auto a = svc.AddAllergy(req.Actor(), *pid, in, req.Meta());
    if (!a) return a.error();
    return Reply::Json(AllergyJson(*a), 201);
  };
}

http::Handler RemoveAllergy(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto pid = http::PathId(req, "id");
    if (!pid) return pid.error();
    auto aid = http::PathId(req, "allergy_id");
    if (!aid) return aid.error();
    if (auto st = svc.RemoveAllergy(req.Actor(), *pid, *aid, req.Meta()); !st) return st.error();
    return Reply::Json(json::object{{"removed", true}});
  };
}

http::Handler ConsultationAllergies(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto cid = http::PathId(req, "id");
    if (!cid) return cid.error();
    auto v = svc.ConsultationAllergies(req.Actor(), *cid, req.Meta());
    if (!v) return v.error();
    json::array a;
    for (const auto& x : *v) a.push_back(AllergyJson(x));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler RecordAllergy(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto cid = http::PathId(req, "id");
    if (!cid) return cid.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const AllergyInput in = ReadAllergy(r);
    if (auto st = r.Finish(); !st) return st.error();
    auto a = svc.RecordAllergy(req.Actor(), *cid, in, req.Meta());
    if (!a) return a.error();
    return Reply::Json(AllergyJson(*a), 201);
  };
}

http::Handler ConfirmAllergy(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto cid = http::PathId(req, "id");
    if (!cid) return cid.error();
    auto aid = http::PathId(req, "allergy_id");
    if (!aid) return aid.error();
    auto a = svc.ConfirmAllergy(req.Actor(), *cid, *aid, req.Meta());
    if (!a) return a.error();
    return Reply::Json(AllergyJson(*a));
  };
}

http::Handler SetPin(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string role = r.Enum("role", {"doctor", "pharmacist"});
    const std::string pin = r.String("pin", kPin);
    const std::string old_pin = r.OptString("old_pin", {.max_chars = 12, .trim = false}).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    if (!req.Actor().Has(role)) return MakeError(Errc::forbidden, "not_a_signer");
    auto k = svc.SetPin(req.Actor(), role, pin, old_pin);
    if (!k) return k.error();
    return Reply::Json(KeyJson(*k), 201);
  };
}

http::Handler Keys(PrescriptionService& svc) {
  return [&svc](Request&) -> Result<Reply> {
    auto ks = svc.PublicKeys();
    if (!ks) return ks.error();
    json::array a;
    for (const auto& k : *ks) a.push_back(KeyJson(k));
    return Reply::Json(json::object{{"keys", std::move(a)}});
  };
}

http::Handler Check(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    PrescriptionInput in = ReadInput(r);
    if (auto st = r.Finish(); !st) return st.error();
    auto hits = svc.Check(req.Actor(), in);
    if (!hits) return hits.error();
    bool blocking = false;
    for (const auto& h : *hits) blocking = blocking || h.blocking;
    return Reply::Json(json::object{{"hits", HitsJson(*hits)}, {"can_sign", !blocking}});
  };
}

http::Handler Create(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    PrescriptionInput in = ReadInput(r);
    const std::string pin = r.String("pin", kPin);
    if (auto st = r.Finish(); !st) return st.error();
    auto p = svc.Create(req.Actor(), in, pin, req.Meta());
    if (!p) return p.error();
    return Reply::Json(PrescriptionJson(*p, false), 201);
  };
}

http::Handler Cancel(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto p = svc.Cancel(req.Actor(), *id, req.Meta());
    if (!p) return p.error();
    return Reply::Json(PrescriptionJson(*p, false));
  };
}

http::Handler OfConsultation(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto v = svc.OfConsultation(req.Actor(), *id, req.Meta());
    if (!v) return v.error();
    return Reply::Json(json::object{{"items", List(*v, false)}});
  };
}

http::Handler Get(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto p = svc.Get(req.Actor(), *id, req.Meta());
    if (!p) return p.error();
    return Reply::Json(PrescriptionJson(*p, true));
  };
}

http::Handler Mine(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    std::optional<std::int64_t> patient;
    if (req.Query("patient_id")) {
      auto pid = http::QueryInt(req, "patient_id", 0, 1, kMaxId);
      if (!pid) return pid.error();
      patient = *pid;
    }
    auto v = svc.Mine(req.Actor(), patient);
    if (!v) return v.error();
    return Reply::Json(json::object{{"items", List(*v, false)}});
  };
}

http::Handler Queue(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto v = svc.Queue(req.Actor());
    if (!v) return v.error();
    return Reply::Json(json::object{{"items", List(*v, false)}});
  };
}

http::Handler ForReview(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto c = svc.ForReview(req.Actor(), *id, req.Meta());
    if (!c) return c.error();
    return Reply::Json(ReviewContextJson(*c));
  };
}

http::Handler Review(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    ReviewInput in;
    in.outcome = r.Enum("outcome", {"approved", "rejected"});
    in.legality = r.Enum("legality", {"pass", "fail"});
    in.normativity = r.Enum("normativity", {"pass", "fail"});
    in.suitability = r.Enum("suitability", {"pass", "fail"});
    in.reason = r.OptString("reason", {.max_chars = 500, .multiline = true}).value_or("");
    in.pin = r.OptString("pin", {.max_chars = 12, .trim = false}).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    auto p = svc.Review(req.Actor(), *id, in, req.Meta());
    if (!p) return p.error();
    return Reply::Json(PrescriptionJson(*p, false));
  };
}

http::Handler Stats(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto s = svc.Stats(req.Actor());
    if (!s) return s.error();
    const double rate = s->reviewed ? static_cast<double>(s->rejected) / static_cast<double>(s->reviewed) : 0.0;
    return Reply::Json(json::object{{"reviewed", s->reviewed},
                                    {"approved", s->approved},
                                    {"rejected", s->rejected},
                                    {"intervention_rate", rate},
                                    {"median_review_seconds", s->median_review_s}});
  };
}

http::Handler AddPharmacist(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::int64_t user_id = r.Int("user_id", 1, kMaxId);
    const std::int64_t hospital_id = r.Int("hospital_id", 1, kMaxId);
    const std::string licence = r.String("licence_number", {.min_chars = 6, .max_chars = 40});
    if (auto st = r.Finish(); !st) return st.error();
    auto p = svc.AddPharmacist(req.Actor(), user_id, hospital_id, licence, req.Meta());
    if (!p) return p.error();
    return Reply::Json(json::object{{"id", p->id},
                                    {"user_id", p->user_id},
                                    {"hospital_id", p->hospital_id},
                                    {"licence_number", p->licence_number},
                                    {"name", p->name},
                                    {"status", p->status}},
                       201);
  };
}

http::Handler Verify(PrescriptionService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string code = r.String("code", {.min_chars = 1, .max_chars = 8000, .trim = true});
    if (auto st = r.Finish(); !st) return st.error();
    auto v = svc.Verify(req.Actor(), code, req.Meta());
    if (!v) return v.error();
    boost::system::error_code ec;
    json::value content = json::parse(v->content, ec);
    return Reply::Json(json::object{
        {"rx_no", v->rx_no},
        {"doctor_signature_valid", v->doctor_signature_valid},
        {"pharmacist_signature_valid", v->pharmacist_signature_valid},
        {"status", v->status},
        {"matches_record", v->matches_record},
        {"dispensable",
         v->doctor_signature_valid && v->pharmacist_signature_valid && v->matches_record && v->status == "approved"},
        {"content", ec ? json::value(nullptr) : std::move(content)}});
  };
}

}  // namespace ihos::domain::prescriptions::api
