#include "domain/billing/api.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "domain/billing/rules.hpp"
#include "http/json_io.hpp"
#include "http/params.hpp"

namespace ihos::domain::billing::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr std::int64_t kMaxId = INT64_MAX;
constexpr std::int64_t kMaxFen = 10'000'000'000LL;

json::object LineJson(const Line& l) {
  return {{"line_no", l.line_no},       {"item_code", l.item_code}, {"name", l.name},
          {"item_class", l.item_class}, {"unit_fen", l.unit_fen},   {"quantity", l.quantity},
          {"amount_fen", l.amount_fen}};
}

json::object SplitJson(const Split& s) {
  json::array lines;
  for (const auto& l : s.lines)
    lines.push_back({{"line_no", l.line_no},
                     {"name", l.name},
                     {"amount_fen", l.amount_fen},
                     {"fund_fen", l.fund_fen},
                     {"personal_fen", l.personal_fen},
                     {"cash_fen", l.cash_fen},
                     {"rule", l.rule}});
  return {{"scheme", s.scheme},
          {"region_code", s.region_code},
          {"policy_version", s.policy_version},
          {"total_fen", s.total_fen},
          {"fund_fen", s.fund_fen},
          {"personal_fen", s.personal_fen},
          {"cash_fen", s.cash_fen},
          {"deductible_used_fen", s.deductible_used_fen},
          {"lines", std::move(lines)}};
}

json::object RefundJson(const billing::Refund& r) {
  json::object o{{"id", r.id},
                 {"reason", r.reason},
                 {"amount_fen", r.amount_fen},
                 {"fund_fen", r.fund_fen},
                 {"personal_fen", r.personal_fen},
                 {"cash_fen", r.cash_fen},
                 {"status", r.status},
                 {"created_at", r.created_at}};
  if (r.succeeded_at) o["succeeded_at"] = *r.succeeded_at;
  return o;
}

json::object OrderJson(const Order& o, std::int64_t now, bool demo_provider) {
  json::array lines;
  for (const auto& l : o.lines) lines.push_back(LineJson(l));
  json::array refunds;
  for (const auto& r : o.refunds) refunds.push_back(RefundJson(r));
  const bool holding = o.status == "pending" || o.status == "paying";
  json::object j{{"id", o.id},
                 {"patient_id", o.patient_id},
                 {"patient_name", o.patient_name},
                 {"source_kind", o.source_kind},
                 {"source_id", o.source_id},
                 {"title", o.title},
                 {"hospital_grade", o.hospital_grade},
                 {"status", o.status},
                 {"total_fen", o.total_fen},
                 {"refunded_fen", o.refunded_fen},
                 {"hold_until", o.hold_until},
                 {"hold_seconds_left", holding && o.holds_place
                                           ? json::value(std::max<std::int64_t>(0, (o.hold_until - now) / 1000))
                                           : json::value(nullptr)},
                 {"created_at", o.created_at},
                 {"lines", std::move(lines)},
                 {"refunds", std::move(refunds)}};
  if (o.paid_at) j["paid_at"] = *o.paid_at;
  if (o.settlement) j["settlement"] = SplitJson(o.settlement->split);
  if (o.payment) {
    json::object p{{"id", o.payment->id},
                   {"provider", o.payment->provider},
                   {"demo", demo_provider},
                   {"status", o.payment->status},
                   {"amount_fen", o.payment->amount_fen},
                   {"out_trade_no", o.payment->out_trade_no}};
    if (o.payment->status == "created") p["pay_url"] = "/pay/demo/" + o.payment->out_trade_no;
    j["payment"] = std::move(p);
  }
  if (o.receipt_number) j["receipt_number"] = *o.receipt_number;
  return j;
}

json::object ProfileJson(const Profile& p) {
  return {{"patient_id", p.patient_id},
          {"bound", p.bound},
          {"scheme", p.scheme},
          {"region_code", p.region_code},
          {"region_name", p.region_name},
          {"insured_no", p.insured_no},
          // The adapter that bound it (demo until a real 医保 adapter is set).
          {"adapter", p.adapter.empty() ? std::string("demo") : p.adapter},
          {"demo", p.adapter.empty() || p.adapter == "demo"},
          {"personal_balance_fen", p.personal_balance_fen}};
}

