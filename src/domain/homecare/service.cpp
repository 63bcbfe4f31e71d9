#include "domain/homecare/service.hpp"

#include <algorithm>

#include "core/mask.hpp"
#include "core/regions.hpp"
#include "domain/audit/audit.hpp"
#include "domain/scheduling/repository.hpp"
#include "domain/scheduling/rules.hpp"

namespace ihos::domain::homecare {
namespace json = boost::json;
using store::Tx;
using store::TxMode;
using scheduling::AddDays;
using scheduling::CstMs;
using scheduling::CstTimeOfDay;
using scheduling::ParseHhmm;

namespace {

constexpr int kOrderAheadDays = 30;
constexpr std::size_t kMaxAreas = 20;

Error Conflict(const char* code, std::string detail = {}) { return MakeError(Errc::conflict, code, std::move(detail)); }

// o.*, then service names, patient name, nurse name.
constexpr char kOrderSelect[] =
    "SELECT o.id, o.patient_id, o.booked_by, o.service_code, o.price_fen, o.region_code, o.address, o.contact_phone, "
    "o.window_start, o.window_end, o.note, o.status, o.nurse_id, o.service_note, o.cancel_reason, o.created_at, "
    "o.updated_at, v.kind, v.name_zh, v.name_en, v.demo, p.real_name, n.real_name "
    "FROM homecare_orders o JOIN homecare_services v ON v.code = o.service_code JOIN users p ON p.id = o.patient_id "
    "LEFT JOIN users n ON n.id = o.nurse_id ";

enum class View { patient, nurse_open, nurse_assigned };

json::object OrderJson(const store::Row& r, View view) {
  const bool open = view == View::nurse_open;
  json::object o{{"id", r.Int(0)},
                 {"patient_id", r.Int(1)},
                 {"patient_name", view == View::patient ? r.Text(21) : MaskName(r.Text(21))},
                 {"booked_by", r.Int(2)},
                 {"service_code", r.Text(3)},
                 {"service_kind", r.Text(17)},
                 {"service_name_zh", r.Text(18)},
                 {"service_name_en", r.Text(19)},
                 {"price_fen", r.Int(4)},
                 {"price_demo", r.Int(20) == 1},
                 {"region_code", r.Text(5)},
                 {"region_name", RegionPath(r.Text(5))},
                 // The street address and phone only to the patient and the nurse who accepted.
                 {"address", open ? "" : r.Text(6)},
                 {"contact_phone", open ? "" : r.Text(7)},
                 {"date", CivilDateCst(r.Int(8))},
                 {"window_start", r.Int(8)},
                 {"window_end", r.Int(9)},
                 {"window", CstTimeOfDay(r.Int(8)) + "–" + CstTimeOfDay(r.Int(9))},
                 {"note", r.Text(10)},
                 {"status", r.Text(11)},
                 {"nurse_id", r.IsNull(12) ? json::value(nullptr) : json::value(r.Int(12))},
                 {"nurse_name", r.IsNull(22) ? json::value(nullptr) : json::value(r.Text(22))},
                 {"service_note", r.Text(13)},
                 {"cancel_reason", r.Text(14)},
                 {"created_at", r.Int(15)},
                 {"updated_at", r.Int(16)}};
  if (view == View::patient) {
    const std::string s = r.Text(11);
    o["can_cancel"] = s == "requested" || s == "accepted";
    o["cancel_needs_reason"] = s == "accepted";
  }
  return o;
}

Result<std::optional<store::Row>> FindOrder(Tx& tx, std::int64_t id) {
  auto rows = tx.Query(std::string(kOrderSelect) + "WHERE o.id = $1", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<store::Row>{};
  return std::optional<store::Row>{std::move(rows->front())};
}

Result<json::array> Events(Tx& tx, std::int64_t order_id) {
  auto rows = tx.Query("SELECT status, actor_role, note, at FROM homecare_events WHERE order_id = $1 ORDER BY id",
                       {order_id});
  if (!rows) return rows.error();
  json::array a;
  for (const auto& r : *rows)
    a.push_back(json::object{{"status", r.Text(0)}, {"actor_role", r.Text(1)}, {"note", r.Text(2)}, {"at", r.Int(3)}});
  return a;
}

Result<json::object> WithEvents(Tx& tx, const store::Row& r, View view) {
  auto o = OrderJson(r, view);
  auto ev = Events(tx, r.Int(0));
  if (!ev) return ev.error();
  o["events"] = std::move(*ev);
  return o;
}

// True when `region` lies under one of the nurse's area codes.
bool Covers(const std::vector<std::string>& areas, const std::string& region) {
  for (const auto& a : areas) {
    const Region* r = FindRegion(a);
    const std::size_t n = !r ? 6 : r->level == "province" ? 2 : r->level == "city" ? 4 : 6;
    if (region.compare(0, n, a, 0, n) == 0) return true;
  }
  return false;
}

Result<std::vector<std::string>> LoadAreas(Tx& tx, std::int64_t nurse) {
  auto rows = tx.Query("SELECT region_code FROM homecare_nurse_areas WHERE user_id = $1 ORDER BY region_code", {nurse});
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.Text(0));
  return out;
}

struct Wording {
  const char *title_zh, *title_en, *body_zh, *body_en;
};

Wording WordingOf(const std::string& status) {
  if (status == "accepted") return {"护士已接单", "A nurse accepted your order", "已接单，将按预约时间上门", "was accepted"};
  if (status == "arrived") return {"护士已到达", "The nurse has arrived", "护士已到达服务地址", "the nurse has arrived"};
  if (status == "completed") return {"服务已完成", "Service completed", "服务已完成", "was completed"};
  if (status == "cancelled") return {"订单已取消", "Order cancelled", "已取消", "was cancelled"};
  return {"已提交预约", "Order placed", "已提交，等待护士接单", "was placed and waits for a nurse"};
}

// The timeline event, the audit entry and the notification of one status change.
Status Record(Tx& tx, const store::Row& order, const std::string& status, const Principal& actor,
              const std::string& note, const RequestMeta& meta, std::int64_t now) {
  const std::string role = actor.user_id == order.Int(1) || actor.user_id == order.Int(2)
                               ? (actor.user_id == order.Int(1) ? "patient" : "guardian")
                               : "nurse";
  auto ev = tx.Exec(
      "INSERT INTO homecare_events (order_id, status, actor_id, actor_role, note, at) VALUES ($1, $2, $3, $4, $5, $6)",
      {order.Int(0), status, actor.user_id, role, note, now});
  if (!ev) return ev.error();
  if (auto st = audit::Append(tx, audit::Entry{now, actor.user_id, actor.AuditRole(), "homecare." + status,
                                               order.Int(1), "ServiceRequest", std::to_string(order.Int(0)), note,
                                               meta.request_id});
      !st)
    return st;
  const Wording w = WordingOf(status);
  const std::string when = CivilDateCst(order.Int(8)) + " " + CstTimeOfDay(order.Int(8)) + "–" + CstTimeOfDay(order.Int(9));
  std::string body_zh = "您的" + order.Text(18) + "（" + when + "）" + w.body_zh + "。";
  std::string body_en = "Your " + order.Text(19) + " (" + when + " CST) " + w.body_en + ".";
  if (!note.empty()) {
    body_zh += "说明：" + note;
    body_en += " Note: " + note;
  }
  std::vector<std::int64_t> users{order.Int(2)};
  if (order.Int(1) != order.Int(2)) users.push_back(order.Int(1));
  for (auto u : users) {
    if (u == actor.user_id && status == "requested") continue;  // no notice of one's own order
    auto id = scheduling::repo::InsertNotification(
        tx, scheduling::Notification{0, u, "homecare_" + status, w.title_zh, w.title_en, body_zh, body_en, std::nullopt,
                                     now, std::nullopt});
    if (!id) return id.error();
  }
  return {};
}

bool IsPhone(const std::string& s) {
  return s.size() == 11 && s[0] == '1' && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

HomeCareService::HomeCareService(store::Database& db, const Clock& clock, accounts::AccountService& accounts)
    : db_(db), clock_(clock), accounts_(accounts) {}

Result<json::object> HomeCareService::Services() {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(
        "SELECT code, kind, name_zh, name_en, price_fen, duration_minutes, demo FROM homecare_services WHERE active = 1 "
        "ORDER BY sort_order, code");
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows)
      a.push_back(json::object{{"code", r.Text(0)},
                               {"kind", r.Text(1)},
                               {"name_zh", r.Text(2)},
                               {"name_en", r.Text(3)},
                               {"price_fen", r.Int(4)},
                               {"duration_minutes", r.Int(5)},
                               {"demo", r.Int(6) == 1}});
    return json::object{{"items", std::move(a)}};
  });
}

