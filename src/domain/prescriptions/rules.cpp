#include "domain/prescriptions/rules.hpp"

#include <algorithm>

#include "core/resident_id.hpp"
#include "core/text.hpp"
#include "domain/drugs/rules.hpp"

namespace ihos::domain::prescriptions {
namespace {

bool Has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string EnglishName(const drugs::FormularyItem& f) {
  return text::LowerAscii(f.name_en.empty() ? f.drug.name_en : f.name_en);
}

const drugs::Interaction* FindPair(const std::vector<drugs::Interaction>& all, std::string a, std::string b,
                                   std::string_view level) {
  if (a.empty() || b.empty() || a == b) return nullptr;
  if (b < a) std::swap(a, b);
  for (const auto& p : all)
    if (p.a == a && p.b == b && p.level == level) return &p;
  return nullptr;
}

// "青霉素类 (penicillins)": one text for both languages of the message.
std::string ClassName(const std::string& code) {
  for (const auto& [c, zh] : drugs::AllergyClasses())
    if (c == code) return zh + " (" + c + ")";
  return code;
}

}  // namespace

const std::vector<std::string>& Frequencies() {
  static const std::vector<std::string> k{"qd", "bid", "tid", "qid", "q8h", "q12h", "qn", "qw"};
  return k;
}

int DosesPerWeek(std::string_view f) {
  if (f == "qd" || f == "qn") return 7;
  if (f == "bid" || f == "q12h") return 14;
  if (f == "tid" || f == "q8h") return 21;
  if (f == "qid") return 28;
  if (f == "qw") return 1;
  return 0;
}

const std::vector<std::string>& Routes() {
  static const std::vector<std::string> k{"oral",    "sublingual",   "topical",       "inhalation",
                                          "nasal",   "ophthalmic",   "otic",          "rectal",
                                          "vaginal", "subcutaneous", "intramuscular", "intravenous"};
  return k;
}

std::vector<FieldError> CheckForm(const PrescriptionInput& in, const std::vector<drugs::FormularyItem>& formulary) {
  std::vector<FieldError> errs;
  if (in.items.empty()) errs.push_back({"items", "required"});
  if (in.valid_days < 1 || in.valid_days > 3) errs.push_back({"valid_days", "out_of_range"});
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    const auto& it = in.items[i];
    const std::string p = "items[" + std::to_string(i) + "].";
    if (i >= formulary.size() || formulary[i].id != it.formulary_id) {
      errs.push_back({p + "formulary_id", "not_in_formulary"});
      continue;
    }
    const auto& f = formulary[i];
    if (it.single_dose_milli <= 0) errs.push_back({p + "single_dose_milli", "out_of_range"});
    if (!Has(Frequencies(), it.frequency)) errs.push_back({p + "frequency", "invalid_value"});
    if (!Has(f.routes, it.route)) errs.push_back({p + "route", "route_not_for_form"});
    if (it.days < 1) errs.push_back({p + "days", "out_of_range"});
    // At most 1,000 boxes a line: beyond that the dose or days are a typing error (and the amount
    // stays far from integer overflow).
    else if (it.single_dose_milli > 0 && Has(Frequencies(), it.frequency) && QuantityBoxes(it, f) > 1000)
      errs.push_back({p + "days", "out_of_range"});
  }
  return errs;
}

std::vector<FieldError> CheckAllergy(const AllergyInput& in) {
  std::vector<FieldError> errs;
  if (in.drug_id.has_value() == !in.class_code.empty()) errs.push_back({"class_code", "drug_or_class"});
  if (!in.class_code.empty() && !drugs::IsAllergyClass(in.class_code)) errs.push_back({"class_code", "invalid_value"});
  return errs;
}

std::int64_t QuantityBoxes(const ItemInput& item, const drugs::FormularyItem& f) {
  const std::int64_t per_box = f.strength_amount_milli * f.package_size;
  if (per_box <= 0) return 0;
  // Doses over the days, rounded up to whole doses (a weekly dose in 10 days is 2 doses).
  const std::int64_t doses = (DosesPerWeek(item.frequency) * item.days + 6) / 7;
  const std::int64_t need = item.single_dose_milli * doses;
  return std::max<std::int64_t>(1, (need + per_box - 1) / per_box);
}

