#pragma once
// Text helpers that both the store drivers and the capabilities need. Pure functions;
// thread-safe.
#include <string>
#include <string_view>

namespace ihos::text {

// True when `s` is valid UTF-8 (no overlong forms, no surrogates, <= U+10FFFF) without NUL:
// text both database backends can store.
bool IsStorableText(std::string_view s);

// `s` with ASCII letters lower-cased; other bytes (UTF-8 included) unchanged.
std::string LowerAscii(std::string_view s);

}  // namespace ihos::text
