#pragma once
// The PostgreSQL backend of store::Database (libpq, PostgreSQL 15).
//
// Up to `pool_size` connections from one libpq URI, opened lazily (client_encoding UTF8,
// connect_timeout 5 s unless the URI says otherwise). Statements run through PQexecParams:
// parameters go as text with no declared type (the server infers each from its context, see
// Tx in store/database.hpp), results come back converted by column type: int2/int4/int8 ->
// int64, float4/float8 -> double, numeric -> int64 when integral and in range else double,
// bool -> int64 0/1, NULL -> nullptr, anything else -> text.
//
// Read transactions are BEGIN READ ONLY, write transactions BEGIN (READ COMMITTED).
// Tx::LockChain(name) takes pg_advisory_xact_lock(hashtext(name)) when current_schema() (the
// first existing schema on the search path, looked up at each call) is public or NULL, and
// hashtext(schema || '/' || name) otherwise: chains in two schemas do not exclude each other.
// Errors: SQLSTATE 23505 -> conflict "unique_violation", 23503 -> "foreign_key_violation",
// 23514/23502 -> "check_violation"; a lost connection (CONNECTION_BAD, class 08 but 08P01), 40001,
// 40P01, 57P0x and class 53 -> unavailable "database_unavailable"; anything else internal
// "database_error". A connection found broken is closed rather than pooled, and the next
// Transact opens a new one (a broken idle connection found at BEGIN is replaced at once).
#include <memory>
#include <string>

#include "store/database.hpp"

namespace ihos::store::postgres {

// Opens the pool for `uri` ("postgresql://..." or "postgres://...") and makes the first
// connection now. Errors: invalid_argument "database_url_invalid" when libpq cannot parse the
// URI; unavailable "database_unavailable" when the server cannot be reached.
Result<std::unique_ptr<Database>> OpenDatabase(std::string uri, int pool_size);

}  // namespace ihos::store::postgres
