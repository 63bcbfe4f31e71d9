#pragma once
// Pure classification rules of the drug catalogue: which NRDL rows the controlled lists cover,
// what counts as an antimicrobial, which allergy classes a drug belongs to, pinyin initials.
// Each rule cites its list in README.md. Unit-tested in tests/unit/drugs_rules_test.cpp.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/drugs/model.hpp"

namespace ihos::domain::drugs {

// One row of ../shared/data/cn_controlled_drugs/controlled_drugs.csv.
struct ControlledRow {
  std::string name_zh;
  std::string name_en;
  std::string category;  // narcotic | psychotropic_1 | psychotropic_2 | toxic_western | toxic_tcm | radioactive
  std::string list;
  std::string list_item_note;
  std::vector<std::string> in_nrdl;  // exact NRDL names
};

// The controlled category of an NRDL row named `name` with `dosage_form`, given the controlled
// rows that list it, and the NRDL section. "" when not controlled. Applies the list's notes:
// Western toxic items are the raw substance only (their preparations are ordinary), approved
// 依托咪酯 preparations are exempt, 咪达唑仑 injection is category 1 and other forms category 2,
// any name with a bracketed radionuclide ([131I], [99mTc]) is radioactive.
std::string ControlledCategory(std::string_view name, std::string_view dosage_form,
                               const std::vector<const ControlledRow*>& rows);

// 药品类易制毒化学品 (starred items of the 易制毒化学品管理条例 annex: 麦角酸, 麦角胺, 麦角新碱, 麻黄素类
// incl. single-ingredient preparations): true when the NRDL name is one of them.
bool IsDrugPrecursor(std::string_view name);

// NRDL western kind from the section: western | patent | herbal.
std::string KindOfSection(std::string_view section);

// True for systemic antibacterials, antifungals and antimycobacterials (NRDL category path
// 全身用抗感染药 > 全身用抗菌药 / 全身用抗真菌药 / 抗分枝杆菌药).
bool IsAntimicrobial(std::string_view category_path);
// Antimycobacterials (tuberculosis): the 2021 long-prescription rule's exception.
bool IsChronicInfectionExempt(std::string_view category_path);

// Allergy classes a drug belongs to, from its category path and name.
std::vector<std::string> AllergyClassesOf(std::string_view name, std::string_view category_path);
// The allergy classes a patient may record, with their Chinese names.
const std::vector<std::pair<std::string, std::string>>& AllergyClasses();
bool IsAllergyClass(std::string_view code);

// The last level of a category path ("A > B > C" -> "C").
std::string TherapeuticClass(std::string_view category_path);

// Pinyin initials of `name` from a code point -> initial letter table (non-Han characters:
// ASCII letters and digits kept in lower case, the rest skipped).
std::string PinyinInitials(std::string_view name, const std::map<char32_t, char>& table);

}  // namespace ihos::domain::drugs
