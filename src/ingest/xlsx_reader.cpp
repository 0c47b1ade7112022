#include "ingest/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "ingest/columns.h"

namespace fx::ingest {
namespace {

constexpr size_t kChunk = 256 * 1024;  // bytes inflated per zip_fread

// Only the local part of a name matters: Excel uses the default namespace,
// some writers use prefixes (x:row). Expat's namespace mode would hand every
// name over as a 60-byte "uri|local", which costs 15% of a large sheet's read.
std::string_view local_name(const char* name) {
  std::string_view n(name);
  size_t colon = n.find(':');
  return colon == n.npos ? n : n.substr(colon + 1);
}

const char* attr(const char** attrs, std::string_view local) {
  for (size_t i = 0; attrs[i]; i += 2)
    if (local_name(attrs[i]) == local) return attrs[i + 1];
  return nullptr;
}

bool parse_long(std::string_view s, long* out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_double(std::string_view s, double* out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

// Excel escapes characters XML cannot carry as _xHHHH_ (_x000D_ is a CR,
// _x005F_ an underscore). Lone surrogates become U+FFFD to keep UTF-8 valid.
void decode_escapes(std::string& s) {
  if (s.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    bool esc = s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_';
    for (size_t k = 2; esc && k < 6; ++k) {
      char c = s[i + k];
      int v = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (v < 0) esc = false;
      cp = cp * 16 + static_cast<uint32_t>(v);
    }
    if (!esc) {
      out += s[i++];
      continue;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    append_utf8(out, cp);
    i += 7;
  }
  s.swap(out);
}

// days since 1970-01-01 → civil date (H. Hinnant's algorithm).
void civil_from_days(long z, int* y, int* m, int* d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2));
}

constexpr long kDays1899_12_31 = -25568;  // relative to 1970-01-01
constexpr long kDays1904_01_01 = -24107;

// ---------------------------------------------------------------------------
// A ZIP part parsed with expat.

struct ZipFile {
  zip_file_t* f = nullptr;
  ~ZipFile() {
    if (f) zip_fclose(f);
  }
};

struct XmlParser {
  XML_Parser p = XML_ParserCreate(nullptr);
  ~XmlParser() {
    if (p) XML_ParserFree(p);
  }
};

// OOXML never declares a DTD; refusing one rules out entity tricks.
void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int);

struct XmlSink {
  virtual ~XmlSink() = default;
  virtual void start(std::string_view name, const char** attrs) = 0;
  virtual void end(std::string_view name) {}
  virtual void text(const char* s, int len) {}
  XML_Parser parser = nullptr;
  Status error;
  void abort(Status s) {
    if (error.ok()) error = std::move(s);
    XML_StopParser(parser, XML_FALSE);
  }
};

void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* sink = static_cast<XmlSink*>(data);
  sink->abort(Status::Invalid("a DTD is not allowed"));
}
void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
  static_cast<XmlSink*>(data)->start(local_name(name), attrs);
}
void XMLCALL on_end(void* data, const XML_Char* name) {
  static_cast<XmlSink*>(data)->end(local_name(name));
}
void XMLCALL on_text(void* data, const XML_Char* s, int len) {
  static_cast<XmlSink*>(data)->text(s, len);
}

void attach(XML_Parser p, XmlSink* sink) {
  sink->parser = p;
  XML_SetUserData(p, sink);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  XML_SetStartDoctypeDeclHandler(p, on_doctype);
}

class Xlsx {
 public:
  Xlsx(std::string name, const XlsxCaps& caps) : name_(std::move(name)), caps_(caps) {}
  ~Xlsx() {
    if (za_) zip_discard(za_);
  }
  zip_t* release() { return std::exchange(za_, nullptr); }

  Status open(const std::string& path) {
    int err = 0;
    za_ = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (!za_) {
      zip_error_t ze;
      zip_error_init_with_code(&ze, err);
      std::string why = zip_error_strerror(&ze);
      zip_error_fini(&ze);
      return damaged(why);
    }
    return Status::Ok();
  }

  Status damaged(const std::string& why) const {
    return Status::Invalid(name_ + ": truncated or damaged XLSX (" + why + ")");
  }

  bool has(const std::string& part) const { return locate(part) >= 0; }

  zip_int64_t locate(const std::string& part) const {
    zip_int64_t i = zip_name_locate(za_, part.c_str(), 0);
    return i >= 0 ? i : zip_name_locate(za_, part.c_str(), ZIP_FL_NOCASE);
  }

