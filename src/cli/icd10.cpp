#include "cli/icd10.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "domain/icd10/icd10.hpp"

namespace ihos::cli {

void AddIcd10Commands(CLI::App& app, Icd10Commands& c) {
  auto* icd = app.add_subcommand("icd10", "the ICD-10 catalogue (北京临床版 v601)")->require_subcommand(1);
  c.import = icd->add_subcommand("import",
                                 "replace the catalogue with the rows of a CSV (one transaction; "
                                 "running it again changes nothing)");
  c.import->add_option("--file", c.file, "icd10_beijing_clinical_v601.csv (from shared/data/icd10_cn)")
      ->required()
      ->envname("IHOS_ICD10_FILE");
}

int RunIcd10Commands(const Icd10Commands& c, store::Database& db) {
  if (!c.import || !c.import->parsed()) return -1;
  const auto t0 = std::chrono::steady_clock::now();
  auto codes = domain::icd10::ReadCsv(c.file);
  if (!codes) {
    std::cerr << "ihos: " << codes.error().code << " " << codes.error().detail << "\n";
    return 1;
  }
  auto st = domain::icd10::Import(db, *codes);
  if (!st) {
    std::cerr << "ihos: " << st.error().code << " " << st.error().detail << "\n";
    return 1;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("icd10: %lld codes imported (%lld search bigrams) in %.1f s\n", static_cast<long long>(st->codes),
              static_cast<long long>(st->grams), s);
  return 0;
}

}  // namespace ihos::cli
