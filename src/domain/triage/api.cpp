#include "domain/triage/api.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "http/json_io.hpp"

namespace ihos::domain::triage::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

// A patient's story: long enough to say something, short enough to stay a request.
constexpr http::StringRule kText{.min_chars = 2, .max_chars = 2000, .multiline = true};

json::object DepartmentJson(const Department& d) {
  return json::object{{"code", d.code}, {"name_zh", d.name_zh}, {"name_en", d.name_en}};
}

double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

}  // namespace

http::Handler Triage(TriageService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string text = r.String("text", kText);
    // The patient's age in years (the page sends the signed-in account's, or the one a visitor
    // chose); the model reads its age group.
    const auto age = r.OptInt("age", 0, 130);
    if (auto st = r.Finish(); !st) return st.error();
    auto res = svc.Triage(text, RequestMeta{req.request_id, req.client_addr},
                          age ? std::optional<int>(static_cast<int>(*age)) : std::nullopt);
    if (!res) return res.error();

    bool emergency = false, mental = false;
    json::array flags;
    for (const auto& h : res->red_flags) {
      emergency = emergency || h.kind == RedFlagKind::emergency;
      mental = mental || h.kind == RedFlagKind::mental_health;
      json::array matched;
      for (const auto& m : h.matched) matched.emplace_back(m);
      flags.push_back(json::object{{"rule", h.rule_id},
                                   {"kind", KindName(h.kind)},
                                   {"reason_zh", h.reason_zh},
                                   {"reason_en", h.reason_en},
                                   {"matched", std::move(matched)}});
    }
    json::array deps;
    for (const auto& s : res->suggestions) {
      json::object o = DepartmentJson(s.department);
      o["confidence"] = s.by_rule ? json::value(nullptr) : json::value(Round3(s.confidence));
      o["by_rule"] = s.by_rule;
      json::array ev;
      for (const auto& e : s.evidence) ev.push_back(json::object{{"text", e.text}, {"weight", Round3(e.weight)}});
      o["evidence"] = std::move(ev);
      deps.push_back(std::move(o));
    }
    json::object out{
        {"urgency", emergency ? "emergency"
                    : mental  ? "mental_health"
                              : "routine"},
        {"red_flags", std::move(flags)},
        {"emergency_number", emergency || mental ? json::value(kEmergencyNumber) : json::value(nullptr)},
        {"hotline", mental ? json::value(kMentalHealthHotline) : json::value(nullptr)},
        {"departments", std::move(deps)},
        {"model_available", res->model_available},
        {"low_confidence", res->low_confidence},
        {"fallback_department", DepartmentJson(res->fallback)},
        {"rules_version", kRedFlagRulesVersion},
    };
    if (!res->model_available) {
      json::array all;
      for (const auto& d : svc.departments())
        if (d.code != "emergency") all.push_back(DepartmentJson(d));
      out["choose_from"] = std::move(all);
    }
    return Reply::Json(std::move(out));
  };
}

}  // namespace ihos::domain::triage::api
