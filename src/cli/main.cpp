// ihos: the admin command line. migrate, admin create, audit verify, seed-demo.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/backup.hpp"
#include "cli/demo.hpp"
#include "cli/drugs.hpp"
#include "cli/icd10.hpp"  // ICD-10 catalogue
#include "cli/triage.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/resident_id.hpp"
#include "domain/accounts/rules.hpp"
#include "domain/accounts/service.hpp"
#include "domain/audit/audit.hpp"
#include "domain/healthcode/service.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace ihos::cli {

void PrintError(const Error& e) {
  std::cerr << "ihos: " << e.code;
  for (const auto& f : e.fields) std::cerr << " [" << f.field << ": " << f.code << "]";
  if (!e.detail.empty()) std::cerr << " (" << e.detail << ")";
  std::cerr << "\n";
}

std::string DemoIdNumber(const std::string& yyyymmdd, const std::string& seq) {
  const std::string first17 = "110105" + yyyymmdd + seq;
  return first17 + ResidentIdCheckChar(first17);
}

int SeedHealthCodeDemo(store::Database& db);     // healthcode_demo.cpp
int SeedConsultationDemo(store::Database& db);   // demo_consultation.cpp
int SeedTestsHomecareDemo(store::Database& db);  // tests_homecare_demo.cpp
int SeedPrescriptionDemo(store::Database& db);   // demo_prescriptions.cpp
int SeedPharmacyDemo(store::Database& db);       // demo_pharmacy.cpp
int SeedNeedsDemo(store::Database& db);          // demo_needs.cpp (after the demo pharmacies)
}  // namespace ihos::cli

