#pragma once
// `ihos drugs import --data DIR`: load the drug catalogue (NRDL 2024) with the controlled-drug,
// precursor and interaction lists (src/domain/drugs/README.md).
#include <CLI/CLI.hpp>

#include "store/database.hpp"

namespace ihos::cli {

struct DrugsCommands {
  CLI::App* import = nullptr;
  std::string data;    // the shared data folder (drugs_nrdl, cn_controlled_drugs, ddi_onc_high_priority)
  std::string pinyin;  // go-pinyin's pinyin_dict.go
};
void AddDrugsCommands(CLI::App& app, DrugsCommands& c);
// -1 when no drugs subcommand was given, else the exit code.
int RunDrugsCommands(const DrugsCommands& c, store::Database& db);

}  // namespace ihos::cli
