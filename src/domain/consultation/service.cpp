#include "domain/consultation/service.hpp"

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
#include "domain/icd10/icd10.hpp"

namespace ihos::domain::consultation {
namespace json = boost::json;
namespace {

Error Conflict(const char* code, std::string detail = {}) { return MakeError(Errc::conflict, code, std::move(detail)); }
Error NotFound() { return MakeError(Errc::not_found, "not_found"); }

audit::Entry AuditEntry(const Principal& actor, std::int64_t now, std::string action, std::int64_t patient_id,
                        std::int64_t consultation_id, std::string reason, const RequestMeta& meta) {
  return audit::Entry{now,         actor.user_id, actor.AuditRole(), std::move(action),
                      patient_id,  "Encounter",   std::to_string(consultation_id), std::move(reason),
                      meta.request_id};
}

std::string Topic(std::int64_t id) { return "consultation:" + std::to_string(id); }

std::string Event(json::object event) { return json::serialize(event); }

// A recalled message keeps its content in the database for the record; the parties see only
// that it was recalled.
Message Redacted(Message m) {
  if (m.recalled_at) {
    m.body.clear();
    m.upload_id.reset();
    m.duration_ms.reset();
  }
  return m;
}

// The actor's practitioner row when they practise (active, licence valid today).
Result<std::optional<scheduling::PractitionerInfo>> MyPractitioner(scheduling::SchedulingService& scheduling,
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
Status StillPractising(scheduling::SchedulingService& scheduling, store::Tx& tx, const Principal& actor,
                       const Consultation& c, std::int64_t now) {
  auto mine = MyPractitioner(scheduling, tx, actor, now);
  if (!mine) return mine.error();
  if (!*mine || !c.practitioner || (*mine)->id != c.practitioner->id)
    return MakeError(Errc::conflict, "practitioner_suspended");
  return {};
}

bool IsVolunteerOf(const std::optional<scheduling::PractitionerInfo>& p, const std::string& department) {
  return p && p->free_clinic && p->department_code == department;
}

// Whether the (practising) doctor may take a consultation from a department's shared queue:
// any doctor of the department for "ask now", only volunteers for a free clinic.
bool MayTakeShared(const std::optional<scheduling::PractitionerInfo>& p, const Consultation& c) {
  if (!p || p->department_code != c.department_code) return false;
  return c.kind != "free_clinic" || p->free_clinic;
}

std::string SharedTopic(const std::string& kind, const std::string& department) {
  return (kind == "free_clinic" ? "free-clinic:" : "department-queue:") + department;
}

}  // namespace

struct ConsultationService::Access {
  Consultation c;
  std::string side;  // patient | doctor | queue (a volunteer looking at the shared free-clinic queue)
};

ConsultationService::ConsultationService(store::Database& db, const Clock& clock, events::Bus& bus,
                                         accounts::AccountService& accounts, directory::DirectoryService& directory,
                                         scheduling::SchedulingService& scheduling, Config config)
    : db_(db),
      clock_(clock),
      bus_(bus),
      accounts_(accounts),
      directory_(directory),
      scheduling_(scheduling),
      config_(config) {}

Result<ConsultationService::Access> ConsultationService::Authorize(store::Tx& tx, const Principal& actor,
                                                                   std::int64_t id, bool allow_queue_peek) {
  auto c = repo::Find(tx, id);
  if (!c) return c.error();
  if (!*c) return NotFound();
  auto can = accounts_.CanActFor(tx, actor, (*c)->patient.id);
  if (!can) return can.error();
  if (*can) return Access{std::move(**c), "patient"};
  if ((*c)->practitioner && (*c)->practitioner->user_id == actor.user_id) return Access{std::move(**c), "doctor"};
  if (allow_queue_peek && (*c)->status == "waiting" && !(*c)->practitioner) {
    auto mine = MyPractitioner(scheduling_, tx, actor, clock_.NowMs());
    if (!mine) return mine.error();
    if (MayTakeShared(*mine, **c)) return Access{std::move(**c), "queue"};
  }
  return NotFound();
}

Result<Consultation> ConsultationService::Load(store::Tx& tx, std::int64_t id, std::int64_t viewer_id) {
  auto found = repo::Find(tx, id);
  if (!found) return found.error();
  if (!*found) return NotFound();
  Consultation c = std::move(**found);
  auto rec = repo::LatestRecord(tx, id);
  if (!rec) return rec.error();
  c.record = std::move(*rec);
  if (c.status == "waiting") {
    auto pos = repo::QueuePosition(tx, c);
    if (!pos) return pos.error();
    std::int64_t avg = config_.default_handling_ms;
    if (c.practitioner) {
      auto a = repo::AverageHandlingMs(tx, c.practitioner->id);
      if (!a) return a.error();
      if (*a) avg = **a;
    }
    c.queue = Queue{*pos, EstimatedWaitSeconds(*pos, avg)};
  }
  if (viewer_id) {
    auto last = repo::LastRead(tx, id, viewer_id);
    if (!last) return last.error();
    const std::string own = c.practitioner && c.practitioner->user_id == viewer_id ? "doctor" : "patient";
    auto n = repo::CountFromOtherSide(tx, id, own, *last);
    if (!n) return n.error();
    c.unread = *n;
  }
  return c;
}

Result<Message> ConsultationService::Append(store::Tx& tx, std::int64_t id, std::optional<std::int64_t> sender,
                                            const std::string& role, const std::string& client_msg_id,
                                            const std::string& kind, const std::string& body,
                                            std::optional<std::int64_t> upload_id,
                                            std::optional<std::int64_t> duration_ms) {
  const std::int64_t now = clock_.NowMs();
  auto seq = repo::NextSeq(tx, id, now);
  if (!seq) return seq.error();
  Message m{id, *seq, sender, role, client_msg_id.empty() ? "sys-" + std::to_string(*seq) : client_msg_id,
            kind, body, upload_id, duration_ms, now, std::nullopt};
  if (auto st = repo::InsertMessage(tx, m); !st) return st.error();
  return m;
}

void ConsultationService::PublishMessage(const Message& m, std::int64_t) {
  bus_.Publish(Topic(m.consultation_id), Event(json::object{{"kind", "message"}, {"message", MessageJson(m)}}));
}

void ConsultationService::PublishStatus(const Consultation& c) {
  bus_.Publish(Topic(c.id), Event(json::object{{"kind", "status"},
                                               {"status", c.status},
                                               {"follow_up", c.follow_up},
                                               {"last_seq", c.last_seq}}));
}

// Tells every consultation still waiting in this queue its new position, and the doctors
// watching the queue that it changed.
void ConsultationService::PublishQueues(const std::string& department_code,
                                        std::optional<std::int64_t> practitioner_id) {
  auto waiting = db_.With<std::vector<Consultation>>(store::TxMode::read, [&](store::Tx& tx) {
    auto w = repo::Waiting(tx, department_code, practitioner_id);
    if (!w) return w;
    for (auto& c : *w) {
      auto full = Load(tx, c.id, 0);
      if (!full) return Result<std::vector<Consultation>>(full.error());
      c = std::move(*full);
    }
    return w;
  });
  if (!waiting) {
    log::Warn("consultation.queue_publish_failed", {{"error", waiting.error().code}});
    return;
  }
  for (const auto& c : *waiting)
    if (c.queue)
      bus_.Publish(Topic(c.id), Event(json::object{{"kind", "queue"},
                                                   {"position", c.queue->position},
                                                   {"estimated_wait_s", c.queue->estimated_wait_s}}));
  const auto event = Event(json::object{{"kind", "queue_changed"}, {"waiting", waiting->size()}});
  if (practitioner_id) {
    bus_.Publish("workstation:" + std::to_string(*practitioner_id), event);
  } else {
    bus_.Publish(SharedTopic("free_clinic", department_code), event);
    bus_.Publish(SharedTopic("text", department_code), event);
  }
}

// --- patient side ---

Result<Consultation> ConsultationService::Start(const Principal& actor, const StartInput& in,
                                                const RequestMeta& meta) {
  std::vector<FieldError> errs = CheckIntake(in.intake);
  const int targets = (in.appointment_id ? 1 : 0) + (in.practitioner_id ? 1 : 0);
  if (targets > 1) errs.push_back({"practitioner_id", "not_allowed"});
  if (targets == 0 && in.department_code.empty()) errs.push_back({"department_code", "required"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));

  const std::int64_t now = clock_.NowMs();
  const std::string today = CivilDateCst(now);
  const std::int64_t patient_id = in.patient_id.value_or(actor.user_id);
  auto id = db_.With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
    auto can = accounts_.CanActFor(tx, actor, patient_id);
    if (!can) return can.error();
    if (!*can) return NotFound();
    auto patient = accounts_.FindUser(tx, patient_id);
    if (!patient) return patient.error();
    if (!*patient) return NotFound();

    Consultation c;
    c.kind = in.kind;
    c.patient = Party{patient_id, (*patient)->real_name, (*patient)->birth_date, (*patient)->sex};
    c.requested_by = actor.user_id;
    c.intake = in.intake;
    c.child_under_6 = ChildUnder6((*patient)->birth_date, today);
    c.created_at = now;

    // Proofs are the patient side's own uploads.
    for (auto up : in.intake.proof_upload_ids) {
      auto f = directory_.FindUpload(tx, up);
      if (!f) return f.error();
      if (!*f || ((*f)->owner_id != actor.user_id && (*f)->owner_id != patient_id))
        return ValidationFailed({{"intake.proof_upload_ids", "upload_not_found"}});
    }

    std::optional<scheduling::PractitionerInfo> doctor;
    if (in.appointment_id) {
      auto a = scheduling_.FindAppointment(tx, *in.appointment_id);
      if (!a) return a.error();
      if (!*a || (*a)->patient_id != patient_id) return NotFound();
      if ((*a)->status != "booked") return Conflict("appointment_not_booked");
      if ((*a)->service == "offline") return Conflict("appointment_offline");
      auto existing = repo::ByAppointment(tx, *in.appointment_id);
      if (!existing) return existing.error();
      if (*existing) return Conflict("consultation_exists", std::to_string(**existing));
      auto p = scheduling_.FindPractitioner(tx, (*a)->practitioner_id);
      if (!p) return p.error();
      doctor = std::move(*p);
      c.appointment_id = in.appointment_id;
      c.price_fen = (*a)->price_fen;
    } else if (in.practitioner_id) {
      auto p = scheduling_.FindPractitioner(tx, *in.practitioner_id);
      if (!p) return p.error();
      if (!*p) return NotFound();
      doctor = std::move(*p);
    }
    if (doctor) {
      if (!scheduling::Bookable(*doctor, today)) return Conflict("practitioner_unavailable");
      if (doctor->user_id == patient_id || doctor->user_id == actor.user_id) return Conflict("cannot_consult_self");
      auto dept = directory_.FindDepartment(tx, doctor->department_code);
      if (!dept) return dept.error();
      const bool counselling = *dept && (*dept)->counselling;
      if (counselling != (in.kind == "counselling")) return Conflict("kind_mismatch");
      if (in.kind == "free_clinic" && !doctor->free_clinic) return Conflict("kind_mismatch");
      auto open = repo::OpenWith(tx, patient_id, doctor->id);
      if (!open) return open.error();
      if (*open) return Conflict("consultation_open", std::to_string(**open));
      c.practitioner = PractitionerRef{doctor->id, doctor->user_id, doctor->name, doctor->title,
                                       doctor->department_code, doctor->hospital_name};
      c.department_code = doctor->department_code;
      if (!c.appointment_id) c.price_fen = in.kind == "free_clinic" ? 0 : doctor->general_price_fen;
    } else {
      // "Ask now" in a department: the first doctor of the department (for a free clinic, the
      // first volunteer) to accept takes it; the price is set then, from their hospital.
      auto dept = directory_.FindDepartment(tx, in.department_code);
      if (!dept) return dept.error();
      if (!*dept) return NotFound();
      if ((*dept)->counselling != (in.kind == "counselling")) return Conflict("kind_mismatch");
      auto doctors = directory_.CountPractising(tx, in.department_code, today, patient_id, in.kind == "free_clinic");
      if (!doctors) return doctors.error();
      if (*doctors == 0)
        return Conflict(in.kind == "free_clinic" ? "no_free_clinic_doctor" : "no_doctor_available");
      c.department_code = in.department_code;
      c.price_fen = 0;
    }
    if (in.kind == "free_clinic") c.price_fen = 0;

    auto new_id = repo::Insert(tx, c);
    if (!new_id) return new_id.error();
    if (auto m = Append(tx, *new_id, std::nullopt, "system", "", "system", "waiting", std::nullopt, std::nullopt); !m)
      return m.error();
    if (patient_id != actor.user_id)
      if (auto st = audit::Append(tx, AuditEntry(actor, now, "consultation.create", patient_id, *new_id, "guardian",
                                                 meta));
          !st)
        return st.error();
    return *new_id;
  });
  if (!id) return id.error();
  auto c = db_.With<Consultation>(store::TxMode::read,
                                  [&](store::Tx& tx) { return Load(tx, *id, actor.user_id); });
  if (!c) return c.error();
  const std::string topic = c->practitioner ? "workstation:" + std::to_string(c->practitioner->id)
                                            : SharedTopic(c->kind, c->department_code);
  bus_.Publish(topic, Event(json::object{{"kind", "waiting"}, {"consultation_id", c->id}}));
  return c;
}

