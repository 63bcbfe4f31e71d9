// The CSV importers: the RFC 4180 reader (core/csv), the lab results import (health code), the
// ICD-10 catalogue reader and the drug catalogue readers (NRDL, controlled drugs, interaction
// pairs, pinyin table), each over the stream the file readers open. The first byte picks the
// reader. Invariants: no crash, no exception escapes, the lab import keeps one line number per
// row, an interaction pair is ordered.
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.hpp"
#include "domain/drugs/import.hpp"
#include "domain/healthcode/facts.hpp"
#include "domain/icd10/icd10.hpp"
#include "fuzz_check.hpp"

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
    case 2: {
      std::istringstream s{std::string(in)};
      (void)ihos::domain::icd10::ReadCsv(s);
      break;
    }
    case 3: {
      std::istringstream s{std::string(in)};
      (void)drugs::ReadControlled(s, "controlled_drugs.csv");
      break;
    }
    case 4: {
      // NRDL rows, classified against one controlled row and an empty pinyin table
      static const std::vector<drugs::ControlledRow> controlled = {
          {"吗啡", "morphine", "narcotic", "麻醉药品品种目录（2013年版）", "", {"吗啡"}}};
      std::istringstream s{std::string(in)};
      (void)drugs::ReadNrdl(s, "nrdl.csv", controlled, {});
      break;
    }
    default: {
      // the pinyin table, then the same bytes as an interaction pairs file
      std::istringstream s{std::string(in)};
      (void)drugs::ReadPinyinTable(s, "pinyin_dict.go");
      std::istringstream p{std::string(in)};
      std::vector<drugs::Interaction> out;
      (void)drugs::ReadInteractionPairs(p, "pairs.csv", "high", "fuzz", out);
      for (const auto& i : out) FUZZ_CHECK(!i.a.empty() && i.a < i.b);
      break;
    }
  }
  return 0;
}
