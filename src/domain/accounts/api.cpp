#include "domain/accounts/api.hpp"

#include <boost/json.hpp>

#include "core/civil_time.hpp"
#include "core/mask.hpp"
#include "core/resident_id.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"
#include "http/session_cookie.hpp"

namespace ihos::domain::accounts::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

json::array RolesJson(const std::vector<std::string>& roles) {
  json::array a;
  for (const auto& r : roles) a.emplace_back(r);
  return a;
}

json::object DependentJson(const Dependent& d, std::int64_t now) {
  json::object o = UserJson(d.user, now);
  o["relationship"] = d.relationship;
  return o;
}

// Request bodies are small; these bounds keep hostile input from reaching the rules.
constexpr http::StringRule kPhone{.max_chars = 32};
constexpr http::StringRule kPassword{.max_chars = 128, .trim = false};
constexpr http::StringRule kName{.max_chars = 60};
constexpr http::StringRule kIdNumber{.max_chars = 32};
constexpr http::StringRule kSmsCode{.max_chars = 6};

}  // namespace

json::object UserJson(const User& u, std::int64_t now_ms) {
  json::object o;
  o["id"] = u.id;
  o["real_name"] = u.real_name;
  o["phone_masked"] = u.phone ? json::value(MaskPhone(*u.phone)) : json::value(nullptr);
  o["id_number_masked"] = MaskIdNumber(u.id_number);
  o["birth_date"] = u.birth_date;
  o["sex"] = u.sex;
  o["age"] = AgeOn(u.birth_date, CivilDateCst(now_ms));
  o["roles"] = RolesJson(u.roles);
  o["created_at"] = u.created_at;
  return o;
}

http::Handler Register(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    RegisterInput in{r.String("phone", kPhone), r.String("password", kPassword), r.String("real_name", kName),
                     r.String("id_number", kIdNumber), std::nullopt};
    // Required unless the server runs with --register-sms-code off (then ignored); the service
    // asks for it after the other fields' rules.
    in.sms_code = r.OptString("sms_code", kSmsCode);
    if (auto st = r.Finish(); !st) return st.error();
    auto u = svc.Register(in, req.Meta());
    if (!u) return u.error();
    return Reply::Json(json::object{{"user", UserJson(*u, svc.clock().NowMs())}}, 201);
  };
}

http::Handler SendRegisterCode(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string phone = r.String("phone", kPhone);
    if (auto st = r.Finish(); !st) return st.error();
    if (auto st = svc.SendRegisterCode(phone, req.Meta()); !st) return st.error();
    // The same answer whether or not the phone has an account. "provider": "demo" tells the
    // client no real SMS was sent (the demo SMS page shows it).
    return Reply::Json(json::object{{"sent", true}, {"provider", svc.sms_codes().sender().Name()}}, 202);
  };
}

http::Handler DemoSms(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    DemoSmsSender* demo = svc.demo_sms();
    if (!demo) return MakeError(Errc::not_found, "not_found");  // never registered then; belt and braces
    auto phone = http::QueryString(req, "phone", kPhone.max_chars);
    if (!phone) return phone.error();
    if (phone->empty()) return ValidationFailed({{"phone", "required"}});
    json::array a;
    for (const auto& m : demo->Recent(*phone))
      a.emplace_back(json::object{{"phone", m.phone}, {"text", m.text}, {"at", m.at_ms}});
    return Reply::Json(json::object{{"provider", "demo"}, {"demo", true}, {"messages", std::move(a)}});
  };
}

