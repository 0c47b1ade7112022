// libFuzzer target: any bytes, opened as a table and read to the end, must
// give rows or a Status — never a crash, hang or unbounded allocation.
// Seeds: tests/corpus/table/.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "ingest/table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // open_table() reads a path, so the input goes through a per-process file.
  static const std::string path = "/tmp/fx-table-fuzz-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  if (size > 0) std::fwrite(data, 1, size, f);
  std::fclose(f);

  fx::ingest::ReadLimits limits;
  limits.max_cell_bytes = 4096;  // small limits reach the limit paths often
  limits.max_columns = 64;
  auto reader = fx::ingest::open_table(path, limits, "fuzz.bin");
  if (reader.ok()) {
    fx::ingest::Row row;
    while (reader.value()->next(row)) {
      for (const auto& cell : row.cells) {
        if (cell.text.size() > limits.max_cell_bytes) __builtin_trap();
      }
    }
    (void)reader.value()->status();
  }
  ::unlink(path.c_str());
  return 0;
}
