#include "core/principal.hpp"

namespace ihos {

const std::vector<std::string>& AllRoles() {
  static const std::vector<std::string> kRoles = {"admin", "health_authority", "doctor", "pharmacist", "nurse",
                                                  "lab",   "pharmacy_staff",   "patient"};
  return kRoles;
}

std::string Principal::AuditRole() const {
  for (const auto& r : AllRoles())
    if (Has(r)) return r;
  return "patient";
}

}  // namespace ihos
