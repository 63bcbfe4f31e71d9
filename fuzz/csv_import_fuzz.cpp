// The CSV importers: the RFC 4180 reader (core/csv), the lab results import (health code), the
// ICD-10 catalogue reader and the drug catalogue readers (NRDL, controlled drugs, interaction
// pairs, pinyin table). The first byte picks the reader; the file readers get the rest through a
// file in $TMPDIR (one per process). Invariant: no crash, no exception escapes, and the lab import
// keeps one line number per row.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "domain/drugs/import.hpp"
#include "domain/healthcode/facts.hpp"
#include "domain/icd10/icd10.hpp"
#include "fuzz_check.hpp"

namespace {

const std::string& Dir() {
  static const std::string dir = [] {
    const char* t = std::getenv("TMPDIR");
    std::string d = std::string(t && *t ? t : "/tmp") + "/ihos-csv-fuzz-" + std::to_string(::getpid());
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

std::string WriteFile(const std::string& name, std::string_view text) {
  const std::string path = Dir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(text.data(), static_cast<std::streamsize>(text.size()));
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  namespace drugs = ihos::domain::drugs;
  switch (data[0] % 6) {
    case 0: {
      std::istringstream s{std::string(in)};
      std::vector<std::string> f;
      std::size_t records = 0;
      while (ihos::ReadCsvRecord(s, f)) {
        FUZZ_CHECK(!f.empty());
        FUZZ_CHECK(++records <= in.size());
      }
      break;
    }
    case 1: {
      // 2026-12-03T12:00 CST
      const auto p = ihos::domain::healthcode::ParseTestResultsCsv(std::string(in), 1796270400000);
      FUZZ_CHECK(p.rows.size() == p.row_lines.size());
      break;
    }
    case 2:
      (void)ihos::domain::icd10::ReadCsv(WriteFile("icd10.csv", in));
      break;
    case 3:
      (void)drugs::ReadControlled(WriteFile("controlled_drugs.csv", in));
      break;
    case 4: {
      // NRDL rows, classified against one controlled row and an empty pinyin table
      const std::vector<drugs::ControlledRow> controlled = {
          {"吗啡", "morphine", "narcotic", "麻醉药品品种目录（2013年版）", "", {"吗啡"}}};
      (void)drugs::ReadNrdl(WriteFile("nrdl.csv", in), controlled, {});
      break;
    }
    default: {
      // the pinyin table, then the interaction pairs (both files from the same bytes)
      (void)drugs::ReadPinyinTable(WriteFile("pinyin_dict.go", in));
      WriteFile("onc_high_priority_drug_pairs_drugbank.csv", in);
      WriteFile("onc_non_interruptive_drug_pairs_drugbank.csv", in);
      (void)drugs::ReadInteractions(Dir());
      break;
    }
  }
  return 0;
}
