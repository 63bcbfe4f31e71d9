#pragma once
// Helpers shared by the files that define NeedService (service.cpp, pharmacies.cpp).
#include <string>

#include "core/error.hpp"

namespace ihos::domain::needs::internal {

inline Error NotFound() { return MakeError(Errc::not_found, "not_found"); }
inline Error Conflict(std::string code) { return MakeError(Errc::conflict, std::move(code)); }
// The reservation reference of a pharmacy's answer to a need, as first made (one per need and
// pharmacy): still released for reservations made before references carried the answer's time.
inline std::string LegacyReserveRef(std::int64_t need_id, std::int64_t pharmacy_id) {
  return "need:" + std::to_string(need_id) + ":" + std::to_string(pharmacy_id);
}
// The reference of one reservation: the answer's time (its updated_at) makes it unique per
// reservation, so a pharmacy that reserves again after a lapse or a release really reserves.
inline std::string ReserveRef(std::int64_t need_id, std::int64_t pharmacy_id, std::int64_t answered_at) {
  return LegacyReserveRef(need_id, pharmacy_id) + ":" + std::to_string(answered_at);
}
// The SMS-code purpose of a worker's registration (one live code per need).
inline std::string ConsentPurpose(std::int64_t need_id) { return "need_consent:" + std::to_string(need_id); }

}  // namespace ihos::domain::needs::internal
