// Every error code the sources can emit has a zh-CN and an en message in core/messages.cpp.
#include "core/messages.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace ihos {
namespace {

std::set<std::string> CodesInSources() {
  const std::regex patterns[] = {
      std::regex(R"re(MakeError\(\s*Errc::\w+,\s*"([a-z0-9_]+)")re"),
      std::regex(R"re(Fail\([^,]+,\s*"([a-z0-9_]+)"\))re"),
      std::regex(R"re(push_back\(\{"[a-z_]+",\s*"([a-z0-9_]+)"\}\))re"),
      std::regex(R"re(IdError\("([a-z0-9_]+)"\))re"),
      std::regex(R"re(return "([a-z][a-z0-9_]+)";)re"),
  };
  std::set<std::string> codes;
  for (const auto& e : std::filesystem::recursive_directory_iterator(IHOS_SOURCE_DIR "/src")) {
    const auto ext = e.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    const bool rules = e.path().filename() == "rules.cpp";
    for (std::size_t i = 0; i < std::size(patterns); ++i) {
      if (i == 4 && !rules) continue;  // bare `return "x";` is a code only in rules files
      for (std::sregex_iterator it(text.begin(), text.end(), patterns[i]), end; it != end; ++it) codes.insert((*it)[1]);
    }
  }
  return codes;
}

TEST(Messages, EveryEmittedCodeHasBothLanguages) {
  const auto codes = CodesInSources();
  ASSERT_GT(codes.size(), 20u) << "the scan found too few codes; is IHOS_SOURCE_DIR right?";
  for (const auto& c : codes) EXPECT_TRUE(HasMessage(c)) << "no message for error code \"" << c << "\"";
  for (const auto& m : AllMessages()) {
    EXPECT_FALSE(m.zh.empty()) << m.code;
    EXPECT_FALSE(m.en.empty()) << m.code;
  }
}

}  // namespace
}  // namespace ihos
