#include "store/database.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "store/backend_common.hpp"
#include "store/postgres/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace ihos::store {

namespace {

// A text column read as a number is a schema or query bug, not an expected outcome: throw so
// it reaches the one 500 handler instead of silently becoming 0.
[[noreturn]] void NotANumber(std::size_t i, const std::string& s) {
  throw std::invalid_argument("Row column " + std::to_string(i) + " is not a number: \"" + s.substr(0, 40) + "\"");
}

bool ParseDouble(const std::string& s, double& out) {
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (first != last && *first == '+') ++first;
  auto [p, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && p == last;
}

std::int64_t DoubleToInt(double d) {
  // Saturate instead of the undefined behaviour of an out-of-range cast.
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<std::int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(d);
}

}  // namespace

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = cols_.at(i);
  if (std::holds_alternative<std::nullptr_t>(v)) return 0;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return DoubleToInt(*d);
  const std::string& s = std::get<std::string>(v);
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec == std::errc() && p == s.data() + s.size()) return n;
  double d = 0;
  if (ParseDouble(s, d)) return DoubleToInt(d);
  NotANumber(i, s);
}

double Row::Real(std::size_t i) const {
  const Value& v = cols_.at(i);
  if (std::holds_alternative<std::nullptr_t>(v)) return 0;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  const std::string& s = std::get<std::string>(v);
  double d = 0;
  if (ParseDouble(s, d)) return d;
  NotANumber(i, s);
}

std::string Row::Text(std::size_t i) const {
  const Value& v = cols_.at(i);
  if (std::holds_alternative<std::nullptr_t>(v)) return {};
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return detail::FormatDouble(*d);
  return std::get<std::string>(v);
}

std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

Status InsertRows(Tx& tx, std::string_view head, std::size_t columns, std::size_t rows_total,
                  const std::function<void(std::size_t, Params&)>& row, std::string_view tail) {
  // SQLite takes at most 32,766 parameters a statement (since 3.32), PostgreSQL 65,535.
  const std::size_t per =
      std::max<std::size_t>(1, std::min<std::size_t>(400, 32'766 / std::max<std::size_t>(1, columns)));
  for (std::size_t at = 0; at < rows_total; at += per) {
    const std::size_t n = std::min(per, rows_total - at);
    std::string sql(head);
    sql += " VALUES ";
    Params params;
    params.reserve(n * columns);
    for (std::size_t i = 0; i < n; ++i) {
      sql += i ? ", (" : "(";
      for (std::size_t k = 0; k < columns; ++k) {
        if (k) sql += ", ";
        sql += '$' + std::to_string(i * columns + k + 1);
      }
      sql += ')';
      row(at + i, params);
    }
    sql += tail;
    if (auto r = tx.Exec(sql, params); !r) return r.error();
  }
  return {};
}

Result<std::unique_ptr<Database>> Open(std::string_view url, int pool_size) {
  if (pool_size < 1) pool_size = 1;
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string path(url.substr(kSqlite.size()));
    if (path.empty()) {
      return MakeError(Errc::invalid_argument, "database_url_invalid", "sqlite: URL without a path");
    }
    return sqlite::OpenDatabase(std::move(path), pool_size);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return postgres::OpenDatabase(std::string(url), pool_size);
  }
  // The URL itself is left out of the detail: it may carry a password.
  return MakeError(Errc::invalid_argument, "database_url_invalid",
                   "expected sqlite:PATH, postgresql://... or postgres://...");
}

}  // namespace ihos::store
