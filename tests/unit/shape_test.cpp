// The shape of the code (docs/adr/0002-capability-shape.md), checked on the source tree:
//   1. SQL (SELECT / INSERT INTO / UPDATE .. SET / DELETE FROM in a string literal) only in files
//      named repository.cpp and in the drivers under src/store/;
//   2. no file in src/domain/<a>/ includes domain/<b>/repository.hpp for b != a (capabilities
//      use each other's services, never each other's storage);
//   3. nothing in src/store/ includes domain/ (the store is drivers only; no store -> domain
//      dependency);
//   4. the files of src/domain/<a>/ include only the capabilities that a's ihos_capability() line in
//      CMakeLists.txt declares (DEPS), that line declares no capability they do not include, every
//      capability folder has such a line, and nothing in src/core/ or src/http/ includes a capability
//      (docs/adr/0003-build-targets.md: one library per capability, linking exactly what it uses);
//   5. each API test file keeps its helpers in the namespace named after it (api_<file>), never an
//      anonymous one: they are compiled several to a translation unit, where two files' helpers of
//      the same name in one namespace would clash (or, inline, silently become one).
// The tests fail with the file and line of each violation.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kSrc = fs::path(IHOS_SOURCE_DIR) / "src";

// Capabilities being reshaped in parallel to this check. Their SQL and cross-repository includes
// are allowed here only until that work is merged; then delete this list. Nothing else may be
// added to it.
const std::vector<std::string> kAllowedForNow = {};

bool AllowedForNow(const std::string& rel) {
  for (const auto& a : kAllowedForNow)
    if (rel.rfind(a, 0) == 0) return true;
  return false;
}

struct Literal {
  int line;
  std::string text;
};

