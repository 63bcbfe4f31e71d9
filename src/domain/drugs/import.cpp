#include "domain/drugs/import.hpp"

#include <charconv>
#include <fstream>
#include <set>
#include <unordered_map>

#include "core/csv.hpp"
#include "core/text.hpp"

namespace ihos::domain::drugs {
namespace {

Error FileError(const char* code, const std::string& path) { return MakeError(Errc::invalid_argument, code, path); }

// Column index by header name; -1 when absent.
int Col(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep || c == '\n') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// The initial of a pinyin syllable with tone marks (ā -> a, ń -> n, ḿ -> m).
char InitialOf(std::string_view syllable) {
  if (syllable.empty()) return 0;
  const auto c = static_cast<unsigned char>(syllable[0]);
  if (c < 0x80) return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  static const std::vector<std::pair<std::string_view, char>> kMarked = {
      {"ā", 'a'}, {"á", 'a'}, {"ǎ", 'a'}, {"à", 'a'}, {"ē", 'e'}, {"é", 'e'}, {"ě", 'e'}, {"è", 'e'}, {"ê", 'e'},
      {"ō", 'o'}, {"ó", 'o'}, {"ǒ", 'o'}, {"ò", 'o'}, {"ń", 'n'}, {"ň", 'n'}, {"ǹ", 'n'}, {"ḿ", 'm'}};
  for (const auto& [m, l] : kMarked)
    if (syllable.substr(0, m.size()) == m) return l;
  return 0;
}

}  // namespace

Result<std::map<char32_t, char>> ReadPinyinTable(const std::string& path) {
  std::ifstream in(path);
  if (!in) return FileError("import_file_unreadable", path);
  return ReadPinyinTable(in, path);
}

Result<std::map<char32_t, char>> ReadPinyinTable(std::istream& in, const std::string& path) {
  std::map<char32_t, char> table;
  std::string line;
  while (std::getline(in, line)) {
    // \t0x5E03: "bù",
    const auto x = line.find("0x");
    const auto colon = line.find(':');
    const auto q1 = line.find('"');
    if (x == std::string::npos || colon == std::string::npos || q1 == std::string::npos || colon < x) continue;
    // A line whose code point is not hexadecimal (or past Unicode) is skipped like any other
    // line that is not an entry.
    unsigned long cp = 0;
    const char* first = line.data() + x + 2;
    const char* last = line.data() + colon;
    if (const auto r = std::from_chars(first, last, cp, 16); r.ec != std::errc() || r.ptr != last) continue;
    if (cp < 0x3000 || cp > 0x10FFFF) continue;
    if (const char l = InitialOf(std::string_view(line).substr(q1 + 1)); l >= 'a' && l <= 'z')
      table.emplace(static_cast<char32_t>(cp), l);
  }
  if (table.size() < 20000) return FileError("import_file_malformed", path);
  return table;
}

Result<std::vector<ControlledRow>> ReadControlled(const std::string& path) {
  std::ifstream in(path);
  if (!in) return FileError("import_file_unreadable", path);
  return ReadControlled(in, path);
}

Result<std::vector<ControlledRow>> ReadControlled(std::istream& in, const std::string& path) {
  std::vector<std::string> f, header;
  if (!ReadCsvRecord(in, header)) return FileError("import_file_malformed", path);
  const int zh = Col(header, "name_zh"), en = Col(header, "name_en"), cat = Col(header, "category"),
            list = Col(header, "list"), note = Col(header, "list_item_note"), nrdl = Col(header, "in_nrdl");
  if (zh < 0 || en < 0 || cat < 0 || list < 0 || note < 0 || nrdl < 0) return FileError("import_file_malformed", path);
  std::vector<ControlledRow> rows;
  while (ReadCsvRecord(in, f)) {
    if (f.size() < header.size()) continue;
    rows.push_back({f[zh], f[en], f[cat], f[list], f[note], Split(f[nrdl], '|')});
  }
  if (rows.size() < 300) return FileError("import_file_malformed", path);
  return rows;
}

Result<std::vector<Drug>> ReadNrdl(const std::string& path, const std::vector<ControlledRow>& controlled,
                                   const std::map<char32_t, char>& pinyin) {
  std::ifstream in(path);
  if (!in) return FileError("import_file_unreadable", path);
  return ReadNrdl(in, path, controlled, pinyin);
}

Result<std::vector<Drug>> ReadNrdl(std::istream& in, const std::string& path,
                                   const std::vector<ControlledRow>& controlled,
                                   const std::map<char32_t, char>& pinyin) {
  std::vector<std::string> f, header;
  if (!ReadCsvRecord(in, header)) return FileError("import_file_malformed", path);
  const int id = Col(header, "nhsa_id"), name = Col(header, "name"), section = Col(header, "section"),
            cls = Col(header, "reimbursement_class"), form = Col(header, "dosage_form"),
            cat = Col(header, "category_path");
  if (id < 0 || name < 0 || section < 0 || cls < 0 || form < 0 || cat < 0)
    return FileError("import_file_malformed", path);
  std::unordered_map<std::string, std::vector<const ControlledRow*>> by_name;
  std::unordered_map<std::string, std::string> english;
  for (const auto& r : controlled)
    for (const auto& n : r.in_nrdl) {
      by_name[n].push_back(&r);
      if (!r.name_en.empty() && r.category != "radioactive") english.emplace(n, r.name_en);
    }
  std::vector<Drug> out;
  std::set<std::int64_t> seen;
  while (ReadCsvRecord(in, f)) {
    if (f.size() < header.size() || f[id].empty()) continue;
    Drug d;
    const std::string& raw_id = f[id];
    if (const auto r = std::from_chars(raw_id.data(), raw_id.data() + raw_id.size(), d.nhsa_id);
        r.ec != std::errc() || r.ptr != raw_id.data() + raw_id.size() || d.nhsa_id <= 0)
      return FileError("import_file_malformed", path + ": nhsa_id is not a positive number: " + raw_id.substr(0, 40));
    if (!seen.insert(d.nhsa_id).second) continue;
    // A name cell may hold two names on two lines (曲马多 / 曲马多Ⅱ): keep the first.
    d.name = Split(f[name], '\n').empty() ? f[name] : Split(f[name], '\n').front();
    d.section = f[section];
    d.kind = KindOfSection(d.section);
    d.reimbursement_class = f[cls];
    d.dosage_form = f[form];
    d.category_path = f[cat];
    d.therapeutic_class = TherapeuticClass(d.category_path);
    static const std::vector<const ControlledRow*> kNone;
    auto it = by_name.find(d.name);
    d.controlled = ControlledCategory(d.name, d.dosage_form, it == by_name.end() ? kNone : it->second);
    if (!d.controlled.empty()) {
      for (const ControlledRow* r : it == by_name.end() ? kNone : it->second) d.controlled_source = r->list;
      if (d.controlled == "radioactive" && d.controlled_source.empty())
        d.controlled_source = "放射性药品管理办法（国务院令第25号）";
    } else if (IsDrugPrecursor(d.name)) {
      d.controlled = "precursor";
      d.controlled_source = "易制毒化学品管理条例（国务院令第445号）附表 第一类 药品类易制毒化学品";
    }
    if (auto e = english.find(d.name); e != english.end()) d.name_en = e->second;
    d.antimicrobial = IsAntimicrobial(d.category_path);
    d.antimicrobial_chronic_exempt = IsChronicInfectionExempt(d.category_path);
    d.allergy_classes = AllergyClassesOf(d.name, d.category_path);
    d.pinyin = PinyinInitials(d.name, pinyin);
    out.push_back(std::move(d));
  }
  if (out.size() < 4000) return FileError("import_file_malformed", path);
  return out;
}

Status ReadInteractionPairs(std::istream& in, const std::string& path, const char* level, const char* source,
                            std::vector<Interaction>& out) {
  std::vector<std::string> f, header;
  ReadCsvRecord(in, header);
  const int a = Col(header, "drug1_name"), b = Col(header, "drug2_name");
  if (a < 0 || b < 0) return FileError("import_file_malformed", path);
  while (ReadCsvRecord(in, f)) {
    if (f.size() < header.size()) continue;
    std::string x = text::LowerAscii(f[a]), y = text::LowerAscii(f[b]);
    if (x.empty() || y.empty() || x == y) continue;
    if (y < x) std::swap(x, y);
    out.push_back({x, y, level, source});
  }
  return {};
}

Result<std::vector<Interaction>> ReadInteractions(const std::string& dir) {
  std::vector<Interaction> out;
  const std::pair<const char*, std::pair<const char*, const char*>> kFiles[] = {
      {"/onc_high_priority_drug_pairs_drugbank.csv", {"high", "ONC high-priority DDI list (Phansalkar 2012)"}},
      {"/onc_non_interruptive_drug_pairs_drugbank.csv",
       {"non_interruptive", "ONC non-interruptive DDI list (Phansalkar 2013)"}}};
  for (const auto& [file, what] : kFiles) {
    const std::string path = dir + file;
    std::ifstream in(path);
    if (!in) return FileError("import_file_unreadable", path);
    if (auto st = ReadInteractionPairs(in, path, what.first, what.second, out); !st) return st.error();
  }
  if (out.size() < 1000) return FileError("import_file_malformed", dir);
  return out;
}

}  // namespace ihos::domain::drugs