Result<Consultation> ConsultationService::Cancel(const Principal& actor, std::int64_t id, const RequestMeta&) {
  std::optional<Message> sys;
  auto c = db_.With<Consultation>(store::TxMode::write, [&](store::Tx& tx) -> Result<Consultation> {
    auto a = Authorize(tx, actor, id, false);
    if (!a) return a.error();
    if (a->side != "patient") return NotFound();
    auto ok = repo::SetStatus(tx, id, "waiting", "cancelled", clock_.NowMs());
    if (!ok) return ok.error();
    if (!*ok) return Conflict("consultation_not_waiting");
    auto m = Append(tx, id, std::nullopt, "system", "", "system", "cancelled", std::nullopt, std::nullopt);
    if (!m) return m.error();
    sys = *m;
    return Load(tx, id, actor.user_id);
  });
  if (!c) return c.error();
  PublishMessage(*sys);
  PublishStatus(*c);
  PublishQueues(c->department_code,
                c->practitioner ? std::optional<std::int64_t>(c->practitioner->id) : std::nullopt);
  return c;
}

Result<Consultation> ConsultationService::Rate(const Principal& actor, std::int64_t id, int stars,
                                               const std::string& comment, const RequestMeta&) {
  if (stars < 1 || stars > 5) return ValidationFailed({{"stars", "out_of_range"}});
  return db_.With<Consultation>(store::TxMode::write, [&](store::Tx& tx) -> Result<Consultation> {
    auto a = Authorize(tx, actor, id, false);
    if (!a) return a.error();
    if (a->side != "patient") return NotFound();
    if (a->c.status != "closed" && a->c.status != "referred") return Conflict("consultation_not_finished");
    auto ok = repo::SetRating(tx, id, stars, comment);
    if (!ok) return ok.error();
    if (!*ok) return Conflict("already_rated");
    if (a->c.practitioner) {
      if (auto st = directory_.RecordRating(tx, a->c.practitioner->id, stars); !st) return st.error();
    }
    return Load(tx, id, actor.user_id);
  });
}

