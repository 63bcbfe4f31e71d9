#include "domain/scheduling/service.hpp"

#include <algorithm>
#include <map>

#include "core/civil_time.hpp"
#include "core/log.hpp"
#include "core/messages.hpp"
#include "core/resident_id.hpp"
#include "domain/audit/audit.hpp"
#include "domain/notifications/service.hpp"
#include "domain/scheduling/hooks.hpp"
#include "domain/scheduling/repository.hpp"
#include "domain/scheduling/rules.hpp"

namespace ihos::domain::scheduling {
namespace {

audit::Entry AuditEntry(const Principal& actor, std::int64_t now, std::string action, std::int64_t patient_id,
                        std::int64_t appointment_id, std::string reason, const RequestMeta& meta) {
  return audit::Entry{now,
                      actor.user_id,
                      actor.AuditRole(),
                      std::move(action),
                      patient_id,
                      "Appointment",
                      std::to_string(appointment_id),
                      std::move(reason),
                      meta.request_id};
}

Error Conflict(const char* code, std::string detail = {}) { return MakeError(Errc::conflict, code, std::move(detail)); }

std::string When(std::int64_t start_at) { return CivilDateCst(start_at) + " " + CstTimeOfDay(start_at); }

// Tells the patient (and the booker, when someone else booked) about an appointment change.
Status NotifyPeople(store::Tx& tx, const Appointment& a, const std::string& kind, const std::string& title_zh,
                    const std::string& title_en, const std::string& body_zh, const std::string& body_en,
                    std::int64_t now) {
  return notifications::SendToEach(tx, {a.booked_by, a.patient_id},
                                   notifications::Message{0, kind, title_zh, title_en, body_zh, body_en, a.id}, now);
}

// The booking confirmation now, and a reminder before the visit (ReminderAt), written ahead with
// its future time: the list shows it from then on; a cancellation withdraws it.
Status NotifyBooked(store::Tx& tx, std::int64_t appointment_id, std::int64_t now) {
  auto found = repo::FindAppointment(tx, appointment_id);
  if (!found) return found.error();
  if (!*found) return {};
  const Appointment& a = **found;
  const std::string when = When(a.start_at);
  const std::string number = std::to_string(a.queue_number);
  if (auto st = NotifyPeople(tx, a, "appointment_booked", "预约成功", "Appointment booked",
                             "您已预约" + a.practitioner_name + "医生" + when + "（第 " + number + " 号，" +
                                 a.hospital_name + "）。可在“我的预约”中查看或取消。",
                             "You booked Dr " + a.practitioner_name + " at " + when + " CST (number " + number + ", " +
                                 a.hospital_name + "). See or cancel it under My appointments.",
                             now);
      !st)
    return st;
  const auto remind_at = ReminderAt(a.start_at, now);
  if (!remind_at) return {};
  return NotifyPeople(tx, a, "appointment_reminder", "就诊提醒", "Appointment reminder",
                      "提醒：您预约的" + a.practitioner_name + "医生将于" + when + "接诊（第 " + number + " 号，" +
                          a.hospital_name + "），请按时就诊。",
                      "Reminder: Dr " + a.practitioner_name + " sees you at " + when + " CST (number " + number + ", " +
                          a.hospital_name + "). Please be on time.",
                      *remind_at);
}

bool Differs(const Slot& s, const PlannedSlot& p, const std::string& status) {
  return s.end_at != p.end_at || s.capacity != p.capacity || s.price_fen != p.price_fen ||
         s.free_clinic != p.free_clinic || s.status != status || s.date != p.date;
}

}  // namespace

bool Bookable(const PractitionerInfo& p, const std::string& today) {
  return p.status == "active" && p.licence_expires_on >= today;
}

Status Materialise(store::Tx& tx, const PractitionerInfo& p, std::int64_t now_ms, int days) {
  if (auto st = tx.LockChain("slots:" + std::to_string(p.id)); !st) return st.error();
  auto schedule = repo::LoadSchedule(tx, p.id);
  if (!schedule) return schedule.error();
  const std::string today = CivilDateCst(now_ms);
  std::vector<PlannedSlot> plan;
  for (auto& s : Plan(*schedule, p, today, days))
    if (s.start_at > now_ms) plan.push_back(std::move(s));
  auto existing = repo::SlotsBetween(tx, p.id, now_ms + 1, CstMs(AddDays(today, days), 0));
  if (!existing) return existing.error();
  std::map<std::pair<std::string, std::int64_t>, const Slot*> by_key;
  for (const auto& s : *existing) by_key[{s.service, s.start_at}] = &s;
  std::map<std::pair<std::string, std::int64_t>, const PlannedSlot*> planned;
  for (const auto& s : plan) planned[{s.service, s.start_at}] = &s;

  // Refuse before writing anything: a booked place is never silently dropped.
  for (const auto& s : *existing) {
    auto it = planned.find({s.service, s.start_at});
    if (it == planned.end() && s.booked > 0) return Conflict("slot_has_bookings", s.service + " " + When(s.start_at));
    if (it != planned.end() && it->second->capacity < s.booked)
      return Conflict("capacity_below_booked", s.service + " " + When(s.start_at));
  }
  const std::string status = p.status == "active" ? "open" : "closed";
  for (const auto& s : plan) {
    auto it = by_key.find({s.service, s.start_at});
    if (it != by_key.end() && !Differs(*it->second, s, status)) continue;
    if (auto st = repo::UpsertSlot(tx, p.id, s, status); !st) return st;
  }
  for (const auto& s : *existing) {
    if (planned.count({s.service, s.start_at})) continue;
    if (s.issued == 0) {
      if (auto st = repo::DeleteSlot(tx, s.id); !st) return st;
    } else if (s.status != "closed") {
      if (auto st = repo::SetSlotStatus(tx, s.id, "closed"); !st) return st;
    }
  }
  return {};
}

Result<int> CancelFutureAppointments(store::Tx& tx, std::int64_t practitioner_id, const std::string& reason_code,
                                     std::int64_t now_ms) {
  auto p = repo::FindPractitioner(tx, practitioner_id);
  if (!p) return p.error();
  if (!*p) return MakeError(Errc::not_found, "not_found");
  if (auto st = tx.LockChain("slots:" + std::to_string(practitioner_id)); !st) return st.error();
  auto booked = repo::FutureBooked(tx, practitioner_id, now_ms);
  if (!booked) return booked.error();
  const Message& why = FindMessage(reason_code);
  int n = 0;
  for (const auto& a : *booked) {
    auto ok = repo::CancelAppointment(tx, a.id, "system", reason_code, now_ms);
    if (!ok) return ok.error();
    if (!*ok) continue;
    if (auto st = repo::ReleasePlace(tx, a.slot_id); !st) return st.error();
    if (auto st = notifications::WithdrawScheduled(tx, a.id, "appointment_reminder", now_ms); !st) return st.error();
    const std::string when = When(a.start_at);
    const std::string body_zh = "您预约的" + (*p)->name + "医生（" + (*p)->department_name_zh + "，" + when + "，第 " +
                                std::to_string(a.queue_number) + " 号）已被系统取消：" + std::string(why.zh) +
                                "如已付费将原路退回。建议您预约" + (*p)->department_name_zh + "的其他医生。";
    const std::string body_en =
        "Your appointment with Dr " + (*p)->name + " (" + (*p)->department_name_en + ", " + when + " CST, number " +
        std::to_string(a.queue_number) + ") was cancelled by the system: " + std::string(why.en) +
        " Any payment will be refunded. Please book another doctor of " + (*p)->department_name_en + ".";
    if (auto st = NotifyPeople(tx, a, "appointment_cancelled", "预约已取消", "Appointment cancelled", body_zh, body_en,
                               now_ms);
        !st)
      return st.error();
    ++n;
  }
  auto closed = repo::SetFutureSlotsStatus(tx, practitioner_id, now_ms, "closed");
  if (!closed) return closed.error();
  return n;
}

Result<bool> ReleaseUnpaidAppointment(store::Tx& tx, std::int64_t appointment_id, std::int64_t now_ms) {
  auto a = repo::FindAppointment(tx, appointment_id);
  if (!a) return a.error();
  if (!*a || (*a)->status != "booked") return false;
  auto ok = repo::CancelAppointment(tx, appointment_id, "system", "appointment_unpaid", now_ms);
  if (!ok) return ok.error();
  if (!*ok) return false;
  if (auto st = repo::ReleasePlace(tx, (*a)->slot_id); !st) return st.error();
  const std::string when = When((*a)->start_at);
  if (auto st = NotifyPeople(tx, **a, "appointment_cancelled", "预约未支付，已释放",
                             "Unpaid appointment released",
                             "您预约的" + (*a)->practitioner_name + "医生（" + when + "）在支付时限内未支付，号源已释放。",
                             "Your appointment with Dr " + (*a)->practitioner_name + " (" + when +
                                 " CST) was not paid in time; the place was released.",
                             now_ms);
      !st)
    return st.error();
  return true;
}

Status ReopenFutureSlots(store::Tx& tx, std::int64_t practitioner_id, std::int64_t now_ms) {
  auto p = repo::FindPractitioner(tx, practitioner_id);
  if (!p) return p.error();
  if (!*p) return MakeError(Errc::not_found, "not_found");
  if ((*p)->status != "active") return {};
  // Re-plan the range already materialised; the periodic roll extends it to the horizon.
  auto latest = repo::LatestSlotStart(tx, practitioner_id, now_ms);
  if (!latest) return latest.error();
  if (!*latest) return {};
  const std::string today = CivilDateCst(now_ms);
  const auto last = DateToDays(CivilDateCst(**latest));
  const int days = static_cast<int>(*last - *DateToDays(today)) + 1;
  return Materialise(tx, **p, now_ms, days);
}

SchedulingService::SchedulingService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                                     Config config)
    : db_(db), clock_(clock), accounts_(accounts), config_(config) {}

