#pragma once
// What triage reads from the database. Implemented in repository.cpp beside this header, the
// same SQL on both backends; in the caller's transaction, errors those of store::Tx.
#include <vector>

#include "domain/triage/service.hpp"
#include "store/database.hpp"

namespace ihos::domain::triage::repo {

// The department catalogue (reference data the directory seeds), in display order: the labels
// the classifier may suggest.
Result<std::vector<Department>> Departments(store::Tx& tx);

}  // namespace ihos::domain::triage::repo
