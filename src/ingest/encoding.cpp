#include "ingest/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace fx::ingest {
namespace {

constexpr size_t kBlock = 1 << 20;  // raw bytes read per system call

std::string hex_bytes(const char* p, size_t n) {
  std::string s;
  char buf[8];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%s0x%02X", i ? " " : "", static_cast<unsigned char>(p[i]));
    s += buf;
  }
  return s;
}

}  // namespace

size_t utf8_valid_prefix(std::string_view sv, bool* incomplete) {
  const auto* s = reinterpret_cast<const unsigned char*>(sv.data());
  const size_t n = sv.size();
  if (incomplete) *incomplete = false;
  size_t i = 0;
  while (i < n) {
    // Most roster bytes are ASCII: skip them eight at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Chinese text is three-byte sequences with leads E1–EC: check them
    // without the general path's bounds table.
    if (c >= 0xE1 && c <= 0xEC && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= n) {
        if (incomplete) *incomplete = true;
        return i;
      }
      unsigned char b = s[i + k];
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return i;
    }
    i += len;
  }
  return n;
}

Detection detect_encoding(std::string_view head, bool whole_file) {
  Detection d;
  if (head.empty()) {
    d.kind = Detection::empty;
    return d;
  }
  if (head.starts_with("\xEF\xBB\xBF")) {
    d.encoding = TextEncoding::utf8_bom;
    if (whole_file && head.size() == 3) d.kind = Detection::empty;
    return d;
  }
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
    d.kind = Detection::utf16;  // Excel's "Unicode text"
    return d;
  }
  // Text never holds NUL; images, PDFs and executables nearly always do.
  if (head.find('\0') != std::string_view::npos) {
    d.kind = Detection::binary;
    return d;
  }
  bool incomplete = false;
  size_t valid = utf8_valid_prefix(head, &incomplete);
  // A character cut by the chunk boundary is fine; one cut by the end of the
  // file is a truncated UTF-8 file (reported by row), not GB18030 mojibake.
  if (valid == head.size() || incomplete) {
    d.encoding = TextEncoding::utf8;
    return d;
  }
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    d.kind = Detection::unknown_encoding;
    return d;
  }
  // Convert in slices into a fixed buffer: only success matters here.
  char* in = const_cast<char*>(head.data());
  size_t in_left = head.size();
  char out[64 * 1024];
  bool ok = true;
  while (in_left > 0) {
    char* o = out;
    size_t o_left = sizeof out;
    if (iconv(cd, &in, &in_left, &o, &o_left) == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      // EINVAL: a character cut by the chunk boundary, fine unless at EOF.
      ok = errno == EINVAL && !whole_file && in_left < 4;
      break;
    }
  }
  iconv_close(cd);
  if (ok) {
    d.encoding = TextEncoding::gb18030;
    return d;
  }
  // Control characters other than whitespace mark binary content.
  size_t controls = 0;
  for (unsigned char c : head)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') ++controls;
  d.kind = controls * 100 > head.size() ? Detection::binary : Detection::unknown_encoding;
  return d;
}

Utf8Source::Utf8Source(int fd, TextEncoding encoding) : fd_(fd), encoding_(encoding) {
  off_t at = ::lseek(fd_, 0, SEEK_CUR);
  raw_offset_ = at > 0 ? at : 0;
  raw_.resize(kBlock + 8);
  if (encoding_ == TextEncoding::gb18030) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      error_ = "GB18030 conversion is not available on this system";
      done_ = true;
    } else {
      cd_ = cd;
      // GB18030 → UTF-8 grows at most 1.5x (2 bytes → 3); 2x leaves headroom.
      out_.resize(2 * kBlock + 16);
    }
  }
}

Utf8Source::~Utf8Source() {
  if (cd_) iconv_close(static_cast<iconv_t>(cd_));
  if (fd_ >= 0) ::close(fd_);
}

