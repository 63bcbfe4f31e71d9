#include "domain/scheduling/api.hpp"

#include <boost/json.hpp>

#include "core/civil_time.hpp"
#include "core/resident_id.hpp"
#include "domain/scheduling/rules.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::scheduling::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

json::value OptInt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

// Reads one JSON object of a scheduling body: typed fields with field errors named
// `prefix + key`, unknown keys refused. (http::FieldReader reads strings of flat bodies; these
// bodies nest periods and carry integers and booleans.)
class ObjReader {
 public:
  ObjReader(const json::object& o, std::string prefix, std::vector<FieldError>& errs)
      : o_(o), prefix_(std::move(prefix)), errs_(errs) {}

  std::optional<std::string> Str(std::string_view key, bool required, std::size_t max_chars = 200) {
    const json::value* v = Get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) return Fail(key, "wrong_type"), std::nullopt;
    std::string s(v->get_string());
    for (unsigned char c : s)
      if (c < 0x20 || c == 0x7F) return Fail(key, "control_characters"), std::nullopt;
    if (http::Utf8Length(s) > max_chars) return Fail(key, "too_long"), std::nullopt;
    if (required && s.empty()) return Fail(key, "required"), std::nullopt;
    return s;
  }
  std::optional<std::string> Enum(std::string_view key, bool required, const std::vector<std::string>& allowed) {
    auto s = Str(key, required, 64);
    if (s && std::find(allowed.begin(), allowed.end(), *s) == allowed.end())
      return Fail(key, "invalid_value"), std::nullopt;
    return s;
  }
  std::optional<std::int64_t> Int(std::string_view key, bool required) {
    const json::value* v = Get(key, required);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
      return static_cast<std::int64_t>(v->get_uint64());
    Fail(key, "wrong_type");
    return std::nullopt;
  }
  std::optional<int> Minute(std::string_view key, bool end) {
    auto s = Str(key, true, 5);
    if (!s) return std::nullopt;
    auto m = ParseHhmm(*s, end);
    if (!m) Fail(key, "time_format");
    return m;
  }
  bool Bool(std::string_view key) {
    const json::value* v = Get(key, false);
    if (!v) return false;
    if (!v->is_bool()) return Fail(key, "wrong_type"), false;
    return v->get_bool();
  }
  void Finish() {
    for (const auto& kv : o_)
      if (std::find(seen_.begin(), seen_.end(), kv.key()) == seen_.end()) Fail(kv.key(), "unknown_field");
  }
  void Fail(std::string_view key, const char* code) { errs_.push_back({prefix_ + std::string(key), code}); }

 private:
  const json::value* Get(std::string_view key, bool required) {
    seen_.emplace_back(key);
    const json::value* v = o_.if_contains(key);
    if (!v || v->is_null()) {
      if (required) Fail(key, "required");
      return nullptr;
    }
    return v;
  }
  const json::object& o_;
  std::string prefix_;
  std::vector<FieldError>& errs_;
  std::vector<std::string> seen_;
};

json::object PeriodJson(const TemplatePeriod& p) {
  return json::object{{"weekday", p.weekday},
                      {"start_time", FormatHhmm(p.start_minute)},
                      {"end_time", FormatHhmm(p.end_minute)},
                      {"service", p.service},
                      {"capacity", p.capacity},
                      {"price_fen", p.price_fen},
                      {"free_clinic", p.free_clinic}};
}

json::object ExceptionJson(const Exception& e) {
  return json::object{{"id", e.id},
                      {"date", e.date},
                      {"kind", e.kind},
                      {"start_time", FormatHhmm(e.start_minute)},
                      {"end_time", FormatHhmm(e.end_minute)},
                      {"service", e.service ? json::value(*e.service) : json::value(nullptr)},
                      {"capacity", e.capacity ? json::value(*e.capacity) : json::value(nullptr)},
                      {"price_fen", OptInt(e.price_fen)},
                      {"free_clinic", e.free_clinic},
                      {"reason", e.reason},
                      {"created_at", e.created_at}};
}

json::object ScheduleJson(const Schedule& s) {
  json::array t, x;
  for (const auto& p : s.periods) t.push_back(PeriodJson(p));
  for (const auto& e : s.exceptions) x.push_back(ExceptionJson(e));
  return json::object{{"template", std::move(t)}, {"exceptions", std::move(x)}};
}