Result<PractitionerInfo> SchedulingService::ActivePractitioner(store::Tx& tx, const Principal& actor,
                                                               bool require_active) {
  auto p = repo::FindPractitionerByUser(tx, actor.user_id);
  if (!p) return p.error();
  if (!*p) return MakeError(Errc::not_found, "not_a_practitioner");
  if (require_active && (*p)->status != "active") return Conflict("practitioner_suspended");
  return std::move(**p);
}

Result<Schedule> SchedulingService::GetSchedule(const Principal& actor) {
  return db_.With<Schedule>(store::TxMode::read, [&](store::Tx& tx) -> Result<Schedule> {
    auto p = ActivePractitioner(tx, actor, false);
    if (!p) return p.error();
    return repo::LoadSchedule(tx, p->id);
  });
}

Result<Schedule> SchedulingService::ReplaceTemplate(const Principal& actor,
                                                    const std::vector<TemplatePeriod>& periods) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Schedule>(store::TxMode::write, [&](store::Tx& tx) -> Result<Schedule> {
    auto p = ActivePractitioner(tx, actor, true);
    if (!p) return p.error();
    if (auto errs = ValidateTemplate(periods, p->free_clinic); !errs.empty()) return ValidationFailed(std::move(errs));
    auto current = repo::LoadSchedule(tx, p->id);
    if (!current) return current.error();
    Schedule next{periods, current->exceptions};
    const auto plan = Plan(next, *p, CivilDateCst(now), config_.horizon_days);
    if (auto o = FirstOverlap(plan))
      return Conflict("extra_shift_overlap", plan[o->first].date + " " + plan[o->first].service);
    if (auto st = repo::ReplaceTemplate(tx, p->id, periods); !st) return st.error();
    if (auto st = Materialise(tx, *p, now, config_.horizon_days); !st) return st.error();
    return repo::LoadSchedule(tx, p->id);
  });
}

