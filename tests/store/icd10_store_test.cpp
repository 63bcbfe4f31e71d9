// The ICD-10 catalogue's import, look-up and search, on SQLite and PostgreSQL, without HTTP.
#include <gtest/gtest.h>

#include "domain/icd10/icd10.hpp"
#include "domain/icd10/repository.hpp"
#include "support/test_db.hpp"

namespace ihos::domain::icd10 {
namespace {

const std::vector<Code>& Catalogue() {
  static const std::vector<Code> codes = {
      {"A15", "呼吸道结核", "category_3char", "A15"},
      {"A15.0", "肺结核", "subcategory_4char", "A15"},
      {"A15.001", "结核性胸膜炎", "extension", "A15"},  // 6 characters, 18 bytes
      {"A15.002", "结核 TB-PCR+", "extension", "A15"},  // 10 characters, 14 bytes
      {"A15.003", "结核", "extension", "A15"},
      {"A15.004", "结核性脑膜炎伴脑积水", "extension", "A15"},
      {"E11", "非胰岛素依赖型糖尿病", "category_3char", "E11"},
      {"E11.9", "非胰岛素依赖型糖尿病不伴有并发症", "subcategory_4char", "E11"},
      {"E11.900", "2型糖尿病", "extension", "E11"},
      {"E11.901", "糖尿病_待查 100%", "extension", "E11"},
      {"M80000/3", "恶性肿瘤", "morphology_icdo", ""},
  };
  return codes;
}

class Icd10StoreTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    db_ = testing::FreshDatabase(GetParam(), 2);
    auto stats = Import(*db_, Catalogue());
    ASSERT_TRUE(stats) << stats.error().code << " " << stats.error().detail;
    EXPECT_EQ(stats->codes, static_cast<std::int64_t>(Catalogue().size()));
  }
  std::vector<std::string> Find(std::string_view q, int limit = 20) {
    auto r = db_->With<std::vector<Code>>(store::TxMode::read, [&](store::Tx& tx) { return Search(tx, q, limit); });
    EXPECT_TRUE(r);
    std::vector<std::string> out;
    if (r)
      for (const auto& c : *r) out.push_back(c.code);
    return out;
  }
  std::int64_t Rows(const char* table) {
    return *db_->With<std::int64_t>(store::TxMode::read, [&](store::Tx& tx) -> Result<std::int64_t> {
      auto r = tx.Query(std::string("SELECT COUNT(*) FROM ") + table);
      if (!r) return r.error();
      return r->front().Int(0);
    });
  }
  std::unique_ptr<store::Database> db_;
};

TEST_P(Icd10StoreTest, ImportIsIdempotentAndEveryColumnReadsBack) {
  const auto grams = Rows("icd10_grams");
  ASSERT_TRUE(Import(*db_, Catalogue()));
  EXPECT_EQ(Rows("icd10_codes"), static_cast<std::int64_t>(Catalogue().size()));
  EXPECT_EQ(Rows("icd10_grams"), grams);
  for (const Code& want : Catalogue()) {
    auto got = db_->With<Code>(store::TxMode::read, [&](store::Tx& tx) { return Get(tx, want.code); });
    ASSERT_TRUE(got) << want.code;
    EXPECT_EQ(got->code, want.code);
    EXPECT_EQ(got->name_zh, want.name_zh);
    EXPECT_EQ(got->level, want.level);
    EXPECT_EQ(got->category, want.category);
  }
  auto lower = db_->With<Code>(store::TxMode::read, [&](store::Tx& tx) { return Get(tx, " e11.9 "); });
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->code, "E11.9");
  auto missing = db_->With<Code>(store::TxMode::read, [&](store::Tx& tx) { return Get(tx, "Z99.999"); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().errc, Errc::not_found);
  EXPECT_EQ(missing.error().code, "icd10_code_not_found");
}

TEST_P(Icd10StoreTest, AFailedImportLeavesTheOldCatalogueWhole) {
  // A duplicate code fails the insert half-way: nothing of the new list stays, nothing of the
  // old one goes.
  std::vector<Code> bad = {{"B01", "水痘", "category_3char", "B01"}, {"B01", "水痘again", "category_3char", "B01"}};
  auto r = Import(*db_, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errc, Errc::conflict);
  EXPECT_EQ(Rows("icd10_codes"), static_cast<std::int64_t>(Catalogue().size()));
  EXPECT_EQ(Find("水痘"), std::vector<std::string>{});
  EXPECT_EQ(Find("E11.9"), (std::vector<std::string>{"E11.9", "E11.900", "E11.901"}));
  auto empty = Import(*db_, {});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, "icd10_file_invalid");
  EXPECT_EQ(Rows("icd10_codes"), static_cast<std::int64_t>(Catalogue().size()));
}

TEST_P(Icd10StoreTest, CodesComeFirstThenNamesByLevelThenLength) {
  EXPECT_EQ(Find("e11"), (std::vector<std::string>{"E11", "E11.9", "E11.900", "E11.901"}));
  EXPECT_EQ(Find("A15.00", 2), (std::vector<std::string>{"A15.001", "A15.002"}));
  // An exact name, then names starting with the query, then names containing it; within each,
  // the broader level first.
  EXPECT_EQ(Find("糖尿病"), (std::vector<std::string>{"E11.901", "E11", "E11.9", "E11.900"}));
  EXPECT_EQ(Find("恶性"), std::vector<std::string>{"M80000/3"});
  EXPECT_EQ(Find("  "), std::vector<std::string>{});
}

TEST_P(Icd10StoreTest, ShorterNamesFirstCountsCharactersNotBytes) {
  // Among names starting with 结核 at one level, 结核性胸膜炎 (6 characters, 18 bytes) is
  // shorter than 结核 TB-PCR+ (10 characters, 14 bytes).
  EXPECT_EQ(Find("结核"), (std::vector<std::string>{"A15.003", "A15.001", "A15.002", "A15.004", "A15", "A15.0"}));
  EXPECT_EQ(Find("结核", 2), (std::vector<std::string>{"A15.003", "A15.001"}));
}

TEST_P(Icd10StoreTest, WildcardsInTheQueryMatchOnlyThemselves) {
  EXPECT_EQ(Find("_待"), std::vector<std::string>{"E11.901"});
  EXPECT_EQ(Find("100%"), std::vector<std::string>{"E11.901"});
  EXPECT_EQ(Find("%"), std::vector<std::string>{"E11.901"});
  EXPECT_EQ(Find("tb-pcr"), std::vector<std::string>{"A15.002"}) << "ASCII in names is matched case-insensitively";
}

INSTANTIATE_TEST_SUITE_P(Backends, Icd10StoreTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace ihos::domain::icd10
