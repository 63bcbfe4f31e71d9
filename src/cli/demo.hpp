#pragma once
// Pieces of `ihos seed-demo`. Every demo name starts with 演示 (RULES: demo data is labelled).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/principal.hpp"
#include "domain/accounts/service.hpp"
#include "store/database.hpp"

namespace ihos::cli {

// A valid demo ID number: region 110105, the birth date, the sequence, the computed check char.
std::string DemoIdNumber(const std::string& yyyymmdd, const std::string& seq);
// Prints "ihos: code [field: code] (detail)" to stderr.
void PrintError(const Error& e);

// A real, decodable PNG placeholder card (coloured band, diagonal stripe): visibly not a real
// document, for demo certificates and demo proofs of an offline diagnosis.
std::string PlaceholderPng(std::uint32_t rgb);

// The demo account with this phone as a Principal with `roles`; nullopt when absent.
std::optional<Principal> DemoPrincipal(store::Database& db, const std::string& phone, std::vector<std::string> roles);

// Demo hospitals and doctors (the existing demo doctor 13800000003 among them) and one pending
// application. Idempotent. Returns a process exit code.
int SeedDemoDirectory(store::Database& db, domain::accounts::AccountService& accounts, const Principal& admin,
                      const std::string& password);

// The demo patient insured, with a demo policy for the region. Idempotent. Returns an exit code.
int SeedDemoBilling(store::Database& db, domain::accounts::AccountService& accounts);

}  // namespace ihos::cli
