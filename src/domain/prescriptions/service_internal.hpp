#pragma once
// Helpers shared by the parts of PrescriptionService (service.cpp: the doctor, reading,
// verification; allergies.cpp; keys.cpp; review.cpp: pharmacists). Not for other capabilities.
#include <algorithm>

#include "core/civil_time.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/resident_id.hpp"
#include "domain/audit/audit.hpp"
#include "domain/consultation/rules.hpp"
#include "domain/drugs/rules.hpp"
#include "domain/prescriptions/document.hpp"
#include "domain/prescriptions/repository.hpp"
#include "domain/prescriptions/service.hpp"
#include "domain/prescriptions/signing.hpp"

namespace ihos::domain::prescriptions {
namespace detail {

inline Error NotFound() { return MakeError(Errc::not_found, "not_found"); }

inline audit::Entry Audit(const Principal& actor, std::int64_t now, std::string action, std::int64_t patient_id,
                          const std::string& resource_type, std::int64_t id, std::string reason,
                          const RequestMeta& meta) {
  return audit::Entry{now,           actor.user_id,      actor.AuditRole(), std::move(action), patient_id,
                      resource_type, std::to_string(id), std::move(reason), meta.request_id};
}

// The refusal of a rule: the first blocking hit names the code; every blocking hit is listed.
inline Error RuleError(const std::vector<RuleHit>& hits) {
  Error e;
  for (const auto& h : hits) {
    if (!h.blocking) continue;
    Violation v{h.code, {{"drug", h.drug}, {"other", h.other}}};
    if (h.line >= 0) v.params.push_back({"line", std::to_string(h.line)});
    if (e.code.empty()) {
      e.errc = Errc::conflict;
      e.code = h.code;
      e.params = v.params;
    }
    e.violations.push_back(std::move(v));
  }
  return e;
}

inline bool AnyBlocking(const std::vector<RuleHit>& hits) {
  return std::any_of(hits.begin(), hits.end(), [](const RuleHit& h) { return h.blocking; });
}

inline std::string WarningsJson(const std::vector<RuleHit>& hits) {
  // Kept with the prescription for the pharmacist: the warnings and overridden hits at signing.
  std::string out = "[";
  for (const auto& h : hits) {
    if (h.blocking) continue;
    if (out.size() > 1) out += ",";
    auto esc = [](const std::string& s) {
      std::string r;
      for (char c : s) {
        if (c == '"' || c == '\\') r += '\\';
        r += c;
      }
      return r;
    };
    out += "{\"code\":\"" + esc(h.code) + "\",\"line\":" + std::to_string(h.line) + ",\"drug\":\"" + esc(h.drug) +
           "\",\"other\":\"" + esc(h.other) + "\",\"overridden\":" + (h.overridden ? "true" : "false") + "}";
  }
  return out + "]";
}

inline bool PractisingToday(const directory::Doctor& d, std::int64_t now) {
  return d.status == "active" && d.licence_expires_on >= CivilDateCst(now);
}

}  // namespace detail

struct PrescriptionService::Prepared {
  consultation::Consultation consultation;
  directory::Doctor doctor;
  CheckContext ctx;
  std::vector<RuleHit> hits;
};

}  // namespace ihos::domain::prescriptions
