#pragma once
// Set-up shared by the needs API tests (defined in needs_api_test.cpp): a drug's formulary line and
// a pharmacy with stock and a counter staff member, made through the services' own set-up methods.
#include <cstdint>
#include <string>

#include "harness.hpp"

namespace ihos::apitest::needstest {

struct PharmacyFixture {
  std::int64_t pharmacy_id = 0;
  TestServer::Account staff;
};
// A formulary line of a drug made for the test. Returns the formulary item id.
std::int64_t InsertFormularyItem(store::Database& db, const std::string& name, const std::string& strength);
// A pharmacy at (lat_e6, lon_e6) holding `boxes` of the item, with `staff` on its counter.
PharmacyFixture MakePharmacy(TestServer& s, const TestServer::Account& admin, const TestServer::Account& staff,
                             const std::string& name, std::int64_t lat_e6, std::int64_t lon_e6, std::int64_t item,
                             std::int64_t boxes);
// What the pharmacy can still sell of the item (unexpired on hand minus reservations).
std::int64_t Available(TestServer& s, const PharmacyFixture& ph, std::int64_t item);

}  // namespace ihos::apitest::needstest
