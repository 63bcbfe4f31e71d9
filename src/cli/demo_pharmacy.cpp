// `ihos seed-demo`: demo pharmacies with hours, delivery, demo prices and stock of the demo
// formulary's chronic-disease items (see src/domain/pharmacy/demo.cpp), and the demo pharmacy staff
// member 演示·陈店员 (13800000030) as manager of the first. Idempotent. Needs the demo formulary
// (skipped with a note when it is empty).
//
// Before the stock, a few demo formulary lines are marked OTC (ibuprofen tablets 甲类 so the
// pharmacist's-advice step shows, loratadine and paracetamol 乙类), each with a reference text that
// says it is demo data not checked against the NMPA 非处方药目录: a real deployment's pharmacist
// marks lines with the announcement they read.
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
  const char* kNames[] = {"氨氯地平",   "二甲双胍", "阿托伐他汀", "辛伐他汀", "阿司匹林", "氯吡格雷",    "华法林",
                          "甘精胰岛素", "奥美拉唑", "氯雷他定",   "异烟肼",   "布洛芬",   "对乙酰氨基酚"};
  struct DemoOtc {
    const char* name;
    const char* form;
    const char* otc_class;
    const char* advice;
  };
  const DemoOtc kOtc[] = {
      {"布洛芬", "口服常释剂型", "A",
       "演示：请按说明书服用，成人一次1片，一日不超过6片；解热连续使用不超过3天、止痛不超过5天；"
       "有消化道溃疡或出血史、对阿司匹林或其他解热镇痛药过敏者禁用；症状未缓解请就医。"},
      {"氯雷他定", "口服常释剂型", "B", ""},
      {"对乙酰氨基酚", "口服常释剂型", "B", ""},
  };
  for (const auto& o : kOtc) {
    auto found = drugs.SearchFormulary({o.name, "", true, 10});
    if (!found) return PrintError(found.error()), 1;
    for (const auto& f : *found) {
      if (f.drug.name != o.name || f.drug.dosage_form != o.form || !f.demo) continue;
      domain::drugs::OtcMarkInput in;
      in.otc_class = o.otc_class;
      in.reference = "演示数据（DEMO）：分类未经核对国家药监局非处方药目录，仅供演示";
      in.reason = "seed-demo";
      in.advice = o.advice;
      in.demo = true;
      if (auto st = drugs.SeedOtcMark(f.id, in); !st) return PrintError(st.error()), 1;
      break;
    }
  }
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
            << " items in stock each (OTC demo marks: 布洛芬片 甲类, 氯雷他定片/对乙酰氨基酚片 乙类); 演示·陈店员 "
               "(13800000030) manages 演示·朝阳大药房（三里屯店）\n";
  return 0;
}

}  // namespace ihos::cli