json::object PolicyJson(const Policy& p) {
  json::array ratios;
  for (const auto& r : p.ratios)
    ratios.push_back({{"grade", r.grade}, {"item_class", r.item_class}, {"ratio_bp", r.ratio_bp}});
  return {{"id", p.id},
          {"region_code", p.region_code},
          {"region_name", p.region_name},
          {"scheme", p.scheme},
          {"version", p.version},
          {"deductible_fen", p.deductible_fen},
          {"annual_cap_fen", p.annual_cap_fen},
          {"personal_account_pays", p.personal_account_pays},
          {"ratios", std::move(ratios)},
          {"demo", p.demo},
          {"created_at", p.created_at}};
}

json::object ItemJson(const Item& i) {
  return {{"code", i.code},
          {"name_zh", i.name_zh},
          {"name_en", i.name_en},
          {"item_class", i.item_class},
          {"b_selfpay_bp", i.b_selfpay_bp}};
}

// The key and a hash of what it came with (the route's path and the body as sent).
Idem IdemOf(const Request& req) {
  return {req.Header("idempotency-key"), crypto::Sha256Hex(req.path + "\n" + req.body)};
}

Result<std::pair<bool, bool>> ReadPayChoice(const Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return body.error();
  http::FieldReader r(*body);
  const bool ins = r.Bool("use_insurance", true);
  const bool per = r.Bool("use_personal_account", true);
  if (auto st = r.Finish(); !st) return st.error();
  return std::pair<bool, bool>{ins, per};
}

json::object RowJson(const Reconciliation::Row& x) {
  json::object o{{"order_id", x.order_id},         {"at", x.at},
                 {"total_fen", x.total_fen},       {"fund_fen", x.fund_fen},
                 {"personal_fen", x.personal_fen}, {"cash_fen", x.cash_fen}};
  if (!x.receipt_number.empty()) o["receipt_number"] = x.receipt_number;
  if (x.refund_id) o["refund_id"] = x.refund_id;
  return o;
}

}  // namespace

http::Handler GetProfile(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto pid = http::QueryInt(req, "patient_id", 0, 0, kMaxId);
    if (!pid) return pid.error();
    auto p = svc.GetProfile(req.Actor(), *pid ? std::optional<std::int64_t>(*pid) : std::nullopt);
    if (!p) return p.error();
    return Reply::Json(ProfileJson(*p));
  };
}

http::Handler BindProfile(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const auto pid = r.OptInt("patient_id", 1, kMaxId);
    const std::string scheme = r.Enum("scheme", Schemes());
    const std::string region = r.String("region_code", {.min_chars = 6, .max_chars = 6});
    if (auto st = r.Finish(); !st) return st.error();
    auto p = svc.BindProfile(req.Actor(), pid, scheme, region);
    if (!p) return p.error();
    return Reply::Json(ProfileJson(*p));
  };
}

http::Handler CreateOrder(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::string kind = r.Enum("source_kind", svc.SourceKinds());  // the registered sources
    const std::int64_t id = r.Int("source_id", 1, kMaxId);
    if (auto st = r.Finish(); !st) return st.error();
    auto o = svc.CreateOrder(req.Actor(), kind, id, IdemOf(req));
    if (!o) return o.error();
    return Reply::Json(OrderJson(o->first, svc.clock().NowMs(), svc.provider().demo()), o->second ? 201 : 200);
  };
}

http::Handler Orders(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto kind = http::QueryString(req, "source_kind", 20);
    if (!kind) return kind.error();
    auto sid = http::QueryInt(req, "source_id", 0, 0, kMaxId);
    if (!sid) return sid.error();
    auto list = svc.Orders(req.Actor(), *kind, *sid ? std::optional<std::int64_t>(*sid) : std::nullopt);
    if (!list) return list.error();
    json::array a;
    const std::int64_t now = svc.clock().NowMs();
    for (const auto& o : *list) a.push_back(OrderJson(o, now, svc.provider().demo()));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler GetOrder(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto o = svc.GetOrder(req.Actor(), *id);
    if (!o) return o.error();
    return Reply::Json(OrderJson(*o, svc.clock().NowMs(), svc.provider().demo()));
  };
}

