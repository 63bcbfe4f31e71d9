// SQL of the consultation capability (declared in src/domain/consultation/repository.hpp).
#include "domain/consultation/repository.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace ihos::domain::consultation::repo {
namespace {

namespace json = boost::json;
using store::Params;
using store::Row;
using store::Value;

Value Opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(nullptr); }

std::string StringsJson(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}
std::string IdsJson(const std::vector<std::int64_t>& v) {
  json::array a;
  for (auto i : v) a.emplace_back(i);
  return json::serialize(a);
}
// The stored arrays were written by the functions above; anything else reads as empty.
std::vector<std::string> StringsFrom(const std::string& s) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(s, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array())
    if (e.is_string()) out.emplace_back(e.as_string());
  return out;
}
std::vector<std::int64_t> IdsFrom(const std::string& s) {
  std::vector<std::int64_t> out;
  boost::system::error_code ec;
  auto v = json::parse(s, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array())
    if (e.is_int64()) out.push_back(e.as_int64());
  return out;
}

constexpr const char* kSelect =
    "SELECT c.id, c.kind, c.status, c.patient_id, u.real_name, u.birth_date, u.sex, c.requested_by, "
    "c.practitioner_id, c.department_code, c.appointment_id, c.chief_complaint, c.duration, c.symptoms, c.history, "
    "c.allergies, c.medications, c.is_follow_up, c.proof_upload_ids, c.child_under_6, c.price_fen, c.follow_up, "
    "c.follow_up_note, c.referral_reason, c.referral_note, c.referral_appointment_id, c.rating, c.rating_comment, "
    "c.last_seq, c.created_at, c.accepted_at, c.closed_at, c.last_activity_at, "
    "pu.id, p.user_id, pu.real_name, p.title, p.department_code, h.name "
    "FROM consultations c JOIN users u ON u.id = c.patient_id "
    "LEFT JOIN practitioners p ON p.id = c.practitioner_id LEFT JOIN users pu ON pu.id = p.user_id "
    "LEFT JOIN hospitals h ON h.id = p.hospital_id ";

Consultation From(const Row& r) {
  Consultation c;
  c.id = r.Int(0);
  c.kind = r.Text(1);
  c.status = r.Text(2);
  c.patient = Party{r.Int(3), r.Text(4), r.Text(5), r.Text(6)};
  c.requested_by = r.Int(7);
  if (!r.IsNull(8)) {
    c.practitioner = PractitionerRef{r.Int(8), r.Int(34), r.Text(35), r.Text(36), r.Text(37), r.Text(38)};
  }
  c.department_code = r.Text(9);
  c.appointment_id = r.OptInt(10);
  c.intake.chief_complaint = r.Text(11);
  c.intake.duration = r.Text(12);
  c.intake.symptoms = StringsFrom(r.Text(13));
  c.intake.history = r.Text(14);
  c.intake.allergies = r.Text(15);
  c.intake.medications = r.Text(16);
  c.intake.is_follow_up = r.Int(17) != 0;
  c.intake.proof_upload_ids = IdsFrom(r.Text(18));
  c.child_under_6 = r.Int(19) != 0;
  c.price_fen = r.Int(20);
  c.follow_up = r.Text(21);
  c.follow_up_note = r.Text(22);
  c.referral_reason = r.OptText(23);
  c.referral_note = r.Text(24);
  c.referral_appointment_id = r.OptInt(25);
  if (auto v = r.OptInt(26)) c.rating = static_cast<int>(*v);
  c.rating_comment = r.Text(27);
  c.last_seq = r.Int(28);
  c.created_at = r.Int(29);
  c.accepted_at = r.OptInt(30);
  c.closed_at = r.OptInt(31);
  c.last_activity_at = r.Int(32);
  return c;
}

constexpr const char* kMessageSelect =
    "SELECT consultation_id, seq, sender_id, sender_role, client_msg_id, kind, body, upload_id, duration_ms, "
    "created_at, recalled_at FROM consultation_messages ";

