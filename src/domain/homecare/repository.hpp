#pragma once
// Storage of the home-service catalogue, orders, their timeline and nurses' service areas:
// every SQL statement of home services, the same on both backends. All functions run inside
// the caller's transaction; errors are those of store::Tx.
#include <optional>
#include <string>
#include <vector>

#include "domain/homecare/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::homecare::repo {

// --- catalogue
// Active services in catalogue order.
Result<std::vector<ServiceItem>> ActiveServices(store::Tx& tx);
// The price of an active service, or nullopt when there is no such active service.
Result<std::optional<std::int64_t>> ActiveServicePrice(store::Tx& tx, const std::string& code);
// Sets the price and active flag and clears the demo flag; false when there is no such service.
Result<bool> SetServicePrice(store::Tx& tx, const PriceChange& p);

// --- orders
// True when the patient has an open (requested, accepted, arrived) order of the service with a
// window starting in [from_ms, to_ms).
Result<bool> HasOpenOrder(store::Tx& tx, std::int64_t patient_id, const std::string& service_code, std::int64_t from_ms,
                          std::int64_t to_ms);
// The account's phone number ("" when it has none). Reads the accounts' users table: it becomes a
// call to the accounts service once that offers one inside a transaction.
Result<std::string> AccountPhone(store::Tx& tx, std::int64_t user_id);
// Inserts a requested order; returns its id.
Result<std::int64_t> InsertOrder(store::Tx& tx, const NewOrder& o);
Result<std::optional<Order>> FindOrder(store::Tx& tx, std::int64_t id);
// Orders of the user, booked by the user, or of the user's wards; newest window first.
Result<std::vector<Order>> OrdersOfUser(store::Tx& tx, std::int64_t user_id, int limit);
// Requested orders whose window ends after now_ms, not of `except_patient`; by window start.
Result<std::vector<Order>> OpenOrders(store::Tx& tx, std::int64_t now_ms, std::int64_t except_patient, int limit);
// The nurse's accepted or arrived orders and those updated after `since_ms`; by window start.
Result<std::vector<Order>> NurseOrders(store::Tx& tx, std::int64_t nurse_id, std::int64_t since_ms, int limit);

// The conditional status changes: each false when the order was no longer as expected.
// `from` -> cancelled with the reason.
Result<bool> CancelOrder(store::Tx& tx, std::int64_t id, const std::string& from, const std::string& reason,
                         std::int64_t at);
// requested -> accepted by the nurse.
Result<bool> AcceptOrder(store::Tx& tx, std::int64_t id, std::int64_t nurse_id, std::int64_t at);
// `from` -> `to` by the nurse who accepted it; a non-empty note becomes the service note.
Result<bool> AdvanceOrder(store::Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
                          const std::string& note, std::int64_t nurse_id, std::int64_t at);

// --- timeline
Status InsertEvent(store::Tx& tx, std::int64_t order_id, std::int64_t actor_id, const Event& e);
// The order's events, oldest first.
Result<std::vector<Event>> Events(store::Tx& tx, std::int64_t order_id);

// --- nurses' areas
// The nurse's area codes, sorted.
Result<std::vector<std::string>> NurseAreas(store::Tx& tx, std::int64_t nurse_id);
Status ReplaceNurseAreas(store::Tx& tx, std::int64_t nurse_id, const std::vector<std::string>& codes);

}  // namespace ihos::domain::homecare::repo
