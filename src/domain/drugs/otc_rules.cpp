// OTC classification and sale rules (declared in otc_rules.hpp beside this file).
#include "domain/drugs/otc_rules.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace ihos::domain::drugs {
namespace {

bool Has(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// 禁止清单 二(四): generic names, single preparations only (备注2). Antibacterials (the last group)
// exclude topical forms.
constexpr std::array<std::string_view, 33> kNamed = {
    "地高辛",     "丙吡胺",     "奎尼丁",     "哌唑嗪",       "普鲁卡因胺",  "普罗帕酮", "胺碘酮",
    "奎宁",       "氨茶碱",     "胆茶碱",     "异丙肾上腺素", "苯妥英钠",    "卡马西平", "拉莫三嗪",
    "水合氯醛",   "达比加群酯", "华法林",     "替格瑞洛",     "西洛他唑",    "扑米酮",   "碳酸锂",
    "异氟烷",     "七氟烷",     "恩氟烷",     "地氟烷",       "秋水仙碱",    "米非司酮", "环丙孕酮",
    "卡前列甲酯", "雌二醇",     "米索前列醇", "地诺前列酮",   "复方米非司酮"};
constexpr std::array<std::string_view, 10> kNamedAntibacterial = {"法罗培南", "夫西地酸",  "伏立康唑", "利奈唑胺",
                                                                  "奈诺沙星", "泊沙康唑",  "头孢地尼", "伊曲康唑",
                                                                  "左奥硝唑", "头孢泊肟酯"};

bool Topical(std::string_view form) {
  for (std::string_view t : {"软膏", "乳膏", "凝胶", "外用", "滴眼", "眼膏", "滴耳", "搽剂", "涂剂", "贴"})
    if (Has(form, t)) return true;
  return false;
}

// Characters (UTF-8 code points) of s.
std::size_t Chars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Some NRDL rows leave the dosage form empty and name the form (…注射液) instead.
bool InjectionForm(std::string_view form, std::string_view name) { return Has(form, "注射") || Has(name, "注射"); }

bool Compound(std::string_view name) { return name.starts_with("复方") || Has(name, "复方"); }

}  // namespace

bool Injection(const Drug& d) { return InjectionForm(d.dosage_form, d.name); }

std::optional<OtcRefusal> OtcProhibition(const Drug& d) {
  // 一: what the law forbids selling online at all.
  if (!d.controlled.empty()) return OtcRefusal{"otc_online_prohibited", "controlled:" + d.controlled};
  if (Has(d.name, "疫苗")) return OtcRefusal{"otc_online_prohibited", "疫苗"};
  for (std::string_view b : {"人血白蛋白", "免疫球蛋白", "凝血因子", "凝血酶原复合物", "纤维蛋白原", "人血"})
    if (Has(d.name, b)) return OtcRefusal{"otc_online_prohibited", "血液制品"};
  // 二(二) 含麻黄碱类复方制剂 (中成药 containing 麻黄 excepted: not western).
  if (d.kind == "western" && (Has(d.name, "麻黄碱") || Has(d.name, "伪麻")))
    return OtcRefusal{"otc_ephedrine_compound", "含麻黄碱类复方制剂"};
  // No injection is on the NMPA OTC list. 禁止清单 二(一)'s exception for 降糖类 injections (insulin)
  // only lets them be sold online WITH a prescription, so every injection stays prescription-only.
  if (Injection(d)) return OtcRefusal{"otc_rx_only", "注射剂"};
  // 二(二) the other oral compounds and 右美沙芬 alone.
  // (Tramadol alone is a psychotropic, caught above; any other name with it is a compound.)
  if (Has(d.name, "曲马多")) return OtcRefusal{"otc_online_prohibited", "含曲马多口服复方制剂"};
  if (Has(d.name, "可待因") || Has(d.name, "阿片") || Has(d.name, "罂粟"))
    return OtcRefusal{"otc_online_prohibited", "含麻醉药品口服复方制剂"};
  if (Has(d.name, "右美沙芬") && !Compound(d.name) && !Has(d.name, "愈创") && !Has(d.name, "氨酚"))
    return OtcRefusal{"otc_online_prohibited", "右美沙芬口服单方制剂"};
  // 二(四) single preparations of the named generics (a name that contains one and is not a
  // compound; 复方米非司酮 is named itself).
  for (auto n : kNamed)
    if (Has(d.name, n) && (!Compound(d.name) || n.starts_with("复方")))
      return OtcRefusal{"otc_online_prohibited", std::string(n)};
  for (auto n : kNamedAntibacterial)
    if (Has(d.name, n) && !Compound(d.name) && !Topical(d.dosage_form))
      return OtcRefusal{"otc_online_prohibited", std::string(n)};
  // Systemic antimicrobials are prescription drugs.
  if (d.antimicrobial) return OtcRefusal{"otc_rx_only", "全身用抗菌药物"};
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> OtcMarkFieldError(const OtcMarkInput& in) {
  if (in.otc_class != "A" && in.otc_class != "B") return std::pair{std::string("otc_class"), std::string("invalid")};
  const auto ref = Chars(in.reference);
  if (ref == 0) return std::pair{std::string("reference"), std::string("required")};
  if (ref < 4 || ref > 200) return std::pair{std::string("reference"), std::string("invalid")};
  if (in.otc_class == "A" && in.advice.empty()) return std::pair{std::string("advice"), std::string("required")};
  if (in.max_per_order < 0 || in.max_per_order > kOtcMaxPerOrderCap)
    return std::pair{std::string("max_per_order"), std::string("out_of_range")};
  return std::nullopt;
}

std::int64_t OtcMaxPerOrder(const OtcMark& m) {
  return m.max_per_order > 0 ? std::min(m.max_per_order, kOtcMaxPerOrderCap) : kOtcDefaultMaxPerOrder;
}

std::string OtcLineRefusal(const Drug& d, const std::optional<OtcMark>& mark, std::int64_t quantity,
                           bool advice_acknowledged) {
  if (!d.controlled.empty() || d.antimicrobial || Injection(d)) return "rx_required";
  if (auto p = OtcProhibition(d)) return p->code;
  if (!mark || mark->action != "mark") return "otc_not_marked";
  if (quantity > OtcMaxPerOrder(*mark)) return "otc_quantity_limit";
  if (mark->otc_class == "A" && !advice_acknowledged) return "otc_advice_required";
  return "";
}

}  // namespace ihos::domain::drugs
