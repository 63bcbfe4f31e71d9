#include "domain/pharmacy/api.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "domain/pharmacy/rules.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::pharmacy::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr std::int64_t kMaxId = INT64_MAX;
constexpr std::int64_t kMaxFen = 100'000'000;

json::object PharmacyJson(const Pharmacy& p, std::optional<bool> open_now) {
  json::array hours;
  for (const auto& h : p.hours)
    hours.push_back({{"weekday", h.weekday}, {"open", FormatHhmm(h.open_min)}, {"close", FormatHhmm(h.close_min)}});
  json::object o{{"id", p.id},
                 {"name", p.name},
                 {"licence_no", p.licence_no},
                 {"region_code", p.region_code},
                 {"address", p.address},
                 {"lat", p.lat},
                 {"lon", p.lon},
                 {"hours", std::move(hours)},
                 {"status", p.status},
                 {"status_note", p.status_note},
                 {"delivers", p.delivers},
                 {"delivery_radius_m", p.delivery_radius_m},
                 {"delivery_fee_fen", p.delivery_fee_fen},
                 {"pickup_counter", p.pickup_counter},
                 {"phone", p.phone},
                 {"demo", p.demo}};
  if (open_now) o["open_now"] = *open_now;
  return o;
}

json::object MoveJson(const StockMove& m) {
  json::object o{{"id", m.id},
                 {"formulary_item_id", m.formulary_item_id},
                 {"kind", m.kind},
                 {"batch_no", m.batch_no},
                 {"expiry_date", m.expiry_date},
                 {"on_hand_delta", m.on_hand_delta},
                 {"reserved_delta", m.reserved_delta},
                 {"ref", m.ref},
                 {"reason", m.reason},
                 {"at", m.at}};
  o["cost_fen"] = m.cost_fen ? json::value(*m.cost_fen) : json::value(nullptr);
  o["by_user"] = m.by_user ? json::value(*m.by_user) : json::value(nullptr);
  return o;
}

json::object ApplicationJson(const Application& a) {
  json::object o{{"id", a.id},
                 {"user_id", a.user_id},
                 {"user_name", a.user_name},
                 {"kind", a.kind},
                 {"pharmacy_name", a.pharmacy_name},
                 {"duty", a.duty},
                 {"licence_no", a.licence_no},
                 {"region_code", a.region_code},
                 {"address", a.address},
                 {"lat", a.lat},
                 {"lon", a.lon},
                 {"phone", a.phone},
                 {"note", a.note},
                 {"status", a.status},
                 {"reason", a.reason},
                 {"created_at", a.created_at}};
  o["pharmacy_id"] = a.pharmacy_id ? json::value(*a.pharmacy_id) : json::value(nullptr);
  o["reviewed_at"] = a.reviewed_at ? json::value(*a.reviewed_at) : json::value(nullptr);
  return o;
}

std::optional<double> ParseDouble(const std::string& s) {
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// A number field (integer or fraction); field error when absent or not a number.
double Number(const json::object& o, http::FieldReader& r, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) {
    r.Fail(key, "required");
    return 0;
  }
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  r.Fail(key, "wrong_type");
  return 0;
}

template <class F>
http::Handler WithPharmacy(PharmacyService& svc, F f) {
  return [&svc, f](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    return f(svc, req, *id);
  };
}

}  // namespace