  Status open_part(const std::string& part, ZipFile* file) const {
    zip_int64_t index = locate(part);
    if (index < 0) return damaged("missing " + part);
    file->f = zip_fopen_index(za_, static_cast<zip_uint64_t>(index), 0);
    if (!file->f) return damaged(part + ": " + zip_strerror(za_));
    return Status::Ok();
  }

  // Feeds one chunk of `file` to `p`; *final is set at the end of the part.
  Status feed(const std::string& part, zip_file_t* file, XML_Parser p, XmlSink* sink, uint64_t cap,
              uint64_t* total, bool* final, XML_Status* st) const {
    void* buf = XML_GetBuffer(p, kChunk);
    if (!buf) return Status::Internal(name_ + ": out of memory parsing " + part);
    zip_int64_t n = zip_fread(file, buf, kChunk);
    if (n < 0) return damaged(part + ": " + zip_file_strerror(file));
    *total += static_cast<uint64_t>(n);
    if (*total > cap) {
      return Status::TooLarge(name_ + ": " + part + " is larger than " + std::to_string(cap >> 20) +
                              " MiB uncompressed; refusing to read it (a zip bomb?)");
    }
    *final = n == 0;
    *st = XML_ParseBuffer(p, static_cast<int>(n), *final);
    if (*st == XML_STATUS_ERROR) return xml_error(part, p, sink);
    return Status::Ok();
  }

  Status xml_error(const std::string& part, XML_Parser p, XmlSink* sink) const {
    if (!sink->error.ok()) {
      if (sink->error.code() == Status::Code::invalid_argument &&
          sink->error.message().find(name_) != 0)
        return damaged(part + ": " + sink->error.message());
      return sink->error;
    }
    return damaged("malformed XML in " + part + " at line " +
                   std::to_string(XML_GetCurrentLineNumber(p)) + ": " +
                   XML_ErrorString(XML_GetErrorCode(p)));
  }

  // Parses a whole (small) part.
  Status parse(const std::string& part, uint64_t cap, XmlSink* sink) const {
    ZipFile file;
    FX_RETURN_IF_ERROR(open_part(part, &file));
    XmlParser xp;
    if (!xp.p) return Status::Internal("out of memory");
    attach(xp.p, sink);
    uint64_t total = 0;
    bool final = false;
    XML_Status st;
    while (!final) FX_RETURN_IF_ERROR(feed(part, file.f, xp.p, sink, cap, &total, &final, &st));
    return Status::Ok();
  }

  const std::string& name() const { return name_; }
  const XlsxCaps& caps() const { return caps_; }
  zip_t* zip() const { return za_; }

 private:
  std::string name_;
  XlsxCaps caps_;
  zip_t* za_ = nullptr;
};

// "xl/" + "worksheets/sheet1.xml", "/xl/x.xml", "../x.xml" → a part name.
std::string resolve(const std::string& base_dir, const std::string& target) {
  std::string joined = !target.empty() && target[0] == '/' ? target.substr(1) : base_dir + target;
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= joined.size()) {
    size_t j = joined.find('/', i);
    if (j == std::string::npos) j = joined.size();
    std::string seg = joined.substr(i, j - i);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    i = j + 1;
  }
  std::string out;
  for (auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct ContentTypesSink : XmlSink {
  std::string workbook;
  void start(std::string_view name, const char** attrs) override {
    if (name != "Override" || !workbook.empty()) return;
    const char* type = attr(attrs, "ContentType");
    const char* part = attr(attrs, "PartName");
    if (!type || !part) return;
    std::string_view t(type);
    // Workbook, macro-enabled workbook and template all end in ".main+xml".
    if (t.ends_with(".main+xml") &&
        (t.find("spreadsheetml") != t.npos || t.find("ms-excel") != t.npos))
      workbook = part[0] == '/' ? part + 1 : part;
  }
};

struct WorkbookSink : XmlSink {
  bool date1904 = false;
  std::vector<std::string> sheet_ids;  // r:id of each <sheet>, in order
  void start(std::string_view name, const char** attrs) override {
    if (name == "workbookPr") {
      const char* v = attr(attrs, "date1904");
      date1904 = v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
    } else if (name == "sheet") {
      const char* id = attr(attrs, "id");
      sheet_ids.push_back(id ? id : "");
    }
  }
};

struct RelsSink : XmlSink {
  struct Rel {
    std::string type, target;
  };
  std::unordered_map<std::string, Rel> by_id;
  std::string shared_strings, styles;
  void start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    const char* id = attr(attrs, "Id");
    const char* type = attr(attrs, "Type");
    const char* target = attr(attrs, "Target");
    const char* mode = attr(attrs, "TargetMode");
    if (!id || !type || !target || (mode && std::strcmp(mode, "External") == 0)) return;
    std::string_view t(type);
    if (t.ends_with("/sharedStrings")) shared_strings = target;
    if (t.ends_with("/styles")) styles = target;
    by_id[id] = {type, target};
  }
};