Result<Exception> SchedulingService::AddException(const Principal& actor, Exception e) {
  const std::int64_t now = clock_.NowMs();
  const std::string today = CivilDateCst(now);
  return db_.With<Exception>(store::TxMode::write, [&](store::Tx& tx) -> Result<Exception> {
    auto p = ActivePractitioner(tx, actor, true);
    if (!p) return p.error();
    if (auto errs = ValidateException(e, p->free_clinic, today, config_.exception_days_ahead); !errs.empty())
      return ValidationFailed(std::move(errs));
    if (e.kind == "leave") {
      e.capacity.reset();
      e.price_fen.reset();
      e.free_clinic = false;
    }
    if (e.kind == "extra" && IsOnline(*e.service)) e.price_fen.reset();
    auto current = repo::LoadSchedule(tx, p->id);
    if (!current) return current.error();
    current->exceptions.push_back(e);
    if (e.kind == "extra" && FirstOverlap(Plan(*current, *p, e.date, 1))) {
      Error err = ValidationFailed({{"start_time", "period_overlap"}});
      return err;
    }
    e.created_at = now;
    auto id = repo::InsertException(tx, p->id, e);
    if (!id) return id.error();
    e.id = *id;
    if (auto st = Materialise(tx, *p, now, config_.horizon_days); !st) return st.error();
    return e;
  });
}

