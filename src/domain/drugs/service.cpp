#include "domain/drugs/service.hpp"

#include "core/text.hpp"
#include "domain/audit/audit.hpp"
#include "domain/drugs/otc_rules.hpp"
#include "domain/drugs/repository.hpp"
#include "domain/drugs/rules.hpp"

namespace ihos::domain::drugs {
namespace {
Error NotFound() { return MakeError(Errc::not_found, "not_found"); }
// Who may classify a formulary line OTC: a pharmacist reads the NMPA list; an admin is not one.
bool MayMarkOtc(const Principal& p) { return p.Has("pharmacist"); }
// Who may withdraw a mark or read the history: a pharmacist, or an admin stopping a wrong mark.
bool MayRevokeOtc(const Principal& p) { return p.Has("pharmacist") || p.Has("admin"); }
}  // namespace

Result<std::vector<Drug>> DrugService::SearchCatalogue(const DrugQuery& q) {
  return db_.With<std::vector<Drug>>(store::TxMode::read, [&](store::Tx& tx) { return repo::SearchDrugs(tx, q); });
}

Result<std::vector<FormularyItem>> DrugService::SearchFormulary(const DrugQuery& q) {
  return db_.With<std::vector<FormularyItem>>(store::TxMode::read,
                                              [&](store::Tx& tx) { return repo::SearchFormulary(tx, q); });
}

Result<FormularyItem> DrugService::GetFormulary(std::int64_t id) {
  return db_.With<FormularyItem>(store::TxMode::read, [&](store::Tx& tx) -> Result<FormularyItem> {
    auto f = repo::FindFormulary(tx, id);
    if (!f) return f.error();
    if (!*f) return NotFound();
    return **f;
  });
}

Result<std::vector<FormularyItem>> DrugService::FormularyByIds(const std::vector<std::int64_t>& ids) {
  return db_.With<std::vector<FormularyItem>>(store::TxMode::read,
                                              [&](store::Tx& tx) { return repo::FormularyByIds(tx, ids); });
}

Result<std::vector<Interaction>> DrugService::InteractionsAmong(const std::vector<std::string>& names) {
  std::vector<std::string> lower;
  for (const auto& n : names)
    if (!n.empty()) lower.push_back(text::LowerAscii(n));
  return db_.With<std::vector<Interaction>>(store::TxMode::read,
                                            [&](store::Tx& tx) { return repo::InteractionsAmong(tx, lower); });
}

Result<FormularyItem> DrugService::AddFormulary(const FormularyInput& in) {
  std::vector<FieldError> errs;
  if (in.strength.empty()) errs.push_back({"strength", "required"});
  if (in.dose_unit.empty()) errs.push_back({"dose_unit", "required"});
  if (in.strength_amount_milli <= 0) errs.push_back({"strength_amount_milli", "out_of_range"});
  if (in.package_size <= 0) errs.push_back({"package_size", "out_of_range"});
  if (in.price_fen < 0) errs.push_back({"price_fen", "out_of_range"});
  if (in.routes.empty()) errs.push_back({"routes", "required"});
  if (!errs.empty()) return ValidationFailed(std::move(errs));
  return db_.With<FormularyItem>(store::TxMode::write, [&](store::Tx& tx) -> Result<FormularyItem> {
    auto d = repo::FindDrug(tx, in.drug_id);
    if (!d) return d.error();
    if (!*d) return NotFound();
    auto id = repo::InsertFormulary(tx, in, clock_.NowMs());
    if (!id) return id.error();
    auto f = repo::FindFormulary(tx, *id);
    if (!f) return f.error();
    return **f;
  });
}

Result<ImportReport> DrugService::Import(const std::vector<Drug>& drugs, const std::vector<Interaction>& pairs) {
  return db_.With<ImportReport>(store::TxMode::write, [&](store::Tx& tx) -> Result<ImportReport> {
    ImportReport rep;
    if (auto st = repo::UpsertDrugs(tx, drugs); !st) return st.error();
    for (const auto& d : drugs) {
      ++rep.drugs;
      if (!d.controlled.empty()) ++rep.controlled;
      if (d.antimicrobial) ++rep.antimicrobial;
    }
    if (auto st = repo::ReplaceInteractions(tx, pairs); !st) return st.error();
    for (const auto& p : pairs) (p.level == "high" ? rep.interactions_high : rep.interactions_warn)++;
    return rep;
  });
}

Result<Drug> DrugService::FindByName(const std::string& name, const std::string& dosage_form) {
  return db_.With<Drug>(store::TxMode::read, [&](store::Tx& tx) -> Result<Drug> {
    auto d = repo::FindDrugByName(tx, name, dosage_form);
    if (!d) return d.error();
    if (!*d) return NotFound();
    return **d;
  });
}

// --- OTC classification

Result<OtcMark> DrugService::MarkOtc(const Principal& actor, std::int64_t formulary_item_id, const OtcMarkInput& in,
                                     const RequestMeta& meta) {
  if (!MayMarkOtc(actor)) return MakeError(Errc::forbidden, "forbidden");
  if (auto fe = OtcMarkFieldError(in)) return ValidationFailed({{fe->first, fe->second}});
  const std::int64_t now = clock_.NowMs();
  return db_.With<OtcMark>(store::TxMode::write, [&](store::Tx& tx) -> Result<OtcMark> {
    auto f = repo::FindFormulary(tx, formulary_item_id);
    if (!f) return f.error();
    if (!*f) return NotFound();
    // What the regulations forbid online is refused whatever the pharmacist read.
    if (auto no = OtcProhibition((*f)->drug)) {
      Error e = MakeError(Errc::conflict, no->code, no->detail);
      e.params = {{"name", (*f)->drug.name}, {"item", no->detail}};
      return e;
    }
    if (auto st = tx.LockChain("formulary_otc:" + std::to_string(formulary_item_id)); !st) return st.error();
    OtcMark m{0,         formulary_item_id, "mark",  in.otc_class,  in.reference,    in.reason,
              in.advice, in.max_per_order,  in.demo, actor.user_id, actor.real_name, now};
    auto id = repo::InsertOtcMark(tx, m);
    if (!id) return id.error();
    m.id = *id;
    if (auto st = audit::Append(tx, audit::Entry{now, actor.user_id, actor.AuditRole(), "formulary.otc_mark",
                                                 std::nullopt, "MedicationKnowledge", std::to_string(formulary_item_id),
                                                 "OTC " + in.otc_class + " · " + in.reference +
                                                     (in.reason.empty() ? "" : " · " + in.reason),
                                                 meta.request_id});
        !st)
      return st.error();
    return m;
  });
}

Result<OtcMark> DrugService::RevokeOtc(const Principal& actor, std::int64_t formulary_item_id,
                                       const std::string& reason, const RequestMeta& meta) {
  if (!MayRevokeOtc(actor)) return MakeError(Errc::forbidden, "forbidden");
  if (reason.empty()) return ValidationFailed({{"reason", "required"}});
  const std::int64_t now = clock_.NowMs();
  return db_.With<OtcMark>(store::TxMode::write, [&](store::Tx& tx) -> Result<OtcMark> {
    auto f = repo::FindFormulary(tx, formulary_item_id);
    if (!f) return f.error();
    if (!*f) return NotFound();
    if (auto st = tx.LockChain("formulary_otc:" + std::to_string(formulary_item_id)); !st) return st.error();
    auto cur = repo::CurrentOtc(tx, {formulary_item_id});
    if (!cur) return cur.error();
    if (!cur->contains(formulary_item_id) || cur->at(formulary_item_id).action != "mark") {
      Error e = MakeError(Errc::conflict, "otc_not_marked");
      e.params = {{"name", (*f)->drug.name}};
      return e;
    }
    OtcMark m{0, formulary_item_id, "revoke", "", "", reason, "", 0, false, actor.user_id, actor.real_name, now};
    auto id = repo::InsertOtcMark(tx, m);
    if (!id) return id.error();
    m.id = *id;
    if (auto st = audit::Append(
            tx, audit::Entry{now, actor.user_id, actor.AuditRole(), "formulary.otc_revoke", std::nullopt,
                             "MedicationKnowledge", std::to_string(formulary_item_id), reason, meta.request_id});
        !st)
      return st.error();
    return m;
  });
}

Result<std::vector<OtcMark>> DrugService::OtcHistory(const Principal& actor, std::int64_t formulary_item_id) {
  if (!MayRevokeOtc(actor)) return MakeError(Errc::forbidden, "forbidden");
  return db_.With<std::vector<OtcMark>>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::vector<OtcMark>> {
    auto f = repo::FindFormulary(tx, formulary_item_id);
    if (!f) return f.error();
    if (!*f) return NotFound();
    return repo::OtcHistory(tx, formulary_item_id);
  });
}

