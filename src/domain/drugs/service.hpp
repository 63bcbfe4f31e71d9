#pragma once
// The drug catalogue and formulary. Reads are public to signed-in staff and patients (names,
// forms and prices are not personal data); the formulary is edited by admins. Thread-safe;
// every method blocks on the database (call it from the worker pool).
#include <map>

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

  // --- OTC (非处方药) classification, recorded by a person with the NMPA reference (never inferred)
  // Marks the formulary line OTC 甲类 (A) or 乙类 (B): a new row of its append-only history, audited
  // (who, when, what, why). Pharmacists and admins only. Errors: forbidden (another role);
  // not_found (line); validation_failed (otc_class, reference, advice for 甲类, max_per_order);
  // conflict otc_online_prohibited, otc_ephedrine_compound, otc_rx_only (otc_rules OtcProhibition).
  Result<OtcMark> MarkOtc(const Principal& actor, std::int64_t formulary_item_id, const OtcMarkInput& in,
                          const RequestMeta& meta);
  // Revokes the line's OTC mark (a revoke row; audited). Errors: forbidden; not_found;
  // validation_failed (reason required); conflict otc_not_marked.
  Result<OtcMark> RevokeOtc(const Principal& actor, std::int64_t formulary_item_id, const std::string& reason,
                            const RequestMeta& meta);
  // The line's marks, newest first (pharmacists and admins). Errors: forbidden, not_found.
  Result<std::vector<OtcMark>> OtcHistory(const Principal& actor, std::int64_t formulary_item_id);
  // Formulary lines marked OTC now, matching q (anyone signed in: the OTC shop).
  Result<std::vector<OtcItem>> SearchOtc(const DrugQuery& q);
  // In the caller's transaction (drug orders): the newest mark row of each line (never-marked lines
  // left out; a revoke row means not OTC).
  Result<std::map<std::int64_t, OtcMark>> OtcStateIn(store::Tx& tx, const std::vector<std::int64_t>& ids);
  // The demo seed (CLI, no actor): marks the line unless its newest row already is a mark.
  Status SeedOtcMark(std::int64_t formulary_item_id, const OtcMarkInput& in);

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
