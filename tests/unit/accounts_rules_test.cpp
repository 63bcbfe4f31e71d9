#include <gtest/gtest.h>

#include "domain/accounts/rules.hpp"

namespace ihos::domain::accounts {
namespace {

TEST(AccountRules, Phone) {
  EXPECT_EQ(CheckPhone("13812345678"), "");
  EXPECT_EQ(CheckPhone("12812345678"), "phone_format");
  EXPECT_EQ(CheckPhone("1381234567"), "phone_format");
  EXPECT_EQ(CheckPhone("1381234567a"), "phone_format");
}

TEST(AccountRules, PasswordStrength) {
  EXPECT_EQ(CheckPassword("Health2026", "13812345678", "11010519491231002X"), "");
  EXPECT_EQ(CheckPassword("short1a", "", ""), "password_weak");
  EXPECT_EQ(CheckPassword("onlyletters", "", ""), "password_weak");
  EXPECT_EQ(CheckPassword("1234567890", "", ""), "password_weak");
  EXPECT_EQ(CheckPassword("Password123", "", ""), "password_weak");
  EXPECT_EQ(CheckPassword("a13812345678", "13812345678", ""), "password_weak");
  EXPECT_EQ(CheckPassword("x91231002x", "", "11010519491231002X"), "password_weak");
}

TEST(AccountRules, RealName) {
  EXPECT_EQ(CheckRealName("王芳"), "");
  EXPECT_EQ(CheckRealName("买买提·艾力"), "");
  EXPECT_EQ(CheckRealName("John Smith"), "");
  EXPECT_EQ(CheckRealName("王"), "name_format");
  EXPECT_EQ(CheckRealName("王芳1"), "name_format");
  EXPECT_EQ(CheckRealName("王芳！"), "name_format");
  EXPECT_EQ(CheckRealName("Robert'); DROP TABLE users;--"), "name_format");
}

}  // namespace
}  // namespace ihos::domain::accounts
