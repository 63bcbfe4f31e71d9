#include "domain/triage/words.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_map>

namespace ihos::domain::triage {

namespace {

bool IsHanToken(const Token& t) {
  // Tokenize makes a Han character one token of 3 or 4 UTF-8 bytes; ASCII tokens are ASCII.
  return !t.text.empty() && static_cast<unsigned char>(t.text[0]) >= 0x80;
}

// Calls f(first, last) for each run of adjacent Han character tokens.
template <typename F>
void HanRuns(const std::vector<Token>& ts, F&& f) {
  std::size_t i = 0;
  while (i < ts.size()) {
    if (!IsHanToken(ts[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < ts.size() && IsHanToken(ts[j + 1]) && ts[j + 1].begin == ts[j].end) ++j;
    f(i, j);
    i = j + 1;
  }
}

std::string Join(const std::vector<Token>& ts, std::size_t first, std::size_t last) {
  std::string s;
  for (std::size_t k = first; k <= last; ++k) s += ts[k].text;
  return s;
}

bool AllHan(std::string_view w, int& chars) {
  chars = 0;
  std::size_t i = 0;
  while (i < w.size()) {
    const char32_t cp = NextCodePoint(w, i);
    if (cp < 0x3400 || cp == U'\uFFFD') return false;
    ++chars;
  }
  return true;
}

}  // namespace

Lexicon Lexicon::Build(const std::vector<std::vector<Token>>& texts, const LexiconOptions& opts) {
  std::unordered_map<std::string, int> count;
  double chars = 0;
  for (const auto& ts : texts)
    HanRuns(ts, [&](std::size_t first, std::size_t last) {
      chars += static_cast<double>(last - first + 1);
      for (std::size_t i = first; i <= last; ++i) {
        std::string w;
        for (std::size_t j = i; j <= last && j < i + kMaxWordChars; ++j) {
          w += ts[j].text;
          ++count[w];
        }
      }
    });
  Lexicon lex;
  struct Neighbours {
    std::unordered_map<std::string, int> left, right;
    int left_edges = 0, right_edges = 0;
  };
  std::unordered_map<std::string, Neighbours> candidates;
  for (const auto& [w, c] : count) {
    int n = 0;
    if (c < opts.min_count || !AllHan(w, n) || n < 2) continue;
    // Every cut of w into a left and a right part (at character boundaries).
    bool sticks = true;
    std::size_t i = 0;
    NextCodePoint(w, i);
    while (sticks && i < w.size()) {
      const auto l = count.find(w.substr(0, i)), r = count.find(w.substr(i));
      const double expected = static_cast<double>(l->second) * static_cast<double>(r->second) / chars;
      sticks = c >= opts.cohesion * expected;
      NextCodePoint(w, i);
    }
    if (sticks) candidates.emplace(w, Neighbours{});
  }
  // A word is free at both ends: the characters seen before it (and after it) vary. A fragment
  // such as "一个多星" (always followed by 期) is not a word.
  for (const auto& ts : texts)
    HanRuns(ts, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i <= last; ++i) {
        std::string w = ts[i].text;
        for (std::size_t j = i + 1; j <= last && j < i + kMaxWordChars; ++j) {
          w += ts[j].text;
          const auto it = candidates.find(w);
          if (it == candidates.end()) continue;
          // The start or end of a run counts as a new neighbour each time.
          if (i > first)
            ++it->second.left[ts[i - 1].text];
          else
            ++it->second.left_edges;
          if (j < last)
            ++it->second.right[ts[j + 1].text];
          else
            ++it->second.right_edges;
        }
      }
    });
  auto entropy = [](const std::unordered_map<std::string, int>& m, int edges) {
    double n = edges;
    for (const auto& [_, c] : m) n += c;
    double h = edges > 0 ? edges / n * std::log(n) : 0;  // each edge its own neighbour
    for (const auto& [_, c] : m) h -= c / n * std::log(c / n);
    return h;
  };
  for (const auto& [w, nb] : candidates)
    if (entropy(nb.left, nb.left_edges) >= opts.freedom && entropy(nb.right, nb.right_edges) >= opts.freedom)
      lex.words_.insert(w);
  return lex;
}

std::vector<Token> Lexicon::Segment(const std::vector<Token>& ts,
                                    std::vector<std::pair<std::int32_t, std::int32_t>>* spans) const {
  std::vector<Token> out;
  out.reserve(ts.size());
  if (spans) spans->clear();
  auto keep = [&](std::size_t k) {
    out.push_back(ts[k]);
    if (spans) spans->emplace_back(static_cast<std::int32_t>(k), static_cast<std::int32_t>(k));
  };
  std::size_t done = 0;  // tokens before this index are in `out`
  HanRuns(ts, [&](std::size_t first, std::size_t last) {
    for (; done < first; ++done) keep(done);
    std::size_t i = first;
    while (i <= last) {
      std::size_t end = i;  // the last token of the word starting at i
      for (std::size_t j = std::min(last, i + kMaxWordChars - 1); j > i; --j)
        if (words_.count(Join(ts, i, j))) {
          end = j;
          break;
        }
      out.push_back({Join(ts, i, end), ts[i].begin, ts[end].end});
      if (spans) spans->emplace_back(static_cast<std::int32_t>(i), static_cast<std::int32_t>(end));
      i = end + 1;
    }
    done = last + 1;
  });
  for (; done < ts.size(); ++done) keep(done);
  return out;
}

Status Lexicon::Save(const std::string& path) const {
  std::vector<std::string> sorted(words_.begin(), words_.end());
  std::sort(sorted.begin(), sorted.end());
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const auto& w : sorted) out << w << '\n';
    if (!out.flush()) return MakeError(Errc::internal, "triage_training_failed", "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return MakeError(Errc::internal, "triage_training_failed", ec.message());
  return {};
}

Result<Lexicon> Lexicon::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(Errc::not_found, "triage_model_missing", "no lexicon at " + path);
  Lexicon lex;
  std::string line;
  while (std::getline(in, line)) {
    int n = 0;
    if (!AllHan(line, n) || n < 2 || n > kMaxWordChars)
      return MakeError(Errc::invalid_argument, "triage_model_invalid", path + ": not a word: " + line.substr(0, 40));
    lex.words_.insert(line);
  }
  return lex;
}

}  // namespace ihos::domain::triage
