#include "domain/triage/service.hpp"

#include <algorithm>
#include <chrono>

#include "core/log.hpp"
#include "domain/triage/dataset.hpp"
#include "domain/triage/labels.hpp"

namespace ihos::domain::triage {

namespace {

std::vector<Department> LoadDepartments(directory::DirectoryService& directory) {
  auto rows = directory.Departments(std::nullopt);
  if (!rows) {
    log::Warn("triage: cannot read departments", {{"code", rows.error().code}});
    return {};
  }
  std::vector<Department> out;
  for (const auto& d : *rows) out.push_back({d.code, d.name_zh, d.name_en});
  return out;
}

std::unique_ptr<Classifier> LoadModel(const std::string& path) {
  const auto t0 = std::chrono::steady_clock::now();
  auto c = Classifier::Load(path);
  if (!c) {
    log::Warn("triage model not loaded: red flags and the department list only",
              {{"path", path}, {"code", c.error().code}, {"detail", c.error().detail}});
    return nullptr;
  }
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  log::Info("triage model loaded",
            {{"path", path}, {"labels", (*c)->labels().size()}, {"linear", (*c)->has_linear()}, {"load_ms", ms}});
  return std::move(*c);
}

}  // namespace

TriageService::TriageService(directory::DirectoryService& directory, const Clock& clock, Config config)
    : TriageService(LoadDepartments(directory), LoadModel(config.model_path), clock, config) {}

TriageService::TriageService(std::vector<Department> departments, std::unique_ptr<Classifier> model, const Clock& clock,
                             Config config)
    : clock_(clock),
      config_(std::move(config)),
      departments_(std::move(departments)),
      model_(std::move(model)),
      limiter_(config_.rate_limit, config_.rate_window_ms) {}

Department TriageService::Named(std::string_view code) const {
  for (const auto& d : departments_)
    if (d.code == code) return d;
  return Department{std::string(code), std::string(code), std::string(code)};
}

Result<TriageResult> TriageService::Triage(std::string_view text, const RequestMeta& meta,
                                           std::optional<int> age_years) {
  if (auto wait = limiter_.Attempt("addr:" + meta.client_addr, clock_.NowMs())) {
    Error e = MakeError(Errc::rate_limited, "triage_too_many_requests");
    e.retry_after_s = static_cast<int>((*wait + 999) / 1000);
    return e;
  }
  return Assess(text, age_years);
}

TriageResult TriageService::Assess(std::string_view text, std::optional<int> age_years) const {
  TriageResult r;
  r.red_flags = CheckRedFlags(text);
  r.fallback = Named(kFallbackDepartment);
  r.model_available = model_ != nullptr;
  // Suicidal intent or self-harm: the departments are mental health, whatever the model says.
  if (std::any_of(r.red_flags.begin(), r.red_flags.end(),
                  [](const RedFlagHit& h) { return h.kind == RedFlagKind::mental_health; })) {
    for (std::string_view code : {"psychiatry", "psychology"}) r.suggestions.push_back({Named(code), 0, {}, true});
    return r;
  }
  if (!model_) return r;
  const auto tokens = Tokenize(text);
  if (tokens.empty()) {
    r.low_confidence = true;
    return r;
  }
  // The age group goes first, as in training (ModelText), when the model has learnt it.
  auto model_tokens = tokens;
  if (age_years) {
    const std::string age = AgeTokenOfYears(*age_years);
    if (!age.empty() && model_->Knows(age)) model_tokens.insert(model_tokens.begin(), Token{age, 0, 0});
  }
  const auto p = model_->Predict(model_tokens);
  const auto ranked = RankDepartments(*model_, p);
  for (std::size_t i = 0; i < std::min<std::size_t>(3, ranked.size()); ++i) {
    // The best department always; the next ones only when they are a real possibility.
    if (i > 0 && ranked[i].confidence < config_.min_alternative) break;
    Suggestion s{Named(ranked[i].department), ranked[i].confidence, {}};
    // The evidence for a department is that of its most probable label.
    int best = -1;
    for (std::size_t l = 0; l < p.probs.size(); ++l)
      if (*DepartmentOf(model_->labels()[l]) == ranked[i].department && (best < 0 || p.probs[l] > p.probs[best]))
        best = static_cast<int>(l);
    s.evidence = model_->Explain(p, best, model_tokens, text, 4);
    r.suggestions.push_back(std::move(s));
  }
  // A greeting or a word or two is too little to go on, however sure the model says it is.
  r.low_confidence = r.suggestions.empty() || r.suggestions[0].confidence < config_.low_confidence ||
                     tokens.size() < static_cast<std::size_t>(config_.min_tokens);
  return r;
}

}  // namespace ihos::domain::triage