Result<json::object> HomeCareService::SetPrice(const Principal&, const std::string& code, std::int64_t price_fen,
                                               bool active) {
  if (price_fen < 0 || price_fen > 10'000'000) return ValidationFailed({{"price_fen", "out_of_range"}});
  return db_.With<json::object>(TxMode::write, [&](Tx& tx) -> Result<json::object> {
    auto n = tx.Exec("UPDATE homecare_services SET price_fen = $2, active = $3, demo = 0 WHERE code = $1",
                     {code, price_fen, std::int64_t{active ? 1 : 0}});
    if (!n) return n.error();
    if (*n == 0) return MakeError(Errc::not_found, "not_found");
    return json::object{{"code", code}, {"price_fen", price_fen}, {"active", active}, {"demo", false}};
  });
}

Result<json::object> HomeCareService::Order(const Principal& actor, const OrderInput& in, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  const std::string today = CivilDateCst(now);
  std::vector<FieldError> errs;
  if (!FindRegion(in.region_code)) errs.push_back({"region_code", "region_unknown"});
  if (in.address.empty()) errs.push_back({"address", "required"});
  if (!in.contact_phone.empty() && !IsPhone(in.contact_phone)) errs.push_back({"contact_phone", "phone_format"});
  auto start = ParseHhmm(in.start_time, false);
  auto end = ParseHhmm(in.end_time, true);
  if (!IsValidIsoDate(in.date)) errs.push_back({"date", "invalid_date"});
  else if (in.date < today || in.date >= AddDays(today, kOrderAheadDays)) errs.push_back({"date", "out_of_range"});
  if (!start) errs.push_back({"start_time", "time_format"});
  if (!end) errs.push_back({"end_time", "time_format"});
  if (start && end && *end <= *start) errs.push_back({"end_time", "end_before_start"});
  if (errs.empty() && CstMs(in.date, *start) <= now) errs.push_back({"start_time", "window_past"});
  const std::int64_t patient = in.patient_id.value_or(actor.user_id);
  auto id = db_.With<std::int64_t>(TxMode::write, [&](Tx& tx) -> Result<std::int64_t> {
    auto svc = tx.Query("SELECT price_fen FROM homecare_services WHERE code = $1 AND active = 1", {in.service_code});
    if (!svc) return svc.error();
    if (svc->empty()) errs.push_back({"service_code", "unknown_service"});
    if (!errs.empty()) return ValidationFailed(errs);
    auto can = accounts_.CanActFor(tx, actor, patient);
    if (!can) return can.error();
    if (!*can) return MakeError(Errc::not_found, "not_found");
    if (auto st = tx.LockChain("homecare:patient:" + std::to_string(patient)); !st) return st.error();
    const std::int64_t day = *CstMidnightMs(in.date);
    auto dup = tx.Query(
        "SELECT id FROM homecare_orders WHERE patient_id = $1 AND service_code = $2 AND window_start >= $3 AND "
        "window_start < $4 AND status IN ('requested', 'accepted', 'arrived')",
        {patient, in.service_code, day, day + 24LL * 3600 * 1000});
    if (!dup) return dup.error();
    if (!dup->empty()) return Conflict("homecare_duplicate", in.date);
    std::string phone = in.contact_phone;
    if (phone.empty()) {
      auto p = tx.Query("SELECT phone FROM users WHERE id = $1", {actor.user_id});
      if (!p) return p.error();
      if (!p->empty()) phone = p->front().Text(0);
    }
    auto rows = tx.Query(
        "INSERT INTO homecare_orders (patient_id, booked_by, service_code, price_fen, region_code, address, "
        "contact_phone, window_start, window_end, note, status, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'requested', $11, $11) RETURNING id",
        {patient, actor.user_id, in.service_code, svc->front().Int(0), in.region_code, in.address, phone,
         CstMs(in.date, *start), CstMs(in.date, *end), in.note, now});
    if (!rows) return rows.error();
    const std::int64_t id = rows->front().Int(0);
    auto o = FindOrder(tx, id);
    if (!o) return o.error();
    if (auto st = Record(tx, **o, "requested", actor, "", meta, now); !st) return st.error();
    return id;
  });
  if (!id) return id.error();
  return Get(actor, *id, meta);
}

