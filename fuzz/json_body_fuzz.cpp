// JSON request bodies: ParseJsonBody and the typed FieldReader decode every handler uses, then the
// problem+json rendering of the field errors. Invariant: whatever the body, the answer is one
// valid JSON document (valid UTF-8), and a decoded string obeys its rule.
#include <boost/json/parse.hpp>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "http/json_io.hpp"
#include "http/problem.hpp"

using namespace ihos;
using namespace ihos::http;

namespace {

void CheckRendered(const Error& e) {
  const Reply r = RenderProblem(e, "fuzz-rid", "en");
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  FUZZ_CHECK(!ec && v.is_object());
}

void CheckString(const std::string& s, const StringRule& rule) {
  FUZZ_CHECK(Utf8Length(s) <= rule.max_chars);
  for (unsigned char c : s) FUZZ_CHECK(c >= 0x20 || (rule.multiline && (c == '\n' || c == '\t' || c == '\r')));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Request req;
  req.content_type = "application/json; charset=utf-8";
  req.body.assign(reinterpret_cast<const char*>(data), size);
  auto obj = ParseJsonBody(req);
  if (!obj) {
    CheckRendered(obj.error());
    return 0;
  }
  FieldReader r(*obj);
  const StringRule name_rule{.min_chars = 1, .max_chars = 20};
  const StringRule note_rule{.max_chars = 500, .multiline = true};
  CheckString(r.String("name", name_rule), name_rule);
  if (auto n = r.OptString("note", note_rule)) CheckString(*n, note_rule);
  r.Enum("kind", {"a", "b", "c"});
  const auto qty = r.Int("quantity", 1, 1000);
  FUZZ_CHECK(qty >= 0 && qty <= 1000);
  if (auto fen = r.OptInt("amount_fen", 0, 100000000)) FUZZ_CHECK(*fen >= 0 && *fen <= 100000000);
  r.Bool("urgent");
  for (const auto& s : r.StringArray("tags", {.max_chars = 10}, 5)) CheckString(s, {.max_chars = 10});
  for (auto n : r.IntArray("ids", -5, 5, 8)) FUZZ_CHECK(n >= -5 && n <= 5);
  if (const auto* o = r.OptObject("intake")) {
    FieldReader nested(*o, "intake.");
    nested.String("duration", {.max_chars = 30});
    nested.OptInt("days", 1, 365);
    r.Absorb(nested);
  }
  if (const auto* a = r.OptArray("items", 20)) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_object()) {
        r.Fail("items[" + std::to_string(i) + "]", "wrong_type");
        continue;
      }
      FieldReader item((*a)[i].get_object(), "items[" + std::to_string(i) + "].");
      item.Int("drug_id", 1, 1000000);
      item.OptString("dose", {.max_chars = 40});
      r.Absorb(item);
    }
  }
  if (auto st = r.Finish(); !st) CheckRendered(st.error());
  return 0;
}
