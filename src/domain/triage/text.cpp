#include "domain/triage/text.hpp"

namespace ihos::domain::triage {

char32_t NextCodePoint(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](std::size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
  auto at = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F); };
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  if ((b0 & 0xE0) == 0xC0 && cont(1)) {
    const char32_t cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | at(1);
    i += 2;
    return cp >= 0x80 ? cp : U'\uFFFD';
  }
  if ((b0 & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    const char32_t cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (at(1) << 6) | at(2);
    i += 3;
    return cp >= 0x800 ? cp : U'\uFFFD';
  }
  if ((b0 & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
    const char32_t cp = (static_cast<char32_t>(b0 & 0x07) << 18) | (at(1) << 12) | (at(2) << 6) | at(3);
    i += 4;
    return cp >= 0x10000 && cp <= 0x10FFFF ? cp : U'\uFFFD';
  }
  ++i;
  return U'\uFFFD';
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

namespace {

// Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space fold to ASCII.
char32_t Fold(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp = cp - 0xFF01 + 0x21;
  if (cp == 0x3000) cp = U' ';
  if (cp >= U'A' && cp <= U'Z') cp = cp - U'A' + U'a';
  return cp;
}

bool IsHan(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x2FA1F);
}

bool IsAsciiAlnum(char32_t cp) { return (cp >= U'a' && cp <= U'z') || (cp >= U'0' && cp <= U'9'); }

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> out;
  Token word{"", 0, 0};
  auto flush = [&] {
    if (!word.text.empty()) out.push_back(std::move(word));
    word = Token{"", 0, 0};
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t cp = Fold(NextCodePoint(text, i));
    if (IsAsciiAlnum(cp) || (cp == U'.' && !word.text.empty() && i < text.size() && text[i] >= '0' && text[i] <= '9')) {
      if (word.text.empty()) word.begin = static_cast<std::uint32_t>(start);
      word.text += static_cast<char>(cp);
      word.end = static_cast<std::uint32_t>(i);
      continue;
    }
    flush();
    if (IsHan(cp)) {
      Token t{"", static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i)};
      AppendUtf8(t.text, cp);
      out.push_back(std::move(t));
    }
  }
  flush();
  return out;
}

std::string Normalize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = Fold(NextCodePoint(text, i));
    if (cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r') {
      space = true;
      continue;
    }
    if (cp < 0x20 || cp == 0x7F || cp == U'\uFFFD') continue;
    if (space && !out.empty()) out += ' ';
    space = false;
    AppendUtf8(out, cp);
  }
  return out;
}

}  // namespace ihos::domain::triage
