#include "domain/healthcode/facts.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/civil_time.hpp"
#include "core/mask.hpp"
#include "core/regions.hpp"
#include "core/resident_id.hpp"
#include "domain/audit/audit.hpp"
#include "domain/healthcode/repository.hpp"

namespace ihos::domain::healthcode {
using store::Tx;

namespace {

const std::vector<std::string> kExposures = {"confirmed", "suspected", "close_contact", "secondary_contact"};
const std::vector<std::string> kSymptoms = {"fever", "cough", "sore_throat", "loss_of_smell", "fatigue"};

bool In(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::optional<int> TwoDigits(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<FieldError> CheckTestResult(const TestResultInput& in, std::int64_t now) {
  std::vector<FieldError> errs;
  if (in.result != "negative" && in.result != "positive") errs.push_back({"result", "invalid_value"});
  if (in.sample_id.empty()) errs.push_back({"sample_id", "required"});
  if (in.sampled_at <= 0 || in.sampled_at > now) errs.push_back({"sampled_at", "date_in_future"});
  return errs;
}

}  // namespace

std::optional<std::int64_t> ParseSampleTime(const std::string& s) {
  if (!s.empty() && s.size() <= 15 && std::all_of(s.begin(), s.end(), ::isdigit)) {
    std::int64_t ms = 0;
    std::from_chars(s.data(), s.data() + s.size(), ms);  // at most 15 digits: fits
    return ms;
  }
  if (s.size() < 16 || !IsValidIsoDate(s.substr(0, 10)) || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
    return std::nullopt;
  if (!isdigit(s[11]) || !isdigit(s[12]) || !isdigit(s[14]) || !isdigit(s[15])) return std::nullopt;
  const int h = *TwoDigits(std::string_view(s).substr(11, 2)), mi = *TwoDigits(std::string_view(s).substr(14, 2));
  if (h > 23 || mi > 59) return std::nullopt;
  return *CstMidnightMs(s.substr(0, 10)) + (h * 60LL + mi) * 60000;
}

FactsService::FactsService(store::Database& db, const Clock& clock, const Config& config, StatusService& status)
    : db_(db),
      clock_(clock),
      exposure_window_minutes_(config.exposure_window_minutes),
      exposure_lookback_days_(config.exposure_lookback_days),
      status_(status) {}

Result<std::int64_t> FactsService::Insert(Tx& tx, NewFact f) {
  f.entered_at = clock_.NowMs();
  return repo::InsertFact(tx, f);
}

Result<FactOutcome> FactsService::Declare(const Principal& me, const std::string& kind, const std::string& value,
                                          const std::string& region_code, const std::string& date) {
  std::vector<FieldError> errs;
  if (kind != "symptom" && kind != "travel") errs.push_back({"kind", "invalid_value"});
  if (kind == "symptom" && !In(kSymptoms, value)) errs.push_back({"value", "invalid_value"});
  if (!IsValidIsoDate(date))
    errs.push_back({"date", "invalid_date"});
  else if (*CstMidnightMs(date) > clock_.NowMs())
    errs.push_back({"date", "date_in_future"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return status_.Write<FactOutcome>([&](Tx& tx) -> Result<FactOutcome> {
    std::optional<std::string> region;
    if (kind == "travel") {
      if (FindRegion(region_code) == nullptr) return ValidationFailed({{"region_code", "region_unknown"}});
      region = region_code;
    }
    // A travel fact keeps its arrival date in `detail` so risk areas are matched by date.
    const bool travel = kind == "travel";
    const std::int64_t at =
        travel ? *CstMidnightMs(date) : std::min<std::int64_t>(clock_.NowMs(), *CstMidnightMs(date) + 12 * 3600000LL);
    auto id =
        Insert(tx, {me.user_id, kind, travel ? "arrival" : value, at, region, travel ? date : "", "self", me.user_id});
    if (!id) return id.error();
    auto ev = status_.Recompute(tx, me.user_id, "fact.added:" + kind);
    if (!ev) return ev.error();
    return FactOutcome{*id, ev->colour, ev->reasons, std::nullopt};
  });
}

Result<FactOutcome> FactsService::AddTestResult(const Principal& lab, const TestResultInput& in,
                                                const RequestMeta& meta) {
  if (auto errs = CheckTestResult(in, clock_.NowMs()); !errs.empty()) return ValidationFailed(std::move(errs));
  return status_.Write<FactOutcome>([&](Tx& tx) -> Result<FactOutcome> {
    auto uid = PersonId(tx, in.id_number);
    if (!uid) return uid.error();
    return AddTestResultTx(tx, lab, *uid, in, meta);
  });
}

Result<FactOutcome> FactsService::AddTestResultTx(Tx& tx, const Principal& lab, std::int64_t user_id,
                                                  const TestResultInput& in, const RequestMeta& meta) {
  if (auto errs = CheckTestResult(in, clock_.NowMs()); !errs.empty()) return ValidationFailed(std::move(errs));
  auto dup = repo::SampleExists(tx, in.sample_id);
  if (!dup) return dup.error();
  if (*dup) return MakeError(Errc::conflict, "sample_exists");
  auto id = Insert(tx, {user_id, "nat_test", in.result, in.sampled_at, std::nullopt, in.sample_id, "lab", lab.user_id});
  if (!id) return id.error();
  if (auto a = audit::Append(tx, AuditOf(lab, "healthcode.test.add", user_id, "Observation", std::to_string(*id), "",
                                         meta, clock_.NowMs()));
      !a)
    return a.error();
  auto ev = status_.Recompute(tx, user_id, "fact.added:nat_test");
  if (!ev) return ev.error();
  return FactOutcome{*id, ev->colour, std::nullopt, std::nullopt};
}

ParsedTestCsv ParseTestResultsCsv(const std::string& csv, std::int64_t now_ms) {
  ParsedTestCsv p;
  auto& rows = p.rows;
  auto& errs = p.errors;
  auto& row_lines = p.row_lines;
  // A spreadsheet saves UTF-8 CSV with a byte-order mark: skip it.
  std::istringstream in(csv.rfind("\xEF\xBB\xBF", 0) == 0 ? csv.substr(3) : csv);
  std::string line;
  std::map<std::string, int> sample_line;  // sample id -> first line it is on
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (n == 1) {
      if (line != "id_number,sample_id,result,sampled_at") errs.push_back({"line 1", "csv_header"});
      continue;
    }
    std::vector<std::string> cols;
    std::stringstream ls(line);
    std::string c;
    while (std::getline(ls, c, ',')) cols.push_back(c);
    const std::string where = "line " + std::to_string(n);
    if (cols.size() != 4) {
      errs.push_back({where, "csv_columns"});
      continue;
    }
    auto t = ParseSampleTime(cols[3]);
    if (!t || *t > now_ms) errs.push_back({where + ".sampled_at", "invalid_date"});
    if (cols[2] != "negative" && cols[2] != "positive") errs.push_back({where + ".result", "invalid_value"});
    if (!ParseResidentId(cols[0], CivilDateCst(now_ms))) errs.push_back({where + ".id_number", "id_number_format"});
    if (cols[1].empty() || cols[1].size() > 64)
      errs.push_back({where + ".sample_id", "required"});
    else if (!sample_line.emplace(cols[1], n).second)
      errs.push_back({where + ".sample_id", "sample_duplicate_in_file"});
    rows.push_back({cols[0], cols[1], cols[2], t.value_or(0)});
    row_lines.push_back(n);
    if (errs.size() > 50) break;
  }
  return p;
}

Result<ImportOutcome> FactsService::ImportTestResults(const Principal& lab, const std::string& csv,
                                                      const RequestMeta& meta) {
  ParsedTestCsv parsed = ParseTestResultsCsv(csv, clock_.NowMs());
  const auto& rows = parsed.rows;
  const auto& row_lines = parsed.row_lines;
  auto& errs = parsed.errors;
  if (rows.empty() && errs.empty()) errs.push_back({"csv", "required"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return status_.Write<ImportOutcome>([&](Tx& tx) -> Result<ImportOutcome> {
    std::vector<FieldError> late;
    std::vector<std::int64_t> users;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const auto& r = rows[k];
      const std::string where = "line " + std::to_string(row_lines[k]);
      auto uid = repo::PersonByIdNumber(tx, r.id_number);
      if (!uid) return uid.error();
      if (!*uid) {
        late.push_back({where + ".id_number", "person_not_found"});
        continue;
      }
      auto dup = repo::SampleExists(tx, r.sample_id);
      if (!dup) return dup.error();
      if (*dup) {
        late.push_back({where + ".sample_id", "sample_exists"});
        continue;
      }
      auto id =
          Insert(tx, {**uid, "nat_test", r.result, r.sampled_at, std::nullopt, r.sample_id, "import", lab.user_id});
      if (!id) {
        late.push_back({where + ".sample_id", "sample_exists"});
        continue;
      }
      users.push_back(**uid);
    }
    if (!late.empty()) return ValidationFailed(std::move(late));  // rolls the whole file back
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    for (auto u : users) {
      auto ev = status_.Recompute(tx, u, "fact.added:nat_test.import");
      if (!ev) return ev.error();
    }
    if (auto a = audit::Append(tx, AuditOf(lab, "healthcode.test.import", std::nullopt, "Observation",
                                           std::to_string(rows.size()), "csv import", meta, clock_.NowMs()));
        !a)
      return a.error();
    return ImportOutcome{rows.size(), users.size()};
  });
}

Result<FactOutcome> FactsService::ReportFever(const Principal& staff, const std::string& id_number, double celsius,
                                              const std::string& gate, const RequestMeta& meta) {
  if (!(celsius >= 34.0 && celsius <= 43.0)) return ValidationFailed({{"temperature", "out_of_range"}});
  return status_.Write<FactOutcome>([&](Tx& tx) -> Result<FactOutcome> {
    auto uid = PersonId(tx, id_number);
    if (!uid) return uid.error();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f°C @ ", celsius);
    const std::string value = celsius >= 37.3 ? "fever" : "normal";
    auto id =
        Insert(tx, {*uid, "fever_onsite", value, clock_.NowMs(), std::nullopt, buf + gate, "gate", staff.user_id});
    if (!id) return id.error();
    if (auto a = audit::Append(tx, AuditOf(staff, "healthcode.fever.report", *uid, "Observation", std::to_string(*id),
                                           gate, meta, clock_.NowMs()));
        !a)
      return a.error();
    auto ev = status_.Recompute(tx, *uid, "fact.added:fever_onsite." + value);
    if (!ev) return ev.error();
    return FactOutcome{*id, ev->colour, std::nullopt, value};
  });
}

Result<FactOutcome> FactsService::AddVaccination(const Principal& actor, const std::string& id_number, int dose,
                                                 const std::string& vaccine, const std::string& date,
                                                 const RequestMeta& meta) {
  std::vector<FieldError> errs;
  if (dose < 1 || dose > 10) errs.push_back({"dose", "out_of_range"});
  if (vaccine.empty()) errs.push_back({"vaccine", "required"});
  if (!IsValidIsoDate(date))
    errs.push_back({"date", "invalid_date"});
  else if (*CstMidnightMs(date) > clock_.NowMs())
    errs.push_back({"date", "date_in_future"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return status_.Write<FactOutcome>([&](Tx& tx) -> Result<FactOutcome> {
    auto uid = PersonId(tx, id_number);
    if (!uid) return uid.error();
    auto id = Insert(tx, {*uid, "vaccination", std::to_string(dose), *CstMidnightMs(date), std::nullopt, vaccine,
                          "clinic", actor.user_id});
    if (!id) return id.error();
    if (auto a = audit::Append(tx, AuditOf(actor, "healthcode.vaccination.add", *uid, "Immunization",
                                           std::to_string(*id), "", meta, clock_.NowMs()));
        !a)
      return a.error();
    auto ev = status_.Recompute(tx, *uid, "fact.added:vaccination");
    if (!ev) return ev.error();
    return FactOutcome{*id, ev->colour, std::nullopt, std::nullopt};
  });
}

Result<std::vector<std::int64_t>> FactsService::FlagContacts(Tx& tx, std::int64_t case_id, std::int64_t case_fact_id) {
  const std::int64_t now = clock_.NowMs();
  auto hits = repo::Contacts(tx, case_id, exposure_window_minutes_ * 60000LL, now - exposure_lookback_days_ * kDayMs);
  if (!hits) return hits.error();
  std::vector<std::int64_t> flagged;
  for (const auto& h : *hits) {
    const std::string detail = "case-fact:" + std::to_string(case_fact_id) + " " + h.venue_name;
    auto id = Insert(tx, {h.user_id, "exposure", "possible_contact", h.first_at, std::nullopt, detail, "exposure_query",
                          std::nullopt});
    if (!id) return id.error();
    auto ev = status_.Recompute(tx, h.user_id, "fact.added:exposure.possible_contact");
    if (!ev) return ev.error();
    flagged.push_back(h.user_id);
  }
  return flagged;
}

Result<ExposureOutcome> FactsService::SetExposure(const Principal& auth, const std::string& id_number,
                                                  const std::string& value, const std::string& detail,
                                                  const RequestMeta& meta) {
  if (!In(kExposures, value)) return ValidationFailed({{"value", "invalid_value"}});
  return status_.Write<ExposureOutcome>([&](Tx& tx) -> Result<ExposureOutcome> {
    auto uid = PersonId(tx, id_number);
    if (!uid) return uid.error();
    const std::int64_t now = clock_.NowMs();
    auto id = Insert(tx, {*uid, "exposure", value, now, std::nullopt, detail, "authority", auth.user_id});
    if (!id) return id.error();
    if (auto a = audit::Append(
            tx, AuditOf(auth, "healthcode.exposure.set", *uid, "Flag", std::to_string(*id), value, meta, now));
        !a)
      return a.error();
    auto ev = status_.Recompute(tx, *uid, "fact.added:exposure." + value);
    if (!ev) return ev.error();
    ExposureOutcome out{*id, ev->colour, {}};
    if (value == "confirmed") {
      auto flagged = FlagContacts(tx, *uid, *id);
      if (!flagged) return flagged.error();
      for (auto u : *flagged) {
        auto who = repo::FindIdentity(tx, u);
        if (!who) return who.error();
        if (!*who) return MakeError(Errc::internal, "database_error", "contact without a user");
        out.contacts.push_back({u, MaskName((*who)->real_name), MaskIdNumber((*who)->id_number)});
      }
    }
    return out;
  });
}

Result<FactOutcome> FactsService::WithdrawFact(const Principal& auth, std::int64_t fact_id, const std::string& reason,
                                               const RequestMeta& meta) {
  if (reason.empty()) return ValidationFailed({{"reason", "required"}});
  return status_.Write<FactOutcome>([&](Tx& tx) -> Result<FactOutcome> {
    auto f = repo::OpenFact(tx, fact_id);
    if (!f) return f.error();
    if (!*f) return MakeError(Errc::not_found, "fact_not_found");
    const auto [uid, kind] = **f;
    auto u = repo::WithdrawFact(tx, fact_id, std::nullopt, reason, clock_.NowMs());
    if (!u) return u.error();
    if (auto a = audit::Append(tx, AuditOf(auth, "healthcode.fact.withdraw", uid, "Fact", std::to_string(fact_id),
                                           reason, meta, clock_.NowMs()));
        !a)
      return a.error();
    auto ev = status_.Recompute(tx, uid, "fact.withdrawn:" + kind);
    if (!ev) return ev.error();
    return FactOutcome{fact_id, ev->colour, std::nullopt, std::nullopt};
  });
}

}  // namespace ihos::domain::healthcode
