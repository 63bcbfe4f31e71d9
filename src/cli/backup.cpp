#include "cli/backup.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <vector>

#include "core/clock.hpp"
#include "domain/audit/audit.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/backup.hpp"

namespace ihos::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kSqlite = "sqlite:";

extern "C" char** environ;

// The outcome of running a tool: `started` false when it could not be run at all (not on PATH).
struct ToolRun {
  bool started = false;
  int exit_code = -1;  // its exit status, or 128 + the signal that ended it
  std::string errors;  // what it wrote to stderr (the last 4 KiB)
};

// A database URL fit for a message: its password replaced by *** (URI and key=value forms).
std::string Redacted(const std::string& url) {
  static const std::regex uri_password(R"((://[^:/@?]*):[^@/?]*@)");
  static const std::regex kv_password(R"((password\s*=\s*)('[^']*'|\S+))");
  return std::regex_replace(std::regex_replace(url, uri_password, "$1:***@"), kv_password, "$1***");
}

// The connection a PostgreSQL tool should use, as libpq's environment variables (PGHOST,
// PGPORT, PGUSER, PGPASSWORD, PGDATABASE...): never on its command line, where `ps` shows the
// password to every local user for as long as the dump runs.
std::vector<std::string> ConnectionEnv(const std::string& url) {
  std::vector<std::string> env;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (err) PQfreemem(err);
  if (!opts) return env;
  for (const PQconninfoOption* o = opts; o->keyword; ++o)
    if (o->val && *o->val && o->envvar) env.push_back(std::string(o->envvar) + "=" + o->val);
  PQconninfoFree(opts);
  return env;
}

// Runs `argv` (looked up on PATH) with stdout and stderr captured; waits for it. `extra_env`
// (NAME=value) is added to this process's environment for the child, replacing a same name.
ToolRun RunTool(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {}) {
  ToolRun run;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return run;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& x : extra_env) replaced = replaced || x.substr(0, x.find('=')) == name;
    if (!replaced) env.push_back(*e);
  }
  for (const auto& x : extra_env) env.push_back(const_cast<char*>(x.c_str()));
  env.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    run.errors = std::strerror(rc);
    return run;
  }
  run.started = true;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    run.errors.append(buf, static_cast<std::size_t>(n));
    if (run.errors.size() > 4096) run.errors.erase(0, run.errors.size() - 4096);
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  while (!run.errors.empty() && (run.errors.back() == '\n' || run.errors.back() == ' ')) run.errors.pop_back();
  return run;
}

// "pg_dump exited with 1: <its message>" or "pg_dump was not found ..." for an operator.
std::string Explain(const std::string& tool, const ToolRun& run) {
  if (!run.started)
    return tool + " could not be run (" + run.errors +
           "): install PostgreSQL's client tools (Debian: apt install postgresql-client) so that " + tool +
           " is on PATH";
  return tool + " failed with exit code " + std::to_string(run.exit_code) +
         (run.errors.empty() ? std::string() : ": " + run.errors);
}

// Writes `text` to `path` through a temporary name, so a reader never sees half of it.
bool WriteWhole(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".partial";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) fs::remove(tmp, ec);
  return !ec;
}

std::string Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::string buf(1 << 20, '\0');
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

int Fail(const std::string& what) {
  std::cerr << "ihos: " << what << "\n";
  return 1;
}

// The audit chain of the database at `url`, verified from its start; the schema brought up to
// date first when `migrate`.
struct Checked {
  domain::audit::VerifyReport report;
  std::vector<std::string> migrations;
};
std::optional<Checked> Check(const std::string& url, bool migrate, std::int64_t at_id, std::string& error) {
  auto db = store::Open(url, 1);
  if (!db) {
    error = "cannot open " + Redacted(url) + ": " + db.error().detail;
    return std::nullopt;
  }
  if (migrate)
    if (auto m = store::Migrate(**db); !m) {
      error = "migration failed: " + m.error().detail;
      return std::nullopt;
    }
  Checked c;
  auto r = domain::audit::Verify(**db, at_id);
  if (!r) {
    error = "audit verify: " + r.error().detail;
    return std::nullopt;
  }
  c.report = *r;
  auto names = store::AppliedMigrations(**db);
  if (names) c.migrations = std::move(*names);
  return c;
}

