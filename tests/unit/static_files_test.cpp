// The web app's documents carry the security headers a browser enforces; assets and API replies
// are not blocked by them.
#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace ihos::http {
namespace {

std::string Header(const Reply& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ihos-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(dir_ / "assets");
    std::ofstream(dir_ / "index.html") << "<!doctype html><script type=\"module\" src=\"/assets/a.js\"></script>";
    std::ofstream(dir_ / "assets" / "a.js") << "console.log(1)";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(StaticFilesTest, PagesForbidInlineScriptAndFraming) {
  StaticFiles files(dir_.string());
  for (const char* path : {"/", "/index.html", "/gate", "/pay/demo/IHOS1"}) {
    auto r = files.Get(path);
    ASSERT_TRUE(r) << path;
    const std::string csp = Header(*r, "Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << path << ": " << csp;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("script-src 'self' 'unsafe-inline'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("object-src blob:;"), std::string::npos) << "plugins only for an uploaded PDF: " << csp;
    EXPECT_EQ(Header(*r, "X-Frame-Options"), "DENY");
    EXPECT_EQ(Header(*r, "Referrer-Policy"), "no-referrer");
    const std::string perm = Header(*r, "Permissions-Policy");
    EXPECT_NE(perm.find("payment=()"), std::string::npos) << perm;
  }
}

TEST_F(StaticFilesTest, OnlyTheScannerPagesMayUseTheCamera) {
  StaticFiles files(dir_.string());
  for (const char* path : {"/gate", "/gate/", "/pharmacy/orders"}) {
    auto r = files.Get(path);
    ASSERT_TRUE(r) << path;
    const std::string perm = Header(*r, "Permissions-Policy");
    EXPECT_EQ(perm.rfind("camera=(self), ", 0), 0u) << path << ": " << perm;
    EXPECT_NE(perm.find("microphone=(self)"), std::string::npos) << perm;
  }
  for (const char* path : {"/", "/index.html", "/me", "/consult/12", "/gate/x", "/gates", "/pharmacy/orders2",
                           "/pharmacy", "/pay/demo/IHOS1"}) {
    auto r = files.Get(path);
    ASSERT_TRUE(r) << path;
    const std::string perm = Header(*r, "Permissions-Policy");
    EXPECT_EQ(perm.rfind("camera=(), ", 0), 0u) << path << ": " << perm;
    EXPECT_EQ(perm.find("camera=(self)"), std::string::npos) << path << ": " << perm;
    EXPECT_NE(perm.find("microphone=(self)"), std::string::npos) << perm;
  }
  EXPECT_EQ(Header(*files.Get("/assets/a.js"), "Permissions-Policy"), "") << "assets carry no page policy";
}

TEST_F(StaticFilesTest, AssetsAreCachedAndNotGivenAPagePolicy) {
  StaticFiles files(dir_.string());
  auto r = files.Get("/assets/a.js");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(*r, "Content-Security-Policy"), "");
  EXPECT_EQ(Header(*r, "Referrer-Policy"), "no-referrer");
  EXPECT_NE(Header(*r, "Cache-Control").find("immutable"), std::string::npos);
  EXPECT_FALSE(files.Get("/assets/missing.js"));
  EXPECT_FALSE(files.Get("/../etc/passwd"));
}

}  // namespace
}  // namespace ihos::http