// The string literals of C++ source `src` (ordinary and raw), with the line each starts on.
// Comments and character literals are skipped.
std::vector<Literal> StringLiterals(const std::string& src) {
  std::vector<Literal> out;
  int line = 1;
  for (std::size_t i = 0; i < src.size();) {
    const char c = src[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (src.compare(i, 2, "//") == 0) {
      while (i < src.size() && src[i] != '\n') ++i;
    } else if (src.compare(i, 2, "/*") == 0) {
      const auto end = src.find("*/", i + 2);
      const auto stop = end == std::string::npos ? src.size() : end + 2;
      for (; i < stop; ++i)
        if (src[i] == '\n') ++line;
    } else if (c == 'R' && i + 1 < src.size() && src[i + 1] == '"' &&
               (i == 0 || !(std::isalnum(static_cast<unsigned char>(src[i - 1])) || src[i - 1] == '_'))) {
      const auto paren = src.find('(', i + 2);
      if (paren == std::string::npos) break;
      const std::string close = ")" + src.substr(i + 2, paren - i - 2) + "\"";
      const auto end = src.find(close, paren + 1);
      const auto stop = end == std::string::npos ? src.size() : end;
      out.push_back({line, src.substr(paren + 1, stop - paren - 1)});
      for (std::size_t k = i; k < stop; ++k)
        if (src[k] == '\n') ++line;
      i = end == std::string::npos ? src.size() : end + close.size();
    } else if (c == '\'' && i > 0 && std::isalnum(static_cast<unsigned char>(src[i - 1]))) {
      ++i;  // a digit separator (10'000), not a character literal
    } else if (c == '"' || c == '\'') {
      std::string text;
      const int start = line;
      std::size_t k = i + 1;
      for (; k < src.size() && src[k] != c && src[k] != '\n'; ++k) {
        if (src[k] == '\\' && k + 1 < src.size()) {
          text += src[k];
          ++k;
        }
        text += src[k];
      }
      if (c == '"') out.push_back({start, text});
      i = k + 1;
    } else {
      ++i;
    }
  }
  return out;
}

// Adjacent literals ("SELECT a " "FROM t") are checked one by one: each statement's keyword
// starts a literal or sits inside one.
bool LooksLikeSql(const std::string& literal) {
  static const std::regex kSql(
      R"((^|[^A-Za-z_])(SELECT\s|INSERT\s+INTO\b|UPDATE\s+[a-z_0-9]+\s+SET\b|DELETE\s+FROM\b))");
  return std::regex_search(literal, kSql);
}

struct Source {
  std::string rel;  // relative to src/, with '/'
  std::string text;
};

std::vector<Source> Sources() {
  std::vector<Source> out;
  for (const auto& e : fs::recursive_directory_iterator(kSrc)) {
    if (!e.is_regular_file()) continue;
    const auto ext = e.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back({fs::relative(e.path(), kSrc).generic_string(), ss.str()});
  }
  return out;
}

// The SQL violations of one file ("path:line: text"), or none when SQL is allowed there.
std::vector<std::string> SqlViolations(const Source& s) {
  const std::string name = fs::path(s.rel).filename().string();
  // A capability's repository may be split along its seams: repository.cpp, repository_<part>.cpp.
  const bool repository =
      name == "repository.cpp" || (name.rfind("repository_", 0) == 0 && fs::path(name).extension() == ".cpp");
  if (repository || s.rel.rfind("store/", 0) == 0 || AllowedForNow(s.rel)) return {};
  std::vector<std::string> out;
  for (const auto& lit : StringLiterals(s.text))
    if (LooksLikeSql(lit.text))
      out.push_back("src/" + s.rel + ":" + std::to_string(lit.line) + ": \"" + lit.text + "\"");
  return out;
}

// Includes that cross a capability's storage or make the store depend on the domain.
std::vector<std::string> IncludeViolations(const Source& s) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]([^">]+)[">])");
  static const std::regex kRepository(R"(^domain/([a-z0-9_]+)/repository\.hpp$)");
  std::vector<std::string> out;
  std::string own;  // the capability of a file under domain/
  if (s.rel.rfind("domain/", 0) == 0) {
    const auto slash = s.rel.find('/', 7);
    if (slash != std::string::npos) own = s.rel.substr(7, slash - 7);
  }
  std::istringstream in(s.text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch inc;
    if (!std::regex_search(line, inc, kInclude)) continue;
    const std::string path = inc[1];
    std::smatch repo;
    if (!own.empty() && std::regex_match(path, repo, kRepository) && repo[1] != own && !AllowedForNow(s.rel))
      out.push_back("src/" + s.rel + ":" + std::to_string(n) + ": includes " + path +
                    " (use that capability's service)");
    if (s.rel.rfind("store/", 0) == 0 && path.rfind("domain/", 0) == 0)
      out.push_back("src/" + s.rel + ":" + std::to_string(n) + ": the store includes " + path);
  }
  return out;
}

// The capability of a file under domain/<name>/, or "" (src/domain/pch.hpp, files elsewhere).
std::string CapabilityOf(const std::string& rel) {
  if (rel.rfind("domain/", 0) != 0) return "";
  const auto slash = rel.find('/', 7);
  return slash == std::string::npos ? "" : rel.substr(7, slash - 7);
}

using Declared = std::map<std::string, std::set<std::string>>;  // capability -> its DEPS

// The ihos_capability(<name> [DEPS <capability>...] [PKGS <module>...] [UNITY_SKIP <file>...])
// calls of a CMake file.
Declared DeclaredCapabilities(const std::string& cmake) {
  static const std::regex kCall(R"((^|\n)[ \t]*ihos_capability\(([^)]*)\))");
  Declared out;
  for (std::sregex_iterator it(cmake.begin(), cmake.end(), kCall), end; it != end; ++it) {
    std::istringstream args((*it)[2].str());
    std::string name, word, section;
    args >> name;
    auto& deps = out[name];
    while (args >> word) {
      if (word == "DEPS" || word == "PKGS" || word == "UNITY_SKIP")
        section = word;
      else if (section == "DEPS")
        deps.insert(word);
    }
  }
  return out;
}

