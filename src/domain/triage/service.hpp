#pragma once
// AI self-check (AI自查): a patient's own words -> red flags first, then the departments most
// likely to help. Guidance only: it never diagnoses and never prescribes; a doctor decides.
// The text is not stored and not logged. Thread-safe.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/rate_limiter.hpp"
#include "domain/directory/service.hpp"
#include "domain/triage/classifier.hpp"
#include "domain/triage/red_flags.hpp"

namespace ihos::domain::triage {

struct Config {
  std::string model_path = "var/triage.bin";
  // Under this top-1 confidence the answer says "we are not sure" and suggests 全科.
  double low_confidence = 0.5;
  // Fewer tokens (Han characters, words) than this is also "not sure".
  int min_tokens = 4;
  // The 2nd and 3rd departments are shown only from this confidence on (a 0% suggestion is noise).
  double min_alternative = 0.05;
  int rate_limit = 30;  // requests per client address per window
  std::int64_t rate_window_ms = 60 * 1000;
};

struct Department {
  std::string code, name_zh, name_en;
};

struct Suggestion {
  Department department;
  double confidence;               // the model's; 0 when by_rule
  std::vector<Evidence> evidence;  // the patient's words that weighed most
  bool by_rule = false;            // set by a red-flag rule, not the model (mental health)
};

struct TriageResult {
  std::vector<RedFlagHit> red_flags;    // first: emergency / mental-health advice
  std::vector<Suggestion> suggestions;  // up to 3, best first; empty without a model
  bool model_available = false;
  bool low_confidence = false;
  Department fallback;  // 全科, suggested when low_confidence or without a model
};

class TriageService {
 public:
  // Loads the model from config.model_path (a missing or broken model is logged; the service
  // then answers with red flags and the department list) and the department names from the
  // directory (its catalogue, asked once at start).
  TriageService(directory::DirectoryService& directory, const Clock& clock, Config config);
  // For tests and the bench: a service over an already loaded classifier (may be null).
  TriageService(std::vector<Department> departments, std::unique_ptr<Classifier> model, const Clock& clock,
                Config config);

  // `age_years`, when known, is read by the model as the patient's age group (children's
  // departments depend on it; a model trained without ages ignores it).
  // Errors: rate_limited "triage_too_many_requests" (retry_after_s set) past the per-address limit.
  Result<TriageResult> Triage(std::string_view text, const RequestMeta& meta,
                              std::optional<int> age_years = std::nullopt);
  // The same without the rate limit.
  TriageResult Assess(std::string_view text, std::optional<int> age_years = std::nullopt) const;

  const std::vector<Department>& departments() const { return departments_; }
  bool model_loaded() const { return model_ != nullptr; }

 private:
  Department Named(std::string_view code) const;

  const Clock& clock_;
  Config config_;
  std::vector<Department> departments_;
  std::unique_ptr<Classifier> model_;
  RateLimiter limiter_;
};

}  // namespace ihos::domain::triage