// Shared strings: one arena of text and the offsets where each string ends.
struct SharedStrings : XmlSink {
  std::string arena;
  std::vector<size_t> ends;
  std::string cur;
  bool in_si = false, in_t = false;
  int rph = 0;  // inside <rPh>: phonetic guide text, not part of the value

  void start(std::string_view name, const char** attrs) override {
    if (name == "si") {
      in_si = true;
      cur.clear();
    } else if (name == "rPh") {
      ++rph;
    } else if (name == "t") {
      in_t = in_si && rph == 0;
    }
  }
  void end(std::string_view name) override {
    if (name == "t") {
      in_t = false;
    } else if (name == "rPh") {
      --rph;
    } else if (name == "si") {
      in_si = false;
      decode_escapes(cur);
      arena += cur;
      ends.push_back(arena.size());
    }
  }
  void text(const char* s, int len) override {
    if (in_t) cur.append(s, static_cast<size_t>(len));
  }
  size_t size() const { return ends.size(); }
  std::string_view at(size_t i) const {
    size_t b = i ? ends[i - 1] : 0;
    return std::string_view(arena).substr(b, ends[i] - b);
  }
};

struct StylesSink : XmlSink {
  std::unordered_map<long, std::string> custom;  // numFmtId → formatCode
  std::vector<long> xf_formats;                  // cellXfs[i].numFmtId
  bool in_cell_xfs = false;
  void start(std::string_view name, const char** attrs) override {
    if (name == "numFmt") {
      const char* id = attr(attrs, "numFmtId");
      const char* code = attr(attrs, "formatCode");
      long v;
      if (id && code && parse_long(id, &v)) custom[v] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      const char* id = attr(attrs, "numFmtId");
      long v = 0;
      if (!id || !parse_long(id, &v)) v = 0;
      xf_formats.push_back(v);
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs = false;
  }
};

// ---------------------------------------------------------------------------
// The worksheet, streamed: expat is suspended at each </row> so next()
// returns one row at a time with the rest of the chunk kept by expat.

class XlsxReader final : public TableReader, private XmlSink {
 public:
  XlsxReader(zip_t* za, ZipFile* sheet, std::string part, std::string name, ReadLimits limits,
             uint64_t cap, SharedStrings strings, std::vector<bool> date_styles, bool date1904)
      : za_(za),
        part_(std::move(part)),
        name_(std::move(name)),
        limits_(limits),
        cap_(cap),
        strings_(std::move(strings)),
        date_styles_(std::move(date_styles)),
        date1904_(date1904) {
    file_ = std::exchange(sheet->f, nullptr);
    attach(xp_.p, this);
  }
  ~XlsxReader() override {
    if (file_) zip_fclose(file_);
    if (za_) zip_discard(za_);
  }

  bool next(Row& row) override {
    if (done_) return false;
    row_ = &row;
    row_ready_ = false;
    if (suspended_) {
      suspended_ = false;
      XML_Status st = XML_ResumeParser(xp_.p);
      if (!after(st)) return false;
      if (st == XML_STATUS_OK && last_final_) return finish();
    }
    while (!row_ready_) {
      XML_Status st;
      Status s = feed(&st);
      if (!s.ok()) return fail(std::move(s));
      if (!after(st)) return false;
      if (st == XML_STATUS_OK && last_final_) return finish();
    }
    return true;
  }
  const Status& status() const override { return status_; }
  FileFormat format() const override { return FileFormat::xlsx; }
  TextEncoding encoding() const override { return TextEncoding::utf8; }