// --- both sides ---

Result<std::vector<Consultation>> ConsultationService::List(const Principal& actor, const std::string& as,
                                                            const std::string& status) {
  return db_.With<std::vector<Consultation>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Consultation>> {
    std::vector<std::int64_t> ids;
    if (as == "doctor") {
      auto p = scheduling_.FindPractitionerByUser(tx, actor.user_id);
      if (!p) return p.error();
      if (!*p) return MakeError(Errc::not_found, "not_a_practitioner");
      auto r = repo::IdsOfPractitioner(tx, (*p)->id, status, 100);
      if (!r) return r.error();
      ids = std::move(*r);
    } else {
      std::vector<std::int64_t> patients{actor.user_id};
      auto wards = accounts_.Wards(tx, actor.user_id);
      if (!wards) return wards.error();
      for (const auto& w : *wards) patients.push_back(w.user.id);
      auto r = repo::IdsOfPatients(tx, patients, status, 100);
      if (!r) return r.error();
      ids = std::move(*r);
    }
    std::vector<Consultation> out;
    for (auto id : ids) {
      auto c = Load(tx, id, actor.user_id);
      if (!c) return c.error();
      out.push_back(std::move(*c));
    }
    std::sort(out.begin(), out.end(), [](const Consultation& a, const Consultation& b) {
      return a.last_activity_at > b.last_activity_at;
    });
    return out;
  });
}

