#include "domain/consultation/api.hpp"

#include <boost/json.hpp>

#include "domain/consultation/json.hpp"
#include "domain/consultation/rules.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::consultation::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr std::int64_t kMaxId = INT64_MAX;
constexpr http::StringRule kShort{.min_chars = 1, .max_chars = 200};
constexpr http::StringRule kLong{.max_chars = 2000, .multiline = true};
constexpr http::StringRule kLongRequired{.min_chars = 1, .max_chars = 2000, .multiline = true};

Intake ReadIntake(http::FieldReader& parent) {
  Intake in;
  const json::object* o = parent.OptObject("intake");
  if (!o) {
    parent.Fail("intake", "required");
    return in;
  }
  http::FieldReader r(*o, "intake.");
  in.chief_complaint = r.String("chief_complaint", {.min_chars = 2, .max_chars = 500, .multiline = true});
  in.duration = r.String("duration", {.min_chars = 1, .max_chars = 50});
  in.symptoms = r.StringArray("symptoms", {.min_chars = 1, .max_chars = 50}, 20);
  in.history = r.OptString("history", kLong).value_or("");
  in.allergies = r.OptString("allergies", {.max_chars = 500, .multiline = true}).value_or("");
  in.medications = r.OptString("medications", {.max_chars = 500, .multiline = true}).value_or("");
  in.is_follow_up = r.Bool("is_follow_up", false);
  in.proof_upload_ids = r.IntArray("proof_upload_ids", 1, kMaxId, 9);
  parent.Absorb(r);
  return in;
}

MessageInput ReadMessage(http::FieldReader& r) {
  MessageInput in;
  in.client_msg_id = r.String("client_msg_id", {.min_chars = 1, .max_chars = 64});
  in.kind = r.Enum("kind", {"text", "image", "voice"});
  in.text = r.OptString("text", {.max_chars = kMaxTextChars, .multiline = true}).value_or("");
  in.upload_id = r.OptInt("upload_id", 1, kMaxId);
  in.duration_ms = r.OptInt("duration_ms", 0, 3600 * 1000);
  return in;
}

json::array MessagesJson(const std::vector<Message>& ms) {
  json::array a;
  a.reserve(ms.size());
  for (const auto& m : ms) a.emplace_back(MessageJson(m));
  return a;
}

// The body's {note} or {reason}-like single text, for the doctor's small decisions.
template <class F>
http::Handler Action(ConsultationService& svc, F f) {
  return [&svc, f](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto c = f(svc, req, *id);
    if (!c) return c.error();
    return Reply::Json(ConsultationJson(*c));
  };
}

}  // namespace

http::Handler Start(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    StartInput in;
    in.kind = r.Enum("kind", Kinds());
    in.patient_id = r.OptInt("patient_id", 1, kMaxId);
    in.appointment_id = r.OptInt("appointment_id", 1, kMaxId);
    in.practitioner_id = r.OptInt("practitioner_id", 1, kMaxId);
    in.department_code = r.OptString("department_code", {.max_chars = 40}).value_or("");
    in.intake = ReadIntake(r);
    if (auto st = r.Finish(); !st) return st.error();
    auto c = svc.Start(req.Actor(), in, req.Meta());
    if (!c) return c.error();
    return Reply::Json(ConsultationJson(*c), 201);
  };
}

http::Handler List(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    const std::string as = req.Query("role").value_or("patient");
    if (as != "patient" && as != "doctor") return ValidationFailed({{"role", "invalid_value"}});
    const std::string status = req.Query("status").value_or("");
    if (!status.empty() && status != "waiting" && status != "active" && !IsFinal(status))
      return ValidationFailed({{"status", "invalid_value"}});
    auto list = svc.List(req.Actor(), as, status);
    if (!list) return list.error();
    json::array items;
    for (const auto& c : *list) items.emplace_back(ConsultationJson(c));
    return Reply::Json(json::object{{"items", std::move(items)}});
  };
}

http::Handler Get(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto c = svc.Get(req.Actor(), *id, req.Meta());
    if (!c) return c.error();
    return Reply::Json(ConsultationJson(*c));
  };
}