 private:
  bool fail(Status s) {
    status_ = std::move(s);
    done_ = true;
    row_ = nullptr;
    return false;
  }
  bool finish() {
    done_ = true;
    row_ = nullptr;
    return row_ready_;
  }
  // Interprets a parse/resume result; false when reading is over with an error.
  bool after(XML_Status st) {
    if (st == XML_STATUS_SUSPENDED) {
      suspended_ = true;
      return true;
    }
    if (st == XML_STATUS_ERROR) {
      if (!error.ok()) return fail(error);
      return fail(damaged("malformed XML in " + part_ + " at line " +
                          std::to_string(XML_GetCurrentLineNumber(xp_.p)) + ": " +
                          XML_ErrorString(XML_GetErrorCode(xp_.p))));
    }
    return true;
  }
  Status damaged(const std::string& why) const {
    return Status::Invalid(name_ + ": truncated or damaged XLSX (" + why + ")");
  }
  Status feed(XML_Status* st) {
    void* buf = XML_GetBuffer(xp_.p, kChunk);
    if (!buf) return Status::Internal(name_ + ": out of memory parsing " + part_);
    zip_int64_t n = zip_fread(file_, buf, kChunk);
    if (n < 0) return damaged(part_ + ": " + zip_file_strerror(file_));
    total_ += static_cast<uint64_t>(n);
    if (total_ > cap_) {
      return Status::TooLarge(name_ + ": " + part_ + " is larger than " +
                              std::to_string(cap_ >> 20) +
                              " MiB uncompressed; refusing to read it (a zip bomb?)");
    }
    last_final_ = n == 0;
    *st = XML_ParseBuffer(xp_.p, static_cast<int>(n), last_final_);
    return Status::Ok();
  }

  std::string where() const { return name_ + " row " + std::to_string(row_number_); }
  std::string where(size_t col) const { return where() + " column " + column_letters(col); }

  // --- expat callbacks ---
  void start(std::string_view name, const char** attrs) override {
    if (!in_data_) {
      if (name == "sheetData") in_data_ = true;
      return;
    }
    if (name == "c") {
      const char* r = attr(attrs, "r");
      const char* t = attr(attrs, "t");
      const char* s = attr(attrs, "s");
      col_ = next_col_;
      if (r && !parse_ref(r, &col_)) {
        abort(Status::Invalid(where() + ": malformed cell reference \"" + std::string(r) + "\""));
        return;
      }
      next_col_ = col_ + 1;
      type_ = t ? t : "n";
      long style = 0;
      date_ = s && parse_long(s, &style) && style >= 0 &&
              static_cast<size_t>(style) < date_styles_.size() && date_styles_[style];
      value_.clear();
      has_value_ = false;
      in_cell_ = true;
    } else if (name == "row") {
      const char* r = attr(attrs, "r");
      long n = row_number_ + 1;
      if (r && (!parse_long(r, &n) || n < 1)) {
        abort(Status::Invalid(where() + ": malformed row number \"" + std::string(r) + "\""));
        return;
      }
      row_number_ = n;
      used_ = 0;
      next_col_ = 0;
    } else if (!in_cell_) {
      return;
    } else if (name == "v") {
      capture_ = true;
      has_value_ = true;
    } else if (name == "is") {
      has_value_ = true;
    } else if (name == "rPh") {
      ++rph_;
    } else if (name == "t") {
      capture_ = rph_ == 0;
    }
  }

  void end(std::string_view name) override {
    if (!in_data_) return;
    if (name == "v" || name == "t") {
      capture_ = false;
    } else if (name == "rPh") {
      --rph_;
    } else if (name == "c") {
      in_cell_ = false;
      capture_ = false;
      if (has_value_) finish_cell();
    } else if (name == "row") {
      if (used_ == 0) return;  // a row with no values is skipped, like a blank CSV line
      row_->cells.resize(used_);
      row_->number = row_number_;
      row_ready_ = true;
      XML_StopParser(parser, XML_TRUE);
    } else if (name == "sheetData") {
      in_data_ = false;
    }
  }

  void text(const char* s, int len) override {
    if (!capture_) return;
    value_.append(s, static_cast<size_t>(len));
    // Checked while reading so a huge cell never sits in memory; the raw text
    // may be longer than the value by its _xHHHH_ escapes (7 bytes for 1).
    if (value_.size() > 7 * limits_.max_cell_bytes + 64) too_long();
  }

  void too_long() {
    abort(Status::TooLarge(where(col_) + ": cell longer than " +
                           std::to_string(limits_.max_cell_bytes) + " bytes"));
  }

