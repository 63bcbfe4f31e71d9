#pragma once
// `ihos triage train` and `ihos triage eval`: build the triage model from the data folder,
// and measure it on the held-out split; `ihos triage red-flag-review`: which red-flag rules fire on
// the real requests outside the test split, for a person to review (src/domain/triage/README.md).
#include <CLI/CLI.hpp>

namespace ihos::cli {

struct TriageCommands {
  CLI::App* train = nullptr;
  CLI::App* eval = nullptr;
  CLI::App* review = nullptr;
};
TriageCommands AddTriageCommands(CLI::App& app);
// -1 when no triage subcommand was given, else the exit code.
int RunTriageCommands(const TriageCommands& t);

}  // namespace ihos::cli