http::Handler Cancel(ConsultationService& svc) {
  return Action(
      svc, [](ConsultationService& s, Request& req, std::int64_t id) { return s.Cancel(req.Actor(), id, req.Meta()); });
}

http::Handler Accept(ConsultationService& svc) {
  return Action(
      svc, [](ConsultationService& s, Request& req, std::int64_t id) { return s.Accept(req.Actor(), id, req.Meta()); });
}

http::Handler Messages(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto after = http::QueryInt(req, "after_seq", 0, 0, kMaxId);
    if (!after) return after.error();
    auto limit = http::QueryInt(req, "limit", 200, 1, 500);
    if (!limit) return limit.error();
    auto ms = svc.Messages(req.Actor(), *id, *after, static_cast<int>(*limit));
    if (!ms) return ms.error();
    return Reply::Json(json::object{{"items", MessagesJson(*ms)}});
  };
}

http::Handler Send(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    MessageInput in = ReadMessage(r);
    if (auto st = r.Finish(); !st) return st.error();
    auto m = svc.Send(req.Actor(), *id, in);
    if (!m) return m.error();
    return Reply::Json(MessageJson(m->first), m->second ? 201 : 200);
  };
}

http::Handler Recall(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto seq = http::PathId(req, "seq");
    if (!seq) return seq.error();
    auto m = svc.Recall(req.Actor(), *id, *seq);
    if (!m) return m.error();
    return Reply::Json(MessageJson(*m));
  };
}

http::Handler MarkRead(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const auto seq = r.Int("seq", 0, kMaxId);
    if (auto st = r.Finish(); !st) return st.error();
    if (auto st = svc.MarkRead(req.Actor(), *id, seq); !st) return st.error();
    return Reply::NoContent();
  };
}

http::Handler File(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto upload = http::PathId(req, "upload_id");
    if (!upload) return upload.error();
    auto f = svc.File(req.Actor(), *id, *upload, req.Meta());
    if (!f) return f.error();
    Reply r{200, f->first, std::move(f->second), {}};
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
    r.headers.emplace_back("Cache-Control", "private, max-age=3600");
    return r;
  };
}

http::Handler RecordCall(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const auto duration = r.Int("duration_s", 0, 4 * 3600);
    const auto note = r.OptString("note", {.max_chars = 500, .multiline = true}).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    auto m = svc.RecordCall(req.Actor(), *id, duration, note);
    if (!m) return m.error();
    return Reply::Json(MessageJson(*m), 201);
  };
}

http::Handler CallbackNumber(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto n = svc.GetCallbackNumber(req.Actor(), *id, req.Meta());
    if (!n) return n.error();
    auto r = Reply::Json(json::object{
        {"phone", n->phone}, {"phone_masked", n->phone_masked}, {"name", n->name}, {"relation", n->relation}});
    // A phone number in full: not kept by the browser or any cache on the way.
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  };
}

http::Handler WriteRecord(ConsultationService& svc) {
  return Action(svc, [](ConsultationService& s, Request& req, std::int64_t id) -> Result<Consultation> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    RecordInput in;
    in.chief_complaint = r.String("chief_complaint", {.min_chars = 1, .max_chars = 500, .multiline = true});
    in.present_illness = r.String("present_illness", kLongRequired);
    in.diagnosis_code = r.String("diagnosis_code", {.min_chars = 3, .max_chars = 20});
    in.advice = r.String("advice", kLongRequired);
    if (auto st = r.Finish(); !st) return st.error();
    return s.WriteRecord(req.Actor(), id, in, req.Meta());
  });
}

http::Handler FollowUp(ConsultationService& svc) {
  return Action(svc, [](ConsultationService& s, Request& req, std::int64_t id) -> Result<Consultation> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const auto decision = r.Enum("decision", {"verified", "advice_only"});
    const auto note = r.OptString("note", {.max_chars = 500, .multiline = true}).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    return s.DecideFollowUp(req.Actor(), id, decision, note, req.Meta());
  });
}