std::optional<std::int64_t> MaxDailyMilli(const drugs::FormularyItem& f, int age_years,
                                          std::optional<std::int64_t> weight_g) {
  std::optional<std::int64_t> limit = f.max_daily_milli;
  if (age_years < 18 && f.child_max_daily_milli_per_kg && weight_g) {
    const std::int64_t child = *f.child_max_daily_milli_per_kg * *weight_g / 1000;
    limit = limit ? std::min(*limit, child) : child;
  }
  return limit;
}

std::string CategoryFor(int age_years) { return age_years < 14 ? "pediatric" : "ordinary"; }

std::string PrintedAge(std::string_view birth_date, std::string_view today) {
  const int years = AgeOn(birth_date, today);
  if (years >= 1) return std::to_string(years) + "岁";
  // Months for infants: whole months between the dates (YYYY-MM-DD).
  auto num = [](std::string_view s, std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len && i < s.size(); ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  int months = (num(today, 0, 4) - num(birth_date, 0, 4)) * 12 + num(today, 5, 2) - num(birth_date, 5, 2);
  if (num(today, 8, 2) < num(birth_date, 8, 2)) --months;
  if (months >= 1) return std::to_string(months) + "月";
  // 处方管理办法 第六条: 新生儿、婴幼儿写日、月龄 — under one month, the age in days.
  auto days_from_civil = [](int y, int m, int d) {  // H. Hinnant's algorithm
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  };
  const int days = days_from_civil(num(today, 0, 4), num(today, 5, 2), num(today, 8, 2)) -
                   days_from_civil(num(birth_date, 0, 4), num(birth_date, 5, 2), num(birth_date, 8, 2));
  return std::to_string(std::max(0, days)) + "天";
}

std::vector<RuleHit> CheckPrescription(const PrescriptionInput& in, const CheckContext& ctx) {
  std::vector<RuleHit> hits;
  const auto& F = ctx.formulary;
  const std::size_t n = std::min(in.items.size(), F.size());

  // 互联网诊疗管理办法 第十六条: only a follow-up with an offline diagnosis the doctor verified.
  if (!ctx.follow_up_verified) hits.push_back({"rx_follow_up_not_verified", -1, "", "", true, false});
  // RULES.md (处方管理办法 + 儿童用药): a child under 6 needs the guardian present.
  if (ctx.child_under_6 && !in.guardian_present) hits.push_back({"rx_guardian_required", -1, "", "", true, false});

  // 中药饮片 separately; at most 5 Western / patent medicines (处方管理办法 第六条).
  bool herbal = false, other = false;
  int non_herbal = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (F[i].drug.kind == "herbal")
      herbal = true;
    else {
      other = true;
      ++non_herbal;
    }
  }
  if (herbal && other) hits.push_back({"rx_herbal_mixed", -1, "", "", true, false});
  if (non_herbal > kMaxItems) hits.push_back({"rx_too_many_items", -1, "", "", true, false});

  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = in.items[i];
    const auto& f = F[i];
    const std::string& name = f.drug.name;
    const int line = static_cast<int>(i);
    // 互联网诊疗监管细则 第十八条 / RULES.md: no controlled drug online.
    if (!f.drug.controlled.empty()) hits.push_back({"rx_controlled_drug", line, name, f.drug.controlled, true, false});

    // Days (处方管理办法 第十九条; 长期处方管理规范 第十四条).
    const bool over_default = it.days > kDefaultMaxDays;
    if (it.days > kLongAbsoluteMaxDays || (over_default && !in.long_term) ||
        (it.days > kLongMaxDays && (in.long_term_assessment.empty() || !in.patient_confirmed_long)))
      hits.push_back({"rx_days_exceeded", line, name, std::to_string(it.days), true, false});
    // 长期处方管理规范 第十二条: no long prescription of antimicrobials (except chronic bacterial or
    // fungal infections such as tuberculosis) or of drugs needing special storage.
    if (over_default && ((f.drug.antimicrobial && !f.drug.antimicrobial_chronic_exempt) || !f.special_storage.empty()))
      hits.push_back({"rx_long_term_excluded", line, name, f.special_storage, true, false});

    // Allergies: the drug itself (any form of the same generic name) or one of its classes.
    for (const auto& a : ctx.allergies) {
      const bool by_drug = a.drug_id && (*a.drug_id == f.drug.id || a.drug_name == name);
      const bool by_class = !a.class_code.empty() && Has(f.drug.allergy_classes, a.class_code);
      if (by_drug || by_class) {
        hits.push_back({"rx_allergy", line, name, by_class ? ClassName(a.class_code) : a.drug_name, true, false});
        break;
      }
    }

    // Dose limits from the package insert for the patient's age (and weight for children).
    const std::int64_t per_week = DosesPerWeek(it.frequency);
    const std::int64_t daily = per_week >= 7 ? it.single_dose_milli * per_week / 7 : it.single_dose_milli;
    if (ctx.age_years < f.min_age_years) {
      hits.push_back({"rx_dose_limit", line, name, "min_age", true, false});
    } else if (f.max_single_milli && it.single_dose_milli > *f.max_single_milli) {
      hits.push_back({"rx_dose_limit", line, name, "single", true, false});
    } else if (ctx.age_years < 18 && f.child_max_daily_milli_per_kg && !ctx.weight_g) {
      hits.push_back({"rx_dose_limit", line, name, "weight_required", true, false});
    } else if (auto max = MaxDailyMilli(f, ctx.age_years, ctx.weight_g); max && daily > *max) {
      hits.push_back({"rx_dose_limit", line, name, "daily", true, false});
    }

    // Duplicates within the prescription (same drug, or same therapeutic class of Western drugs).
    for (std::size_t j = 0; j < i; ++j) {
      const auto& g = F[j];
      const bool same = g.drug.name == name;
      const bool same_class = f.drug.kind == "western" && !f.drug.therapeutic_class.empty() &&
                              g.drug.therapeutic_class == f.drug.therapeutic_class;
      if (same || same_class) hits.push_back({"rx_duplicate_therapy", line, name, g.drug.name, true, false});
    }
    // ... and with the patient's active prescriptions.
    for (const auto& a : ctx.active) {
      const bool same = a.name == name;
      const bool same_class = f.drug.kind == "western" && !f.drug.therapeutic_class.empty() &&
                              a.therapeutic_class == f.drug.therapeutic_class;
      if (same || same_class) {
        hits.push_back({"rx_duplicate_therapy", line, name, a.name, true, false});
        break;
      }
    }

    // Interactions (ONC high-priority blocks unless overridden with a reason; non-interruptive warns).
    const std::string en = EnglishName(f);
    for (std::size_t j = 0; j < i; ++j) {
      const std::string en2 = EnglishName(F[j]);
      const bool overridden = !it.override_reason.empty() || !in.items[j].override_reason.empty();
      if (FindPair(ctx.interactions, en, en2, "high"))
        hits.push_back({"rx_interaction", line, name, F[j].drug.name, !overridden, overridden});
      else if (FindPair(ctx.interactions, en, en2, "non_interruptive"))
        hits.push_back({"rx_interaction_warning", line, name, F[j].drug.name, false, false});
    }
    for (const auto& a : ctx.active) {
      const bool overridden = !it.override_reason.empty();
      if (FindPair(ctx.interactions, en, text::LowerAscii(a.name_en), "high"))
        hits.push_back({"rx_interaction", line, name, a.name, !overridden, overridden});
      else if (FindPair(ctx.interactions, en, text::LowerAscii(a.name_en), "non_interruptive"))
        hits.push_back({"rx_interaction_warning", line, name, a.name, false, false});
    }
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const RuleHit& a, const RuleHit& b) { return a.blocking > b.blocking; });
  return hits;
}

}  // namespace ihos::domain::prescriptions
