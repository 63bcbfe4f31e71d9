#pragma once
// Words for the triage model: Chinese is written without spaces, so a lexicon of the words the
// training texts use is learnt from them (no outside dictionary) and the patient's characters
// are grouped into its words by forward maximum matching. A word is a run of 2 to kMaxWordChars
// Han characters seen at least min_count times whose characters stick together: for every way of
// cutting it in two, it occurs at least `cohesion` times as often as chance would put its halves
// side by side (count(w)·N / (count(left)·count(right))).
//
// A Lexicon is immutable once built or loaded; Segment is thread-safe.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "domain/triage/text.hpp"

namespace ihos::domain::triage {

inline constexpr int kMaxWordChars = 4;

struct LexiconOptions {
  int min_count = 5;
  double cohesion = 20;
  double freedom = 1.5;  // the least branching entropy (nats) of the characters on either side
};

class Lexicon {
 public:
  // The lexicon of `texts` (each the Tokenize() tokens of one training text).
  static Lexicon Build(const std::vector<std::vector<Token>>& texts, const LexiconOptions& opts);
  // One word a line, UTF-8. Errors: not_found "triage_model_missing"; invalid_argument
  // "triage_model_invalid" for a line that is not 2..kMaxWordChars Han characters.
  static Result<Lexicon> Load(const std::string& path);
  Status Save(const std::string& path) const;

  // `tokens` with each run of adjacent Han characters (no space or punctuation between them)
  // cut into the longest lexicon words from its start, a character alone where none begins.
  // A word's token spans its characters (begin of the first, end of the last); other tokens
  // (ASCII words, numbers, the age token) pass through unchanged.
  // `spans`, when given, receives each word's first and last index in `tokens`.
  std::vector<Token> Segment(const std::vector<Token>& tokens,
                             std::vector<std::pair<std::int32_t, std::int32_t>>* spans = nullptr) const;

  bool Has(const std::string& word) const { return words_.count(word) > 0; }
  std::size_t size() const { return words_.size(); }

 private:
  std::unordered_set<std::string> words_;
};

}  // namespace ihos::domain::triage