  static bool parse_ref(const char* r, size_t* col) {
    size_t c = 0, letters = 0;
    for (; *r >= 'A' && *r <= 'Z'; ++r, ++letters) c = c * 26 + static_cast<size_t>(*r - 'A' + 1);
    if (letters == 0 || letters > 3) return false;
    for (; *r; ++r)
      if (*r < '0' || *r > '9') return false;
    *col = c - 1;
    return true;
  }

  void finish_cell() {
    CellKind kind = CellKind::text;
    std::string_view text;
    std::string& scratch = scratch_;
    if (type_ == "s") {
      long index;
      if (!parse_long(value_, &index) || index < 0 ||
          static_cast<size_t>(index) >= strings_.size()) {
        abort(Status::Invalid(where(col_) + ": shared string \"" + value_.substr(0, 20) +
                              "\" does not exist (damaged XLSX)"));
        return;
      }
      text = strings_.at(static_cast<size_t>(index));
    } else if (type_ == "inlineStr" || type_ == "str") {
      decode_escapes(value_);
      text = value_;
    } else if (type_ == "b") {
      text = value_ == "1" || value_ == "true" ? "TRUE" : "FALSE";
    } else if (type_ == "e") {
      text = value_;  // #N/A, #DIV/0!, … as Excel shows them
    } else if (type_ == "d") {
      // ISO 8601 (strict OOXML): keep the date and, when set, the time.
      kind = CellKind::date;
      scratch = value_.substr(0, 19);
      if (scratch.size() > 10 && scratch[10] == 'T') scratch[10] = ' ';
      if (scratch.ends_with(" 00:00:00")) scratch.resize(10);
      text = scratch;
    } else {
      if (value_.find_first_not_of(" \t\r\n") == std::string::npos) return;
      double v;
      if (!parse_double(value_, &v)) {
        abort(Status::Invalid(where(col_) + ": malformed number \"" + value_.substr(0, 20) +
                              "\" (damaged XLSX)"));
        return;
      }
      if (date_ && excel_date_text(v, date1904_, &scratch)) {
        kind = CellKind::date;
      } else {
        kind = CellKind::number;
        scratch = excel_general(v);
      }
      text = scratch;
    }
    if (text.empty()) return;
    if (text.size() > limits_.max_cell_bytes) return too_long();
    if (col_ >= limits_.max_columns) {
      abort(Status::TooLarge(where(col_) + ": more than " + std::to_string(limits_.max_columns) +
                             " columns"));
      return;
    }
    // Gaps (B5 after A5 is missing) become empty cells, reusing the caller's strings.
    auto& cells = row_->cells;
    if (cells.size() < col_ + 1) cells.resize(col_ + 1);
    for (size_t i = used_; i < col_; ++i) {
      cells[i].kind = CellKind::empty;
      cells[i].text.clear();
    }
    cells[col_].kind = kind;
    cells[col_].text.assign(text);
    used_ = std::max(used_, col_ + 1);
  }

  zip_t* za_;
  zip_file_t* file_ = nullptr;
  XmlParser xp_;
  std::string part_, name_;
  ReadLimits limits_;
  uint64_t cap_, total_ = 0;
  SharedStrings strings_;
  std::vector<bool> date_styles_;
  bool date1904_;

  Status status_;
  Row* row_ = nullptr;
  bool done_ = false, suspended_ = false, last_final_ = false, row_ready_ = false;
  bool in_data_ = false, in_cell_ = false, capture_ = false, has_value_ = false, date_ = false;
  int rph_ = 0;
  long row_number_ = 0;
  size_t col_ = 0, next_col_ = 0, used_ = 0;
  std::string type_, value_, scratch_;
};

}  // namespace

std::string excel_general(double v) {
  if (v == 0) return "0";
  if (!std::isfinite(v)) return "#NUM!";
  // %G with 15 digits is Excel's General: plain up to 15 significant digits,
  // scientific (2.20102200801011E+17) from 1E+15, trailing zeros dropped.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15G", v);
  return buf;
}

