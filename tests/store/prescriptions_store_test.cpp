// Drug catalogue, formulary, interaction pairs, prescriptions, reviews, allergies and signing keys
// in the repository, on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include "domain/drugs/repository.hpp"
#include "domain/prescriptions/repository.hpp"
#include "support/practitioner_fixture.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::prescriptions {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

drugs::Drug MakeDrug(std::int64_t nhsa, const std::string& name, const std::string& en, const std::string& form,
                     const std::string& path, const std::string& pinyin) {
  drugs::Drug d;
  d.nhsa_id = nhsa;
  d.name = name;
  d.name_en = en;
  d.section = "西药部分";
  d.kind = "western";
  d.reimbursement_class = "医保甲类";
  d.dosage_form = form;
  d.category_path = path;
  d.therapeutic_class = path.substr(path.rfind("> ") == std::string::npos ? 0 : path.rfind("> ") + 2);
  d.pinyin = pinyin;
  return d;
}

class PrescriptionStoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 4);
    now_ = 1'794'961'560'000;  // 2026-11-18 08:26 CST
    auto users = testing::InsertPatients(*db_, 3, "rx", now_);
    doctor_user_ = users[0].id;
    patient_ = users[1].id;
    pharmacist_user_ = users[2].id;
    auto ids = testing::InsertPractitioner(*db_, doctor_user_);
    practitioner_ = ids.practitioner_id;
    hospital_ = ids.hospital_id;
    consultation_ = *db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto r = tx.Query(
          "INSERT INTO consultations (kind, status, patient_id, requested_by, practitioner_id, department_code, "
          "chief_complaint, duration, is_follow_up, follow_up, created_at, accepted_at, last_activity_at) VALUES "
          "('text', 'active', $1, $1, $2, 'internal_medicine', '复诊', '1年', 1, 'verified', $3, $3, $3) RETURNING id",
          {patient_, practitioner_, now_});
      if (!r) return r.error();
      return r->front().Int(0);
    });
    ASSERT_GT(consultation_, 0);
    // Two statins and an azole.
    ASSERT_TRUE(Write([&](store::Tx& tx) -> Status {
      const std::string statin = "心血管系统 > 调节血脂药 > 单方调节血脂药 > HMG CoA还原酶抑制剂";
      for (const auto& d : {MakeDrug(9001, "辛伐他汀", "Simvastatin", "口服常释剂型", statin, "xftt"),
                            MakeDrug(9002, "阿托伐他汀", "Atorvastatin", "口服常释剂型", statin, "atfxtt"),
                            MakeDrug(9003, "氟康唑", "Fluconazole", "口服常释剂型",
                                     "全身用抗感染药 > 全身用抗真菌药 > 全身用抗真菌药 > 三唑类衍生物", "fkz")})
        if (auto st = drugs::repo::UpsertDrug(tx, d); !st) return st;
      return drugs::repo::ReplaceInteractions(tx, {{"fluconazole", "simvastatin", "high", "ONC high-priority"}});
    }));
    ASSERT_GT(WriteR<std::int64_t>([&](store::Tx& tx) {
                return repo::InsertPharmacist(tx, pharmacist_user_, "赵药师", hospital_, "YS-000001", now_);
              }),
              0);
    simva_ = DrugId("辛伐他汀");
    atorva_ = DrugId("阿托伐他汀");
    fluco_ = DrugId("氟康唑");
    f_simva_ = AddFormulary(simva_, "Simvastatin", 80'000);
    f_fluco_ = AddFormulary(fluco_, "Fluconazole", 400'000);
  }

  template <class F>
  Status Write(F&& f) {
    return db_->Transact(store::TxMode::write, std::forward<F>(f));
  }
  template <class T, class F>
  T Read(F&& f) {
    auto r = db_->With<T>(store::TxMode::read, std::forward<F>(f));
    EXPECT_TRUE(r) << (r ? "" : r.error().code);
    return r ? std::move(*r) : T{};
  }
  template <class T, class F>
  T WriteR(F&& f) {
    auto r = db_->With<T>(store::TxMode::write, std::forward<F>(f));
    EXPECT_TRUE(r) << (r ? "" : r.error().code);
    return r ? std::move(*r) : T{};
  }

  std::int64_t DrugId(const std::string& name) {
    auto d = Read<std::optional<drugs::Drug>>(
        [&](store::Tx& tx) { return drugs::repo::FindDrugByName(tx, name, "口服常释剂型"); });
    EXPECT_TRUE(d.has_value()) << name;
    return d ? d->id : 0;
  }
  std::int64_t AddFormulary(std::int64_t drug_id, const std::string& en, std::int64_t max_daily) {
    drugs::FormularyInput in;
    in.drug_id = drug_id;
    in.name_en = en;
    in.strength = "20mg";
    in.dose_unit = "mg";
    in.strength_amount_milli = 20'000;
    in.package_unit = "片";
    in.package_size = 14;
    in.price_fen = 2000;
    in.routes = {"oral"};
    in.max_daily_milli = max_daily;
    in.min_age_years = 10;
    in.special_storage = "";
    in.insert_source = "说明书";
    return WriteR<std::int64_t>([&](store::Tx& tx) { return drugs::repo::InsertFormulary(tx, in, now_); });
  }
  std::int64_t Key(std::int64_t user, const std::string& role) {
    SigningKey k;
    k.user_id = user;
    k.role = role;
    k.public_key = "pk-" + role + std::to_string(user);
    k.sealed_secret = "sealed";
    k.pin_salt = "salt";
    k.status = "active";
    k.created_at = now_;
    return WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertKey(tx, k); });
  }
  Prescription Draft(const std::string& rx_no, std::int64_t key, std::int64_t signed_at) {
    Prescription p;
    p.rx_no = rx_no;
    p.consultation_id = consultation_;
    p.patient_id = patient_;
    p.practitioner_id = practitioner_;
    p.doctor_user_id = doctor_user_;
    p.doctor_name = "李医生";
    p.hospital_id = hospital_;
    p.kind = "western";
    p.category = "ordinary";
    p.status = "pending_review";
    p.institution = "测试医院";
    p.department = "内科";
    p.patient_name = "张三";
    p.patient_sex = "男";
    p.patient_age = "46岁";
    p.diagnosis_code = "E78.500";
    p.diagnosis_name = "高脂血症";
    p.issued_on = "2026-11-18";
    p.valid_days = 1;
    p.expires_at = signed_at + kDay;
    p.amount_fen = 2000;
    p.content_hash = "hash-" + rx_no;
    p.doctor_key_id = key;
    p.doctor_signature = "sig";
    p.signed_at = signed_at;
    p.warnings_json = "[]";
    p.created_at = signed_at;
    Item it;
    it.line = 0;
    it.formulary_id = f_simva_;
    it.drug_id = simva_;
    it.generic_name = "辛伐他汀";
    it.dosage_form = "口服常释剂型";
    it.strength = "20mg";
    it.single_dose_milli = 20'000;
    it.dose_unit = "mg";
    it.route = "oral";
    it.frequency = "qn";
    it.days = 7;
    it.quantity = 1;
    it.package_unit = "片";
    it.price_fen = 2000;
    p.items.push_back(it);
    return p;
  }
  std::int64_t Insert(const Prescription& p) {
    return WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertPrescription(tx, p); });
  }
  std::optional<Prescription> Get(std::int64_t id) {
    return Read<std::optional<Prescription>>([&](store::Tx& tx) { return repo::Find(tx, id); });
  }

  std::unique_ptr<store::Database> db_;
  std::int64_t now_ = 0, doctor_user_ = 0, patient_ = 0, pharmacist_user_ = 0, practitioner_ = 0, hospital_ = 0;
  std::int64_t consultation_ = 0, simva_ = 0, atorva_ = 0, fluco_ = 0, f_simva_ = 0, f_fluco_ = 0;
};

