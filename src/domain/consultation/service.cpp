#include "domain/consultation/service_internal.hpp"

namespace ihos::domain::consultation {
using namespace detail;

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
    // The doctor's receipt for the patient side; the patient side's furthest for the doctor.
    if (own == "doctor" || c.practitioner) {
      auto peer =
          own == "doctor" ? repo::LastReadOfOthers(tx, id, viewer_id) : repo::LastRead(tx, id, c.practitioner->user_id);
      if (!peer) return peer.error();
      c.peer_read_seq = *peer;
    }
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
  Message m{
      id,          *seq, sender,    role,        client_msg_id.empty() ? "sys-" + std::to_string(*seq) : client_msg_id,
      kind,        body, upload_id, duration_ms, now,
      std::nullopt};
  if (auto st = repo::InsertMessage(tx, m); !st) return st.error();
  return m;
}

void ConsultationService::PublishMessage(const Message& m, std::int64_t) {
  bus_.Publish(Topic(m.consultation_id), Event(json::object{{"kind", "message"}, {"message", MessageJson(m)}}));
}

void ConsultationService::PublishStatus(const Consultation& c) {
  bus_.Publish(Topic(c.id),
               Event(json::object{
                   {"kind", "status"}, {"status", c.status}, {"follow_up", c.follow_up}, {"last_seq", c.last_seq}}));
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

Result<Consultation> ConsultationService::Start(const Principal& actor, const StartInput& in, const RequestMeta& meta) {
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
      c.practitioner = PractitionerRef{doctor->id,    doctor->user_id,         doctor->name,
                                       doctor->title, doctor->department_code, doctor->hospital_name};
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
      if (*doctors == 0) return Conflict(in.kind == "free_clinic" ? "no_free_clinic_doctor" : "no_doctor_available");
      c.department_code = in.department_code;
      c.price_fen = 0;
    }
    if (in.kind == "free_clinic") c.price_fen = 0;

    auto new_id = repo::Insert(tx, c);
    if (!new_id) return new_id.error();
    if (auto m = Append(tx, *new_id, std::nullopt, "system", "", "system", "waiting", std::nullopt, std::nullopt); !m)
      return m.error();
    if (patient_id != actor.user_id)
      if (auto st =
              audit::Append(tx, AuditEntry(actor, now, "consultation.create", patient_id, *new_id, "guardian", meta));
          !st)
        return st.error();
    return *new_id;
  });
  if (!id) return id.error();
  auto c = db_.With<Consultation>(store::TxMode::read, [&](store::Tx& tx) { return Load(tx, *id, actor.user_id); });
  if (!c) return c.error();
  const std::string topic =
      c->practitioner ? "workstation:" + std::to_string(c->practitioner->id) : SharedTopic(c->kind, c->department_code);
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
  PublishQueues(c->department_code, c->practitioner ? std::optional<std::int64_t>(c->practitioner->id) : std::nullopt);
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
  return db_.With<std::vector<Consultation>>(
      store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<Consultation>> {
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
        std::sort(out.begin(), out.end(),
                  [](const Consultation& a, const Consultation& b) { return a.last_activity_at > b.last_activity_at; });
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
      // A reply implies the sender has read what came before it (an answered message
      // no longer shows 未读 on the other side).
      if (auto st = repo::UpsertRead(tx, id, actor.user_id, m->seq, m->created_at); !st) return st.error();
      return Out{std::move(*m), true};
    });
  };
  auto r = attempt();
  // Two copies of one send racing: the loser's insert met the unique index; the winner's
  // message is committed now, and the retry returns it.
  if (!r && r.error().code == "unique_violation") r = attempt();
  if (r && r->second) {
    PublishMessage(r->first);
    bus_.Publish(
        Topic(id),
        Event(json::object{
            {"kind", "read"}, {"user_id", actor.user_id}, {"role", r->first.sender_role}, {"seq", r->first.seq}}));
  }
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
    bus_.Publish(Topic(id),
                 Event(json::object{{"kind", "read"}, {"user_id", actor.user_id}, {"role", side}, {"seq", seq}}));
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

}  // namespace ihos::domain::consultation
