// ihosd's TLS flags (src/http/tls.hpp): both or neither, existing files; the context refuses a
// certificate it cannot read, naming the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "http/tls.hpp"

namespace ihos::app {
namespace {

ParsedConfig Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "ihosd");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return ParseConfig(static_cast<int>(argv.size()), argv.data());
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& text) {
    path = (std::filesystem::temp_directory_path() /
            ("ihos-tls-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
               .string();
    std::ofstream(path) << text;
  }
  ~TempFile() { std::filesystem::remove(path); }
  static inline int counter = 0;
};

TEST(TlsConfig, BothFlagsOrNeither) {
  TempFile cert("not a certificate"), key("not a key");
  auto none = Parse({});
  ASSERT_EQ(none.exit_code, -1);
  EXPECT_EQ(none.config.tls_cert, "");  // plain HTTP unless asked
  auto both = Parse({"--tls-cert", cert.path, "--tls-key", key.path});
  ASSERT_EQ(both.exit_code, -1);
  EXPECT_EQ(both.config.tls_cert, cert.path);
  EXPECT_EQ(both.config.tls_key, key.path);
  EXPECT_NE(Parse({"--tls-cert", cert.path}).exit_code, -1);
  EXPECT_NE(Parse({"--tls-key", key.path}).exit_code, -1);
  EXPECT_NE(Parse({"--tls-cert", "/nonexistent/cert.pem", "--tls-key", key.path}).exit_code, -1);
}

TEST(TlsConfig, AnUnreadableCertificateStopsTheStartNamingTheFile) {
  TempFile cert("not a certificate"), key("not a key");
  try {
    http::Tls tls(cert.path, key.path);
    FAIL() << "a context was made from a file that is not a certificate";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(cert.path), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ihos::app
