// The ICD-10 catalogue: `ihos icd10 import` semantics (one transaction, idempotent), search by
// Chinese fragment and by code prefix with the best matches first, one code, NameOf for the
// consultation record, and refusals. The catalogue rows are never shipped: these tests read
// the shared data ($IHOS_ICD10_FILE, else ../shared/data/icd10_cn) and FAIL without it.
#include "api/harness.hpp"
#include "domain/icd10/icd10.hpp"

namespace ihos::apitest {
namespace api_icd10_api_test {
namespace json = boost::json;
namespace icd = domain::icd10;

class Icd10ApiTest : public ApiTest {
 protected:
  void Load() {
    const std::string file = icd::FindDataFile(IHOS_SOURCE_DIR);
    ASSERT_FALSE(file.empty()) << "ICD-10 data not found: set IHOS_ICD10_FILE or put shared/data/icd10_cn beside "
                                  "the repository";
    auto codes = icd::ReadCsv(file);
    ASSERT_TRUE(codes) << codes.error().code << " " << codes.error().detail;
    ASSERT_GT(codes->size(), 40000u);
    auto st = icd::Import(s().app().db(), *codes);
    ASSERT_TRUE(st) << st.error().code << " " << st.error().detail;
    EXPECT_EQ(st->codes, static_cast<std::int64_t>(codes->size()));
    codes_ = codes->size();
  }
  std::vector<std::string> Codes(const Resp& r) {
    std::vector<std::string> out;
    for (const auto& i : r.json().at("items").as_array()) out.emplace_back(i.at("code").as_string());
    return out;
  }
  std::int64_t CountRows() {
    auto n = s().app().db().With<std::int64_t>(store::TxMode::read, [](store::Tx& tx) { return icd::Count(tx); });
    return n ? *n : -1;
  }
  std::size_t codes_ = 0;
};

TEST_P(Icd10ApiTest, ChineseFragmentFindsCategoriesBeforeExtensions) {
  Load();
  auto p = s().NewPatient();
  auto r = s().Get("/api/v1/icd10?q=%E7%B3%96%E5%B0%BF%E7%97%85&limit=30", p.token);  // 糖尿病
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& items = r.json().at("items").as_array();
  ASSERT_EQ(items.size(), 30u);
  // Every hit holds the fragment; the name equal to it first, then names starting with it, then
  // names only containing it; 3- and 4-character categories before the 6-digit extensions
  // within each group.
  int last_group = 0, last_level = -1;
  for (const auto& i : items) {
    const std::string name(i.at("name_zh").as_string());
    EXPECT_NE(name.find("糖尿病"), std::string::npos) << name;
    const int group = name == "糖尿病" ? 0 : name.rfind("糖尿病", 0) == 0 ? 1 : 2;
    const std::string level(i.at("level").as_string());
    const int lv = level == "category_3char" ? 0 : level == "subcategory_4char" ? 1 : level == "extension" ? 2 : 3;
    EXPECT_GE(group, last_group) << name;
    if (group == last_group) {
      EXPECT_GE(lv, last_level) << name;
    }
    if (group != last_group) last_level = -1;
    last_group = group;
    last_level = std::max(last_level, lv);
  }
  EXPECT_EQ(items[0].at("name_zh").as_string(), "糖尿病");
  // A category of the diabetes chapter is among the first hits (E10-E14 are named 糖尿病 in full).
  auto cat =
      s().Get("/api/v1/icd10?q=%E8%83%B0%E5%B2%9B%E7%B4%A0%E4%BE%9D%E8%B5%96%E5%9E%8B", p.token);  // 胰岛素依赖型
  ASSERT_EQ(cat.status, 200);
  const auto codes = Codes(cat);
  ASSERT_FALSE(codes.empty());
  EXPECT_TRUE(codes[0] == "E10" || codes[0] == "E11") << codes[0];
  // One character still works (a scan, not the bigram index).
  auto one = s().Get("/api/v1/icd10?q=%E7%99%8C&limit=5", p.token);  // 癌
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json().at("items").as_array().size(), 5u);
}

TEST_P(Icd10ApiTest, CodePrefixExactFirstThenSubcategoriesThenExtensions) {
  Load();
  auto p = s().NewPatient();
  auto r = s().Get("/api/v1/icd10?q=e11&limit=40", p.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto codes = Codes(r);
  ASSERT_GE(codes.size(), 12u);
  EXPECT_EQ(codes[0], "E11");
  EXPECT_EQ(r.json().at("items").as_array()[0].at("name_zh").as_string(), "非胰岛素依赖型糖尿病");
  EXPECT_EQ(codes[1], "E11.0");
  // Every hit starts with E11; the subcategories (E11.0 … E11.9, E11.2+ …) all come before the
  // first 6-digit extension.
  bool seen_extension = false;
  for (const auto& i : r.json().at("items").as_array()) {
    const std::string code(i.at("code").as_string());
    const std::string level(i.at("level").as_string());
    EXPECT_EQ(code.rfind("E11", 0), 0u) << code;
    if (level == "extension") seen_extension = true;
    if (level == "subcategory_4char") {
      EXPECT_FALSE(seen_extension) << "a subcategory after an extension: " << code;
    }
  }
  EXPECT_TRUE(seen_extension);
  auto exact = s().Get("/api/v1/icd10?q=E11.9", p.token);
  ASSERT_EQ(exact.status, 200);
  EXPECT_EQ(Codes(exact)[0], "E11.9");
}

TEST_P(Icd10ApiTest, OneCodeAndNameOfForTheRecord) {
  Load();
  auto p = s().NewPatient();
  auto r = s().Get("/api/v1/icd10/e11.9", p.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("code").as_string(), "E11.9");
  EXPECT_EQ(r.json().at("category").as_string(), "E11");
  EXPECT_EQ(r.json().at("level").as_string(), "subcategory_4char");
  auto dagger = s().Get("/api/v1/icd10/A01.003%2BG01%2A", p.token);
  ASSERT_EQ(dagger.status, 200) << dagger.body;
  EXPECT_EQ(dagger.json().at("name_zh").as_string(), "伤寒并发脑膜炎");
  auto none = s().Get("/api/v1/icd10/Z99.999", p.token);
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.json().at("code").as_string(), "icd10_code_not_found");

  auto name =
      s().app().db().With<std::string>(store::TxMode::read, [](store::Tx& tx) { return icd::NameOf(tx, "A00"); });
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, "霍乱");
  auto unknown =
      s().app().db().With<std::string>(store::TxMode::read, [](store::Tx& tx) { return icd::NameOf(tx, "QQQ"); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "icd10_code_not_found");
  EXPECT_EQ(unknown.error().errc, Errc::not_found);
}

TEST_P(Icd10ApiTest, ImportIsIdempotentAndAllOrNothing) {
  Load();
  EXPECT_EQ(CountRows(), static_cast<std::int64_t>(codes_));
  Load();  // again: same rows, no duplicates
  EXPECT_EQ(CountRows(), static_cast<std::int64_t>(codes_));
  // A list that breaks a constraint midway leaves the catalogue as it was.
  std::vector<icd::Code> bad = {{"X01", "甲", "category_3char", "X01"}, {"X01", "乙", "category_3char", "X01"}};
  auto st = icd::Import(s().app().db(), bad);
  EXPECT_FALSE(st);
  EXPECT_EQ(CountRows(), static_cast<std::int64_t>(codes_));
  EXPECT_FALSE(icd::ReadCsv("/nonexistent/icd10.csv"));
}

TEST_P(Icd10ApiTest, RefusalsAndWildcardsAreLiteral) {
  Load();
  auto p = s().NewPatient();
  EXPECT_EQ(s().Get("/api/v1/icd10?q=%E7%B3%96").status, 401);
  auto missing = s().Get("/api/v1/icd10", p.token);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json().at("errors").as_array()[0].at("field").as_string(), "q");
  EXPECT_EQ(s().Get("/api/v1/icd10?q=%20%20", p.token).status, 400);
  EXPECT_EQ(s().Get("/api/v1/icd10?q=E11&limit=0", p.token).status, 400);
  EXPECT_EQ(s().Get("/api/v1/icd10?q=E11&limit=101", p.token).status, 400);
  EXPECT_EQ(s().Get("/api/v1/icd10?q=" + std::string(61, 'a'), p.token).status, 400);
  auto pct = s().Get("/api/v1/icd10?q=%25%25", p.token);  // "%%" matches no name literally
  ASSERT_EQ(pct.status, 200);
  EXPECT_TRUE(pct.json().at("items").as_array().empty());
  auto under = s().Get("/api/v1/icd10?q=__", p.token);
  ASSERT_EQ(under.status, 200);
  EXPECT_TRUE(under.json().at("items").as_array().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, Icd10ApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& i) { return testing::BackendName(i.param); });

}  // namespace api_icd10_api_test
}  // namespace ihos::apitest