Message MessageFrom(const Row& r) {
  return Message{r.Int(0),  r.Int(1),    r.OptInt(2), r.Text(3), r.Text(4),   r.Text(5),
                 r.Text(6), r.OptInt(7), r.OptInt(8), r.Int(9),  r.OptInt(10)};
}

Result<std::vector<std::int64_t>> Ids(store::Tx& tx, std::string_view sql, const Params& p) {
  auto rows = tx.Query(sql, p);
  if (!rows) return rows.error();
  std::vector<std::int64_t> out;
  for (const auto& r : *rows) out.push_back(r.Int(0));
  return out;
}

}  // namespace

Result<std::optional<Consultation>> Find(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(std::string(kSelect) + "WHERE c.id = $1", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Consultation>();
  return std::optional<Consultation>(From((*rows)[0]));
}

Result<std::int64_t> Insert(store::Tx& tx, const Consultation& c) {
  auto rows = tx.Query(
      "INSERT INTO consultations (kind, status, patient_id, requested_by, practitioner_id, department_code, "
      "appointment_id, chief_complaint, duration, symptoms, history, allergies, medications, is_follow_up, "
      "proof_upload_ids, child_under_6, price_fen, created_at, last_activity_at) "
      "VALUES ($1, 'waiting', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING "
      "id",
      {c.kind, c.patient.id, c.requested_by, c.practitioner ? Value(c.practitioner->id) : Value(nullptr),
       c.department_code, Opt(c.appointment_id), c.intake.chief_complaint, c.intake.duration,
       StringsJson(c.intake.symptoms), c.intake.history, c.intake.allergies, c.intake.medications,
       std::int64_t{c.intake.is_follow_up ? 1 : 0}, IdsJson(c.intake.proof_upload_ids),
       std::int64_t{c.child_under_6 ? 1 : 0}, c.price_fen, c.created_at});
  if (!rows) return rows.error();
  return (*rows)[0].Int(0);
}

Result<std::vector<std::int64_t>> IdsOfPatients(store::Tx& tx, const std::vector<std::int64_t>& patients,
                                                const std::string& status, int limit) {
  std::vector<std::int64_t> out;
  for (auto p : patients) {
    auto ids = Ids(tx,
                   "SELECT id FROM consultations WHERE patient_id = $1 AND (status = $2 OR $2 = '') "
                   "ORDER BY created_at DESC, id DESC LIMIT $3",
                   {p, status, std::int64_t{limit}});
    if (!ids) return ids.error();
    out.insert(out.end(), ids->begin(), ids->end());
  }
  return out;
}

Result<std::vector<std::int64_t>> IdsOfPractitioner(store::Tx& tx, std::int64_t practitioner_id,
                                                    const std::string& status, int limit) {
  return Ids(tx,
             "SELECT id FROM consultations WHERE practitioner_id = $1 AND (status = $2 OR $2 = '') "
             "ORDER BY created_at DESC, id DESC LIMIT $3",
             {practitioner_id, status, std::int64_t{limit}});
}

Result<std::optional<std::int64_t>> OpenWith(store::Tx& tx, std::int64_t patient_id, std::int64_t practitioner_id) {
  auto ids = Ids(tx,
                 "SELECT id FROM consultations WHERE patient_id = $1 AND practitioner_id = $2 "
                 "AND status IN ('waiting', 'active') LIMIT 1",
                 {patient_id, practitioner_id});
  if (!ids) return ids.error();
  if (ids->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(ids->front());
}

Result<std::optional<std::int64_t>> ByAppointment(store::Tx& tx, std::int64_t appointment_id) {
  auto ids = Ids(tx, "SELECT id FROM consultations WHERE appointment_id = $1", {appointment_id});
  if (!ids) return ids.error();
  if (ids->empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(ids->front());
}

Result<bool> Take(store::Tx& tx, std::int64_t id, std::int64_t practitioner_id, std::int64_t now) {
  auto n = tx.Exec(
      "UPDATE consultations SET status = 'active', practitioner_id = $2, accepted_at = $3, last_activity_at = $3 "
      "WHERE id = $1 AND status = 'waiting' AND (practitioner_id IS NULL OR practitioner_id = $2)",
      {id, practitioner_id, now});
  if (!n) return n.error();
  return *n == 1;
}

Result<bool> SetStatus(store::Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
                       std::int64_t now) {
  auto n = tx.Exec(
      "UPDATE consultations SET status = $3, closed_at = $4, last_activity_at = $4 WHERE id = $1 AND status = $2",
      {id, from, to, now});
  if (!n) return n.error();
  return *n == 1;
}

Status SetFollowUp(store::Tx& tx, std::int64_t id, const std::string& decision, const std::string& note) {
  auto n = tx.Exec("UPDATE consultations SET follow_up = $2, follow_up_note = $3 WHERE id = $1", {id, decision, note});
  if (!n) return n.error();
  return {};
}

Status SetReferral(store::Tx& tx, std::int64_t id, const std::string& reason, const std::string& note,
                   std::optional<std::int64_t> appointment_id, std::int64_t now) {
  auto n = tx.Exec(
      "UPDATE consultations SET status = 'referred', referral_reason = $2, referral_note = $3, "
      "referral_appointment_id = $4, closed_at = $5, last_activity_at = $5 WHERE id = $1",
      {id, reason, note, Opt(appointment_id), now});
  if (!n) return n.error();
  return {};
}

Result<std::string> LastSystemBody(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(
      "SELECT body FROM consultation_messages WHERE consultation_id = $1 AND sender_role = 'system' "
      "ORDER BY seq DESC LIMIT 1",
      {id});
  if (!rows) return rows.error();
  return rows->empty() ? std::string() : rows->front().Text(0);
}

Status SetPrice(store::Tx& tx, std::int64_t id, std::int64_t price_fen) {
  auto n = tx.Exec("UPDATE consultations SET price_fen = $2 WHERE id = $1", {id, price_fen});
  if (!n) return n.error();
  return {};
}

Result<bool> SetRating(store::Tx& tx, std::int64_t id, int stars, const std::string& comment) {
  auto n = tx.Exec("UPDATE consultations SET rating = $2, rating_comment = $3 WHERE id = $1 AND rating IS NULL",
                   {id, std::int64_t{stars}, comment});
  if (!n) return n.error();
  return *n == 1;
}

Result<std::int64_t> NextSeq(store::Tx& tx, std::int64_t id, std::int64_t now) {
  auto rows = tx.Query(
      "UPDATE consultations SET last_seq = last_seq + 1, last_activity_at = $2 WHERE id = $1 RETURNING last_seq",
      {id, now});
  if (!rows) return rows.error();
  if (rows->empty()) return MakeError(Errc::not_found, "not_found");
  return (*rows)[0].Int(0);
}

Status InsertMessage(store::Tx& tx, const Message& m) {
  auto n = tx.Exec(
      "INSERT INTO consultation_messages (consultation_id, seq, sender_id, sender_role, client_msg_id, kind, body, "
      "upload_id, duration_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {m.consultation_id, m.seq, Opt(m.sender_id), m.sender_role, m.client_msg_id, m.kind, m.body, Opt(m.upload_id),
       Opt(m.duration_ms), m.created_at});
  if (!n) return n.error();
  return {};
}

Result<std::optional<Message>> FindMessage(store::Tx& tx, std::int64_t id, std::int64_t seq) {
  auto rows = tx.Query(std::string(kMessageSelect) + "WHERE consultation_id = $1 AND seq = $2", {id, seq});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Message>();
  return std::optional<Message>(MessageFrom((*rows)[0]));
}

Result<std::optional<Message>> FindByClientId(store::Tx& tx, std::int64_t id, const std::string& sender_role,
                                              const std::string& client_msg_id) {
  auto rows =
      tx.Query(std::string(kMessageSelect) + "WHERE consultation_id = $1 AND sender_role = $2 AND client_msg_id = $3",
               {id, sender_role, client_msg_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Message>();
  return std::optional<Message>(MessageFrom((*rows)[0]));
}

Result<std::vector<Message>> MessagesAfter(store::Tx& tx, std::int64_t id, std::int64_t after_seq, int limit) {
  auto rows = tx.Query(std::string(kMessageSelect) + "WHERE consultation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                       {id, after_seq, std::int64_t{limit}});
  if (!rows) return rows.error();
  std::vector<Message> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(MessageFrom(r));
  return out;
}

Result<bool> MarkRecalled(store::Tx& tx, std::int64_t id, std::int64_t seq, std::int64_t now) {
  auto n = tx.Exec(
      "UPDATE consultation_messages SET recalled_at = $3 WHERE consultation_id = $1 AND seq = $2 AND recalled_at IS "
      "NULL",
      {id, seq, now});
  if (!n) return n.error();
  return *n == 1;
}

Result<bool> AttachedTo(store::Tx& tx, std::int64_t id, std::int64_t upload_id) {
  auto rows = tx.Query(
      "SELECT 1 FROM consultation_messages WHERE consultation_id = $1 AND upload_id = $2 AND recalled_at IS NULL LIMIT "
      "1",
      {id, upload_id});
  if (!rows) return rows.error();
  if (!rows->empty()) return true;
  auto c = Find(tx, id);
  if (!c) return c.error();
  if (!*c) return false;
  const auto& p = (*c)->intake.proof_upload_ids;
  return std::find(p.begin(), p.end(), upload_id) != p.end();
}

Status UpsertRead(store::Tx& tx, std::int64_t id, std::int64_t user_id, std::int64_t seq, std::int64_t now) {
  auto n = tx.Exec(
      "INSERT INTO consultation_reads (consultation_id, user_id, last_read_seq, updated_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (consultation_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq, "
      "updated_at = excluded.updated_at WHERE consultation_reads.last_read_seq < excluded.last_read_seq",
      {id, user_id, seq, now});
  if (!n) return n.error();
  return {};
}

Result<std::int64_t> LastRead(store::Tx& tx, std::int64_t id, std::int64_t user_id) {
  auto rows = tx.Query("SELECT last_read_seq FROM consultation_reads WHERE consultation_id = $1 AND user_id = $2",
                       {id, user_id});
  if (!rows) return rows.error();
  return rows->empty() ? std::int64_t{0} : (*rows)[0].Int(0);
}

Result<std::int64_t> LastReadOfOthers(store::Tx& tx, std::int64_t id, std::int64_t user_id) {
  auto rows = tx.Query(
      "SELECT COALESCE(MAX(last_read_seq), 0) FROM consultation_reads WHERE consultation_id = $1 AND user_id <> $2",
      {id, user_id});
  if (!rows) return rows.error();
  return rows->empty() ? std::int64_t{0} : (*rows)[0].Int(0);
}

Result<std::int64_t> CountFromOtherSide(store::Tx& tx, std::int64_t id, const std::string& own_role,
                                        std::int64_t after_seq) {
  auto rows = tx.Query(
      "SELECT COUNT(*) FROM consultation_messages WHERE consultation_id = $1 AND seq > $2 AND sender_role <> $3 "
      "AND sender_role <> 'system' AND recalled_at IS NULL",
      {id, after_seq, own_role});
  if (!rows) return rows.error();
  return (*rows)[0].Int(0);
}

Result<std::optional<Record>> LatestRecord(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(
      "SELECT version, chief_complaint, present_illness, diagnosis_code, diagnosis_name, advice, author_id, created_at "
      "FROM consultation_records WHERE consultation_id = $1 ORDER BY version DESC LIMIT 1",
      {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Record>();
  const auto& r = (*rows)[0];
  return std::optional<Record>(
      Record{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6), r.Int(7)});
}

Status InsertRecord(store::Tx& tx, std::int64_t id, const Record& r) {
  auto n = tx.Exec(
      "INSERT INTO consultation_records (consultation_id, version, chief_complaint, present_illness, diagnosis_code, "
      "diagnosis_name, advice, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {id, r.version, r.chief_complaint, r.present_illness, r.diagnosis_code, r.diagnosis_name, r.advice, r.author_id,
       r.created_at});
  if (!n) return n.error();
  return {};
}

Result<int> QueuePosition(store::Tx& tx, const Consultation& c) {
  Result<store::Rows> rows =
      c.practitioner ? tx.Query(
                           "SELECT COUNT(*) FROM consultations WHERE status = 'waiting' AND practitioner_id = $1 "
                           "AND (created_at < $2 OR (created_at = $2 AND id < $3))",
                           {c.practitioner->id, c.created_at, c.id})
                     : tx.Query(
                           "SELECT COUNT(*) FROM consultations WHERE status = 'waiting' AND practitioner_id IS NULL "
                           "AND department_code = $1 AND (created_at < $2 OR (created_at = $2 AND id < $3))",
                           {c.department_code, c.created_at, c.id});
  if (!rows) return rows.error();
  return static_cast<int>((*rows)[0].Int(0)) + 1;
}

Result<std::vector<Consultation>> Waiting(store::Tx& tx, const std::string& department_code,
                                          std::optional<std::int64_t> practitioner_id) {
  auto rows = practitioner_id
                  ? tx.Query(std::string(kSelect) +
                                 "WHERE c.status = 'waiting' AND c.practitioner_id = $1 ORDER BY c.created_at, c.id",
                             {*practitioner_id})
                  : tx.Query(std::string(kSelect) +
                                 "WHERE c.status = 'waiting' AND c.practitioner_id IS NULL AND c.department_code = $1 "
                                 "ORDER BY c.created_at, c.id",
                             {department_code});
  if (!rows) return rows.error();
  std::vector<Consultation> out;
  for (const auto& r : *rows) out.push_back(From(r));
  return out;
}

Result<std::optional<std::int64_t>> AverageHandlingMs(store::Tx& tx, std::int64_t practitioner_id) {
  auto rows = tx.Query(
      "SELECT accepted_at, closed_at FROM consultations WHERE practitioner_id = $1 AND status = 'closed' "
      "AND accepted_at IS NOT NULL ORDER BY closed_at DESC LIMIT 20",
      {practitioner_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::int64_t>();
  std::int64_t sum = 0;
  for (const auto& r : *rows) sum += r.Int(1) - r.Int(0);
  return std::optional<std::int64_t>(sum / static_cast<std::int64_t>(rows->size()));
}

Result<std::pair<int, int>> CountsSince(store::Tx& tx, std::int64_t practitioner_id, std::int64_t since_ms) {
  auto rows = tx.Query(
      "SELECT COUNT(*), SUM(CASE WHEN closed_at >= $2 AND status IN ('closed', 'referred') THEN 1 ELSE 0 END) "
      "FROM consultations WHERE practitioner_id = $1 AND accepted_at >= $2",
      {practitioner_id, since_ms});
  if (!rows) return rows.error();
  return std::pair<int, int>(static_cast<int>((*rows)[0].Int(0)), static_cast<int>((*rows)[0].Int(1)));
}

Result<std::vector<std::int64_t>> SharedQueue(store::Tx& tx, const std::string& department_code) {
  return Ids(tx,
             "SELECT id FROM consultations WHERE status = 'waiting' AND practitioner_id IS NULL "
             "AND department_code = $1 ORDER BY created_at, id LIMIT 200",
             {department_code});
}

Result<std::vector<std::int64_t>> Stale(store::Tx& tx, const std::string& status, std::int64_t before) {
  return status == "waiting"
             ? Ids(tx, "SELECT id FROM consultations WHERE status = 'waiting' AND created_at < $1 LIMIT 500", {before})
             : Ids(tx, "SELECT id FROM consultations WHERE status = $2 AND last_activity_at < $1 LIMIT 500",
                   {before, status});
}

}  // namespace ihos::domain::consultation::repo
