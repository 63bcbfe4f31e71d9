#pragma once
// Drug orders (FHIR MedicationDispense): a patient (or guardian) orders an approved prescription's
// lines at a pharmacy for delivery or pickup; stock is reserved, the bill paid through billing, the
// pharmacy accepts, dispenses and hands over (pickup code scanned at its counter) or a courier
// delivers. See README.md beside this file for the lifecycle, invariants and who may do what.
//
// Thread-safe. Every method blocks on the database (call from the worker pool). Errors: those
// named per method, and the store's.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "domain/dispensing/courier.hpp"
#include "domain/dispensing/model.hpp"
#include "domain/drugs/service.hpp"
#include "domain/pharmacy/service.hpp"
#include "domain/prescriptions/service.hpp"
#include "store/database.hpp"

namespace ihos::domain::dispensing {

// What dispensing asks of billing (wired in app/).
struct BillingHooks {
  // Whether the order is paid (settled, not refunded), in the caller's transaction.
  std::function<Result<bool>(store::Tx&, std::int64_t order_id)> paid;
  // Opens the bill of a new order for the actor (starts the unpaid hold).
  std::function<Status(const Principal&, std::int64_t order_id)> open_bill;
};

struct Config {
  // A placed order never billed (the process died between placing and billing) is expired after
  // this long; a billed one is expired by billing's hold first (app/ sets this past the hold).
  std::int64_t unbilled_expiry_ms = 20LL * 60 * 1000;
  // A paid order the pharmacy has not accepted after this long is cancelled by the sweeper (the
  // reservation released; billing refunds it once). 0 = never.
  std::int64_t accept_timeout_ms = 120LL * 60 * 1000;
  // The patient's open medicine needs this order meets (wired in app/ to the need registry, in the
  // order's transaction): returns the reservation refs held for them, released by the order's own
  // reservation so a pharmacy's reservation for the need does not block the order. Unset: none.
  std::function<Result<std::vector<std::string>>(store::Tx&, std::int64_t patient_id,
                                                 const std::vector<std::int64_t>& item_ids,
                                                 const std::string& order_ref, std::int64_t now)>
      needs_met;
  // Called after every commit that changed an order (placed, moved on, its bill paid, refunded or
  // expired: see Changed), with the order as committed; wired in app/ to the event bus (topics
  // drug-order:<id> and pharmacy-orders:<pharmacy id>). Runs on the committing thread: must not
  // block. Unset: nothing is published.
  std::function<void(const Order&)> changed;
};

class DispensingService {
 public:
  DispensingService(store::Database& db, const Clock& clock, accounts::AccountService& accounts,
                    prescriptions::PrescriptionService& prescriptions, drugs::DrugService& drugs,
                    pharmacy::PharmacyService& pharmacies, CourierProvider& courier, BillingHooks billing,
                    Config config = {});

  // --- the patient or a guardian ---
  // The prescription's lines: prescribed, ordered, dispensed, and whether it may be ordered now.
  // Errors: not_found (not the actor's or a ward's prescription).
  Result<Orderable> OrderableOf(const Principal& actor, std::int64_t prescription_id, const RequestMeta& meta);
  // Places an order and reserves its stock (all of it or nothing), then opens its bill. Errors:
  // not_found; validation_failed (mode, address, lat, lon, pharmacy_id, lines); conflict
  // rx_not_approved, rx_expired, rx_line_unknown, rx_quantity_exceeded, rx_nothing_left,
  // pharmacy_closed, pharmacy_item_unavailable, delivery_out_of_range, stock_insufficient.
  Result<Order> Place(const Principal& actor, const OrderInput& in, const RequestMeta& meta);
  // Places an OTC order (no prescription) for the actor or a ward (patient_id): each line must be a
  // formulary line a pharmacist marked OTC (drugs otc_rules OtcLineRefusal), within its per-order
  // limit, 甲类 only when in advice_acknowledged_items; then as Place (stock reserved all or nothing, the
  // bill opened: self-pay, item drug.none). Errors: not_found (not the actor's ward);
  // validation_failed (mode, address, lat, lon, pharmacy_id, lines: required, too_many, duplicate,
  // out_of_range, not_found); conflict rx_required, otc_online_prohibited, otc_ephedrine_compound,
  // otc_not_marked, otc_quantity_limit, otc_advice_required, pharmacy_closed,
  // pharmacy_item_unavailable, delivery_out_of_range, stock_insufficient.
  Result<Order> PlaceOtc(const Principal& actor, const OtcOrderInput& in, const RequestMeta& meta);
  // The actor's and wards' orders, newest first.
  Result<std::vector<Order>> Mine(const Principal& actor);
  // The patient, a guardian, who placed it, staff of its pharmacy, its courier. Errors: not_found.
  Result<Order> Get(const Principal& actor, std::int64_t id);
  // placed | accepted -> cancelled: the reservation is released; a paid order is refunded by billing.
  // Errors: not_found; conflict drug_order_wrong_status (dispensed or later).
  Result<Order> Cancel(const Principal& actor, std::int64_t id, const std::string& reason, const RequestMeta& meta);
  // The signed pickup code of a live pickup order, for the patient's side only (who placed it, the
  // patient, a guardian): never staff or couriers. Errors: not_found; conflict drug_order_wrong_status.
  Result<std::string> PickupCode(const Principal& actor, std::int64_t id);
  // The published keys that verify pickup codes (anyone).
  Result<std::vector<PublicKey>> PickupKeys();