http::Handler Nearby(PharmacyService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    NearbyQuery q;
    std::vector<FieldError> errs;
    for (const char* key : {"lat", "lon"}) {
      auto s = http::QueryString(req, key, 32);
      if (!s) return s.error();
      auto v = ParseDouble(*s);
      if (!v) errs.push_back({key, s->empty() ? "required" : "invalid"});
      (key[1] == 'a' ? q.lat : q.lon) = v.value_or(0);
    }
    auto radius = http::QueryInt(req, "radius_m", 5000, 1, kMaxRadiusM);
    if (!radius) return radius.error();
    q.radius_m = *radius;
    auto items = http::QueryString(req, "items", 400);
    if (!items) return items.error();
    auto basket = ParseBasket(*items);
    if (!basket) errs.push_back({"items", "invalid"});
    q.basket = basket.value_or(std::vector<BasketLine>{});
    auto partial = http::QueryString(req, "partial", 5);
    if (!partial) return partial.error();
    q.complete_only = !(*partial == "1" || *partial == "true");
    auto delivery = http::QueryString(req, "delivery", 5);
    if (!delivery) return delivery.error();
    q.delivery_only = *delivery == "1" || *delivery == "true";
    auto closed = http::QueryString(req, "closed", 5);
    if (!closed) return closed.error();
    q.open_now = !(*closed == "1" || *closed == "true");
    auto limit = http::QueryInt(req, "limit", 20, 1, 100);
    if (!limit) return limit.error();
    q.limit = static_cast<int>(*limit);
    if (!errs.empty()) return ValidationFailed(std::move(errs));
    auto r = svc.Nearby(q);
    if (!r) return r.error();
    json::array a;
    for (const auto& n : *r) {
      json::array avail;
      for (const auto& l : n.available)
        avail.push_back({{"formulary_item_id", l.formulary_item_id}, {"quantity", l.quantity}});
      a.push_back({{"pharmacy", PharmacyJson(n.pharmacy, std::nullopt)},
                   {"distance_m", n.distance_m},
                   {"open_now", n.open_now},
                   {"delivers_here", n.delivers_here},
                   {"complete", n.complete},
                   {"available", std::move(avail)},
                   {"basket_fen", n.basket_fen},
                   {"delivery_fee_fen", n.delivery_fee_fen},
                   {"next_open_at", n.next_open_at ? json::value(*n.next_open_at) : json::value(nullptr)}});
    }
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler Get(PharmacyService& svc) {
  return WithPharmacy(svc, [](PharmacyService& s, Request&, std::int64_t id) -> Result<Reply> {
    auto p = s.GetPharmacy(id);
    if (!p) return p.error();
    return Reply::Json(PharmacyJson(*p, s.OpenNow(*p)));
  });
}

http::Handler Mine(PharmacyService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto list = svc.Mine(req.Actor());
    if (!list) return list.error();
    json::array a;
    for (const auto& m : *list) {
      auto o = PharmacyJson(m.pharmacy, m.open_now);
      o["duty"] = m.duty;
      a.push_back(std::move(o));
    }
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler UpdateSettings(PharmacyService& svc) {
  return WithPharmacy(svc, [](PharmacyService& s, Request& req, std::int64_t id) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    Settings st;
    st.status = r.Enum("status", {"open", "closed", "temporarily_closed"});
    st.status_note = r.OptString("status_note", {.max_chars = 200}).value_or("");
    st.delivers = r.Bool("delivers", false);
    st.delivery_radius_m = r.OptInt("delivery_radius_m", 0, kMaxRadiusM).value_or(0);
    st.delivery_fee_fen = r.OptInt("delivery_fee_fen", 0, 100'000).value_or(0);
    st.pickup_counter = r.OptString("pickup_counter", {.max_chars = 60}).value_or("");
    st.phone = r.OptString("phone", {.max_chars = 30}).value_or("");
    if (const auto* hours = r.OptArray("hours", 70)) {
      for (std::size_t i = 0; i < hours->size(); ++i) {
        const auto* o = (*hours)[i].if_object();
        if (!o) {
          r.Fail("hours", "wrong_type");
          break;
        }
        http::FieldReader h(*o, "hours[" + std::to_string(i) + "].");
        const auto wd = h.Int("weekday", 1, 7);
        const auto open = ParseHhmm(h.String("open", {.max_chars = 5}), false);
        const auto close = ParseHhmm(h.String("close", {.max_chars = 5}), true);
        if (!open) h.Fail("open", "invalid");
        if (!close) h.Fail("close", "invalid");
        st.hours.push_back({static_cast<int>(wd), open.value_or(0), close.value_or(0)});
        r.Absorb(h);
      }
    }
    if (auto f = r.Finish(); !f) return f.error();
    auto p = s.UpdateSettings(req.Actor(), id, st, req.Meta());
    if (!p) return p.error();
    return Reply::Json(PharmacyJson(*p, s.OpenNow(*p)));
  });
}

http::Handler Stock(PharmacyService& svc) {
  return WithPharmacy(svc, [](PharmacyService& s, Request& req, std::int64_t id) -> Result<Reply> {
    auto list = s.Stock(req.Actor(), id);
    if (!list) return list.error();
    json::array a;
    for (const auto& i : *list) {
      json::array batches;
      for (const auto& b : i.batches)
        batches.push_back({{"batch_no", b.batch_no},
                           {"expiry_date", b.expiry_date},
                           {"on_hand", b.on_hand},
                           {"expired", b.expired},
                           {"near_expiry", b.near_expiry}});
      a.push_back({{"formulary_item_id", i.formulary_item_id},
                   {"name", i.name},
                   {"price_fen", i.price_fen ? json::value(*i.price_fen) : json::value(nullptr)},
                   {"on_hand", i.on_hand},
                   {"reserved", i.reserved},
                   {"available", i.available},
                   {"batches", std::move(batches)}});
    }
    return Reply::Json(json::object{{"items", std::move(a)}});
  });
}

http::Handler Receive(PharmacyService& svc) {
  return WithPharmacy(svc, [](PharmacyService& s, Request& req, std::int64_t id) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    Receipt in;
    in.formulary_item_id = r.Int("formulary_item_id", 1, kMaxId);
    in.batch_no = r.String("batch_no", {.max_chars = 40});
    in.expiry_date = r.String("expiry_date", {.max_chars = 10});
    in.quantity = r.Int("quantity", 1, kMaxQuantity);
    in.cost_fen = r.OptInt("cost_fen", 0, kMaxFen);
    in.price_fen = r.OptInt("price_fen", 0, kMaxFen);
    if (auto f = r.Finish(); !f) return f.error();
    auto m = s.Receive(req.Actor(), id, in, req.Meta());
    if (!m) return m.error();
    return Reply::Json(MoveJson(*m), 201);
  });
}

http::Handler Adjust(PharmacyService& svc) {
  return WithPharmacy(svc, [](PharmacyService& s, Request& req, std::int64_t id) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    Adjustment in;
    in.formulary_item_id = r.Int("formulary_item_id", 1, kMaxId);
    in.batch_no = r.String("batch_no", {.max_chars = 40});
    in.delta = r.Int("delta", -kMaxQuantity, kMaxQuantity);
    in.reason = r.String("reason", {.max_chars = 200});
    if (auto f = r.Finish(); !f) return f.error();
    auto m = s.Adjust(req.Actor(), id, in, req.Meta());
    if (!m) return m.error();
    return Reply::Json(MoveJson(*m), 201);
  });
}

