#pragma once
// The drug catalogue (NRDL 2024 with flags from the controlled-drug, precursor and interaction
// lists) and the hospital's formulary. No JSON, no SQL. See README.md beside this file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::drugs {

// One NRDL row (one dosage form of one generic name).
struct Drug {
  std::int64_t id = 0;
  std::int64_t nhsa_id = 0;
  std::string name;     // 通用名
  std::string name_en;  // INN where known ("" when no list gives it)
  std::string section;
  std::string kind;                 // western | patent (中成药) | herbal (中药饮片)
  std::string reimbursement_class;  // 医保甲类 | 医保乙类 | ""
  std::string dosage_form;
  std::string category_path;
  std::string therapeutic_class;  // last level of category_path
  std::string controlled;         // "" | narcotic | psychotropic_1 | psychotropic_2 | toxic | radioactive | precursor
  std::string controlled_source;
  bool antimicrobial = false;                 // NRDL 全身用抗菌药/抗真菌药/抗分枝杆菌药
  bool antimicrobial_chronic_exempt = false;  // 抗分枝杆菌药 (tuberculosis): long prescriptions allowed
  std::vector<std::string> allergy_classes;   // penicillins, cephalosporins, ...
  std::string pinyin;                         // initials of the name
};

// A formulary line: a drug the hospital stocks, with the strength and limits from its insert.
// Amounts in "milli" are thousandths of dose_unit (0.5 g = 500 milli-g), so they stay integers.
struct FormularyItem {
  std::int64_t id = 0;
  Drug drug;
  std::string name_en;
  std::string strength;                    // as printed: 0.25g, 10mg
  std::string dose_unit;                   // unit of a single dose: mg, g, IU, ml
  std::int64_t strength_amount_milli = 0;  // dose_unit per package unit, x1000
  std::string package_unit;                // 片, 粒, 支
  std::int64_t package_size = 0;           // package units per box
  std::int64_t price_fen = 0;              // per box
  std::vector<std::string> routes;         // oral, topical, inhalation, subcutaneous, ...
  std::optional<std::int64_t> max_single_milli;
  std::optional<std::int64_t> max_daily_milli;
  std::optional<std::int64_t> child_max_daily_milli_per_kg;
  std::int64_t min_age_years = 0;
  std::string special_storage;  // "" or e.g. "2-8°C 冷藏"
  std::string insert_source;
  bool demo = false;
};

struct FormularyInput {
  std::int64_t drug_id = 0;
  std::string name_en;
  std::string strength;
  std::string dose_unit;
  std::int64_t strength_amount_milli = 0;
  std::string package_unit;
  std::int64_t package_size = 0;
  std::int64_t price_fen = 0;
  std::vector<std::string> routes;
  std::optional<std::int64_t> max_single_milli;
  std::optional<std::int64_t> max_daily_milli;
  std::optional<std::int64_t> child_max_daily_milli_per_kg;
  std::int64_t min_age_years = 0;
  std::string special_storage;
  std::string insert_source;
  bool demo = false;
};

// An OTC (非处方药) classification of a formulary line, recorded by a pharmacist from the
// NMPA list they read (never inferred). One row of the append-only history; the newest row of a
// line is its state (action "mark": OTC; "revoke": not OTC).
struct OtcMark {
  std::int64_t id = 0;
  std::int64_t formulary_item_id = 0;
  std::string action;     // mark | revoke
  std::string otc_class;  // A (甲类, red) | B (乙类, green); "" for a revocation
  std::string reference;  // the NMPA announcement / approval number text
  std::string reason;
  std::string advice;              // 甲类: the pharmacist's note the buyer acknowledges
  std::int64_t max_per_order = 0;  // boxes per order line
  bool demo = false;
  std::optional<std::int64_t> by_user;
  std::string by_name;
  std::int64_t at = 0;
};

struct OtcMarkInput {
  std::string otc_class;  // A | B
  std::string reference;
  std::string reason;
  std::string advice;
  std::int64_t max_per_order = 0;  // 0: the default (kOtcDefaultMaxPerOrder)
  bool demo = false;
};

// A formulary line currently marked OTC, with its mark (the OTC shop's search).
struct OtcItem {
  FormularyItem item;
  OtcMark mark;
};

struct Interaction {
  std::string a;  // lower-case English names, a < b
  std::string b;
  std::string level;  // high | non_interruptive
  std::string source;
};

struct DrugQuery {
  std::string q;         // name fragment, pinyin initials or English name
  std::string category;  // fragment of the category path
  bool formulary_only = false;
  int limit = 20;
};

// What `ihos drugs import` read and stored.
struct ImportReport {
  std::int64_t drugs = 0;
  std::int64_t controlled = 0;
  std::int64_t antimicrobial = 0;
  std::int64_t interactions_high = 0;
  std::int64_t interactions_warn = 0;
};

}  // namespace ihos::domain::drugs
