#include "domain/nattest/service.hpp"

#include <algorithm>
#include <cstdio>

#include "core/mask.hpp"
#include "core/regions.hpp"
#include "domain/audit/audit.hpp"
#include "domain/scheduling/repository.hpp"
#include "domain/scheduling/rules.hpp"

namespace ihos::domain::nattest {
namespace json = boost::json;
using store::Tx;
using store::TxMode;
using scheduling::AddDays;
using scheduling::CstMs;
using scheduling::CstTimeOfDay;
using scheduling::ParseHhmm;

namespace {

constexpr int kBookAheadDays = 14;      // how far ahead a test may be booked
constexpr int kSlotPlanMaxDays = 31;    // one slot plan covers at most a month

Error Conflict(const char* code, std::string detail = {}) { return MakeError(Errc::conflict, code, std::move(detail)); }

audit::Entry Audit(const Principal& actor, std::int64_t now, std::string action, std::int64_t patient,
                   std::int64_t booking_id, std::string reason, const RequestMeta& meta) {
  return audit::Entry{now, actor.user_id, actor.AuditRole(), std::move(action), patient, "ServiceRequest",
                      std::to_string(booking_id), std::move(reason), meta.request_id};
}

// A region code and its prefix for "under this region": 110000 -> 11, 110100 -> 1101.
std::string RegionPrefix(const std::string& code) {
  const Region* r = FindRegion(code);
  if (!r) return code;
  if (r->level == "province") return code.substr(0, 2);
  if (r->level == "city") return code.substr(0, 4);
  return code;
}

json::value OptInt(const store::Row& r, std::size_t i) {
  return r.IsNull(i) ? json::value(nullptr) : json::value(r.Int(i));
}
json::value OptText(const store::Row& r, std::size_t i) {
  return r.IsNull(i) ? json::value(nullptr) : json::value(r.Text(i));
}

// "08:00–09:00"; a window ending at the next midnight reads "23:00–24:00".
std::string WindowText(std::int64_t start, std::int64_t end) {
  std::string e = CstTimeOfDay(end);
  if (e == "00:00" && end > start) e = "24:00";
  return CstTimeOfDay(start) + "–" + e;
}

constexpr char kBookingCols[] =
    "b.id, b.patient_id, b.booked_by, b.mode, b.site_id, b.slot_id, b.region_code, b.address, b.on_date, "
    "b.window_start, b.window_end, b.status, b.accepted_at, b.sample_no, b.collected_at, b.result, b.reported_at, "
    "b.cancel_reason, b.cancelled_at, b.created_at, s.name, s.address, u.real_name, b.cancelled_by, b.accepted_by";
constexpr char kBookingFrom[] =
    " FROM nat_bookings b LEFT JOIN nat_sites s ON s.id = b.site_id JOIN users u ON u.id = b.patient_id ";

// `full`: the patient's own view (name in full); staff see the name masked.
json::object BookingJson(const store::Row& r, bool full) {
  const std::string region = r.Text(6);
  json::object o{{"id", r.Int(0)},
                 {"patient_id", r.Int(1)},
                 {"patient_name", full ? r.Text(22) : MaskName(r.Text(22))},
                 {"booked_by", r.Int(2)},
                 {"mode", r.Text(3)},
                 {"site_id", OptInt(r, 4)},
                 {"site_name", OptText(r, 20)},
                 {"site_address", OptText(r, 21)},
                 {"slot_id", OptInt(r, 5)},
                 {"region_code", OptText(r, 6)},
                 {"region_name", region.empty() ? json::value(nullptr) : json::value(RegionPath(region))},
                 {"address", r.Text(7)},
                 {"date", r.Text(8)},
                 {"window_start", r.Int(9)},
                 {"window_end", r.Int(10)},
                 {"window", WindowText(r.Int(9), r.Int(10))},
                 {"status", r.Text(11)},
                 {"accepted_at", OptInt(r, 12)},
                 {"accepted_by", OptInt(r, 24)},
                 {"sample_no", OptText(r, 13)},
                 {"collected_at", OptInt(r, 14)},
                 {"result", OptText(r, 15)},
                 {"reported_at", OptInt(r, 16)},
                 {"cancel_reason", r.Text(17)},
                 {"cancelled_by", OptText(r, 23)},
                 {"cancelled_at", OptInt(r, 18)},
                 {"created_at", r.Int(19)}};
  return o;
}

Result<std::optional<store::Row>> FindBooking(Tx& tx, const std::string& where, const store::Params& params) {
  auto rows = tx.Query(std::string("SELECT ") + kBookingCols + kBookingFrom + "WHERE " + where, params);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<store::Row>{};
  return std::optional<store::Row>{std::move(rows->front())};
}

// Tells the patient (and the booker, when a guardian booked) in both languages.
Status Notify(Tx& tx, std::int64_t patient, std::int64_t booked_by, const std::string& kind, const std::string& title_zh,
              const std::string& title_en, const std::string& body_zh, const std::string& body_en, std::int64_t now) {
  std::vector<std::int64_t> users{booked_by};
  if (patient != booked_by) users.push_back(patient);
  for (auto u : users) {
    auto id = scheduling::repo::InsertNotification(
        tx, scheduling::Notification{0, u, kind, title_zh, title_en, body_zh, body_en, std::nullopt, now, std::nullopt});
    if (!id) return id.error();
  }
  return {};
}

int Mod11_10(const std::string& digits) {
  int p = 10;
  for (char c : digits) {
    int s = (p + (c - '0')) % 10;
    if (s == 0) s = 10;
    p = (2 * s) % 11;
  }
  return (11 - p) % 10;
}

}  // namespace

std::string SampleNumber(const std::string& date, std::int64_t booking_id) {
  char id[32];
  std::snprintf(id, sizeof id, "%07lld", static_cast<long long>(booking_id));
  std::string digits = date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2) + id;
  return "N" + digits + static_cast<char>('0' + Mod11_10(digits));
}