Result<Consultation> ConsultationService::Get(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  return db_.With<Consultation>(store::TxMode::write, [&](store::Tx& tx) -> Result<Consultation> {
    auto a = Authorize(tx, actor, id, true);
    if (!a) return a.error();
    // A doctor's (or a volunteer's) read of a patient's consultation is in the patient's access log.
    if (a->side != "patient")
      if (auto st = audit::Append(tx, AuditEntry(actor, clock_.NowMs(), "consultation.read", a->c.patient.id, id,
                                                 a->side == "queue" ? "free_clinic_queue" : "treating", meta));
          !st)
        return st.error();
    return Load(tx, id, actor.user_id);
  });
}

Result<std::vector<Message>> ConsultationService::Messages(const Principal& actor, std::int64_t id,
                                                           std::int64_t after_seq, int limit) {
  return db_.With<std::vector<Message>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Message>> {
    auto a = Authorize(tx, actor, id, false);
    if (!a) return a.error();
    auto ms = repo::MessagesAfter(tx, id, after_seq, limit);
    if (!ms) return ms.error();
    for (auto& m : *ms) m = Redacted(std::move(m));
    return ms;
  });
}

Result<std::pair<Message, bool>> ConsultationService::Send(const Principal& actor, std::int64_t id,
                                                           const MessageInput& in) {
  using Out = std::pair<Message, bool>;
  if (auto errs = CheckMessage(in); !errs.empty()) return ValidationFailed(std::move(errs));
  auto attempt = [&]() {
    return db_.With<Out>(store::TxMode::write, [&](store::Tx& tx) -> Result<Out> {
      auto a = Authorize(tx, actor, id, false);
      if (!a) return a.error();
      const std::string& role = a->side;
      auto existing = repo::FindByClientId(tx, id, role, in.client_msg_id);
      if (!existing) return existing.error();
      if (*existing) return Out{Redacted(std::move(**existing)), false};
      if (IsFinal(a->c.status)) return Conflict("consultation_closed");
      if (role == "doctor" && a->c.status != "active") return Conflict("consultation_not_active");
      if (role == "doctor")
        if (auto st = StillPractising(scheduling_, tx, actor, a->c, clock_.NowMs()); !st) return st.error();
      if (in.upload_id) {
        auto f = directory_.FindUpload(tx, *in.upload_id);
        if (!f) return f.error();
        const std::string want = in.kind == "image" ? "image/" : "audio/";
        if (!*f || (*f)->owner_id != actor.user_id || (*f)->content_type.rfind(want, 0) != 0)
          return Conflict("upload_not_usable");
      }
      auto m = Append(tx, id, actor.user_id, role, in.client_msg_id, in.kind, in.text, in.upload_id, in.duration_ms);
      if (!m) return m.error();
      return Out{std::move(*m), true};
    });
  };
  auto r = attempt();
  // Two copies of one send racing: the loser's insert met the unique index; the winner's
  // message is committed now, and the retry returns it.
  if (!r && r.error().code == "unique_violation") r = attempt();
  if (r && r->second) PublishMessage(r->first);
  return r;
}