Status SchedulingService::DeleteException(const Principal& actor, std::int64_t id) {
  const std::int64_t now = clock_.NowMs();
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto p = ActivePractitioner(tx, actor, true);
    if (!p) return p.error();
    auto gone = repo::DeleteException(tx, p->id, id);
    if (!gone) return gone.error();
    if (!*gone) return MakeError(Errc::not_found, "not_found");
    return Materialise(tx, *p, now, config_.horizon_days);
  });
}

Result<std::vector<DaySlot>> SchedulingService::Day(const Principal& actor, const std::string& date,
                                                    const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<std::vector<DaySlot>>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<DaySlot>> {
    auto p = ActivePractitioner(tx, actor, false);
    if (!p) return p.error();
    const std::int64_t from = CstMs(date, 0), to = CstMs(date, 1440);
    auto slots = repo::SlotsBetween(tx, p->id, from, to);
    if (!slots) return slots.error();
    auto appts = repo::AppointmentsOfPractitioner(tx, p->id, from, to);
    if (!appts) return appts.error();
    std::vector<DaySlot> out;
    for (auto& s : *slots) out.push_back(DaySlot{std::move(s), {}});
    for (auto& a : *appts) {
      if (auto st = audit::Append(tx, AuditEntry(actor, now, "appointment.list", a.patient_id, a.id, "day_view", meta));
          !st)
        return st.error();
      for (auto& d : out)
        if (d.slot.id == a.slot_id) {
          d.appointments.push_back(std::move(a));
          break;
        }
    }
    return out;
  });
}

Result<std::vector<Slot>> SchedulingService::DoctorSlots(std::int64_t practitioner_id, const std::string& from,
                                                         int days) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<std::vector<Slot>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Slot>> {
    auto p = repo::FindPractitioner(tx, practitioner_id);
    if (!p) return p.error();
    if (!*p || !Bookable(**p, CivilDateCst(now))) return MakeError(Errc::not_found, "not_found");
    auto slots = repo::SlotsBetween(tx, practitioner_id, CstMs(from, 0), CstMs(AddDays(from, days), 0));
    if (!slots) return slots.error();
    // Slots the schedule dropped (kept only for their cancelled appointments) are not shown;
    // slots whose start has passed are shown closed.
    std::vector<Slot> out;
    for (auto& s : *slots) {
      if (s.status == "closed") continue;
      if (s.start_at <= now) s.status = "closed";
      out.push_back(std::move(s));
    }
    return out;
  });
}

Result<Appointment> SchedulingService::Book(const Principal& actor, std::int64_t slot_id,
                                            std::optional<std::int64_t> patient_id, const RequestMeta& meta) {
  return BookFor(actor, slot_id, patient_id.value_or(actor.user_id), false, meta);
}

Result<Appointment> SchedulingService::BookReferral(const Principal& doctor, std::int64_t slot_id,
                                                    std::int64_t patient_id, const RequestMeta& meta) {
  return BookFor(doctor, slot_id, patient_id, true, meta);
}

