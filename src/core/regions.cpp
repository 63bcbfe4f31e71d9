#include "core/regions.hpp"

#include <algorithm>
#include <map>

namespace ihos {
namespace embedded {
std::string_view RegionsCsv();
}

namespace {

struct Table {
  std::vector<Region> rows;  // in code order
  std::map<std::string, std::size_t, std::less<>> by_code;
};

const Table& Regions() {
  static const Table table = [] {
    Table t;
    std::string_view csv = embedded::RegionsCsv();
    bool header = true;
    while (!csv.empty()) {
      const auto nl = csv.find('\n');
      std::string_view line = csv.substr(0, nl);
      csv.remove_prefix(nl == std::string_view::npos ? csv.size() : nl + 1);
      if (header || line.empty()) {
        header = false;
        continue;
      }
      std::vector<std::string_view> cols;
      for (std::size_t at = 0;;) {
        const auto comma = line.find(',', at);
        cols.push_back(line.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
        if (comma == std::string_view::npos) break;
        at = comma + 1;
      }
      if (cols.size() != 4) continue;
      t.rows.push_back(Region{std::string(cols[0]), std::string(cols[1]), std::string(cols[2]), std::string(cols[3])});
    }
    std::sort(t.rows.begin(), t.rows.end(), [](const Region& a, const Region& b) { return a.code < b.code; });
    for (std::size_t i = 0; i < t.rows.size(); ++i) t.by_code.emplace(t.rows[i].code, i);
    return t;
  }();
  return table;
}

}  // namespace

const Region* FindRegion(std::string_view code) {
  const auto& t = Regions();
  auto it = t.by_code.find(code);
  return it == t.by_code.end() ? nullptr : &t.rows[it->second];
}

std::string RegionPath(std::string_view code) {
  std::vector<const Region*> chain;
  for (const Region* r = FindRegion(code); r != nullptr;
       r = r->parent_code.empty() ? nullptr : FindRegion(r->parent_code))
    chain.push_back(r);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->name == "市辖区" || (*it)->name == "县" || (*it)->name.ends_with("直辖县级行政区划")) continue;
    if (!out.empty()) out += ' ';
    out += (*it)->name;
  }
  return out;
}

std::vector<const Region*> RegionChildren(std::string_view parent_code) {
  std::vector<const Region*> out;
  for (const Region& r : Regions().rows)
    if (r.parent_code == parent_code) out.push_back(&r);
  return out;
}

std::string_view CoveredPrefix(std::string_view code) {
  const Region* r = FindRegion(code);
  if (r == nullptr || r->level == "county") return code;
  return code.substr(0, r->level == "province" ? 2 : 4);
}

bool Covers(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  return b.starts_with(CoveredPrefix(a)) && b.size() == a.size();
}

}  // namespace ihos