Result<json::object> HomeCareService::MyOrders(const Principal& actor) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(std::string(kOrderSelect) +
                             "WHERE o.patient_id = $1 OR o.booked_by = $1 OR o.patient_id IN "
                             "(SELECT ward_id FROM guardianships WHERE guardian_id = $1) "
                             "ORDER BY o.window_start DESC, o.id DESC LIMIT 100",
                         {actor.user_id});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows) {
      auto o = WithEvents(tx, r, View::patient);
      if (!o) return o.error();
      a.push_back(std::move(*o));
    }
    return json::object{{"items", std::move(a)}};
  });
}

Result<json::object> HomeCareService::Get(const Principal& actor, std::int64_t id, const RequestMeta&) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto o = FindOrder(tx, id);
    if (!o) return o.error();
    if (!*o) return MakeError(Errc::not_found, "not_found");
    const store::Row& r = **o;
    if (!r.IsNull(12) && r.Int(12) == actor.user_id) return WithEvents(tx, r, View::nurse_assigned);
    if (r.Int(2) != actor.user_id) {
      auto can = accounts_.CanActFor(tx, actor, r.Int(1));
      if (!can) return can.error();
      if (!*can) return MakeError(Errc::not_found, "not_found");
    }
    return WithEvents(tx, r, View::patient);
  });
}