http::Handler PreSettle(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto choice = ReadPayChoice(req);
    if (!choice) return choice.error();
    auto s = svc.PreSettle(req.Actor(), *id, choice->first, choice->second);
    if (!s) return s.error();
    return Reply::Json(SplitJson(*s));
  };
}

http::Handler Pay(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto choice = ReadPayChoice(req);
    if (!choice) return choice.error();
    auto o = svc.Pay(req.Actor(), *id, choice->first, choice->second, IdemOf(req));
    if (!o) return o.error();
    return Reply::Json(OrderJson(*o, svc.clock().NowMs(), svc.provider().demo()));
  };
}

http::Handler Receipt(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto r = svc.GetReceipt(req.Actor(), *id);
    if (!r) return r.error();
    json::array items;
    for (const auto& l : r->order.lines)
      items.push_back({{"name", l.name}, {"item_class", l.item_class}, {"amount_fen", l.amount_fen}});
    const auto& s = r->order.settlement->split;
    return Reply::Json(json::object{{"number", r->number},
                                    {"issued_at", r->issued_at},
                                    {"payer_name", r->payer_name},
                                    {"patient_name", r->order.patient_name},
                                    {"title", r->order.title},
                                    {"items", std::move(items)},
                                    {"total_fen", s.total_fen},
                                    {"fund_fen", s.fund_fen},
                                    {"personal_fen", s.personal_fen},
                                    {"cash_fen", s.cash_fen},
                                    {"scheme", s.scheme},
                                    {"refunded_fen", r->order.refunded_fen},
                                    {"status", r->order.status}});
  };
}

http::Handler Notify(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    if (req.body.size() > 4096) return MakeError(Errc::invalid_argument, "bad_notification");
    if (auto st = svc.HandleNotification(req.body, req.Header("x-ihos-signature")); !st) return st.error();
    return Reply::Json(json::object{{"code", "SUCCESS"}});
  };
}

http::Handler Items(BillingService& svc) {
  return [&svc](Request&) -> Result<Reply> {
    auto items = svc.Items();
    if (!items) return items.error();
    json::array a;
    for (const auto& i : *items) a.push_back(ItemJson(i));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler UpdateItem(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    Item i;
    i.code = req.Param("code");
    i.item_class = r.Enum("item_class", ItemClasses());
    i.b_selfpay_bp = r.OptInt("b_selfpay_bp", 0, 10000).value_or(0);
    if (auto st = r.Finish(); !st) return st.error();
    auto out = svc.UpdateItem(req.Actor(), i);
    if (!out) return out.error();
    return Reply::Json(ItemJson(*out));
  };
}

http::Handler Policies(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto region = http::QueryString(req, "region_code", 6);
    if (!region) return region.error();
    auto scheme = http::QueryString(req, "scheme", 20);
    if (!scheme) return scheme.error();
    auto list = svc.Policies(*region, *scheme);
    if (!list) return list.error();
    json::array a;
    for (const auto& p : *list) a.push_back(PolicyJson(p));
    return Reply::Json(json::object{{"items", std::move(a)}});
  };
}

http::Handler AddPolicy(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    Policy p;
    p.region_code = r.String("region_code", {.min_chars = 6, .max_chars = 6});
    p.scheme = r.Enum("scheme", {"employee", "resident"});
    p.deductible_fen = r.Int("deductible_fen", 0, 100'000'000);
    p.annual_cap_fen = r.Int("annual_cap_fen", 0, kMaxFen);
    p.personal_account_pays = r.Bool("personal_account_pays", false);
    if (const json::array* ratios = r.OptArray("ratios", 20)) {
      for (std::size_t i = 0; i < ratios->size(); ++i) {
        const std::string at = "ratios[" + std::to_string(i) + "]";
        if (!(*ratios)[i].is_object()) {
          r.Fail(at, "wrong_type");
          continue;
        }
        http::FieldReader rr((*ratios)[i].get_object(), at + ".");
        Ratio x;
        x.grade = rr.Enum("grade", Grades());
        x.item_class = rr.Enum("item_class", {"A", "B"});
        x.ratio_bp = rr.Int("ratio_bp", 0, 10000);
        r.Absorb(rr);
        p.ratios.push_back(std::move(x));
      }
    } else {
      r.Fail("ratios", "required");
    }
    if (auto st = r.Finish(); !st) return st.error();
    auto out = svc.AddPolicy(req.Actor(), std::move(p));
    if (!out) return out.error();
    return Reply::Json(PolicyJson(*out), 201);
  };
}

