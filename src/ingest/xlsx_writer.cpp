// XLSX writer on libxlsxwriter in constant-memory mode: each row goes to a
// temporary file as it is written, so 2,000,000 rows need little memory.
#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <cmath>
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

// Rows sampled after the header to widen automatic column widths.
constexpr long kWidthSampleRows = 200;
constexpr double kMinWidth = 6;
constexpr double kMaxWidth = 60;

// Width in Excel character units: CJK and fullwidth characters take two.
double display_width(const std::string& s) {
  double width = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    int len = 1;
    if (c >= 0xF0 && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
           (s[i + 3] & 0x3Fu);
      len = 4;
    } else if (c >= 0xE0 && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      len = 3;
    } else if (c >= 0xC0 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      len = 2;
    }
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    width += wide ? 2 : 1;
    i += len;
  }
  return width;
}

// A number as the caller means it: plain decimal, finite, nothing around it.
bool parse_number(const std::string& s, double& value) {
  if (s.empty()) return false;
  const char* begin = s.data();
  const char* end = begin + s.size();
  auto [ptr, ec] = std::from_chars(begin, end, value, std::chars_format::general);
  return ec == std::errc() && ptr == end && std::isfinite(value);
}

class XlsxWriter final : public TableWriter {
 public:
  XlsxWriter(std::string path, std::string tmpdir, const WriteOptions& options)
      : path_(std::move(path)), tmpdir_(std::move(tmpdir)), options_(options) {}

  ~XlsxWriter() override {
    if (workbook_ != nullptr) {
      // Abandoned without close(): free the temporary data and leave no half file.
      lxw_workbook_free(workbook_);
      remove_partial(path_);
    }
  }

  Status open() {
    lxw_workbook_options opt{};
    opt.constant_memory = LXW_TRUE;
    // Temporary files next to the output, not in /tmp, which is often a small
    // RAM-backed tmpfs while a 2,000,000-row sheet needs a gigabyte of XML.
    opt.tmpdir = tmpdir_.data();
    workbook_ = workbook_new_opt(path_.c_str(), &opt);
    if (workbook_ == nullptr)
      return Status::IoError(fmt::format("{}: cannot create workbook", path_));
    std::string sheet_name = options_.sheet_name.empty() ? "Sheet1" : options_.sheet_name;
    lxw_error err = workbook_validate_sheet_name(workbook_, sheet_name.c_str());
    if (err != LXW_NO_ERROR) {
      return Status::Invalid(
          fmt::format("{}: bad sheet name \"{}\": {}", path_, sheet_name, lxw_strerror(err)));
    }
    sheet_ = workbook_add_worksheet(workbook_, sheet_name.c_str());
    if (sheet_ == nullptr) return Status::Internal(fmt::format("{}: cannot add worksheet", path_));

    title_format_ = workbook_add_format(workbook_);
    format_set_bold(title_format_);
    format_set_font_size(title_format_, 16);
    format_set_align(title_format_, LXW_ALIGN_CENTER);
    format_set_align(title_format_, LXW_ALIGN_VERTICAL_CENTER);

    header_format_ = workbook_add_format(workbook_);
    format_set_bold(header_format_);
    format_set_pattern(header_format_, LXW_PATTERN_SOLID);
    format_set_bg_color(header_format_, 0xDDEBF7);  // light blue, as Excel's table styles
    format_set_border(header_format_, LXW_BORDER_THIN);
    format_set_align(header_format_, LXW_ALIGN_CENTER);
    format_set_align(header_format_, LXW_ALIGN_VERTICAL_CENTER);

    for (size_t c : options_.numeric_columns) {
      if (numeric_.size() <= c) numeric_.resize(c + 1, false);
      numeric_[c] = true;
    }
    return Status::Ok();
  }