TEST_P(PrescriptionStoreTest, CatalogueUpsertKeepsIdsAndFormularyRoundTrips) {
  // Upserting again by nhsa_id refreshes the flags and keeps the id.
  auto d = MakeDrug(9001, "辛伐他汀", "Simvastatin", "口服常释剂型", "心血管系统 > 调节血脂药", "xftt");
  d.controlled = "";
  d.allergy_classes = {"statins_test"};
  ASSERT_TRUE(Write([&](store::Tx& tx) { return drugs::repo::UpsertDrug(tx, d); }));
  EXPECT_EQ(DrugId("辛伐他汀"), simva_);
  EXPECT_EQ(Read<std::int64_t>([](store::Tx& tx) { return drugs::repo::CountDrugs(tx); }), 3);

  auto f = Read<std::optional<drugs::FormularyItem>>(
      [&](store::Tx& tx) { return drugs::repo::FindFormulary(tx, f_simva_); });
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->drug.id, simva_);
  EXPECT_EQ(f->drug.name, "辛伐他汀");
  EXPECT_EQ(f->name_en, "Simvastatin");
  EXPECT_EQ(f->strength_amount_milli, 20'000);
  EXPECT_EQ(f->routes, std::vector<std::string>{"oral"});
  EXPECT_EQ(f->max_daily_milli, std::optional<std::int64_t>(80'000));
  EXPECT_FALSE(f->max_single_milli.has_value());
  EXPECT_FALSE(f->child_max_daily_milli_per_kg.has_value());
  EXPECT_EQ(f->min_age_years, 10);
  EXPECT_EQ(
      Read<std::optional<drugs::FormularyItem>>([](store::Tx& tx) { return drugs::repo::FindFormulary(tx, 999999); }),
      std::nullopt);

  // Search by pinyin initials and by name fragment; the formulary only holds stocked lines.
  auto by_pinyin = Read<std::vector<drugs::FormularyItem>>([](store::Tx& tx) {
    return drugs::repo::SearchFormulary(tx, {"xftt", "", true, 10});
  });
  ASSERT_EQ(by_pinyin.size(), 1u);
  EXPECT_EQ(by_pinyin[0].id, f_simva_);
  auto frag = Read<std::vector<drugs::Drug>>([](store::Tx& tx) {
    return drugs::repo::SearchDrugs(tx, {"他汀", "", false, 10});
  });
  EXPECT_EQ(frag.size(), 2u);
  auto stocked = Read<std::vector<drugs::FormularyItem>>([](store::Tx& tx) {
    return drugs::repo::SearchFormulary(tx, {"他汀", "", true, 10});
  });
  EXPECT_EQ(stocked.size(), 1u) << "阿托伐他汀 is in the catalogue but not stocked";
  auto both = Read<std::vector<drugs::FormularyItem>>([&](store::Tx& tx) {
    return drugs::repo::FormularyByIds(tx, {f_fluco_, f_simva_});
  });
  EXPECT_EQ(both.size(), 2u);

  // Interaction pairs among names, case-insensitively stored lower-case.
  auto pairs = Read<std::vector<drugs::Interaction>>([](store::Tx& tx) {
    return drugs::repo::InteractionsAmong(tx, {"simvastatin", "fluconazole", "atorvastatin"});
  });
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].a, "fluconazole");
  EXPECT_EQ(pairs[0].b, "simvastatin");
  EXPECT_EQ(pairs[0].level, "high");
  EXPECT_TRUE(Read<std::vector<drugs::Interaction>>([](store::Tx& tx) {
                return drugs::repo::InteractionsAmong(tx, {"atorvastatin", "fluconazole"});
              }).empty());
}