// Includes of another capability that its declaration does not allow, declared dependencies no
// file uses, capability folders without a declaration, and core/http files that include a capability.
std::vector<std::string> DependencyViolations(const Declared& declared, const std::vector<Source>& sources) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]domain/([a-z0-9_]+)/[^">]+[">])");
  std::vector<std::string> out;
  std::map<std::string, std::set<std::string>> used;
  std::set<std::string> folders;
  for (const auto& s : sources) {
    const std::string own = CapabilityOf(s.rel);
    const bool base = s.rel.rfind("core/", 0) == 0 || s.rel.rfind("http/", 0) == 0;
    if (!own.empty()) folders.insert(own);
    std::istringstream in(s.text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      std::smatch inc;
      if (!std::regex_search(line, inc, kInclude)) continue;
      const std::string other = inc[1];
      const std::string where = "src/" + s.rel + ":" + std::to_string(n) + ": ";
      if (base) out.push_back(where + "includes domain/" + other + " (core and http use no capability)");
      if (own.empty() || other == own) continue;
      used[own].insert(other);
      const auto d = declared.find(own);
      if (d != declared.end() && !d->second.contains(other))
        out.push_back(where + "includes domain/" + other + "/, but ihos_capability(" + own +
                      ") in CMakeLists.txt does not name it in DEPS");
    }
  }
  for (const auto& f : folders)
    if (!declared.contains(f))
      out.push_back("src/domain/" + f + "/: no ihos_capability(" + f + " ...) line in CMakeLists.txt");
  for (const auto& [name, deps] : declared)
    for (const auto& dep : deps)
      if (!used[name].contains(dep))
        out.push_back("ihos_capability(" + name + ") declares DEPS " + dep + ", which no file of src/domain/" + name +
                      "/ includes (drop it)");
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "  " + s + "\n";
  return out;
}

TEST(Shape, FindsTheSources) {
  // Guards the other tests against passing on an empty or wrong tree.
  const auto sources = Sources();
  EXPECT_GT(sources.size(), 100u);
  bool saw_repository = false;
  for (const auto& s : sources) saw_repository = saw_repository || s.rel == "domain/scheduling/repository.cpp";
  EXPECT_TRUE(saw_repository);
}

TEST(Shape, ScannerSeesSqlInLiteralsOnly) {
  const Source bad{"domain/x/service.cpp",
                   "auto r = tx.Query(\"SELECT id FROM t WHERE a = $1\");\n"
                   "// SELECT in a comment is fine\n"
                   "tx.Exec(\"UPDATE t SET a = 1\");\n"
                   "tx.Exec(R\"(DELETE FROM t)\");\n"
                   "auto m = \"DELETE\"; auto v = \"Select a doctor\";\n"};
  const auto v = SqlViolations(bad);
  ASSERT_EQ(v.size(), 3u) << Join(v);
  EXPECT_EQ(v[0].rfind("src/domain/x/service.cpp:1:", 0), 0u) << v[0];
  EXPECT_EQ(v[1].rfind("src/domain/x/service.cpp:3:", 0), 0u) << v[1];
  EXPECT_EQ(v[2].rfind("src/domain/x/service.cpp:4:", 0), 0u) << v[2];
  EXPECT_TRUE(SqlViolations(Source{"domain/x/repository.cpp", bad.text}).empty());
  EXPECT_TRUE(SqlViolations(Source{"domain/x/repository_payments.cpp", bad.text}).empty());
  EXPECT_EQ(SqlViolations(Source{"domain/x/repository_payments.hpp", bad.text}).size(), 3u);
  EXPECT_TRUE(SqlViolations(Source{"store/sqlite/sqlite_database.cpp", bad.text}).empty());
}

TEST(Shape, IncludeCheckSeesOtherCapabilitiesRepositories) {
  const std::string text =
      "#include \"domain/x/repository.hpp\"\n#include \"domain/y/repository.hpp\"\n#include \"domain/y/service.hpp\"\n";
  const auto v = IncludeViolations(Source{"domain/x/service.cpp", text});
  ASSERT_EQ(v.size(), 1u) << Join(v);
  EXPECT_NE(v[0].find("domain/y/repository.hpp"), std::string::npos);
  EXPECT_EQ(IncludeViolations(Source{"store/database.cpp", "#include \"domain/x/rules.hpp\"\n"}).size(), 1u);
}