Result<Message> ConsultationService::Recall(const Principal& actor, std::int64_t id, std::int64_t seq) {
  const std::int64_t now = clock_.NowMs();
  auto m = db_.With<Message>(store::TxMode::write, [&](store::Tx& tx) -> Result<Message> {
    auto a = Authorize(tx, actor, id, false);
    if (!a) return a.error();
    auto msg = repo::FindMessage(tx, id, seq);
    if (!msg) return msg.error();
    if (!*msg || (*msg)->sender_id != actor.user_id) return NotFound();
    if ((*msg)->recalled_at) return Redacted(std::move(**msg));
    if (!CanRecall((*msg)->created_at, now)) return Conflict("recall_window_passed");
    auto ok = repo::MarkRecalled(tx, id, seq, now);
    if (!ok) return ok.error();
    (*msg)->recalled_at = now;
    return Redacted(std::move(**msg));
  });
  if (m) bus_.Publish(Topic(id), Event(json::object{{"kind", "recall"}, {"seq", seq}}));
  return m;
}

Status ConsultationService::MarkRead(const Principal& actor, std::int64_t id, std::int64_t seq) {
  std::string side;
  auto st = db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto a = Authorize(tx, actor, id, false);
    if (!a) return a.error();
    if (seq < 0 || seq > a->c.last_seq) return ValidationFailed({{"seq", "out_of_range"}});
    side = a->side;
    return repo::UpsertRead(tx, id, actor.user_id, seq, clock_.NowMs());
  });
  if (st)
    bus_.Publish(Topic(id), Event(json::object{{"kind", "read"}, {"user_id", actor.user_id}, {"role", side},
                                               {"seq", seq}}));
  return st;
}

Status ConsultationService::Typing(const Principal& actor, std::int64_t id) {
  auto side = db_.With<std::string>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::string> {
    auto a = Authorize(tx, actor, id, false);
    if (!a) return a.error();
    return a->side;
  });
  if (!side) return side.error();
  bus_.Publish(Topic(id), Event(json::object{{"kind", "typing"}, {"role", *side}, {"user_id", actor.user_id}}));
  return {};
}

Result<std::pair<std::string, std::string>> ConsultationService::File(const Principal& actor, std::int64_t id,
                                                                      std::int64_t upload_id, const RequestMeta&) {
  using Out = std::pair<std::string, std::string>;
  return db_.With<Out>(store::TxMode::read, [&](store::Tx& tx) -> Result<Out> {
    auto a = Authorize(tx, actor, id, true);
    if (!a) return a.error();
    auto attached = repo::AttachedTo(tx, id, upload_id);
    if (!attached) return attached.error();
    if (!*attached) return NotFound();
    auto f = directory_.FindUpload(tx, upload_id);
    if (!f) return f.error();
    if (!*f) return NotFound();
    auto bytes = directory_.ReadBlob(tx, (*f)->sha256);
    if (!bytes) return bytes.error();
    return Out{(*f)->content_type, std::move(*bytes)};
  });
}

// --- the doctor ---

Result<Consultation> ConsultationService::Accept(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  bool shared = false;
  std::optional<Message> sys;
  auto c = db_.With<Consultation>(store::TxMode::write, [&](store::Tx& tx) -> Result<Consultation> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found) return NotFound();
    auto mine = MyPractitioner(scheduling_, tx, actor, now);
    if (!mine) return mine.error();
    if (!*mine) return NotFound();
    const Consultation& c = **found;
    if (c.practitioner ? c.practitioner->id != (*mine)->id : !MayTakeShared(*mine, c)) return NotFound();
    shared = !c.practitioner;
    if (c.status != "waiting") return Conflict(c.status == "active" && shared ? "already_taken" : "consultation_not_waiting");
    auto ok = repo::Take(tx, id, (*mine)->id, now);
    if (!ok) return ok.error();
    if (!*ok) return Conflict("already_taken");
    if (shared && c.kind != "free_clinic") {
      // Priced at the taking doctor's hospital's general outpatient price (RULES.md: insurance).
      if (auto st = repo::SetPrice(tx, id, (*mine)->general_price_fen); !st) return st.error();
    }
    auto m = Append(tx, id, std::nullopt, "system", "", "system", "accepted", std::nullopt, std::nullopt);
    if (!m) return m.error();
    sys = *m;
    if (auto st = audit::Append(tx, AuditEntry(actor, now, "consultation.accept", c.patient.id, id, "treating", meta));
        !st)
      return st.error();
    return Load(tx, id, actor.user_id);
  });
  if (!c) return c.error();
  PublishMessage(*sys);
  PublishStatus(*c);
  PublishQueues(c->department_code, shared ? std::nullopt : std::optional<std::int64_t>(c->practitioner->id));
  return c;
}

Result<Consultation> ConsultationService::DoctorChange(
    const Principal& actor, std::int64_t id, const RequestMeta&,
    const std::function<Status(store::Tx&, Consultation&)>& change) {
  auto c = db_.With<Consultation>(store::TxMode::write, [&](store::Tx& tx) -> Result<Consultation> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found || !(*found)->practitioner || (*found)->practitioner->user_id != actor.user_id) return NotFound();
    if (auto st = StillPractising(scheduling_, tx, actor, **found, clock_.NowMs()); !st) return st.error();
    if (auto st = change(tx, **found); !st) return st.error();
    return Load(tx, id, actor.user_id);
  });
  if (c) PublishStatus(*c);
  return c;
}

