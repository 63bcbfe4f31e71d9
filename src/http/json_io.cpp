#include "http/json_io.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

namespace ihos::http {

std::size_t Utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string Utf8Prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // back to a character start
  return std::string(s.substr(0, n));
}

Result<boost::json::object> ParseJsonBody(const Request& req) {
  std::string_view ct = req.content_type;
  const auto semi = ct.find(';');
  std::string media(ct.substr(0, semi));
  std::transform(media.begin(), media.end(), media.begin(), [](unsigned char c) { return std::tolower(c); });
  while (!media.empty() && media.back() == ' ') media.pop_back();
  if (media != "application/json") return MakeError(Errc::unsupported_media, "unsupported_media_type");
  boost::json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.body, ec, {}, opt);
  if (ec) return MakeError(Errc::invalid_argument, "malformed_json", ec.message());
  if (!v.is_object()) return MakeError(Errc::invalid_argument, "malformed_json", "the body must be a JSON object");
  return std::move(v.as_object());
}

std::optional<std::string> FieldReader::Read(std::string_view key, const StringRule& rule, bool required) {
  seen_.emplace_back(key);
  const auto* v = o_.if_contains(key);
  if (!v || v->is_null()) {
    if (required) Fail(std::string(key), "required");
    return std::nullopt;
  }
  return Text(key, *v, rule, required);
}

std::optional<std::string> FieldReader::Text(std::string_view key, const boost::json::value& v, const StringRule& rule,
                                             bool required) {
  if (!v.is_string()) {
    Fail(std::string(key), "wrong_type");
    return std::nullopt;
  }
  std::string s(v.get_string());
  if (rule.trim) {
    const auto b = s.find_first_not_of(' ');
    const auto e = s.find_last_not_of(' ');
    s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  }
  for (unsigned char c : s) {
    if ((c < 0x20 && !(rule.multiline && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7F) {
      Fail(std::string(key), "control_characters");
      return std::nullopt;
    }
  }
  const std::size_t len = Utf8Length(s);
  if (s.empty() && required) {
    Fail(std::string(key), "required");
    return std::nullopt;
  }
  if (len > rule.max_chars) {
    Fail(std::string(key), "too_long");
    return std::nullopt;
  }
  if (len < rule.min_chars) {
    Fail(std::string(key), "too_short");
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> FieldReader::Number(std::string_view key, std::int64_t min, std::int64_t max,
                                                bool required) {
  seen_.emplace_back(key);
  const auto* v = o_.if_contains(key);
  if (!v || v->is_null()) {
    if (required) Fail(std::string(key), "required");
    return std::nullopt;
  }
  std::int64_t n = 0;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    n = static_cast<std::int64_t>(v->get_uint64());
  } else if (v->is_uint64()) {
    Fail(std::string(key), "out_of_range");
    return std::nullopt;
  } else {
    Fail(std::string(key), "wrong_type");
    return std::nullopt;
  }
  if (n < min || n > max) {
    Fail(std::string(key), "out_of_range");
    return std::nullopt;
  }
  return n;
}

std::int64_t FieldReader::Int(std::string_view key, std::int64_t min, std::int64_t max) {
  return Number(key, min, max, true).value_or(0);
}

std::optional<std::int64_t> FieldReader::OptInt(std::string_view key, std::int64_t min, std::int64_t max) {
  return Number(key, min, max, false);
}

bool FieldReader::Bool(std::string_view key, bool fallback) {
  seen_.emplace_back(key);
  const auto* v = o_.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_bool()) {
    Fail(std::string(key), "wrong_type");
    return fallback;
  }
  return v->get_bool();
}

std::vector<std::string> FieldReader::StringArray(std::string_view key, StringRule rule, std::size_t max_items) {
  seen_.emplace_back(key);
  std::vector<std::string> out;
  const auto* v = o_.if_contains(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) {
    Fail(std::string(key), "wrong_type");
    return out;
  }
  if (v->get_array().size() > max_items) {
    Fail(std::string(key), "too_many_items");
    return out;
  }
  for (const auto& item : v->get_array()) {
    auto s = Text(key, item, rule, true);
    if (!s) return {};
    out.push_back(std::move(*s));
  }
  return out;
}

std::string FieldReader::String(std::string_view key, StringRule rule) { return Read(key, rule, true).value_or(""); }

std::optional<std::string> FieldReader::OptString(std::string_view key, StringRule rule) {
  return Read(key, rule, false);
}

std::string FieldReader::Enum(std::string_view key, const std::vector<std::string>& allowed) {
  auto s = Read(key, {.max_chars = 64}, true);
  if (!s) return "";
  if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
    Fail(std::string(key), "invalid_value");
    return "";
  }
  return *s;
}

std::vector<std::int64_t> FieldReader::IntArray(std::string_view key, std::int64_t min, std::int64_t max,
                                                std::size_t max_items) {
  seen_.emplace_back(key);
  std::vector<std::int64_t> out;
  const auto* v = o_.if_contains(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) {
    Fail(std::string(key), "wrong_type");
    return out;
  }
  if (v->get_array().size() > max_items) {
    Fail(std::string(key), "too_many_items");
    return out;
  }
  for (const auto& item : v->get_array()) {
    if (!item.is_int64() && !item.is_uint64()) {
      Fail(std::string(key), "wrong_type");
      return {};
    }
    const auto n = item.is_int64() ? item.get_int64()
                                   : static_cast<std::int64_t>(std::min<std::uint64_t>(
                                         item.get_uint64(), static_cast<std::uint64_t>(INT64_MAX)));
    if (n < min || n > max) {
      Fail(std::string(key), "out_of_range");
      return {};
    }
    out.push_back(n);
  }
  return out;
}

const boost::json::object* FieldReader::OptObject(std::string_view key) {
  seen_.emplace_back(key);
  const auto* v = o_.if_contains(key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_object()) {
    Fail(std::string(key), "wrong_type");
    return nullptr;
  }
  return &v->get_object();
}

const boost::json::array* FieldReader::OptArray(std::string_view key, std::size_t max_items) {
  seen_.emplace_back(key);
  const auto* v = o_.if_contains(key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_array()) {
    Fail(std::string(key), "wrong_type");
    return nullptr;
  }
  if (v->get_array().size() > max_items) {
    Fail(std::string(key), "too_many_items");
    return nullptr;
  }
  return &v->get_array();
}

void FieldReader::ReportUnknown() {
  for (const auto& kv : o_) {
    if (std::find(seen_.begin(), seen_.end(), std::string_view(kv.key())) == seen_.end())
      Fail(Utf8Prefix(kv.key(), 64), "unknown_field");
  }
}

void FieldReader::Absorb(FieldReader& nested) {
  nested.ReportUnknown();
  for (auto& e : nested.errors_) errors_.push_back(std::move(e));
  nested.errors_.clear();
}

Status FieldReader::Finish() {
  ReportUnknown();
  if (errors_.empty()) return {};
  return ValidationFailed(std::move(errors_));
}

Result<std::optional<std::string>> OptionalTextBody(const Request& req, std::string_view key, StringRule rule) {
  if (req.body.empty()) return std::optional<std::string>();
  auto body = ParseJsonBody(req);
  if (!body) return body.error();
  FieldReader r(*body);
  auto v = r.OptString(key, rule);
  if (auto st = r.Finish(); !st) return st.error();
  return v;
}

}  // namespace ihos::http
