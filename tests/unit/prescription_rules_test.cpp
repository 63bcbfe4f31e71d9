// Pure-function tests of the prescription and drug-catalogue rules, with expectations taken from
// the sources (tests/PRESCRIPTION_TEST_PLAN.md): 处方管理办法 2007, 长期处方管理规范（试行）2021,
// 互联网诊疗监管细则 2022, the ONC high-priority list, and the notes of
// ../shared/data/cn_controlled_drugs/SOURCE.md (read against the real CSV when IHOS_DRUG_DATA is set).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "domain/drugs/import.hpp"
#include "domain/drugs/rules.hpp"
#include "domain/prescriptions/rules.hpp"

namespace ihos::domain::prescriptions {
namespace {

using drugs::FormularyItem;

std::string DataDir() {
  const char* d = std::getenv("IHOS_DRUG_DATA");
  return d && *d ? d : "/work/shared/data";
}

FormularyItem Line(std::int64_t id, const std::string& name, const std::string& en, const std::string& path,
                   std::int64_t strength_milli, std::int64_t package_size, std::optional<std::int64_t> max_single,
                   std::optional<std::int64_t> max_daily, std::optional<std::int64_t> child_per_kg = std::nullopt,
                   std::int64_t min_age = 0) {
  FormularyItem f;
  f.id = id;
  f.drug.id = 1000 + id;
  f.drug.name = name;
  f.drug.name_en = en;
  f.drug.kind = "western";
  f.drug.dosage_form = "口服常释剂型";
  f.drug.category_path = path;
  f.drug.therapeutic_class = drugs::TherapeuticClass(path);
  f.drug.antimicrobial = drugs::IsAntimicrobial(path);
  f.drug.antimicrobial_chronic_exempt = drugs::IsChronicInfectionExempt(path);
  f.drug.allergy_classes = drugs::AllergyClassesOf(name, path);
  f.name_en = en;
  f.strength = "x";
  f.dose_unit = "mg";
  f.strength_amount_milli = strength_milli;
  f.package_unit = "片";
  f.package_size = package_size;
  f.routes = {"oral"};
  f.max_single_milli = max_single;
  f.max_daily_milli = max_daily;
  f.child_max_daily_milli_per_kg = child_per_kg;
  f.min_age_years = min_age;
  return f;
}

const std::string kCcb = "心血管系统 > 钙通道阻滞剂 > 主要作用于血管的选择性钙通道阻滞剂 > 二氢吡啶衍生物";
const std::string kStatin = "心血管系统 > 调节血脂药 > 单方调节血脂药 > HMG CoA还原酶抑制剂";
const std::string kPenicillin = "全身用抗感染药 > 全身用抗菌药 > β-内酰胺类抗菌药，青霉素类 > 广谱青霉素类";
const std::string kAzole = "全身用抗感染药 > 全身用抗真菌药 > 全身用抗真菌药 > 三唑类衍生物";
const std::string kTb = "全身用抗感染药 > 抗分枝杆菌药 > 治疗结核病药 > 酰肼类";
const std::string kBiguanide = "消化道和代谢方面的药物 > 糖尿病用药 > 降血糖药物，不含胰岛素 > 双胍类";
const std::string kAntihist = "呼吸系统 > 全身用抗组胺药 > 全身用抗组胺药 > 其他全身用抗组胺药";
const std::string kPpi =
    "消化道和代谢方面的药物 > 治疗与胃酸分泌相关疾病的药物 > 治疗消化性溃疡病和胃食道反流病的药物 > 质子泵抑制剂";
const std::string kNsaid = "肌肉-骨骼系统 > 抗炎和抗风湿药 > 非甾体类抗炎和抗风湿药 > 丙酸衍生物类";
const std::string kAntiplatelet = "血液和造血器官药物 > 抗血栓形成药 > 抗血栓形成药 > 血小板凝聚抑制剂，肝素除外";

FormularyItem Amlodipine() {
  return Line(1, "氨氯地平", "Amlodipine", kCcb, 5'000, 28, 10'000, 10'000, std::nullopt, 6);
}
FormularyItem Atorvastatin() {
  return Line(2, "阿托伐他汀", "Atorvastatin", kStatin, 20'000, 7, 80'000, 80'000, std::nullopt, 10);
}
FormularyItem Simvastatin() {
  return Line(3, "辛伐他汀", "Simvastatin", kStatin, 20'000, 14, 80'000, 80'000, std::nullopt, 10);
}
FormularyItem Amoxicillin() {
  return Line(4, "阿莫西林", "Amoxicillin", kPenicillin, 250'000, 24, std::nullopt, 4'000'000, 40'000);
}
FormularyItem Fluconazole() { return Line(5, "氟康唑", "Fluconazole", kAzole, 150'000, 1, 400'000, 400'000, 12'000); }
FormularyItem Isoniazid() { return Line(6, "异烟肼", "Isoniazid", kTb, 100'000, 100, 300'000, 300'000, 10'000); }
FormularyItem Metformin() {
  return Line(7, "二甲双胍", "Metformin", kBiguanide, 500'000, 20, std::nullopt, 2'550'000, std::nullopt, 10);
}
FormularyItem Loratadine() {
  return Line(8, "氯雷他定", "Loratadine", kAntihist, 10'000, 6, 10'000, 10'000, std::nullopt, 2);
}
FormularyItem Omeprazole() {
  return Line(9, "奥美拉唑", "Omeprazole", kPpi, 20'000, 14, 40'000, 40'000, std::nullopt, 18);
}
FormularyItem Ibuprofen() { return Line(10, "布洛芬", "Ibuprofen", kNsaid, 200'000, 24, 400'000, 2'400'000, 30'000); }
FormularyItem Aspirin() {
  return Line(11, "阿司匹林", "Aspirin", kAntiplatelet, 100'000, 30, 300'000, 300'000, std::nullopt, 16);
}
FormularyItem Levofloxacin() {
  return Line(12, "左氧氟沙星", "Levofloxacin", "全身用抗感染药 > 全身用抗菌药 > 喹诺酮类抗菌药 > 氟喹诺酮类", 500'000,
              4, 750'000, 750'000, std::nullopt, 18);
}

ItemInput Item(const FormularyItem& f, std::int64_t single, const std::string& freq = "qd", std::int64_t days = 7) {
  ItemInput i;
  i.formulary_id = f.id;
  i.single_dose_milli = single;
  i.route = "oral";
  i.frequency = freq;
  i.days = days;
  return i;
}

struct Case {
  PrescriptionInput in;
  CheckContext ctx;
  Case() {
    in.consultation_id = 1;
    ctx.follow_up_verified = true;
    ctx.age_years = 45;
  }
  Case& Add(const FormularyItem& f, std::int64_t single, const std::string& freq = "qd", std::int64_t days = 7) {
    in.items.push_back(Item(f, single, freq, days));
    ctx.formulary.push_back(f);
    return *this;
  }
  std::vector<RuleHit> Hits() const { return CheckPrescription(in, ctx); }
};

const RuleHit* Find(const std::vector<RuleHit>& hits, const std::string& code) {
  for (const auto& h : hits)
    if (h.code == code) return &h;
  return nullptr;
}
bool Blocks(const Case& c, const std::string& code) {
  const auto hits = c.Hits();
  const auto* h = Find(hits, code);
  return h && h->blocking;
}
bool AnyBlocking(const Case& c) {
  for (const auto& h : c.Hits())
    if (h.blocking) return true;
  return false;
}
std::string Codes(const Case& c) {
  std::string s;
  for (const auto& h : c.Hits()) s += h.code + (h.blocking ? "! " : " ");
  return s;
}

// 互联网诊疗监管细则 2022: only a verified follow-up.
TEST(PrescriptionRules, FollowUpMustBeVerified) {
  Case c;
  c.Add(Amlodipine(), 5'000);
  EXPECT_FALSE(AnyBlocking(c)) << Codes(c);
  c.ctx.follow_up_verified = false;
  EXPECT_TRUE(Blocks(c, "rx_follow_up_not_verified")) << Codes(c);
}

// RULES.md: no controlled drug online, whatever flag it carries.
TEST(PrescriptionRules, ControlledDrugsAreBlockedAndNamed) {
  for (const std::string cat : {"narcotic", "psychotropic_1", "psychotropic_2", "toxic", "radioactive", "precursor"}) {
    Case c;
    auto f = Line(20, "受控药", "Controlled", kNsaid, 10'000, 10, std::nullopt, std::nullopt);
    f.drug.controlled = cat;
    c.Add(f, 10'000);
    const auto hits = c.Hits();
    const auto* h = Find(hits, "rx_controlled_drug");
    ASSERT_NE(h, nullptr) << cat << ": " << Codes(c);
    EXPECT_TRUE(h->blocking);
    EXPECT_EQ(h->drug, "受控药");
  }
}

// 处方管理办法 2007 第十九条: at most 5 drugs.
TEST(PrescriptionRules, FiveItemsAllowedSixRefused) {
  Case c;
  c.Add(Metformin(), 500'000, "bid")
      .Add(Amlodipine(), 5'000)
      .Add(Atorvastatin(), 20'000, "qn")
      .Add(Loratadine(), 10'000)
      .Add(Omeprazole(), 20'000);
  EXPECT_FALSE(AnyBlocking(c)) << Codes(c);
  c.Add(Aspirin(), 100'000);
  EXPECT_TRUE(Blocks(c, "rx_too_many_items")) << Codes(c);
}

// 处方管理办法 2007: herbal slices (中药饮片) on their own prescription.
TEST(PrescriptionRules, HerbalSlicesAreNotMixed) {
  auto herb = Line(30, "黄芪", "Astragali Radix", "", 1'000, 1, 30'000, 30'000);
  herb.drug.kind = "herbal";
  herb.dose_unit = "g";
  Case alone;
  alone.Add(herb, 15'000, "bid");
  EXPECT_FALSE(Blocks(alone, "rx_herbal_mixed")) << Codes(alone);
  Case mixed;
  mixed.Add(herb, 15'000, "bid").Add(Amlodipine(), 5'000);
  EXPECT_TRUE(Blocks(mixed, "rx_herbal_mixed")) << Codes(mixed);
}

// 处方管理办法 2007 第十九条 (7 days); 长期处方管理规范 2021 (4 weeks; 12 weeks with assessment + confirmation).
TEST(PrescriptionRules, DaysOfSupply) {
  auto days = [](std::int64_t d, bool long_term, bool assessed, bool confirmed) {
    Case c;
    c.Add(Amlodipine(), 5'000, "qd", d);
    c.in.long_term = long_term;
    if (assessed) c.in.long_term_assessment = "病情稳定，评估可开具长期处方";
    c.in.patient_confirmed_long = confirmed;
    return c;
  };
  EXPECT_FALSE(Blocks(days(7, false, false, false), "rx_days_exceeded"));
  EXPECT_TRUE(Blocks(days(8, false, false, false), "rx_days_exceeded"));
  EXPECT_FALSE(Blocks(days(28, true, false, false), "rx_days_exceeded"));
  EXPECT_TRUE(Blocks(days(29, true, false, false), "rx_days_exceeded"));
  EXPECT_TRUE(Blocks(days(29, true, true, false), "rx_days_exceeded"));
  EXPECT_TRUE(Blocks(days(29, true, false, true), "rx_days_exceeded"));
  EXPECT_FALSE(Blocks(days(29, true, true, true), "rx_days_exceeded"));
  EXPECT_FALSE(Blocks(days(84, true, true, true), "rx_days_exceeded"));
  EXPECT_TRUE(Blocks(days(85, true, true, true), "rx_days_exceeded"));
  // Assessment alone never lifts the 7-day limit without a long prescription.
  EXPECT_TRUE(Blocks(days(10, false, true, true), "rx_days_exceeded"));
  const auto hits = days(8, false, false, false).Hits();
  ASSERT_NE(Find(hits, "rx_days_exceeded"), nullptr);
  EXPECT_EQ(Find(hits, "rx_days_exceeded")->drug, "氨氯地平");
}

// 长期处方管理规范 2021: no antimicrobials (except chronic infections such as TB) and no special storage.
TEST(PrescriptionRules, LongTermExclusions) {
  Case amox;
  amox.Add(Amoxicillin(), 500'000, "tid", 14);
  amox.in.long_term = true;
  EXPECT_TRUE(Blocks(amox, "rx_long_term_excluded")) << Codes(amox);
  Case tb;
  tb.Add(Isoniazid(), 300'000, "qd", 28);
  tb.in.long_term = true;
  EXPECT_FALSE(AnyBlocking(tb)) << Codes(tb);
  auto insulin = Line(40, "甘精胰岛素", "Insulin glargine", "消化道和代谢方面的药物 > 糖尿病用药", 300'000, 1,
                      std::nullopt, std::nullopt);
  insulin.dose_unit = "IU";
  insulin.special_storage = "2~8°C冷藏";
  Case cold;
  cold.Add(insulin, 10'000, "qd", 28);
  cold.in.long_term = true;
  EXPECT_TRUE(Blocks(cold, "rx_long_term_excluded")) << Codes(cold);
  EXPECT_EQ(Find(cold.Hits(), "rx_long_term_excluded")->drug, "甘精胰岛素");
  // Not long (≤ 7 days): allowed.
  Case short_cold;
  short_cold.Add(insulin, 10'000, "qd", 7);
  EXPECT_FALSE(Blocks(short_cold, "rx_long_term_excluded")) << Codes(short_cold);
}

// Issue 20: the drug or its class matches a recorded allergy.
TEST(PrescriptionRules, AllergyByClassAndByDrug) {
  Case c;
  c.Add(Amoxicillin(), 500'000, "tid", 5);
  Allergy a;
  a.class_code = "penicillins";
  c.ctx.allergies = {a};
  EXPECT_TRUE(Blocks(c, "rx_allergy")) << Codes(c);
  EXPECT_EQ(Find(c.Hits(), "rx_allergy")->drug, "阿莫西林");
  Case d;
  d.Add(Ibuprofen(), 200'000, "tid", 3);
  Allergy b;
  b.drug_id = Ibuprofen().drug.id;
  b.drug_name = "布洛芬";
  d.ctx.allergies = {b};
  d.ctx.allergy_drug_names = {"布洛芬"};
  EXPECT_TRUE(Blocks(d, "rx_allergy")) << Codes(d);
  // Near miss: a penicillin allergy and loratadine.
  Case e;
  e.Add(Loratadine(), 10'000);
  e.ctx.allergies = {a};
  EXPECT_FALSE(AnyBlocking(e)) << Codes(e);
}

// ONC high-priority DDI list: simvastatin + fluconazole.
TEST(PrescriptionRules, HighPriorityInteractionBlocksUnlessOverridden) {
  const drugs::Interaction hp{"fluconazole", "simvastatin", "high", "ONC high-priority"};
  Case c;
  c.Add(Simvastatin(), 20'000, "qn").Add(Fluconazole(), 150'000, "qw");
  c.ctx.interactions = {hp};
  EXPECT_TRUE(Blocks(c, "rx_interaction")) << Codes(c);
  const auto* h = Find(c.Hits(), "rx_interaction");
  ASSERT_NE(h, nullptr);
  EXPECT_TRUE((h->drug == "辛伐他汀" && h->other == "氟康唑") || (h->drug == "氟康唑" && h->other == "辛伐他汀"))
      << h->drug << " / " << h->other;
  c.in.items[1].override_reason = "单剂量，监测肌痛";
  const auto hits = c.Hits();
  const auto* o = Find(hits, "rx_interaction");
  ASSERT_NE(o, nullptr) << "an overridden interaction is still reported";
  EXPECT_FALSE(o->blocking);
  EXPECT_TRUE(o->overridden);
  // Non-interruptive: a warning only.
  Case w;
  w.Add(Simvastatin(), 20'000, "qn").Add(Fluconazole(), 150'000, "qw");
  w.ctx.interactions = {{"fluconazole", "simvastatin", "non_interruptive", "ONC non-interruptive"}};
  EXPECT_FALSE(Blocks(w, "rx_interaction")) << Codes(w);
  // With an active prescription.
  Case act;
  act.Add(Fluconazole(), 150'000, "qw");
  act.ctx.active = {{Simvastatin().drug.id, "辛伐他汀", "Simvastatin", drugs::TherapeuticClass(kStatin), "RX-1"}};
  act.ctx.interactions = {hp};
  EXPECT_TRUE(Blocks(act, "rx_interaction")) << Codes(act);
}

// Issue 20: same drug or class twice, or already active.
TEST(PrescriptionRules, DuplicateTherapy) {
  Case same;
  same.Add(Amlodipine(), 5'000).Add(Amlodipine(), 5'000);
  EXPECT_TRUE(Blocks(same, "rx_duplicate_therapy")) << Codes(same);
  Case cls;
  cls.Add(Atorvastatin(), 20'000, "qn").Add(Simvastatin(), 20'000, "qn");
  EXPECT_TRUE(Blocks(cls, "rx_duplicate_therapy")) << Codes(cls);
  Case active;
  active.Add(Simvastatin(), 20'000, "qn");
  active.ctx.active = {
      {Atorvastatin().drug.id, "阿托伐他汀", "Atorvastatin", drugs::TherapeuticClass(kStatin), "RX-1"}};
  EXPECT_TRUE(Blocks(active, "rx_duplicate_therapy")) << Codes(active);
  Case fine;
  fine.Add(Atorvastatin(), 20'000, "qn").Add(Amlodipine(), 5'000);
  EXPECT_FALSE(AnyBlocking(fine)) << Codes(fine);
}

// Package inserts: single and daily maxima, per-kg for children, minimum age.
TEST(PrescriptionRules, DoseLimits) {
  Case single;
  single.Add(Amlodipine(), 15'000);
  EXPECT_TRUE(Blocks(single, "rx_dose_limit")) << Codes(single);
  Case at_max;
  at_max.Add(Amlodipine(), 10'000);
  EXPECT_FALSE(AnyBlocking(at_max)) << Codes(at_max);
  Case daily;
  daily.Add(Metformin(), 1'000'000, "tid");  // 3 g > 2.55 g
  EXPECT_TRUE(Blocks(daily, "rx_dose_limit")) << Codes(daily);
  Case daily_max;
  daily_max.Add(Metformin(), 850'000, "tid");  // 2.55 g
  EXPECT_FALSE(AnyBlocking(daily_max)) << Codes(daily_max);
  // Child of 8, 20 kg: ibuprofen 30 mg/kg/day = 600 mg.
  Case child;
  child.ctx.age_years = 8;
  child.ctx.weight_g = 20'000;
  child.Add(Ibuprofen(), 200'000, "tid", 3);
  EXPECT_FALSE(AnyBlocking(child)) << Codes(child);
  child.in.items[0].frequency = "qid";
  EXPECT_TRUE(Blocks(child, "rx_dose_limit")) << Codes(child);
  EXPECT_EQ(MaxDailyMilli(Ibuprofen(), 8, 20'000), std::optional<std::int64_t>(600'000));
  EXPECT_EQ(MaxDailyMilli(Ibuprofen(), 40, std::nullopt), std::optional<std::int64_t>(2'400'000));
  // Under the minimum age.
  Case young;
  young.ctx.age_years = 8;
  young.ctx.weight_g = 20'000;
  young.Add(Levofloxacin(), 500'000, "qd", 3);
  EXPECT_TRUE(Blocks(young, "rx_dose_limit")) << Codes(young);
  EXPECT_EQ(Find(young.Hits(), "rx_dose_limit")->drug, "左氧氟沙星");
}

// Under 6 only with the guardian present.
TEST(PrescriptionRules, GuardianForUnderSix) {
  Case c;
  c.ctx.age_years = 3;
  c.ctx.child_under_6 = true;
  c.ctx.weight_g = 15'000;
  c.Add(Loratadine(), 5'000);
  EXPECT_TRUE(Blocks(c, "rx_guardian_required")) << Codes(c);
  c.in.guardian_present = true;
  EXPECT_FALSE(Blocks(c, "rx_guardian_required")) << Codes(c);
}

// 处方管理办法: the 5-drug limit is for Western and Chinese patent medicine; 中药饮片 are written on
// their own prescription and a decoction commonly has more than five herbs.
TEST(PrescriptionRules, HerbalPrescriptionsAreNotLimitedToFiveItems) {
  Case c;
  for (int i = 0; i < 8; ++i) {
    auto herb = Line(50 + i, "饮片" + std::to_string(i), "", "", 1'000, 1, 30'000, 30'000);
    herb.drug.kind = "herbal";
    herb.dose_unit = "g";
    c.Add(herb, 10'000, "bid");
  }
  EXPECT_FALSE(Blocks(c, "rx_too_many_items")) << Codes(c);
  EXPECT_FALSE(Blocks(c, "rx_herbal_mixed")) << Codes(c);
}

// Package inserts: a child's per-kg dose never exceeds the adult maximum (异烟肼: 小儿一日10~20mg/kg，最高0.3g).
TEST(PrescriptionRules, ChildPerKgLimitIsCappedByTheAdultMaximum) {
  EXPECT_EQ(MaxDailyMilli(Isoniazid(), 15, 50'000), std::optional<std::int64_t>(300'000));
  EXPECT_EQ(MaxDailyMilli(Isoniazid(), 8, 20'000), std::optional<std::int64_t>(200'000));
  // An adult (18) takes the adult limit, weight or not.
  EXPECT_EQ(MaxDailyMilli(Ibuprofen(), 18, 50'000), std::optional<std::int64_t>(2'400'000));
  EXPECT_EQ(MaxDailyMilli(Ibuprofen(), 18, std::nullopt), std::optional<std::int64_t>(2'400'000));
  // Heavy teenager on isoniazid at 0.4 g/day: over the 0.3 g cap.
  Case c;
  c.ctx.age_years = 15;
  c.ctx.weight_g = 50'000;
  c.Add(Isoniazid(), 400'000, "qd", 7);
  EXPECT_TRUE(Blocks(c, "rx_dose_limit")) << Codes(c);
}

// 二甲双胍说明书: 10岁以上儿童 — the minimum age itself is allowed.
TEST(PrescriptionRules, MinimumAgeBoundary) {
  Case ten;
  ten.ctx.age_years = 10;
  ten.ctx.weight_g = 35'000;
  ten.Add(Metformin(), 500'000, "bid");
  EXPECT_FALSE(Blocks(ten, "rx_dose_limit")) << Codes(ten);
  Case nine = ten;
  nine.ctx.age_years = 9;
  EXPECT_TRUE(Blocks(nine, "rx_dose_limit")) << Codes(nine);
}

// The same generic drug in two dosage forms is the same drug (duplicate therapy).
TEST(PrescriptionRules, SameDrugInTwoFormsIsADuplicate) {
  auto susp = Ibuprofen();
  susp.id = 60;
  susp.drug.id = 1060;
  susp.drug.dosage_form = "口服液体剂";
  Case c;
  c.Add(Ibuprofen(), 200'000, "tid", 3).Add(susp, 200'000, "tid", 3);
  EXPECT_TRUE(Blocks(c, "rx_duplicate_therapy")) << Codes(c);
}

// An override reason on either line of the pair is the doctor's recorded reason.
TEST(PrescriptionRules, OverrideOnEitherLine) {
  const drugs::Interaction hp{"fluconazole", "simvastatin", "high", "ONC high-priority"};
  Case c;
  c.Add(Simvastatin(), 20'000, "qn").Add(Fluconazole(), 150'000, "qw");
  c.ctx.interactions = {hp};
  c.in.items[0].override_reason = "短期单剂量";
  EXPECT_FALSE(Blocks(c, "rx_interaction")) << Codes(c);
}

// 处方管理办法 第六条: usage written exactly — never 遵医嘱; the route must be one the line allows.
TEST(PrescriptionRules, FormErrors) {
  EXPECT_EQ(DosesPerWeek("遵医嘱"), 0);
  EXPECT_EQ(DosesPerWeek("qd"), 7);
  EXPECT_EQ(DosesPerWeek("bid"), 14);
  EXPECT_EQ(DosesPerWeek("tid"), 21);
  EXPECT_EQ(DosesPerWeek("qid"), 28);
  EXPECT_EQ(DosesPerWeek("qw"), 1);
  PrescriptionInput in;
  in.consultation_id = 1;
  in.items = {Item(Amlodipine(), 5'000)};
  EXPECT_TRUE(CheckForm(in, {Amlodipine()}).empty());
  in.items[0].frequency = "遵医嘱";
  EXPECT_FALSE(CheckForm(in, {Amlodipine()}).empty());
  in.items[0].frequency = "qd";
  in.items[0].route = "subcutaneous";  // an oral tablet
  EXPECT_FALSE(CheckForm(in, {Amlodipine()}).empty());
  in.items[0].route = "oral";
  in.valid_days = 4;  // 处方管理办法 第十八条: at most 3 days
  EXPECT_FALSE(CheckForm(in, {Amlodipine()}).empty());
  in.valid_days = 3;
  EXPECT_TRUE(CheckForm(in, {Amlodipine()}).empty());
  in.items.clear();
  EXPECT_FALSE(CheckForm(in, {}).empty());
}

TEST(PrescriptionRules, QuantityIsWholeBoxesForTheDays) {
  // 氨氯地平 5 mg qd: 7 days = 7 tablets = 1 box of 28; 28 days = 1 box; 29 days = 2 boxes.
  EXPECT_EQ(QuantityBoxes(Item(Amlodipine(), 5'000, "qd", 7), Amlodipine()), 1);
  EXPECT_EQ(QuantityBoxes(Item(Amlodipine(), 5'000, "qd", 28), Amlodipine()), 1);
  EXPECT_EQ(QuantityBoxes(Item(Amlodipine(), 5'000, "qd", 29), Amlodipine()), 2);
  // 二甲双胍 1 g bid for 7 days = 28 tablets of 0.5 g, 20 per box: 2 boxes.
  EXPECT_EQ(QuantityBoxes(Item(Metformin(), 1'000'000, "bid", 7), Metformin()), 2);
  // Never zero boxes.
  EXPECT_GE(QuantityBoxes(Item(Amlodipine(), 2'500, "qd", 1), Amlodipine()), 1);
}

// 处方管理办法 第六条: 实足年龄; 新生儿、婴幼儿写日、月龄.
TEST(PrescriptionRules, PrintedAgeIsTheCompletedAge) {
  EXPECT_EQ(PrintedAge("2018-06-15", "2026-06-14"), "7岁");
  EXPECT_EQ(PrintedAge("2018-06-15", "2026-06-15"), "8岁");
  EXPECT_EQ(PrintedAge("1980-01-01", "2026-12-03"), "46岁");
  EXPECT_EQ(PrintedAge("2026-01-10", "2026-08-09"), "6月");
  EXPECT_EQ(PrintedAge("2026-01-10", "2026-08-10"), "7月");
  EXPECT_EQ(PrintedAge("2025-12-04", "2026-12-03"), "11月");
  EXPECT_EQ(PrintedAge("2025-12-03", "2026-12-03"), "1岁");
  // A newborn's age is written in days (新生儿写日龄), not "0月".
  const auto newborn = PrintedAge("2026-11-23", "2026-12-03");
  EXPECT_NE(newborn, "0月");
  EXPECT_EQ(newborn, "10天");
}

// 处方管理办法 第五条: 儿科处方 pale green; ordinary white.
TEST(PrescriptionRules, PaperColour) {
  EXPECT_EQ(CategoryFor(0), "pediatric");
  EXPECT_EQ(CategoryFor(13), "pediatric");
  EXPECT_EQ(CategoryFor(14), "ordinary");
  EXPECT_EQ(CategoryFor(70), "ordinary");
}

}  // namespace
}  // namespace ihos::domain::prescriptions

namespace ihos::domain::drugs {
namespace {

// The rows of the real controlled list that name `name` in in_nrdl.
class DrugControlledList : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = ReadControlled(ihos::domain::prescriptions::DataDir() + "/cn_controlled_drugs/controlled_drugs.csv");
    ASSERT_TRUE(r) << r.error().code;
    rows_ = new std::vector<ControlledRow>(std::move(*r));
  }
  static void TearDownTestSuite() { delete rows_; }
  static std::string Cat(const std::string& name, const std::string& form) {
    std::vector<const ControlledRow*> hit;
    for (const auto& row : *rows_)
      if (std::find(row.in_nrdl.begin(), row.in_nrdl.end(), name) != row.in_nrdl.end()) hit.push_back(&row);
    return ControlledCategory(name, form, hit);
  }
  static std::vector<ControlledRow>* rows_;
};
std::vector<ControlledRow>* DrugControlledList::rows_ = nullptr;

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_F(DrugControlledList, TheListsNotesApply) {
  EXPECT_EQ(rows_->size(), 341u);
  // Narcotics and psychotropics.
  EXPECT_EQ(Cat("吗啡", "注射剂"), "narcotic");
  EXPECT_EQ(Cat("吗啡", "口服常释剂型"), "narcotic");
  EXPECT_EQ(Cat("地西泮", "口服常释剂型"), "psychotropic_2");
  EXPECT_EQ(Cat("氨酚羟考酮", "口服常释剂型"), "psychotropic_2");  // ≤ 5 mg oxycodone base (2019年第63号)
  // 咪达唑仑 split by dosage form (2024年第54号).
  EXPECT_EQ(Cat("咪达唑仑", "注射剂"), "psychotropic_1");
  EXPECT_EQ(Cat("咪达唑仑", "口服常释剂型"), "psychotropic_2");
  // Note 1: Western toxic items are the raw substance only; atropine preparations are ordinary.
  EXPECT_EQ(Cat("阿托品", "口服常释剂型"), "");
  EXPECT_EQ(Cat("阿托品", "注射剂"), "");
  EXPECT_EQ(Cat("阿托品", "眼用凝胶剂"), "");
  // ... except 亚砷酸注射液 and A型肉毒毒素及其制剂.
  EXPECT_EQ(Cat("亚砷酸(三氧化二砷)", "注射剂"), "toxic");
  EXPECT_EQ(Cat("A型肉毒毒素", "注射剂"), "toxic");
  // Note 2: approved 依托咪酯 preparations are exempt.
  EXPECT_EQ(Cat("依托咪酯", "注射剂"), "");
  // Note 3: TCM toxic herbs printed without 生 cover their 饮片.
  EXPECT_EQ(Cat("雄黄粉", ""), "toxic");
  // Note 4: any bracketed radionuclide is radioactive, listed or not.
  EXPECT_EQ(ControlledCategory("碘[131I]化钠口服溶液", "口服液体剂", {}), "radioactive");
  EXPECT_EQ(ControlledCategory("锝[99mTc]聚合白蛋白", "注射剂", {}), "radioactive");
  // Not controlled (SOURCE.md "Not controlled"): combinations not named on the lists, pregabalin.
  EXPECT_EQ(Cat("氨酚待因Ⅰ", "口服常释剂型"), "");
  EXPECT_EQ(Cat("普瑞巴林", "口服常释剂型"), "");
  EXPECT_EQ(ControlledCategory("布洛芬", "口服常释剂型", {}), "");
}

// The whole NRDL read with the real lists: the flags each row gets (SOURCE.md notes 1–5).
TEST(DrugCatalogue, RealListsFlagTheRightRows) {
  const std::string data = ihos::domain::prescriptions::DataDir();
  auto pinyin = ReadPinyinTable("/usr/share/gocode/src/github.com/mozillazg/go-pinyin/pinyin_dict.go");
  ASSERT_TRUE(pinyin);
  auto controlled = ReadControlled(data + "/cn_controlled_drugs/controlled_drugs.csv");
  ASSERT_TRUE(controlled);
  auto drugs = ReadNrdl(data + "/drugs_nrdl/nrdl_2024_drug_list.csv", *controlled, *pinyin);
  ASSERT_TRUE(drugs) << drugs.error().code;
  EXPECT_EQ(drugs->size(), 4750u);
  auto flag = [&](const std::string& name, const std::string& form) -> std::string {
    for (const auto& d : *drugs)
      if (d.name == name && d.dosage_form == form) return d.controlled;
    return "<missing>";
  };
  auto row = [&](const std::string& name, const std::string& form) -> const Drug* {
    for (const auto& d : *drugs)
      if (d.name == name && d.dosage_form == form) return &d;
    return nullptr;
  };
  EXPECT_EQ(flag("吗啡", "注射剂"), "narcotic");
  EXPECT_EQ(flag("芬太尼", "贴剂"), "narcotic");
  EXPECT_EQ(flag("氯胺酮", "注射剂"), "psychotropic_1");
  EXPECT_EQ(flag("地西泮", "口服常释剂型"), "psychotropic_2");
  EXPECT_EQ(flag("曲马多", "口服常释剂型"), "psychotropic_2");
  EXPECT_EQ(flag("右美沙芬", "口服常释剂型"), "psychotropic_2");  // 2024年第54号
  EXPECT_EQ(flag("咪达唑仑", "注射剂"), "psychotropic_1");
  EXPECT_EQ(flag("咪达唑仑", "口服常释剂型"), "psychotropic_2");
  EXPECT_EQ(flag("阿托品", "口服常释剂型"), "");
  EXPECT_EQ(flag("阿托品", "注射剂"), "");
  EXPECT_EQ(flag("阿托品", "眼膏剂"), "");
  EXPECT_EQ(flag("依托咪酯", "注射剂"), "");
  EXPECT_EQ(flag("亚砷酸(三氧化二砷)", "注射剂"), "toxic");
  EXPECT_EQ(flag("A型肉毒毒素", "注射剂"), "toxic");
  EXPECT_EQ(flag("雄黄粉", ""), "toxic");
  EXPECT_EQ(flag("碘[131I]化钠", "口服溶液剂"), "radioactive");
  EXPECT_EQ(flag("锝[99mTc]聚合白蛋白", "注射剂"), "radioactive");
  EXPECT_EQ(flag("麻黄碱", "注射剂"), "precursor");
  EXPECT_EQ(flag("麻黄碱", "滴鼻剂"), "precursor");
  EXPECT_EQ(flag("复方甘草", "口服常释剂型"), "");  // a combination not named on the lists
  EXPECT_EQ(flag("布洛芬", "口服常释剂型"), "");
  // Kinds by section; antimicrobials; the tuberculosis exemption; allergy classes; pinyin.
  ASSERT_NE(row("黄芪", ""), nullptr);
  EXPECT_EQ(row("黄芪", "")->kind, "herbal");
  ASSERT_NE(row("阿莫西林", "口服常释剂型"), nullptr);
  EXPECT_EQ(row("阿莫西林", "口服常释剂型")->kind, "western");
  EXPECT_TRUE(row("阿莫西林", "口服常释剂型")->antimicrobial);
  EXPECT_FALSE(row("阿莫西林", "口服常释剂型")->antimicrobial_chronic_exempt);
  EXPECT_TRUE(Has(row("阿莫西林", "口服常释剂型")->allergy_classes, "penicillins"));
  EXPECT_TRUE(row("异烟肼", "口服常释剂型")->antimicrobial_chronic_exempt);
  EXPECT_FALSE(row("阿昔洛韦", "口服常释剂型")->antimicrobial);
  EXPECT_FALSE(row("A型肉毒毒素", "注射剂")->antimicrobial);
  EXPECT_EQ(row("布洛芬", "口服常释剂型")->pinyin, "blf");
}

TEST(DrugRules, EphedrineIsAPrecursor) {
  EXPECT_TRUE(IsDrugPrecursor("麻黄碱"));
  EXPECT_TRUE(IsDrugPrecursor("伪麻黄碱"));
  EXPECT_TRUE(IsDrugPrecursor("麦角新碱"));
  EXPECT_FALSE(IsDrugPrecursor("布洛芬"));
  EXPECT_FALSE(IsDrugPrecursor("阿托品"));
}

TEST(DrugRules, AntimicrobialsAreSystemicAntibacterialsAntifungalsAndAntimycobacterials) {
  EXPECT_TRUE(IsAntimicrobial("全身用抗感染药 > 全身用抗菌药 > β-内酰胺类抗菌药，青霉素类 > 广谱青霉素类"));
  EXPECT_TRUE(IsAntimicrobial("全身用抗感染药 > 全身用抗真菌药 > 全身用抗真菌药 > 三唑类衍生物"));
  EXPECT_TRUE(IsAntimicrobial("全身用抗感染药 > 抗分枝杆菌药 > 治疗结核病药 > 酰肼类"));
  EXPECT_TRUE(IsChronicInfectionExempt("全身用抗感染药 > 抗分枝杆菌药 > 治疗结核病药 > 酰肼类"));
  EXPECT_FALSE(IsChronicInfectionExempt("全身用抗感染药 > 全身用抗菌药 > β-内酰胺类抗菌药，青霉素类 > 广谱青霉素类"));
  // Antivirals, immune sera (A型肉毒毒素 sits there in NRDL) and non-anti-infectives are not antimicrobials.
  EXPECT_FALSE(
      IsAntimicrobial("全身用抗感染药 > 全身用抗病毒药 > 直接作用的抗病毒药 > 核苷和核苷酸类，逆转录酶抑制剂除外"));
  EXPECT_FALSE(IsAntimicrobial("全身用抗感染药 > 免疫血清及免疫球蛋白 > 免疫血清"));
  EXPECT_FALSE(IsAntimicrobial("心血管系统 > 调节血脂药 > 单方调节血脂药 > HMG CoA还原酶抑制剂"));
}

TEST(DrugRules, AllergyClasses) {
  EXPECT_TRUE(IsAllergyClass("penicillins"));
  EXPECT_TRUE(IsAllergyClass("cephalosporins"));
  EXPECT_TRUE(IsAllergyClass("sulfonamides"));
  EXPECT_FALSE(IsAllergyClass("bogus"));
  EXPECT_TRUE(
      Has(AllergyClassesOf("阿莫西林", "全身用抗感染药 > 全身用抗菌药 > β-内酰胺类抗菌药，青霉素类 > 广谱青霉素类"),
          "penicillins"));
  EXPECT_TRUE(Has(AllergyClassesOf("头孢呋辛", "全身用抗感染药 > 全身用抗菌药 > 其他β-内酰胺类抗菌药 > 第二代头孢菌素"),
                  "cephalosporins"));
  EXPECT_TRUE(Has(
      AllergyClassesOf("复方磺胺甲噁唑",
                       "全身用抗感染药 > 全身用抗菌药 > 磺胺类及甲氧苄啶 > 包括磺胺衍生物的磺胺类与甲氧苄啶的复方制剂"),
      "sulfonamides"));
  EXPECT_FALSE(Has(
      AllergyClassesOf("氨氯地平", "心血管系统 > 钙通道阻滞剂 > 主要作用于血管的选择性钙通道阻滞剂 > 二氢吡啶衍生物"),
      "penicillins"));
  EXPECT_FALSE(
      Has(AllergyClassesOf("头孢呋辛", "全身用抗感染药 > 全身用抗菌药 > 其他β-内酰胺类抗菌药 > 第二代头孢菌素"),
          "penicillins"));
}

TEST(DrugRules, PinyinInitials) {
  auto table = ReadPinyinTable("/usr/share/gocode/src/github.com/mozillazg/go-pinyin/pinyin_dict.go");
  ASSERT_TRUE(table) << table.error().code;
  // bù luò fēn: issue 20 writes `bfl`, a transposition; the initials are b-l-f.
  EXPECT_EQ(PinyinInitials("布洛芬", *table), "blf");
  EXPECT_EQ(PinyinInitials("阿莫西林", *table), "amxl");
  EXPECT_EQ(PinyinInitials("氨氯地平", *table), "aldp");
  EXPECT_EQ(PinyinInitials("维生素B12", *table), "wssb12");
  EXPECT_EQ(PinyinInitials("A型肉毒毒素", *table), "axrdds");
  EXPECT_EQ(TherapeuticClass("A > B > C"), "C");
}

}  // namespace
}  // namespace ihos::domain::drugs
