#pragma once
// Home services: home nurse visits (网约护士: injection, dressing change, catheter care, PICC
// maintenance, blood draw, elderly care) and hospital escort (陪诊). A patient (or a guardian for
// a ward) orders a service for an address and a time window; a nurse whose service area covers
// the address accepts it, arrives and completes it. Every change is a timeline event, audited,
// and notifies the patient in both languages. See README.md beside this file.
//
// Thread-safe. Every method blocks on the database: call it from the worker pool. Results are
// the structs of model.hpp as the actor may see them (OrderView says for whom; a nurse sees the
// street address, phone and full name only after accepting); json.cpp encodes them. Errors:
// those named per method, and the store's.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "domain/homecare/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::homecare {

class HomeCareService {
 public:
  HomeCareService(store::Database& db, const Clock& clock, accounts::AccountService& accounts);

  // Whether an order was paid (billing, wired in app/). Unset: every order is free to take.
  using PaidCheck = std::function<Result<bool>(store::Tx&, std::int64_t order_id)>;
  void SetPaidCheck(PaidCheck paid) { paid_ = std::move(paid); }
  // For billing, in its transaction: the order (patient, service, price, status), or nullopt.
  Result<std::optional<Order>> BillingFactsOf(store::Tx& tx, std::int64_t id);

  // The catalogue with prices in fen (demo prices flagged demo).
  Result<std::vector<ServiceItem>> Services();
  // Admin: the hospital's own price (the demo flag goes). Errors: not_found; validation_failed.
  Result<PriceChange> SetPrice(const Principal& admin, const std::string& code, std::int64_t price_fen, bool active);

  // --- the patient (or guardian)
  // Errors: not_found (a patient the actor may not act for); validation_failed (service_code:
  // unknown_service, region_code, address, date, start_time, end_time, contact_phone);
  // conflict homecare_duplicate (the same service for the same person already open that day).
  Result<OrderView> PlaceOrder(const Principal& actor, const OrderInput& in, const RequestMeta& meta);
  // The actor's and wards' orders with their timelines, newest first.
  Result<std::vector<OrderView>> MyOrders(const Principal& actor);
  // The patient, a guardian, the booker or the nurse who accepted it. Errors: not_found.
  Result<OrderView> Get(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // Requested: any time before it is accepted (reason optional). Accepted: with a reason
  // (validation_failed reason required). Arrived or later: conflict homecare_not_cancellable.
  Result<OrderView> Cancel(const Principal& actor, std::int64_t id, const std::string& reason, const RequestMeta& meta);

  // --- the nurse
  // The nurse's area codes, sorted.
  Result<std::vector<std::string>> Areas(const Principal& nurse);
  // Replaces the nurse's service area (1..20 region codes). Errors: validation_failed.
  Result<std::vector<std::string>> SetAreas(const Principal& nurse, const std::vector<std::string>& codes);
  // Requested orders in the nurse's area whose window has not ended (street address hidden until
  // accepted), and the nurse's own accepted/arrived orders and the last completed ones.
  Result<NurseBoard> Board(const Principal& nurse);
  // Errors: not_found; conflict homecare_outside_area, homecare_already_taken, homecare_own_order,
  // homecare_wrong_status, homecare_payment_required (a priced order not paid yet).
  Result<OrderView> Accept(const Principal& nurse, std::int64_t id, const RequestMeta& meta);
  // The nurse who accepted it. Errors: not_found; conflict homecare_wrong_status.
  Result<OrderView> Arrive(const Principal& nurse, std::int64_t id, const RequestMeta& meta);
  // Errors: not_found; conflict homecare_wrong_status; validation_failed (service_note required).
  Result<OrderView> Complete(const Principal& nurse, std::int64_t id, const std::string& service_note,
                             const RequestMeta& meta);

 private:
  // Moves `id` from one of `from` to `to` as the nurse who accepted it and writes the event,
  // audit entry and notification. Returns the order as the nurse sees it.
  Result<OrderView> Transition(const Principal& nurse, std::int64_t id, const std::vector<std::string>& from,
                               const std::string& to, const std::string& note, const RequestMeta& meta);

  // True for a free order (price 0) or a paid one.
  Result<bool> Paid(store::Tx& tx, const Order& o);

  store::Database& db_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
  PaidCheck paid_;
};

}  // namespace ihos::domain::homecare
