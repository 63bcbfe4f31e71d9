// Backups as an operator takes them: `ihos backup` of a live SQLite database while writes go on,
// `ihos restore` into a new database checking the file and the audit chain against the manifest,
// and `ihos audit verify --expect-head` catching a chain whose end was cut off (both backends);
// the same on PostgreSQL through pg_dump / pg_restore, into a fresh database.
#include <sys/wait.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "domain/audit/audit.hpp"
#include "harness.hpp"

namespace ihos::apitest {
namespace api_backup_test {
namespace fs = std::filesystem;

std::pair<int, std::string> Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  const int st = p ? pclose(p) : -1;
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

const std::string kIhos = IHOS_BINARY_DIR "/ihos";

// Appends `n` audited entries (as a staff read would) through the audit capability.
void Audit(store::Database& db, int n, const std::string& what) {
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(db.Transact(store::TxMode::write, [&](store::Tx& tx) {
      domain::audit::Entry e;
      e.at = 1795363200000LL + i;
      e.actor_id = 1;
      e.actor_role = "doctor";
      e.action = "patient.read";
      e.patient_id = 2;
      e.resource_type = "Patient";
      e.resource_id = "2";
      e.reason = what;
      return domain::audit::Append(tx, e);
    }));
  }
}

// "" when only the owner may read or write `path`, else its permission bits in octal.
std::string OthersCanRead(const std::string& path) {
  const auto p = fs::status(path).permissions();
  const auto others = p & (fs::perms::group_all | fs::perms::others_all);
  if (others == fs::perms::none) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%o", static_cast<unsigned>(p));
  return buf;
}

std::string Head(const std::string& manifest_path) {
  std::ifstream in(manifest_path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto m = boost::json::parse(text).as_object();
  const auto& a = m.at("audit").as_object();
  return std::to_string(a.at("head_id").as_int64()) + ":" + std::string(a.at("head_hash").as_string());
}

std::string PathOf(const std::string& sqlite_url) { return sqlite_url.substr(std::string("sqlite:").size()); }

TEST(Backup, ALiveDatabaseIsCopiedAndRestoredWithItsAuditChain) {
  const std::string url = testing::FreshDatabaseUrl(store::Backend::sqlite);
  auto db = store::Open(url, 2);
  ASSERT_TRUE(db);
  Audit(**db, 20, "复诊");
  const fs::path dir = fs::path(PathOf(url)).parent_path() / ("backup-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string file = (dir / "ihos.backup").string();

  // Writers go on during the backup: the copy is one consistent moment of the database.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) Audit(**db, 1, "写入中");
  });
  auto b = Shell(kIhos + " --db " + url + " backup --out " + file);
  stop = true;
  writer.join();
  ASSERT_EQ(b.first, 0) << b.second;
  EXPECT_NE(b.second.find("audit chain head: "), std::string::npos) << b.second;
  EXPECT_FALSE(fs::exists(file + "-wal")) << "the backup is one self-contained file";
  EXPECT_EQ(OthersCanRead(file), "") << "a backup is readable by its owner only";
  EXPECT_EQ(OthersCanRead(file + ".manifest.json"), "");
  const std::string head = Head(file + ".manifest.json");
  EXPECT_NE(b.second.find(head), std::string::npos) << "the head is printed, to be kept apart: " << b.second;

  // A second backup to the same name is refused (nothing overwritten).
  EXPECT_EQ(Shell(kIhos + " --db " + url + " backup --out " + file).first, 1);

  const std::string restored = "sqlite:" + (dir / "restored.db").string();
  auto r = Shell(kIhos + " --db " + restored + " restore --from " + file);
  ASSERT_EQ(r.first, 0) << r.second;
  EXPECT_NE(r.second.find("reaching the published head " + head), std::string::npos) << r.second;
  auto v = Shell(kIhos + " --db " + restored + " audit verify --expect-head " + head);
  EXPECT_EQ(v.first, 0) << v.second;
  // Never over an existing database.
  EXPECT_EQ(Shell(kIhos + " --db " + restored + " restore --from " + file).first, 1);

  // A damaged backup file is refused before anything is written.
  const std::string damaged = (dir / "damaged.backup").string();
  fs::copy_file(file, damaged);
  fs::copy_file(file + ".manifest.json", damaged + ".manifest.json");
  {
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    f.put('\x5a');
  }
  const std::string target = "sqlite:" + (dir / "from-damaged.db").string();
  auto bad = Shell(kIhos + " --db " + target + " restore --from " + damaged);
  EXPECT_EQ(bad.first, 1) << bad.second;
  EXPECT_NE(bad.second.find("does not match its manifest"), std::string::npos) << bad.second;
  EXPECT_FALSE(fs::exists(dir / "from-damaged.db"));

  // A manifest whose audit head is missing or of the wrong type is refused with a message (no crash).
  const std::string odd = (dir / "odd.backup").string();
  fs::copy_file(file, odd);
  std::ofstream(odd + ".manifest.json") << R"({"sha256":"x","audit":{"head_id":"7","head_hash":3}})";
  auto o = Shell(kIhos + " --db sqlite:" + (dir / "from-odd.db").string() + " restore --from " + odd);
  EXPECT_EQ(o.first, 1) << o.second;
  EXPECT_NE(o.second.find("not an ihos backup manifest"), std::string::npos) << o.second;
  EXPECT_FALSE(fs::exists(dir / "from-odd.db"));
  fs::remove_all(dir);
}

// PostgreSQL databases of their own (not the schemas other tests use): pg_dump takes a whole
// database, and a restore goes into a fresh one.
std::string PgDatabaseUrl(const std::string& name) {
  const char* base = std::getenv("IHOS_TEST_PG");
  if (base == nullptr || *base == '\0')
    throw std::runtime_error("IHOS_TEST_PG is not set: run under scripts/with-postgres.sh");
  const std::string b(base);
  return b.substr(0, b.rfind('/') + 1) + name;
}
int Psql(const std::string& sql) {
  return Shell("psql -X -q -v ON_ERROR_STOP=1 -d '" + std::string(std::getenv("IHOS_TEST_PG")) + "' -c \"" + sql + "\"")
      .first;
}

TEST(BackupPostgres, ALiveDatabaseIsDumpedAndRestoredIntoAFreshOneWithItsAuditChain) {
  const std::string tag = std::to_string(::getpid());
  const std::string src_name = "backup_src_" + tag, dst_name = "backup_dst_" + tag;
  const std::string src = PgDatabaseUrl(src_name), dst = PgDatabaseUrl(dst_name);
  Psql("DROP DATABASE IF EXISTS " + src_name + " WITH (FORCE)");
  Psql("DROP DATABASE IF EXISTS " + dst_name + " WITH (FORCE)");
  ASSERT_EQ(Psql("CREATE DATABASE " + src_name), 0);
  ASSERT_EQ(Psql("CREATE DATABASE " + dst_name), 0);
  const fs::path dir = fs::temp_directory_path() / ("ihos-pg-backup-" + tag);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string file = (dir / "ihos.dump").string();
  {
    auto db = store::Open(src, 2);
    ASSERT_TRUE(db);
    ASSERT_TRUE(store::Migrate(**db));
    Audit(**db, 20, "复诊");

    // Writers go on during the backup.
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      while (!stop) Audit(**db, 1, "写入中");
    });
    auto b = Shell(kIhos + " --db '" + src + "' backup --out " + file);
    stop = true;
    writer.join();
    ASSERT_EQ(b.first, 0) << b.second;
    EXPECT_NE(b.second.find("pg_dump custom format"), std::string::npos) << b.second;
    const std::string head = Head(file + ".manifest.json");
    EXPECT_NE(b.second.find("audit chain head: " + head), std::string::npos) << b.second;
    EXPECT_FALSE(fs::exists(file + ".partial"));
    EXPECT_EQ(OthersCanRead(file), "") << "a backup is readable by its owner only";
    EXPECT_EQ(OthersCanRead(file + ".manifest.json"), "");
    EXPECT_EQ(Shell(kIhos + " --db '" + src + "' backup --out " + file).first, 1) << "never over a backup";

