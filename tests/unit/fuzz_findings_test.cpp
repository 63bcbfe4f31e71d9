// Regression tests for what the libFuzzer targets (fuzz/, scripts/fuzz.sh) found, and the pure
// decoders they made testable: the WebSocket frame decode (http/ws_frame) and the lab results CSV
// (health code). Each finding's test failed before its fix.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <sstream>

#include "domain/drugs/import.hpp"
#include "domain/healthcode/facts.hpp"
#include "domain/icd10/icd10.hpp"
#include "http/json_io.hpp"
#include "http/problem.hpp"
#include "http/ws_frame.hpp"

namespace ihos {
namespace {

namespace drugs = domain::drugs;

// csv_import_fuzz: a pinyin table line whose code point is not hexadecimal threw
// std::invalid_argument out of `ihos drugs import` (std::stoul); it is skipped now.
TEST(FuzzFindings, PinyinTableSkipsANonHexCodePoint) {
  std::string text = "var pinyinDict = map[int]string{\n\t0xZZ: \"x\",\n\t0x: \"y\",\n";
  text += "\t0x110000: \"z\",\n\t0xFFFFFFFFFFFFFFFFFFFF: \"z\",\n";
  for (int cp = 0x4E00; cp < 0x4E00 + 20000; ++cp) {
    char line[40];
    std::snprintf(line, sizeof line, "\t0x%X: \"b\xC3\xB9\",\n", cp);
    text += line;
  }
  text += "}\n";
  std::istringstream in(text);
  Result<std::map<char32_t, char>> table = MakeError(Errc::internal, "not run");
  EXPECT_NO_THROW(table = drugs::ReadPinyinTable(in, "pinyin_dict.go"));
  ASSERT_TRUE(table) << table.error().code;
  EXPECT_EQ(table->size(), 20000u);
  EXPECT_EQ(table->at(0x4E00), 'b');
}

// csv_import_fuzz: a non-numeric nhsa_id threw std::invalid_argument (std::stoll); it is a
// malformed file now, named in the error.
TEST(FuzzFindings, NrdlWithANonNumericIdIsMalformedNotAThrow) {
  std::istringstream in(
      "nhsa_id,name,section,reimbursement_class,dosage_form,category_path\n"
      "x1,阿莫西林,西药,甲,胶囊,抗感染药物/青霉素类\n");
  Result<std::vector<drugs::Drug>> r = MakeError(Errc::internal, "not run");
  EXPECT_NO_THROW(r = drugs::ReadNrdl(in, "nrdl.csv", {}, {}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "import_file_malformed");
  EXPECT_NE(r.error().detail.find("nhsa_id"), std::string::npos) << r.error().detail;
}

// json_body: an unknown key is named in the field error cut to 64 bytes; a cut inside a
// multi-byte character made the problem+json body invalid UTF-8 (a strict JSON parser refuses
// it). The cut is at a character boundary now.
TEST(FuzzFindings, AnUnknownLongKeyKeepsTheProblemValidUtf8) {
  boost::json::object o;
  o[std::string(63, 'a') + "你好"] = 1;
  http::FieldReader r(o);
  auto st = r.Finish();
  ASSERT_FALSE(st);
  ASSERT_EQ(st.error().fields.size(), 1u);
  EXPECT_EQ(st.error().fields[0].field, std::string(63, 'a'));
  const http::Reply reply = http::RenderProblem(st.error(), "rid", "en");
  boost::system::error_code ec;
  boost::json::parse(reply.body, ec);
  EXPECT_FALSE(ec) << ec.message();
}

TEST(WsFrame, DecodesEachKindAndRefusesTheRest) {
  using http::WsFrame;
  auto f = http::ParseWsFrame(R"({"type":"auth","token":"t"})");
  EXPECT_EQ(f.kind, WsFrame::Kind::auth);
  EXPECT_EQ(f.token, "t");
  f = http::ParseWsFrame(R"({"type":"ping","ref":"r1"})");
  EXPECT_EQ(f.kind, WsFrame::Kind::ping);
  EXPECT_EQ(f.ref, "r1");
  f = http::ParseWsFrame(R"({"type":"subscribe","topic":"consultation:1","after_seq":18446744073709551615})");
  EXPECT_EQ(f.kind, WsFrame::Kind::subscribe);
  EXPECT_EQ(f.after_seq, INT64_MAX);
  f = http::ParseWsFrame(R"({"type":"unsubscribe","topic":"consultation:1"})");
  EXPECT_EQ(f.kind, WsFrame::Kind::unsubscribe);
  EXPECT_EQ(f.topic, "consultation:1");
  f = http::ParseWsFrame(R"({"type":"call","method":"m","params":{"a":1}})");
  EXPECT_EQ(f.kind, WsFrame::Kind::call);
  EXPECT_EQ(f.params.at("a"), 1);
  for (const char* bad :
       {"", "[]", "{", R"({"type":1})", R"({"type":"auth","token":""})", R"({"type":"auth","token":7})",
        R"({"type":"subscribe","topic":"t","after_seq":-1})", R"({"type":"call","params":{}})",
        R"({"type":"call","method":"m","params":[]})", R"({"type":"nope"})", R"({"type":"ping","ref":1})"}) {
    f = http::ParseWsFrame(bad);
    EXPECT_EQ(f.kind, WsFrame::Kind::bad) << bad;
    EXPECT_FALSE(f.error.empty()) << bad;
  }
  // A ref of 65 characters is refused and not echoed back.
  f = http::ParseWsFrame(R"({"type":"ping","ref":")" + std::string(65, 'r') + "\"}");
  EXPECT_EQ(f.kind, WsFrame::Kind::bad);
  EXPECT_EQ(f.ref, "");
}

TEST(LabCsv, ParsesRowsAndNamesEachBadLine) {
  const std::int64_t now = 1796270400000;  // 2026-12-03 12:00 CST
  const auto p = domain::healthcode::ParseTestResultsCsv(
      "\xEF\xBB\xBFid_number,sample_id,result,sampled_at\r\n"
      "11010519491231002X,S-1,negative,2026-12-01T08:30\r\n"
      "\r\n"
      "11010519491231002X,S-1,maybe,2026-13-01 08:30\n"
      "a,b\n",
      now);
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.row_lines, (std::vector<int>{2, 4}));
  std::vector<std::string> fields;
  for (const auto& e : p.errors) fields.push_back(e.field + ":" + e.code);
  EXPECT_EQ(fields, (std::vector<std::string>{"line 4.sampled_at:invalid_date", "line 4.result:invalid_value",
                                              "line 4.sample_id:sample_duplicate_in_file", "line 5:csv_columns"}));
}

}  // namespace
}  // namespace ihos
