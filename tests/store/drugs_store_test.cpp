// The drug catalogue, formulary and interaction pairs, on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/clock.hpp"
#include "domain/drugs/repository.hpp"
#include "domain/drugs/service.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::drugs {
namespace {

Drug MakeDrug(std::int64_t nhsa_id, std::string name, std::string pinyin, std::string category_path) {
  Drug d;
  d.nhsa_id = nhsa_id;
  d.name = std::move(name);
  d.section = "西药部分";
  d.kind = "western";
  d.reimbursement_class = "医保甲类";
  d.dosage_form = "片剂";
  d.category_path = std::move(category_path);
  d.therapeutic_class = "x";
  d.pinyin = std::move(pinyin);
  return d;
}

class DrugsStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 2);
    svc_ = std::make_unique<DrugService>(*db_, clock_);
    Drug amox = MakeDrug(1001, "阿莫西林", "amxl", "全身用抗感染药 > 全身用抗菌药 > 青霉素类");
    amox.name_en = "amoxicillin";
    amox.reimbursement_class = "医保乙类";
    amox.dosage_form = "胶囊剂";
    amox.therapeutic_class = "青霉素类";
    amox.antimicrobial = true;
    amox.allergy_classes = {"penicillins", "beta_lactams"};
    Drug rif = MakeDrug(1002, "利福平", "lfp", "全身用抗感染药 > 抗分枝杆菌药");
    rif.antimicrobial = true;
    rif.antimicrobial_chronic_exempt = true;
    Drug codeine = MakeDrug(1003, "磷酸可待因", "lskdy", "镇痛药");
    codeine.controlled = "narcotic";
    codeine.controlled_source = "麻醉药品品种目录(2013)";
    Drug vitc = MakeDrug(1004, "维生素C", "wssc", "维生素");   // 4 characters, 10 bytes
    Drug ibu = MakeDrug(1005, "布洛芬", "blf", "解热镇痛药");  // 3 characters, 9 bytes
    Drug ibu_sr = MakeDrug(1006, "布洛芬", "blf", "解热镇痛药");
    ibu_sr.dosage_form = "缓释胶囊";
    Drug pct = MakeDrug(1007, "对乙酰氨基酚_100%", "dyxajf", "解热镇痛药");
    auto rep = svc_->Import(
        {amox, rif, codeine, vitc, ibu, ibu_sr, pct},
        {{"amoxicillin", "warfarin", "non_interruptive", "ONC"}, {"ibuprofen", "warfarin", "high", "ONC"}});
    ASSERT_TRUE(rep) << rep.error().code << " " << rep.error().detail;
    EXPECT_EQ(rep->drugs, 7);
    EXPECT_EQ(rep->controlled, 1);
    EXPECT_EQ(rep->antimicrobial, 2);
    EXPECT_EQ(rep->interactions_high, 1);
    EXPECT_EQ(rep->interactions_warn, 1);
  }
  std::int64_t IdOf(const std::string& name, const std::string& form = "") {
    auto d = svc_->FindByName(name, form);
    EXPECT_TRUE(d) << name;
    return d ? d->id : 0;
  }
  std::vector<std::string> Names(const DrugQuery& q) {
    auto r = svc_->SearchCatalogue(q);
    EXPECT_TRUE(r);
    std::vector<std::string> out;
    if (r)
      for (const auto& d : *r) out.push_back(d.name + (d.dosage_form == "片剂" ? "" : "/" + d.dosage_form));
    return out;
  }
  std::int64_t FormularyRows() {
    return *db_->With<std::int64_t>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto r = tx.Query("SELECT COUNT(*) FROM formulary");
      if (!r) return r.error();
      return r->front().Int(0);
    });
  }

  std::unique_ptr<store::Database> db_;
  ManualClock clock_{1'794'961'560'000};
  std::unique_ptr<DrugService> svc_;
};