bool Utf8Source::read_more() {
  if (eof_) return false;
  // Keep the unconsumed tail (at most a partial character) at the front.
  if (raw_pos_ > 0) {
    std::memmove(raw_.data(), raw_.data() + raw_pos_, raw_end_ - raw_pos_);
    raw_offset_ += static_cast<long long>(raw_pos_);
    raw_end_ -= raw_pos_;
    raw_pos_ = 0;
  }
  while (true) {
    ssize_t n = ::read(fd_, raw_.data() + raw_end_, raw_.size() - raw_end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = std::string("read failed: ") + std::strerror(errno);
      eof_ = true;
      return false;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    raw_end_ += static_cast<size_t>(n);
    return true;
  }
}

bool Utf8Source::fill(const char** begin, const char** end) {
  if (done_) return false;
  bool got = encoding_ == TextEncoding::gb18030 ? fill_iconv(begin, end) : fill_utf8(begin, end);
  if (!got) done_ = true;
  return got;
}

bool Utf8Source::fill_utf8(const char** begin, const char** end) {
  while (true) {
    if (raw_pos_ == raw_end_ || raw_end_ - raw_pos_ < 4) {
      if (!read_more() && !error_.empty()) return false;
    }
    if (raw_pos_ == raw_end_) return false;  // clean end of file
    std::string_view avail(raw_.data() + raw_pos_, raw_end_ - raw_pos_);
    bool incomplete = false;
    size_t valid = utf8_valid_prefix(avail, &incomplete);
    if (valid > 0) {
      *begin = avail.data();
      *end = avail.data() + valid;
      raw_pos_ += valid;
      return true;
    }
    // Nothing valid at the front: either a character cut by the block end
    // (read more) or bad bytes (report them).
    if (incomplete && !eof_) {
      if (read_more()) continue;
      if (!error_.empty()) return false;
    }
    size_t shown = std::min<size_t>(avail.size(), 4);
    char where[64];
    std::snprintf(where, sizeof where, " at byte offset %lld",
                  raw_offset_ + static_cast<long long>(raw_pos_));
    error_ = "invalid UTF-8 (bytes " + hex_bytes(avail.data(), shown) + where +
             (incomplete ? ", cut off by the end of the file)" : ")");
    return false;
  }
}

bool Utf8Source::fill_iconv(const char** begin, const char** end) {
  auto cd = static_cast<iconv_t>(cd_);
  while (true) {
    if (raw_end_ - raw_pos_ < 4) {
      if (!read_more() && !error_.empty()) return false;
    }
    if (raw_pos_ == raw_end_) return false;
    char* in = raw_.data() + raw_pos_;
    size_t in_left = raw_end_ - raw_pos_;
    char* out = out_.data();
    size_t out_left = out_.size();
    size_t r = iconv(cd, &in, &in_left, &out, &out_left);
    int err = r == static_cast<size_t>(-1) ? errno : 0;
    size_t consumed = static_cast<size_t>(in - (raw_.data() + raw_pos_));
    size_t produced = static_cast<size_t>(out - out_.data());
    if (produced > 0) {
      // Hand out what converted; a bad byte after it is found on the next call.
      raw_pos_ += consumed;
      *begin = out_.data();
      *end = out_.data() + produced;
      return true;
    }
    raw_pos_ += consumed;
    if (err == EINVAL && !eof_) {
      if (read_more()) continue;
      if (!error_.empty()) return false;
    }
    if (err == EINVAL || err == EILSEQ) {
      size_t shown = std::min<size_t>(raw_end_ - raw_pos_, 4);
      char where[64];
      std::snprintf(where, sizeof where, " at byte offset %lld",
                    raw_offset_ + static_cast<long long>(raw_pos_));
      error_ = "invalid GB18030 (bytes " + hex_bytes(raw_.data() + raw_pos_, shown) + where +
               (err == EINVAL ? ", cut off by the end of the file)" : ")");
      return false;
    }
    if (err != 0 && err != E2BIG) {
      error_ = std::string("GB18030 conversion failed: ") + std::strerror(err);
      return false;
    }
    if (consumed == 0 && err == 0) return false;  // nothing left
  }
}

}  // namespace fx::ingest