Result<json::object> HomeCareService::Cancel(const Principal& actor, std::int64_t id, const std::string& reason,
                                             const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto done = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto o = FindOrder(tx, id);
    if (!o) return o.error();
    if (!*o) return MakeError(Errc::not_found, "not_found");
    const store::Row& r = **o;
    if (r.Int(2) != actor.user_id) {
      auto can = accounts_.CanActFor(tx, actor, r.Int(1));
      if (!can) return can.error();
      if (!*can) return MakeError(Errc::not_found, "not_found");
    }
    const std::string status = r.Text(11);
    if (status != "requested" && status != "accepted") return Conflict("homecare_not_cancellable", status);
    if (status == "accepted" && reason.empty()) return ValidationFailed({{"reason", "required"}});
    auto n = tx.Exec(
        "UPDATE homecare_orders SET status = 'cancelled', cancel_reason = $3, updated_at = $4 WHERE id = $1 AND "
        "status = $2",
        {id, status, reason, now});
    if (!n) return n.error();
    if (*n == 0) return Conflict("homecare_not_cancellable");
    return Record(tx, r, "cancelled", actor, reason, meta, now);
  });
  if (!done) return done.error();
  return Get(actor, id, meta);
}

Result<json::object> HomeCareService::Areas(const Principal& nurse) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto areas = LoadAreas(tx, nurse.user_id);
    if (!areas) return areas.error();
    json::array a;
    for (const auto& c : *areas) a.push_back(json::object{{"region_code", c}, {"region_name", RegionPath(c)}});
    return json::object{{"items", std::move(a)}};
  });
}

Result<json::object> HomeCareService::SetAreas(const Principal& nurse, const std::vector<std::string>& codes) {
  std::vector<FieldError> errs;
  if (codes.empty()) errs.push_back({"region_codes", "required"});
  if (codes.size() > kMaxAreas) errs.push_back({"region_codes", "too_many_items"});
  for (std::size_t i = 0; i < codes.size(); ++i)
    if (!FindRegion(codes[i])) errs.push_back({"region_codes[" + std::to_string(i) + "]", "region_unknown"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  auto st = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto del = tx.Exec("DELETE FROM homecare_nurse_areas WHERE user_id = $1", {nurse.user_id});
    if (!del) return del.error();
    for (const auto& c : codes) {
      auto ins = tx.Exec("INSERT INTO homecare_nurse_areas (user_id, region_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                         {nurse.user_id, c});
      if (!ins) return ins.error();
    }
    return {};
  });
  if (!st) return st.error();
  return Areas(nurse);
}

Result<json::object> HomeCareService::NurseBoard(const Principal& nurse) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto areas = LoadAreas(tx, nurse.user_id);
    if (!areas) return areas.error();
    json::array open, mine, areas_json;
    for (const auto& c : *areas) areas_json.push_back(json::object{{"region_code", c}, {"region_name", RegionPath(c)}});
    if (!areas->empty()) {
      auto rows = tx.Query(std::string(kOrderSelect) +
                               "WHERE o.status = 'requested' AND o.window_end > $1 AND o.patient_id <> $2 "
                               "ORDER BY o.window_start, o.id LIMIT 500",
                           {now, nurse.user_id});
      if (!rows) return rows.error();
      for (const auto& r : *rows)
        if (Covers(*areas, r.Text(5))) open.push_back(OrderJson(r, View::nurse_open));
    }
    auto rows = tx.Query(std::string(kOrderSelect) +
                             "WHERE o.nurse_id = $1 AND (o.status IN ('accepted', 'arrived') OR o.updated_at > $2) "
                             "ORDER BY o.window_start, o.id LIMIT 200",
                         {nurse.user_id, now - 7LL * 24 * 3600 * 1000});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      auto o = WithEvents(tx, r, View::nurse_assigned);
      if (!o) return o.error();
      mine.push_back(std::move(*o));
    }
    return json::object{{"areas", std::move(areas_json)}, {"open", std::move(open)}, {"mine", std::move(mine)}};
  });
}

