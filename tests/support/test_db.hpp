#pragma once
// Fresh, migrated databases for tests: one per call, on either backend. Thread-safe.
//
//  - SQLite: a new file in a per-process temporary directory, removed when the process exits.
//  - PostgreSQL: a new schema t_<pid>_<counter>_<random> on the server named by the
//    environment variable IHOS_TEST_PG (a libpq URI whose user may create schemas; see
//    scripts/with-postgres.sh). The returned URL adds options=-csearch_path%3D<schema> so every
//    pooled connection works in that schema. Schemas are dropped when the process exits.
//
// With IHOS_TEST_KEEP set in the environment nothing is removed at exit (to inspect a failure).
//
// When IHOS_TEST_PG is unset, FreshDatabase(postgres) and FreshDatabaseUrl(postgres) throw
// std::runtime_error saying so: the test fails, it is never skipped. Any other set-up failure
// (cannot connect, migration fails) throws too.
//
// Note: inside `namespace ihos`, `testing::` names this namespace; write `::testing::` for
// GoogleTest's.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace ihos::testing {

// Every backend, always both: {sqlite, postgres}.
std::vector<store::Backend> Backends();

// "sqlite" or "postgres" (usable as a GoogleTest parameter name).
std::string BackendName(store::Backend b);

// A new, migrated database opened with `pool_size` connections.
std::unique_ptr<store::Database> FreshDatabase(store::Backend b, int pool_size = 4);

// The URL of a new database for a server started as a separate process ("sqlite:/tmp/..."
// or "postgresql://...options=-csearch_path%3D..."). Migrated unless `migrated` is false.
std::string FreshDatabaseUrl(store::Backend b, bool migrated = true);

}  // namespace ihos::testing

namespace ihos::store {
// Lets GoogleTest print a Backend parameter by name (found by ADL).
inline void PrintTo(Backend b, std::ostream* os) { *os << ihos::testing::BackendName(b); }
}  // namespace ihos::store