  Status write_row(const std::vector<std::string>& cells) override {
    if (workbook_ == nullptr) return Status::Internal(fmt::format("{}: write after close", path_));
    if (cells.size() > kXlsxMaxColumns) {
      return Status::TooLarge(
          fmt::format("{}: {} columns; an XLSX sheet holds at most 16,384", path_, cells.size()));
    }
    bool header = !header_written_;
    if (header) FX_RETURN_IF_ERROR(write_title(cells.size()));
    if (next_row_ >= kXlsxMaxRows) {
      return Status::TooLarge(fmt::format(
          "{}: row {} is past the end of the sheet: an XLSX sheet holds at most 1,048,576 rows "
          "(title and header included); split the table or write CSV",
          path_, next_row_ + 1));
    }
    lxw_row_t row = static_cast<lxw_row_t>(next_row_);
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string& text = cells[c];
      lxw_col_t col = static_cast<lxw_col_t>(c);
      lxw_error err = LXW_NO_ERROR;
      double number = 0;
      if (header) {
        err = worksheet_write_string(sheet_, row, col, text.c_str(), header_format_);
      } else if (text.empty()) {
        continue;  // a blank cell is no cell
      } else if (c < numeric_.size() && numeric_[c] && parse_number(text, number)) {
        err = worksheet_write_number(sheet_, row, col, number, nullptr);
      } else {
        err = worksheet_write_string(sheet_, row, col, text.c_str(), nullptr);
      }
      if (err != LXW_NO_ERROR) {
        return Status::Invalid(fmt::format("{}: row {}, column {}: {}", path_, next_row_ + 1, c + 1,
                                           lxw_strerror(err)));
      }
    }
    if (options_.column_widths.empty() && (header || data_rows_ < kWidthSampleRows)) {
      if (widths_.size() < cells.size()) widths_.resize(cells.size(), 0);
      for (size_t c = 0; c < cells.size(); ++c) {
        widths_[c] = std::max(widths_[c], display_width(cells[c]) + 2);
      }
    }
    if (header) {
      header_written_ = true;
      if (options_.freeze_header) worksheet_freeze_panes(sheet_, row + 1, 0);
    } else {
      ++data_rows_;
    }
    ++next_row_;
    return Status::Ok();
  }

  Status close() override {
    if (workbook_ == nullptr) return Status::Internal(fmt::format("{}: closed twice", path_));
    // Column widths may be set late: libxlsxwriter writes <cols> when it assembles the sheet.
    const std::vector<double>& widths =
        options_.column_widths.empty() ? widths_ : options_.column_widths;
    for (size_t c = 0; c < widths.size() && c < kXlsxMaxColumns; ++c) {
      double w =
          options_.column_widths.empty() ? std::clamp(widths[c], kMinWidth, kMaxWidth) : widths[c];
      worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w,
                           nullptr);
    }
    errno = 0;
    lxw_error err = workbook_close(workbook_);  // frees the workbook whatever happens
    workbook_ = nullptr;
    if (err != LXW_NO_ERROR) {
      remove_partial(path_);
      return Status::IoError(
          fmt::format("{}: cannot write the XLSX file: {}{}", path_, lxw_strerror(err),
                      errno != 0 ? fmt::format(" ({})", std::strerror(errno)) : std::string()));
    }
    return Status::Ok();
  }

 private:
  Status write_title(size_t width) {
    if (options_.title.empty()) return Status::Ok();
    worksheet_set_row(sheet_, 0, 30, nullptr);
    lxw_error err;
    if (width > 1) {
      err = worksheet_merge_range(sheet_, 0, 0, 0, static_cast<lxw_col_t>(width - 1),
                                  options_.title.c_str(), title_format_);
    } else {
      err = worksheet_write_string(sheet_, 0, 0, options_.title.c_str(), title_format_);
    }
    if (err != LXW_NO_ERROR) {
      return Status::Invalid(fmt::format("{}: title: {}", path_, lxw_strerror(err)));
    }
    next_row_ = 1;
    return Status::Ok();
  }

  std::string path_;
  std::string tmpdir_;
  WriteOptions options_;
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* title_format_ = nullptr;
  lxw_format* header_format_ = nullptr;
  std::vector<bool> numeric_;
  std::vector<double> widths_;
  bool header_written_ = false;
  long next_row_ = 0;  // 0-based row the next write_row fills
  long data_rows_ = 0;
};

}  // namespace

Result<std::unique_ptr<TableWriter>> create_xlsx_writer(const std::string& path,
                                                        const WriteOptions& options) {
  // libxlsxwriter opens the output only in workbook_close(); try it now so a
  // bad path fails here rather than after a million rows.
  FILE* probe = std::fopen(path.c_str(), "wb");
  if (probe == nullptr) {
    return Status::IoError(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  }
  std::fclose(probe);
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::string tmpdir = parent.empty() ? std::string(".") : parent.string();
  auto writer = std::make_unique<XlsxWriter>(path, tmpdir, options);
  Status status = writer->open();
  if (!status.ok()) {
    writer.reset();
    remove_partial(path);
    return status;
  }
  return std::unique_ptr<TableWriter>(std::move(writer));
}

}  // namespace fx::ingest