Result<json::object> HomeCareService::Accept(const Principal& nurse, std::int64_t id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto st = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto o = FindOrder(tx, id);
    if (!o) return o.error();
    if (!*o) return MakeError(Errc::not_found, "not_found");
    const store::Row& r = **o;
    if (r.Int(1) == nurse.user_id || r.Int(2) == nurse.user_id) return Conflict("homecare_own_order");
    auto areas = LoadAreas(tx, nurse.user_id);
    if (!areas) return areas.error();
    if (!Covers(*areas, r.Text(5))) return Conflict("homecare_outside_area", r.Text(5));
    // Two nurses racing for one order: the conditional update lets exactly one win.
    auto n = tx.Exec(
        "UPDATE homecare_orders SET status = 'accepted', nurse_id = $2, updated_at = $3 WHERE id = $1 AND "
        "status = 'requested'",
        {id, nurse.user_id, now});
    if (!n) return n.error();
    if (*n == 0)
      return Conflict(r.Text(11) == "cancelled" ? "homecare_wrong_status" : "homecare_already_taken", r.Text(11));
    return Record(tx, r, "accepted", nurse, "", meta, now);
  });
  if (!st) return st.error();
  return Get(nurse, id, meta);
}

Result<json::object> HomeCareService::Transition(const Principal& nurse, std::int64_t id,
                                                 const std::vector<std::string>& from, const std::string& to,
                                                 const std::string& note, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto st = db_.Transact(TxMode::write, [&](Tx& tx) -> Status {
    auto o = FindOrder(tx, id);
    if (!o) return o.error();
    // Only the nurse who accepted it sees the order here; to anyone else it does not exist.
    if (!*o || (*o)->IsNull(12) || (*o)->Int(12) != nurse.user_id) return MakeError(Errc::not_found, "not_found");
    const store::Row& r = **o;
    if (std::find(from.begin(), from.end(), r.Text(11)) == from.end())
      return Conflict("homecare_wrong_status", r.Text(11));
    auto n = tx.Exec(
        "UPDATE homecare_orders SET status = $2, service_note = CASE WHEN $3 = '' THEN service_note ELSE $3 END, "
        "updated_at = $4 WHERE id = $1 AND status = $5 AND nurse_id = $6",
        {id, to, note, now, r.Text(11), nurse.user_id});
    if (!n) return n.error();
    if (*n == 0) return Conflict("homecare_wrong_status");
    return Record(tx, r, to, nurse, note, meta, now);
  });
  if (!st) return st.error();
  return Get(nurse, id, meta);
}

Result<json::object> HomeCareService::Arrive(const Principal& nurse, std::int64_t id, const RequestMeta& meta) {
  return Transition(nurse, id, {"accepted"}, "arrived", "", meta);
}

Result<json::object> HomeCareService::Complete(const Principal& nurse, std::int64_t id, const std::string& service_note,
                                               const RequestMeta& meta) {
  if (service_note.empty()) return ValidationFailed({{"service_note", "required"}});
  return Transition(nurse, id, {"arrived"}, "completed", service_note, meta);
}

}  // namespace ihos::domain::homecare