  // --- staff of the order's pharmacy (Queue: any duty; the steps: counter or manager, else
  // forbidden) ---
  // The pharmacies the actor is staff of.
  Result<std::vector<std::int64_t>> MyPharmacies(const Principal& actor);
  // The pharmacy's orders (every status when `status` is empty). Errors: not_found (not staff).
  Result<std::vector<Order>> Queue(const Principal& actor, std::int64_t pharmacy_id, const std::string& status);
  // placed -> accepted, only when paid or free. Errors: not_found; conflict drug_order_wrong_status,
  // drug_order_unpaid.
  Result<Order> Accept(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  // placed | accepted -> rejected with a reason; releases the reservation (billing refunds).
  // Errors: not_found; validation_failed (reason); conflict drug_order_wrong_status.
  Result<Order> Reject(const Principal& actor, std::int64_t id, const std::string& reason, const RequestMeta& meta);
  // accepted -> dispensed: the reservation becomes dispensed stock (earliest expiry first), the
  // batches are recorded; the prescription becomes dispensed when all of it is. Errors: not_found;
  // conflict drug_order_wrong_status, stock_not_reserved, stock_insufficient.
  //
  // With `batch_codes` (one batch or trace code per box, scanned or typed at the counter) the
  // boxes scanned are dispensed instead of the batches picked earliest-expiry-first, after the
  // batch scan's check in the same transaction: conflict batch_unknown, trace_code_unresolved,
  // batch_wrong_drug, batch_expired, batch_not_fefo, batch_scan_extra, batch_scan_incomplete
  // (pharmacy ScanRefusal: the first rule broken, every one in the error's violations).
  Result<Order> Dispense(const Principal& actor, std::int64_t id, const RequestMeta& meta,
                         const std::optional<std::vector<std::string>>& batch_codes = std::nullopt);
  // The batch scan so far, checked against the stock ledger (nothing written): what each code is
  // and how many boxes of each line are scanned. `partial`: a scan in progress (boxes still to
  // scan are not refused). Errors: not_found, forbidden (as Accept); conflict
  // drug_order_wrong_status (not accepted) and the batch rules of Dispense.
  Result<pharmacy::ScanCheck> BatchCheck(const Principal& actor, std::int64_t id,
                                         const std::vector<std::string>& batch_codes, bool partial);
  // A pickup code scanned (or pasted) at the pharmacy's counter: dispensed -> handed_over.
  // Errors: not_found (not staff); conflict pickup_code_invalid (malformed, forged, unknown),
  // pickup_wrong_pharmacy, pickup_code_used, drug_order_wrong_status (not dispensed yet).
  Result<Order> ScanPickup(const Principal& actor, std::int64_t pharmacy_id, const std::string& code,
                           const RequestMeta& meta);
  // failed -> dispensed (another delivery attempt) or failed -> returned (the goods go back to stock;
  // billing refunds). Errors: not_found; conflict drug_order_wrong_status.
  Result<Order> Redeliver(const Principal& actor, std::int64_t id, const RequestMeta& meta);
  Result<Order> TakeBack(const Principal& actor, std::int64_t id, const RequestMeta& meta);

  // --- couriers (CourierProvider::MayCarry) ---
  // Delivery orders waiting for a courier at the courier's pharmacies, and the courier's own.
  Result<std::vector<Order>> CourierBoard(const Principal& actor);
  // dispensed -> assigned (to the actor), assigned -> picked_up -> delivered, or -> failed with a
  // reason. Errors: not_found; validation_failed (reason); conflict drug_order_wrong_status.
  Result<Order> CourierMove(const Principal& actor, std::int64_t id, const std::string& to, const std::string& reason,
                            const RequestMeta& meta);

  // --- billing (in billing's transaction) ---
  Result<std::optional<Order>> ForBilling(store::Tx& tx, std::int64_t id);
  // An unpaid hold ended: placed -> expired and the reservation released (once).
  Status ReleaseUnpaid(store::Tx& tx, std::int64_t id, std::int64_t now);
  // Expires placed orders never billed; returns how many.
  Result<int> Sweep();

  // --- live updates ---
  // Billing changed the order's bill (paid, refunded, the unpaid hold ended) and committed:
  // publishes the order's state through Config::changed. Never fails (logged).
  void Changed(std::int64_t id);
  // Whether the actor may follow `topic` over the WebSocket: `drug-order:<id>` (who may Get it:
  // the patient, a guardian, who placed it, staff of its pharmacy, its courier) answers the order
  // now, so a client (re)subscribing starts from its state; `pharmacy-orders:<pharmacy id>`
  // (active staff of that pharmacy, any duty) answers nullopt. Errors: not_found (anything else).
  Result<std::optional<Order>> Watch(const Principal& actor, std::string_view topic);

  const CourierProvider& courier() const { return courier_; }

 private:
  // Moves the order from one of `from` to `to` as `role`, writing the event (and audit entry for
  // staff); releases the reservation when `to` ends the order. Returns the order after the move.
  Result<Order> MoveIn(store::Tx& tx, const Order& o, const std::vector<std::string>& from, const std::string& to,
                       const std::string& reason, const Principal* actor, const std::string& role,
                       const RequestMeta& meta, std::int64_t now);
  // Ok when the actor is counter or manager staff of the pharmacy. Errors: not_found (not staff),
  // forbidden (a courier).
  Status CounterDuty(store::Tx& tx, const Principal& actor, std::int64_t pharmacy_id);
  // The order when the actor is counter or manager staff of its pharmacy. Errors: not_found, forbidden.
  Result<Order> AsStaff(store::Tx& tx, const Principal& actor, std::int64_t id);
  // The newest pickup signing key, made on first use.
  Result<std::pair<std::int64_t, std::string>> SigningKey(store::Tx& tx);
  Result<Order> Reload(store::Tx& tx, std::int64_t id);
  // Publishes a committed change (Config::changed) and passes the result on.
  Result<Order> Published(Result<Order> r);
  // After a new order (from a prescription or OTC) committed: opens its bill when it costs
  // something (a failure is logged, the order stands), publishes it and returns it.
  Result<Order> Placed(const Principal& actor, std::int64_t id);
  Result<Order> StaffAction(const Principal& actor, std::int64_t id,
                            const std::function<Result<Order>(store::Tx&, const Order&, std::int64_t)>& body);
  // StaffAction for a step that supplies the order (accept, dispense): when the prescription may no
  // longer be supplied (cancelled or expired since it was ordered), or a line of an OTC order is no
  // longer marked OTC (revoked since), the order is rejected with that reason instead (the
  // reservation released, billing refunds a paid one) and the step refused with conflict
  // rx_not_approved | rx_expired | otc_not_marked (params name: the drug).
  Result<Order> SupplyAction(const Principal& actor, std::int64_t id, const RequestMeta& meta,
                             const std::function<Result<Order>(store::Tx&, const Order&, std::int64_t)>& body);
  // "" when the prescription may be supplied at `now`, read (and locked) in the transaction; else
  // rx_not_approved | rx_expired.
  Result<std::string> RxRefusalIn(store::Tx& tx, std::int64_t prescription_id, std::int64_t now);
  // {"", ""} when every line of the OTC order is still marked OTC, read in the transaction; else
  // {"otc_not_marked", the first such line's drug name}.
  Result<std::pair<std::string, std::string>> OtcRefusalIn(store::Tx& tx, const Order& o);

  store::Database& db_;
  const Clock& clock_;
  accounts::AccountService& accounts_;
  prescriptions::PrescriptionService& prescriptions_;
  drugs::DrugService& drugs_;
  pharmacy::PharmacyService& pharmacies_;
  CourierProvider& courier_;
  BillingHooks billing_;
  Config config_;
};

}  // namespace ihos::domain::dispensing
