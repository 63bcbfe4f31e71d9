#pragma once
// Helpers shared by service.cpp and staff.cpp (not part of the capability's interface).
#include <string>

#include "core/error.hpp"

namespace ihos::domain::dispensing::internal {

inline Error NotFound() { return MakeError(Errc::not_found, "not_found"); }
inline Error Conflict(const std::string& code, std::string detail = {}) {
  return MakeError(Errc::conflict, code, std::move(detail));
}
// The stock reservation's reference in the pharmacy's ledger.
inline std::string Ref(std::int64_t id) { return "drug_order:" + std::to_string(id); }

}  // namespace ihos::domain::dispensing::internal