TEST(Shape, SqlOnlyInRepositoriesAndDrivers) {
  std::vector<std::string> v;
  for (const auto& s : Sources())
    for (auto& e : SqlViolations(s)) v.push_back(std::move(e));
  EXPECT_TRUE(v.empty()) << "SQL outside repository.cpp and src/store/ (move it into the capability's repository):\n"
                         << Join(v);
}

TEST(Shape, CapabilitiesUseEachOthersServicesNotRepositories) {
  std::vector<std::string> v;
  for (const auto& s : Sources())
    for (auto& e : IncludeViolations(s)) v.push_back(std::move(e));
  EXPECT_TRUE(v.empty()) << Join(v);
}

TEST(Shape, DependencyCheckSeesUndeclaredAndUnusedCapabilities) {
  const auto declared = DeclaredCapabilities(
      "ihos_capability(y)\n  ihos_capability(x PKGS fasttext UNITY_SKIP a.cpp DEPS y z)\n# ihos_capability(w) in a "
      "comment\n");
  ASSERT_EQ(declared.size(), 2u);
  EXPECT_EQ(declared.at("x"), (std::set<std::string>{"y", "z"}));
  EXPECT_TRUE(declared.at("y").empty());
  const std::vector<Source> sources = {
      {"domain/x/service.cpp", "#include \"domain/x/model.hpp\"\n#include \"domain/y/service.hpp\"\n"},
      {"domain/y/service.cpp", "#include \"domain/x/service.hpp\"\n"},  // y does not declare x
      {"domain/v/service.cpp", "#include <string>\n"},                  // v has no line
      {"http/router.cpp", "#include \"domain/y/model.hpp\"\n"},         // http uses no capability
  };
  const auto v = DependencyViolations(declared, sources);
  ASSERT_EQ(v.size(), 4u) << Join(v);
  EXPECT_EQ(v[0].rfind("src/domain/y/service.cpp:1: includes domain/x/", 0), 0u) << v[0];
  EXPECT_EQ(v[1].rfind("src/http/router.cpp:1: includes domain/y", 0), 0u) << v[1];
  EXPECT_NE(v[2].find("no ihos_capability(v"), std::string::npos) << v[2];
  EXPECT_NE(v[3].find("declares DEPS z"), std::string::npos) << v[3];
}

// The tables a migration creates (CREATE TABLE <name>).
std::set<std::string> TablesCreatedBy(const std::string& sql) {
  static const std::regex kCreate(R"(CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_0-9]+))");
  std::set<std::string> out;
  for (std::sregex_iterator it(sql.begin(), sql.end(), kCreate), end; it != end; ++it) out.insert((*it)[1]);
  return out;
}

// SQL of a file that reads or writes one of `tables` (FROM / JOIN / INTO / UPDATE <table>).
std::vector<std::string> TableViolations(const Source& s, const std::set<std::string>& tables) {
  std::vector<std::string> out;
  for (const auto& lit : StringLiterals(s.text))
    for (const auto& t : tables) {
      const std::regex use("(FROM|JOIN|INTO|UPDATE)\\s+" + t + "\\b");
      if (std::regex_search(lit.text, use))
        out.push_back("src/" + s.rel + ":" + std::to_string(lit.line) + ": uses table " + t +
                      " of the drugs capability");
    }
  return out;
}