TEST_P(DrugsStoreTest, CatalogueRowsReadBackEveryColumnAndUpsertKeepsTheId) {
  const auto id = IdOf("阿莫西林");
  auto d = db_->With<std::optional<Drug>>(store::TxMode::read, [&](store::Tx& tx) { return repo::FindDrug(tx, id); });
  ASSERT_TRUE(d && d->has_value());
  const Drug& a = **d;
  EXPECT_EQ(a.nhsa_id, 1001);
  EXPECT_EQ(a.name, "阿莫西林");
  EXPECT_EQ(a.name_en, "amoxicillin");
  EXPECT_EQ(a.section, "西药部分");
  EXPECT_EQ(a.kind, "western");
  EXPECT_EQ(a.reimbursement_class, "医保乙类");
  EXPECT_EQ(a.dosage_form, "胶囊剂");
  EXPECT_EQ(a.category_path, "全身用抗感染药 > 全身用抗菌药 > 青霉素类");
  EXPECT_EQ(a.therapeutic_class, "青霉素类");
  EXPECT_EQ(a.controlled, "");
  EXPECT_TRUE(a.antimicrobial);
  EXPECT_FALSE(a.antimicrobial_chronic_exempt);
  EXPECT_EQ(a.allergy_classes, (std::vector<std::string>{"penicillins", "beta_lactams"}));
  EXPECT_EQ(a.pinyin, "amxl");
  auto rif = svc_->FindByName("利福平", "");
  ASSERT_TRUE(rif);
  EXPECT_TRUE(rif->antimicrobial_chronic_exempt);
  EXPECT_TRUE(rif->allergy_classes.empty());
  auto cod = svc_->FindByName("磷酸可待因", "片剂");
  ASSERT_TRUE(cod);
  EXPECT_EQ(cod->controlled, "narcotic");
  EXPECT_EQ(cod->controlled_source, "麻醉药品品种目录(2013)");
  // By name and form; "" takes the lowest NRDL id.
  EXPECT_EQ(svc_->FindByName("布洛芬", "缓释胶囊")->nhsa_id, 1006);
  EXPECT_EQ(svc_->FindByName("布洛芬", "")->nhsa_id, 1005);
  EXPECT_EQ(svc_->FindByName("布洛芬", "注射剂").error().errc, Errc::not_found);

  // A second import refreshes by NRDL id and keeps our id (formulary lines point at it).
  Drug again = *rif;
  again.name_en = "rifampicin";
  again.controlled = "toxic";
  ASSERT_TRUE(svc_->Import({again}, {}));
  auto after = svc_->FindByName("利福平", "");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->id, rif->id);
  EXPECT_EQ(after->name_en, "rifampicin");
  EXPECT_EQ(after->controlled, "toxic");
  EXPECT_EQ(*db_->With<std::int64_t>(store::TxMode::read, [](store::Tx& tx) { return repo::CountDrugs(tx); }), 7);
  EXPECT_TRUE(svc_->InteractionsAmong({"ibuprofen", "warfarin"})->empty()) << "the import replaced the pairs";
}