http::Handler Refund(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto id = http::PathId(req, "id");
    if (!id) return id.error();
    auto body = http::ParseJsonBody(req);
    if (!body) return body.error();
    http::FieldReader r(*body);
    const std::int64_t amount = r.Int("amount_fen", 1, kMaxFen);
    const std::string reason = r.String("reason", {.min_chars = 1, .max_chars = 200});
    if (auto st = r.Finish(); !st) return st.error();
    auto o = svc.AdminRefund(req.Actor(), *id, amount, reason, IdemOf(req));
    if (!o) return o.error();
    return Reply::Json(OrderJson(*o, svc.clock().NowMs(), svc.provider().demo()));
  };
}

http::Handler Reconcile(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto region = http::QueryString(req, "region_code", 6);
    if (!region) return region.error();
    auto date = http::QueryString(req, "date", 10);
    if (!date) return date.error();
    auto rec = svc.Reconcile(req.Actor(), *region, *date);
    if (!rec) return rec.error();
    json::array s, f, m;
    for (const auto& x : rec->settlements) s.push_back(RowJson(x));
    for (const auto& x : rec->refunds) f.push_back(RowJson(x));
    for (const auto& x : rec->mismatches) m.push_back({{"order_id", x.order_id}, {"what", x.what}});
    return Reply::Json(json::object{{"region_code", rec->region_code},
                                    {"date", rec->date},
                                    {"settlements", std::move(s)},
                                    {"refunds", std::move(f)},
                                    {"totals",
                                     {{"settled_fund_fen", rec->settled_fund_fen},
                                      {"refunded_fund_fen", rec->refunded_fund_fen},
                                      {"net_fund_fen", rec->settled_fund_fen - rec->refunded_fund_fen}}},
                                    {"ledger_fund_fen", rec->ledger_fund_fen},
                                    {"mismatches", std::move(m)},
                                    {"balanced", rec->balanced}});
  };
}

http::Handler LedgerCheck(BillingService& svc) {
  return [&svc](Request& req) -> Result<Reply> {
    auto c = svc.CheckLedger(req.Actor());
    if (!c) return c.error();
    json::array b;
    for (const auto& x : c->balances) b.push_back({{"account", x.account}, {"balance_fen", x.balance_fen}});
    return Reply::Json(
        json::object{{"transactions", c->transactions}, {"unbalanced", c->unbalanced}, {"balances", std::move(b)}});
  };
}

namespace {
json::object TradeJson(const repo::demo::Trade& t) {
  return {{"out_trade_no", t.out_trade_no},
          {"merchant", "ihos 互联网医院"},
          {"subject", t.subject},
          {"amount_fen", t.amount_fen},
          {"status", t.status},
          {"demo", true}};
}
}  // namespace

http::Handler DemoGet(DemoProvider& demo) {
  return [&demo](Request& req) -> Result<Reply> {
    auto t = demo.Get(req.Actor(), req.Param("out_trade_no"));
    if (!t) return t.error();
    return Reply::Json(TradeJson(*t));
  };
}

http::Handler DemoConfirm(DemoProvider& demo) {
  return [&demo](Request& req) -> Result<Reply> {
    auto t = demo.Confirm(req.Actor(), req.Param("out_trade_no"));
    if (!t) return t.error();
    return Reply::Json(TradeJson(*t));
  };
}

http::Handler DemoResend(DemoProvider& demo) {
  return [&demo](Request& req) -> Result<Reply> {
    if (auto st = demo.Resend(req.Actor(), req.Param("out_trade_no")); !st) return st.error();
    return Reply::Json(json::object{{"sent", true}});
  };
}

}  // namespace ihos::domain::billing::api