bool IsSampleNumber(const std::string& s) {
  if (s.size() < 17 || s.size() > 24 || s[0] != 'N') return false;
  if (!std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  return Mod11_10(s.substr(1, s.size() - 2)) == s.back() - '0';
}

NatTestService::NatTestService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                               healthcode::HealthCodeService& healthcode)
    : db_(db), clock_(clock), accounts_(accounts), healthcode_(healthcode) {}

// ---------------------------------------------------------------- sites and slots

Result<json::object> NatTestService::AddSite(const Principal& actor, const SiteInput& in, bool demo) {
  std::vector<FieldError> errs;
  if (in.name.empty()) errs.push_back({"name", "required"});
  if (in.kind != "hospital" && in.kind != "sampling_point") errs.push_back({"kind", "invalid_value"});
  if (!FindRegion(in.region_code)) errs.push_back({"region_code", "region_unknown"});
  if (in.address.empty()) errs.push_back({"address", "required"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return db_.With<json::object>(TxMode::write, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(
        "INSERT INTO nat_sites (name, kind, region_code, address, opening_hours, created_by, created_at, demo) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        {in.name, in.kind, in.region_code, in.address, in.opening_hours,
         actor.user_id ? store::Value(actor.user_id) : store::Value(nullptr), clock_.NowMs(),
         std::int64_t{demo ? 1 : 0}});
    if (!rows) return rows.error();
    return json::object{{"id", rows->front().Int(0)},
                        {"name", in.name},
                        {"kind", in.kind},
                        {"region_code", in.region_code},
                        {"region_name", RegionPath(in.region_code)},
                        {"address", in.address},
                        {"opening_hours", in.opening_hours},
                        {"demo", demo}};
  });
}

