// Column names as a person sees them in Excel (A, B, …, Z, AA, …), for messages.
#pragma once

#include <cstddef>
#include <string>

namespace fx::ingest {

// 0 → "A", 25 → "Z", 26 → "AA".
inline std::string column_letters(size_t index) {
  std::string s;
  for (size_t n = index + 1; n > 0; n = (n - 1) / 26) s.insert(s.begin(), char('A' + (n - 1) % 26));
  return s;
}

}  // namespace fx::ingest
