#include "domain/directory/api.hpp"

#include <boost/json.hpp>
#include <boost/url/pct_string_view.hpp>
#include <chrono>
#include <cstdio>

#include "core/civil_time.hpp"
#include "core/regions.hpp"
#include "core/text.hpp"
#include "domain/directory/rules.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::directory::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr http::StringRule kName{.min_chars = 2, .max_chars = 60};
constexpr http::StringRule kAddress{.min_chars = 4, .max_chars = 200};
constexpr http::StringRule kCode{.max_chars = 40};
constexpr http::StringRule kScope{.min_chars = 2, .max_chars = 100};
constexpr http::StringRule kLongText{.max_chars = 1000, .multiline = true};
constexpr http::StringRule kSpecialties{.max_chars = 200};
constexpr http::StringRule kReason{.min_chars = 2, .max_chars = 500, .multiline = true};
constexpr std::int64_t kMaxId = INT64_MAX;

json::object DepartmentJson(const Department& d) {
  return json::object{{"code", d.code}, {"name_zh", d.name_zh}, {"name_en", d.name_en}, {"counselling", d.counselling}};
}

json::object HospitalJson(const Hospital& h) {
  json::array deps;
  for (const auto& d : h.departments) deps.emplace_back(d);
  return json::object{{"id", h.id},
                      {"name", h.name},
                      {"grade", h.grade},
                      {"address", h.address},
                      {"region_code", h.region_code},
                      {"region_name", RegionPath(h.region_code)},
                      {"licence_number", h.licence_number},
                      {"general_price_fen", h.general_price_fen},
                      {"departments", std::move(deps)},
                      {"created_at", h.created_at}};
}

json::value OptId(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object ApplicationJson(const Application& a) {
  return json::object{{"id", a.id},
                      {"user", json::object{{"id", a.user_id}, {"real_name", a.user_name}}},
                      {"hospital", json::object{{"id", a.in.hospital_id}, {"name", a.hospital_name}}},
                      {"department", DepartmentJson(a.department)},
                      {"title", a.in.title},
                      {"practice_scope", a.in.practice_scope},
                      {"licence_number", a.in.licence_number},
                      {"years_practice", a.in.years_practice},
                      {"introduction", a.in.introduction},
                      {"specialties", a.in.specialties},
                      {"free_clinic", a.in.free_clinic},
                      {"id_card_upload", a.in.id_card_upload},
                      {"licence_upload", a.in.licence_upload},
                      {"qualification_upload", a.in.qualification_upload},
                      {"title_upload", a.in.title_upload},
                      {"photo_upload", OptId(a.in.photo_upload)},
                      {"status", a.status},
                      {"review_reason", a.review_reason},
                      {"reviewed_at", OptId(a.reviewed_at)},
                      {"created_at", a.created_at},
                      {"practitioner_id", OptId(a.practitioner_id)}};
}

Reply FileReply(const FileMeta& f, std::string bytes, bool public_cache) {
  Reply r{200, f.content_type, std::move(bytes), {}};
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  r.headers.emplace_back("Cache-Control", public_cache ? "public, max-age=300" : "private, no-store");
  r.headers.emplace_back("ETag", "\"" + f.sha256 + "\"");
  return r;
}

}  // namespace

json::object DoctorJson(const Doctor& d) {
  json::value rating = nullptr;
  if (d.rating_count > 0)
    rating = std::round(static_cast<double>(d.rating_sum) * 10.0 / static_cast<double>(d.rating_count)) / 10.0;
  json::value next = nullptr;
  json::value next_start = nullptr;
  if (d.next_free) {
    next = json::object{{"slot_id", d.next_free->slot_id},
                        {"service", d.next_free->service},
                        {"start_at", d.next_free->start_at},
                        {"price_fen", d.next_free->price_fen}};
    next_start = CstIsoDateTime(d.next_free->start_at);
  }
  return json::object{{"id", d.id},
                      {"name", d.name},
                      {"title", d.title},
                      {"hospital_id", d.hospital_id},
                      {"hospital_name", d.hospital_name},
                      {"hospital_grade", d.hospital_grade},
                      {"department_code", d.department.code},
                      {"department_name_zh", d.department.name_zh},
                      {"department_name_en", d.department.name_en},
                      {"practice_scope", d.practice_scope},
                      {"licence_number", d.licence_number},
                      {"years_practice", d.years_practice},
                      {"introduction", d.introduction},
                      {"specialties", d.specialties},
                      {"free_clinic", d.free_clinic},
                      {"photo_url", d.has_photo ? json::value("/api/v1/doctors/" + std::to_string(d.id) + "/photo")
                                                : json::value(nullptr)},
                      {"rating", rating},
                      {"rating_count", d.rating_count},
                      {"next_free_start", next_start},
                      {"next_free", next}};
}

