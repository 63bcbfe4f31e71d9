// `ihos seed-demo`: the demo formulary (演示处方集: strengths, packages and demo prices entered as a
// hospital would, dose limits from each drug's package insert, named in insert_source), the demo
// pharmacist 演示·赵药师 registered at 演示·市第一人民医院, the demo signing PIN of the demo doctor
// and pharmacist, and a demo allergy. Idempotent. Needs `ihos drugs import` first (the formulary is
// skipped with a note when the catalogue is empty).
#include <iostream>

#include "cli/demo.hpp"
#include "core/events.hpp"
#include "domain/accounts/repository.hpp"
#include "domain/consultation/service.hpp"
#include "domain/directory/service.hpp"
#include "domain/drugs/service.hpp"
#include "domain/prescriptions/service.hpp"
#include "domain/scheduling/service.hpp"

namespace ihos::cli {

std::optional<Principal> DemoPrincipal(store::Database& db, const std::string& phone, std::vector<std::string> roles) {
  auto u = db.With<std::optional<domain::accounts::User>>(store::TxMode::read, [&](store::Tx& tx) {
    return [&]() -> Result<std::optional<domain::accounts::User>> {
      auto id = domain::accounts::repo::FindUserIdByPhone(tx, phone);
      if (!id) return id.error();
      if (!*id) return std::optional<domain::accounts::User>();
      return domain::accounts::repo::FindUser(tx, **id);
    }();
  });
  if (!u || !*u) return std::nullopt;
  return Principal{(*u)->id, (*u)->real_name, std::move(roles)};
}

namespace {

using namespace domain;

struct DemoLine {
  const char* name;
  const char* form;
  const char* en;
  const char* strength;
  const char* unit;
  std::int64_t amount_milli;
  const char* package_unit;
  std::int64_t package_size;
  std::int64_t price_fen;
  const char* route;
  std::optional<std::int64_t> max_single, max_daily, child_per_kg;
  std::int64_t min_age;
  const char* storage;
  const char* source;
};

// Limits from the package inserts (药品说明书) named in `source`; prices are demo values.
const DemoLine kFormulary[] = {
    {"二甲双胍", "口服常释剂型", "Metformin", "0.5g", "mg", 500'000, "片", 20, 1250, "oral", std::nullopt, 2'550'000,
     std::nullopt, 10, "", "盐酸二甲双胍片说明书：成人最大推荐剂量每日2550mg；10岁以上儿童方可使用"},
    {"氨氯地平", "口服常释剂型", "Amlodipine", "5mg", "mg", 5'000, "片", 28, 2800, "oral", 10'000, 10'000, std::nullopt,
     6, "", "苯磺酸氨氯地平片说明书：最大剂量10mg每日一次；6岁以下儿童未确立"},
    {"阿托伐他汀", "口服常释剂型", "Atorvastatin", "20mg", "mg", 20'000, "片", 7, 3500, "oral", 80'000, 80'000,
     std::nullopt, 10, "", "阿托伐他汀钙片说明书：剂量范围每日10~80mg"},
    {"辛伐他汀", "口服常释剂型", "Simvastatin", "20mg", "mg", 20'000, "片", 14, 2000, "oral", 80'000, 80'000,
     std::nullopt, 10, "", "辛伐他汀片说明书：剂量范围每日5~80mg"},
    {"阿司匹林", "口服常释剂型(不含分散片)", "Aspirin", "100mg", "mg", 100'000, "片", 30, 1500, "oral", 300'000,
     300'000, std::nullopt, 16, "", "阿司匹林肠溶片说明书：抗血小板每日100~300mg；16岁以下儿童（瑞氏综合征）不宜"},
    {"氯吡格雷", "口服常释剂型", "Clopidogrel", "75mg", "mg", 75'000, "片", 7, 4500, "oral", 300'000, 300'000,
     std::nullopt, 18, "", "硫酸氢氯吡格雷片说明书：每日75mg，负荷量300mg；18岁以下未确立"},
    {"华法林", "口服常释剂型", "Warfarin", "2.5mg", "mg", 2'500, "片", 60, 1800, "oral", std::nullopt, std::nullopt,
     std::nullopt, 18, "", "华法林钠片说明书：按INR调整剂量，无固定上限"},
    {"布洛芬", "口服常释剂型", "Ibuprofen", "0.2g", "mg", 200'000, "片", 24, 800, "oral", 400'000, 2'400'000, 30'000, 0,
     "", "布洛芬片说明书：成人一次0.2~0.4g，一日最大2.4g；儿童一次5~10mg/kg，一日3次"},
    {"布洛芬", "口服液体剂", "Ibuprofen", "100ml:2g", "mg", 2'000'000, "瓶", 1, 2600, "oral", std::nullopt,
     std::nullopt, 40'000, 1, "", "布洛芬混悬液说明书：1~12岁儿童每次5~10mg/kg，24小时不超过4次"},
    {"对乙酰氨基酚", "口服常释剂型", "Paracetamol", "0.5g", "mg", 500'000, "片", 12, 650, "oral", 1'000'000, 2'000'000,
     std::nullopt, 12, "",
     "对乙酰氨基酚片说明书：12岁以上一次0.5g，若持续发热或疼痛可间隔4~6小时重复，24小时不超过4次"},
    {"阿莫西林", "口服常释剂型", "Amoxicillin", "0.25g", "mg", 250'000, "粒", 24, 900, "oral", std::nullopt, 4'000'000,
     40'000, 0, "", "阿莫西林胶囊说明书：成人一日不超过4g；小儿一日20~40mg/kg"},
    {"氟康唑", "口服常释剂型", "Fluconazole", "150mg", "mg", 150'000, "粒", 1, 1500, "oral", 400'000, 400'000, 12'000,
     0, "", "氟康唑胶囊说明书：成人一日最大400mg；儿童一日最大12mg/kg"},
    {"甘精胰岛素", "注射剂", "Insulin glargine", "3ml:300单位", "IU", 300'000, "支", 1, 18000, "subcutaneous",
     std::nullopt, std::nullopt, std::nullopt, 6, "2~8°C冷藏（未开启）",
     "甘精胰岛素注射液说明书：剂量个体化；6岁以上儿童；未开启时2~8°C冷藏"},
    {"氯雷他定", "口服常释剂型", "Loratadine", "10mg", "mg", 10'000, "片", 6, 1800, "oral", 10'000, 10'000,
     std::nullopt, 2, "", "氯雷他定片说明书：成人及12岁以上一日10mg；2~12岁按体重"},
    {"奥美拉唑", "口服常释剂型", "Omeprazole", "20mg", "mg", 20'000, "粒", 14, 1400, "oral", 40'000, 40'000,
     std::nullopt, 18, "", "奥美拉唑肠溶胶囊说明书：一般一日20~40mg"},
    {"异烟肼", "口服常释剂型", "Isoniazid", "0.1g", "mg", 100'000, "片", 100, 600, "oral", 300'000, 300'000, 10'000, 0,
     "", "异烟肼片说明书：成人一日0.3g顿服；小儿一日10~20mg/kg，最高0.3g"},
    {"左氧氟沙星", "口服常释剂型", "Levofloxacin", "0.5g", "mg", 500'000, "片", 4, 2400, "oral", 750'000, 750'000,
     std::nullopt, 18, "", "左氧氟沙星片说明书：18岁以下禁用；一日最大750mg"},
    {"地西泮", "口服常释剂型", "Diazepam", "2.5mg", "mg", 2'500, "片", 20, 300, "oral", 10'000, 40'000, std::nullopt, 0,
     "", "地西泮片说明书（第二类精神药品：互联网医院不得开具，仅院内）"},
    {"黄芪", "", "Astragali Radix", "饮片", "g", 1'000, "g", 1, 30, "oral", 30'000, 30'000, std::nullopt, 0, "",
     "中国药典2020年版一部 黄芪：用量9~30g"},
};

constexpr char kDemoPin[] = "246810";

}  // namespace

int SeedPrescriptionDemo(store::Database& db) {
  SystemClock clock;
  accounts::AccountService accounts(db, clock, {});
  directory::DirectoryService directory(db, clock, accounts, {});
  scheduling::SchedulingService scheduling(db, clock, accounts, {});
  auto bus = events::MakeLocalBus();
  consultation::ConsultationService consultations(db, clock, *bus, accounts, directory, scheduling, {});
  drugs::DrugService drug_svc(db, clock);
  prescriptions::PrescriptionService rx(db, clock, drug_svc, consultations, directory, accounts, {});
  const RequestMeta meta{"seed-demo", "cli"};

  auto admin = DemoPrincipal(db, "13800000001", {"admin"});
  auto pharmacist = DemoPrincipal(db, "13800000004", {"patient", "pharmacist"});
  auto doctor = DemoPrincipal(db, "13800000003", {"patient", "doctor"});
  auto patient = DemoPrincipal(db, "13800000002", {"patient"});
  if (!admin || !pharmacist || !doctor || !patient) return 0;

  // The formulary, once (the first line present means it was seeded).
  auto present = drug_svc.SearchFormulary({"二甲双胍", "", true, 1});
  if (!present) return PrintError(present.error()), 1;
  if (present->empty()) {
    int added = 0;
    for (const auto& l : kFormulary) {
      auto d = drug_svc.FindByName(l.name, l.form);
      if (!d) {
        if (d.error().code == "not_found") continue;  // no catalogue yet
        return PrintError(d.error()), 1;
      }
      drugs::FormularyInput in{d->id,          l.en,        l.strength, l.unit,       l.amount_milli, l.package_unit,
                               l.package_size, l.price_fen, {l.route},  l.max_single, l.max_daily,    l.child_per_kg,
                               l.min_age,      l.storage,   l.source,   true};
      if (auto f = drug_svc.AddFormulary(in); !f) return PrintError(f.error()), 1;
      ++added;
    }
    if (added == 0)
      std::cout << "no drug catalogue yet (run `ihos drugs import --data ../shared/data`): demo formulary skipped\n";
    else
      std::cout << "demo formulary (演示处方集): " << added << " lines\n";
  }

  // The demo pharmacist of 演示·市第一人民医院, and the demo signing PINs.
  auto hospitals = directory.Hospitals();
  if (!hospitals) return PrintError(hospitals.error()), 1;
  std::int64_t hospital_id = 0;
  for (const auto& h : *hospitals)
    if (h.name == "演示·市第一人民医院") hospital_id = h.id;
  if (hospital_id == 0) return 0;
  if (auto p = rx.AddPharmacist(*admin, pharmacist->user_id, hospital_id, "DEMO-YS-0001", meta);
      !p && p.error().code != "unique_violation")
    return PrintError(p.error()), 1;
  for (const auto& [who, role] : {std::pair{&*doctor, "doctor"}, std::pair{&*pharmacist, "pharmacist"}}) {
    auto k = rx.SetPin(*who, role, kDemoPin, "");
    if (!k && k.error().code != "rx_signature_invalid") return PrintError(k.error()), 1;
  }
  // The demo patient's recorded allergy: penicillins.
  auto allergies = rx.Allergies(*patient, patient->user_id, meta);
  if (allergies && allergies->empty())
    if (auto a = rx.AddAllergy(*patient, patient->user_id, {std::nullopt, "penicillins", "【演示】皮疹"}, meta); !a)
      return PrintError(a.error()), 1;
  std::cout << "demo signing PIN (演示签名密码) of 演示·李医生 and 演示·赵药师: " << kDemoPin << "\n";
  return 0;
}

}  // namespace ihos::cli
