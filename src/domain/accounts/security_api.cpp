// HTTP handlers of my sessions, password change and password reset (security.hpp).
#include <boost/json.hpp>

#include "domain/accounts/api.hpp"
#include "http/json_io.hpp"

namespace ihos::domain::accounts::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {
constexpr http::StringRule kPhone{.max_chars = 32};
constexpr http::StringRule kPassword{.max_chars = 128, .trim = false};
constexpr http::StringRule kCode{.max_chars = 6};
}  // namespace

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
    if (auto st = r.Finish(); !st) return st.error();
    if (auto st = sec->ChangePassword(req.Actor(), req.bearer, old_password, new_password); !st) return st.error();
    return Reply::NoContent();
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
    const std::string code = r.String("sms_code", kCode);
    const std::string new_password = r.String("new_password", kPassword);
    if (auto st = r.Finish(); !st) return st.error();
    if (auto st = sec->ResetPassword(phone, code, new_password); !st) return st.error();
    return Reply::NoContent();
  };
}

}  // namespace ihos::domain::accounts::api