namespace {

json::object StaffDoctorJson(const Doctor& d) {
  json::object o = DoctorJson(d);
  o["user_id"] = d.user_id;
  o["status"] = d.status;
  o["status_reason"] = d.status_reason;
  o["licence_expires_on"] = d.licence_expires_on;
  return o;
}

template <class T, class F>
Reply ListReply(const std::vector<T>& items, F&& to_json) {
  json::array a;
  for (const auto& i : items) a.push_back(to_json(i));
  return Reply::Json(json::object{{"items", std::move(a)}});
}

}  // namespace

http::Handler ListDepartments(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto hospital = http::QueryInt(req, "hospital_id", 0, 0, kMaxId);
    if (!hospital) return hospital.error();
    auto deps = svc.Departments(*hospital ? std::optional<std::int64_t>(*hospital) : std::nullopt);
    if (!deps) return deps.error();
    return ListReply(*deps, [](const Department& d) {
      json::object o = DepartmentJson(d);
      o["doctor_count"] = d.doctor_count;
      return o;
    });
  };
}

http::Handler ListHospitals(DirectoryService& svc) {
  return [&svc](Request&) -> Result<Reply> {
    auto hs = svc.Hospitals();
    if (!hs) return hs.error();
    return ListReply(*hs, HospitalJson);
  };
}

http::Handler GetHospital(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto h = svc.GetHospital(*id);
    if (!h) return h.error();
    return Reply::Json(HospitalJson(*h));
  };
}

http::Handler CreateHospital(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    HospitalInput in;
    in.name = r.String("name", kName);
    in.grade = r.Enum("grade", HospitalGrades());
    in.address = r.String("address", kAddress);
    in.region_code = r.String("region_code", {.max_chars = 6});
    in.licence_number = r.String("licence_number", {.max_chars = 40});
    in.general_price_fen = r.Int("general_price_fen", 0, kMaxPriceFen);
    in.departments = r.StringArray("departments", kCode, 100);
    if (auto st = r.Finish(); !st) return st.error();
    auto h = svc.CreateHospital(req.Actor(), in, req.Meta());
    if (!h) return h.error();
    return Reply::Json(HospitalJson(*h), 201);
  };
}

http::Handler SetHospitalDepartments(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    auto codes = r.StringArray("departments", kCode, 100);
    if (!body->contains("departments")) r.Fail("departments", "required");
    if (auto st = r.Finish(); !st) return st.error();
    auto h = svc.SetHospitalDepartments(req.Actor(), *id, codes, req.Meta());
    if (!h) return h.error();
    return Reply::Json(HospitalJson(*h));
  };
}

http::Handler UploadFile(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    // X-File-Name is percent-encoded UTF-8 (encodeURIComponent); an undecodable or odd name is
    // dropped rather than refusing the file.
    std::string name;
    if (auto raw = req.Header("x-file-name"); !raw.empty()) {
      if (auto pct = boost::urls::make_pct_string_view(raw); pct) {
        std::string decoded = pct->decode();
        if (ihos::text::IsStorableText(decoded) && http::Utf8Length(decoded) <= 120 &&
            std::none_of(decoded.begin(), decoded.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; }))
          name = std::move(decoded);
      }
    }
    auto f = svc.Upload(req.Actor(), req.content_type, req.body, name);
    if (!f) return f.error();
    return Reply::Json(json::object{{"id", f->id},
                                    {"content_type", f->content_type},
                                    {"size", f->size},
                                    {"sha256", f->sha256},
                                    {"file_name", f->file_name},
                                    {"created_at", f->created_at}},
                       201);
  };
}

http::Handler ReadFile(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto f = svc.ReadFile(req.Actor(), *id, req.Meta());
    if (!f) return f.error();
    return FileReply(f->first, std::move(f->second), false);
  };
}

http::Handler Apply(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    ApplicationInput in;
    in.hospital_id = r.Int("hospital_id", 1, kMaxId);
    in.department_code = r.String("department_code", kCode);
    in.title = r.Enum("title", AllTitles());
    in.practice_scope = r.String("practice_scope", kScope);
    in.licence_number = r.String("licence_number", {.max_chars = 30});
    in.years_practice = r.Int("years_practice", 0, 100);
    in.introduction = r.OptString("introduction", kLongText).value_or("");
    in.specialties = r.OptString("specialties", kSpecialties).value_or("");
    in.free_clinic = r.Bool("free_clinic", false);
    in.id_card_upload = r.Int("id_card_upload", 1, kMaxId);
    in.licence_upload = r.Int("licence_upload", 1, kMaxId);
    in.qualification_upload = r.Int("qualification_upload", 1, kMaxId);
    in.title_upload = r.Int("title_upload", 1, kMaxId);
    in.photo_upload = r.OptInt("photo_upload", 1, kMaxId);
    if (auto st = r.Finish(); !st) return st.error();
    auto a = svc.Apply(req.Actor(), in, req.Meta());
    if (!a) return a.error();
    return Reply::Json(ApplicationJson(*a), 201);
  };
}

http::Handler MyApplications(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto apps = svc.MyApplications(req.Actor());
    if (!apps) return apps.error();
    return ListReply(*apps, ApplicationJson);
  };
}

