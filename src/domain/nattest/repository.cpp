// SQL of nucleic-acid test booking (declared in repository.hpp beside this file).
#include "domain/nattest/repository.hpp"

#include "store/value.hpp"

namespace ihos::domain::nattest::repo {
namespace {

using store::Row;
using store::Tx;

constexpr const char* kBookingSelect =
    "SELECT b.id, b.patient_id, b.booked_by, b.mode, b.site_id, b.slot_id, b.region_code, b.address, b.on_date, "
    "b.window_start, b.window_end, b.status, b.accepted_at, b.sample_no, b.collected_at, b.result, b.reported_at, "
    "b.cancel_reason, b.cancelled_at, b.created_at, s.name, s.address, u.real_name, b.cancelled_by, b.accepted_by, "
    "b.price_fen FROM nat_bookings b LEFT JOIN nat_sites s ON s.id = b.site_id JOIN users u ON u.id = b.patient_id ";

Booking BookingFrom(const Row& r) {
  Booking b;
  b.id = r.Int(0);
  b.patient_id = r.Int(1);
  b.booked_by = r.Int(2);
  b.mode = r.Text(3);
  b.site_id = r.OptInt(4);
  b.slot_id = r.OptInt(5);
  b.region_code = r.OptText(6);
  b.address = r.Text(7);
  b.date = r.Text(8);
  b.window_start = r.Int(9);
  b.window_end = r.Int(10);
  b.status = r.Text(11);
  b.accepted_at = r.OptInt(12);
  b.sample_no = r.OptText(13);
  b.collected_at = r.OptInt(14);
  b.result = r.OptText(15);
  b.reported_at = r.OptInt(16);
  b.cancel_reason = r.Text(17);
  b.cancelled_at = r.OptInt(18);
  b.created_at = r.Int(19);
  b.site_name = r.OptText(20);
  b.site_address = r.OptText(21);
  b.patient_name = r.Text(22);
  b.cancelled_by = r.OptText(23);
  b.accepted_by = r.OptInt(24);
  b.price_fen = r.Int(25);
  return b;
}

Result<std::vector<Booking>> Bookings(Tx& tx, const std::string& sql, const store::Params& params) {
  auto rows = tx.Query(sql, params);
  if (!rows) return rows.error();
  std::vector<Booking> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(BookingFrom(r));
  return out;
}

Result<std::optional<Booking>> OneBooking(Tx& tx, const std::string& sql, const store::Params& params) {
  auto all = Bookings(tx, sql, params);
  if (!all) return all.error();
  if (all->empty()) return std::optional<Booking>();
  return std::optional<Booking>(std::move(all->front()));
}

constexpr const char* kSlotSelect = "SELECT id, site_id, on_date, start_at, end_at, capacity, booked FROM nat_slots ";

Slot SlotFrom(const Row& r) { return Slot{r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5), r.Int(6)}; }

Site SiteFrom(const Row& r) {
  return Site{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6) == 1, r.Int(7), r.Int(8)};
}

}  // namespace

// ---------------------------------------------------------------- sites

Result<std::int64_t> InsertSite(Tx& tx, const SiteInput& in, std::optional<std::int64_t> created_by, std::int64_t at,
                                bool demo) {
  auto rows = tx.Query(
      "INSERT INTO nat_sites (name, kind, region_code, address, opening_hours, created_by, created_at, demo, "
      "price_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {in.name, in.kind, in.region_code, in.address, in.opening_hours, store::OrNull(created_by), at,
       std::int64_t{demo ? 1 : 0}, in.price_fen});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::vector<Site>> ActiveSites(Tx& tx, const std::string& region_prefix, std::int64_t from_ms,
                                      const std::string& before_date) {
  auto rows = tx.Query(
      "SELECT s.id, s.name, s.kind, s.region_code, s.address, s.opening_hours, s.demo, "
      "(SELECT COALESCE(SUM(t.capacity - t.booked), 0) FROM nat_slots t WHERE t.site_id = s.id AND t.end_at > $2 "
      "AND t.on_date < $3), s.price_fen "
      "FROM nat_sites s WHERE s.active = 1 AND ($1 = '' OR s.region_code LIKE $4) ORDER BY s.region_code, s.id",
      {region_prefix, from_ms, before_date, region_prefix + "%"});
  if (!rows) return rows.error();
  std::vector<Site> out;
  for (const auto& r : *rows) out.push_back(SiteFrom(r));
  return out;
}

