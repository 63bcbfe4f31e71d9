#pragma once
// Storage of the drug catalogue, formulary and interaction pairs: every SQL statement of the
// capability (repository.cpp). All functions run inside the caller's transaction; errors are
// those of store::Tx.
#include <map>

#include "domain/drugs/model.hpp"
#include "store/database.hpp"

namespace ihos::domain::drugs::repo {

// Inserts or updates drugs by nhsa_id (flags and names refreshed; ids kept).
Status UpsertDrug(store::Tx& tx, const Drug& d);
// Many at once, in order (the import): a few statements instead of one a drug.
Status UpsertDrugs(store::Tx& tx, const std::vector<Drug>& drugs);
Status ReplaceInteractions(store::Tx& tx, const std::vector<Interaction>& pairs);

Result<std::optional<Drug>> FindDrug(store::Tx& tx, std::int64_t id);
Result<std::optional<Drug>> FindDrugByName(store::Tx& tx, const std::string& name, const std::string& dosage_form);
Result<std::vector<Drug>> SearchDrugs(store::Tx& tx, const DrugQuery& q);
Result<std::int64_t> CountDrugs(store::Tx& tx);

Result<std::int64_t> InsertFormulary(store::Tx& tx, const FormularyInput& in, std::int64_t now_ms);
Result<std::optional<FormularyItem>> FindFormulary(store::Tx& tx, std::int64_t id);
Result<std::vector<FormularyItem>> SearchFormulary(store::Tx& tx, const DrugQuery& q);
Result<std::vector<FormularyItem>> FormularyByIds(store::Tx& tx, const std::vector<std::int64_t>& ids);

// OTC marks: append one row; a line's history, newest first; the newest row of each line (lines
// never marked are left out); formulary lines whose newest row is a mark, matching q.
Result<std::int64_t> InsertOtcMark(store::Tx& tx, const OtcMark& m);
Result<std::vector<OtcMark>> OtcHistory(store::Tx& tx, std::int64_t formulary_item_id);
Result<std::map<std::int64_t, OtcMark>> CurrentOtc(store::Tx& tx, const std::vector<std::int64_t>& ids);
Result<std::vector<OtcItem>> SearchOtc(store::Tx& tx, const DrugQuery& q);

// Interaction pairs among these lower-case English names (any level).
Result<std::vector<Interaction>> InteractionsAmong(store::Tx& tx, const std::vector<std::string>& names);

}  // namespace ihos::domain::drugs::repo
