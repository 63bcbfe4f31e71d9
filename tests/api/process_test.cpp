// The binaries as an operator runs them: `ihos audit verify` on an intact and a tampered
// database, and ihosd stopping cleanly on SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness.hpp"

namespace ihos::apitest {
namespace api_process_test {

// Runs a shell command; returns {exit code, stdout}.
std::pair<int, std::string> Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  const int st = p ? pclose(p) : -1;
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

const std::string kIhos = IHOS_BINARY_DIR "/ihos";
const std::string kIhosd = IHOS_BINARY_DIR "/ihosd";

TEST(Process, AuditVerifyReportsTheFirstBrokenLink) {
  const std::string url = testing::FreshDatabaseUrl(store::Backend::sqlite);
  const std::string id = MakeIdNumber("19800101");
  auto created = Shell(kIhos + " admin create --db " + url + " --phone 13900001111 --password Admin2026ok" +
                       " --real-name 审计员 --password-hash-profile test --id-number " + id);
  ASSERT_EQ(created.first, 0) << created.second;
  // Three audited reads through the service, then verify.
  {
    auto db = store::Open(url, 1);
    ASSERT_TRUE(db);
    ManualClock clock(1795363200000LL);
    domain::accounts::Config cfg;
    cfg.password_profile = crypto::PasswordProfile::test;
    domain::accounts::AccountService svc(**db, clock, cfg);
    auto pat = svc.Register({MakePhone(), "Health2026ok", "被查者", MakeIdNumber("19900101")}, {"rid", "test"});
    ASSERT_TRUE(pat);
    Principal admin{1, "审计员", {"admin", "patient"}};
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(svc.ReadPatient(admin, pat->id, "复核", {"rid", ""}));
  }
  auto ok = Shell(kIhos + " audit verify --db " + url);
  EXPECT_EQ(ok.first, 0) << ok.second;
  EXPECT_NE(ok.second.find("intact: 3 rows"), std::string::npos) << ok.second;

  // Delete the middle row: the third row's prev_hash no longer matches.
  {
    auto db = store::Open(url, 1);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Transact(store::TxMode::write, [](store::Tx& tx) -> Status {
      auto r = tx.Exec("DELETE FROM audit_log WHERE id = 2");
      if (!r) return r.error();
      return {};
    }));
  }
  auto bad = Shell(kIhos + " audit verify --db " + url);
  EXPECT_EQ(bad.first, 2) << bad.second;
  EXPECT_NE(bad.second.find("BROKEN at audit_log row 3"), std::string::npos) << bad.second;
}

TEST(Process, IhosdStopsCleanlyOnSigterm) {
  const auto dir = std::filesystem::temp_directory_path() / ("ihosd-sigterm-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string port_file = (dir / "port").string();
  const std::string url = testing::FreshDatabaseUrl(store::Backend::sqlite);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string log = (dir / "log").string();
    execl(kIhosd.c_str(), "ihosd", "--db", url.c_str(), "--listen", "127.0.0.1:0", "--port-file", port_file.c_str(),
          "--log-file", log.c_str(), "--web-root", "/nonexistent", static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 100 && !std::filesystem::exists(port_file); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(std::filesystem::exists(port_file)) << "ihosd did not start";
  kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (waitpid(pid, &status, WNOHANG) == 0 && !WIFEXITED(status)) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "ihosd did not stop within 5 s of SIGTERM";
  }
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream log(dir / "log");
  std::string text((std::istreambuf_iterator<char>(log)), {});
  EXPECT_NE(text.find("\"msg\":\"stopped\""), std::string::npos) << text;
  std::filesystem::remove_all(dir);
}

}  // namespace api_process_test
}  // namespace ihos::apitest
