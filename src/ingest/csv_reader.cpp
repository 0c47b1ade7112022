#include "ingest/csv_reader.h"

#include <cstring>

#include "ingest/columns.h"
#include "ingest/encoding.h"

namespace fx::ingest {
namespace {

class CsvReader final : public TableReader {
 public:
  CsvReader(int fd, TextEncoding encoding, std::string name, const ReadLimits& limits)
      : source_(fd, encoding), encoding_(encoding), name_(std::move(name)), limits_(limits) {
    set_delimiter(',');
  }

  bool next(Row& row) override {
    while (!done_) {
      switch (read_record(row)) {
        case Got::row:
          return true;
        case Got::blank:
          continue;  // fully empty rows are skipped; their numbers still count
        case Got::end:
        case Got::error:
          done_ = true;
      }
    }
    return false;
  }
  const Status& status() const override { return status_; }
  FileFormat format() const override { return FileFormat::csv; }
  TextEncoding encoding() const override { return encoding_; }

 private:
  enum class Got { row, blank, end, error };
  enum class State { start, unquoted, quoted, quote_in_quoted };

  void set_delimiter(char d) {
    delim_ = d;
    std::memset(special_, 0, sizeof special_);
    special_[static_cast<unsigned char>(d)] = 1;
    special_[static_cast<unsigned char>('\n')] = 1;
    special_[static_cast<unsigned char>('\r')] = 1;
  }

  bool refill() {
    if (!source_.fill(&p_, &e_)) return false;
    if (first_block_) {
      // Tab-separated only when the header line has tabs and no commas.
      first_block_ = false;
      const char* eol = p_;
      while (eol < e_ && *eol != '\n' && *eol != '\r') ++eol;
      std::string_view header(p_, static_cast<size_t>(eol - p_));
      if (header.find('\t') != header.npos && header.find(',') == header.npos) set_delimiter('\t');
    }
    return true;
  }

  Got fail(std::string message) {
    status_ = Status::TooLarge(std::move(message));
    return Got::error;
  }
  std::string where(long row) const { return name_ + " row " + std::to_string(row); }
  std::string where(long row, size_t column) const {
    return where(row) + " column " + column_letters(column);
  }

  // Starts cell `n` of `row`, reusing the caller's strings.
  Cell* start_cell(Row& row, size_t n) {
    if (n < row.cells.size()) {
      row.cells[n].text.clear();
      return &row.cells[n];
    }
    return &row.cells.emplace_back();
  }

  Got read_record(Row& row) {
    const long number = ++record_;
    size_t n = 0;
    bool any_byte = false, any_text = false;
    Cell* cell = start_cell(row, n++);
    State st = State::start;
    const size_t max_cell = limits_.max_cell_bytes;

    auto finish_cell = [&] {
      cell->kind = cell->text.empty() ? CellKind::empty : CellKind::text;
      any_text |= !cell->text.empty();
    };
    auto finish_row = [&] {
      finish_cell();
      row.cells.resize(n);
      row.number = number;
      return any_text ? Got::row : Got::blank;
    };

    while (true) {
      if (p_ == e_ && !refill()) {
        if (!source_.error().empty()) {
          status_ = Status::Invalid(where(number) + ": " + source_.error());
          return Got::error;
        }
        if (st == State::quoted) {
          status_ = Status::Invalid(where(number, n - 1) +
                                    ": unterminated quoted cell (the closing \" is missing)");
          return Got::error;
        }
        if (!any_byte) return Got::end;
        return finish_row();
      }
      if (pending_cr_) {
        // CRLF: the LF after a CR that ended the previous record.
        pending_cr_ = false;
        if (*p_ == '\n') {
          ++p_;
          continue;
        }
      }
      any_byte = true;
      switch (st) {
        case State::start:
          if (*p_ == '"') {
            ++p_;
            st = State::quoted;
            break;
          }
          st = State::unquoted;
          [[fallthrough]];
        case State::unquoted: {
          const char* s = p_;
          while (p_ < e_ && !special_[static_cast<unsigned char>(*p_)]) ++p_;
          cell->text.append(s, static_cast<size_t>(p_ - s));
          if (cell->text.size() > max_cell) return too_long(number, n - 1);
          if (p_ == e_) break;
          const char c = *p_++;
          if (c == delim_) {
            finish_cell();
            if (n >= limits_.max_columns) {
              return fail(where(number) + ": more than " + std::to_string(limits_.max_columns) +
                          " columns");
            }
            cell = start_cell(row, n++);
            st = State::start;
            break;
          }
          pending_cr_ = c == '\r';
          return finish_row();
        }
        case State::quoted: {
          const char* s = p_;
          const void* q = std::memchr(p_, '"', static_cast<size_t>(e_ - p_));
          const char* stop = q ? static_cast<const char*>(q) : e_;
          cell->text.append(s, static_cast<size_t>(stop - s));
          p_ = q ? stop + 1 : e_;
          if (q) st = State::quote_in_quoted;
          if (cell->text.size() > max_cell) return too_long(number, n - 1);
          break;
        }
        case State::quote_in_quoted:
          if (*p_ == '"') {  // "" inside quotes is one quote
            cell->text.push_back('"');
            ++p_;
            st = State::quoted;
          } else {
            // Closing quote; text after it (lenient, as Excel) joins the cell.
            st = State::unquoted;
          }
          break;
      }
    }
  }

  Got too_long(long number, size_t column) {
    return fail(where(number, column) + ": cell longer than " +
                std::to_string(limits_.max_cell_bytes) + " bytes");
  }

  Utf8Source source_;
  TextEncoding encoding_;
  std::string name_;
  ReadLimits limits_;
  Status status_;
  const char* p_ = nullptr;
  const char* e_ = nullptr;
  long record_ = 0;
  bool pending_cr_ = false;
  bool first_block_ = true;
  bool done_ = false;
  char delim_ = ',';
  unsigned char special_[256];
};

}  // namespace

std::unique_ptr<TableReader> open_csv(int fd, TextEncoding encoding, std::string name,
                                      const ReadLimits& limits) {
  return std::make_unique<CsvReader>(fd, encoding, std::move(name), limits);
}

}  // namespace fx::ingest
