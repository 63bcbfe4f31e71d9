// `ihos seed-demo`: demo pharmacies with hours, delivery, demo prices and stock of the demo
// formulary's chronic-disease items (see src/domain/pharmacy/demo.cpp), and the demo pharmacy staff
// member 演示·陈店员 (13800000030) as manager of the first. Idempotent. Needs the demo formulary
// (skipped with a note when it is empty).
#include <iostream>

#include "cli/demo.hpp"
#include "domain/drugs/service.hpp"
#include "domain/pharmacy/service.hpp"

namespace ihos::cli {

int SeedPharmacyDemo(store::Database& db) {
  SystemClock clock;
  domain::accounts::AccountService accounts(db, clock, {});
  domain::drugs::DrugService drugs(db, clock);
  domain::pharmacy::PharmacyService pharmacy(db, clock, accounts);
  // Common chronic-disease lines of the demo formulary (hypertension, diabetes, lipids,
  // antiplatelets, anticoagulation, stomach protection, allergy, tuberculosis), and ibuprofen.
  const char* kNames[] = {"氨氯地平", "二甲双胍",   "阿托伐他汀", "辛伐他汀", "阿司匹林", "氯吡格雷",
                          "华法林",   "甘精胰岛素", "奥美拉唑",   "氯雷他定", "异烟肼",   "布洛芬"};
  std::vector<domain::pharmacy::PharmacyService::DemoStock> items;
  for (const char* name : kNames) {
    auto found = drugs.SearchFormulary({name, "", true, 5});
    if (!found) return PrintError(found.error()), 1;
    for (const auto& f : *found)
      if (f.drug.name == name && f.demo) {
        items.push_back({f.id, f.price_fen});
        break;
      }
  }
  if (items.empty()) {
    std::cout << "no demo formulary yet: demo pharmacies skipped\n";
    return 0;
  }
  auto staff = DemoPrincipal(db, "13800000030", {"patient"});
  auto added = pharmacy.SeedDemo(items, staff ? std::optional<std::int64_t>(staff->user_id) : std::nullopt);
  if (!added) return PrintError(added.error()), 1;
  std::cout << "demo pharmacies (演示药房): " << added->size() << " added, " << items.size()
            << " items in stock each; 演示·陈店员 (13800000030) manages 演示·朝阳大药房（三里屯店）\n";
  return 0;
}

}  // namespace ihos::cli