Result<json::object> NatTestService::Sites(const std::string& region) {
  if (!region.empty() && !FindRegion(region)) return ValidationFailed({{"region", "region_unknown"}});
  const std::string today = CivilDateCst(clock_.NowMs());
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    // Free places from now to the booking horizon, so the list shows where a test can be had.
    auto rows = tx.Query(
        "SELECT s.id, s.name, s.kind, s.region_code, s.address, s.opening_hours, s.demo, "
        "(SELECT COALESCE(SUM(t.capacity - t.booked), 0) FROM nat_slots t WHERE t.site_id = s.id AND t.end_at > $2 "
        "AND t.on_date < $3) "
        "FROM nat_sites s WHERE s.active = 1 AND ($1 = '' OR s.region_code LIKE $4) ORDER BY s.region_code, s.id",
        {region, clock_.NowMs(), AddDays(today, kBookAheadDays), RegionPrefix(region) + "%"});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows)
      a.push_back(json::object{{"id", r.Int(0)},
                               {"name", r.Text(1)},
                               {"kind", r.Text(2)},
                               {"region_code", r.Text(3)},
                               {"region_name", RegionPath(r.Text(3))},
                               {"address", r.Text(4)},
                               {"opening_hours", r.Text(5)},
                               {"demo", r.Int(6) == 1},
                               {"free_places", r.Int(7)}});
    return json::object{{"items", std::move(a)}};
  });
}

Result<json::object> NatTestService::AddSlots(std::int64_t site_id, const SlotPlan& plan) {
  const std::string today = CivilDateCst(clock_.NowMs());
  std::vector<FieldError> errs;
  if (!IsValidIsoDate(plan.from_date)) errs.push_back({"from_date", "invalid_date"});
  else if (plan.from_date < today) errs.push_back({"from_date", "date_past"});
  if (plan.days < 1 || plan.days > kSlotPlanMaxDays) errs.push_back({"days", "out_of_range"});
  auto start = ParseHhmm(plan.start_time, false);
  auto end = ParseHhmm(plan.end_time, true);
  if (!start) errs.push_back({"start_time", "time_format"});
  if (!end) errs.push_back({"end_time", "time_format"});
  if (start && end && *end <= *start) errs.push_back({"end_time", "end_before_start"});
  if (plan.window_minutes < 10 || plan.window_minutes > 240) errs.push_back({"window_minutes", "out_of_range"});
  if (plan.capacity < 1 || plan.capacity > 10000) errs.push_back({"capacity", "out_of_range"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return db_.With<json::object>(TxMode::write, [&](Tx& tx) -> Result<json::object> {
    auto site = tx.Query("SELECT id FROM nat_sites WHERE id = $1 AND active = 1", {site_id});
    if (!site) return site.error();
    if (site->empty()) return MakeError(Errc::not_found, "not_found");
    std::int64_t created = 0, kept = 0;
    for (int d = 0; d < plan.days; ++d) {
      const std::string date = AddDays(plan.from_date, d);
      for (int m = *start; m + plan.window_minutes <= *end; m += plan.window_minutes) {
        auto n = tx.Exec(
            "INSERT INTO nat_slots (site_id, on_date, start_at, end_at, capacity) VALUES ($1, $2, $3, $4, $5) "
            "ON CONFLICT (site_id, start_at) DO NOTHING",
            {site_id, date, CstMs(date, m), CstMs(date, m + plan.window_minutes), std::int64_t{plan.capacity}});
        if (!n) return n.error();
        (*n > 0 ? created : kept) += 1;
      }
    }
    if (created + kept == 0) return ValidationFailed({{"window_minutes", "window_longer_than_hours"}});
    return json::object{{"created", created}, {"existing", kept}};
  });
}

Result<json::object> NatTestService::SiteSlots(std::int64_t site_id, const std::string& date) {
  if (!IsValidIsoDate(date)) return ValidationFailed({{"date", "invalid_date"}});
  const std::int64_t now = clock_.NowMs();
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto site = tx.Query("SELECT name FROM nat_sites WHERE id = $1 AND active = 1", {site_id});
    if (!site) return site.error();
    if (site->empty()) return MakeError(Errc::not_found, "not_found");
    auto rows = tx.Query(
        "SELECT id, start_at, end_at, capacity, booked FROM nat_slots WHERE site_id = $1 AND on_date = $2 "
        "ORDER BY start_at",
        {site_id, date});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows) {
      const std::int64_t free = r.Int(3) - r.Int(4);
      a.push_back(json::object{{"id", r.Int(0)},
                               {"start_at", r.Int(1)},
                               {"end_at", r.Int(2)},
                               {"window", WindowText(r.Int(1), r.Int(2))},
                               {"capacity", r.Int(3)},
                               {"free", free},
                               {"bookable", free > 0 && r.Int(2) > now}});
    }
    return json::object{{"site_id", site_id}, {"date", date}, {"items", std::move(a)}};
  });
}

