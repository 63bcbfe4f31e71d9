#include "domain/drugs/api.hpp"

#include <boost/json.hpp>

#include "domain/drugs/json.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::drugs::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

http::Handler Search(DrugService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto q = http::QueryString(req, "q", 40);
    if (!q) return q.error();
    auto cat = http::QueryString(req, "category", 40);
    if (!cat) return cat.error();
    auto scope = http::QueryString(req, "scope", 20);
    if (!scope) return scope.error();
    auto limit = http::QueryInt(req, "limit", 20, 1, 50);
    if (!limit) return limit.error();
    if (!scope->empty() && *scope != "formulary" && *scope != "catalogue")
      return ValidationFailed({{"scope", "invalid_value"}});
    DrugQuery dq{*q, *cat, *scope != "catalogue", static_cast<int>(*limit)};
    json::array items;
    if (dq.formulary_only) {
      auto r = svc.SearchFormulary(dq);
      if (!r) return r.error();
      for (const auto& f : *r) items.push_back(FormularyJson(f));
    } else {
      auto r = svc.SearchCatalogue(dq);
      if (!r) return r.error();
      for (const auto& d : *r) items.push_back(DrugJson(d));
    }
    return Reply::Json(json::object{{"items", std::move(items)}});
  };
}

http::Handler GetFormulary(DrugService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto f = svc.GetFormulary(*id);
    if (!f) return f.error();
    return Reply::Json(FormularyJson(*f));
  };
}

http::Handler AddFormulary(DrugService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    FormularyInput in;
    in.drug_id = r.Int("drug_id", 1, INT64_MAX);
    in.name_en = r.OptString("name_en", {.max_chars = 80}).value_or("");
    in.strength = r.String("strength", {.min_chars = 1, .max_chars = 40});
    in.dose_unit = r.String("dose_unit", {.min_chars = 1, .max_chars = 10});
    in.strength_amount_milli = r.Int("strength_amount_milli", 1, 1'000'000'000);
    in.package_unit = r.String("package_unit", {.min_chars = 1, .max_chars = 10});
    in.package_size = r.Int("package_size", 1, 10000);
    in.price_fen = r.Int("price_fen", 0, 100'000'000);
    in.routes = r.StringArray("routes", {.min_chars = 1, .max_chars = 20}, 6);
    in.max_single_milli = r.OptInt("max_single_milli", 1, 1'000'000'000);
    in.max_daily_milli = r.OptInt("max_daily_milli", 1, 1'000'000'000);
    in.child_max_daily_milli_per_kg = r.OptInt("child_max_daily_milli_per_kg", 1, 1'000'000'000);
    in.min_age_years = r.OptInt("min_age_years", 0, 120).value_or(0);
    in.special_storage = r.OptString("special_storage", {.max_chars = 60}).value_or("");
    in.insert_source = r.OptString("insert_source", {.max_chars = 200}).value_or("");
    in.demo = r.Bool("demo", false);
    if (auto st = r.Finish(); !st) return st.error();
    auto f = svc.AddFormulary(in);
    if (!f) return f.error();
    return Reply::Json(FormularyJson(*f), 201);
  };
}

http::Handler SearchOtc(DrugService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto q = http::QueryString(req, "q", 40);
    if (!q) return q.error();
    auto limit = http::QueryInt(req, "limit", 20, 1, 50);
    if (!limit) return limit.error();
    auto r = svc.SearchOtc(DrugQuery{*q, "", true, static_cast<int>(*limit)});
    if (!r) return r.error();
    json::array items;
    for (const auto& i : *r) items.push_back(OtcItemJson(i));
    return Reply::Json(json::object{{"items", std::move(items)}});
  };
}

http::Handler OtcHistory(DrugService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto r = svc.OtcHistory(req.Actor(), *id);
    if (!r) return r.error();
    json::array items;
    for (const auto& m : *r) items.push_back(OtcMarkJson(m));
    return Reply::Json(json::object{{"items", std::move(items)}});
  };
}

http::Handler MarkOtc(DrugService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    OtcMarkInput in;
    in.otc_class = r.String("otc_class", {.min_chars = 1, .max_chars = 1});
    in.reference = r.String("reference", {.min_chars = 4, .max_chars = 200});
    in.reason = r.OptString("reason", {.max_chars = 200}).value_or("");
    in.advice = r.OptString("advice", {.max_chars = 500, .multiline = true}).value_or("");
    in.max_per_order = r.OptInt("max_per_order", 0, 1000).value_or(0);
    if (auto st = r.Finish(); !st) return st.error();
    auto m = svc.MarkOtc(req.Actor(), *id, in, req.Meta());
    if (!m) return m.error();
    return Reply::Json(OtcMarkJson(*m), 201);
  };
}

http::Handler RevokeOtc(DrugService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const auto reason = r.String("reason", {.min_chars = 1, .max_chars = 200});
    if (auto st = r.Finish(); !st) return st.error();
    auto m = svc.RevokeOtc(req.Actor(), *id, reason, req.Meta());
    if (!m) return m.error();
    return Reply::Json(OtcMarkJson(*m), 201);
  };
}

}  // namespace ihos::domain::drugs::api
