#pragma once
// The prescription rules (处方管理办法 2007, 长期处方管理规范（试行） 2021, 互联网诊疗监管细则 2022,
// 医疗机构处方审核规范 2018) as pure functions; README.md lists each rule code with its source.
// Unit-tested in tests/unit/prescription_rules_test.cpp.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/drugs/model.hpp"
#include "domain/prescriptions/model.hpp"

namespace ihos::domain::prescriptions {

inline constexpr int kMaxItems = 5;              // Western and Chinese patent medicine per prescription
inline constexpr int kDefaultMaxDays = 7;        // without a long prescription
inline constexpr int kLongMaxDays = 28;          // a long prescription without assessment + confirmation
inline constexpr int kLongAbsoluteMaxDays = 84;  // ever

// A drug the patient takes under another active prescription.
struct ActiveDrug {
  std::int64_t drug_id = 0;
  std::string name;
  std::string name_en;
  std::string therapeutic_class;
  std::string rx_no;
};

struct CheckContext {
  bool follow_up_verified = false;  // the consultation is an active, verified follow-up
  bool child_under_6 = false;
  int age_years = 0;
  std::optional<std::int64_t> weight_g;
  // formulary[i] is the line of items[i] (the caller resolved every formulary_id).
  std::vector<drugs::FormularyItem> formulary;
  std::vector<Allergy> allergies;
  std::vector<std::string> allergy_drug_names;  // names of allergies recorded against a drug
  std::vector<ActiveDrug> active;
  std::vector<drugs::Interaction> interactions;  // pairs among every English name involved
};

// Frequencies with their doses per week (a "遵医嘱" free text is never a frequency).
const std::vector<std::string>& Frequencies();
// Doses per week for a frequency; 0 when unknown.
int DosesPerWeek(std::string_view frequency);
const std::vector<std::string>& Routes();

// Form errors (规范性): each line's formulary line, dose, route, frequency, days, the validity
// days and the number of lines. Field names are items[i].x.
std::vector<FieldError> CheckForm(const PrescriptionInput& in, const std::vector<drugs::FormularyItem>& formulary);

// An allergy names a drug or a class (one of drugs::AllergyClasses), not both.
std::vector<FieldError> CheckAllergy(const AllergyInput& in);

// Every rule hit, blocking first. A high-priority interaction with an override reason on one of
// its lines is reported with overridden = true and blocking = false.
std::vector<RuleHit> CheckPrescription(const PrescriptionInput& in, const CheckContext& ctx);

// Boxes needed for the days: ceil(single dose x doses x days / (strength per unit x units per box)).
std::int64_t QuantityBoxes(const ItemInput& item, const drugs::FormularyItem& f);

// The maximum daily dose for this patient (milli dose units), or nullopt when the insert sets none
// that applies; children (< 18) with a per-kg limit need the weight.
std::optional<std::int64_t> MaxDailyMilli(const drugs::FormularyItem& f, int age_years,
                                          std::optional<std::int64_t> weight_g);

// Paper colour: pediatric (under 14, 儿科处方 pale green) or ordinary (white). Emergency (pale
// yellow) is never issued online.
std::string CategoryFor(int age_years);

// The age as printed: "8岁", or "7月" for infants under one year (处方管理办法 第六条).
std::string PrintedAge(std::string_view birth_date, std::string_view today);

}  // namespace ihos::domain::prescriptions