http::Handler Refer(ConsultationService& svc) {
  return Action(svc, [](ConsultationService& s, Request& req, std::int64_t id) -> Result<Consultation> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const auto reason = r.Enum("reason", ReferralReasons());
    const auto note = r.String("note", {.min_chars = 1, .max_chars = 500, .multiline = true});
    const auto slot = r.OptInt("slot_id", 1, kMaxId);
    if (auto st = r.Finish(); !st) return st.error();
    return s.Refer(req.Actor(), id, reason, note, slot, req.Meta());
  });
}

http::Handler Close(ConsultationService& svc) {
  return Action(
      svc, [](ConsultationService& s, Request& req, std::int64_t id) { return s.Close(req.Actor(), id, req.Meta()); });
}

http::Handler Rate(ConsultationService& svc) {
  return Action(svc, [](ConsultationService& s, Request& req, std::int64_t id) -> Result<Consultation> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const auto stars = r.Int("stars", 1, 5);
    const auto comment = r.OptString("comment", {.max_chars = 500, .multiline = true}).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    return s.Rate(req.Actor(), id, static_cast<int>(stars), comment, req.Meta());
  });
}

http::Handler Workstation(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto w = svc.GetWorkstation(req.Actor());
    if (!w) return w.error();
    return Reply::Json(WorkstationJson(*w));
  };
}

http::Handler StaffRead(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto reason = http::QueryString(req, "reason", 200);
    if (!reason) return reason.error();
    auto out = svc.StaffRead(req.Actor(), *id, *reason, req.Meta());
    if (!out) return out.error();
    return Reply::Json(
        json::object{{"consultation", ConsultationJson(out->first)}, {"messages", MessagesJson(out->second)}});
  };
}

http::Handler Eligibility(ConsultationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    // Only the parties may ask; Get checks that (and audits a doctor's read).
    if (auto c = svc.Get(req.Actor(), *id, req.Meta()); !c) return c.error();
    auto e = svc.Eligibility(*id);
    if (!e) return e.error();
    return Reply::Json(json::object{{"prescription_allowed", e->allowed},
                                    {"reason", e->reason.empty() ? json::value(nullptr) : json::value(e->reason)},
                                    {"guardian_required", e->guardian_required}});
  };
}

void RegisterWs(http::WsRegistry& ws, ConsultationService& svc) {
  auto id_of = [](http::FieldReader& r) { return r.Int("consultation_id", 1, kMaxId); };
  ws.AddMethod("consultation.send", [&svc, id_of](const http::WsCall& call) -> Result<json::value> {
    http::FieldReader r(call.params);
    const auto id = id_of(r);
    MessageInput in = ReadMessage(r);
    if (auto st = r.Finish(); !st) return st.error();
    auto m = svc.Send(call.actor, id, in);
    if (!m) return m.error();
    auto o = MessageJson(m->first);
    o["duplicate"] = !m->second;
    return json::value(std::move(o));
  });
  ws.AddMethod("consultation.read", [&svc, id_of](const http::WsCall& call) -> Result<json::value> {
    http::FieldReader r(call.params);
    const auto id = id_of(r);
    const auto seq = r.Int("seq", 0, kMaxId);
    if (auto st = r.Finish(); !st) return st.error();
    if (auto st = svc.MarkRead(call.actor, id, seq); !st) return st.error();
    return json::value(json::object{{"seq", seq}});
  });
  ws.AddMethod("consultation.typing", [&svc, id_of](const http::WsCall& call) -> Result<json::value> {
    http::FieldReader r(call.params);
    const auto id = id_of(r);
    if (auto st = r.Finish(); !st) return st.error();
    if (auto st = svc.Typing(call.actor, id); !st) return st.error();
    return json::value(json::object{});
  });
  auto topic = [&svc](const Principal& actor, std::string_view t, std::int64_t after) {
    return svc.Subscribe(actor, t, after);
  };
  ws.AddTopic("consultation:", topic);
  ws.AddTopic("workstation:", topic);
  ws.AddTopic("free-clinic:", topic);
  ws.AddTopic("department-queue:", topic);
}

}  // namespace ihos::domain::consultation::api
