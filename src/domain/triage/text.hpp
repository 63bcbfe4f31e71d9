#pragma once
// Turning a patient's own words into the tokens the triage model and the red-flag rules read.
// Chinese has no spaces between words, so each Han character is one token (the model adds
// character bigrams as its word n-grams); a run of ASCII letters or digits is one lowercased
// token (full-width forms are folded to ASCII first); punctuation and spaces separate tokens.
// Pure functions, thread-safe.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ihos::domain::triage {

struct Token {
  std::string text;     // normalised: lowercase ASCII, full-width folded
  std::uint32_t begin;  // byte offsets of the token in the original text
  std::uint32_t end;
};

// The tokens of `text` in order. Invalid UTF-8 bytes are skipped.
std::vector<Token> Tokenize(std::string_view text);

// `text` lowercased (ASCII), full-width letters/digits/punctuation folded to ASCII, every run
// of white space made one ' ', control characters dropped. For the rule matcher.
std::string Normalize(std::string_view text);

// One code point from `s` at `i` (advanced past it); U+FFFD for an invalid byte.
char32_t NextCodePoint(std::string_view s, std::size_t& i);
void AppendUtf8(std::string& out, char32_t cp);

}  // namespace ihos::domain::triage
