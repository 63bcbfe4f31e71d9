#pragma once
// Pieces of `ihos seed-demo`. Every demo name starts with 演示 (RULES: demo data is labelled).
#include <string>

#include "core/error.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "store/database.hpp"

namespace ihos::cli {

// A valid demo ID number: region 110105, the birth date, the sequence, the computed check char.
std::string DemoIdNumber(const std::string& yyyymmdd, const std::string& seq);
// Prints "ihos: code [field: code] (detail)" to stderr.
void PrintError(const Error& e);

// Demo hospitals and doctors (the existing demo doctor 13800000003 among them) and one pending
// application. Idempotent. Returns a process exit code.
int SeedDemoDirectory(store::Database& db, domain::accounts::AccountService& accounts, const Principal& admin,
                      const std::string& password);

}  // namespace ihos::cli
