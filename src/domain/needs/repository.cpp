#include "domain/needs/repository.hpp"

#include "store/value.hpp"

namespace ihos::domain::needs::repo {
namespace {

using store::OrNull;

// --- mappers, one per table ---
constexpr char kWorkerCols[] = "user_id, community, region_code, active, registered_by, registered_at, demo";
Worker WorkerFrom(const store::Row& r) {
  Worker w;
  w.user_id = r.Int(0);
  w.community = r.Text(1);
  w.region_code = r.Text(2);
  w.active = r.Int(3) != 0;
  w.registered_by = r.Int(4);
  w.registered_at = r.Int(5);
  w.demo = r.Int(6) != 0;
  return w;
}

constexpr char kNeedCols[] =
    "id, patient_id, subject_name, subject_phone, registered_by, registered_as, formulary_item_id, drug_name, "
    "quantity, region_code, address, lat_e6, lon_e6, days_left, marked_urgent, urgency, condition_text, icd10_code, "
    "needs_prescription, status, consent_method, consent_at, consent_by, consultation_id, matched_at, "
    "match_radius_m, created_at, updated_at, closed_at, close_note, demo";
Need NeedFrom(const store::Row& r) {
  Need n;
  n.id = r.Int(0);
  n.patient_id = r.OptInt(1);
  n.subject_name = r.Text(2);
  n.subject_phone = r.Text(3);
  n.registered_by = r.Int(4);
  n.registered_as = r.Text(5);
  n.formulary_item_id = r.Int(6);
  n.drug_name = r.Text(7);
  n.quantity = r.Int(8);
  n.region_code = r.Text(9);
  n.address = r.Text(10);
  n.lat_e6 = r.Int(11);
  n.lon_e6 = r.Int(12);
  n.days_left = static_cast<int>(r.Int(13));
  n.marked_urgent = r.Int(14) != 0;
  n.urgency = r.Text(15);
  n.condition = r.Text(16);
  n.icd10_code = r.Text(17);
  n.needs_prescription = r.Int(18) != 0;
  n.status = r.Text(19);
  if (auto m = r.OptText(20)) n.consent = Consent{*m, r.Int(21), r.Int(22), ""};
  n.consultation_id = r.OptInt(23);
  n.matched_at = r.OptInt(24);
  n.match_radius_m = r.OptInt(25);
  n.created_at = r.Int(26);
  n.updated_at = r.Int(27);
  n.closed_at = r.OptInt(28);
  n.close_note = r.Text(29);
  n.demo = r.Int(30) != 0;
  return n;
}

constexpr char kMatchCols[] = "pharmacy_id, pharmacy_name, distance_m, available, matched_at";
Match MatchFrom(const store::Row& r) { return {r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4)}; }

constexpr char kAnswerCols[] =
    "id, need_id, pharmacy_id, pharmacy_name, answered_by, kind, quantity, note, reserved_until, released_at, "
    "created_at, updated_at";
Answer AnswerFrom(const store::Row& r) {
  Answer a;
  a.id = r.Int(0);
  a.need_id = r.Int(1);
  a.pharmacy_id = r.Int(2);
  a.pharmacy_name = r.Text(3);
  a.answered_by = r.Int(4);
  a.kind = r.Text(5);
  a.quantity = r.Int(6);
  a.note = r.Text(7);
  a.reserved_until = r.OptInt(8);
  a.released_at = r.OptInt(9);
  a.created_at = r.Int(10);
  a.updated_at = r.Int(11);
  return a;
}

template <class T, class F>
Result<std::vector<T>> All(store::Tx& tx, const std::string& sql, const store::Params& p, F from) {
  auto rows = tx.Query(sql, p);
  if (!rows) return rows.error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(from(r));
  return out;
}

std::vector<std::int64_t> Ids(const store::Rows& rows) {
  std::vector<std::int64_t> out;
  for (const auto& r : rows) out.push_back(r.Int(0));
  return out;
}

}  // namespace

