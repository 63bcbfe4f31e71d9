#include "http/ws_frame.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdint>

namespace ihos::http {

namespace json = boost::json;

WsFrame ParseWsFrame(std::string_view text) {
  WsFrame f;
  auto bad = [&f](std::string why) {
    f.kind = WsFrame::Kind::bad;
    f.error = std::move(why);
    return std::move(f);
  };
  boost::system::error_code ec;
  json::parse_options opt;
  opt.max_depth = 32;
  json::value v = json::parse(text, ec, {}, opt);
  if (ec || !v.is_object()) return bad("a frame is a JSON object");
  const auto& o = v.get_object();
  if (const auto* r = o.if_contains("ref")) {
    if (!r->is_string() || r->get_string().size() > kWsMaxRef) return bad("ref: a string of at most 64 characters");
    f.ref = r->get_string();
  }
  const auto* type = o.if_contains("type");
  if (!type || !type->is_string()) return bad("type: a string");
  const std::string_view t = type->get_string();
  if (t == "auth") {
    // Without "token" the connection authenticates with the web session cookie of its upgrade
    // request (the hub decides; token stays empty). A token that is present must be readable.
    const auto* token = o.if_contains("token");
    if (token && (!token->is_string() || token->get_string().empty() || token->get_string().size() > kWsMaxToken))
      return bad("token: a string of 1 to 512 characters");
    f.kind = WsFrame::Kind::auth;
    if (token) f.token = token->get_string();
    return f;
  }
  if (t == "ping") {
    f.kind = WsFrame::Kind::ping;
    return f;
  }
  if (t == "subscribe" || t == "unsubscribe") {
    const auto* topic = o.if_contains("topic");
    if (!topic || !topic->is_string() || topic->get_string().empty() || topic->get_string().size() > kWsMaxTopic)
      return bad("topic: a string of 1 to 200 characters");
    f.topic = topic->get_string();
    if (t == "unsubscribe") {
      f.kind = WsFrame::Kind::unsubscribe;
      return f;
    }
    if (const auto* a = o.if_contains("after_seq")) {
      if (!a->is_int64() && !a->is_uint64()) return bad("after_seq: an integer");
      f.after_seq = a->is_int64() ? a->get_int64()
                                  : static_cast<std::int64_t>(std::min<std::uint64_t>(a->get_uint64(), INT64_MAX));
      if (f.after_seq < 0) return bad("after_seq: not negative");
    }
    f.kind = WsFrame::Kind::subscribe;
    return f;
  }
  if (t == "call") {
    const auto* m = o.if_contains("method");
    if (!m || !m->is_string() || m->get_string().empty() || m->get_string().size() > kWsMaxMethod)
      return bad("method: a string");
    if (const auto* p = o.if_contains("params")) {
      if (p->is_object())
        f.params = p->get_object();
      else if (!p->is_null())
        return bad("params: an object");
    }
    f.kind = WsFrame::Kind::call;
    f.method = m->get_string();
    return f;
  }
  return bad("unknown type: " + std::string(t));
}

}  // namespace ihos::http
