#include "domain/drugs/service.hpp"

#include "core/text.hpp"
#include "domain/drugs/repository.hpp"
#include "domain/drugs/rules.hpp"

namespace ihos::domain::drugs {
namespace {
Error NotFound() { return MakeError(Errc::not_found, "not_found"); }
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
    for (const auto& d : drugs) {
      if (auto st = repo::UpsertDrug(tx, d); !st) return st.error();
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

}  // namespace ihos::domain::drugs