// ---------------------------------------------------------------- booking

Result<json::object> NatTestService::Book(const Principal& actor, std::int64_t patient, const RequestMeta& meta,
                                          const std::function<Result<json::object>(Tx&)>& insert,
                                          const std::string& on_date) {
  const std::int64_t now = clock_.NowMs();
  auto id = db_.With<std::int64_t>(TxMode::write, [&](Tx& tx) -> Result<std::int64_t> {
    auto can = accounts_.CanActFor(tx, actor, patient);
    if (!can) return can.error();
    if (!*can) return MakeError(Errc::not_found, "not_found");
    // One live booking per person per day: the check and the insert are serialised per person
    // (the partial unique index nat_bookings_one_a_day is the backstop).
    if (auto st = tx.LockChain("nat:patient:" + std::to_string(patient)); !st) return st.error();
    auto dup = tx.Query("SELECT id FROM nat_bookings WHERE patient_id = $1 AND on_date = $2 AND status <> 'cancelled'",
                        {patient, on_date});
    if (!dup) return dup.error();
    if (!dup->empty()) return Conflict("nat_booking_exists_today", on_date);
    auto made = insert(tx);
    if (!made) return made.error();
    const std::int64_t id = made->at("id").as_int64();
    auto up = tx.Exec("UPDATE nat_bookings SET sample_no = $2 WHERE id = $1", {id, SampleNumber(on_date, id)});
    if (!up) return up.error();
    if (patient != actor.user_id)
      if (auto st = audit::Append(tx, Audit(actor, now, "nat.booking.create", patient, id, "guardian", meta)); !st)
        return st.error();
    return id;
  });
  if (!id) return id.error();
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto b = FindBooking(tx, "b.id = $1", {*id});
    if (!b) return b.error();
    return BookingJson(**b, true);
  });
}

Result<json::object> NatTestService::BookSlot(const Principal& actor, std::int64_t slot_id,
                                              std::optional<std::int64_t> patient_id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  const std::int64_t patient = patient_id.value_or(actor.user_id);
  auto slot = db_.With<store::Row>(TxMode::read, [&](Tx& tx) -> Result<store::Row> {
    auto rows = tx.Query(
        "SELECT t.id, t.site_id, t.on_date, t.start_at, t.end_at FROM nat_slots t JOIN nat_sites s ON s.id = t.site_id "
        "WHERE t.id = $1 AND s.active = 1",
        {slot_id});
    if (!rows) return rows.error();
    if (rows->empty()) return MakeError(Errc::not_found, "not_found");
    return std::move(rows->front());
  });
  if (!slot) return slot.error();
  if (slot->Int(4) <= now) return Conflict("nat_slot_past");
  return Book(
      actor, patient, meta,
      [&](Tx& tx) -> Result<json::object> {
        // The one conditional update that takes a place (as scheduling's TakePlace): on
        // PostgreSQL the row lock serialises bookers and the WHERE is re-checked after the wait.
        auto n = tx.Exec("UPDATE nat_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity", {slot_id});
        if (!n) return n.error();
        if (*n == 0) return Conflict("nat_slot_full");
        auto rows = tx.Query(
            "INSERT INTO nat_bookings (patient_id, booked_by, mode, site_id, slot_id, on_date, window_start, window_end, "
            "status, created_at) VALUES ($1, $2, 'site', $3, $4, $5, $6, $7, 'booked', $8) RETURNING id",
            {patient, actor.user_id, slot->Int(1), slot_id, slot->Text(2), slot->Int(3), slot->Int(4), now});
        if (!rows) return rows.error();
        return json::object{{"id", rows->front().Int(0)}};
      },
      slot->Text(2));
}