json::object Manifest(std::string_view backend, const std::string& out, const std::string& sha,
                      const Checked& checked) {
  json::array migrations;
  for (const auto& m : checked.migrations) migrations.emplace_back(m);
  const auto& r = checked.report;
  return json::object{
      {"format", "ihos-backup-1"},
      {"backend", backend},
      {"created_at", SystemClock().NowMs()},
      {"file", fs::path(out).filename().string()},
      {"bytes", static_cast<std::int64_t>(fs::file_size(out))},
      {"sha256", sha},
      {"migrations", std::move(migrations)},
      {"audit", json::object{{"rows", r.rows_checked}, {"head_id", r.head_id}, {"head_hash", r.head_hash}}}};
}

int Backup(const std::string& db_path, const std::string& out) {
  if (fs::exists(out)) return Fail(out + " exists: choose a new file name");
  if (!fs::exists(db_path)) return Fail("no database at " + db_path);
  const auto t0 = std::chrono::steady_clock::now();
  // Copied, checked and sealed under a temporary name: `out` appears only whole.
  const std::string tmp = out + ".partial";
  std::error_code ec;
  const auto drop = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(tmp + suffix, ec);
  };
  drop();
  if (auto st = store::sqlite::CopyDatabase(db_path, tmp); !st) {
    drop();
    return Fail(st.error().detail);
  }
  std::string error;
  auto checked = Check(std::string(kSqlite) + tmp, false, 0, error);
  if (!checked) {
    drop();
    return Fail("the copy does not open: " + error);
  }
  const auto& r = checked->report;
  if (r.first_broken_id) {
    drop();
    return Fail("the audit chain is broken at row " + std::to_string(*r.first_broken_id) + " (" + r.problem +
                "): run `ihos audit verify`; no backup written");
  }
  if (auto st = store::sqlite::Seal(tmp); !st) {
    drop();
    return Fail(st.error().detail);
  }
  fs::rename(tmp, out, ec);
  if (ec) {
    drop();
    return Fail("cannot rename the copy to " + out + ": " + ec.message());
  }
  const std::string sha = Sha256OfFile(out);
  if (!WriteWhole(out + ".manifest.json", json::serialize(Manifest("sqlite", out, sha, *checked)) + "\n")) {
    fs::remove(out, ec);
    return Fail("cannot write " + out + ".manifest.json; no backup written");
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "backup written: " << out << " (" << fs::file_size(out) << " bytes, sha256 " << sha << ", " << s
            << " s)\nmanifest: " << out << ".manifest.json\naudit chain head: " << r.head_id << ":" << r.head_hash
            << " (" << r.rows_checked << " rows) — keep this line apart from the backup; "
            << "`ihos restore` checks it\n";
  return 0;
}

// What a restore needs from a backup's manifest (FILE.manifest.json): which backend made it, the
// file's sha256 and the audit chain head published with it. nullopt with `error` set when it is
// missing or not an ihos manifest (never an exception on a malformed file).
struct BackupManifest {
  std::string backend;  // "sqlite" (also when absent: manifests before PostgreSQL backups) or "postgresql"
  std::string sha256;
  std::int64_t head_id = 0;
  std::string head_hash;
};