bool excel_date_text(double serial, bool date1904, std::string* out) {
  if (!(serial >= 0) || serial >= 2958466) return false;
  long days = static_cast<long>(std::floor(serial));
  long secs = std::lround((serial - static_cast<double>(days)) * 86400.0);
  if (secs >= 86400) {
    ++days;
    secs -= 86400;
  }
  int y, m, d;
  if (date1904) {
    civil_from_days(kDays1904_01_01 + days, &y, &m, &d);
  } else if (days < 1) {
    return false;  // a bare time of day, not a date
  } else if (days == 60) {
    y = 1900, m = 2, d = 29;  // Lotus 1-2-3's leap-year bug, kept by Excel
  } else {
    civil_from_days(kDays1899_12_31 + days - (days > 60 ? 1 : 0), &y, &m, &d);
  }
  if (y > 9999) return false;
  char buf[40];
  if (secs > 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02ld:%02ld:%02ld", y, m, d, secs / 3600,
                  secs / 60 % 60, secs % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  }
  *out = buf;
  return true;
}

bool is_date_format(int id, std::string_view code) {
  if (code.empty()) {
    // Built-in date/time formats, including the Chinese-locale ones (27–36, 50–58).
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36) ||
           (id >= 50 && id <= 58);
  }
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      size_t j = code.find('"', i + 1);
      if (j == code.npos) return false;
      i = j;
    } else if (c == '[') {
      size_t j = code.find(']', i + 1);
      if (j == code.npos) return false;
      i = j;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // an escaped literal, or the width/fill character that follows
    } else {
      char l = static_cast<char>(c | 0x20);
      if (l == 'y' || l == 'm' || l == 'd' || l == 'h' || l == 's') return true;
    }
  }
  return false;
}

Result<std::unique_ptr<TableReader>> open_xlsx(const std::string& path, const std::string& name,
                                               const ReadLimits& limits, const XlsxCaps& caps) {
  Xlsx x(name, caps);
  FX_RETURN_IF_ERROR(x.open(path));

  ContentTypesSink types;
  std::string workbook;
  if (x.has("[Content_Types].xml")) {
    FX_RETURN_IF_ERROR(x.parse("[Content_Types].xml", caps.other_part_bytes, &types));
    workbook = types.workbook;
  }
  if (workbook.empty() || !x.has(workbook)) workbook = "xl/workbook.xml";
  if (!x.has(workbook)) {
    return Status::Invalid(name + ": a ZIP archive but not an XLSX workbook (no " + workbook + ")");
  }
  WorkbookSink wb;
  FX_RETURN_IF_ERROR(x.parse(workbook, caps.other_part_bytes, &wb));

  const size_t slash = workbook.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : workbook.substr(0, slash + 1);
  const std::string rels_part =
      dir + "_rels/" + (slash == std::string::npos ? workbook : workbook.substr(slash + 1)) +
      ".rels";
  RelsSink rels;
  if (!x.has(rels_part)) return x.damaged("missing " + rels_part);
  FX_RETURN_IF_ERROR(x.parse(rels_part, caps.other_part_bytes, &rels));

  // The first <sheet> that is a worksheet (chart sheets have no cells).
  std::string sheet;
  for (const auto& id : wb.sheet_ids) {
    auto it = rels.by_id.find(id);
    if (it != rels.by_id.end() && std::string_view(it->second.type).ends_with("/worksheet")) {
      sheet = resolve(dir, it->second.target);
      break;
    }
  }
  if (sheet.empty()) return Status::Invalid(name + ": the workbook has no worksheet");

  SharedStrings strings;
  std::string ss =
      rels.shared_strings.empty() ? dir + "sharedStrings.xml" : resolve(dir, rels.shared_strings);
  if (x.has(ss)) FX_RETURN_IF_ERROR(x.parse(ss, caps.shared_strings_bytes, &strings));

  StylesSink styles;
  std::string st = rels.styles.empty() ? dir + "styles.xml" : resolve(dir, rels.styles);
  if (x.has(st)) FX_RETURN_IF_ERROR(x.parse(st, caps.other_part_bytes, &styles));
  std::vector<bool> date_styles(styles.xf_formats.size());
  for (size_t i = 0; i < styles.xf_formats.size(); ++i) {
    long id = styles.xf_formats[i];
    auto it = styles.custom.find(id);
    date_styles[i] =
        is_date_format(static_cast<int>(id), it == styles.custom.end() ? "" : it->second);
  }

  ZipFile file;
  FX_RETURN_IF_ERROR(x.open_part(sheet, &file));
  return std::unique_ptr<TableReader>(
      std::make_unique<XlsxReader>(x.release(), &file, sheet, name, limits, caps.sheet_bytes,
                                   std::move(strings), std::move(date_styles), wb.date1904));
}

}  // namespace fx::ingest
