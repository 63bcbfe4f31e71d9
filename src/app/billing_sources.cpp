// What billing charges for, asked of the capabilities that price it (each through its service).
// Consultations: the consultation's price (the hospital's general outpatient price); insurable
// (甲, consult.followup) only when the doctor verified it as a follow-up; advice-only and first
// visits are self-pay (consult.selfpay). Appointments: the slot's price (visit.registration); an
// unpaid hold releases the place. Nucleic-acid tests: the site's price (nat.test), paid before the
// sample is taken. Home nursing and escort: the service's price (homecare.service), paid before a
// nurse takes the order. A free clinic (义诊) and zero prices are explicitly free. The hospital's
// grade (3A ... 1) goes into the quote: the insurance ratio depends on it.
#include "app/app.hpp"
#include "domain/scheduling/hooks.hpp"

namespace ihos::app {

using domain::billing::Line;
using domain::billing::Quote;

namespace {
struct Priced {
  std::string item_code, name;
  std::int64_t unit_fen = 0;
};
// A quote of one priced line: explicitly free at price 0; ended (refunded in full) when
// `end_reason` is set.
Quote OneLine(std::int64_t patient_id, std::string title, const Priced& p, const std::string& end_reason) {
  Quote q;
  q.patient_id = patient_id;
  q.title = std::move(title);
  q.free = p.unit_fen == 0;
  q.ended = !end_reason.empty();
  q.end_reason = end_reason;
  Line l;
  l.item_code = p.item_code;
  l.name = p.name;
  l.unit_fen = p.unit_fen;
  q.lines.push_back(std::move(l));
  return q;
}
}  // namespace

void App::RegisterBillingSources() {
  domain::billing::Source consultation;
  consultation.quote = [this](store::Tx& tx, std::int64_t id) -> Result<std::optional<Quote>> {
    auto f = consultation_->BillingFactsOf(tx, id);
    if (!f) return f.error();
    if (!*f) return std::optional<Quote>();
    Quote q;
    q.patient_id = (*f)->patient_id;
    q.title = (*f)->title;
    if ((*f)->practitioner_id) {
      auto p = scheduling_->FindPractitioner(tx, *(*f)->practitioner_id);
      if (!p) return p.error();
      if (*p) q.hospital_grade = (*p)->hospital_grade;
    }
    // Booked through an appointment: paid with the appointment's bill, never twice.
    q.free =
        (*f)->kind == "free_clinic" || (*f)->from_appointment || ((*f)->price_fen == 0 && (*f)->status != "waiting");
    q.ended = !(*f)->end_reason.empty();
    q.end_reason = (*f)->end_reason;
    if ((*f)->price_fen == 0 && !q.free && !q.ended)
      q.unpriced = true;  // a department queue: priced when a doctor takes it
    Line l;
    // Insurable as a follow-up once the doctor verified it, or while unverified when the patient
    // claimed it with the offline record uploaded; never once the doctor ruled it advice-only.
    const bool insurable =
        (*f)->follow_up == "verified" || ((*f)->follow_up == "unverified" && (*f)->claimed_follow_up);
    l.item_code = insurable ? "consult.followup" : "consult.selfpay";
    l.name = insurable ? "互联网复诊诊查费" : "互联网咨询费";
    l.unit_fen = (*f)->price_fen;
    l.quantity = 1;
    q.lines.push_back(l);
    return std::optional<Quote>(std::move(q));
  };
  billing_->RegisterSource("consultation", std::move(consultation));

  domain::billing::Source appointment;
  appointment.quote = [this](store::Tx& tx, std::int64_t id) -> Result<std::optional<Quote>> {
    auto a = scheduling_->FindAppointment(tx, id);
    if (!a) return a.error();
    if (!*a) return std::optional<Quote>();
    Quote q;
    q.patient_id = (*a)->patient_id;
    q.title = (*a)->practitioner_name + " · " + CivilDateCst((*a)->start_at);
    q.hospital_grade = (*a)->hospital_grade;
    q.free = (*a)->price_fen == 0;
    if ((*a)->status == "cancelled") {
      q.ended = true;
      const std::string by = (*a)->cancelled_by.value_or("system");
      q.end_reason = by == "patient"                                   ? "patient_cancelled"
                     : by == "practitioner"                            ? "doctor_cancelled"
                     : (*a)->cancel_reason == "practitioner_suspended" ? "practitioner_suspended"
                                                                       : "system_cancelled";
    }
    Line l;
    // An offline visit is a registration (甲); an online one is insurable only as a verified
    // follow-up, which is not known at booking: self-pay (RULES.md: Medical insurance).
    const bool offline = (*a)->service == "offline";
    l.item_code = offline ? "visit.registration" : "consult.selfpay";
    l.name = offline ? "门诊诊查费" : "互联网诊查费";
    l.unit_fen = (*a)->price_fen;
    q.lines.push_back(l);
    return std::optional<Quote>(std::move(q));
  };
  appointment.release = [](store::Tx& tx, std::int64_t id, std::int64_t now) -> Status {
    auto r = domain::scheduling::ReleaseUnpaidAppointment(tx, id, now);
    if (!r) return r.error();
    return {};
  };
  billing_->RegisterSource("appointment", std::move(appointment));

  // Nucleic-acid tests: the price the site had when the test was booked; a cancelled booking is
  // refunded. No hold: the place is the patient's until they cancel or the window passes.
  domain::billing::Source nat;
  nat.quote = [this](store::Tx& tx, std::int64_t id) -> Result<std::optional<Quote>> {
    auto b = nattest_->BillingFactsOf(tx, id);
    if (!b) return b.error();
    if (!*b) return std::optional<Quote>();
    const std::string ended = (*b)->status != "cancelled"                           ? ""
                              : (*b)->cancelled_by.value_or("patient") == "patient" ? "patient_cancelled"
                                                                                    : "source_cancelled";
    return std::optional<Quote>(OneLine((*b)->patient_id,
                                        "核酸检测 · " + (*b)->site_name.value_or("上门采样") + " · " + (*b)->date,
                                        {"nat.test", "新型冠状病毒核酸检测", (*b)->price_fen}, ended));
  };
  billing_->RegisterSource("nat_booking", std::move(nat));
  nattest_->SetPaidCheck([this](store::Tx& tx, std::int64_t id) { return billing_->IsPaid(tx, "nat_booking", id); });

  // Home nursing and escort (自费): the price copied when ordered; cancelled (by the patient,
  // before the nurse arrived) means refunded.
  domain::billing::Source care;
  care.quote = [this](store::Tx& tx, std::int64_t id) -> Result<std::optional<Quote>> {
    auto o = homecare_->BillingFactsOf(tx, id);
    if (!o) return o.error();
    if (!*o) return std::optional<Quote>();
    const std::string kind = (*o)->service_kind == "escort" ? "陪诊服务 · " : "上门护理 · ";
    return std::optional<Quote>(OneLine((*o)->patient_id,
                                        (*o)->service_name_zh + " · " + CivilDateCst((*o)->window_start),
                                        {"homecare.service", kind + (*o)->service_name_zh, (*o)->price_fen},
                                        (*o)->status == "cancelled" ? "patient_cancelled" : ""));
  };
  billing_->RegisterSource("homecare_order", std::move(care));
  homecare_->SetPaidCheck(
      [this](store::Tx& tx, std::int64_t id) { return billing_->IsPaid(tx, "homecare_order", id); });
}

}  // namespace ihos::app