Result<json::object> NatTestService::BookHomeVisit(const Principal& actor, const HomeVisitInput& in,
                                                   const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  const std::string today = CivilDateCst(now);
  std::vector<FieldError> errs;
  if (!FindRegion(in.region_code)) errs.push_back({"region_code", "region_unknown"});
  if (in.address.empty()) errs.push_back({"address", "required"});
  auto start = ParseHhmm(in.start_time, false);
  auto end = ParseHhmm(in.end_time, true);
  if (!IsValidIsoDate(in.date)) errs.push_back({"date", "invalid_date"});
  else if (in.date < today || in.date >= AddDays(today, kBookAheadDays)) errs.push_back({"date", "out_of_range"});
  if (!start) errs.push_back({"start_time", "time_format"});
  if (!end) errs.push_back({"end_time", "time_format"});
  if (start && end && *end <= *start) errs.push_back({"end_time", "end_before_start"});
  if (errs.empty() && CstMs(in.date, *start) <= now) errs.push_back({"start_time", "window_past"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  const std::int64_t patient = in.patient_id.value_or(actor.user_id);
  return Book(
      actor, patient, meta,
      [&](Tx& tx) -> Result<json::object> {
        auto rows = tx.Query(
            "INSERT INTO nat_bookings (patient_id, booked_by, mode, region_code, address, on_date, window_start, "
            "window_end, status, created_at) VALUES ($1, $2, 'home', $3, $4, $5, $6, $7, 'booked', $8) RETURNING id",
            {patient, actor.user_id, in.region_code, in.address, in.date, CstMs(in.date, *start), CstMs(in.date, *end),
             now});
        if (!rows) return rows.error();
        return json::object{{"id", rows->front().Int(0)}};
      },
      in.date);
}

Result<json::object> NatTestService::MyBookings(const Principal& actor) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(std::string("SELECT ") + kBookingCols + kBookingFrom +
                             "WHERE b.patient_id = $1 OR b.booked_by = $1 OR b.patient_id IN "
                             "(SELECT ward_id FROM guardianships WHERE guardian_id = $1) "
                             "ORDER BY b.window_start DESC, b.id DESC LIMIT 100",
                         {actor.user_id});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows) a.push_back(BookingJson(r, true));
    return json::object{{"items", std::move(a)}};
  });
}

Result<json::object> NatTestService::Cancel(const Principal& actor, std::int64_t booking_id, const std::string& reason,
                                            const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  auto done = db_.With<bool>(TxMode::write, [&](Tx& tx) -> Result<bool> {
    auto b = FindBooking(tx, "b.id = $1", {booking_id});
    if (!b) return b.error();
    if (!*b) return MakeError(Errc::not_found, "not_found");
    const store::Row& r = **b;
    auto can = accounts_.CanActFor(tx, actor, r.Int(1));
    if (!can) return can.error();
    if (!*can && r.Int(2) != actor.user_id) return MakeError(Errc::not_found, "not_found");
    const std::string status = r.Text(11);
    if (status != "booked" && status != "accepted") return Conflict("nat_not_cancellable", status);
    if (r.Int(9) <= now) return Conflict("nat_cancel_too_late");
    auto n = tx.Exec(
        "UPDATE nat_bookings SET status = 'cancelled', cancelled_by = 'patient', cancel_reason = $2, cancelled_at = $3 "
        "WHERE id = $1 AND status IN ('booked', 'accepted')",
        {booking_id, reason, now});
    if (!n) return n.error();
    if (*n == 0) return Conflict("nat_not_cancellable");
    if (!r.IsNull(5)) {
      auto f = tx.Exec("UPDATE nat_slots SET booked = booked - 1 WHERE id = $1 AND booked > 0", {r.Int(5)});
      if (!f) return f.error();
    }
    if (r.Int(1) != actor.user_id)
      if (auto st = audit::Append(tx, Audit(actor, now, "nat.booking.cancel", r.Int(1), booking_id, reason, meta)); !st)
        return st.error();
    return true;
  });
  if (!done) return done.error();
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto b = FindBooking(tx, "b.id = $1", {booking_id});
    if (!b) return b.error();
    return BookingJson(**b, true);
  });
}

// ---------------------------------------------------------------- nurse, lab

