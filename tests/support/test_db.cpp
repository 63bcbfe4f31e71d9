#include "support/test_db.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <stdexcept>
#include <system_error>

namespace ihos::testing {

namespace {

using store::Backend;

bool KeepArtifacts() { return std::getenv("IHOS_TEST_KEEP") != nullptr; }

std::string Describe(const Error& e) { return std::string(ErrcName(e.errc)) + " " + e.code + ": " + e.detail; }

std::atomic<int> g_counter{0};

// The per-process directory of SQLite files; removed at exit.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl =
        std::string(base && *base ? base : "/tmp") + "/ihos-test-" + std::to_string(::getpid()) + "-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary directory from " + tmpl);
    }
    path_ = tmpl;
  }
  ~TempDir() {
    if (KeepArtifacts()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const std::string& SqliteDir() {
  static TempDir dir;
  return dir.path();
}

std::string SqliteUrl() { return "sqlite:" + SqliteDir() + "/db-" + std::to_string(g_counter++) + ".sqlite"; }

const char* PgBaseUrl() {
  const char* url = std::getenv("IHOS_TEST_PG");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "IHOS_TEST_PG is not set, so the PostgreSQL variant of this test cannot run (it fails "
        "rather than skips). Run the tests under scripts/with-postgres.sh, e.g. "
        "`scripts/with-postgres.sh build/store_tests`, or set IHOS_TEST_PG to a "
        "postgresql:// URI whose user may create schemas.");
  }
  return url;
}

// One connection to IHOS_TEST_PG that creates test schemas and drops them at exit.
class PgSchemas {
 public:
  explicit PgSchemas(std::string base) : base_(std::move(base)) {
    auto db = store::Open(base_, 1);
    if (!db) {
      throw std::runtime_error("cannot connect to IHOS_TEST_PG: " + Describe(db.error()));
    }
    admin_ = std::move(*db);
  }

  ~PgSchemas() {
    if (KeepArtifacts()) return;
    std::lock_guard lock(mu_);
    for (const std::string& s : schemas_) {
      // Best effort: a lock timeout keeps a still-connected straggler from hanging the exit.
      (void)admin_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
        if (auto r = tx.Exec("SET LOCAL lock_timeout = '2s'"); !r) return r.error();
        if (auto r = tx.Exec("DROP SCHEMA IF EXISTS " + s + " CASCADE"); !r) return r.error();
        return {};
      });
    }
  }

  // A new schema and the URL that selects it.
  std::string Create() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const std::string schema = "t_" + std::to_string(::getpid()) + "_" + std::to_string(g_counter++) + "_" +
                               std::to_string(rng() % 1'000'000'000);
    auto st = admin_->Transact(store::TxMode::write, [&](store::Tx& tx) -> Status {
      if (auto r = tx.Exec("CREATE SCHEMA " + schema); !r) return r.error();
      return {};
    });
    if (!st) throw std::runtime_error("cannot create schema " + schema + ": " + Describe(st.error()));
    {
      std::lock_guard lock(mu_);
      schemas_.push_back(schema);
    }
    const char sep = base_.find('?') == std::string::npos ? '?' : '&';
    return base_ + sep + "options=-csearch_path%3D" + schema;
  }

 private:
  std::string base_;
  std::unique_ptr<store::Database> admin_;
  std::mutex mu_;
  std::vector<std::string> schemas_;
};

PgSchemas& Schemas() {
  static PgSchemas schemas(PgBaseUrl());
  return schemas;
}

std::string NewUrl(Backend b) {
  switch (b) {
    case Backend::sqlite:
      return SqliteUrl();
    case Backend::postgres:
      PgBaseUrl();  // throws the clear message before anything else is tried
      return Schemas().Create();
  }
  throw std::logic_error("unknown backend");
}

std::unique_ptr<store::Database> OpenMigrated(const std::string& url, int pool_size) {
  auto db = store::Open(url, pool_size);
  if (!db) throw std::runtime_error("cannot open test database: " + Describe(db.error()));
  auto applied = store::Migrate(**db);
  if (!applied) throw std::runtime_error("cannot migrate test database: " + Describe(applied.error()));
  return std::move(*db);
}

}  // namespace

std::vector<Backend> Backends() { return {Backend::sqlite, Backend::postgres}; }

std::string BackendName(Backend b) {
  switch (b) {
    case Backend::sqlite:
      return "sqlite";
    case Backend::postgres:
      return "postgres";
  }
  return "unknown";
}

std::unique_ptr<store::Database> FreshDatabase(Backend b, int pool_size) { return OpenMigrated(NewUrl(b), pool_size); }

std::string FreshDatabaseUrl(Backend b, bool migrated) {
  std::string url = NewUrl(b);
  if (migrated) OpenMigrated(url, 1);
  return url;
}

}  // namespace ihos::testing
