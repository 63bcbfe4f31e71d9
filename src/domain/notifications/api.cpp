#include "domain/notifications/api.hpp"

#include <boost/json.hpp>

#include "http/params.hpp"

namespace ihos::domain::notifications::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

json::value OptInt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object NotificationJson(const Notification& n) {
  return json::object{{"id", n.id},
                      {"kind", n.kind},
                      {"title", json::object{{"zh-CN", n.title_zh}, {"en", n.title_en}}},
                      {"body", json::object{{"zh-CN", n.body_zh}, {"en", n.body_en}}},
                      {"created_at", n.created_at},
                      {"read_at", OptInt(n.read_at)},
                      {"appointment_id", OptInt(n.appointment_id)}};
}

}  // namespace

http::Handler Mine(NotificationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto items = svc.Mine(req.Actor());
    if (!items) return items.error();
    json::array a;
    for (const auto& n : *items) a.push_back(NotificationJson(n));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler MarkRead(NotificationService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    if (auto st = svc.MarkRead(req.Actor(), *id); !st) return st.error();
    return Reply::NoContent();
  };
}

}  // namespace ihos::domain::notifications::api
