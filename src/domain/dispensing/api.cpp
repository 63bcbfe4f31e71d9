#include "domain/dispensing/api.hpp"

#include <boost/json.hpp>

#include "core/qr.hpp"
#include "domain/dispensing/json.hpp"
#include "domain/pharmacy/rules.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::dispensing::api {
namespace json = boost::json;
using http::Reply;
using http::Request;
using http::Send;

namespace {

constexpr http::StringRule kReason{.max_chars = 200, .multiline = true};

// A number member (coordinates); removed from `o` so the FieldReader does not see it.
std::optional<double> TakeNumber(json::object& o, std::string_view key, std::vector<FieldError>& errs) {
  auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  std::optional<double> out;
  if (v->is_double())
    out = v->get_double();
  else if (v->is_int64())
    out = static_cast<double>(v->get_int64());
  else
    errs.push_back({std::string(key), "wrong_type"});
  o.erase(key);
  return out;
}

template <class Call>
http::Handler ById(DispensingService& s, Call call) {
  return [&s, call](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    return Send(call(s, req, *id), OrderJson);
  };
}

}  // namespace

http::Handler Orderable(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "prescription_id");
    if (!id) return id.error();
    return Send(s.OrderableOf(req.Actor(), *id, req.Meta()), OrderableJson);
  };
}

http::Handler Place(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    OrderInput in;
    in.lat = TakeNumber(*body, "lat", errs).value_or(0);
    in.lon = TakeNumber(*body, "lon", errs).value_or(0);
    http::FieldReader r(*body);
    in.prescription_id = r.Int("prescription_id", 1, INT64_MAX);
    in.pharmacy_id = r.Int("pharmacy_id", 1, INT64_MAX);
    in.mode = r.Enum("mode", {"delivery", "pickup"});
    in.address = r.OptString("address", {.max_chars = 200}).value_or("");
    in.contact_phone = r.OptString("contact_phone", {.max_chars = 11}).value_or("");
    if (const auto* lines = r.OptArray("lines", 20)) {
      for (std::size_t i = 0; i < lines->size(); ++i) {
        const auto* o = (*lines)[i].if_object();
        if (!o) {
          r.Fail("lines[" + std::to_string(i) + "]", "wrong_type");
          continue;
        }
        http::FieldReader lr(*o, "lines[" + std::to_string(i) + "].");
        LineChoice c;
        c.line_no = lr.Int("line_no", 0, 1000);
        c.quantity = lr.OptInt("quantity", 0, 100000).value_or(0);
        r.Absorb(lr);
        in.lines.push_back(c);
      }
    }
    for (auto& e : errs) r.Fail(e.field, e.code);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.Place(req.Actor(), in, req.Meta()), OrderJson, 201);
  };
}

http::Handler PlaceOtc(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    std::vector<FieldError> errs;
    OtcOrderInput in;
    in.lat = TakeNumber(*body, "lat", errs).value_or(0);
    in.lon = TakeNumber(*body, "lon", errs).value_or(0);
    http::FieldReader r(*body);
    in.patient_id = r.OptInt("patient_id", 1, INT64_MAX).value_or(0);
    in.pharmacy_id = r.Int("pharmacy_id", 1, INT64_MAX);
    in.mode = r.Enum("mode", {"delivery", "pickup"});
    in.address = r.OptString("address", {.max_chars = 200}).value_or("");
    in.contact_phone = r.OptString("contact_phone", {.max_chars = 11}).value_or("");
    if (const auto* acks = r.OptArray("advice_acknowledged_items", 20)) {
      for (std::size_t i = 0; i < acks->size(); ++i) {
        const auto* v = (*acks)[i].if_int64();
        if (!v || *v < 1) {
          r.Fail("advice_acknowledged_items[" + std::to_string(i) + "]", "wrong_type");
          continue;
        }
        in.advice_acknowledged_items.push_back(*v);
      }
    }
    if (const auto* lines = r.OptArray("lines", 20)) {
      for (std::size_t i = 0; i < lines->size(); ++i) {
        const auto* o = (*lines)[i].if_object();
        if (!o) {
          r.Fail("lines[" + std::to_string(i) + "]", "wrong_type");
          continue;
        }
        http::FieldReader lr(*o, "lines[" + std::to_string(i) + "].");
        OtcLineChoice c;
        c.formulary_item_id = lr.Int("formulary_item_id", 1, INT64_MAX);
        c.quantity = lr.Int("quantity", 1, 1000);
        r.Absorb(lr);
        in.lines.push_back(c);
      }
    }
    for (auto& e : errs) r.Fail(e.field, e.code);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.PlaceOtc(req.Actor(), in, req.Meta()), OrderJson, 201);
  };
}

http::Handler Mine(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.Mine(req.Actor()), OrdersJson); };
}

http::Handler Get(DispensingService& s) {
  return ById(s, [](DispensingService& s, Request& req, std::int64_t id) { return s.Get(req.Actor(), id); });
}