Result<Appointment> SchedulingService::BookFor(const Principal& actor, std::int64_t slot_id, std::int64_t patient,
                                               bool referral, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  // 1. Checks that need no lock, in a read transaction: on SQLite write transactions are serial,
  //    so the write below does only what must be atomic. A slot that closes in between (leave,
  //    suspension) is caught by the conditional update, which requires status = 'open'.
  auto pre = db_.With<Slot>(store::TxMode::read, [&](store::Tx& tx) -> Result<Slot> {
    auto slot = repo::FindSlot(tx, slot_id);
    if (!slot) return slot.error();
    if (!*slot) return MakeError(Errc::not_found, "not_found");
    auto p = repo::FindPractitioner(tx, (*slot)->practitioner_id);
    if (!p) return p.error();
    if (!*p || !Bookable(**p, CivilDateCst(now))) return Conflict("practitioner_unavailable");
    if ((*p)->user_id == patient) return Conflict("cannot_book_self");
    if ((*slot)->start_at <= now) return Conflict("slot_past");
    if ((*slot)->status != "open") return Conflict("slot_closed");
    if (referral && (*slot)->service != "offline") return Conflict("slot_not_offline");
    return std::move(**slot);
  });
  if (!pre) return pre.error();
  const Slot& s = *pre;

  // 2. The booking itself.
  auto id = db_.With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
    if (!referral) {
      auto can = accounts_.CanActFor(tx, actor, patient);
      if (!can) return can.error();
      if (!*can) return MakeError(Errc::not_found, "not_found");
    }
    // One booking per patient at a time: the overlap check below is only sound when no other
    // transaction books for this patient between the check and the insert.
    if (auto st = tx.LockChain("patient:" + std::to_string(patient)); !st) return st.error();
    auto overlap = repo::HasOverlap(tx, patient, s.start_at, s.end_at);
    if (!overlap) return overlap.error();
    if (*overlap) return Conflict("appointment_overlap");
    auto place = repo::TakePlace(tx, slot_id);
    if (!place) return place.error();
    if (!*place) {
      auto now_slot = repo::FindSlot(tx, slot_id);
      if (!now_slot) return now_slot.error();
      return Conflict(*now_slot && (*now_slot)->status != "open" ? "slot_closed" : "slot_full");
    }
    // Price and times as the slot holds them at this instant (the update returned them).
    const Slot& t = **place;
    auto id = repo::InsertAppointment(tx, NewAppointment{slot_id, t.practitioner_id, patient, actor.user_id, t.service,
                                                         t.start_at, t.end_at, t.issued, t.price_fen, now});
    if (!id) return id.error();
    if (patient != actor.user_id)
      if (auto st = audit::Append(
              tx, AuditEntry(actor, now, "appointment.create", patient, *id, referral ? "referral" : "guardian", meta));
          !st)
        return st.error();
    if (auto st = NotifyBooked(tx, *id, now); !st) return st.error();
    return *id;
  });
  if (!id) return id.error();

  // 3. The appointment as the caller sees it.
  return db_.With<Appointment>(store::TxMode::read, [&](store::Tx& tx) -> Result<Appointment> {
    auto a = repo::FindAppointment(tx, *id);
    if (!a) return a.error();
    if (!*a) return MakeError(Errc::not_found, "not_found");
    return std::move(**a);
  });
}