Result<json::object> NatTestService::HomeVisits(const Principal& staff, const std::string& region) {
  if (!region.empty() && !FindRegion(region)) return ValidationFailed({{"region", "region_unknown"}});
  const std::int64_t now = clock_.NowMs();
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(std::string("SELECT ") + kBookingCols + kBookingFrom +
                             "WHERE b.mode = 'home' AND ((b.status = 'booked' AND b.window_end > $1 AND ($2 = '' OR "
                             "b.region_code LIKE $3)) OR (b.status = 'accepted' AND b.accepted_by = $4)) "
                             "ORDER BY b.window_start, b.id LIMIT 200",
                         {now, region, RegionPrefix(region) + "%", staff.user_id});
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows) {
      auto o = BookingJson(r, false);
      // The street address only to the one who accepted the visit; others see the region.
      if (r.Text(11) != "accepted") o["address"] = "";
      a.push_back(std::move(o));
    }
    return json::object{{"items", std::move(a)}};
  });
}

Result<json::object> NatTestService::AcceptHomeVisit(const Principal& staff, std::int64_t booking_id,
                                                     const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<json::object>(TxMode::write, [&](Tx& tx) -> Result<json::object> {
    auto b = FindBooking(tx, "b.id = $1 AND b.mode = 'home'", {booking_id});
    if (!b) return b.error();
    if (!*b) return MakeError(Errc::not_found, "not_found");
    if ((*b)->Int(1) == staff.user_id) return Conflict("nat_own_booking");
    auto n = tx.Exec(
        "UPDATE nat_bookings SET status = 'accepted', accepted_by = $2, accepted_at = $3 WHERE id = $1 AND "
        "status = 'booked'",
        {booking_id, staff.user_id, now});
    if (!n) return n.error();
    if (*n == 0)
      return Conflict((*b)->Text(11) == "cancelled" ? "nat_not_cancellable" : "nat_already_accepted", (*b)->Text(11));
    const store::Row& r = **b;
    if (auto st = audit::Append(tx, Audit(staff, now, "nat.home_visit.accept", r.Int(1), booking_id, "", meta)); !st)
      return st.error();
    const std::string when = r.Text(8) + " " + WindowText(r.Int(9), r.Int(10));
    if (auto st = Notify(tx, r.Int(1), r.Int(2), "nat_home_accepted", "上门核酸已接单", "Home test visit accepted",
                         "您预约的上门核酸采样（" + when + "）已由医护人员接单，请按时在家等候。",
                         "Your home nucleic-acid test visit (" + when + " CST) was accepted; please be at home then.",
                         now);
        !st)
      return st.error();
    auto again = FindBooking(tx, "b.id = $1", {booking_id});
    if (!again) return again.error();
    return BookingJson(**again, false);
  });
}

Result<json::object> NatTestService::Sample(const Principal& staff, const std::string& sample_no,
                                            const RequestMeta& meta) {
  if (!IsSampleNumber(sample_no)) return MakeError(Errc::not_found, "nat_sample_not_found");
  const std::int64_t now = clock_.NowMs();
  return db_.With<json::object>(TxMode::write, [&](Tx& tx) -> Result<json::object> {
    auto b = FindBooking(tx, "b.sample_no = $1", {sample_no});
    if (!b) return b.error();
    if (!*b) return MakeError(Errc::not_found, "nat_sample_not_found");
    if (auto st = audit::Append(tx, Audit(staff, now, "nat.sample.read", (*b)->Int(1), (*b)->Int(0), "", meta)); !st)
      return st.error();
    return BookingJson(**b, false);
  });
}

