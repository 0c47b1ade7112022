#include "cli/bench_support.h"

#include <array>
#include <cstdio>
#include <fstream>

namespace fx::cli {

Result<std::pair<std::string, double>> run_shell(const std::string& command) {
  const auto start = BenchClock::now();
  FILE* p = popen(("bash -c '" + command + "' 2>&1").c_str(), "r");
  if (!p) return Status::IoError("cannot run " + command);
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int rc = pclose(p);
  if (rc != 0) return Status::Internal(command.substr(0, 200) + " failed: " + out.substr(0, 400));
  return std::make_pair(out, seconds_since(start));
}

Status copy_without_bom(const std::string& from, const std::string& to) {
  std::ifstream in(from, std::ios::binary);
  std::ofstream out(to, std::ios::binary);
  char bom[3];
  in.read(bom, 3);
  if (!(in.gcount() == 3 && bom[0] == '\xEF' && bom[1] == '\xBB' && bom[2] == '\xBF'))
    out.write(bom, in.gcount());
  out << in.rdbuf();
  return out ? Status::Ok() : Status::IoError("cannot write " + to);
}

std::string database_url(const std::string& url, const std::string& db) {
  const auto slash = url.rfind('/');
  const auto query = url.find('?', slash);
  return url.substr(0, slash + 1) + db + (query == std::string::npos ? "" : url.substr(query));
}

long resident_bytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long kb = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> kb;
      return kb * 1024;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

}  // namespace fx::cli