Result<bool> SiteIsActive(Tx& tx, std::int64_t site_id) {
  auto rows = tx.Query("SELECT id FROM nat_sites WHERE id = $1 AND active = 1", {site_id});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<std::vector<std::int64_t>> DemoSiteIds(Tx& tx) {
  auto rows = tx.Query("SELECT id FROM nat_sites WHERE demo = 1 ORDER BY id");
  if (!rows) return rows.error();
  std::vector<std::int64_t> ids;
  for (const auto& r : *rows) ids.push_back(r.Int(0));
  return ids;
}

// ---------------------------------------------------------------- slots

Result<bool> InsertSlotIfAbsent(Tx& tx, std::int64_t site_id, const std::string& date, std::int64_t start_at,
                                std::int64_t end_at, std::int64_t capacity) {
  auto n = tx.Exec(
      "INSERT INTO nat_slots (site_id, on_date, start_at, end_at, capacity) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (site_id, start_at) DO NOTHING",
      {site_id, date, start_at, end_at, capacity});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::vector<Slot>> SlotsOn(Tx& tx, std::int64_t site_id, const std::string& date) {
  auto rows =
      tx.Query(std::string(kSlotSelect) + "WHERE site_id = $1 AND on_date = $2 ORDER BY start_at", {site_id, date});
  if (!rows) return rows.error();
  std::vector<Slot> out;
  for (const auto& r : *rows) out.push_back(SlotFrom(r));
  return out;
}

Result<std::optional<Slot>> FindOpenSlot(Tx& tx, std::int64_t slot_id) {
  auto rows = tx.Query(
      std::string(kSlotSelect) + "WHERE id = $1 AND site_id IN (SELECT id FROM nat_sites WHERE active = 1)", {slot_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Slot>();
  return std::optional<Slot>(SlotFrom(rows->front()));
}

Result<bool> TakePlace(Tx& tx, std::int64_t slot_id) {
  // On PostgreSQL the row lock serialises bookers and the WHERE is re-checked after the wait.
  auto n = tx.Exec("UPDATE nat_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity", {slot_id});
  if (!n) return n.error();
  return *n > 0;
}

Status ReleasePlace(Tx& tx, std::int64_t slot_id) {
  auto n = tx.Exec("UPDATE nat_slots SET booked = booked - 1 WHERE id = $1 AND booked > 0", {slot_id});
  if (!n) return n.error();
  return {};
}

// ---------------------------------------------------------------- bookings

Result<bool> HasLiveBookingOn(Tx& tx, std::int64_t patient_id, const std::string& date) {
  auto rows = tx.Query("SELECT id FROM nat_bookings WHERE patient_id = $1 AND on_date = $2 AND status <> 'cancelled'",
                       {patient_id, date});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<std::int64_t> InsertBooking(Tx& tx, const NewBooking& b) {
  auto rows = tx.Query(
      "INSERT INTO nat_bookings (patient_id, booked_by, mode, site_id, slot_id, region_code, address, on_date, "
      "window_start, window_end, status, created_at, price_fen) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'booked', $11, "
      "COALESCE((SELECT price_fen FROM nat_sites WHERE id = $4), 0)) RETURNING id",
      {b.patient_id, b.booked_by, b.mode, store::OrNull(b.site_id), store::OrNull(b.slot_id),
       store::OrNull(b.region_code), b.address, b.date, b.window_start, b.window_end, b.created_at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Status SetSampleNumber(Tx& tx, std::int64_t booking_id, const std::string& sample_no) {
  auto n = tx.Exec("UPDATE nat_bookings SET sample_no = $2 WHERE id = $1", {booking_id, sample_no});
  if (!n) return n.error();
  return {};
}

Result<std::optional<Booking>> FindBooking(Tx& tx, std::int64_t booking_id) {
  return OneBooking(tx, std::string(kBookingSelect) + "WHERE b.id = $1", {booking_id});
}

Result<std::optional<Booking>> FindBookingBySample(Tx& tx, const std::string& sample_no) {
  return OneBooking(tx, std::string(kBookingSelect) + "WHERE b.sample_no = $1", {sample_no});
}

Result<std::vector<Booking>> BookingsOfUser(Tx& tx, std::int64_t user_id, int limit) {
  return Bookings(tx,
                  std::string(kBookingSelect) +
                      "WHERE b.patient_id = $1 OR b.booked_by = $1 OR b.patient_id IN "
                      "(SELECT ward_id FROM guardianships WHERE guardian_id = $1) "
                      "ORDER BY b.window_start DESC, b.id DESC LIMIT $2",
                  {user_id, std::int64_t{limit}});
}

Result<std::vector<Booking>> HomeVisitsFor(Tx& tx, std::int64_t now_ms, const std::string& region_prefix,
                                           std::int64_t staff_id, int limit) {
  return Bookings(tx,
                  std::string(kBookingSelect) +
                      "WHERE b.mode = 'home' AND ((b.status = 'booked' AND b.window_end > $1 AND ($2 = '' OR "
                      "b.region_code LIKE $3)) OR (b.status = 'accepted' AND b.accepted_by = $4)) "
                      "ORDER BY b.window_start, b.id LIMIT $5",
                  {now_ms, region_prefix, region_prefix + "%", staff_id, std::int64_t{limit}});
}

Result<std::vector<Booking>> CollectedSamples(Tx& tx, int limit) {
  return Bookings(tx,
                  std::string(kBookingSelect) + "WHERE b.status = 'collected' ORDER BY b.collected_at, b.id LIMIT $1",
                  {std::int64_t{limit}});
}

Result<bool> CancelBooking(Tx& tx, std::int64_t booking_id, const std::string& reason, std::int64_t at) {
  auto n = tx.Exec(
      "UPDATE nat_bookings SET status = 'cancelled', cancelled_by = 'patient', cancel_reason = $2, cancelled_at = $3 "
      "WHERE id = $1 AND status IN ('booked', 'accepted')",
      {booking_id, reason, at});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> AcceptHomeVisit(Tx& tx, std::int64_t booking_id, std::int64_t staff_id, std::int64_t at) {
  auto n = tx.Exec(
      "UPDATE nat_bookings SET status = 'accepted', accepted_by = $2, accepted_at = $3 WHERE id = $1 AND "
      "mode = 'home' AND status = 'booked'",
      {booking_id, staff_id, at});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> MarkCollected(Tx& tx, std::int64_t booking_id, const std::string& from, std::int64_t staff_id,
                           std::int64_t at) {
  auto n = tx.Exec(
      "UPDATE nat_bookings SET status = 'collected', collected_by = $2, collected_at = $3 WHERE id = $1 AND "
      "status = $4",
      {booking_id, staff_id, at, from});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> RecordResult(Tx& tx, std::int64_t booking_id, const std::string& result, std::int64_t lab_id,
                          std::int64_t at, std::int64_t fact_id) {
  auto n = tx.Exec(
      "UPDATE nat_bookings SET status = 'resulted', result = $2, reported_by = $3, reported_at = $4, fact_id = $5 "
      "WHERE id = $1 AND status = 'collected'",
      {booking_id, result, lab_id, at, fact_id});
  if (!n) return n.error();
  return *n > 0;
}

}  // namespace ihos::domain::nattest::repo
