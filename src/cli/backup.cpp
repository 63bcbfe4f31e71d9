#include "cli/backup.hpp"

#include <openssl/evp.h>

#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/clock.hpp"
#include "domain/audit/audit.hpp"
#include "store/database.hpp"
#include "store/sqlite/backup.hpp"

namespace ihos::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kSqlite = "sqlite:";

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
    error = "cannot open " + url + ": " + db.error().detail;
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

int Backup(const std::string& db_path, const std::string& out) {
  if (fs::exists(out)) return Fail(out + " exists: choose a new file name");
  if (!fs::exists(db_path)) return Fail("no database at " + db_path);
  const auto t0 = std::chrono::steady_clock::now();
  if (auto st = store::sqlite::CopyDatabase(db_path, out); !st) {
    fs::remove(out);
    return Fail(st.error().detail);
  }
  std::string error;
  auto checked = Check(std::string(kSqlite) + out, false, 0, error);
  if (!checked) {
    fs::remove(out);
    return Fail("the copy does not open: " + error);
  }
  const auto& r = checked->report;
  if (r.first_broken_id) {
    fs::remove(out);
    return Fail("the audit chain is broken at row " + std::to_string(*r.first_broken_id) + " (" + r.problem +
                "): run `ihos audit verify`; no backup written");
  }
  if (auto st = store::sqlite::Seal(out); !st) {
    fs::remove(out);
    return Fail(st.error().detail);
  }
  const std::string sha = Sha256OfFile(out);
  json::array migrations;
  for (const auto& m : checked->migrations) migrations.emplace_back(m);
  json::object manifest{
      {"format", "ihos-backup-1"},
      {"backend", "sqlite"},
      {"created_at", SystemClock().NowMs()},
      {"file", fs::path(out).filename().string()},
      {"bytes", static_cast<std::int64_t>(fs::file_size(out))},
      {"sha256", sha},
      {"migrations", std::move(migrations)},
      {"audit", json::object{{"rows", r.rows_checked}, {"head_id", r.head_id}, {"head_hash", r.head_hash}}}};
  std::ofstream(out + ".manifest.json") << json::serialize(manifest) << "\n";
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "backup written: " << out << " (" << fs::file_size(out) << " bytes, sha256 " << sha << ", " << s
            << " s)\nmanifest: " << out << ".manifest.json\naudit chain head: " << r.head_id << ":" << r.head_hash
            << " (" << r.rows_checked << " rows) — keep this line apart from the backup; "
            << "`ihos restore` checks it\n";
  return 0;
}

int Restore(const std::string& db_path, const std::string& from) {
  if (fs::exists(db_path) && fs::file_size(db_path) > 0)
    return Fail(db_path + " exists: a restore goes into a new database (stop ihosd, move the old file away)");
  std::ifstream mf(from + ".manifest.json");
  if (!mf) return Fail("no manifest " + from + ".manifest.json beside the backup");
  std::string text((std::istreambuf_iterator<char>(mf)), {});
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  const json::object* m = parsed.if_object();
  const json::value* audit = m ? m->if_contains("audit") : nullptr;
  if (ec || !m || !audit || !audit->is_object() || !m->if_contains("sha256") || !(*m).at("sha256").is_string())
    return Fail("the manifest is not an ihos backup manifest");
  const auto& a = audit->as_object();
  const std::int64_t head_id = a.at("head_id").to_number<std::int64_t>();
  const std::string head_hash(a.at("head_hash").as_string());
  if (Sha256OfFile(from) != std::string(m->at("sha256").as_string()))
    return Fail("the backup file does not match its manifest (sha256): damaged or replaced");
  if (auto st = store::sqlite::CopyDatabase(from, db_path); !st) {
    fs::remove(db_path);
    return Fail(st.error().detail);
  }
  std::string error;
  auto checked = Check(std::string(kSqlite) + db_path, true, head_id, error);
  if (!checked) return Fail("the restored database does not open: " + error);
  const auto& r = checked->report;
  if (r.first_broken_id) {
    std::cerr << "ihos: restored, but the audit chain is BROKEN at row " << *r.first_broken_id << ": " << r.problem
              << "\n";
    return 2;
  }
  // The chain must reach the published head with the same hash (its end was not cut off).
  if (head_id > 0 && r.hash_at != head_hash) {
    std::cerr << "ihos: restored, but the audit chain "
              << (r.hash_at ? "differs at the published head " : "ends before the published head ") << head_id
              << " (it ends at row " << r.head_id << "): truncated or altered\n";
    return 2;
  }
  std::cout << "restored " << from << " into " << db_path << "; audit chain intact: " << r.rows_checked
            << " rows, reaching the published head " << head_id << ":" << head_hash << "\n";
  return 0;
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
                                "copy the live SQLite database (ihosd may keep running) with a manifest and the "
                                "audit chain's head");
  c.backup->add_option("--out", c.out, "the backup file to write (must not exist)")->required();
  c.restore = app.add_subcommand("restore",
                                 "restore a backup into a new SQLite database (--db), checking the file and the "
                                 "audit chain against its manifest");
  c.restore->add_option("--from", c.from, "the backup file (its .manifest.json beside it)")->required();
}

int RunBackupCommands(const BackupCommands& c, const std::string& db_url) {
  const bool backup = c.backup && c.backup->parsed(), restore = c.restore && c.restore->parsed();
  if (!backup && !restore) return -1;
  if (db_url.rfind(kSqlite, 0) != 0) {
    std::cerr << "ihos: backup and restore here are for SQLite. On PostgreSQL use pg_dump --format=custom (or "
                 "pg_basebackup), publish `ihos audit head`, and after pg_restore run `ihos audit verify "
                 "--expect-head ID:HASH`.\n";
    return 2;
  }
  const std::string path = db_url.substr(kSqlite.size());
  return backup ? Backup(path, c.out) : Restore(path, c.from);
}

}  // namespace ihos::cli