namespace {

using namespace ihos;

std::unique_ptr<store::Database> OpenOrDie(const std::string& url) {
  auto db = store::Open(url, 2);
  if (!db) {
    std::cerr << "ihos: cannot open " << url << ": " << db.error().code << " " << db.error().detail << "\n";
    std::exit(1);
  }
  auto applied = store::Migrate(**db);
  if (!applied) {
    std::cerr << "ihos: migration failed: " << applied.error().code << " " << applied.error().detail << "\n";
    std::exit(1);
  }
  for (const auto& m : *applied) std::cout << "applied migration " << m << "\n";
  return std::move(*db);
}

using cli::DemoIdNumber;
using cli::PrintError;

struct DemoAccount {
  const char* phone;
  const char* name;
  const char* birth;
  const char* seq;
  const char* role;
};

int SeedDemo(store::Database& db) {
  SystemClock clock;
  domain::accounts::AccountService svc(db, clock, {});
  const std::string password = "Demo2026ihos";
  const DemoAccount accounts[] = {
      {"13800000001", "演示·管理员", "19800101", "011", "admin"},
      {"13800000002", "演示·王芳", "19850312", "022", "patient"},
      {"13800000003", "演示·李医生", "19780620", "031", "doctor"},
      {"13800000004", "演示·赵药师", "19820915", "042", "pharmacist"},
      {"13800000030", "演示·陈店员", "19900418", "301", "pharmacy_staff"},  // pharmacy console (demo pharmacy)
  };
  std::optional<Principal> admin;
  std::cout << "Demo logins (演示账号, password " << password << "):\n";
  for (const auto& a : accounts) {
    domain::accounts::RegisterInput in{a.phone, password, a.name, DemoIdNumber(a.birth, a.seq), std::nullopt};
    auto u = std::string(a.role) == "admin" ? svc.CreateAdmin(in) : svc.Register(in, RequestMeta{"seed-demo", "cli"});
    std::int64_t id = 0;
    if (!u && u.error().code != "id_number_taken" && u.error().code != "phone_taken") {
      PrintError(u.error());
      return 1;
    }
    if (u) {
      id = u->id;
      if (std::string(a.role) == "admin") admin = Principal{u->id, u->real_name, u->roles};
      // The doctor and the pharmacist get their roles from the credential review the demo
      // directory (an approved application) and demo prescriptions (the registration) seed.
      if (std::string(a.role) != "admin" && std::string(a.role) != "patient" && admin &&
          !domain::accounts::RoleNeedsCredentialReview(a.role)) {
        auto g = svc.GrantRole(*admin, id, a.role, RequestMeta{"seed-demo", ""});
        if (!g) {
          PrintError(g.error());
          return 1;
        }
      }
    }
    std::cout << "  " << a.role << "\t" << a.phone << "\t" << a.name << (u ? "" : " (already present)") << "\n";
  }
  // The demo patient is guardian of a demo child.
  auto login = svc.Login("13800000002", password, RequestMeta{"seed-demo", "seed"});
  if (login) {
    Principal guardian{login->user.id, login->user.real_name, login->user.roles};
    auto d = svc.AddDependent(guardian, {"演示·王小明", DemoIdNumber("20180705", "053"), "parent"},
                              RequestMeta{"seed-demo", ""});
    if (!d && d.error().code != "id_number_taken" && d.error().code != "already_guardian" &&
        d.error().code != "dependent_exists") {
      PrintError(d.error());
      return 1;
    }
    (void)svc.Logout(login->token);
  }
  if (admin) {
    if (int rc = cli::SeedDemoDirectory(db, svc, *admin, password); rc != 0) return rc;
  }
  if (int rc = cli::SeedDemoBilling(db, svc); rc != 0) return rc;
  auto st =
      db.Transact(store::TxMode::write, [](store::Tx& tx) -> Status { return store::WriteMeta(tx, "demo", "1"); });
  if (!st) {
    PrintError(st.error());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ihos::crypto::SodiumInit();
  ihos::log::Init("warn");
  CLI::App cli{"ihos — administration of an ihos installation"};
  cli.require_subcommand(1);
  cli.fallthrough();  // `ihos admin create --db X ...` and `ihos --db X admin create ...` both work
  std::string db_url = "sqlite:var/ihos.db";
  cli.add_option("--db", db_url, "database: sqlite:PATH or postgresql://...")
      ->envname("IHOS_DB")
      ->capture_default_str();

  auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations");

  auto* admin = cli.add_subcommand("admin", "administrators")->require_subcommand(1);
  auto* create = admin->add_subcommand("create", "create the first admin (or make an account admin)");
  ihos::domain::accounts::RegisterInput in;
  std::string profile = "interactive";
  create->add_option("--phone", in.phone)->required();
  create->add_option("--password", in.password)->required()->envname("IHOS_ADMIN_PASSWORD");
  create->add_option("--real-name", in.real_name)->required();
  create->add_option("--id-number", in.id_number)->required();
  create->add_option("--password-hash-profile", profile)->check(CLI::IsMember({"interactive", "moderate", "test"}));

  auto* audit = cli.add_subcommand("audit", "the audit trail")->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "check the hash chain; report the first broken link");
  std::string expect_head;
  verify->add_option("--expect-head", expect_head,
                     "ID:HASH published earlier (by `ihos backup` or `ihos audit verify`): the chain must still "
                     "contain that row with that hash (its end was not cut off)");
  ihos::cli::BackupCommands backup;
  ihos::cli::AddBackupCommands(cli, backup);

  auto* seed = cli.add_subcommand("seed-demo", "load labelled demo accounts (演示数据) and mark the install as demo");

  // triage (AI self-check): needs no database
  const auto triage = ihos::cli::AddTriageCommands(cli);
  // Health code
  auto* keys = cli.add_subcommand("keys", "health-card signing keys")->require_subcommand(1);
  auto* rotate = keys->add_subcommand("rotate",
                                      "retire the signing key and make a new one (old public keys stay "
                                      "published until their cards expire; ihosd picks it up within 30 s)");
  std::string kek = ihos::domain::healthcode::kDevKek;
  rotate->add_option("--healthcode-kek", kek, "passphrase of the key-encryption key")->envname("IHOS_HEALTHCODE_KEK");

  // ICD-10 catalogue
  ihos::cli::Icd10Commands icd10;
  ihos::cli::AddIcd10Commands(cli, icd10);
  ihos::cli::DrugsCommands drugs;
  ihos::cli::AddDrugsCommands(cli, drugs);

  CLI11_PARSE(cli, argc, argv);

  if (const int rc = ihos::cli::RunTriageCommands(triage); rc >= 0) return rc;

  if (const int rc = ihos::cli::RunBackupCommands(backup, db_url); rc >= 0) return rc;
  std::int64_t expect_id = 0;
  std::string expect_hash;
  if (!expect_head.empty() && !ihos::cli::ParseHead(expect_head, expect_id, expect_hash)) {
    std::cerr << "ihos: --expect-head wants ID:HASH (64 hex digits)\n";
    return 1;
  }
  auto db = OpenOrDie(db_url);
  if (const int rc = ihos::cli::RunIcd10Commands(icd10, *db); rc >= 0) return rc;  // ICD-10 catalogue
  if (const int rc = ihos::cli::RunDrugsCommands(drugs, *db); rc >= 0) return rc;
  if (migrate->parsed()) {
    std::cout << "database is up to date\n";
    return 0;
  }
  if (create->parsed()) {
    ihos::SystemClock clock;
    ihos::domain::accounts::Config cfg;
    if (profile == "test") cfg.password_profile = ihos::crypto::PasswordProfile::test;
    if (profile == "moderate") cfg.password_profile = ihos::crypto::PasswordProfile::moderate;
    ihos::domain::accounts::AccountService svc(*db, clock, cfg);
    auto u = svc.CreateAdmin(in);
    if (!u) {
      PrintError(u.error());
      return 1;
    }
    std::cout << "admin ready: user " << u->id << "\n";
    return 0;
  }
  if (verify->parsed()) {
    auto r = ihos::domain::audit::Verify(*db, expect_id);
    if (!r) {
      PrintError(r.error());
      return 1;
    }
    if (r->first_broken_id) {
      std::cout << "BROKEN at audit_log row " << *r->first_broken_id << ": " << r->problem << " (" << r->rows_checked
                << " rows checked)\n";
      return 2;
    }
    std::cout << "audit chain intact: " << r->rows_checked << " rows; head " << r->head_id << ":" << r->head_hash
              << "\n";
    if (expect_id > 0 && r->hash_at != expect_hash) {
      std::cout << "NOT the published chain: row " << expect_id
                << (r->hash_at ? " has another hash" : " is missing (the end was cut off)") << "\n";
      return 3;
    }
    return 0;
  }
  if (seed->parsed()) {
    int rc = SeedDemo(*db);
    if (rc == 0) rc = ihos::cli::SeedHealthCodeDemo(*db);     // Health code
    if (rc == 0) rc = ihos::cli::SeedTestsHomecareDemo(*db);  // Tests and home services
    if (rc == 0) rc = ihos::cli::SeedConsultationDemo(*db);   // Online consultation
    if (rc == 0) rc = ihos::cli::SeedPrescriptionDemo(*db);
    if (rc == 0) rc = ihos::cli::SeedPharmacyDemo(*db);  // demo pharmacies and stock (after the formulary)
    if (rc == 0) rc = ihos::cli::SeedNeedsDemo(*db);  // chronic-medicine need registry
    return rc;
  }
  // Health code
  if (rotate->parsed()) {
    auto kid = ihos::domain::healthcode::HealthCodeService::RotateKey(*db, kek, ihos::SystemClock().NowMs());
    if (!kid) {
      PrintError(kid.error());
      return 1;
    }
    std::cout << "new signing key: " << *kid << "\n";
    return 0;
  }
  return 0;
}