Result<std::vector<Appointment>> SchedulingService::PatientAppointments(const Principal& actor,
                                                                        std::optional<std::int64_t> patient_id,
                                                                        const std::string& status,
                                                                        const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<std::vector<Appointment>>(
      store::TxMode::write, [&](store::Tx& tx) -> Result<std::vector<Appointment>> {
        std::vector<std::int64_t> ids;
        if (patient_id) {
          auto can = accounts_.CanActFor(tx, actor, *patient_id);
          if (!can) return can.error();
          if (!*can) return MakeError(Errc::not_found, "not_found");
          ids.push_back(*patient_id);
        } else {
          ids.push_back(actor.user_id);
          auto wards = accounts_.Wards(tx, actor.user_id);
          if (!wards) return wards.error();
          for (const auto& w : *wards) {
            auto can = accounts_.CanActFor(tx, actor, w.user.id);  // guardianship lapses at 18
            if (!can) return can.error();
            if (*can) ids.push_back(w.user.id);
          }
        }
        auto items = repo::AppointmentsOfPatients(tx, ids, status, 500);
        if (!items) return items.error();
        for (const auto& a : *items)
          if (a.patient_id != actor.user_id)
            if (auto st =
                    audit::Append(tx, AuditEntry(actor, now, "appointment.list", a.patient_id, a.id, "guardian", meta));
                !st)
              return st.error();
        return items;
      });
}

Result<Appointment> SchedulingService::GetAppointment(const Principal& actor, std::int64_t id,
                                                      const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Appointment>(store::TxMode::write, [&](store::Tx& tx) -> Result<Appointment> {
    auto a = repo::FindAppointment(tx, id);
    if (!a) return a.error();
    if (!*a) return MakeError(Errc::not_found, "not_found");
    const bool doctor = (*a)->practitioner_user_id == actor.user_id;
    if (!doctor) {
      auto can = accounts_.CanActFor(tx, actor, (*a)->patient_id);
      if (!can) return can.error();
      if (!*can) return MakeError(Errc::not_found, "not_found");
    }
    if ((*a)->patient_id != actor.user_id)
      if (auto st = audit::Append(
              tx, AuditEntry(actor, now, "appointment.read", (*a)->patient_id, id, doctor ? "care" : "guardian", meta));
          !st)
        return st.error();
    return std::move(**a);
  });
}

Result<Appointment> SchedulingService::Cancel(const Principal& actor, std::int64_t id, const std::string& reason,
                                              const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Appointment>(store::TxMode::write, [&](store::Tx& tx) -> Result<Appointment> {
    auto a = repo::FindAppointment(tx, id);
    if (!a) return a.error();
    if (!*a) return MakeError(Errc::not_found, "not_found");
    const Appointment& ap = **a;
    auto can = accounts_.CanActFor(tx, actor, ap.patient_id);
    if (!can) return can.error();
    const bool as_patient = *can;
    const bool as_doctor = !as_patient && ap.practitioner_user_id == actor.user_id;
    if (!as_patient && !as_doctor) return MakeError(Errc::not_found, "not_found");
    if (ap.status != "booked") return Conflict("appointment_not_booked");
    if (as_doctor && reason.empty()) return ValidationFailed({{"reason", "required"}});
    if (as_patient && !PatientMayCancel(ap.start_at, now, config_.cancel_cutoff_ms))
      return Conflict("cancel_cutoff_passed");
    auto ok = repo::CancelAppointment(tx, id, as_doctor ? "practitioner" : "patient", reason, now);
    if (!ok) return ok.error();
    if (!*ok) return Conflict("appointment_not_booked");
    if (auto st = repo::ReleasePlace(tx, ap.slot_id); !st) return st.error();
    if (auto st = notifications::WithdrawScheduled(tx, id, "appointment_reminder", now); !st) return st.error();
    if (as_patient) {
      const std::string when = When(ap.start_at);
      if (auto st =
              NotifyPeople(tx, ap, "appointment_cancelled", "预约已取消", "Appointment cancelled",
                           "您已取消" + ap.practitioner_name + "医生" + when + "的预约（第 " +
                               std::to_string(ap.queue_number) + " 号）。如已付费将原路退回。",
                           "You cancelled your appointment with Dr " + ap.practitioner_name + " at " + when +
                               " CST (number " + std::to_string(ap.queue_number) + "). Any payment will be refunded.",
                           now);
          !st)
        return st.error();
    }
    if (as_doctor) {
      const std::string when = When(ap.start_at);
      const std::string body_zh = ap.practitioner_name + "医生取消了您" + when + "的预约（第 " +
                                  std::to_string(ap.queue_number) + " 号），原因：" + reason +
                                  "。如已付费将原路退回，您可以重新预约其他时段或其他医生。";
      const std::string body_en = "Dr " + ap.practitioner_name + " cancelled your appointment at " + when +
                                  " CST (number " + std::to_string(ap.queue_number) + "). Reason: " + reason +
                                  ". Any payment will be refunded; you can book another time or another doctor.";
      if (auto st = NotifyPeople(tx, ap, "appointment_cancelled", "医生取消了预约",
                                 "The doctor cancelled an appointment", body_zh, body_en, now);
          !st)
        return st.error();
    }
    if (ap.patient_id != actor.user_id)
      if (auto st = audit::Append(tx, AuditEntry(actor, now, "appointment.cancel", ap.patient_id, id,
                                                 as_doctor ? "care" : "guardian", meta));
          !st)
        return st.error();
    auto out = repo::FindAppointment(tx, id);
    if (!out) return out.error();
    return std::move(**out);
  });
}

