#pragma once
// Helpers shared by service.cpp and staff.cpp (not part of the capability's interface).
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/dispensing/model.hpp"
#include "domain/pharmacy/model.hpp"

namespace ihos::domain::dispensing::internal {

inline Error NotFound() { return MakeError(Errc::not_found, "not_found"); }
inline Error Conflict(const std::string& code, std::string detail = {}) {
  return MakeError(Errc::conflict, code, std::move(detail));
}
// The stock reservation's reference in the pharmacy's ledger.
inline std::string Ref(std::int64_t id) { return "drug_order:" + std::to_string(id); }

// Field errors of where an order goes (mode, and address/lat/lon for delivery).
std::vector<FieldError> ModeErrors(const std::string& mode, const std::string& address, double lat, double lon);
// A new order at pharmacy `p` (open; a delivery address within its radius), without lines or
// patient. Errors: conflict pharmacy_closed, delivery_out_of_range.
Result<Order> OrderAt(const pharmacy::Pharmacy& p, const std::string& mode, const std::string& address, double lat,
                      double lon, const std::string& contact_phone, std::int64_t now);

}  // namespace ihos::domain::dispensing::internal
