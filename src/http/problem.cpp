#include "http/problem.hpp"

#include <boost/json.hpp>

#include "core/messages.hpp"

namespace ihos::http {
namespace {

boost::json::object Bilingual(const Message& m) { return {{"zh-CN", m.zh}, {"en", m.en}}; }

// The message text with each {name} replaced by its value (a rule's message names the drug).
std::string Fill(std::string_view text, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out(text);
  for (const auto& [k, v] : params) {
    const std::string key = "{" + k + "}";
    for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + v.size()))
      out.replace(pos, key.size(), v);
  }
  return out;
}

boost::json::object Bilingual(const Message& m, const std::vector<std::pair<std::string, std::string>>& params) {
  return {{"zh-CN", Fill(m.zh, params)}, {"en", Fill(m.en, params)}};
}

}  // namespace

std::string PickLocale(std::string_view al) {
  // The first language range decides; "en", "en-US" -> en, everything else -> zh-CN.
  while (!al.empty() && (al.front() == ' ' || al.front() == '\t')) al.remove_prefix(1);
  if (al.size() >= 2 && (al[0] == 'e' || al[0] == 'E') && (al[1] == 'n' || al[1] == 'N') &&
      (al.size() == 2 || al[2] == '-' || al[2] == ',' || al[2] == ';'))
    return "en";
  return "zh-CN";
}

Reply RenderProblem(const Error& e, std::string_view request_id, std::string_view locale) {
  const bool internal = e.errc == Errc::internal;
  const Message& m = FindMessage(internal ? std::string_view("internal_error") : std::string_view(e.code));
  const int status = ToHttpStatus(e.errc);
  boost::json::object o;
  o["type"] = "https://ihos.dev/problems/" + std::string(m.code);
  const auto& params = internal ? std::vector<std::pair<std::string, std::string>>{} : e.params;
  o["title"] = Fill(locale == "en" ? m.en : m.zh, params);
  o["status"] = status;
  o["code"] = m.code;
  o["message"] = Bilingual(m, params);
  if (!internal && !e.violations.empty()) {
    boost::json::array vs;
    for (const auto& v : e.violations) {
      boost::json::object vo{{"code", v.code}, {"message", Bilingual(FindMessage(v.code), v.params)}};
      // A parameter never replaces the violation's own code or message (a scan's {code} is the box scanned).
      for (const auto& [k, val] : v.params) vo.emplace(k, val);
      vs.push_back(std::move(vo));
    }
    o["violations"] = std::move(vs);
  }
  // Only a refusal of the client's own input explains itself in `detail` (e.g. where the JSON
  // broke); infrastructure errors (database messages, host names) never leave the server.
  if (e.errc == Errc::invalid_argument && !e.detail.empty()) o["detail"] = e.detail;
  if (!e.fields.empty()) {
    boost::json::array errs;
    for (const auto& f : e.fields)
      errs.push_back(
          boost::json::object{{"field", f.field}, {"code", f.code}, {"message", Bilingual(FindMessage(f.code))}});
    o["errors"] = std::move(errs);
  }
  o["request_id"] = request_id;
  Reply r = Reply::Json(o, status);
  r.content_type = "application/problem+json";
  if (e.retry_after_s) r.headers.emplace_back("Retry-After", std::to_string(*e.retry_after_s));
  if (!e.allow.empty()) {
    std::string allow;
    for (const auto& a : e.allow) allow += (allow.empty() ? "" : ", ") + a;
    r.headers.emplace_back("Allow", allow);
  }
  return r;
}

}  // namespace ihos::http