std::optional<BackupManifest> ReadManifest(const std::string& from, std::string& error) {
  std::ifstream mf(from + ".manifest.json");
  if (!mf) {
    error = "no manifest " + from + ".manifest.json beside the backup";
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(mf)), {});
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  const json::object* m = ec ? nullptr : parsed.if_object();
  const json::value* audit = m ? m->if_contains("audit") : nullptr;
  const json::value* sha = m ? m->if_contains("sha256") : nullptr;
  const json::value* backend = m ? m->if_contains("backend") : nullptr;
  const json::object* a = audit ? audit->if_object() : nullptr;
  const json::value* id = a ? a->if_contains("head_id") : nullptr;
  const json::value* hash = a ? a->if_contains("head_hash") : nullptr;
  if (!sha || !sha->is_string() || !id || !id->is_int64() || !hash || !hash->is_string() ||
      (backend && !backend->is_string())) {
    error = "the manifest is not an ihos backup manifest";
    return std::nullopt;
  }
  return BackupManifest{backend ? std::string(backend->get_string()) : "sqlite", std::string(sha->get_string()),
                  id->get_int64(), std::string(hash->get_string())};
}

// After a restore: the chain of the restored database must be intact and reach the head published
// with the backup, with the same hash (its end was not cut off). 0 when it does, 2 when the data is
// in but the chain is not right, 1 when the restored database does not open.
int JudgeRestore(const std::optional<Checked>& checked, const std::string& error, const BackupManifest& m,
                 const std::string& what) {
  if (!checked) return Fail("the restored database does not open: " + error);
  const auto& r = checked->report;
  if (r.first_broken_id) {
    std::cerr << "ihos: restored, but the audit chain is BROKEN at row " << *r.first_broken_id << ": " << r.problem
              << "\n";
    return 2;
  }
  if (m.head_id > 0 && r.hash_at != m.head_hash) {
    std::cerr << "ihos: restored, but the audit chain "
              << (r.hash_at ? "differs at the published head " : "ends before the published head ") << m.head_id
              << " (it ends at row " << r.head_id << "): truncated or altered\n";
    return 2;
  }
  std::cout << "restored " << what << "; audit chain intact: " << r.rows_checked << " rows, reaching the published head "
            << m.head_id << ":" << m.head_hash << "\n";
  return 0;
}

int Restore(const std::string& db_path, const std::string& from) {
  if (fs::exists(db_path) && fs::file_size(db_path) > 0)
    return Fail(db_path + " exists: a restore goes into a new database (stop ihosd, move the old file away)");
  std::string error;
  const auto manifest = ReadManifest(from, error);
  if (!manifest) return Fail(error);
  if (manifest->backend != "sqlite")
    return Fail("this backup is a PostgreSQL dump: restore it into a postgresql:// database");
  const std::int64_t head_id = manifest->head_id;
  if (Sha256OfFile(from) != manifest->sha256)
    return Fail("the backup file does not match its manifest (sha256): damaged or replaced");
  if (auto st = store::sqlite::CopyDatabase(from, db_path); !st) {
    fs::remove(db_path);
    return Fail(st.error().detail);
  }
  return JudgeRestore(Check(std::string(kSqlite) + db_path, true, head_id, error), error, *manifest,
                      from + " into " + db_path);
}