Result<Consultation> ConsultationService::WriteRecord(const Principal& actor, std::int64_t id, const RecordInput& in,
                                                      const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  return DoctorChange(actor, id, meta, [&](store::Tx& tx, Consultation& c) -> Status {
    if (c.status == "waiting" || c.status == "cancelled") return Conflict("consultation_not_active");
    auto code = icd10::Get(tx, in.diagnosis_code);
    if (!code) {
      if (code.error().errc == Errc::not_found) return ValidationFailed({{"diagnosis_code", "unknown_code"}});
      return code.error();
    }
    auto last = repo::LatestRecord(tx, id);
    if (!last) return last.error();
    Record r{*last ? (*last)->version + 1 : 1, in.chief_complaint, in.present_illness, code->code, code->name_zh,
             in.advice, actor.user_id, now};
    if (auto st = repo::InsertRecord(tx, id, r); !st) return st;
    return audit::Append(tx, AuditEntry(actor, now, "consultation.record", c.patient.id, id,
                                        "version " + std::to_string(r.version), meta));
  });
}

Result<Consultation> ConsultationService::DecideFollowUp(const Principal& actor, std::int64_t id,
                                                         const std::string& decision, const std::string& note,
                                                         const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  std::optional<Message> sys;
  auto c = DoctorChange(actor, id, meta, [&](store::Tx& tx, Consultation& c) -> Status {
    if (c.status != "active") return Conflict("consultation_not_active");
    if (decision == "verified" && (!c.intake.is_follow_up || c.intake.proof_upload_ids.empty()))
      return Conflict("follow_up_proof_missing");
    if (auto st = repo::SetFollowUp(tx, id, decision, note); !st) return st;
    auto m = Append(tx, id, std::nullopt, "system", "", "system", "follow_up:" + decision, std::nullopt, std::nullopt);
    if (!m) return m.error();
    sys = *m;
    return audit::Append(tx, AuditEntry(actor, now, "consultation.follow_up", c.patient.id, id, decision, meta));
  });
  if (c && sys) PublishMessage(*sys);
  return c;
}

Result<Consultation> ConsultationService::Refer(const Principal& actor, std::int64_t id, const std::string& reason,
                                                const std::string& note, std::optional<std::int64_t> slot_id,
                                                const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  // Check first that the actor treats this patient and may still refer, then book, then record.
  auto pre = db_.With<Consultation>(store::TxMode::read, [&](store::Tx& tx) -> Result<Consultation> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found || !(*found)->practitioner || (*found)->practitioner->user_id != actor.user_id) return NotFound();
    if (IsFinal((*found)->status)) return Conflict("consultation_closed");
    return std::move(**found);
  });
  if (!pre) return pre.error();
  std::optional<std::int64_t> appointment_id;
  if (slot_id) {
    auto a = scheduling_.BookReferral(actor, *slot_id, pre->patient.id, meta);
    if (!a) return a.error();
    appointment_id = a->id;
  }
  std::optional<Message> sys;
  auto c = DoctorChange(actor, id, meta, [&](store::Tx& tx, Consultation& c) -> Status {
    if (IsFinal(c.status)) return Conflict("consultation_closed");
    if (auto st = repo::SetReferral(tx, id, reason, note, appointment_id, now); !st) return st;
    auto m = Append(tx, id, std::nullopt, "system", "", "system", "referred:" + reason, std::nullopt, std::nullopt);
    if (!m) return m.error();
    sys = *m;
    return audit::Append(tx, AuditEntry(actor, now, "consultation.refer", c.patient.id, id, reason, meta));
  });
  if (c && sys) PublishMessage(*sys);
  if (c && pre->status == "waiting")
    PublishQueues(c->department_code, std::optional<std::int64_t>(c->practitioner->id));
  return c;
}

Result<Consultation> ConsultationService::Close(const Principal& actor, std::int64_t id, const RequestMeta& meta) {
  const std::int64_t now = clock_.NowMs();
  std::optional<Message> sys;
  auto c = DoctorChange(actor, id, meta, [&](store::Tx& tx, Consultation& c) -> Status {
    if (c.status != "active") return Conflict("consultation_not_active");
    auto rec = repo::LatestRecord(tx, id);
    if (!rec) return rec.error();
    if (!*rec) return Conflict("record_required");
    auto m = Append(tx, id, std::nullopt, "system", "", "system", "closed", std::nullopt, std::nullopt);
    if (!m) return m.error();
    sys = *m;
    auto ok = repo::SetStatus(tx, id, "active", "closed", now);
    if (!ok) return ok.error();
    if (!*ok) return Conflict("consultation_not_active");
    return audit::Append(tx, AuditEntry(actor, now, "consultation.close", c.patient.id, id, "", meta));
  });
  if (c && sys) PublishMessage(*sys);
  return c;
}

