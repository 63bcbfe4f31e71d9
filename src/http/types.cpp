#include "http/types.hpp"

#include <boost/json/serialize.hpp>
#include <stdexcept>

namespace ihos::http {

const std::string& Request::Param(std::string_view name) const {
  for (const auto& [k, v] : path_params)
    if (k == name) return v;
  throw std::logic_error("route has no path parameter " + std::string(name));
}

std::optional<std::string> Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

Reply Reply::Json(const boost::json::value& v, int status) {
  return Reply{status, "application/json", boost::json::serialize(v), {}};
}

std::string Request::Header(std::string_view name) const {
  for (const auto& [k, v] : x_headers)
    if (k == name) return v;
  return "";
}

}  // namespace ihos::http