http::Handler Moves(PharmacyService& svc) {
  return WithPharmacy(svc, [](PharmacyService& s, Request& req, std::int64_t id) -> Result<Reply> {
    auto item = http::PathId(req, "item");
    if (!item) return item.error();
    auto list = s.Moves(req.Actor(), id, *item);
    if (!list) return list.error();
    json::array a;
    for (const auto& m : *list) a.push_back(MoveJson(m));
    return Reply::Json(json::object{{"items", std::move(a)}});
  });
}

http::Handler SetPrice(PharmacyService& svc) {
  return WithPharmacy(svc, [](PharmacyService& s, Request& req, std::int64_t id) -> Result<Reply> {
    auto item = http::PathId(req, "item");
    if (!item) return item.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const auto price = r.Int("price_fen", 0, kMaxFen);
    if (auto f = r.Finish(); !f) return f.error();
    if (auto st = s.SetPrice(req.Actor(), id, *item, price, req.Meta()); !st) return st.error();
    return Reply::Json(json::object{{"formulary_item_id", *item}, {"price_fen", price}});
  });
}

http::Handler Apply(PharmacyService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    // lat and lon are fractional numbers, which FieldReader does not read: taken out first.
    json::object rest = *body;
    rest.erase("lat");
    rest.erase("lon");
    http::FieldReader r(rest);
    Application in;
    in.kind = r.Enum("kind", {"join", "register"});
    if (in.kind == "join") {
      in.pharmacy_id = r.Int("pharmacy_id", 1, kMaxId);
      in.duty = r.Enum("duty", {"counter", "courier", "manager"});
    } else if (in.kind == "register") {
      in.pharmacy_name = r.String("name", {.max_chars = 60});
      in.licence_no = r.String("licence_no", {.max_chars = 20});
      in.region_code = r.String("region_code", {.min_chars = 6, .max_chars = 6});
      in.address = r.String("address", {.max_chars = 120});
      in.lat = Number(*body, r, "lat");
      in.lon = Number(*body, r, "lon");
      in.phone = r.OptString("phone", {.max_chars = 30}).value_or("");
    }
    in.note = r.OptString("note", {.max_chars = 300}).value_or("");
    if (in.kind != "register" && (body->contains("lat") || body->contains("lon"))) r.Fail("lat", "unknown_field");
    if (auto f = r.Finish(); !f) return f.error();
    auto a = svc.Apply(req.Actor(), in, req.Meta());
    if (!a) return a.error();
    return Reply::Json(ApplicationJson(*a), 201);
  };
}

http::Handler MyApplications(PharmacyService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto list = svc.MyApplications(req.Actor());
    if (!list) return list.error();
    json::array a;
    for (const auto& x : *list) a.push_back(ApplicationJson(x));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler Applications(PharmacyService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto status = http::QueryString(req, "status", 10);
    if (!status) return status.error();
    auto list = svc.Applications(req.Actor(), *status);
    if (!list) return list.error();
    json::array a;
    for (const auto& x : *list) a.push_back(ApplicationJson(x));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler Approve(PharmacyService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto a = svc.Approve(req.Actor(), *id, req.Meta());
    if (!a) return a.error();
    return Reply::Json(ApplicationJson(*a));
  };
}

http::Handler Reject(PharmacyService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string reason = r.String("reason", {.max_chars = 200});
    if (auto f = r.Finish(); !f) return f.error();
    auto a = svc.Reject(req.Actor(), *id, reason, req.Meta());
    if (!a) return a.error();
    return Reply::Json(ApplicationJson(*a));
  };
}

http::Handler CheckLevels(PharmacyService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto c = svc.CheckLevels(req.Actor());
    if (!c) return c.error();
    json::array diffs;
    for (const auto& d : c->differences)
      diffs.push_back({{"pharmacy_id", d.pharmacy_id},
                       {"formulary_item_id", d.formulary_item_id},
                       {"batch_no", d.batch_no},
                       {"stored", d.stored},
                       {"from_moves", d.from_moves}});
    return Reply::Json(json::object{{"moves_checked", c->moves_checked},
                                    {"levels_checked", c->levels_checked},
                                    {"consistent", c->differences.empty()},
                                    {"differences", std::move(diffs)}});
  };
}

http::Handler ExpireDue(PharmacyService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto n = svc.ExpireDue(req.Actor());
    if (!n) return n.error();
    return Reply::Json(json::object{{"batches_written_off", *n}});
  };
}

}  // namespace ihos::domain::pharmacy::api