TEST(Shape, TableCheckSeesAnotherCapabilitysTables) {
  const auto tables = TablesCreatedBy("CREATE TABLE drugs (\n id INTEGER);\nCREATE TABLE formulary (id INTEGER);\n");
  EXPECT_EQ(tables, (std::set<std::string>{"drugs", "formulary"}));
  const Source bad{"domain/x/repository.cpp",
                   "tx.Query(\"SELECT 1 FROM formulary WHERE id = $1\");\n"
                   "tx.Query(\"SELECT a FROM x_items i JOIN drugs d ON d.id = i.d\");\n"
                   "tx.Query(\"SELECT formulary_item_id FROM x_needs\");\n"};
  const auto v = TableViolations(bad, tables);
  ASSERT_EQ(v.size(), 2u) << Join(v);
  EXPECT_EQ(v[0].rfind("src/domain/x/repository.cpp:1:", 0), 0u) << v[0];
}

// The drug distribution network (pharmacy, dispensing, needs) reads the catalogue and formulary
// through the drugs capability's service (DrugService), never its tables: a capability owns its
// tables (docs/adr/0002-capability-shape.md).
TEST(Shape, DrugNetworkUsesTheDrugsServiceNotItsTables) {
  std::ifstream in(kSrc / "store" / "migrations" / "0050_drugs.sql", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto tables = TablesCreatedBy(ss.str());
  ASSERT_TRUE(tables.contains("formulary") && tables.contains("drugs")) << "0050_drugs.sql not read";
  std::vector<std::string> v;
  for (const auto& s : Sources())
    for (const char* cap : {"domain/pharmacy/", "domain/dispensing/", "domain/needs/"})
      if (s.rel.rfind(cap, 0) == 0)
        for (auto& e : TableViolations(s, tables)) v.push_back(std::move(e));
  EXPECT_TRUE(v.empty()) << Join(v);
}

TEST(Shape, CapabilitiesIncludeExactlyTheCapabilitiesTheyDeclare) {
  std::ifstream in(fs::path(IHOS_SOURCE_DIR) / "CMakeLists.txt", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto declared = DeclaredCapabilities(ss.str());
  EXPECT_GE(declared.size(), 13u) << "ihos_capability() lines not found in CMakeLists.txt";
  const auto v = DependencyViolations(declared, Sources());
  EXPECT_TRUE(v.empty()) << "a capability's includes and its ihos_capability() line in CMakeLists.txt disagree:\n"
                         << Join(v);
}

TEST(Shape, ApiTestFilesKeepTheirHelpersInTheirOwnNamespace) {
  const fs::path dir = fs::path(IHOS_SOURCE_DIR) / "tests" / "api";
  const std::regex opened(R"(^\s*namespace\s+([A-Za-z_][A-Za-z0-9_:]*)?\s*\{)");
  // Also allowed: the enclosing namespaces, and a shared fixture's namespace (declared in a header
  // of tests/api/, its functions defined once, in one test file).
  std::set<std::string> shared = {"ihos", "ihos::apitest"};
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".hpp") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string line;
    std::smatch m;
    while (std::getline(in, line))
      if (std::regex_search(line, m, opened) && m[1].matched) shared.insert(m[1].str());
  }
  std::vector<std::string> v;
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.size() < 9 || name.compare(name.size() - 9, 9, "_test.cpp") != 0) continue;
    ++files;
    const std::string own = "api_" + e.path().stem().string();
    std::ifstream in(e.path(), std::ios::binary);
    std::string line;
    int n = 0;
    bool has_own = false;
    while (std::getline(in, line)) {
      ++n;
      std::smatch m;
      if (!std::regex_search(line, m, opened)) continue;
      const std::string ns = m[1].str();
      if (ns.empty()) v.push_back("tests/api/" + name + ":" + std::to_string(n) + ": an anonymous namespace");
      else if (ns == own) has_own = true;
      else if (!shared.count(ns))
        v.push_back("tests/api/" + name + ":" + std::to_string(n) + ": namespace " + ns + " (expected " + own + ")");
    }
    if (!has_own) v.push_back("tests/api/" + name + ": no namespace " + own);
  }
  EXPECT_GT(files, 30);
  EXPECT_TRUE(v.empty()) << "API test files share translation units; each keeps its helpers in its own namespace:\n"
                         << Join(v);
}

}  // namespace
