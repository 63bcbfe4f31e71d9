#pragma once
// Every SQL statement of the need registry: rows -> structs. Functions run in the caller's
// transaction and return the errors of store::Tx.
#include <optional>
#include <string>
#include <vector>

#include "domain/needs/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::needs::repo {

// --- community workers ---
Result<std::optional<Worker>> FindWorker(store::Tx& tx, std::int64_t user_id);
Status UpsertWorker(store::Tx& tx, const Worker& w);
Result<std::vector<Worker>> Workers(store::Tx& tx);

// --- needs ---
Result<std::int64_t> InsertNeed(store::Tx& tx, const Need& n);
Result<std::optional<Need>> FindNeed(store::Tx& tx, std::int64_t id);
// Needs of these patients, or registered by `registrar` (when set), newest first.
Result<std::vector<Need>> NeedsOfPatients(store::Tx& tx, const std::vector<std::int64_t>& patient_ids, int limit);
Result<std::vector<Need>> NeedsRegisteredBy(store::Tx& tx, std::int64_t registrar, int limit);
// Workers' registrations waiting for the consent of the owner of `phone`.
Result<std::vector<Need>> AwaitingConsent(store::Tx& tx, const std::string& phone);
// Moves the status when it is `from`; false when it was not.
Result<bool> SetStatus(store::Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
                       const std::string& note, std::int64_t at);
// awaiting_consent -> open with the consent (and the patient's account for in_app); false when the
// need was not awaiting consent.
Result<bool> RecordConsent(store::Tx& tx, std::int64_t id, const Consent& c, std::optional<std::int64_t> patient_id);
Status SetConsultation(store::Tx& tx, std::int64_t id, std::int64_t consultation_id, std::int64_t at);
// Open needs in the box, at most `limit`.
Result<std::vector<Need>> OpenInBox(store::Tx& tx, std::int64_t min_lat, std::int64_t max_lat, std::int64_t min_lon,
                                    std::int64_t max_lon, int limit);
// Open needs not matched since `before` (never matched first), at most `limit`.
Result<std::vector<std::int64_t>> DueForMatch(store::Tx& tx, std::int64_t before, int limit);
// Open needs registered before `before`, at most `limit`.
Result<std::vector<std::int64_t>> OpenSince(store::Tx& tx, std::int64_t before, int limit);

// --- matches ---
// Replaces the need's matches; returns the pharmacies that were not matched before.
Result<std::vector<Match>> ReplaceMatches(store::Tx& tx, std::int64_t need_id, const std::vector<Match>& matches,
                                          std::int64_t radius_m, std::int64_t at);
Result<std::vector<Match>> MatchesOf(store::Tx& tx, std::int64_t need_id);

// --- answers ---
Result<std::vector<Answer>> AnswersOf(store::Tx& tx, std::int64_t need_id);
Result<std::optional<Answer>> FindAnswer(store::Tx& tx, std::int64_t need_id, std::int64_t pharmacy_id);
// Inserts or replaces the pharmacy's answer.
Status UpsertAnswer(store::Tx& tx, const Answer& a);
// Sets released_at on an unreleased reservation; false when it was already released (or none).
Result<bool> MarkReleased(store::Tx& tx, std::int64_t answer_id, std::int64_t at);
// Unreleased reservations of a need.
Result<std::vector<Answer>> HeldReservations(store::Tx& tx, std::int64_t need_id);
// Unreleased reservations whose time ended before `now`.
Result<std::vector<Answer>> LapsedReservations(store::Tx& tx, std::int64_t now, int limit);

// --- the shortage map: open needs per county and drug (unmatched: no match row) ---
Result<std::vector<ShortageRow>> ShortageByCounty(store::Tx& tx, const std::string& urgency,
                                                  std::optional<std::int64_t> formulary_item_id);

}  // namespace ihos::domain::needs::repo