json::object AppointmentJson(const Appointment& a, const SchedulingService& svc, std::int64_t viewer) {
  return json::object{
      {"id", a.id},
      {"slot_id", a.slot_id},
      {"patient", json::object{{"id", a.patient_id}, {"real_name", a.patient_name}}},
      {"booked_by", a.booked_by},
      {"practitioner",
       json::object{{"id", a.practitioner_id}, {"name", a.practitioner_name}, {"title", a.practitioner_title}}},
      {"hospital_name", a.hospital_name},
      {"department_code", a.department_code},
      {"service", a.service},
      {"date", CivilDateCst(a.start_at)},
      {"start_at", a.start_at},
      {"end_at", a.end_at},
      {"start_time", CstTimeOfDay(a.start_at)},
      {"end_time", CstTimeOfDay(a.end_at)},
      {"queue_number", a.queue_number},
      {"price_fen", a.price_fen},
      {"status", a.status},
      {"cancelled_by", a.cancelled_by ? json::value(*a.cancelled_by) : json::value(nullptr)},
      {"cancel_reason", a.cancel_reason},
      {"cancelled_at", OptInt(a.cancelled_at)},
      {"created_at", a.created_at},
      {"can_cancel", svc.CanCancel(viewer, a)}};
}

// A CST date query parameter, today when absent. Errors: validation_failed (date_format).
Result<std::string> QueryDate(const Request& req, std::string_view name, std::int64_t now) {
  auto q = http::QueryString(req, name, 10);
  if (!q) return q.error();
  if (q->empty()) return CivilDateCst(now);
  if (!DateToDays(*q)) return ValidationFailed({{std::string(name), "date_format"}});
  return *q;
}

}  // namespace

json::object SlotJson(const Slot& s) {
  return json::object{{"id", s.id},
                      {"practitioner_id", s.practitioner_id},
                      {"date", s.date},
                      {"start_at", s.start_at},
                      {"end_at", s.end_at},
                      {"start_time", CstTimeOfDay(s.start_at)},
                      {"end_time", CstTimeOfDay(s.end_at)},
                      {"service", s.service},
                      {"capacity", s.capacity},
                      {"booked", s.booked},
                      {"remaining", s.status == "open" ? s.capacity - s.booked : 0},
                      {"price_fen", s.price_fen},
                      {"free_clinic", s.free_clinic},
                      {"status", s.status}};
}

http::Handler DoctorSlots(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto from = QueryDate(req, "from", svc.clock().NowMs());
    if (!from) return from.error();
    auto days = http::QueryInt(req, "days", 7, 1, 31);
    if (!days) return days.error();
    auto slots = svc.DoctorSlots(*id, *from, static_cast<int>(*days));
    if (!slots) return slots.error();
    json::array a;
    for (const auto& s : *slots) a.push_back(SlotJson(s));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler GetSchedule(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto s = svc.GetSchedule(req.Actor());
    if (!s) return s.error();
    return Reply::Json(ScheduleJson(*s));
  };
}

http::Handler PutTemplate(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    std::vector<TemplatePeriod> periods;
    for (const auto& kv : *body)
      if (kv.key() != "periods") errs.push_back({std::string(kv.key()), "unknown_field"});
    const json::value* list = body->if_contains("periods");
    if (!list || !list->is_array()) {
      errs.push_back({"periods", list ? "wrong_type" : "required"});
    } else if (list->as_array().size() > 200) {
      errs.push_back({"periods", "too_many"});
    } else {
      std::size_t i = 0;
      for (const auto& v : list->as_array()) {
        const std::string prefix = "periods[" + std::to_string(i++) + "].";
        if (!v.is_object()) {
          errs.push_back({prefix.substr(0, prefix.size() - 1), "wrong_type"});
          continue;
        }
        ObjReader r(v.as_object(), prefix, errs);
        TemplatePeriod p;
        auto wd = r.Int("weekday", true);
        auto start = r.Minute("start_time", false);
        auto end = r.Minute("end_time", true);
        auto service = r.Enum("service", true, Services());
        auto cap = r.Int("capacity", true);
        auto price = r.Int("price_fen", false);
        p.free_clinic = r.Bool("free_clinic");
        r.Finish();
        if (wd && (*wd < 1 || *wd > 7)) r.Fail("weekday", "invalid_value");
        p.weekday = wd ? static_cast<int>(std::clamp<std::int64_t>(*wd, 0, 8)) : 1;
        p.start_minute = start.value_or(0);
        p.end_minute = end.value_or(1440);
        p.service = service.value_or("text");
        p.capacity = cap ? static_cast<int>(std::clamp<std::int64_t>(*cap, -1, kMaxCapacity + 1)) : 1;
        p.price_fen = (service && IsOnline(*service)) ? 0 : price.value_or(0);
        periods.push_back(std::move(p));
      }
    }
    if (!errs.empty()) return ValidationFailed(std::move(errs));
    auto s = svc.ReplaceTemplate(req.Actor(), periods);
    if (!s) return s.error();
    return Reply::Json(ScheduleJson(*s));
  };
}

