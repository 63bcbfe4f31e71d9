#pragma once
// Home services: home nurse visits (网约护士: injection, dressing change, catheter care, PICC
// maintenance, blood draw, elderly care) and hospital escort (陪诊). A patient (or a guardian for
// a ward) orders a service for an address and a time window; a nurse whose service area covers
// the address accepts it, arrives and completes it. Every change is a timeline event, audited,
// and notifies the patient in both languages. See README.md beside this file.
//
// Thread-safe. Every method blocks on the database: call it from the worker pool. Views are JSON
// objects. Errors: those named per method, and the store's.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "store/database.hpp"

namespace ihos::domain::homecare {

struct OrderInput {
  std::optional<std::int64_t> patient_id;
  std::string service_code, region_code, address, contact_phone, date, start_time, end_time, note;
};

class HomeCareService {
 public:
  HomeCareService(store::Database& db, const Clock& clock, accounts::AccountService& accounts);

  // The catalogue with prices in fen (demo prices flagged demo).
  Result<boost::json::object> Services();
  // Admin: the hospital's own price (the demo flag goes). Errors: not_found; validation_failed.
  Result<boost::json::object> SetPrice(const Principal& admin, const std::string& code, std::int64_t price_fen,
                                       bool active);

  // --- the patient (or guardian)
  // Errors: not_found (a patient the actor may not act for); validation_failed (service_code:
  // unknown_service, region_code, address, date, start_time, end_time, contact_phone);
  // conflict homecare_duplicate (the same service for the same person already open that day).
  Result<boost::json::object> Order(const Principal& actor, const OrderInput& in, const RequestMeta& meta);
  // The actor's and wards' orders with their timelines, newest first.
  Result<boost::json::object> MyOrders(const Principal& actor);
  // The patient, a guardian, the booker or the nurse who accepted it. Errors: not_found.
  Result<boost::json::object> Get(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // Requested: any time before it is accepted (reason optional). Accepted: with a reason
  // (validation_failed reason required). Arrived or later: conflict homecare_not_cancellable.
  Result<boost::json::object> Cancel(const Principal& actor, std::int64_t id, const std::string& reason,
                                     const RequestMeta& meta);

  // --- the nurse
  Result<boost::json::object> Areas(const Principal& nurse);
  // Replaces the nurse's service area (1..20 region codes). Errors: validation_failed.
  Result<boost::json::object> SetAreas(const Principal& nurse, const std::vector<std::string>& codes);
  // Requested orders in the nurse's area whose window has not ended (street address hidden until
  // accepted), and the nurse's own accepted/arrived orders and the last completed ones.
  Result<boost::json::object> NurseBoard(const Principal& nurse);
  // Errors: not_found; conflict homecare_outside_area, homecare_already_taken, homecare_own_order,
  // homecare_wrong_status.
  Result<boost::json::object> Accept(const Principal& nurse, std::int64_t id, const RequestMeta& meta);
  // The nurse who accepted it. Errors: not_found; conflict homecare_wrong_status.
  Result<boost::json::object> Arrive(const Principal& nurse, std::int64_t id, const RequestMeta& meta);
  // Errors: not_found; conflict homecare_wrong_status; validation_failed (service_note required).
  Result<boost::json::object> Complete(const Principal& nurse, std::int64_t id, const std::string& service_note,
                                       const RequestMeta& meta);

 private:
  // Moves `id` from one of `from` to `to` as `actor` and writes the event, audit entry and
  // notification. Returns the order as `actor` sees it.
  Result<boost::json::object> Transition(const Principal& actor, std::int64_t id,
                                         const std::vector<std::string>& from, const std::string& to,
                                         const std::string& note, const RequestMeta& meta);

  store::Database& db_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
};

}  // namespace ihos::domain::homecare