// PostgreSQL: the audit chain is verified and its head taken first, then pg_dump (custom format)
// writes one consistent snapshot. The chain only grows by appending, so the published head is a
// row the dump holds (later rows may follow it). The dump goes to a temporary name and is renamed
// only once pg_dump succeeded: a failed or interrupted backup leaves no file under `out`.
int BackupPostgres(const std::string& url, const std::string& out) {
  if (fs::exists(out)) return Fail(out + " exists: choose a new file name");
  const auto t0 = std::chrono::steady_clock::now();
  std::string error;
  auto checked = Check(url, false, 0, error);
  if (!checked) return Fail(error);
  const auto& r = checked->report;
  if (r.first_broken_id)
    return Fail("the audit chain is broken at row " + std::to_string(*r.first_broken_id) + " (" + r.problem +
                "): run `ihos audit verify`; no backup written");
  const std::string tmp = out + ".partial";
  std::error_code ec;
  fs::remove(tmp, ec);
  const ToolRun dump =
      RunTool({"pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file=" + tmp}, ConnectionEnv(url));
  if (!dump.started || dump.exit_code != 0) {
    fs::remove(tmp, ec);
    return Fail(Explain("pg_dump", dump) + "; no backup written");
  }
  fs::rename(tmp, out, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Fail("cannot rename the dump to " + out + ": " + ec.message());
  }
  const std::string sha = Sha256OfFile(out);
  if (!WriteWhole(out + ".manifest.json", json::serialize(Manifest("postgresql", out, sha, *checked)) + "\n")) {
    fs::remove(out, ec);
    return Fail("cannot write " + out + ".manifest.json; no backup written");
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "backup written: " << out << " (pg_dump custom format, " << fs::file_size(out) << " bytes, sha256 "
            << sha << ", " << s << " s)\nmanifest: " << out << ".manifest.json\naudit chain head: " << r.head_id << ":"
            << r.head_hash << " (" << r.rows_checked << " rows) — keep this line apart from the backup; "
            << "`ihos restore` checks it\n";
  return 0;
}

// PostgreSQL: into an empty database only (created beforehand with createdb), by pg_restore in
// one transaction, then the schema brought up to date and the chain verified up to the head.
int RestorePostgres(const std::string& url, const std::string& from) {
  std::string error;
  const auto manifest = ReadManifest(from, error);
  if (!manifest) return Fail(error);
  if (manifest->backend != "postgresql")
    return Fail("this backup is not a PostgreSQL dump: restore it into a sqlite: database");
  const std::int64_t head_id = manifest->head_id;
  if (Sha256OfFile(from) != manifest->sha256)
    return Fail("the backup file does not match its manifest (sha256): damaged or replaced");
  {
    auto db = store::Open(url, 1);
    if (!db) return Fail("cannot open " + Redacted(url) + ": " + db.error().detail);
    auto tables = store::UserTableCount(**db);
    if (!tables) return Fail("cannot look into " + Redacted(url) + ": " + tables.error().detail);
    if (*tables != 0)
      return Fail("the database already has tables: a restore goes into a new, empty database (createdb)");
  }
  const ToolRun restore = RunTool({"pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                                   "--single-transaction", "--dbname=", from},
                                  ConnectionEnv(url));
  if (!restore.started || restore.exit_code != 0)
    return Fail(Explain("pg_restore", restore) + "; nothing restored (one transaction)");
  return JudgeRestore(Check(url, true, head_id, error), error, *manifest, from + " into the PostgreSQL database");
}

}  // namespace

bool ParseHead(const std::string& text, std::int64_t& id, std::string& hash) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  auto [p, e] = std::from_chars(text.data(), text.data() + colon, id);
  if (e != std::errc() || p != text.data() + colon || id < 0) return false;
  hash = text.substr(colon + 1);
  return hash.size() == 64 && hash.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void AddBackupCommands(CLI::App& app, BackupCommands& c) {
  c.backup = app.add_subcommand("backup",
                                "copy the live database (ihosd may keep running; SQLite's online backup, or pg_dump "
                                "on PostgreSQL) with a manifest and the audit chain's head");
  c.backup->add_option("--out", c.out, "the backup file to write (must not exist)")->required();
  c.restore = app.add_subcommand("restore",
                                 "restore a backup into a new database (--db: a new SQLite file, or an empty "
                                 "PostgreSQL database via pg_restore), checking the file and the audit chain "
                                 "against its manifest");
  c.restore->add_option("--from", c.from, "the backup file (its .manifest.json beside it)")->required();
}

int RunBackupCommands(const BackupCommands& c, const std::string& db_url) {
  const bool backup = c.backup && c.backup->parsed(), restore = c.restore && c.restore->parsed();
  if (!backup && !restore) return -1;
  // A backup holds every patient's record: its files (the copy, the manifest, pg_dump's output, a
  // restored SQLite file) are the owner's alone, whatever the operator's umask.
  ::umask(0077);
  if (db_url.rfind(kSqlite, 0) != 0) return backup ? BackupPostgres(db_url, c.out) : RestorePostgres(db_url, c.from);
  const std::string path = db_url.substr(kSqlite.size());
  return backup ? Backup(path, c.out) : Restore(path, c.from);
}

}  // namespace ihos::cli
