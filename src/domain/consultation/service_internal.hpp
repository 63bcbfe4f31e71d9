#pragma once
// Helpers shared by the parts of ConsultationService (service.cpp: start, queue, chat, reading;
// doctor.cpp: the doctor's actions; lifecycle.cpp: staff reads, the prescription capability's
// reads, suspension, sweeping and live-event subscriptions). Not for other capabilities.
#include <boost/json.hpp>
#include <charconv>

#include "core/civil_time.hpp"
#include "core/log.hpp"
#include "core/mask.hpp"
#include "core/resident_id.hpp"
#include "domain/audit/audit.hpp"
#include "domain/consultation/json.hpp"
#include "domain/consultation/repository.hpp"
#include "domain/consultation/rules.hpp"
#include "domain/consultation/service.hpp"
#include "domain/icd10/icd10.hpp"

namespace ihos::domain::consultation {
namespace json = boost::json;
namespace detail {

inline Error Conflict(const char* code, std::string detail = {}) {
  return MakeError(Errc::conflict, code, std::move(detail));
}
inline Error NotFound() { return MakeError(Errc::not_found, "not_found"); }

inline audit::Entry AuditEntry(const Principal& actor, std::int64_t now, std::string action, std::int64_t patient_id,
                               std::int64_t consultation_id, std::string reason, const RequestMeta& meta) {
  return audit::Entry{now,
                      actor.user_id,
                      actor.AuditRole(),
                      std::move(action),
                      patient_id,
                      "Encounter",
                      std::to_string(consultation_id),
                      std::move(reason),
                      meta.request_id};
}

inline std::string Topic(std::int64_t id) { return "consultation:" + std::to_string(id); }

inline std::string Event(json::object event) { return json::serialize(event); }

// A recalled message keeps its content in the database for the record; the parties see only
// that it was recalled.
inline Message Redacted(Message m) {
  if (m.recalled_at) {
    m.body.clear();
    m.upload_id.reset();
    m.duration_ms.reset();
  }
  return m;
}

// The actor's practitioner row when they practise (active, licence valid today).
inline Result<std::optional<scheduling::PractitionerInfo>> MyPractitioner(scheduling::SchedulingService& scheduling,
                                                                          store::Tx& tx, const Principal& actor,
                                                                          std::int64_t now) {
  if (!actor.Has("doctor")) return std::optional<scheduling::PractitionerInfo>();
  auto p = scheduling.FindPractitionerByUser(tx, actor.user_id);
  if (!p) return p.error();
  if (!*p || !scheduling::Bookable(**p, CivilDateCst(now))) return std::optional<scheduling::PractitionerInfo>();
  return p;
}

// A suspended doctor, or one whose licence has expired, stops every clinical action at once:
// messages, record, follow-up, referral, calls, closing (and prescribing, in that capability).
inline Status StillPractising(scheduling::SchedulingService& scheduling, store::Tx& tx, const Principal& actor,
                              const Consultation& c, std::int64_t now) {
  auto mine = MyPractitioner(scheduling, tx, actor, now);
  if (!mine) return mine.error();
  if (!*mine || !c.practitioner || (*mine)->id != c.practitioner->id)
    return MakeError(Errc::conflict, "practitioner_suspended");
  return {};
}

inline bool IsVolunteerOf(const std::optional<scheduling::PractitionerInfo>& p, const std::string& department) {
  return p && p->free_clinic && p->department_code == department;
}

// Whether the (practising) doctor may take a consultation from a department's shared queue:
// any doctor of the department for "ask now", only volunteers for a free clinic.
inline bool MayTakeShared(const std::optional<scheduling::PractitionerInfo>& p, const Consultation& c) {
  if (!p || p->department_code != c.department_code) return false;
  return c.kind != "free_clinic" || p->free_clinic;
}

inline std::string SharedTopic(const std::string& kind, const std::string& department) {
  return (kind == "free_clinic" ? "free-clinic:" : "department-queue:") + department;
}

}  // namespace detail

struct ConsultationService::Access {
  Consultation c;
  std::string side;  // patient | doctor | queue (a volunteer looking at the shared free-clinic queue)
};
}  // namespace ihos::domain::consultation