http::Handler ApplicationQueue(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    const std::string status = req.Query("status").value_or("pending");
    if (status != "pending" && status != "approved" && status != "rejected" && status != "all")
      return ValidationFailed({{"status", "invalid_value"}});
    auto apps = svc.Applications(req.Actor(), status == "all" ? "" : status, req.Meta());
    if (!apps) return apps.error();
    return ListReply(*apps, ApplicationJson);
  };
}

http::Handler ReadApplication(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto a = svc.ReadApplication(req.Actor(), *id, req.Meta());
    if (!a) return a.error();
    return Reply::Json(ApplicationJson(*a));
  };
}

http::Handler Approve(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string expiry = r.String("licence_expires_on", {.max_chars = 10});
    if (auto st = r.Finish(); !st) return st.error();
    auto a = svc.Approve(req.Actor(), *id, expiry, req.Meta());
    if (!a) return a.error();
    return Reply::Json(ApplicationJson(*a));
  };
}

namespace {

// A decision on the record `id` of the path, with its {"reason": …} (reject an application,
// suspend or reinstate a doctor): `decide(req, id, reason)`, answered as `to_json` writes it.
template <class Decide, class ToJson>
http::Handler WithReason(Decide decide, ToJson to_json) {
  return [decide, to_json](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string reason = r.String("reason", kReason);
    if (auto st = r.Finish(); !st) return st.error();
    auto decided = decide(req, *id, reason);
    if (!decided) return decided.error();
    return Reply::Json(to_json(*decided));
  };
}

}  // namespace

http::Handler Reject(DirectoryService& svc) {
  return WithReason(
      [&svc](Request& req, std::int64_t id, const std::string& reason) {
        return svc.Reject(req.Actor(), id, reason, req.Meta());
      },
      ApplicationJson);
}

http::Handler ListPractitioners(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    const std::string status = req.Query("status").value_or("");
    if (status != "" && status != "active" && status != "suspended")
      return ValidationFailed({{"status", "invalid_value"}});
    auto q = http::QueryString(req, "q", 60);
    if (!q) return q.error();
    auto ds = svc.Practitioners(req.Actor(), status, *q);
    if (!ds) return ds.error();
    return ListReply(*ds, StaffDoctorJson);
  };
}

http::Handler Suspend(DirectoryService& svc) {
  return WithReason(
      [&svc](Request& req, std::int64_t id, const std::string& reason) {
        return svc.Suspend(req.Actor(), id, reason, req.Meta());
      },
      StaffDoctorJson);
}

http::Handler Reinstate(DirectoryService& svc) {
  return WithReason(
      [&svc](Request& req, std::int64_t id, const std::string& reason) {
        return svc.Reinstate(req.Actor(), id, reason, req.Meta());
      },
      StaffDoctorJson);
}

http::Handler SearchDoctors(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    DoctorQuery q;
    auto department = http::QueryString(req, "department", 40);
    auto hospital = http::QueryInt(req, "hospital_id", 0, 0, kMaxId);
    auto title = http::QueryString(req, "title", 40);
    auto text = http::QueryString(req, "q", 60);
    auto limit = http::QueryInt(req, "limit", 20, 1, 100);
    auto offset = http::QueryInt(req, "offset", 0, 0, 100000);
    if (!department) return department.error();
    if (!hospital) return hospital.error();
    if (!title) return title.error();
    if (!text) return text.error();
    if (!limit) return limit.error();
    if (!offset) return offset.error();
    q.department = *department;
    if (*hospital) q.hospital_id = *hospital;
    q.title = *title;
    q.q = *text;
    q.limit = static_cast<int>(*limit);
    q.offset = static_cast<int>(*offset);
    if (auto fc = req.Query("free_clinic")) {
      if (*fc != "true" && *fc != "false") return ValidationFailed({{"free_clinic", "invalid_value"}});
      q.free_clinic = *fc == "true";
    }
    q.sort = req.Query("sort").value_or("soonest");
    if (q.sort != "soonest" && q.sort != "rating" && q.sort != "title")
      return ValidationFailed({{"sort", "invalid_value"}});
    auto page = svc.SearchDoctors(q);
    if (!page) return page.error();
    json::array a;
    for (const auto& d : page->items) a.push_back(DoctorJson(d));
    return Reply::Json(json::object{{"items", std::move(a)}, {"total", page->total}});
  };
}

http::Handler GetDoctor(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto d = svc.PublicDoctor(*id);
    if (!d) return d.error();
    return Reply::Json(DoctorJson(*d));
  };
}

http::Handler DoctorPhoto(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto f = svc.DoctorPhoto(*id);
    if (!f) return f.error();
    return FileReply(f->first, std::move(f->second), true);
  };
}

http::Handler MyPractitioner(DirectoryService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto d = svc.MyPractitioner(req.Actor());
    if (!d) return d.error();
    return Reply::Json(StaffDoctorJson(*d));
  };
}

}  // namespace ihos::domain::directory::api