Result<Message> ConsultationService::RecordCall(const Principal& actor, std::int64_t id, std::int64_t duration_s,
                                                const std::string& note) {
  if (duration_s < 0 || duration_s > 4 * 3600) return ValidationFailed({{"duration_s", "out_of_range"}});
  const std::int64_t now = clock_.NowMs();
  auto m = db_.With<Message>(store::TxMode::write, [&](store::Tx& tx) -> Result<Message> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found || !(*found)->practitioner || (*found)->practitioner->user_id != actor.user_id) return NotFound();
    if ((*found)->kind != "phone") return Conflict("not_phone_consultation");
    if ((*found)->status != "active") return Conflict("consultation_not_active");
    if (auto st = StillPractising(scheduling_, tx, actor, **found, now); !st) return st.error();
    return Append(tx, id, actor.user_id, "doctor", "call-" + std::to_string(now), "call", note, std::nullopt,
                  duration_s * 1000);
  });
  if (m) PublishMessage(*m);
  return m;
}

Result<CallbackNumber> ConsultationService::GetCallbackNumber(const Principal& actor, std::int64_t id,
                                                              const RequestMeta& meta) {
  return db_.With<CallbackNumber>(store::TxMode::write, [&](store::Tx& tx) -> Result<CallbackNumber> {
    auto found = repo::Find(tx, id);
    if (!found) return found.error();
    if (!*found || !(*found)->practitioner || (*found)->practitioner->user_id != actor.user_id) return NotFound();
    const Consultation& c = **found;
    if (c.kind != "phone") return Conflict("not_phone_consultation");
    if (c.status != "active") return Conflict("consultation_not_active");
    if (auto st = StillPractising(scheduling_, tx, actor, c, clock_.NowMs()); !st) return st.error();
    // The one who asked is the one waiting for the call; a ward without a phone of their own is
    // reached through that guardian.
    CallbackNumber out;
    for (std::int64_t user_id : {c.requested_by, c.patient.id}) {
      auto u = accounts_.FindUser(tx, user_id);
      if (!u) return u.error();
      if (*u && (*u)->phone && !(*u)->phone->empty()) {
        out.phone = *(*u)->phone;
        out.name = (*u)->real_name;
        out.relation = user_id == c.patient.id ? "patient" : "guardian";
        break;
      }
    }
    if (out.phone.empty()) return Conflict("no_callback_number");
    out.phone_masked = MaskPhone(out.phone);
    if (auto st = audit::Append(tx, AuditEntry(actor, clock_.NowMs(), "consultation.callback_number", c.patient.id, id,
                                               "phone_callback", meta));
        !st)
      return st.error();
    return out;
  });
}

Result<Workstation> ConsultationService::GetWorkstation(const Principal& actor) {
  const std::int64_t now = clock_.NowMs();
  return db_.With<Workstation>(store::TxMode::read, [&](store::Tx& tx) -> Result<Workstation> {
    auto p = scheduling_.FindPractitionerByUser(tx, actor.user_id);
    if (!p) return p.error();
    if (!*p) return MakeError(Errc::not_found, "not_a_practitioner");
    Workstation w;
    w.practitioner_id = (*p)->id;
    auto add = [&](const std::vector<Consultation>& list, bool shared) {
      for (const auto& c : list)
        w.waiting.push_back(WaitingItem{c.id, c.kind, c.patient, c.intake.chief_complaint, c.intake.is_follow_up,
                                        c.child_under_6, shared, c.created_at});
    };
    auto mine = repo::Waiting(tx, (*p)->department_code, (*p)->id);
    if (!mine) return mine.error();
    add(*mine, false);
    if ((*p)->status == "active") {
      auto shared = repo::Waiting(tx, (*p)->department_code, std::nullopt);
      if (!shared) return shared.error();
      std::vector<Consultation> mayTake;
      for (auto& c : *shared)
        if (MayTakeShared(*p, c)) mayTake.push_back(std::move(c));
      add(mayTake, true);
    }
    std::sort(w.waiting.begin(), w.waiting.end(),
              [](const WaitingItem& a, const WaitingItem& b) { return a.waiting_since < b.waiting_since; });
    auto active = repo::IdsOfPractitioner(tx, (*p)->id, "active", 200);
    if (!active) return active.error();
    for (auto id : *active) {
      auto c = Load(tx, id, actor.user_id);
      if (!c) return c.error();
      w.active.push_back(std::move(*c));
    }
    const auto midnight = CstMidnightMs(CivilDateCst(now)).value_or(0);
    auto counts = repo::CountsSince(tx, (*p)->id, midnight);
    if (!counts) return counts.error();
    w.today_accepted = counts->first;
    w.today_closed = counts->second;
    return w;
  });
}

// --- staff ---

Result<std::pair<Consultation, std::vector<Message>>> ConsultationService::StaffRead(const Principal& actor,
                                                                                     std::int64_t id,
                                                                                     const std::string& reason,
                                                                                     const RequestMeta& meta) {
  using Out = std::pair<Consultation, std::vector<Message>>;
  if (reason.empty()) return ValidationFailed({{"reason", "required"}});
  return db_.With<Out>(store::TxMode::write, [&](store::Tx& tx) -> Result<Out> {
    auto c = Load(tx, id, 0);
    if (!c) return c.error();
    // Counselling is between the counsellor and the patient only.
    if (c->kind == "counselling") return NotFound();
    if (auto st = audit::Append(tx, AuditEntry(actor, clock_.NowMs(), "consultation.staff_read", c->patient.id, id,
                                               reason, meta));
        !st)
      return st.error();
    auto ms = repo::MessagesAfter(tx, id, 0, 5000);
    if (!ms) return ms.error();
    return Out{std::move(*c), std::move(*ms)};
  });
}