http::Handler Cancel(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto reason = http::OptionalTextBody(req, "reason", kReason);
    if (!reason) return reason.error();
    return Send(s.Cancel(req.Actor(), *id, reason->value_or(""), req.Meta()), OrderJson);
  };
}

http::Handler PickupCode(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto code = s.PickupCode(req.Actor(), *id);
    if (!code) return code.error();
    return Reply::Json(json::object{{"code", *code}, {"qr_svg", qr::Svg(*code, 6)}});
  };
}

http::Handler PickupKeys(DispensingService& s) {
  return [&s](Request&) -> Result<Reply> { return Send(s.PickupKeys(), KeysJson); };
}

http::Handler MyPharmacies(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    return Send(s.MyPharmacies(req.Actor()), [](const std::vector<std::int64_t>& ids) {
      json::array a;
      for (auto id : ids) a.push_back(id);
      return json::object{{"pharmacy_ids", std::move(a)}};
    });
  };
}

http::Handler Queue(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "pharmacy_id");
    if (!id) return id.error();
    auto status = http::QueryString(req, "status", 20);
    if (!status) return status.error();
    return Send(s.Queue(req.Actor(), *id, *status), OrdersJson);
  };
}

http::Handler Accept(DispensingService& s) {
  return ById(
      s, [](DispensingService& s, Request& req, std::int64_t id) { return s.Accept(req.Actor(), id, req.Meta()); });
}

http::Handler Reject(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto reason = http::OptionalTextBody(req, "reason", kReason);
    if (!reason) return reason.error();
    return Send(s.Reject(req.Actor(), *id, reason->value_or(""), req.Meta()), OrderJson);
  };
}

// One batch or trace code per box scanned (a trace code is 20 digits; batch numbers are shorter).
constexpr http::StringRule kBatchCode{.min_chars = 1, .max_chars = 64};

http::Handler Dispense(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    std::optional<std::vector<std::string>> codes;
    if (!req.body.empty()) {
      auto body = http::ParseJsonBody(req);
      if (!body) return body.error();
      http::FieldReader r(*body);
      // "batch_codes": null is the same as leaving it out: the ledger picks earliest expiry first.
      const auto* given = body->if_contains("batch_codes");
      const bool scanned = given && !given->is_null();
      auto v = r.StringArray("batch_codes", kBatchCode, pharmacy::kMaxScans);
      if (auto st = r.Finish(); !st) return st.error();
      if (scanned) codes = std::move(v);
    }
    return Send(s.Dispense(req.Actor(), *id, req.Meta(), codes), OrderJson);
  };
}

http::Handler BatchCheck(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    auto codes = r.StringArray("batch_codes", kBatchCode, pharmacy::kMaxScans);
    const bool partial = r.Bool("partial", false);
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.BatchCheck(req.Actor(), *id, codes, partial), ScanCheckJson);
  };
}

http::Handler Redeliver(DispensingService& s) {
  return ById(
      s, [](DispensingService& s, Request& req, std::int64_t id) { return s.Redeliver(req.Actor(), id, req.Meta()); });
}

http::Handler TakeBack(DispensingService& s) {
  return ById(
      s, [](DispensingService& s, Request& req, std::int64_t id) { return s.TakeBack(req.Actor(), id, req.Meta()); });
}

http::Handler ScanPickup(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "pharmacy_id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    // Pasted text may end with a line break (ParsePickup trims it).
    auto code = r.String("code", {.min_chars = 1, .max_chars = 1000, .multiline = true});
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.ScanPickup(req.Actor(), *id, code, req.Meta()), OrderJson);
  };
}

http::Handler CourierBoard(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> { return Send(s.CourierBoard(req.Actor()), OrdersJson); };
}

http::Handler CourierMove(DispensingService& s) {
  return [&s](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    auto to = r.Enum("status", {"assigned", "picked_up", "delivered", "failed"});
    auto reason = r.OptString("reason", kReason).value_or("");
    if (auto st = r.Finish(); !st) return st.error();
    return Send(s.CourierMove(req.Actor(), *id, to, reason, req.Meta()), OrderJson);
  };
}

void RegisterWs(http::WsRegistry& ws, DispensingService& s) {
  auto topic = [&s](const Principal& actor, std::string_view t, std::int64_t) -> Result<std::vector<std::string>> {
    auto o = s.Watch(actor, t);
    if (!o) return o.error();
    std::vector<std::string> backlog;
    if (*o) backlog.push_back(ChangeEventJson(**o));
    return backlog;
  };
  ws.AddTopic("drug-order:", topic);
  ws.AddTopic("pharmacy-orders:", topic);
}

void PublishChange(events::Bus& bus, const Order& o) {
  const std::string event = ChangeEventJson(o);
  bus.Publish("drug-order:" + std::to_string(o.id), event);
  bus.Publish("pharmacy-orders:" + std::to_string(o.pharmacy_id), event);
}

}  // namespace ihos::domain::dispensing::api