http::Handler AddException(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    ObjReader r(*body, "", errs);
    Exception e;
    auto date = r.Str("date", true, 10);
    auto kind = r.Enum("kind", true, {"leave", "extra"});
    auto start = r.Minute("start_time", false);
    auto end = r.Minute("end_time", true);
    e.service = r.Enum("service", false, Services());
    auto cap = r.Int("capacity", false);
    e.price_fen = r.Int("price_fen", false);
    e.free_clinic = r.Bool("free_clinic");
    e.reason = r.Str("reason", false, 200).value_or("");
    r.Finish();
    if (!errs.empty()) return ValidationFailed(std::move(errs));
    e.date = *date;
    e.kind = *kind;
    e.start_minute = *start;
    e.end_minute = *end;
    if (cap) e.capacity = static_cast<int>(std::clamp<std::int64_t>(*cap, -1, kMaxCapacity + 1));
    auto out = svc.AddException(req.Actor(), e);
    if (!out) return out.error();
    return Reply::Json(ExceptionJson(*out), 201);
  };
}

http::Handler DeleteException(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    if (auto st = svc.DeleteException(req.Actor(), *id); !st) return st.error();
    return Reply::NoContent();
  };
}

http::Handler Day(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    const std::int64_t now = svc.clock().NowMs();
    auto date = QueryDate(req, "date", now);
    if (!date) return date.error();
    auto day = svc.Day(req.Actor(), *date, req.Meta());
    if (!day) return day.error();
    const std::string today = CivilDateCst(now);
    json::array items;
    for (const auto& d : *day) {
      json::array appts;
      for (const auto& a : d.appointments)
        appts.push_back(
            json::object{{"id", a.id},
                         {"queue_number", a.queue_number},
                         {"patient", json::object{{"id", a.patient_id},
                                                  {"real_name", a.patient_name},
                                                  {"sex", a.patient_sex},
                                                  {"age", AgeOn(a.patient_birth_date, today)}}},
                         {"status", a.status},
                         {"cancelled_by", a.cancelled_by ? json::value(*a.cancelled_by) : json::value(nullptr)},
                         {"cancel_reason", a.cancel_reason},
                         {"booked_at", a.created_at}});
      items.push_back(json::object{{"slot", SlotJson(d.slot)}, {"appointments", std::move(appts)}});
    }
    return Reply::Json(json::object{{"date", *date}, {"items", std::move(items)}});
  };
}

http::Handler Book(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    ObjReader r(*body, "", errs);
    auto slot = r.Int("slot_id", true);
    auto patient = r.Int("patient_id", false);
    r.Finish();
    if (slot && *slot < 1) r.Fail("slot_id", "invalid_value");
    if (patient && *patient < 1) r.Fail("patient_id", "invalid_value");
    if (!errs.empty()) return ValidationFailed(std::move(errs));
    auto a = svc.Book(req.Actor(), *slot, patient, req.Meta());
    if (!a) return a.error();
    return Reply::Json(AppointmentJson(*a, svc, req.Actor().user_id), 201);
  };
}

http::Handler MyAppointments(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    std::optional<std::int64_t> patient;
    if (req.Query("patient_id")) {
      auto p = http::QueryInt(req, "patient_id", 0, 1, INT64_MAX);
      if (!p) return p.error();
      patient = *p;
    }
    auto status = http::QueryString(req, "status", 16);
    if (!status) return status.error();
    if (!status->empty() && *status != "booked" && *status != "cancelled" && *status != "fulfilled" &&
        *status != "noshow")
      return ValidationFailed({{"status", "invalid_value"}});
    auto items = svc.PatientAppointments(req.Actor(), patient, *status, req.Meta());
    if (!items) return items.error();
    json::array a;
    for (const auto& x : *items) a.push_back(AppointmentJson(x, svc, req.Actor().user_id));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler GetAppointment(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto a = svc.GetAppointment(req.Actor(), *id, req.Meta());
    if (!a) return a.error();
    return Reply::Json(AppointmentJson(*a, svc, req.Actor().user_id));
  };
}

http::Handler Cancel(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto reason = http::OptionalTextBody(req, "reason", {.max_chars = 200});
    if (!reason) return reason.error();
    auto a = svc.Cancel(req.Actor(), *id, reason->value_or(""), req.Meta());
    if (!a) return a.error();
    return Reply::Json(AppointmentJson(*a, svc, req.Actor().user_id));
  };
}

http::Handler NoShow(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto a = svc.MarkNoShow(req.Actor(), *id, req.Meta());
    if (!a) return a.error();
    return Reply::Json(AppointmentJson(*a, svc, req.Actor().user_id));
  };
}

http::Handler Fulfil(SchedulingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto a = svc.Fulfil(req.Actor(), *id, req.Meta());
    if (!a) return a.error();
    return Reply::Json(AppointmentJson(*a, svc, req.Actor().user_id));
  };
}

}  // namespace ihos::domain::scheduling::api
