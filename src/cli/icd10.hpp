#pragma once
// `ihos icd10 import --file PATH`: load the ICD-10 catalogue (src/domain/icd10/README.md).
#include <CLI/CLI.hpp>

#include "store/database.hpp"

namespace ihos::cli {

struct Icd10Commands {
  CLI::App* import = nullptr;
  std::string file;
};
void AddIcd10Commands(CLI::App& app, Icd10Commands& c);
// -1 when no icd10 subcommand was given, else the exit code.
int RunIcd10Commands(const Icd10Commands& c, store::Database& db);

}  // namespace ihos::cli
