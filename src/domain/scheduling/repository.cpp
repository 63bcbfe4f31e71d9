// SQL of the scheduling capability (declared in src/domain/scheduling/repository.hpp).
#include "domain/scheduling/repository.hpp"

#include "store/value.hpp"

namespace ihos::domain::scheduling::repo {
namespace {

using store::Params;
using store::Row;

constexpr const char* kPractitionerSelect =
    "SELECT p.id, p.user_id, u.real_name, p.title, p.hospital_id, h.name, p.department_code, d.name_zh, d.name_en, "
    "h.general_price_fen, p.free_clinic, p.status, p.licence_expires_on, h.grade "
    "FROM practitioners p JOIN users u ON u.id = p.user_id JOIN hospitals h ON h.id = p.hospital_id "
    "JOIN departments d ON d.code = p.department_code ";

PractitionerInfo PractitionerFrom(const Row& r) {
  return PractitionerInfo{r.Int(0),  r.Int(1),  r.Text(2), r.Text(3),      r.Int(4),   r.Text(5),  r.Text(6),
                          r.Text(7), r.Text(8), r.Int(9),  r.Int(10) != 0, r.Text(11), r.Text(12), r.Text(13)};
}

constexpr const char* kSlotSelect =
    "SELECT id, practitioner_id, on_date, service, start_at, end_at, capacity, booked, issued, price_fen, "
    "free_clinic, status FROM slots ";

Slot SlotFrom(const Row& r) {
  return Slot{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4),       r.Int(5),
              r.Int(6), r.Int(7), r.Int(8),  r.Int(9),  r.Int(10) != 0, r.Text(11)};
}

constexpr const char* kAppointmentSelect =
    "SELECT a.id, a.slot_id, a.practitioner_id, p.user_id, du.real_name, p.title, h.name, p.department_code, "
    "a.patient_id, pu.real_name, pu.sex, pu.birth_date, a.booked_by, a.service, a.start_at, a.end_at, "
    "a.queue_number, a.price_fen, a.status, a.cancelled_by, a.cancel_reason, a.cancelled_at, a.created_at, h.grade "
    "FROM appointments a JOIN practitioners p ON p.id = a.practitioner_id JOIN users du ON du.id = p.user_id "
    "JOIN hospitals h ON h.id = p.hospital_id JOIN users pu ON pu.id = a.patient_id ";

Appointment AppointmentFrom(const Row& r) {
  Appointment a;
  a.id = r.Int(0);
  a.slot_id = r.Int(1);
  a.practitioner_id = r.Int(2);
  a.practitioner_user_id = r.Int(3);
  a.practitioner_name = r.Text(4);
  a.practitioner_title = r.Text(5);
  a.hospital_name = r.Text(6);
  a.department_code = r.Text(7);
  a.patient_id = r.Int(8);
  a.patient_name = r.Text(9);
  a.patient_sex = r.Text(10);
  a.patient_birth_date = r.Text(11);
  a.booked_by = r.Int(12);
  a.service = r.Text(13);
  a.start_at = r.Int(14);
  a.end_at = r.Int(15);
  a.queue_number = r.Int(16);
  a.price_fen = r.Int(17);
  a.status = r.Text(18);
  a.cancelled_by = r.OptText(19);
  a.cancel_reason = r.Text(20);
  a.cancelled_at = r.OptInt(21);
  a.created_at = r.Int(22);
  a.hospital_grade = r.Text(23);
  return a;
}

}  // namespace

