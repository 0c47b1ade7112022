// open_table(): tells XLSX from CSV by content, never by the file's extension,
// since schools rename files freely (a .csv that is really an .xlsx is common).
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "ingest/csv_reader.h"
#include "ingest/encoding.h"
#include "ingest/table.h"
#include "ingest/xlsx_reader.h"

namespace fx::ingest {
namespace {

constexpr size_t kHead = 1 << 20;  // bytes examined to detect the encoding

// Formats people mistake for spreadsheets, named so the message helps them.
const char* known_binary(std::string_view head) {
  if (head.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
    return "an Excel 97-2003 .xls/WPS file or a password-protected workbook; save it as .xlsx "
           "(without a password) or CSV";
  if (head.starts_with("%PDF-")) return "not a spreadsheet (a PDF document)";
  if (head.starts_with("\x89PNG")) return "not a spreadsheet (a PNG image)";
  if (head.starts_with("\xFF\xD8\xFF")) return "not a spreadsheet (a JPEG image)";
  if (head.starts_with("Rar!") || head.starts_with("7z\xBC\xAF"))
    return "not a spreadsheet (a compressed archive; extract it first)";
  return nullptr;
}

}  // namespace

std::string describe(FileFormat format, TextEncoding encoding) {
  if (format == FileFormat::xlsx) return "XLSX";
  switch (encoding) {
    case TextEncoding::utf8:
      return "CSV (UTF-8)";
    case TextEncoding::utf8_bom:
      return "CSV (UTF-8 with BOM)";
    case TextEncoding::gb18030:
      return "CSV (GB18030)";
  }
  return "CSV";
}

Result<std::unique_ptr<TableReader>> open_table(const std::string& path, const ReadLimits& limits,
                                                const std::string& display_name) {
  const std::string name =
      display_name.empty() ? std::filesystem::path(path).filename().string() : display_name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(name + ": cannot open (" + std::strerror(errno) + ")");
  struct stat sb;
  if (::fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    ::close(fd);
    return Status::Invalid(name + ": not a regular file");
  }

  std::string head(kHead, '\0');
  size_t got = 0;
  while (got < head.size()) {
    ssize_t n = ::read(fd, head.data() + got, head.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return Status::IoError(name + ": cannot read (" + std::strerror(e) + ")");
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  const bool whole_file = got < head.size();
  head.resize(got);

  // Local file header or (for an empty archive) end of central directory.
  if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) {
    ::close(fd);
    return open_xlsx(path, name, limits);
  }
  if (const char* what = known_binary(head)) {
    ::close(fd);
    return Status::Invalid(name + ": " + what);
  }
  Detection d = detect_encoding(head, whole_file);
  const char* problem = nullptr;
  switch (d.kind) {
    case Detection::text:
      break;
    case Detection::empty:
      problem = "the file is empty";
      break;
    case Detection::binary:
      problem = "not a spreadsheet (binary content)";
      break;
    case Detection::utf16:
      problem = "UTF-16 text (Excel's \"Unicode Text\") is not supported; save it as CSV UTF-8";
      break;
    case Detection::unknown_encoding:
      problem = "not a spreadsheet (text that is neither UTF-8 nor GB18030)";
      break;
  }
  if (problem) {
    ::close(fd);
    return Status::Invalid(name + ": " + problem);
  }
  // The reader starts over from the top (skipping the BOM): re-reading one
  // MiB costs less than splicing the head into the stream.
  const off_t start = d.encoding == TextEncoding::utf8_bom ? 3 : 0;
  if (::lseek(fd, start, SEEK_SET) != start) {
    int e = errno;
    ::close(fd);
    return Status::IoError(name + ": cannot read (" + std::strerror(e) + ")");
  }
  return open_csv(fd, d.encoding, name, limits);
}

}  // namespace fx::ingest
