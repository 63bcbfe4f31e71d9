#pragma once
// The signed-in user making a request, as resolved from a session token.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ihos {

struct Principal {
  std::int64_t user_id = 0;
  std::string real_name;
  std::vector<std::string> roles;
  bool Has(std::string_view role) const {
    for (const auto& r : roles)
      if (r == role) return true;
    return false;
  }
  // The role recorded in the audit log for this actor: the most privileged one held.
  std::string AuditRole() const;
};

// Every role, most privileged first.
const std::vector<std::string>& AllRoles();

// Who did something, for the audit log.
struct RequestMeta {
  std::string request_id;
  std::string client_addr;
};

}  // namespace ihos
