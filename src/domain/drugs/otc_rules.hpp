#pragma once
// Pure rules of OTC (非处方药) classification and sale, unit-tested in tests/unit/otc_rules_test.cpp.
// ihos never decides that a drug is OTC: a pharmacist marks it with the NMPA reference. These rules
// only refuse what the regulations forbid whatever the mark (see README.md beside this file:
// 《药品网络销售监督管理办法》(国家市场监督管理总局令第58号, 2022) and 《药品网络销售禁止清单（第一版）》
// (国家药监局公告2022年第111号); 《处方药与非处方药分类管理办法（试行）》(1999) for 甲类/乙类).
#include <cstdint>
#include <optional>
#include <string>

#include "domain/drugs/model.hpp"

namespace ihos::domain::drugs {

// ihos policy (not a national rule; see README.md): boxes of one OTC line per order, at most, and
// the default when the marking pharmacist sets none.
inline constexpr std::int64_t kOtcMaxPerOrderCap = 5;
inline constexpr std::int64_t kOtcDefaultMaxPerOrder = 3;

struct OtcRefusal {
  std::string code;    // otc_online_prohibited | otc_ephedrine_compound | otc_rx_only
  std::string detail;  // which list item (Chinese, as the list names it)
};

// Why this catalogue drug may never be sold online as OTC, or nullopt:
// - otc_online_prohibited: 禁止清单 一 (疫苗, 血液制品, 麻醉药品, 精神药品, 医疗用毒性药品, 放射性药品,
//   药品类易制毒化学品 — the catalogue's `controlled` flag and name patterns), 二(二) 含麻醉药品/含曲马多
//   口服复方制剂 and 右美沙芬口服单方制剂, 二(四) the named generic names (single preparations;
//   antibacterials' topical forms excepted);
// - otc_ephedrine_compound: 二(二) 含麻黄碱类复方制剂 (not 中成药 containing 麻黄);
// - otc_rx_only: sold only on prescription — every injection (二(一); its 降糖类 exception, insulin
//   included, allows online sale only with a prescription, and no injection is on the NMPA OTC list)
//   and systemic antimicrobials (the catalogue's flag).
// What the lists name but the catalogue cannot show (二(三) 兴奋剂目录 protein anabolic agents and
// peptide hormones, 医疗机构制剂) is the marking pharmacist's to check.
std::optional<OtcRefusal> OtcProhibition(const Drug& d);

// Whether the drug is an injection (its dosage form, or its name where the NRDL leaves the form empty).
bool Injection(const Drug& d);

// Why a mark input is invalid as a field error (field, code), or nullopt: otc_class A|B; reference
// required (4..200 characters); advice required for 甲类 (A); max_per_order 0..kOtcMaxPerOrderCap.
std::optional<std::pair<std::string, std::string>> OtcMarkFieldError(const OtcMarkInput& in);

// The effective per-order limit of a mark (its own, else the default).
std::int64_t OtcMaxPerOrder(const OtcMark& m);

// Why one OTC order line is refused, or "": `mark` is the line's current OTC state (nullopt: never
// marked or revoked). rx_required (a drug sold only on prescription: controlled, antimicrobial, injection),
// otc_online_prohibited / otc_ephedrine_compound (never sold online), otc_not_marked (no pharmacist
// marked it OTC), otc_quantity_limit (more boxes than the mark allows), otc_advice_required (甲类
// without the buyer's acknowledgement of the pharmacist's advice).
std::string OtcLineRefusal(const Drug& d, const std::optional<OtcMark>& mark, std::int64_t quantity,
                           bool advice_acknowledged);

}  // namespace ihos::domain::drugs