    // Into the fresh database: the chain reaches the published head, and audit verify agrees.
    auto r = Shell(kIhos + " --db '" + dst + "' restore --from " + file);
    ASSERT_EQ(r.first, 0) << r.second;
    EXPECT_NE(r.second.find("reaching the published head " + head), std::string::npos) << r.second;
    auto v = Shell(kIhos + " audit verify --db '" + dst + "' --expect-head " + head);
    EXPECT_EQ(v.first, 0) << v.second;
    auto again = Shell(kIhos + " --db '" + dst + "' restore --from " + file);
    EXPECT_EQ(again.first, 1) << "never into a database that has tables: " << again.second;
    EXPECT_NE(again.second.find("empty database"), std::string::npos) << again.second;

    // The restored chain's end cut off: an intact-looking chain, caught by the published head.
    auto restored = store::Open(dst, 1);
    ASSERT_TRUE(restored);
    const std::int64_t head_id = std::stoll(head.substr(0, head.find(':')));
    ASSERT_TRUE((*restored)->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      auto d = tx.Exec("DELETE FROM audit_log WHERE id >= " + std::to_string(head_id - 2));
      if (!d) return d.error();
      return {};
    }));
    EXPECT_EQ(Shell(kIhos + " audit verify --db '" + dst + "'").first, 0);
    auto cut = Shell(kIhos + " audit verify --db '" + dst + "' --expect-head " + head);
    EXPECT_EQ(cut.first, 3) << cut.second;
    EXPECT_NE(cut.second.find("cut off"), std::string::npos) << cut.second;

    // No pg_dump on PATH: a clear error, and no file.
    const std::string none = (dir / "none.dump").string();
    auto missing = Shell("PATH=/nonexistent " + kIhos + " --db '" + src + "' backup --out " + none);
    EXPECT_EQ(missing.first, 1) << missing.second;
    EXPECT_NE(missing.second.find("pg_dump could not be run"), std::string::npos) << missing.second;
    EXPECT_NE(missing.second.find("postgresql-client"), std::string::npos) << missing.second;
    EXPECT_FALSE(fs::exists(none));
    EXPECT_FALSE(fs::exists(none + ".partial"));

    // A pg_dump that fails half way: its exit code and message, and no half-written backup.
    const fs::path bin = dir / "bin";
    fs::create_directories(bin);
    {
      std::ofstream fake(bin / "pg_dump");
      fake << "#!/bin/sh\nfor a; do case $a in --file=*) f=${a#--file=};; esac; done\n"
              "echo half > \"$f\"\necho 'pg_dump: error: connection to server lost' >&2\nexit 7\n";
    }
    fs::permissions(bin / "pg_dump", fs::perms::owner_all);
    const std::string half = (dir / "half.dump").string();
    auto failed =
        Shell("PATH=" + bin.string() + ":/usr/bin:/bin " + kIhos + " --db '" + src + "' backup --out " + half);
    EXPECT_EQ(failed.first, 1) << failed.second;
    EXPECT_NE(failed.second.find("pg_dump failed with exit code 7: pg_dump: error: connection to server lost"),
              std::string::npos)
        << failed.second;
    EXPECT_FALSE(fs::exists(half));
    EXPECT_FALSE(fs::exists(half + ".partial"));
    EXPECT_FALSE(fs::exists(half + ".manifest.json"));
  }
  Psql("DROP DATABASE IF EXISTS " + src_name + " WITH (FORCE)");
  Psql("DROP DATABASE IF EXISTS " + dst_name + " WITH (FORCE)");
  fs::remove_all(dir);
}