// The import writes many rows a statement (store::InsertRows, 400 a statement): a catalogue of
// 1,000 drugs (three statements) reads back whole and in order, a drug listed twice in one
// statement keeps its first place with its later values (PostgreSQL refuses one statement that
// updates a row twice), and interaction pairs, one repeated within a statement, are all there.
TEST_P(DrugsStoreTest, AThousandDrugImportIsWholeInOrderAndARepeatedIdTakesItsLastEntry) {
  std::vector<Drug> list;
  for (int i = 0; i < 1000; ++i) {
    Drug d = MakeDrug(50'000 + i, "批量药" + std::to_string(i), "pl" + std::to_string(i), "批量");
    d.name_en = "bulk" + std::to_string(i);
    list.push_back(d);
  }
  Drug later = list[7];
  later.name = "批量药7（更正）";
  later.controlled = "toxic";
  list.insert(list.begin() + 100, later);  // in the first statement, with the first entry
  std::vector<Interaction> pairs;
  for (int i = 0; i < 450; ++i) pairs.push_back({"bulk" + std::to_string(i), "warfarin", "high", "ONC"});
  pairs.insert(pairs.begin() + 1, pairs.front());  // a repeated pair is one row
  auto rep = svc_->Import(list, pairs);
  ASSERT_TRUE(rep) << rep.error().code << " " << rep.error().detail;
  EXPECT_EQ(rep->drugs, 1001) << "the report counts the list's entries";
  EXPECT_EQ(*db_->With<std::int64_t>(store::TxMode::read, [](store::Tx& tx) { return repo::CountDrugs(tx); }),
            7 + 1000);
  auto seventh = svc_->FindByName("批量药7（更正）", "");
  ASSERT_TRUE(seventh);
  EXPECT_EQ(seventh->nhsa_id, 50'007);
  EXPECT_EQ(seventh->controlled, "toxic");
  EXPECT_EQ(svc_->FindByName("批量药7", "").error().errc, Errc::not_found);
  // Ids follow the list, across the statements.
  EXPECT_EQ(IdOf("批量药999") - IdOf("批量药0"), 999);
  EXPECT_EQ(IdOf("批量药7（更正）") - IdOf("批量药0"), 7);
  EXPECT_EQ(svc_->InteractionsAmong({"bulk449", "warfarin"})->size(), 1U);
  EXPECT_EQ(svc_->InteractionsAmong({"bulk0", "warfarin"})->size(), 1U);
  EXPECT_TRUE(svc_->InteractionsAmong({"bulk450", "warfarin"})->empty());
}

TEST_P(DrugsStoreTest, FormularyLinesReadBackEveryColumnAndABadLineLeavesNothing) {
  FormularyInput in;
  in.drug_id = IdOf("阿莫西林");
  in.name_en = "Amoxicillin";
  in.strength = "0.25g";
  in.dose_unit = "g";
  in.strength_amount_milli = 250;
  in.package_unit = "粒";
  in.package_size = 24;
  in.price_fen = 1250;
  in.routes = {"oral"};
  in.max_single_milli = 1000;
  in.max_daily_milli = 4000;
  in.child_max_daily_milli_per_kg = 90;
  in.min_age_years = 0;
  in.special_storage = "遮光";
  in.insert_source = "说明书 2023";
  in.demo = true;
  auto f = svc_->AddFormulary(in);
  ASSERT_TRUE(f) << f.error().code;
  auto got = svc_->GetFormulary(f->id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->drug.name, "阿莫西林");
  EXPECT_EQ(got->drug.antimicrobial, true);
  EXPECT_EQ(got->name_en, "Amoxicillin");
  EXPECT_EQ(got->strength, "0.25g");
  EXPECT_EQ(got->dose_unit, "g");
  EXPECT_EQ(got->strength_amount_milli, 250);
  EXPECT_EQ(got->package_unit, "粒");
  EXPECT_EQ(got->package_size, 24);
  EXPECT_EQ(got->price_fen, 1250);
  EXPECT_EQ(got->routes, std::vector<std::string>{"oral"});
  EXPECT_EQ(got->max_single_milli, 1000);
  EXPECT_EQ(got->max_daily_milli, 4000);
  EXPECT_EQ(got->child_max_daily_milli_per_kg, 90);
  EXPECT_EQ(got->min_age_years, 0);
  EXPECT_EQ(got->special_storage, "遮光");
  EXPECT_EQ(got->insert_source, "说明书 2023");
  EXPECT_TRUE(got->demo);

  FormularyInput bare = in;
  bare.drug_id = IdOf("利福平");
  bare.name_en = "rifampicin";
  bare.routes = {"oral", "intravenous"};
  bare.max_single_milli = bare.max_daily_milli = bare.child_max_daily_milli_per_kg = std::nullopt;
  bare.min_age_years = 12;
  bare.demo = false;
  auto g = svc_->AddFormulary(bare);
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->max_single_milli.has_value()) << "NULL limits read back as nullopt, not 0";
  EXPECT_FALSE(g->max_daily_milli.has_value());
  EXPECT_FALSE(g->child_max_daily_milli_per_kg.has_value());
  EXPECT_EQ(g->routes, (std::vector<std::string>{"oral", "intravenous"}));
  EXPECT_EQ(g->min_age_years, 12);
  EXPECT_FALSE(g->demo);
  EXPECT_EQ(g->drug.name_en, "rifampicin") << "a drug without an English name takes the line's";

  // In the order asked, missing ids left out.
  auto both = svc_->FormularyByIds({g->id, 999'999, f->id});
  ASSERT_TRUE(both);
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[0].id, g->id);
  EXPECT_EQ((*both)[1].id, f->id);

  // The table's own check refuses a line the service let through, and nothing stays.
  const auto before = FormularyRows();
  auto bad = db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
    if (auto ok = repo::InsertFormulary(tx, bare, 1); !ok) return ok.error();
    FormularyInput neg = bare;
    neg.price_fen = -1;
    return repo::InsertFormulary(tx, neg, 1);
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "check_violation");
  EXPECT_EQ(FormularyRows(), before);
  auto unknown = bare;
  unknown.drug_id = 999'999;
  EXPECT_EQ(svc_->AddFormulary(unknown).error().errc, Errc::not_found);
}

TEST_P(DrugsStoreTest, SearchMatchesPinyinNameOrCategoryShortestNameFirst) {
  EXPECT_EQ(Names({"blf", "", false, 20}), (std::vector<std::string>{"布洛芬", "布洛芬/缓释胶囊"}));
  EXPECT_EQ(Names({"lfp", "", false, 20}), std::vector<std::string>{"利福平"});
  // Shorter names first, by characters on both backends, then by NRDL id: 阿莫西林 (4 characters,
  // 12 bytes) before 维生素C (4 characters, 10 bytes).
  EXPECT_EQ(Names({"", "", false, 5}),
            (std::vector<std::string>{"利福平", "布洛芬", "布洛芬/缓释胶囊", "阿莫西林/胶囊剂", "维生素C"}));
  EXPECT_EQ(Names({"", "解热", false, 20}),
            (std::vector<std::string>{"布洛芬", "布洛芬/缓释胶囊", "对乙酰氨基酚_100%"}));
  EXPECT_EQ(Names({"AMOXI", "", false, 20}), std::vector<std::string>{"阿莫西林/胶囊剂"}) << "English, any case";
  EXPECT_EQ(Names({"青霉素", "", false, 20}), std::vector<std::string>{"阿莫西林/胶囊剂"}) << "category fragment";
  EXPECT_EQ(Names({"_1", "", false, 20}), std::vector<std::string>{"对乙酰氨基酚_100%"}) << "_ is literal";
  EXPECT_EQ(Names({"0%", "", false, 20}), std::vector<std::string>{"对乙酰氨基酚_100%"}) << "% is literal";
  EXPECT_EQ(Names({"维生素c", "", false, 20}), std::vector<std::string>{"维生素C"});
}

TEST_P(DrugsStoreTest, FormularySearchShowsOnlyStockedLinesAndInteractionsAreFoundBothWays) {
  FormularyInput in;
  in.drug_id = IdOf("布洛芬", "缓释胶囊");
  in.name_en = "Ibuprofen";
  in.strength = "0.3g";
  in.dose_unit = "g";
  in.strength_amount_milli = 300;
  in.package_unit = "粒";
  in.package_size = 20;
  in.price_fen = 1580;
  in.routes = {"oral"};
  auto f = svc_->AddFormulary(in);
  ASSERT_TRUE(f);
  auto hits = svc_->SearchFormulary({"ibuprofen", "", true, 20});
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 1u) << "found by the line's English name";
  EXPECT_EQ((*hits)[0].id, f->id);
  EXPECT_TRUE(svc_->SearchFormulary({"阿莫西林", "", true, 20})->empty()) << "in the catalogue, not stocked";
  ASSERT_TRUE(db_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
    if (auto r = tx.Exec("UPDATE formulary SET active = 0 WHERE id = $1", {f->id}); !r) return r.error();
    return {};
  }));
  EXPECT_TRUE(svc_->SearchFormulary({"blf", "", true, 20})->empty()) << "a withdrawn line is not offered";
  EXPECT_EQ(svc_->GetFormulary(f->id).error().errc, Errc::not_found);

  auto pairs = svc_->InteractionsAmong({"Warfarin", "IBUPROFEN", "amoxicillin", ""});
  ASSERT_TRUE(pairs);
  ASSERT_EQ(pairs->size(), 2u);
  std::sort(pairs->begin(), pairs->end(), [](const auto& x, const auto& y) { return x.a < y.a; });
  EXPECT_EQ((*pairs)[0].a, "amoxicillin");
  EXPECT_EQ((*pairs)[0].b, "warfarin");
  EXPECT_EQ((*pairs)[0].level, "non_interruptive");
  EXPECT_EQ((*pairs)[0].source, "ONC");
  EXPECT_EQ((*pairs)[1].level, "high");
  EXPECT_TRUE(svc_->InteractionsAmong({"warfarin"})->empty());

  // An import that fails half-way (a kind the table refuses) changes nothing.
  Drug bad = MakeDrug(2001, "新药", "xy", "x");
  bad.kind = "unknown";
  auto r = svc_->Import({MakeDrug(2000, "好药", "hy", "x"), bad}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "check_violation");
  EXPECT_EQ(*db_->With<std::int64_t>(store::TxMode::read, [](store::Tx& tx) { return repo::CountDrugs(tx); }), 7);
  EXPECT_EQ(svc_->InteractionsAmong({"ibuprofen", "warfarin"})->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DrugsStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::drugs
