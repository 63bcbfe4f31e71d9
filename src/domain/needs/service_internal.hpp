#pragma once
// Helpers shared by the files that define NeedService (service.cpp, pharmacies.cpp).
#include <string>

#include "core/error.hpp"

namespace ihos::domain::needs::internal {

inline Error NotFound() { return MakeError(Errc::not_found, "not_found"); }
inline Error Conflict(std::string code) { return MakeError(Errc::conflict, std::move(code)); }
// The reservation reference of a pharmacy's answer to a need.
inline std::string ReserveRef(std::int64_t need_id, std::int64_t pharmacy_id) {
  return "need:" + std::to_string(need_id) + ":" + std::to_string(pharmacy_id);
}
// The SMS-code purpose of a worker's registration (one live code per need).
inline std::string ConsentPurpose(std::int64_t need_id) { return "need_consent:" + std::to_string(need_id); }

}  // namespace ihos::domain::needs::internal