// --- community workers ---
Result<std::optional<Worker>> FindWorker(store::Tx& tx, std::int64_t user_id) {
  auto rows = tx.Query(std::string("SELECT ") + kWorkerCols + " FROM need_workers WHERE user_id = $1", {user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Worker>();
  return std::optional<Worker>(WorkerFrom(rows->front()));
}

Status UpsertWorker(store::Tx& tx, const Worker& w) {
  auto n = tx.Exec(
      "INSERT INTO need_workers (user_id, community, region_code, active, registered_by, registered_at, demo) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO UPDATE SET community = excluded.community, "
      "region_code = excluded.region_code, active = excluded.active, registered_by = excluded.registered_by, "
      "registered_at = excluded.registered_at",
      {w.user_id, w.community, w.region_code, std::int64_t{w.active ? 1 : 0}, w.registered_by, w.registered_at,
       std::int64_t{w.demo ? 1 : 0}});
  if (!n) return n.error();
  return {};
}

Result<std::vector<Worker>> Workers(store::Tx& tx) {
  return All<Worker>(tx, std::string("SELECT ") + kWorkerCols + " FROM need_workers ORDER BY registered_at DESC", {},
                     WorkerFrom);
}

// --- needs ---
Result<std::int64_t> InsertNeed(store::Tx& tx, const Need& n) {
  auto rows = tx.Query(
      "INSERT INTO medicine_needs (patient_id, subject_name, subject_phone, registered_by, registered_as, "
      "formulary_item_id, drug_name, quantity, region_code, address, lat_e6, lon_e6, days_left, marked_urgent, "
      "urgency, condition_text, icd10_code, needs_prescription, status, consent_method, consent_at, consent_by, "
      "created_at, updated_at, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
      "$17, $18, $19, $20, $21, $22, $23, $23, $24) RETURNING id",
      {OrNull(n.patient_id),
       n.subject_name,
       n.subject_phone,
       n.registered_by,
       n.registered_as,
       n.formulary_item_id,
       n.drug_name,
       n.quantity,
       n.region_code,
       n.address,
       n.lat_e6,
       n.lon_e6,
       std::int64_t{n.days_left},
       std::int64_t{n.marked_urgent ? 1 : 0},
       n.urgency,
       n.condition,
       n.icd10_code,
       std::int64_t{n.needs_prescription ? 1 : 0},
       n.status,
       n.consent ? store::Value(n.consent->method) : store::Value(nullptr),
       n.consent ? store::Value(n.consent->at) : store::Value(nullptr),
       n.consent ? store::Value(n.consent->by) : store::Value(nullptr),
       n.created_at,
       std::int64_t{n.demo ? 1 : 0}});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

Result<std::optional<Need>> FindNeed(store::Tx& tx, std::int64_t id) {
  auto rows = tx.Query(std::string("SELECT ") + kNeedCols + " FROM medicine_needs WHERE id = $1", {id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Need>();
  return std::optional<Need>(NeedFrom(rows->front()));
}

Result<std::vector<Need>> NeedsOfPatients(store::Tx& tx, const std::vector<std::int64_t>& patient_ids, int limit) {
  std::vector<Need> out;
  for (auto pid : patient_ids) {
    auto some = All<Need>(tx,
                          std::string("SELECT ") + kNeedCols +
                              " FROM medicine_needs WHERE patient_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                          {pid, std::int64_t{limit}}, NeedFrom);
    if (!some) return some.error();
    out.insert(out.end(), some->begin(), some->end());
  }
  std::sort(out.begin(), out.end(), [](const Need& a, const Need& b) { return a.id > b.id; });
  if (out.size() > static_cast<std::size_t>(limit)) out.resize(limit);
  return out;
}

Result<std::vector<Need>> NeedsRegisteredBy(store::Tx& tx, std::int64_t registrar, int limit) {
  return All<Need>(tx,
                   std::string("SELECT ") + kNeedCols +
                       " FROM medicine_needs WHERE registered_by = $1 AND registered_as = 'worker' "
                       "ORDER BY created_at DESC, id DESC LIMIT $2",
                   {registrar, std::int64_t{limit}}, NeedFrom);
}

Result<std::vector<Need>> AwaitingConsent(store::Tx& tx, const std::string& phone) {
  return All<Need>(tx,
                   std::string("SELECT ") + kNeedCols +
                       " FROM medicine_needs WHERE subject_phone = $1 AND status = 'awaiting_consent' "
                       "ORDER BY id DESC LIMIT 50",
                   {phone}, NeedFrom);
}

Result<bool> SetStatus(store::Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
                       const std::string& note, std::int64_t at) {
  const bool final_state = to != "open" && to != "awaiting_consent";
  auto n = tx.Exec(
      "UPDATE medicine_needs SET status = $1, updated_at = $2, closed_at = $3, close_note = $4 "
      "WHERE id = $5 AND status = $6",
      {to, at, final_state ? store::Value(at) : store::Value(nullptr), note, id, from});
  if (!n) return n.error();
  return *n == 1;
}

Result<bool> RecordConsent(store::Tx& tx, std::int64_t id, const Consent& c, std::optional<std::int64_t> patient_id) {
  auto n = tx.Exec(
      "UPDATE medicine_needs SET status = 'open', consent_method = $1, consent_at = $2, consent_by = $3, "
      "patient_id = COALESCE(patient_id, $4), updated_at = $2 WHERE id = $5 AND status = 'awaiting_consent'",
      {c.method, c.at, c.by, OrNull(patient_id), id});
  if (!n) return n.error();
  return *n == 1;
}

Status SetConsultation(store::Tx& tx, std::int64_t id, std::int64_t consultation_id, std::int64_t at) {
  auto n = tx.Exec("UPDATE medicine_needs SET consultation_id = $1, updated_at = $2 WHERE id = $3",
                   {consultation_id, at, id});
  if (!n) return n.error();
  return {};
}

Result<std::vector<Need>> OpenInBox(store::Tx& tx, std::int64_t min_lat, std::int64_t max_lat, std::int64_t min_lon,
                                    std::int64_t max_lon, int limit) {
  return All<Need>(tx,
                   std::string("SELECT ") + kNeedCols +
                       " FROM medicine_needs WHERE status = 'open' AND lat_e6 BETWEEN $1 AND $2 "
                       "AND lon_e6 BETWEEN $3 AND $4 ORDER BY created_at LIMIT $5",
                   {min_lat, max_lat, min_lon, max_lon, std::int64_t{limit}}, NeedFrom);
}

Result<std::vector<std::int64_t>> DueForMatch(store::Tx& tx, std::int64_t before, int limit) {
  auto rows = tx.Query(
      "SELECT id FROM medicine_needs WHERE status = 'open' AND (matched_at IS NULL OR matched_at < $1) "
      "ORDER BY COALESCE(matched_at, 0), id LIMIT $2",
      {before, std::int64_t{limit}});
  if (!rows) return rows.error();
  return Ids(*rows);
}

Result<std::vector<std::int64_t>> OpenSince(store::Tx& tx, std::int64_t before, int limit) {
  auto rows = tx.Query("SELECT id FROM medicine_needs WHERE status = 'open' AND created_at < $1 ORDER BY id LIMIT $2",
                       {before, std::int64_t{limit}});
  if (!rows) return rows.error();
  return Ids(*rows);
}

// --- matches ---
Result<std::vector<Match>> ReplaceMatches(store::Tx& tx, std::int64_t need_id, const std::vector<Match>& matches,
                                          std::int64_t radius_m, std::int64_t at) {
  auto before = MatchesOf(tx, need_id);
  if (!before) return before.error();
  if (auto n = tx.Exec("DELETE FROM need_matches WHERE need_id = $1", {need_id}); !n) return n.error();
  std::vector<Match> fresh;
  for (const auto& m : matches) {
    auto n = tx.Exec(
        "INSERT INTO need_matches (need_id, pharmacy_id, pharmacy_name, distance_m, available, matched_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (need_id, pharmacy_id) DO NOTHING",
        {need_id, m.pharmacy_id, m.pharmacy_name, m.distance_m, m.available, at});
    if (!n) return n.error();
    const bool known =
        std::any_of(before->begin(), before->end(), [&](const Match& b) { return b.pharmacy_id == m.pharmacy_id; });
    if (!known) fresh.push_back(m);
  }
  auto n =
      tx.Exec("UPDATE medicine_needs SET matched_at = $1, match_radius_m = $2 WHERE id = $3", {at, radius_m, need_id});
  if (!n) return n.error();
  return fresh;
}

Result<std::vector<Match>> MatchesOf(store::Tx& tx, std::int64_t need_id) {
  return All<Match>(
      tx,
      std::string("SELECT ") + kMatchCols + " FROM need_matches WHERE need_id = $1 ORDER BY distance_m, pharmacy_id",
      {need_id}, MatchFrom);
}

// --- answers ---
Result<std::vector<Answer>> AnswersOf(store::Tx& tx, std::int64_t need_id) {
  return All<Answer>(tx, std::string("SELECT ") + kAnswerCols + " FROM need_answers WHERE need_id = $1 ORDER BY id",
                     {need_id}, AnswerFrom);
}

Result<std::optional<Answer>> FindAnswer(store::Tx& tx, std::int64_t need_id, std::int64_t pharmacy_id) {
  auto rows =
      tx.Query(std::string("SELECT ") + kAnswerCols + " FROM need_answers WHERE need_id = $1 AND pharmacy_id = $2",
               {need_id, pharmacy_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Answer>();
  return std::optional<Answer>(AnswerFrom(rows->front()));
}

Status UpsertAnswer(store::Tx& tx, const Answer& a) {
  auto n = tx.Exec(
      "INSERT INTO need_answers (need_id, pharmacy_id, pharmacy_name, answered_by, kind, quantity, note, "
      "reserved_until, released_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9) "
      "ON CONFLICT (need_id, pharmacy_id) DO UPDATE SET answered_by = excluded.answered_by, kind = excluded.kind, "
      "quantity = excluded.quantity, note = excluded.note, reserved_until = excluded.reserved_until, "
      "released_at = NULL, updated_at = excluded.updated_at",
      {a.need_id, a.pharmacy_id, a.pharmacy_name, a.answered_by, a.kind, a.quantity, a.note, OrNull(a.reserved_until),
       a.updated_at});
  if (!n) return n.error();
  return {};
}

Result<bool> MarkReleased(store::Tx& tx, std::int64_t answer_id, std::int64_t at) {
  auto n =
      tx.Exec("UPDATE need_answers SET released_at = $1 WHERE id = $2 AND kind = 'reserved' AND released_at IS NULL",
              {at, answer_id});
  if (!n) return n.error();
  return *n == 1;
}

Result<std::vector<Answer>> HeldReservations(store::Tx& tx, std::int64_t need_id) {
  return All<Answer>(tx,
                     std::string("SELECT ") + kAnswerCols +
                         " FROM need_answers WHERE need_id = $1 AND kind = 'reserved' AND released_at IS NULL",
                     {need_id}, AnswerFrom);
}

Result<std::vector<Answer>> LapsedReservations(store::Tx& tx, std::int64_t now, int limit) {
  return All<Answer>(tx,
                     std::string("SELECT ") + kAnswerCols +
                         " FROM need_answers WHERE kind = 'reserved' AND released_at IS NULL AND reserved_until < $1 "
                         "ORDER BY reserved_until LIMIT $2",
                     {now, std::int64_t{limit}}, AnswerFrom);
}

// --- the shortage map ---
Result<std::vector<ShortageRow>> ShortageByCounty(store::Tx& tx, const std::string& urgency,
                                                  std::optional<std::int64_t> formulary_item_id) {
  auto rows = tx.Query(
      "SELECT n.region_code, n.formulary_item_id, MIN(n.drug_name), COUNT(*), "
      "SUM(CASE WHEN n.urgency = 'urgent' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM need_matches m WHERE m.need_id = n.id) THEN 1 ELSE 0 END), "
      "SUM(n.quantity), SUM(n.created_at), MIN(n.created_at) FROM medicine_needs n "
      "WHERE n.status = 'open' AND (n.urgency = $1 OR $1 = '') "
      "AND (n.formulary_item_id = $2 OR $2 = 0) GROUP BY n.region_code, n.formulary_item_id",
      {urgency, formulary_item_id.value_or(0)});
  if (!rows) return rows.error();
  std::vector<ShortageRow> out;
  for (const auto& r : *rows) {
    ShortageRow s;
    s.region_code = r.Text(0);
    s.formulary_item_id = r.Int(1);
    s.drug_name = r.Text(2);
    s.needs = r.Int(3);
    s.urgent = r.Int(4);
    s.unmatched = r.Int(5);
    s.quantity = r.Int(6);
    s.sum_created = r.Int(7);
    s.min_created = r.Int(8);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ihos::domain::needs::repo
