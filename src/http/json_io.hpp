#pragma once
// Decoding JSON request bodies by hand, with field-level errors.
//
//   auto obj = ParseJsonBody(req);          // 415 unless application/json; 400 malformed_json
//   if (!obj) return obj.error();
//   FieldReader r(*obj);
//   auto phone = r.String("phone", {.max_chars = 11});
//   auto note = r.OptString("note", {.max_chars = 500, .multiline = true});
//   if (auto st = r.Finish(); !st) return st.error();   // 400 validation_failed + fields
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "http/types.hpp"

namespace ihos::http {

// Parses the body as one JSON object. Errors: unsupported_media (415
// "unsupported_media_type") unless Content-Type is application/json; invalid_argument
// "malformed_json" for bad syntax, invalid UTF-8, nesting deeper than 32, or a non-object.
Result<boost::json::object> ParseJsonBody(const Request& req);

struct StringRule {
  std::size_t min_chars = 0;  // in Unicode code points
  std::size_t max_chars = 200;
  bool multiline = false;  // allow \n and \t; other control characters are always refused
  bool trim = true;        // strip leading and trailing ASCII spaces
};

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& o) : o_(o) {}
  // A reader of a nested object: its field errors are named `prefix` + key ("intake.duration").
  FieldReader(const boost::json::object& o, std::string prefix) : o_(o), prefix_(std::move(prefix)) {}
  // A required string; "" and a field error (required/wrong_type/too_short/too_long/
  // control_characters) when invalid.
  std::string String(std::string_view key, StringRule rule = {});
  std::optional<std::string> OptString(std::string_view key, StringRule rule = {});
  // A required string that must be one of `allowed` (invalid_value otherwise).
  std::string Enum(std::string_view key, const std::vector<std::string>& allowed);
  // A required integer in [min, max] (JSON number without fraction); 0 and a field error
  // (required/wrong_type/out_of_range) when invalid. OptInt: nullopt when absent or null.
  std::int64_t Int(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> OptInt(std::string_view key, std::int64_t min, std::int64_t max);
  // An optional boolean (`fallback` when absent or null; wrong_type for anything else).
  bool Bool(std::string_view key, bool fallback = false);
  // An optional array of strings, each checked by `rule` ([] when absent); too_many_items past
  // `max_items`.
  std::vector<std::string> StringArray(std::string_view key, StringRule rule, std::size_t max_items);
  // An optional array of integers in [min, max] ([] when absent); too_many_items past `max_items`.
  std::vector<std::int64_t> IntArray(std::string_view key, std::int64_t min, std::int64_t max, std::size_t max_items);
  // An optional nested object (nullptr when absent or null; wrong_type for anything else).
  // Read it with FieldReader(obj, "key.") and hand that reader to Absorb.
  const boost::json::object* OptObject(std::string_view key);
  // An optional array (nullptr when absent or null; wrong_type for anything else, too_many_items
  // past `max_items`). Read objects in it with FieldReader(obj, "key[i].") and Absorb.
  const boost::json::array* OptArray(std::string_view key, std::size_t max_items);
  // Takes over a nested reader's field errors, with its unknown keys.
  void Absorb(FieldReader& nested);
  // Adds a field error found by a later check (e.g. a domain rule on a field).
  void Fail(std::string field, std::string code) { errors_.push_back({prefix_ + field, std::move(code)}); }
  bool ok() const { return errors_.empty(); }
  // Reports unknown keys, then returns validation_failed with every field error, or success.
  Status Finish();

 private:
  std::optional<std::string> Read(std::string_view key, const StringRule& rule, bool required);
  std::optional<std::string> Text(std::string_view key, const boost::json::value& v, const StringRule& rule,
                                  bool required);
  std::optional<std::int64_t> Number(std::string_view key, std::int64_t min, std::int64_t max, bool required);
  void ReportUnknown();

  const boost::json::object& o_;
  std::string prefix_;
  std::vector<std::string> seen_;
  std::vector<FieldError> errors_;
};

// A body that is empty or one JSON object with only the optional text member `key` (a reason, a
// note): nullopt when the body is empty or the member absent. Errors as ParseJsonBody and
// FieldReader (unknown members are refused).
Result<std::optional<std::string>> OptionalTextBody(const Request& req, std::string_view key, StringRule rule);

// The reply of a handler: the service's value encoded by `encode` with `status`, or its error.
template <class T, class Encode>
Result<Reply> Send(const Result<T>& r, Encode encode, int status = 200) {
  if (!r) return r.error();
  return Reply::Json(encode(*r), status);
}

// Code points in valid UTF-8 `s`.
std::size_t Utf8Length(std::string_view s);
// The longest prefix of valid UTF-8 `s` of at most `max_bytes` bytes that ends at a character
// boundary.
std::string Utf8Prefix(std::string_view s, std::size_t max_bytes);

}  // namespace ihos::http
