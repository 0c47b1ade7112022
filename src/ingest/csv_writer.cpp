// CSV writer: RFC 4180 quoting, CRLF line ends and the encodings Chinese
// Excel users meet (UTF-8, UTF-8 with BOM, GB18030).
#include <fmt/format.h>
#include <iconv.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ingest/table.h"
#include "ingest/writer_internal.h"

namespace fx::ingest {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

bool needs_quotes(const std::string& cell) {
  if (cell.empty()) return false;
  // Leading/trailing spaces are quoted so that no reader trims them away.
  if (cell.front() == ' ' || cell.back() == ' ' || cell.front() == '\t' || cell.back() == '\t')
    return true;
  for (char c : cell) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  }
  return false;
}

class CsvWriter final : public TableWriter {
 public:
  CsvWriter(std::string path, FILE* file, TextEncoding encoding, iconv_t cd)
      : path_(std::move(path)), file_(file), encoding_(encoding), cd_(cd) {
    out_.reserve(kFlushBytes + 64 * 1024);
    if (encoding_ == TextEncoding::utf8_bom) out_ = "\xEF\xBB\xBF";
  }

  ~CsvWriter() override {
    if (file_ != nullptr) {
      // Abandoned without close(): the file is incomplete, so do not leave it behind.
      std::fclose(file_);
      remove_partial(path_);
    }
    if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv_close(cd_);
  }

  Status write_row(const std::vector<std::string>& cells) override {
    if (file_ == nullptr) return Status::Internal(fmt::format("{}: write after close", path_));
    ++rows_;
    std::string& row = (encoding_ == TextEncoding::gb18030) ? row_ : out_;
    if (encoding_ == TextEncoding::gb18030) row.clear();
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) row.push_back(',');
      const std::string& cell = cells[i];
      if (!needs_quotes(cell)) {
        row.append(cell);
        continue;
      }
      row.push_back('"');
      for (char c : cell) {
        if (c == '"') row.push_back('"');
        row.push_back(c);
      }
      row.push_back('"');
    }
    row.append("\r\n");
    if (encoding_ == TextEncoding::gb18030) FX_RETURN_IF_ERROR(convert_row());
    if (out_.size() >= kFlushBytes) return flush();
    return Status::Ok();
  }

  Status close() override {
    if (file_ == nullptr) return Status::Internal(fmt::format("{}: closed twice", path_));
    Status status = flush();
    FILE* file = file_;
    file_ = nullptr;
    // fclose reports the errors a full disk causes on the last buffered write.
    if (std::fclose(file) != 0 && status.ok()) status = io_error("cannot close");
    if (!status.ok()) remove_partial(path_);
    return status;
  }

 private:
  Status io_error(const char* what) {
    return Status::IoError(fmt::format("{}: {}: {}", path_, what, std::strerror(errno)));
  }

  Status flush() {
    if (out_.empty()) return Status::Ok();
    if (std::fwrite(out_.data(), 1, out_.size(), file_) != out_.size()) {
      return io_error("cannot write");
    }
    out_.clear();
    return Status::Ok();
  }

  // Converts row_ (UTF-8) to GB18030 at the end of out_.
  Status convert_row() {
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    size_t old_size = out_.size();
    // GB18030 needs at most 4 bytes per character and UTF-8 at least 1.
    out_.resize(old_size + row_.size() * 4);
    char* in = row_.data();
    size_t in_left = row_.size();
    char* out = out_.data() + old_size;
    size_t out_left = row_.size() * 4;
    if (iconv(cd_, &in, &in_left, &out, &out_left) == static_cast<size_t>(-1)) {
      out_.resize(old_size);
      size_t at = static_cast<size_t>(in - row_.data());
      return Status::Invalid(
          fmt::format("{}: row {}: text at byte {} cannot be written as GB18030 (invalid UTF-8 or "
                      "unmappable character)",
                      path_, rows_, at));
    }
    out_.resize(out_.size() - out_left);
    return Status::Ok();
  }

  std::string path_;
  FILE* file_;
  TextEncoding encoding_;
  iconv_t cd_;
  std::string out_;  // encoded bytes waiting to be written
  std::string row_;  // the current row in UTF-8, before conversion
  long rows_ = 0;
};

}  // namespace

void remove_partial(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) std::filesystem::remove(path, ec);
}

Result<std::unique_ptr<TableWriter>> create_csv_writer(const std::string& path,
                                                       TextEncoding encoding) {
  iconv_t cd = reinterpret_cast<iconv_t>(-1);
  if (encoding == TextEncoding::gb18030) {
    cd = iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      return Status::Internal("this system's iconv cannot convert UTF-8 to GB18030");
    }
  }
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    Status status =
        Status::IoError(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
    if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
    return status;
  }
  return std::unique_ptr<TableWriter>(new CsvWriter(path, file, encoding, cd));
}

Result<std::unique_ptr<TableWriter>> create_table(const std::string& path, FileFormat format,
                                                  TextEncoding encoding,
                                                  const WriteOptions& options) {
  if (format == FileFormat::xlsx) return create_xlsx_writer(path, options);
  return create_csv_writer(path, encoding);
}

}  // namespace fx::ingest
