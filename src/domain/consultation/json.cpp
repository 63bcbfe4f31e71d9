#include "domain/consultation/json.hpp"

#include <boost/json.hpp>

#include "core/civil_time.hpp"
#include "core/clock.hpp"
#include "core/resident_id.hpp"

namespace ihos::domain::consultation {
namespace json = boost::json;
namespace {

json::value Opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object PartyJson(const Party& p, std::int64_t now_ms) {
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"sex", p.sex},
                      {"birth_date", p.birth_date},
                      {"age", AgeOn(p.birth_date, CivilDateCst(now_ms))}};
}

}  // namespace

json::object MessageJson(const Message& m) {
  return json::object{{"consultation_id", m.consultation_id},
                      {"seq", m.seq},
                      {"sender_id", Opt(m.sender_id)},
                      {"sender_role", m.sender_role},
                      {"client_msg_id", m.client_msg_id},
                      {"kind", m.kind},
                      {"text", m.body},
                      {"upload_id", Opt(m.upload_id)},
                      {"duration_ms", Opt(m.duration_ms)},
                      {"created_at", m.created_at},
                      {"recalled", m.recalled_at.has_value()}};
}

json::object ConsultationJson(const Consultation& c) {
  json::array symptoms, proofs;
  for (const auto& s : c.intake.symptoms) symptoms.emplace_back(s);
  for (auto id : c.intake.proof_upload_ids) proofs.emplace_back(id);
  json::object o{
      {"id", c.id},
      {"kind", c.kind},
      {"status", c.status},
      {"patient", PartyJson(c.patient, c.created_at)},
      {"requested_by", c.requested_by},
      {"department_code", c.department_code},
      {"appointment_id", Opt(c.appointment_id)},
      {"intake", json::object{{"chief_complaint", c.intake.chief_complaint},
                              {"duration", c.intake.duration},
                              {"symptoms", std::move(symptoms)},
                              {"history", c.intake.history},
                              {"allergies", c.intake.allergies},
                              {"medications", c.intake.medications},
                              {"is_follow_up", c.intake.is_follow_up},
                              {"proof_upload_ids", std::move(proofs)}}},
      {"follow_up", c.follow_up},
      {"follow_up_note", c.follow_up_note},
      {"child_under_6", c.child_under_6},
      {"price_fen", c.price_fen},
      {"created_at", c.created_at},
      {"accepted_at", Opt(c.accepted_at)},
      {"closed_at", Opt(c.closed_at)},
      {"last_activity_at", c.last_activity_at},
      {"last_seq", c.last_seq},
      {"unread", c.unread},
      {"peer_read_seq", c.peer_read_seq},
  };
  if (c.practitioner) {
    const auto& p = *c.practitioner;
    o["practitioner"] = json::object{{"id", p.id},
                                     {"user_id", p.user_id},
                                     {"name", p.name},
                                     {"title", p.title},
                                     {"department_code", p.department_code},
                                     {"hospital_name", p.hospital_name}};
  } else {
    o["practitioner"] = nullptr;
  }
  if (c.queue)
    o["queue"] = json::object{{"position", c.queue->position}, {"estimated_wait_s", c.queue->estimated_wait_s}};
  else
    o["queue"] = nullptr;
  if (c.record) {
    const auto& r = *c.record;
    o["record"] = json::object{{"version", r.version},
                               {"chief_complaint", r.chief_complaint},
                               {"present_illness", r.present_illness},
                               {"diagnosis_code", r.diagnosis_code},
                               {"diagnosis_name", r.diagnosis_name},
                               {"advice", r.advice},
                               {"author_id", r.author_id},
                               {"created_at", r.created_at}};
  } else {
    o["record"] = nullptr;
  }
  if (c.referral_reason)
    o["referral"] = json::object{
        {"reason", *c.referral_reason}, {"note", c.referral_note}, {"appointment_id", Opt(c.referral_appointment_id)}};
  else
    o["referral"] = nullptr;
  if (c.rating)
    o["rating"] = json::object{{"stars", *c.rating}, {"comment", c.rating_comment}};
  else
    o["rating"] = nullptr;
  return o;
}

json::object WorkstationJson(const Workstation& w) {
  json::array waiting, active;
  for (const auto& i : w.waiting)
    waiting.emplace_back(json::object{{"id", i.id},
                                      {"kind", i.kind},
                                      {"patient", PartyJson(i.patient, i.waiting_since)},
                                      {"chief_complaint", i.chief_complaint},
                                      {"is_follow_up", i.is_follow_up},
                                      {"child_under_6", i.child_under_6},
                                      {"shared_queue", i.shared_queue},
                                      {"price_fen", i.price_fen},
                                      {"waiting_since", i.waiting_since}});
  for (const auto& c : w.active) active.emplace_back(ConsultationJson(c));
  return json::object{{"practitioner_id", w.practitioner_id},
                      {"waiting", std::move(waiting)},
                      {"active", std::move(active)},
                      {"today_accepted", w.today_accepted},
                      {"today_closed", w.today_closed}};
}

}  // namespace ihos::domain::consultation
