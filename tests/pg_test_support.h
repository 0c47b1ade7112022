// PostgreSQL for the tests: the throwaway server that CTest's `postgres`
// fixture starts (scripts/pg-test-fixture.sh), and a fresh database on it
// for each test so tests never see each other's rows.
#pragma once

#include <string>

#include "core/status.h"

namespace fx::testing {

// The server's URL: $FX_PG_URL, else the file the fixture wrote. An error
// that says how to get one when neither is there (the tests then fail).
Result<std::string> pg_server_url();
// Creates an empty database on that server and returns its URL.
Result<std::string> pg_fresh_database();
// The URL of another database on the same server.
std::string pg_url_with_database(const std::string& server_url, const std::string& db);

}  // namespace fx::testing
