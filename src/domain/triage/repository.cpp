// SQL of the triage capability (declared in repository.hpp beside this file).
#include "domain/triage/repository.hpp"

namespace ihos::domain::triage::repo {

Result<std::vector<Department>> Departments(store::Tx& tx) {
  auto rows = tx.Query("SELECT code, name_zh, name_en FROM departments ORDER BY sort_order");
  if (!rows) return rows.error();
  std::vector<Department> out;
  for (const auto& r : *rows) out.push_back({r.Text(0), r.Text(1), r.Text(2)});
  return out;
}

}  // namespace ihos::domain::triage::repo
