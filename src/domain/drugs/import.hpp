#pragma once
// Reading the shared catalogue files for `ihos drugs import` (no database here): the NRDL CSV,
// the controlled-drug list, the ONC interaction pairs and the pinyin table. Errors:
// invalid_argument "import_file_unreadable" / "import_file_malformed" with the file in detail.
#include <istream>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/drugs/model.hpp"
#include "domain/drugs/rules.hpp"

namespace ihos::domain::drugs {

// Code point -> initial letter, from go-pinyin's pinyin_dict.go (Debian golang-github-mozillazg-
// go-pinyin-dev, data from Unicode's Unihan kHanyuPinyin/kMandarin), first reading of each.
Result<std::map<char32_t, char>> ReadPinyinTable(const std::string& path);

// controlled_drugs.csv (cn_controlled_drugs).
Result<std::vector<ControlledRow>> ReadControlled(const std::string& path);

// nrdl_2024_drug_list.csv, classified with the controlled rows and the pinyin table.
Result<std::vector<Drug>> ReadNrdl(const std::string& path, const std::vector<ControlledRow>& controlled,
                                   const std::map<char32_t, char>& pinyin);

// The ONC high-priority and non-interruptive drug pairs (ddi_onc_high_priority folder).
Result<std::vector<Interaction>> ReadInteractions(const std::string& dir);

// The same readers over an open stream (`path` names it in errors); the fuzz target
// fuzz/csv_import_fuzz.cpp reads from memory through them. ReadInteractionPairs reads one pairs
// file (header drug1_name,...,drug2_name,...) and appends its pairs to `out`.
Result<std::map<char32_t, char>> ReadPinyinTable(std::istream& in, const std::string& path);
Result<std::vector<ControlledRow>> ReadControlled(std::istream& in, const std::string& path);
Result<std::vector<Drug>> ReadNrdl(std::istream& in, const std::string& path,
                                   const std::vector<ControlledRow>& controlled,
                                   const std::map<char32_t, char>& pinyin);
Status ReadInteractionPairs(std::istream& in, const std::string& path, const char* level, const char* source,
                            std::vector<Interaction>& out);

}  // namespace ihos::domain::drugs
