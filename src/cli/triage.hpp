#pragma once
// `ihos triage train` and `ihos triage eval`: build the triage model from the data folder,
// and measure it on the held-out split (see src/domain/triage/README.md).
#include <CLI/CLI.hpp>

namespace ihos::cli {

struct TriageCommands {
  CLI::App* train = nullptr;
  CLI::App* eval = nullptr;
};
TriageCommands AddTriageCommands(CLI::App& app);
// -1 when no triage subcommand was given, else the exit code.
int RunTriageCommands(const TriageCommands& t);

}  // namespace ihos::cli
