#pragma once
// China's administrative divisions (province → city → county), compiled in from
// data/regions/divisions.csv (国家统计局 2023 codes). Read-only after first use; thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ihos {

struct Region {
  std::string code;         // 6 digits, e.g. 110101
  std::string name;         // 东城区
  std::string level;        // province | city | county
  std::string parent_code;  // "" for a province
};

// The division with this 6-digit code, or nullopt.
const Region* FindRegion(std::string_view code);
// Display path, province first, skipping the 市辖区 placeholders: "北京市 东城区". "" when unknown.
std::string RegionPath(std::string_view code);
// Every division whose parent is `parent_code` ("" for the provinces), in code order.
std::vector<const Region*> RegionChildren(std::string_view parent_code);

// The code prefix every division under `code` shares: "11" for the province 110000, "4101" for
// the city 410100, the whole code for a county or an unknown code.
std::string_view CoveredPrefix(std::string_view code);
// Does region `a` cover region `b`: `b` is `a` or lies under it (a province covers its cities
// and counties, a city its counties, a county only itself). An unknown `a` covers only itself.
// The one implementation of this question; do not copy it.
bool Covers(std::string_view a, std::string_view b);

}  // namespace ihos