http::Handler Login(AccountService& svc, std::shared_ptr<AccountSecurity> sec) {
  return [&svc, sec](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string phone = r.String("phone", kPhone);
    const std::string password = r.String("password", kPassword);
    const auto sms_code = r.OptString("sms_code", {.max_chars = 6});
    // "cookie": the web app's session, an HttpOnly cookie the page's scripts never see (the
    // token is not in the body); "bearer" (the default): API clients.
    const auto mode = r.OptString("session", {.max_chars = 10});
    if (mode && *mode != "cookie" && *mode != "bearer") r.Fail("session", "invalid_value");
    if (auto st = r.Finish(); !st) return st.error();
    const bool cookie = mode && *mode == "cookie";
    auto res = svc.Login(phone, password, req.Meta(), sms_code);
    if (!res) return res.error();
    if (auto st = sec->NoteDevice(res->token, req.Header("user-agent")); !st) return st.error();
    json::object o{{"expires_at", res->expires_at},
                   {"csrf_token", http::CsrfTokenFor(res->token)},
                   {"user", UserJson(res->user, svc.clock().NowMs())}};
    if (!cookie) {
      o["token"] = res->token;
      o["token_type"] = "Bearer";
    }
    Reply reply = Reply::Json(o);
    if (cookie) {
      const std::int64_t max_age = std::max<std::int64_t>(0, (res->expires_at - svc.clock().NowMs()) / 1000);
      reply.headers.emplace_back("Set-Cookie", http::SessionCookieHeader(res->token, max_age));
    }
    return reply;
  };
}

http::Handler Logout(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    if (auto st = svc.Logout(req.bearer); !st) return st.error();
    Reply reply = Reply::NoContent();
    // The web app's cookie goes too (harmless for an API client, which has none).
    reply.headers.emplace_back("Set-Cookie", http::ClearSessionCookieHeader());
    return reply;
  };
}

http::Handler Me(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto u = svc.Me(req.Actor());
    if (!u) return u.error();
    return Reply::Json(UserJson(*u, svc.clock().NowMs()));
  };
}

namespace {
json::object SettingsJson(const UserSettings& s) {
  return json::object{{"elder_mode", s.elder_mode},
                      {"updated_at", s.updated_at ? json::value(s.updated_at) : json::value(nullptr)}};
}
}  // namespace

http::Handler GetSettings(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> { return http::Send(svc.Settings(req.Actor()), SettingsJson); };
}

http::Handler PutSettings(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    UserSettings in;
    in.elder_mode = r.Bool("elder_mode");
    if (const auto* v = body->if_contains("elder_mode"); !v || v->is_null()) r.Fail("elder_mode", "required");
    if (auto st = r.Finish(); !st) return st.error();
    return http::Send(svc.PutSettings(req.Actor(), in), SettingsJson);
  };
}

http::FastHandler MeFromMemory(AccountService& svc) {
  return [&svc](Request& req) -> std::optional<Reply> {
    auto u = svc.CachedMe(req.Actor());
    if (!u) return std::nullopt;
    return Reply::Json(UserJson(*u, svc.clock().NowMs()));
  };
}

http::Handler AccessLog(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto patient = http::QueryInt(req, "patient_id", req.Actor().user_id, 1, INT64_MAX);
    auto limit = http::QueryInt(req, "limit", 50, 1, 200);
    auto before = http::QueryInt(req, "before", 0, 0, INT64_MAX);
    if (!patient) return patient.error();
    if (!limit) return limit.error();
    if (!before) return before.error();
    auto items = svc.AccessLog(req.Actor(), *patient, static_cast<int>(*limit), *before, req.Meta());
    if (!items) return items.error();
    json::array a;
    for (const auto& i : *items)
      a.push_back(json::object{{"id", i.id},
                               {"at", i.at},
                               {"actor_name", i.actor_name},
                               {"actor_role", i.actor_role},
                               {"action", i.action},
                               {"resource_type", i.resource_type},
                               {"resource_id", i.resource_id},
                               {"reason", i.reason}});
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler ListDependents(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto deps = svc.Dependents(req.Actor(), req.Meta());
    if (!deps) return deps.error();
    json::array a;
    for (const auto& d : *deps) a.push_back(DependentJson(d, svc.clock().NowMs()));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler AddDependent(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    DependentInput in{r.String("real_name", kName), r.String("id_number", kIdNumber),
                      r.Enum("relationship", {"parent", "legal_guardian", "other"})};
    if (auto st = r.Finish(); !st) return st.error();
    auto d = svc.AddDependent(req.Actor(), in, req.Meta());
    if (!d) return d.error();
    return Reply::Json(DependentJson(*d, svc.clock().NowMs()), 201);
  };
}

http::Handler ReadPatient(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto reason = http::QueryString(req, "reason", 200);
    if (!reason) return reason.error();
    auto u = svc.ReadPatient(req.Actor(), *id, *reason, req.Meta());
    if (!u) return u.error();
    return Reply::Json(UserJson(*u, svc.clock().NowMs()));
  };
}