Result<std::vector<OtcItem>> DrugService::SearchOtc(const DrugQuery& q) {
  return db_.With<std::vector<OtcItem>>(store::TxMode::read, [&](store::Tx& tx) { return repo::SearchOtc(tx, q); });
}

Result<std::map<std::int64_t, OtcMark>> DrugService::OtcStateIn(store::Tx& tx, const std::vector<std::int64_t>& ids) {
  return repo::CurrentOtc(tx, ids);
}

Status DrugService::SeedOtcMark(std::int64_t formulary_item_id, const OtcMarkInput& in) {
  if (auto fe = OtcMarkFieldError(in)) return ValidationFailed({{fe->first, fe->second}});
  return db_.Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    auto f = repo::FindFormulary(tx, formulary_item_id);
    if (!f) return f.error();
    if (!*f) return NotFound();
    if (auto no = OtcProhibition((*f)->drug)) return MakeError(Errc::conflict, no->code, no->detail);
    auto cur = repo::CurrentOtc(tx, {formulary_item_id});
    if (!cur) return cur.error();
    // Any history at all is a pharmacist's decision (a revocation included): re-seeding never undoes it.
    if (cur->contains(formulary_item_id)) return {};
    OtcMark m{0,         formulary_item_id, "mark", in.otc_class, in.reference, in.reason,
              in.advice, in.max_per_order,  true,   std::nullopt, "",           clock_.NowMs()};
    auto id = repo::InsertOtcMark(tx, m);
    if (!id) return id.error();
    return {};
  });
}

}  // namespace ihos::domain::drugs
