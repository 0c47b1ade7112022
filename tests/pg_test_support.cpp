#include "tests/pg_test_support.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

namespace fx::testing {

Result<std::string> pg_server_url() {
  if (const char* env = std::getenv("FX_PG_URL"); env && *env) return std::string(env);
  std::ifstream in(FX_PG_URL_FILE);
  std::string url;
  if (in && std::getline(in, url) && !url.empty()) return url;
  return Status::Unavailable(
      "no PostgreSQL for the tests: run them through ctest (its `postgres` fixture starts one "
      "with scripts/pg-temp.sh, which needs postgresql-15: scripts/install-deps.sh installs it), "
      "or set FX_PG_URL. Expected the URL in " FX_PG_URL_FILE);
}

std::string pg_url_with_database(const std::string& server_url, const std::string& db) {
  auto slash = server_url.rfind('/');
  auto query = server_url.find('?', slash);
  return server_url.substr(0, slash + 1) + db +
         (query == std::string::npos ? "" : server_url.substr(query));
}

Result<std::string> pg_fresh_database() {
  auto url = pg_server_url();
  if (!url.ok()) return url.status();
  static std::atomic<int> counter{0};
  std::string name = "fx_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  PGconn* c = PQconnectdb(url->c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    return Status::Unavailable("the tests' PostgreSQL at " + *url + " is unreachable: " + msg);
  }
  PGresult* r = PQexec(c, ("CREATE DATABASE " + name + " TEMPLATE template0").c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string msg = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) return Status::Internal("CREATE DATABASE " + name + ": " + msg);
  return pg_url_with_database(*url, name);
}

}  // namespace fx::testing