http::Handler SearchUsers(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto q = http::QueryString(req, "q", 60);
    if (!q) return q.error();
    auto users = svc.SearchUsers(req.Actor(), *q, req.Meta());
    if (!users) return users.error();
    json::array a;
    for (const auto& u : *users) a.push_back(UserJson(u, svc.clock().NowMs()));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler GrantRole(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string role = r.Enum("role", AllRoles());
    if (auto st = r.Finish(); !st) return st.error();
    auto roles = svc.GrantRole(req.Actor(), *id, role, req.Meta());
    if (!roles) return roles.error();
    return Reply::Json(json::object{{"roles", RolesJson(*roles)}});
  };
}

http::Handler RevokeRole(AccountService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto roles = svc.RevokeRole(req.Actor(), *id, req.Param("role"), req.Meta());
    if (!roles) return roles.error();
    return Reply::Json(json::object{{"roles", RolesJson(*roles)}});
  };
}

// --- my sessions, password change and reset (security.hpp) ---
http::Handler MySessions(SecurityPtr sec) {
  return [sec](Request& req) -> Result<Reply> {
    auto items = sec->Sessions(req.Actor(), req.bearer);
    if (!items) return items.error();
    json::array a;
    for (const auto& s : *items)
      a.push_back(json::object{{"id", s.id},
                               {"user_agent", s.user_agent},
                               {"client_addr", s.client_addr},
                               {"created_at", s.created_at},
                               {"last_seen_at", s.last_seen_at},
                               {"expires_at", s.expires_at},
                               {"current", s.current}});
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler SignOutSession(SecurityPtr sec) {
  return [sec](Request& req) -> Result<Reply> {
    const std::string& id = req.Param("id");
    if (id.size() != 24) return MakeError(Errc::not_found, "not_found");
    if (auto st = sec->SignOut(req.Actor(), id); !st) return st.error();
    return Reply::NoContent();
  };
}

http::Handler SignOutOthers(SecurityPtr sec) {
  return [sec](Request& req) -> Result<Reply> {
    auto n = sec->SignOutOthers(req.Actor(), req.bearer);
    if (!n) return n.error();
    return Reply::Json(json::object{{"signed_out", *n}});
  };
}

http::Handler ChangePassword(SecurityPtr sec) {
  return [sec](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string old_password = r.String("old_password", kPassword);
    const std::string new_password = r.String("new_password", kPassword);
    const std::string sms_code = r.OptString("sms_code", kSmsCode).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    if (auto st = sec->ChangePassword(req.Actor(), req.bearer, old_password, new_password, sms_code); !st)
      return st.error();
    return Reply::NoContent();
  };
}

http::Handler SendPasswordChangeCode(SecurityPtr sec) {
  return [sec](Request& req) -> Result<Reply> {
    auto sent = sec->SendPasswordChangeCode(req.Actor(), req.Meta());
    if (!sent) return sent.error();
    return Reply::Json(json::object{{"sent", true}, {"phone", sent->masked_phone}, {"expires_at", sent->expires_at}},
                       202);
  };
}

http::Handler SendResetCode(SecurityPtr sec) {
  return [sec](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string phone = r.String("phone", kPhone);
    if (auto st = r.Finish(); !st) return st.error();
    if (auto st = sec->SendResetCode(phone, req.Meta()); !st) return st.error();
    // The same answer whether or not the phone has an account.
    return Reply::Json(json::object{{"sent", true}}, 202);
  };
}

http::Handler ResetPassword(SecurityPtr sec) {
  return [sec](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string phone = r.String("phone", kPhone);
    const std::string code = r.String("sms_code", kSmsCode);
    const std::string new_password = r.String("new_password", kPassword);
    if (auto st = r.Finish(); !st) return st.error();
    if (auto st = sec->ResetPassword(phone, code, new_password); !st) return st.error();
    return Reply::NoContent();
  };
}

}  // namespace ihos::domain::accounts::api
