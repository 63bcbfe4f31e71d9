#include "domain/icd10/icd10.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_set>

#include "core/csv.hpp"
#include "core/text.hpp"
#include "domain/icd10/repository.hpp"

namespace ihos::domain::icd10 {

namespace {

constexpr std::string_view kLevels[] = {"category_3char", "subcategory_4char", "extension", "morphology_icdo"};

int LevelRank(std::string_view level) {
  for (int i = 0; i < 4; ++i)
    if (kLevels[i] == level) return i;
  return 4;
}

// Code points of UTF-8 `s` as byte slices (a broken sequence counts byte by byte).
std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = 1;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

using text::LowerAscii;

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// % and _ are LIKE wildcards; the backslash escapes them (ESCAPE '\').
std::string LikeEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Looks like the start of a code: a letter then a digit ("E11", "e11.9", "M8000"), or one letter.
bool CodeLike(std::string_view q) {
  if (q.empty() || !std::isalpha(static_cast<unsigned char>(q[0]))) return false;
  if (q.size() == 1) return true;
  return std::isdigit(static_cast<unsigned char>(q[1])) != 0;
}

bool AllAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

std::vector<std::string> Bigrams(std::string_view text) {
  const std::string lower = LowerAscii(text);
  const auto cps = CodePoints(lower);
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i + 1 < cps.size(); ++i) {
    std::string g = std::string(cps[i]) + std::string(cps[i + 1]);
    if (g.find_first_of(" \t") != std::string::npos) continue;
    if (seen.insert(g).second) out.push_back(std::move(g));
  }
  return out;
}

std::string FindDataFile(const std::string& repo_root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("IHOS_ICD10_FILE"); env && *env && fs::is_regular_file(env, ec)) return env;
  for (const std::string& dir : {repo_root + "/../shared/data/icd10_cn", std::string("/work/shared/data/icd10_cn")}) {
    const std::string f = dir + "/" + std::string(kFileName);
    if (fs::is_regular_file(f, ec)) return fs::weakly_canonical(f, ec).string();
  }
  return "";
}

Result<std::vector<Code>> ReadCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(Errc::not_found, "icd10_file_missing", path);
  return ReadCsv(in);
}

Result<std::vector<Code>> ReadCsv(std::istream& in) {
  std::vector<std::string> f;
  if (!ReadCsvRecord(in, f) || f.size() < 4 || f[0].find("code") == std::string::npos || f[1] != "name" ||
      f[2] != "level")
    return MakeError(Errc::invalid_argument, "icd10_file_invalid",
                     "line 1: expected the header code,name,level,category_3char");
  std::vector<Code> out;
  std::set<std::string> codes;
  std::size_t line = 1;
  while (ReadCsvRecord(in, f)) {
    ++line;
    if (f.size() == 1 && Trim(f[0]).empty()) continue;
    const auto bad = [&](const std::string& why) {
      return MakeError(Errc::invalid_argument, "icd10_file_invalid", "line " + std::to_string(line) + ": " + why);
    };
    if (f.size() < 4) return bad("fewer than 4 fields");
    Code c{std::string(Trim(f[0])), std::string(Trim(f[1])), std::string(Trim(f[2])), std::string(Trim(f[3]))};
    if (c.code.empty() || c.name_zh.empty()) return bad("empty code or name");
    if (LevelRank(c.level) > 3) return bad("unknown level " + c.level);
    if (!codes.insert(c.code).second) return bad("duplicate code " + c.code);
    out.push_back(std::move(c));
  }
  if (out.empty()) return MakeError(Errc::invalid_argument, "icd10_file_invalid", "no rows");
  return out;
}

Result<ImportStats> Import(store::Database& db, const std::vector<Code>& codes) {
  if (codes.empty()) return MakeError(Errc::invalid_argument, "icd10_file_invalid", "no rows");
  return db.With<ImportStats>(store::TxMode::write, [&](store::Tx& tx) -> Result<ImportStats> {
    ImportStats stats;
    std::vector<std::string> search;
    search.reserve(codes.size());
    for (const Code& c : codes) search.push_back(LowerAscii(c.code) + " " + LowerAscii(c.name_zh));
    std::vector<std::pair<std::string, const std::string*>> grams;
    for (const Code& c : codes)
      for (auto& g : Bigrams(c.name_zh)) grams.emplace_back(std::move(g), &c.code);
    if (auto st = repo::ReplaceAll(tx, codes, search, grams); !st) return st.error();
    stats.codes = static_cast<std::int64_t>(codes.size());
    stats.grams = static_cast<std::int64_t>(grams.size());
    return stats;
  });
}

Result<std::vector<Code>> Search(store::Tx& tx, std::string_view raw, int limit) {
  limit = std::clamp(limit, 1, 100);
  const std::string q(Trim(raw));
  std::vector<Code> out;
  if (q.empty()) return out;
  struct Ranked {
    int rank;
    std::size_t chars;  // of the name: "shorter" counts characters, as length() does in the SQL
    Code c;
  };
  std::vector<Ranked> found;
  std::set<std::string> have;
  const auto add = [&](int rank, Code c) {
    if (have.insert(c.code).second) {
      const std::size_t chars = CodePoints(c.name_zh).size();
      found.push_back({rank, chars, std::move(c)});
    }
  };

  // 1. Codes: exact, then prefix. The range code >= Q AND code < Q' reads the primary-key index
  // on both backends; every code starting with Q lies in it.
  if (CodeLike(q) && AllAscii(q)) {
    const std::string up = UpperAscii(q);
    std::string next = up;
    next.back() = static_cast<char>(next.back() + 1);
    auto rows = repo::CodesInRange(tx, up, next, limit);
    if (!rows) return rows.error();
    for (auto& c : *rows) {
      if (!c.code.starts_with(up)) continue;
      add(c.code == up ? 0 : 1, std::move(c));
    }
  }

  // 2. Names: through the bigram index for two characters or more, else a scan (one character).
  const std::string lower = LowerAscii(q);
  const std::string like = "%" + LikeEscape(lower) + "%";
  const auto grams = Bigrams(lower);
  auto rows = repo::CodesByName(tx, like, q, LikeEscape(q) + "%",
                                grams.empty() ? std::nullopt : std::optional<std::string>(grams.front()), limit);
  if (!rows) return rows.error();
  for (auto& c : *rows) {
    const int rank = c.name_zh == q ? 2 : c.name_zh.starts_with(q) ? 3 : 4;
    add(rank, std::move(c));
  }

  std::stable_sort(found.begin(), found.end(), [](const Ranked& a, const Ranked& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    const int la = LevelRank(a.c.level), lb = LevelRank(b.c.level);
    if (la != lb) return la < lb;
    if (a.rank >= 2 && a.chars != b.chars) return a.chars < b.chars;
    return a.c.code < b.c.code;
  });
  for (auto& f : found) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(std::move(f.c));
  }
  return out;
}

Result<Code> Get(store::Tx& tx, std::string_view code) {
  const std::string up = UpperAscii(Trim(code));
  if (up.empty()) return MakeError(Errc::not_found, "icd10_code_not_found");
  auto c = repo::FindCode(tx, up);
  if (!c) return c.error();
  if (!*c) return MakeError(Errc::not_found, "icd10_code_not_found");
  return std::move(**c);
}

Result<std::string> NameOf(store::Tx& tx, std::string_view code) {
  auto c = Get(tx, code);
  if (!c) return c.error();
  return std::move(c->name_zh);
}

Result<std::int64_t> Count(store::Tx& tx) { return repo::CountCodes(tx); }

}  // namespace ihos::domain::icd10
