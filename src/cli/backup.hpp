#pragma once
// `ihos backup --out FILE` and `ihos restore --from FILE`: a consistent copy of the live database
// (SQLite's online backup API, or Debian's pg_dump in custom format on PostgreSQL; ihosd keeps
// running) with a manifest beside it
// (FILE.manifest.json: size, SHA-256, the migrations, and the audit chain's head — its last row id
// and hash, also printed so it can be published elsewhere). A restore goes into a new database
// only, checks the file against the manifest, brings the schema up to date and verifies the audit
// chain from its start up to the published head: a truncated or altered chain is refused.
// The backup file appears only whole (written under FILE.partial, then renamed). On PostgreSQL the
// restore target must be an empty database (createdb); pg_restore runs in one transaction. When
// pg_dump / pg_restore is missing or fails, the command exits 1 naming the tool, its exit code and
// its message.
#include <CLI/CLI.hpp>
#include <string>

namespace ihos::cli {

struct BackupCommands {
  CLI::App* backup = nullptr;
  CLI::App* restore = nullptr;
  std::string out;
  std::string from;
};
void AddBackupCommands(CLI::App& app, BackupCommands& c);
// -1 when neither command was given, else the exit code (run before the database is opened: a
// backup must not migrate the live database, a restore must find its target absent).
int RunBackupCommands(const BackupCommands& c, const std::string& db_url);

// Parses "ID:HASH" for `audit verify --expect-head`. False when malformed.
bool ParseHead(const std::string& text, std::int64_t& id, std::string& hash);

}  // namespace ihos::cli
