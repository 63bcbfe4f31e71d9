// The router's path parsing: every route template of src/app/routes.cpp and routes_medicine.cpp
// (read at start-up), a request target parsed as the server does (origin-form, raw path), then
// Router::Find.
// Invariants: a match has as many segments as its template and one parameter per {name}; an
// encoded '/' never adds a segment.
#include <boost/url/parse.hpp>
#include <cstdint>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "fuzz_check.hpp"
#include "http/router.hpp"

using namespace ihos::http;

namespace {

Router* g_router = nullptr;

std::size_t Segments(std::string_view p) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i] != '/' && (i == 0 || p[i - 1] == '/')) ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_router = new Router();
  const std::regex re(R"(Verb::(get|post|put|patch|delete_)\s*,\s*"([^"]+)\")");
  int total = 0;
  // The route table's two files, in the order App::AddRoutes adds them.
  for (const char* file : {IHOS_SOURCE_DIR "/src/app/routes.cpp", IHOS_SOURCE_DIR "/src/app/routes_medicine.cpp"}) {
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    int n = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
      const std::string m = (*it)[1];
      const Verb v = m == "get"     ? Verb::get
                     : m == "post"  ? Verb::post
                     : m == "put"   ? Verb::put
                     : m == "patch" ? Verb::patch
                                    : Verb::delete_;
      try {
        g_router->Add(
            v, (*it)[2], Access::Anyone(), [](Request&) -> ihos::Result<Reply> { return Reply{}; }, "");
        ++n;
      } catch (const std::logic_error&) {
      }
    }
    FUZZ_CHECK(n > 50);  // each file was found and read
    total += n;
  }
  FUZZ_CHECK(total > 200);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr Verb kVerbs[] = {Verb::get, Verb::post, Verb::put, Verb::patch, Verb::delete_, Verb::head};
  const Verb verb = kVerbs[data[0] % 6];
  const std::string_view target(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return 0;
  const auto enc = url->encoded_path();
  const std::string_view raw(enc.data(), enc.size());
  const Match m = g_router->Find(verb, raw);
  if (m.route) {
    FUZZ_CHECK(Segments(raw) == Segments(m.route->path));
    std::size_t braces = 0;
    for (char c : m.route->path) braces += c == '{';
    FUZZ_CHECK(m.params.size() == braces);
  }
  for (auto p : url->params()) (void)p;  // the query, decoded as the server does
  return 0;
}
