#include "domain/homecare/api.hpp"

#include <boost/json.hpp>

#include "domain/homecare/json.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::homecare::api {
namespace json = boost::json;
using http::Reply;
using http::Request;
using http::Send;

namespace {

constexpr http::StringRule kNote{.max_chars = 500, .multiline = true};

}  // namespace

http::Handler Services(HomeCareService& s) {
  return [&s](Request&) -> Result<Reply> { return Send(s.Services(), ServicesJson); };
}

http::Handler SetPrice(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::int64_t price = r.Int("price_fen", 0, 10'000'000);
    const bool active = r.Bool("active", true);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.SetPrice(req.Actor(), req.Param("code"), price, active), PriceChangeJson);
  };
}

http::Handler Order(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    OrderInput in;
    in.patient_id = r.OptInt("patient_id", 1, INT64_MAX);
    in.service_code = r.String("service_code", {.min_chars = 1, .max_chars = 40});
    in.region_code = r.String("region_code", {.min_chars = 6, .max_chars = 6});
    in.address = r.String("address", {.min_chars = 1, .max_chars = 200});
    in.contact_phone = r.OptString("contact_phone", {.max_chars = 11}).value_or("");
    in.date = r.String("date", {.max_chars = 10});
    in.start_time = r.String("start_time", {.max_chars = 5});
    in.end_time = r.String("end_time", {.max_chars = 5});
    in.note = r.OptString("note", kNote).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.PlaceOrder(req.Actor(), in, req.Meta()), OrderJson, 201);
  };
}

http::Handler MyOrders(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.MyOrders(req.Actor()), OrdersJson); };
}

http::Handler Get(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    return Send(s.Get(req.Actor(), *id, req.Meta()), OrderJson);
  };
}

http::Handler Cancel(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto reason = http::OptionalTextBody(req, "reason", kNote);
    if (!reason) return reason.error();
    return Send(s.Cancel(req.Actor(), *id, reason->value_or(""), req.Meta()), OrderJson);
  };
}

http::Handler Areas(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.Areas(req.Actor()), AreasJson); };
}

http::Handler SetAreas(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    auto codes = r.StringArray("region_codes", {.min_chars = 6, .max_chars = 6}, 20);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.SetAreas(req.Actor(), codes), AreasJson);
  };
}

http::Handler NurseBoard(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.Board(req.Actor()), NurseBoardJson); };
}

http::Handler Accept(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    return Send(s.Accept(req.Actor(), *id, req.Meta()), OrderJson);
  };
}

http::Handler Arrive(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    return Send(s.Arrive(req.Actor(), *id, req.Meta()), OrderJson);
  };
}

http::Handler Complete(HomeCareService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto note = http::OptionalTextBody(req, "service_note", kNote);
    if (!note) return note.error();
    return Send(s.Complete(req.Actor(), *id, note->value_or(""), req.Meta()), OrderJson);
  };
}

}  // namespace ihos::domain::homecare::api
