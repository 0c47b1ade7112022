// Text encodings of CSV files: detection from the first chunk, and streaming
// sources that hand the CSV parser blocks of valid UTF-8 with bounded memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ingest/table.h"

namespace fx::ingest {

// Length of the longest prefix of `s` that is valid UTF-8 (no overlongs, no
// surrogates, nothing above U+10FFFF). `incomplete` is set when the scan
// stopped at a sequence that is valid so far but cut off by the end of `s`.
size_t utf8_valid_prefix(std::string_view s, bool* incomplete = nullptr);

// What the first chunk of a file says about it.
struct Detection {
  enum Kind { text, empty, binary, utf16, unknown_encoding } kind = text;
  TextEncoding encoding = TextEncoding::utf8;
};

// `head` is the first bytes of the file (all of it when `whole_file`). A chunk
// boundary may split a multibyte character; that is not held against the file.
Detection detect_encoding(std::string_view head, bool whole_file);

// A file read in large blocks and handed out as valid UTF-8. The span returned
// by fill() stays valid until the next call. When fill() returns false the
// input is over: error() is empty at a clean end, else it describes the bad
// bytes (which were not handed out, so the caller knows the row they are in).
class Utf8Source {
 public:
  // Takes ownership of `fd`, positioned where the text starts (after any BOM).
  Utf8Source(int fd, TextEncoding encoding);
  ~Utf8Source();
  Utf8Source(const Utf8Source&) = delete;
  Utf8Source& operator=(const Utf8Source&) = delete;

  bool fill(const char** begin, const char** end);
  const std::string& error() const { return error_; }

 private:
  bool read_more();  // appends raw bytes; false at end of file or on error
  bool fill_utf8(const char** begin, const char** end);
  bool fill_iconv(const char** begin, const char** end);

  int fd_;
  TextEncoding encoding_;
  void* cd_ = nullptr;  // iconv_t for GB18030
  std::string raw_;     // raw bytes [raw_pos_, raw_end_) not yet handed out
  size_t raw_pos_ = 0, raw_end_ = 0;
  long long raw_offset_ = 0;  // file offset of raw_[0], for messages
  std::string out_;           // converted UTF-8 (GB18030 only)
  bool eof_ = false;
  bool done_ = false;
  std::string error_;
};

}  // namespace fx::ingest