class AuditHeadTest : public ::testing::TestWithParam<store::Backend> {};

TEST_P(AuditHeadTest, VerifyWithThePublishedHeadCatchesACutOffEnd) {
  const std::string url = testing::FreshDatabaseUrl(GetParam());
  auto db = store::Open(url, 1);
  ASSERT_TRUE(db);
  Audit(**db, 5, "复诊");
  auto first = Shell(kIhos + " audit verify --db '" + url + "'");
  ASSERT_EQ(first.first, 0) << first.second;
  const auto at = first.second.find("head ");
  ASSERT_NE(at, std::string::npos) << first.second;
  const std::string head = first.second.substr(at + 5, first.second.find('\n', at) - at - 5);
  Audit(**db, 2, "之后");  // the chain grows: the published row is still there
  EXPECT_EQ(Shell(kIhos + " audit verify --db '" + url + "' --expect-head " + head).first, 0);

  // The end is cut off (the last four rows, the published one among them): every remaining link
  // is intact, so only the published head shows it.
  ASSERT_TRUE((*db)->Transact(store::TxMode::write, [](store::Tx& tx) -> Status {
    auto r = tx.Exec("DELETE FROM audit_log WHERE id >= 4");
    if (!r) return r.error();
    return {};
  }));
  auto plain = Shell(kIhos + " audit verify --db '" + url + "'");
  EXPECT_EQ(plain.first, 0) << "a cut-off end leaves an intact chain: " << plain.second;
  auto cut = Shell(kIhos + " audit verify --db '" + url + "' --expect-head " + head);
  EXPECT_EQ(cut.first, 3) << cut.second;
  EXPECT_NE(cut.second.find("cut off"), std::string::npos) << cut.second;
  EXPECT_EQ(Shell(kIhos + " audit verify --db '" + url + "' --expect-head 5:nothex").first, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditHeadTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& i) { return testing::BackendName(i.param); });

}  // namespace api_backup_test
}  // namespace ihos::apitest
