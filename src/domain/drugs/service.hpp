#pragma once
// The drug catalogue and formulary. Reads are public to signed-in staff and patients (names,
// forms and prices are not personal data); the formulary is edited by admins. Thread-safe;
// every method blocks on the database (call it from the worker pool).
#include "core/clock.hpp"
#include "core/principal.hpp"
#include "domain/drugs/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::drugs {

class DrugService {
 public:
  DrugService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Catalogue rows matching q (name fragment, pinyin initials, English name) and category.
  // Errors: validation_failed (q too long).
  Result<std::vector<Drug>> SearchCatalogue(const DrugQuery& q);
  // Formulary lines (what may be prescribed here), same matching.
  Result<std::vector<FormularyItem>> SearchFormulary(const DrugQuery& q);
  // Errors: not_found.
  Result<FormularyItem> GetFormulary(std::int64_t id);
  // Formulary lines by id, in the order given; missing ids are left out.
  Result<std::vector<FormularyItem>> FormularyByIds(const std::vector<std::int64_t>& ids);
  // Interaction pairs among these English names (lower-cased here).
  Result<std::vector<Interaction>> InteractionsAmong(const std::vector<std::string>& names);

  // Admin: adds a formulary line for a catalogue drug (controlled drugs may be stocked for
  // offline use; the prescription rules refuse them online). Errors: not_found (drug),
  // validation_failed.
  Result<FormularyItem> AddFormulary(const FormularyInput& in);

  // `ihos drugs import`: upserts the catalogue and replaces the interaction pairs in one
  // transaction.
  Result<ImportReport> Import(const std::vector<Drug>& drugs, const std::vector<Interaction>& pairs);
  // The catalogue row of this name (and dosage form, "" = any). Errors: not_found.
  Result<Drug> FindByName(const std::string& name, const std::string& dosage_form);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace ihos::domain::drugs
