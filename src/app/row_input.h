// Rows of input as people send them: JSON objects from the API or the rows
// of a spreadsheet (CSV or XLSX) from the command line, both read into the
// same shape so that one validator names the row and field of every error.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::app {

// A field a kind of row reads: its key (as in JSON) and the header texts a
// spreadsheet may use for it (Chinese first).
struct FieldSpec {
  std::string key;
  std::vector<std::string> headers;
  bool required = false;
};

struct InputRow {
  long number = 0;  // 1-based for JSON rows; the spreadsheet's row number for files
  std::map<std::string, std::string> fields;
  // The trimmed text of `key`, "" when absent.
  std::string get(const std::string& key) const;
};

// Collects every error of a batch; nothing is stored while there is one.
class RowErrors {
 public:
  void add(long row, const std::string& field, const std::string& reason);
  bool empty() const { return lines_.empty(); }
  size_t size() const { return count_; }
  // Invalid: "第3行 attending: …" one line per error (at most 50, then how many more).
  Status status() const;

 private:
  std::vector<std::string> lines_;
  size_t count_ = 0;
};

// Reads a CSV or XLSX file: the header row names each column by a key or one
// of its header texts; unknown columns are an error (a misspelt header would
// otherwise lose data), as is a required one missing.
Result<std::vector<InputRow>> read_input_file(const std::string& path,
                                              const std::vector<FieldSpec>& fields);

// Parsers that say what is wrong in the field's words. Integers are plain
// digits (text in a number field is an error), within [min, max].
bool parse_count(const std::string& text, long min, long max, long& out);
// 是/否, yes/no, true/false, 1/0; "" is false.
bool parse_yes_no(const std::string& text, bool& out);

}  // namespace fx::app