Result<json::object> NatTestService::Collect(const Principal& staff, const std::string& sample_no,
                                             const RequestMeta& meta) {
  if (!IsSampleNumber(sample_no)) return MakeError(Errc::not_found, "nat_sample_not_found");
  const std::int64_t now = clock_.NowMs();
  return db_.With<json::object>(TxMode::write, [&](Tx& tx) -> Result<json::object> {
    auto b = FindBooking(tx, "b.sample_no = $1", {sample_no});
    if (!b) return b.error();
    if (!*b) return MakeError(Errc::not_found, "nat_sample_not_found");
    const store::Row& r = **b;
    const std::string ready = r.Text(3) == "site" ? "booked" : "accepted";
    if (r.Text(11) != ready) return Conflict("nat_not_collectable", r.Text(11));
    if (CivilDateCst(now) < r.Text(8)) return Conflict("nat_booking_not_today", r.Text(8));
    auto n = tx.Exec(
        "UPDATE nat_bookings SET status = 'collected', collected_by = $2, collected_at = $3 WHERE id = $1 AND "
        "status = $4",
        {r.Int(0), staff.user_id, now, ready});
    if (!n) return n.error();
    if (*n == 0) return Conflict("nat_not_collectable");
    if (auto st = audit::Append(tx, Audit(staff, now, "nat.sample.collect", r.Int(1), r.Int(0), sample_no, meta)); !st)
      return st.error();
    auto again = FindBooking(tx, "b.id = $1", {r.Int(0)});
    if (!again) return again.error();
    return BookingJson(**again, false);
  });
}

Result<json::object> NatTestService::PendingSamples(const Principal&) {
  return db_.With<json::object>(TxMode::read, [&](Tx& tx) -> Result<json::object> {
    auto rows = tx.Query(std::string("SELECT ") + kBookingCols + kBookingFrom +
                         "WHERE b.status = 'collected' ORDER BY b.collected_at, b.id LIMIT 200");
    if (!rows) return rows.error();
    json::array a;
    for (const auto& r : *rows) {
      auto o = BookingJson(r, false);
      o["address"] = "";
      a.push_back(std::move(o));
    }
    return json::object{{"items", std::move(a)}};
  });
}

Result<json::object> NatTestService::EnterResult(const Principal& lab, const std::string& sample_no,
                                                 const std::string& result, const RequestMeta& meta) {
  if (result != "negative" && result != "positive") return ValidationFailed({{"result", "invalid_value"}});
  if (!IsSampleNumber(sample_no)) return MakeError(Errc::not_found, "nat_sample_not_found");
  const std::int64_t now = clock_.NowMs();
  auto out = db_.With<json::object>(TxMode::write, [&](Tx& tx) -> Result<json::object> {
    auto b = FindBooking(tx, "b.sample_no = $1", {sample_no});
    if (!b) return b.error();
    if (!*b) return MakeError(Errc::not_found, "nat_sample_not_found");
    const store::Row& r = **b;
    if (r.Text(11) == "resulted") return Conflict("nat_already_resulted");
    if (r.Text(11) != "collected") return Conflict("nat_not_collected", r.Text(11));
    // The health code's own lab-result path: fact, audit, recomputed colour — same transaction.
    healthcode::TestResultInput in{"", sample_no, result, r.Int(14)};
    auto fact = healthcode_.AddTestResultTx(tx, lab, r.Int(1), in, meta);
    if (!fact) return fact.error();
    auto n = tx.Exec(
        "UPDATE nat_bookings SET status = 'resulted', result = $2, reported_by = $3, reported_at = $4, fact_id = $5 "
        "WHERE id = $1 AND status = 'collected'",
        {r.Int(0), result, lab.user_id, now, fact->at("fact_id").as_int64()});
    if (!n) return n.error();
    if (*n == 0) return Conflict("nat_already_resulted");
    const bool neg = result == "negative";
    if (auto st = Notify(tx, r.Int(1), r.Int(2), "nat_result", neg ? "核酸检测结果：阴性" : "核酸检测结果：阳性",
                         neg ? "Nucleic-acid test: negative" : "Nucleic-acid test: positive",
                         "样本 " + sample_no + "（" + r.Text(8) + " 采样）的结果已出：" + (neg ? "阴性" : "阳性") +
                             "。健康码已按规则更新。",
                         "The result of sample " + sample_no + " (sampled " + r.Text(8) + ") is " + result +
                             ". Your health code was updated by the rules.",
                         now);
        !st)
      return st.error();
    auto again = FindBooking(tx, "b.id = $1", {r.Int(0)});
    if (!again) return again.error();
    auto o = BookingJson(**again, false);
    o["fact_id"] = fact->at("fact_id");
    o["colour"] = fact->at("colour");
    return o;
  });
  healthcode_.FlushInvalidations();  // the new colour shows at once in this process
  return out;
}

}  // namespace ihos::domain::nattest
