#include "domain/drugs/json.hpp"

#include <boost/json.hpp>

#include "domain/drugs/otc_rules.hpp"

namespace ihos::domain::drugs {
namespace json = boost::json;

json::object DrugJson(const Drug& d) {
  json::array classes;
  for (const auto& c : d.allergy_classes) classes.emplace_back(c);
  return {{"id", d.id},
          {"nhsa_id", d.nhsa_id},
          {"name", d.name},
          {"name_en", d.name_en},
          {"section", d.section},
          {"kind", d.kind},
          {"reimbursement_class", d.reimbursement_class},
          {"dosage_form", d.dosage_form},
          {"category_path", d.category_path},
          {"therapeutic_class", d.therapeutic_class},
          {"controlled", d.controlled},
          {"controlled_source", d.controlled_source},
          {"antimicrobial", d.antimicrobial},
          {"allergy_classes", std::move(classes)},
          {"pinyin", d.pinyin}};
}

json::object FormularyJson(const FormularyItem& f) {
  json::array routes;
  for (const auto& r : f.routes) routes.emplace_back(r);
  auto opt = [](const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); };
  return {{"id", f.id},
          {"drug", DrugJson(f.drug)},
          {"name_en", f.name_en.empty() ? f.drug.name_en : f.name_en},
          {"strength", f.strength},
          {"dose_unit", f.dose_unit},
          {"strength_amount_milli", f.strength_amount_milli},
          {"package_unit", f.package_unit},
          {"package_size", f.package_size},
          {"price_fen", f.price_fen},
          {"routes", std::move(routes)},
          {"max_single_milli", opt(f.max_single_milli)},
          {"max_daily_milli", opt(f.max_daily_milli)},
          {"child_max_daily_milli_per_kg", opt(f.child_max_daily_milli_per_kg)},
          {"min_age_years", f.min_age_years},
          {"special_storage", f.special_storage},
          {"insert_source", f.insert_source},
          {"demo", f.demo}};
}

json::object OtcMarkJson(const OtcMark& m) {
  return {{"id", m.id},
          {"formulary_item_id", m.formulary_item_id},
          {"action", m.action},
          {"otc_class", m.otc_class.empty() ? json::value(nullptr) : json::value(m.otc_class)},
          {"reference", m.reference},
          {"reason", m.reason},
          {"advice", m.advice},
          {"max_per_order", m.action == "mark" ? json::value(OtcMaxPerOrder(m)) : json::value(nullptr)},
          {"demo", m.demo},
          {"by_user", m.by_user ? json::value(*m.by_user) : json::value(nullptr)},
          {"by_name", m.by_name},
          {"at", m.at}};
}

json::object OtcItemJson(const OtcItem& i) {
  auto o = FormularyJson(i.item);
  auto mark = OtcMarkJson(i.mark);
  // Every signed-in user reads the shop: who marked it stays in the history (pharmacists, admins).
  mark.erase("by_user");
  mark.erase("by_name");
  o["otc"] = std::move(mark);
  return o;
}

}  // namespace ihos::domain::drugs