Result<std::optional<PractitionerInfo>> FindPractitioner(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(std::string(kPractitionerSelect) + "WHERE p.id = $1", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<PractitionerInfo>();
  return std::optional<PractitionerInfo>(PractitionerFrom(rows->front()));
}

Result<std::optional<PractitionerInfo>> FindPractitionerByUser(store::Tx& tx, std::int64_t user_id) {
  auto rows = tx.Query(std::string(kPractitionerSelect) + "WHERE p.user_id = $1", {user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<PractitionerInfo>();
  return std::optional<PractitionerInfo>(PractitionerFrom(rows->front()));
}

Result<std::vector<std::int64_t>> ScheduledPractitioners(store::Tx& tx) {
  auto rows = tx.Query(
      "SELECT p.id FROM practitioners p WHERE p.status = 'active' AND "
      "(EXISTS (SELECT 1 FROM schedule_templates t WHERE t.practitioner_id = p.id) OR "
      "EXISTS (SELECT 1 FROM schedule_exceptions e WHERE e.practitioner_id = p.id)) ORDER BY p.id");
  if (!rows) return rows.error();
  std::vector<std::int64_t> out;
  for (const auto& r : *rows) out.push_back(r.Int(0));
  return out;
}

Result<Schedule> LoadSchedule(store::Tx& tx, std::int64_t pid) {
  Schedule s;
  auto t = tx.Query(
      "SELECT weekday, start_minute, end_minute, service, capacity, price_fen, free_clinic FROM schedule_templates "
      "WHERE practitioner_id = $1 ORDER BY weekday, start_minute, service",
      {pid});
  if (!t) return t.error();
  for (const auto& r : *t)
    s.periods.push_back(TemplatePeriod{static_cast<int>(r.Int(0)), static_cast<int>(r.Int(1)),
                                       static_cast<int>(r.Int(2)), r.Text(3), static_cast<int>(r.Int(4)), r.Int(5),
                                       r.Int(6) != 0});
  auto e = tx.Query(
      "SELECT id, on_date, kind, start_minute, end_minute, service, capacity, price_fen, free_clinic, reason, "
      "created_at FROM schedule_exceptions WHERE practitioner_id = $1 ORDER BY on_date, start_minute, id",
      {pid});
  if (!e) return e.error();
  for (const auto& r : *e) {
    Exception x;
    x.id = r.Int(0);
    x.date = r.Text(1);
    x.kind = r.Text(2);
    x.start_minute = static_cast<int>(r.Int(3));
    x.end_minute = static_cast<int>(r.Int(4));
    x.service = r.OptText(5);
    if (auto c = r.OptInt(6)) x.capacity = static_cast<int>(*c);
    x.price_fen = r.OptInt(7);
    x.free_clinic = r.Int(8) != 0;
    x.reason = r.Text(9);
    x.created_at = r.Int(10);
    s.exceptions.push_back(std::move(x));
  }
  return s;
}

Status ReplaceTemplate(store::Tx& tx, std::int64_t pid, const std::vector<TemplatePeriod>& periods) {
  if (auto r = tx.Exec("DELETE FROM schedule_templates WHERE practitioner_id = $1", {pid}); !r) return r.error();
  for (const auto& p : periods) {
    auto r = tx.Exec(
        "INSERT INTO schedule_templates (practitioner_id, weekday, start_minute, end_minute, service, capacity, "
        "price_fen, free_clinic) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {pid, std::int64_t{p.weekday}, std::int64_t{p.start_minute}, std::int64_t{p.end_minute}, p.service,
         std::int64_t{p.capacity}, p.price_fen, std::int64_t{p.free_clinic ? 1 : 0}});
    if (!r) return r.error();
  }
  return {};
}

Result<std::int64_t> InsertException(store::Tx& tx, std::int64_t pid, const Exception& e) {
  auto rows = tx.Query(
      "INSERT INTO schedule_exceptions (practitioner_id, on_date, kind, start_minute, end_minute, service, capacity, "
      "price_fen, free_clinic, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
      {pid, e.date, e.kind, std::int64_t{e.start_minute}, std::int64_t{e.end_minute},
       e.service ? store::Value(*e.service) : store::Value(nullptr),
       e.capacity ? store::Value(std::int64_t{*e.capacity}) : store::Value(nullptr), store::OrNull(e.price_fen),
       std::int64_t{e.free_clinic ? 1 : 0}, e.reason, e.created_at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<bool> DeleteException(store::Tx& tx, std::int64_t pid, std::int64_t id) {
  auto n = tx.Exec("DELETE FROM schedule_exceptions WHERE id = $1 AND practitioner_id = $2", {id, pid});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::optional<Slot>> FindSlot(store::Tx& tx, std::int64_t slot_id) {
  auto rows = tx.Query(std::string(kSlotSelect) + "WHERE id = $1", {slot_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Slot>();
  return std::optional<Slot>(SlotFrom(rows->front()));
}

Result<std::vector<Slot>> SlotsBetween(store::Tx& tx, std::int64_t pid, std::int64_t from_ms, std::int64_t to_ms) {
  auto rows = tx.Query(std::string(kSlotSelect) +
                           "WHERE practitioner_id = $1 AND start_at >= $2 AND start_at < $3 ORDER BY start_at, service",
                       {pid, from_ms, to_ms});
  if (!rows) return rows.error();
  std::vector<Slot> out;
  for (const auto& r : *rows) out.push_back(SlotFrom(r));
  return out;
}

Status UpsertSlot(store::Tx& tx, std::int64_t pid, const PlannedSlot& p, const std::string& status) {
  auto r = tx.Exec(
      "INSERT INTO slots (practitioner_id, on_date, service, start_at, end_at, capacity, price_fen, free_clinic, "
      "status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
      "ON CONFLICT (practitioner_id, service, start_at) DO UPDATE SET on_date = excluded.on_date, "
      "end_at = excluded.end_at, capacity = excluded.capacity, price_fen = excluded.price_fen, "
      "free_clinic = excluded.free_clinic, status = excluded.status",
      {pid, p.date, p.service, p.start_at, p.end_at, std::int64_t{p.capacity}, p.price_fen,
       std::int64_t{p.free_clinic ? 1 : 0}, status});
  if (!r) return r.error();
  return {};
}

Status DeleteSlot(store::Tx& tx, std::int64_t slot_id) {
  auto r = tx.Exec("DELETE FROM slots WHERE id = $1 AND issued = 0", {slot_id});
  if (!r) return r.error();
  return {};
}

Status SetSlotStatus(store::Tx& tx, std::int64_t slot_id, const std::string& status) {
  auto r = tx.Exec("UPDATE slots SET status = $2 WHERE id = $1", {slot_id, status});
  if (!r) return r.error();
  return {};
}

Result<std::int64_t> SetFutureSlotsStatus(store::Tx& tx, std::int64_t pid, std::int64_t now_ms,
                                          const std::string& status) {
  return tx.Exec("UPDATE slots SET status = $3 WHERE practitioner_id = $1 AND start_at > $2 AND status <> $3",
                 {pid, now_ms, status});
}

Result<std::optional<Slot>> TakePlace(store::Tx& tx, std::int64_t slot_id) {
  auto rows = tx.Query(
      "UPDATE slots SET booked = booked + 1, issued = issued + 1 "
      "WHERE id = $1 AND booked < capacity AND status = 'open' "
      "RETURNING id, practitioner_id, on_date, service, start_at, end_at, capacity, booked, issued, price_fen, "
      "free_clinic, status",
      {slot_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Slot>();
  return std::optional<Slot>(SlotFrom(rows->front()));
}

Status ReleasePlace(store::Tx& tx, std::int64_t slot_id) {
  auto r = tx.Exec("UPDATE slots SET booked = booked - 1 WHERE id = $1 AND booked > 0", {slot_id});
  if (!r) return r.error();
  return {};
}

Result<bool> HasOverlap(store::Tx& tx, std::int64_t patient_id, std::int64_t start_at, std::int64_t end_at) {
  auto rows = tx.Query(
      "SELECT 1 FROM appointments WHERE patient_id = $1 AND status = 'booked' AND start_at < $3 AND end_at > $2 "
      "LIMIT 1",
      {patient_id, start_at, end_at});
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<std::int64_t> InsertAppointment(store::Tx& tx, const NewAppointment& a) {
  auto rows = tx.Query(
      "INSERT INTO appointments (slot_id, practitioner_id, patient_id, booked_by, service, start_at, end_at, "
      "queue_number, price_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
      {a.slot_id, a.practitioner_id, a.patient_id, a.booked_by, a.service, a.start_at, a.end_at, a.queue_number,
       a.price_fen, a.created_at});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::optional<Appointment>> FindAppointment(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(std::string(kAppointmentSelect) + "WHERE a.id = $1", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Appointment>();
  return std::optional<Appointment>(AppointmentFrom(rows->front()));
}

Result<std::vector<Appointment>> AppointmentsOfPatients(store::Tx& tx, const std::vector<std::int64_t>& ids,
                                                        const std::string& status, int limit) {
  std::vector<Appointment> out;
  if (ids.empty()) return out;
  std::string in;
  Params params{status, std::int64_t{limit}};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    in += (i ? ", $" : "$") + std::to_string(i + 3);
    params.push_back(ids[i]);
  }
  auto rows = tx.Query(std::string(kAppointmentSelect) + "WHERE a.patient_id IN (" + in +
                           ") AND (a.status = $1 OR $1 = '') ORDER BY a.start_at DESC, a.id DESC LIMIT $2",
                       params);
  if (!rows) return rows.error();
  for (const auto& r : *rows) out.push_back(AppointmentFrom(r));
  return out;
}

Result<std::vector<Appointment>> AppointmentsOfPractitioner(store::Tx& tx, std::int64_t pid, std::int64_t from_ms,
                                                            std::int64_t to_ms) {
  auto rows = tx.Query(std::string(kAppointmentSelect) +
                           "WHERE a.practitioner_id = $1 AND a.start_at >= $2 AND a.start_at < $3 "
                           "ORDER BY a.start_at, a.slot_id, a.queue_number",
                       {pid, from_ms, to_ms});
  if (!rows) return rows.error();
  std::vector<Appointment> out;
  for (const auto& r : *rows) out.push_back(AppointmentFrom(r));
  return out;
}

Result<std::vector<Appointment>> FutureBooked(store::Tx& tx, std::int64_t pid, std::int64_t now_ms) {
  auto rows = tx.Query(std::string(kAppointmentSelect) +
                           "WHERE a.practitioner_id = $1 AND a.start_at > $2 AND a.status = 'booked' ORDER BY a.id",
                       {pid, now_ms});
  if (!rows) return rows.error();
  std::vector<Appointment> out;
  for (const auto& r : *rows) out.push_back(AppointmentFrom(r));
  return out;
}

Result<bool> CancelAppointment(store::Tx& tx, std::int64_t id, const std::string& by, const std::string& reason,
                               std::int64_t at) {
  auto n = tx.Exec(
      "UPDATE appointments SET status = 'cancelled', cancelled_by = $2, cancel_reason = $3, cancelled_at = $4 "
      "WHERE id = $1 AND status = 'booked'",
      {id, by, reason, at});
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> CloseAppointment(store::Tx& tx, std::int64_t id, const std::string& status) {
  auto n = tx.Exec("UPDATE appointments SET status = $2 WHERE id = $1 AND status = 'booked'", {id, status});
  if (!n) return n.error();
  return *n > 0;
}

Result<std::optional<std::int64_t>> LatestSlotStart(store::Tx& tx, std::int64_t practitioner_id, std::int64_t now_ms) {
  auto rows = tx.Query("SELECT MAX(start_at) FROM slots WHERE practitioner_id = $1 AND start_at > $2",
                       {practitioner_id, now_ms});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::int64_t>();
  return rows->front().OptInt(0);
}

}  // namespace ihos::domain::scheduling::repo