TEST_P(PrescriptionStoreTest, PrescriptionLifecycleInTheRepository) {
  const auto dkey = Key(doctor_user_, "doctor");
  const auto pkey = Key(pharmacist_user_, "pharmacist");
  auto active =
      Read<std::optional<SigningKey>>([&](store::Tx& tx) { return repo::ActiveKey(tx, doctor_user_, "doctor"); });
  ASSERT_TRUE(active.has_value());
  EXPECT_EQ(active->id, dkey);
  // One active key per user and role.
  SigningKey dup;
  dup.user_id = doctor_user_;
  dup.role = "doctor";
  dup.public_key = "pk2";
  dup.sealed_secret = "s";
  dup.pin_salt = "s";
  dup.status = "active";
  dup.created_at = now_;
  EXPECT_FALSE(db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) { return repo::InsertKey(tx, dup); }));

  const auto id = Insert(Draft("RX-0001", dkey, now_));
  ASSERT_GT(id, 0);
  auto p = Get(id);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->status, "pending_review");
  EXPECT_EQ(p->rx_no, "RX-0001");
  ASSERT_EQ(p->items.size(), 1u);
  EXPECT_EQ(p->items[0].generic_name, "辛伐他汀");
  EXPECT_EQ(p->items[0].frequency, "qn");
  EXPECT_EQ(Read<std::optional<Prescription>>([](store::Tx& tx) { return repo::FindByNumber(tx, "RX-0001"); })->id, id);
  // rx_no is unique.
  EXPECT_FALSE(db_->With<std::int64_t>(
      store::TxMode::write, [&](store::Tx& tx) { return repo::InsertPrescription(tx, Draft("RX-0001", dkey, now_)); }));

  // The hospital's queue and the patient's active prescriptions hold it.
  auto queue = Read<std::vector<Prescription>>([&](store::Tx& tx) { return repo::Queue(tx, hospital_, 10); });
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].id, id);
  EXPECT_TRUE(
      Read<std::vector<Prescription>>([&](store::Tx& tx) { return repo::Queue(tx, hospital_ + 1000, 10); }).empty());
  EXPECT_EQ(
      Read<std::vector<Prescription>>([&](store::Tx& tx) { return repo::ActiveOfPatient(tx, patient_, now_); }).size(),
      1u);

  // Approve (compare-and-set): a second approval of the same row changes nothing.
  EXPECT_TRUE(
      WriteR<bool>([&](store::Tx& tx) { return repo::Approve(tx, id, pharmacist_user_, pkey, "psig", now_ + 1000); }));
  EXPECT_FALSE(
      WriteR<bool>([&](store::Tx& tx) { return repo::Approve(tx, id, pharmacist_user_, pkey, "psig", now_ + 2000); }));
  EXPECT_FALSE(
      WriteR<bool>([&](store::Tx& tx) { return repo::Reject(tx, id, pharmacist_user_, "late", now_ + 2000); }));
  p = Get(id);
  EXPECT_EQ(p->status, "approved");
  EXPECT_EQ(p->pharmacist_name, "赵药师");
  EXPECT_EQ(p->pharmacist_user_id, std::optional<std::int64_t>(pharmacist_user_));
  EXPECT_EQ(p->pharmacist_key_id, std::optional<std::int64_t>(pkey));
  EXPECT_EQ(p->reviewed_at, std::optional<std::int64_t>(now_ + 1000));
  EXPECT_TRUE(Read<std::vector<Prescription>>([&](store::Tx& tx) { return repo::Queue(tx, hospital_, 10); }).empty());
  // A stale status change is refused.
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) { return repo::SetStatus(tx, id, "pending_review", "cancelled"); }));

  // Reject a second one, then its new version points back at it.
  const auto id2 = Insert(Draft("RX-0002", dkey, now_ + 5000));
  EXPECT_TRUE(
      WriteR<bool>([&](store::Tx& tx) { return repo::Reject(tx, id2, pharmacist_user_, "剂量不当", now_ + 6000); }));
  EXPECT_EQ(Get(id2)->reject_reason, "剂量不当");
  EXPECT_EQ(Get(id2)->status, "rejected");
  auto v2 = Draft("RX-0003", dkey, now_ + 7000);
  v2.previous_id = id2;
  const auto id3 = Insert(v2);
  EXPECT_EQ(Get(id3)->previous_id, std::optional<std::int64_t>(id2));
  EXPECT_EQ(
      Read<std::vector<Prescription>>([&](store::Tx& tx) { return repo::OfConsultation(tx, consultation_); }).size(),
      3u);
  EXPECT_EQ(Read<std::vector<Prescription>>([&](store::Tx& tx) { return repo::OfPatients(tx, {patient_}, 10); }).size(),
            3u);

  // Reviews are kept.
  Review r;
  r.prescription_id = id2;
  r.pharmacist_user_id = pharmacist_user_;
  r.outcome = "rejected";
  r.legality = "pass";
  r.normativity = "pass";
  r.suitability = "fail";
  r.reason = "剂量不当";
  r.opened_at = now_ + 5500;
  r.decided_at = now_ + 6000;
  EXPECT_GT(WriteR<std::int64_t>([&](store::Tx& tx) { return repo::InsertReview(tx, r); }), 0);
  auto reviews = Read<std::vector<Review>>([&](store::Tx& tx) { return repo::ReviewsOf(tx, id2); });
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_EQ(reviews[0].suitability, "fail");
  EXPECT_EQ(Read<std::vector<Review>>([&](store::Tx& tx) { return repo::ReviewsBy(tx, pharmacist_user_, 10); }).size(),
            1u);

  // Expiry: approved id and pending id3 expire after their day; the rejected one stays rejected.
  EXPECT_EQ(WriteR<std::int64_t>([&](store::Tx& tx) { return repo::ExpireDue(tx, now_ + kDay / 2); }), 0);
  EXPECT_EQ(WriteR<std::int64_t>([&](store::Tx& tx) { return repo::ExpireDue(tx, now_ + 2 * kDay); }), 2);
  EXPECT_EQ(Get(id)->status, "expired");
  EXPECT_EQ(Get(id2)->status, "rejected");
  EXPECT_EQ(Get(id3)->status, "expired");
  EXPECT_TRUE(Read<std::vector<Prescription>>([&](store::Tx& tx) {
                return repo::ActiveOfPatient(tx, patient_, now_ + 2 * kDay);
              }).empty());
}