Result<PrescriptionEligibility> ConsultationService::Eligibility(std::int64_t id) {
  return db_.With<PrescriptionEligibility>(store::TxMode::read, [&](store::Tx& tx) -> Result<PrescriptionEligibility> {
    auto c = repo::Find(tx, id);
    if (!c) return c.error();
    if (!*c) return NotFound();
    return consultation::Eligibility(**c);
  });
}

Result<Consultation> ConsultationService::ForPrescription(std::int64_t id) {
  return db_.With<Consultation>(store::TxMode::read, [&](store::Tx& tx) { return Load(tx, id, 0); });
}

Result<int> ConsultationService::EndForSuspension(store::Tx& tx, std::int64_t practitioner_id, std::int64_t) {
  // Active ones are closed and waiting ones assigned to the doctor are cancelled, each with a
  // system notice the patient sees (the doctor stopped practising; a fee paid is refunded; ask
  // again in the department). Free-clinic consultations not yet taken stay in the queue.
  int ended = 0;
  for (const auto& [status, to] : {std::pair<std::string, std::string>{"active", "closed"}, {"waiting", "cancelled"}}) {
    auto ids = repo::IdsOfPractitioner(tx, practitioner_id, status, 10000);
    if (!ids) return ids.error();
    for (auto id : *ids) {
      auto ok = repo::SetStatus(tx, id, status, to, clock_.NowMs());
      if (!ok) return ok.error();
      if (!*ok) continue;
      auto m = Append(tx, id, std::nullopt, "system", "", "system", "practitioner_suspended", std::nullopt, std::nullopt);
      if (!m) return m.error();
      ++ended;
    }
  }
  return ended;
}

Result<int> ConsultationService::Sweep() {
  const std::int64_t now = clock_.NowMs();
  int changed = 0;
  auto sweep = [&](const std::string& status, std::int64_t before, const std::string& to, const std::string& code) {
    auto ids = db_.With<std::vector<std::int64_t>>(store::TxMode::read,
                                                   [&](store::Tx& tx) { return repo::Stale(tx, status, before); });
    if (!ids) return Status(ids.error());
    for (auto id : *ids) {
      std::optional<Message> sys;
      auto c = db_.With<Consultation>(store::TxMode::write, [&](store::Tx& tx) -> Result<Consultation> {
        auto ok = repo::SetStatus(tx, id, status, to, now);
        if (!ok) return ok.error();
        if (!*ok) return NotFound();  // changed meanwhile: nothing to do
        auto m = Append(tx, id, std::nullopt, "system", "", "system", code, std::nullopt, std::nullopt);
        if (!m) return m.error();
        sys = *m;
        return Load(tx, id, 0);
      });
      if (!c) continue;
      ++changed;
      PublishMessage(*sys);
      PublishStatus(*c);
    }
    return Status{};
  };
  if (auto st = sweep("active", now - config_.inactivity_close_ms, "closed", "auto_closed"); !st) return st.error();
  if (auto st = sweep("waiting", now - config_.waiting_expiry_ms, "cancelled", "expired"); !st) return st.error();
  return changed;
}

Result<std::vector<std::string>> ConsultationService::Subscribe(const Principal& actor, std::string_view topic,
                                                                std::int64_t after_seq) {
  using Out = std::vector<std::string>;
  const auto colon = topic.find(':');
  const std::string family(topic.substr(0, colon + 1));
  const std::string key(topic.substr(colon + 1));
  return db_.With<Out>(store::TxMode::read, [&](store::Tx& tx) -> Result<Out> {
    if (family == "consultation:") {
      std::int64_t id = 0;
      const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
      if (ec != std::errc() || end != key.data() + key.size() || key.empty()) return NotFound();
      auto a = Authorize(tx, actor, id, false);
      if (!a) return a.error();
      auto ms = repo::MessagesAfter(tx, id, std::max<std::int64_t>(after_seq, 0), 1000);
      if (!ms) return ms.error();
      Out out;
      for (auto& m : *ms)
        out.push_back(Event(json::object{{"kind", "message"}, {"message", MessageJson(Redacted(std::move(m)))}}));
      if (ms->size() == 1000)
        out.push_back(Event(json::object{{"kind", "gap"}, {"after_seq", ms->back().seq}}));
      return out;
    }
    auto mine = MyPractitioner(scheduling_, tx, actor, clock_.NowMs());
    if (!mine) return mine.error();
    if (family == "workstation:" && *mine && std::to_string((*mine)->id) == key) return Out{};
    if (family == "free-clinic:" && IsVolunteerOf(*mine, key)) return Out{};
    if (family == "department-queue:" && *mine && (*mine)->department_code == key) return Out{};
    return NotFound();
  });
}

std::string MessageEventJson(const Message& m) {
  return Event(json::object{{"kind", "message"}, {"message", MessageJson(m)}});
}

}  // namespace ihos::domain::consultation
