// OTC classification and sale rules (src/domain/drugs/otc_rules.hpp): what the 药品网络销售禁止清单
// (2022) refuses whatever a pharmacist marks, the mark's fields, and each refusal of an OTC line.
#include "domain/drugs/otc_rules.hpp"

#include <gtest/gtest.h>

namespace ihos::domain::drugs {
namespace {

Drug Make(const std::string& name, const std::string& form, const std::string& path = "",
          const std::string& controlled = "", bool antimicrobial = false, const std::string& kind = "western") {
  Drug d;
  d.name = name;
  d.dosage_form = form;
  d.category_path = path;
  d.controlled = controlled;
  d.antimicrobial = antimicrobial;
  d.kind = kind;
  return d;
}

std::string Code(const Drug& d) {
  auto r = OtcProhibition(d);
  return r ? r->code : "";
}

TEST(OtcRules, CommonOtcDrugsAreNotProhibited) {
  EXPECT_EQ(Code(Make("布洛芬", "口服常释剂型")), "");
  EXPECT_EQ(Code(Make("对乙酰氨基酚", "口服常释剂型")), "");
  EXPECT_EQ(Code(Make("氯雷他定", "口服常释剂型")), "");
  // 二(四)'s antibacterials exclude topical forms; 中成药 with 麻黄 are not 含麻黄碱类复方制剂.
  EXPECT_EQ(Code(Make("夫西地酸", "乳膏剂")), "");
  EXPECT_EQ(Code(Make("麻黄止嗽丸", "丸剂", "", "", false, "patent")), "");
}

TEST(OtcRules, NoInjectionIsOtcInsulinIncluded) {
  // 二(一)'s 降糖类 exception allows online sale only with a prescription; no injection is on the OTC list.
  EXPECT_EQ(Code(Make("甘精胰岛素", "注射剂", "消化道和代谢方面的药物 > 糖尿病用药 > 胰岛素及其类似物")), "otc_rx_only");
  EXPECT_EQ(Code(Make("利拉鲁肽", "注射剂", "消化道和代谢方面的药物 > 糖尿病用药 > 降血糖药物")), "otc_rx_only");
  // An NRDL row that leaves the form empty and names it.
  EXPECT_EQ(Code(Make("甘精胰岛素利司那肽注射液(Ⅰ)", "", "糖尿病用药")), "otc_rx_only");
  EXPECT_EQ(Code(Make("布洛芬", "注射剂", "肌肉-骨骼系统药物")), "otc_rx_only");
  // Even with a mark on record, an injection line is refused as a prescription drug.
  OtcMark m;
  m.action = "mark";
  m.otc_class = "B";
  EXPECT_EQ(OtcLineRefusal(Make("甘精胰岛素", "注射剂", "糖尿病用药"), m, 1, true), "rx_required");
}

TEST(OtcRules, ProhibitionListCategories) {
  EXPECT_EQ(Code(Make("地西泮", "口服常释剂型", "", "psychotropic_2")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("吗啡", "口服常释剂型", "", "narcotic")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("麻黄碱", "滴鼻剂", "", "precursor")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("人用狂犬病疫苗", "注射剂")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("人血白蛋白", "注射剂")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("复方盐酸伪麻黄碱", "缓释控释剂型")), "otc_ephedrine_compound");
  EXPECT_EQ(Code(Make("氨酚伪麻美芬", "口服常释剂型")), "otc_ephedrine_compound");
  EXPECT_EQ(Code(Make("右美沙芬", "口服常释剂型")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("氨酚曲马多", "口服常释剂型")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("复方曲马多", "口服常释剂型")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("地高辛", "口服常释剂型")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("华法林", "口服常释剂型")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("复方米非司酮", "口服常释剂型")), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("头孢地尼", "口服常释剂型", "", "", true)), "otc_online_prohibited");
  EXPECT_EQ(Code(Make("阿莫西林", "口服常释剂型", "全身用抗感染药 > 全身用抗菌药", "", true)), "otc_rx_only");
}

TEST(OtcRules, MarkFields) {
  OtcMarkInput in{"B", "国家药监局公告2024年第1号", "", "", 0, false};
  EXPECT_FALSE(OtcMarkFieldError(in));
  in.otc_class = "C";
  EXPECT_EQ(OtcMarkFieldError(in)->first, "otc_class");
  in.otc_class = "A";
  EXPECT_EQ(OtcMarkFieldError(in)->first, "advice") << "甲类 needs the pharmacist's advice";
  in.advice = "按说明书服用";
  EXPECT_FALSE(OtcMarkFieldError(in));
  in.reference = "";
  EXPECT_EQ(*OtcMarkFieldError(in), (std::pair<std::string, std::string>{"reference", "required"}));
  in.reference = "公告号";
  EXPECT_EQ(*OtcMarkFieldError(in), (std::pair<std::string, std::string>{"reference", "invalid"}));
  in.reference = "国药监公告";
  in.max_per_order = kOtcMaxPerOrderCap + 1;
  EXPECT_EQ(OtcMarkFieldError(in)->first, "max_per_order");
}

TEST(OtcRules, LineRefusals) {
  const auto ibuprofen = Make("布洛芬", "口服常释剂型");
  OtcMark b{1, 1, "mark", "B", "ref", "", "", 0, false, std::nullopt, "", 0};
  EXPECT_EQ(OtcLineRefusal(ibuprofen, b, 1, false), "");
  EXPECT_EQ(OtcLineRefusal(ibuprofen, b, kOtcDefaultMaxPerOrder, false), "");
  EXPECT_EQ(OtcLineRefusal(ibuprofen, b, kOtcDefaultMaxPerOrder + 1, false), "otc_quantity_limit");
  b.max_per_order = 1;
  EXPECT_EQ(OtcLineRefusal(ibuprofen, b, 2, false), "otc_quantity_limit");
  EXPECT_EQ(OtcLineRefusal(ibuprofen, std::nullopt, 1, true), "otc_not_marked");
  OtcMark revoked{2, 1, "revoke", "", "", "", "", 0, false, std::nullopt, "", 0};
  EXPECT_EQ(OtcLineRefusal(ibuprofen, revoked, 1, true), "otc_not_marked");
  OtcMark a{3, 1, "mark", "A", "ref", "", "advice", 0, false, std::nullopt, "", 0};
  EXPECT_EQ(OtcLineRefusal(ibuprofen, a, 1, false), "otc_advice_required");
  EXPECT_EQ(OtcLineRefusal(ibuprofen, a, 1, true), "");
  EXPECT_EQ(OtcLineRefusal(Make("阿莫西林", "口服常释剂型", "", "", true), std::nullopt, 1, true), "rx_required");
  EXPECT_EQ(OtcLineRefusal(Make("地西泮", "口服常释剂型", "", "psychotropic_2"), std::nullopt, 1, true), "rx_required");
  EXPECT_EQ(OtcLineRefusal(Make("复方盐酸伪麻黄碱", "缓释控释剂型"), std::nullopt, 1, true), "otc_ephedrine_compound");
}

}  // namespace
}  // namespace ihos::domain::drugs