TEST_P(PrescriptionStoreTest, AllergiesAreKeptWhenRemoved) {
  const auto a = WriteR<std::int64_t>([&](store::Tx& tx) {
    return repo::InsertAllergy(tx, patient_, {std::nullopt, "penicillins", "皮疹"}, patient_, std::nullopt, now_);
  });
  const auto b = WriteR<std::int64_t>([&](store::Tx& tx) {
    return repo::InsertAllergy(tx, patient_, {simva_, "", "肌痛"}, patient_, std::nullopt, now_);
  });
  auto list = Read<std::vector<Allergy>>([&](store::Tx& tx) { return repo::Allergies(tx, patient_); });
  ASSERT_EQ(list.size(), 2u);
  // A row names a drug or a class, never both.
  EXPECT_FALSE(db_->With<std::int64_t>(store::TxMode::write, [&](store::Tx& tx) {
    return repo::InsertAllergy(tx, patient_, {simva_, "penicillins", ""}, patient_, std::nullopt, now_);
  }));
  EXPECT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::ConfirmAllergy(tx, patient_, b, doctor_user_); }));
  EXPECT_TRUE(WriteR<bool>([&](store::Tx& tx) { return repo::RemoveAllergy(tx, patient_, a, patient_, now_ + 1); }));
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) { return repo::RemoveAllergy(tx, patient_, a, patient_, now_ + 2); }));
  EXPECT_FALSE(WriteR<bool>([&](store::Tx& tx) {
    return repo::RemoveAllergy(tx, doctor_user_, b, patient_, now_ + 2);
  })) << "another patient's allergy";
  list = Read<std::vector<Allergy>>([&](store::Tx& tx) { return repo::Allergies(tx, patient_); });
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, b);
  EXPECT_EQ(list[0].drug_name, "辛伐他汀");
  EXPECT_EQ(list[0].confirmed_by, std::optional<std::int64_t>(doctor_user_));
  // Nothing deleted: the removed row is still in the table.
  EXPECT_EQ(Read<std::int64_t>([&](store::Tx& tx) -> Result<std::int64_t> {
              auto r = tx.Query("SELECT COUNT(*) FROM patient_allergies WHERE patient_id = $1", {patient_});
              if (!r) return r.error();
              return r->front().Int(0);
            }),
            2);
}

INSTANTIATE_TEST_SUITE_P(Backends, PrescriptionStoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::prescriptions
