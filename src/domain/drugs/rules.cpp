#include "domain/drugs/rules.hpp"

#include <algorithm>
#include <array>

namespace ihos::domain::drugs {
namespace {

// Values of Drug::kind and Drug::controlled (not error codes).
constexpr char kRadioactive[] = "radioactive";
constexpr char kHerbal[] = "herbal";
constexpr char kPatent[] = "patent";
constexpr char kWestern[] = "western";

bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }
bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// A bracketed radionuclide: "[" digits (optionally "m") element "]", e.g. [131I], [99mTc], [18F].
bool HasRadionuclide(std::string_view name) {
  for (std::size_t i = name.find('['); i != std::string_view::npos; i = name.find('[', i + 1)) {
    std::size_t j = i + 1, digits = 0;
    while (j < name.size() && name[j] >= '0' && name[j] <= '9') ++j, ++digits;
    if (digits == 0) continue;
    if (j < name.size() && name[j] == 'm') ++j;
    if (j >= name.size() || name[j] < 'A' || name[j] > 'Z') continue;
    ++j;
    if (j < name.size() && name[j] >= 'a' && name[j] <= 'z') ++j;
    if (j < name.size() && name[j] == ']') return true;
  }
  return false;
}

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes decode as themselves.
char32_t Next(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (i + len > s.size()) len = 1;
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

}  // namespace

std::string ControlledCategory(std::string_view name, std::string_view dosage_form,
                               const std::vector<const ControlledRow*>& rows) {
  // 放射性药品管理办法: radiopharmaceuticals are a class (a radionuclide preparation or labelled drug).
  if (HasRadionuclide(name)) return kRadioactive;
  std::string best;
  for (const ControlledRow* r : rows) {
    std::string cat = r->category;
    // 1988 toxic annex: the 11 original Western items are the raw substance only; their
    // preparations are ordinary prescription drugs (the list's own note).
    if (cat == "toxic_western" && StartsWith(r->list_item_note, "仅原料药")) continue;
    // 2023 listing of 依托咪酯: approved preparations are exempt.
    if (r->name_zh == "依托咪酯" && Contains(r->list_item_note, "制剂除外")) continue;
    // 2024年第54号: 咪达唑仑 API and injection are category 1, other forms category 2.
    if (name == "咪达唑仑") {
      const bool injection = Contains(dosage_form, "注射");
      if (cat == "psychotropic_1" && !injection) continue;
      if (cat == "psychotropic_2" && injection) continue;
    }
    if (cat == "toxic_western" || cat == "toxic_tcm") cat = "toxic";
    // The strictest category wins when two rows name the same NRDL entry.
    static const std::array<std::string_view, 5> kOrder = {"narcotic", "psychotropic_1", "toxic", "radioactive",
                                                           "psychotropic_2"};
    auto rank = [&](std::string_view c) {
      return static_cast<int>(std::find(kOrder.begin(), kOrder.end(), c) - kOrder.begin());
    };
    if (best.empty() || rank(cat) < rank(best)) best = cat;
  }
  return best;
}

bool IsDrugPrecursor(std::string_view name) {
  // 易制毒化学品管理条例 annex, 第一类 items marked * (药品类易制毒化学品, raw material and
  // single-ingredient preparations): 麦角酸, 麦角胺, 麦角新碱, 麻黄素类物质.
  static const std::array<std::string_view, 9> kNames = {"麦角酸",   "麦角胺",     "麦角新碱",   "麻黄碱",    "麻黄素",
                                                         "伪麻黄碱", "消旋麻黄碱", "去甲麻黄碱", "甲基麻黄碱"};
  for (auto n : kNames)
    if (name == n) return true;
  return false;
}

std::string KindOfSection(std::string_view section) {
  if (Contains(section, "饮片")) return kHerbal;
  if (Contains(section, "中成药")) return kPatent;
  return kWestern;
}

bool IsAntimicrobial(std::string_view path) {
  return StartsWith(path, "全身用抗感染药 > 全身用抗菌药") || StartsWith(path, "全身用抗感染药 > 全身用抗真菌药") ||
         StartsWith(path, "全身用抗感染药 > 抗分枝杆菌药");
}

bool IsChronicInfectionExempt(std::string_view path) { return StartsWith(path, "全身用抗感染药 > 抗分枝杆菌药"); }

const std::vector<std::pair<std::string, std::string>>& AllergyClasses() {
  static const std::vector<std::pair<std::string, std::string>> k = {
      {"penicillins", "青霉素类"},   {"cephalosporins", "头孢菌素类"},    {"carbapenems", "碳青霉烯类"},
      {"sulfonamides", "磺胺类"},    {"macrolides", "大环内酯类"},        {"quinolones", "喹诺酮类"},
      {"tetracyclines", "四环素类"}, {"aminoglycosides", "氨基糖苷类"},   {"nsaids", "非甾体抗炎药"},
      {"statins", "他汀类"},         {"iodinated_contrast", "含碘造影剂"}};
  return k;
}

bool IsAllergyClass(std::string_view code) {
  for (const auto& [c, _] : AllergyClasses())
    if (c == code) return true;
  return false;
}

std::vector<std::string> AllergyClassesOf(std::string_view name, std::string_view path) {
  // From the NRDL (ATC-like) category path; aspirin sits under antithrombotics there but is an
  // NSAID for allergy purposes (cross-reactivity of aspirin-exacerbated reactions).
  std::vector<std::string> out;
  if (Contains(path, "青霉素类")) out.push_back("penicillins");
  if (Contains(path, "头孢菌素")) out.push_back("cephalosporins");
  if (Contains(path, "碳青霉烯")) out.push_back("carbapenems");
  if (Contains(path, "磺胺")) out.push_back("sulfonamides");
  if (Contains(path, "大环内酯类")) out.push_back("macrolides");
  if (Contains(path, "喹诺酮")) out.push_back("quinolones");
  if (Contains(path, "四环素类")) out.push_back("tetracyclines");
  if (Contains(path, "氨基糖苷")) out.push_back("aminoglycosides");
  if (Contains(path, "非甾体") || name == "阿司匹林") out.push_back("nsaids");
  if (Contains(path, "HMG-CoA还原酶抑制剂")) out.push_back("statins");
  if (Contains(path, "造影剂") && Contains(path, "碘")) out.push_back("iodinated_contrast");
  return out;
}

std::string TherapeuticClass(std::string_view path) {
  const auto pos = path.rfind(" > ");
  std::string_view last = pos == std::string_view::npos ? path : path.substr(pos + 3);
  return std::string(last);
}

std::string PinyinInitials(std::string_view name, const std::map<char32_t, char>& table) {
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const char32_t cp = Next(name, i);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        out += c;
      else if (c >= 'A' && c <= 'Z')
        out += static_cast<char>(c - 'A' + 'a');
      continue;
    }
    if (auto it = table.find(cp); it != table.end()) out += it->second;
  }
  return out;
}

}  // namespace ihos::domain::drugs
