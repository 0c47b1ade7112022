// What the bench commands share: timing, shell peers (sqlite3, psql), and
// the resident memory of this process.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "core/status.h"

namespace fx::cli {

using BenchClock = std::chrono::steady_clock;
inline double seconds_since(BenchClock::time_point t) {
  return std::chrono::duration<double>(BenchClock::now() - t).count();
}

// Runs a command with bash; returns its stdout (and stderr) and wall time.
Result<std::pair<std::string, double>> run_shell(const std::string& command);

// Copies a file without its UTF-8 byte-order mark (peers' CSV loaders keep it).
Status copy_without_bom(const std::string& from, const std::string& to);

// The URL of database `db` on the server of `url` (its query string kept).
std::string database_url(const std::string& url, const std::string& db);

// VmRSS of this process in bytes (0 when unknown).
long resident_bytes();

}  // namespace fx::cli
