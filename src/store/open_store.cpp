#include <chrono>
#include <cstdio>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace fx::store {

Result<std::unique_ptr<Store>> open_store(const std::string& location, const Vault& vault) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    auto s = postgres::PgStore::open(location, vault);
    if (!s.ok()) return s.status();
    return std::unique_ptr<Store>(std::move(*s));
  }
  auto s = sqlite::SqliteStore::open(location, vault);
  if (!s.ok()) return s.status();
  return std::unique_ptr<Store>(std::move(*s));
}

std::string utc_now_iso() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  auto secs = floor<seconds>(now);
  auto day = floor<days>(secs);
  year_month_day ymd{day};
  hh_mm_ss hms{secs - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(ms));
  return buf;
}

}  // namespace fx::store