Result<Appointment> SchedulingService::DoctorTransition(const Principal& actor, std::int64_t id,
                                                        const std::string& status, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Appointment>(store::TxMode::write, [&](store::Tx& tx) -> Result<Appointment> {
    auto a = repo::FindAppointment(tx, id);
    if (!a) return a.error();
    if (!*a || (*a)->practitioner_user_id != actor.user_id) return MakeError(Errc::not_found, "not_found");
    if ((*a)->status != "booked") return Conflict("appointment_not_booked");
    if (status == "noshow" && now < (*a)->start_at) return Conflict("appointment_not_started");
    auto ok = repo::CloseAppointment(tx, id, status);
    if (!ok) return ok.error();
    if (!*ok) return Conflict("appointment_not_booked");
    if (auto st =
            audit::Append(tx, AuditEntry(actor, now, "appointment." + status, (*a)->patient_id, id, "care", meta));
        !st)
      return st.error();
    auto out = repo::FindAppointment(tx, id);
    if (!out) return out.error();
    return std::move(**out);
  });
}

Result<Appointment> SchedulingService::MarkNoShow(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  return DoctorTransition(actor, id, "noshow", meta);
}

Result<Appointment> SchedulingService::Fulfil(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  return DoctorTransition(actor, id, "fulfilled", meta);
}

bool SchedulingService::CanCancel(std::int64_t actor_id, const Appointment& a) const {
  if (a.status != "booked") return false;
  if (actor_id == a.practitioner_user_id && actor_id != a.patient_id && actor_id != a.booked_by) return true;
  return PatientMayCancel(a.start_at, clock_.NowMs(), config_.cancel_cutoff_ms);
}

Result<std::optional<PractitionerInfo>> SchedulingService::FindPractitioner(store::Tx& tx, std::int64_t id) {
  return repo::FindPractitioner(tx, id);
}

Result<std::optional<PractitionerInfo>> SchedulingService::FindPractitionerByUser(store::Tx& tx, std::int64_t user_id) {
  return repo::FindPractitionerByUser(tx, user_id);
}

Result<std::optional<Appointment>> SchedulingService::FindAppointment(store::Tx& tx, std::int64_t id) {
  return repo::FindAppointment(tx, id);
}

Result<int> SchedulingService::RollSlots() {
  const std::int64_t now = clock_.NowMs();
  auto ids = db_.With<std::vector<std::int64_t>>(store::TxMode::read,
                                                 [](store::Tx& tx) { return repo::ScheduledPractitioners(tx); });
  if (!ids) return ids.error();
  int rolled = 0;
  for (auto id : *ids) {
    auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      auto p = repo::FindPractitioner(tx, id);
      if (!p) return p.error();
      if (!*p || (*p)->status != "active") return {};
      return Materialise(tx, **p, now, config_.horizon_days);
    });
    if (st) {
      ++rolled;
    } else {
      log::Warn("slot roll skipped a practitioner", {{"practitioner_id", id}, {"code", st.error().code}});
    }
  }
  return rolled;
}

}  // namespace ihos::domain::scheduling
