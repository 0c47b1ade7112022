// Reading CSV: encodings, RFC 4180 quoting, row numbering and hostile input.
#include <gtest/gtest.h>
#include <iconv.h>

#include <string>
#include <vector>

#include "ingest/table.h"
#include "tests/test_support.h"

namespace fx::ingest {
namespace {

using fx::testing::TempDir;
using fx::testing::write_file;

struct Table {
  std::vector<long> numbers;
  std::vector<std::vector<std::string>> rows;
  Status status;
  TextEncoding encoding = TextEncoding::utf8;
  FileFormat format = FileFormat::csv;
};

Table read_all(const std::string& path, const ReadLimits& limits = {}) {
  Table t;
  auto r = open_table(path, limits);
  if (!r.ok()) {
    t.status = r.status();
    return t;
  }
  auto& reader = *r.value();
  t.encoding = reader.encoding();
  t.format = reader.format();
  Row row;
  while (reader.next(row)) {
    t.numbers.push_back(row.number);
    std::vector<std::string> cells;
    for (const auto& c : row.cells) {
      EXPECT_EQ(c.kind, c.text.empty() ? CellKind::empty : CellKind::text);
      cells.push_back(c.text);
    }
    t.rows.push_back(cells);
  }
  t.status = reader.status();
  return t;
}

std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t o_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &o, &o_left), static_cast<size_t>(-1));
  out.resize(out.size() - o_left);
  iconv_close(cd);
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

const char kRoster[] =
    "姓名,身份证号,住址\n张伟,220102200801011234,吉林省长春市\n李娜,220102200902022345,"
    "净月高新区\n";
const Rows kRosterRows = {{"姓名", "身份证号", "住址"},
                          {"张伟", "220102200801011234", "吉林省长春市"},
                          {"李娜", "220102200902022345", "净月高新区"}};

TEST(CsvReader, Utf8) {
  TempDir dir;
  write_file(dir.file("r.csv"), kRoster);
  Table t = read_all(dir.file("r.csv"));
  ASSERT_TRUE(t.status.ok()) << t.status.message();
  EXPECT_EQ(t.rows, kRosterRows);
  EXPECT_EQ(t.numbers, (std::vector<long>{1, 2, 3}));
  EXPECT_EQ(t.encoding, TextEncoding::utf8);
  EXPECT_EQ(t.format, FileFormat::csv);
}

TEST(CsvReader, Utf8WithBom) {
  TempDir dir;
  write_file(dir.file("r.csv"), std::string("\xEF\xBB\xBF") + kRoster);
  Table t = read_all(dir.file("r.csv"));
  ASSERT_TRUE(t.status.ok()) << t.status.message();
  EXPECT_EQ(t.rows, kRosterRows);  // the BOM is not part of the first header
  EXPECT_EQ(t.encoding, TextEncoding::utf8_bom);
}

TEST(CsvReader, Gb18030) {
  TempDir dir;
  std::string bytes = to_gb18030(kRoster);
  ASSERT_EQ(bytes.find("张伟"), std::string::npos);  // really converted
  write_file(dir.file("r.csv"), bytes);
  Table t = read_all(dir.file("r.csv"));
  ASSERT_TRUE(t.status.ok()) << t.status.message();
  EXPECT_EQ(t.rows, kRosterRows);
  EXPECT_EQ(t.encoding, TextEncoding::gb18030);
}

TEST(CsvReader, Gb18030LargeFileAcrossBlocks) {
  // Two-byte characters straddle the 1 MiB block boundaries somewhere.
  TempDir dir;
  std::string utf8 = "姓名,住址\n";
  for (int i = 0; i < 60000; ++i) utf8 += "张伟" + std::to_string(i) + ",吉林省长春市净月区\n";
  write_file(dir.file("big.csv"), to_gb18030(utf8));
  Table t = read_all(dir.file("big.csv"));
  ASSERT_TRUE(t.status.ok()) << t.status.message();
  ASSERT_EQ(t.rows.size(), 60001u);
  EXPECT_EQ(t.rows[59999 + 1][0], "张伟59999");
  EXPECT_EQ(t.rows[31337][1], "吉林省长春市净月区");
  EXPECT_EQ(t.encoding, TextEncoding::gb18030);
}

TEST(CsvReader, QuotedFields) {
  TempDir dir;
  write_file(dir.file("q.csv"),
             "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\"\n\"\",plain,\"\"\"\"\n");
  Table t = read_all(dir.file("q.csv"));
  ASSERT_TRUE(t.status.ok()) << t.status.message();
  EXPECT_EQ(t.rows,
            (Rows{{"a", "b", "c"}, {"x, y", "say \"hi\"", "line1\nline2"}, {"", "plain", "\""}}));
}

TEST(CsvReader, CrLfAndCr) {
  TempDir dir;
  write_file(dir.file("crlf.csv"), "a,b\r\n1,2\r\n\"q\"\r\n3,\r\n");
  Table t = read_all(dir.file("crlf.csv"));
  ASSERT_TRUE(t.status.ok()) << t.status.message();
  EXPECT_EQ(t.rows, (Rows{{"a", "b"}, {"1", "2"}, {"q"}, {"3", ""}}));
  EXPECT_EQ(t.numbers, (std::vector<long>{1, 2, 3, 4}));

  write_file(dir.file("cr.csv"), "a,b\r1,2\r");
  t = read_all(dir.file("cr.csv"));
  EXPECT_EQ(t.rows, (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReader, RowNumbersCountRecordsAndBlankRows) {
  TempDir dir;
  // Row 2 holds a two-line quoted cell; rows 3 and 5 are blank; trailing
  // blank lines are ignored.
  write_file(dir.file("n.csv"), "h1,h2\n\"two\r\nlines\",x\n\nthird,y\n,,\nlast,z\n\n\n");
  Table t = read_all(dir.file("n.csv"));
  ASSERT_TRUE(t.status.ok()) << t.status.message();
  EXPECT_EQ(t.numbers, (std::vector<long>{1, 2, 4, 6}));
  EXPECT_EQ(t.rows[1][0], "two\r\nlines");
  EXPECT_EQ(t.rows[3], (std::vector<std::string>{"last", "z"}));
}

TEST(CsvReader, NoFinalNewline) {
  TempDir dir;
  write_file(dir.file("f.csv"), "a,b\n1,2");
  EXPECT_EQ(read_all(dir.file("f.csv")).rows, (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReader, TabSeparated) {
  TempDir dir;
  write_file(dir.file("t.csv"), "姓名\t电话\n张伟\t13812345678\n");
  EXPECT_EQ(read_all(dir.file("t.csv")).rows, (Rows{{"姓名", "电话"}, {"张伟", "13812345678"}}));
  // A header with commas stays comma-separated even if cells hold tabs.
  write_file(dir.file("c.csv"), "a,b\tc\n1,2\n");
  EXPECT_EQ(read_all(dir.file("c.csv")).rows, (Rows{{"a", "b\tc"}, {"1", "2"}}));
}

TEST(CsvReader, ReusesRowBetweenCalls) {
  TempDir dir;
  write_file(dir.file("r.csv"), "a,b,c\n1\n");
  auto r = open_table(dir.file("r.csv"));
  ASSERT_TRUE(r.ok());
  Row row;
  ASSERT_TRUE(r.value()->next(row));
  EXPECT_EQ(row.cells.size(), 3u);
  ASSERT_TRUE(r.value()->next(row));
  ASSERT_EQ(row.cells.size(), 1u);  // nothing left over from the longer row
  EXPECT_EQ(row.cells[0].text, "1");
  EXPECT_FALSE(r.value()->next(row));
  EXPECT_TRUE(r.value()->status().ok());
}

TEST(CsvReader, HugeCellIsAnError) {
  TempDir dir;
  write_file(dir.file("huge.csv"), "a,b\n1,2\n3," + std::string(1000000, 'x') + "\n");
  Table t = read_all(dir.file("huge.csv"));
  EXPECT_FALSE(t.status.ok());
  EXPECT_EQ(t.status.message(), "huge.csv row 3 column B: cell longer than 32768 bytes");
  EXPECT_EQ(t.rows.size(), 2u);  // the rows before it were read

  write_file(dir.file("hq.csv"), "a\n\"" + std::string(40000, 'y') + "\"\n");
  t = read_all(dir.file("hq.csv"));
  EXPECT_EQ(t.status.message(), "hq.csv row 2 column A: cell longer than 32768 bytes");
}

TEST(CsvReader, TooManyColumns) {
  TempDir dir;
  write_file(dir.file("wide.csv"), "a\n" + std::string(600, ',') + "\n");
  Table t = read_all(dir.file("wide.csv"));
  EXPECT_EQ(t.status.message(), "wide.csv row 2: more than 512 columns");
}

TEST(CsvReader, InvalidUtf8AfterFirstMiB) {
  TempDir dir;
  std::string s = "姓名,住址\n";
  long rows = 1;
  while (s.size() < (3u << 19)) {  // 1.5 MiB of valid text first
    s += "张伟,吉林省长春市\n";
    ++rows;
  }
  s += "李娜,\xFF\xFE\n";
  write_file(dir.file("bad.csv"), s);
  Table t = read_all(dir.file("bad.csv"));
  EXPECT_EQ(t.encoding, TextEncoding::utf8);
  ASSERT_FALSE(t.status.ok());
  EXPECT_EQ(t.status.message().rfind(
                "bad.csv row " + std::to_string(rows + 1) + ": invalid UTF-8 (bytes 0xFF 0xFE", 0),
            0u)
      << t.status.message();
  EXPECT_EQ(static_cast<long>(t.rows.size()), rows);
}

TEST(CsvReader, InvalidGb18030AfterFirstMiB) {
  TempDir dir;
  std::string utf8 = "姓名,住址\n";
  long rows = 1;
  while (utf8.size() < (3u << 19)) {
    utf8 += "张伟,吉林省长春市\n";
    ++rows;
  }
  // 0x81 must be followed by a second byte 0x40-0xFE or a digit, not a comma.
  write_file(dir.file("gb.csv"), to_gb18030(utf8) + "\x81,x\n");
  Table t = read_all(dir.file("gb.csv"));
  EXPECT_EQ(t.encoding, TextEncoding::gb18030);
  EXPECT_EQ(t.status.message().rfind(
                "gb.csv row " + std::to_string(rows + 1) + ": invalid GB18030 (bytes 0x81 0x2C", 0),
            0u)
      << t.status.message();
}

TEST(CsvReader, TruncatedUtf8AtEnd) {
  TempDir dir;
  // 张 cut after two of its three bytes: a truncated UTF-8 file, not GB18030.
  write_file(dir.file("cut.csv"), "a\n\xE5\xBC");
  Table t = read_all(dir.file("cut.csv"));
  EXPECT_EQ(t.encoding, TextEncoding::utf8);
  EXPECT_EQ(t.status.message(),
            "cut.csv row 2: invalid UTF-8 (bytes 0xE5 0xBC at byte offset 2, cut off by the end "
            "of the file)");
}

TEST(CsvReader, UnterminatedQuote) {
  TempDir dir;
  write_file(dir.file("u.csv"), "a,b\n1,2\nx,\"never closed\n3,4\n");
  Table t = read_all(dir.file("u.csv"));
  EXPECT_EQ(t.status.message(),
            "u.csv row 3 column B: unterminated quoted cell (the closing \" is missing)");
}

TEST(OpenTable, EmptyFile) {
  TempDir dir;
  write_file(dir.file("roster.csv"), "");
  auto r = open_table(dir.file("roster.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "roster.csv: the file is empty");
  write_file(dir.file("bom.csv"), "\xEF\xBB\xBF");
  EXPECT_EQ(open_table(dir.file("bom.csv")).status().message(), "bom.csv: the file is empty");
}

TEST(OpenTable, BinaryJunk) {
  TempDir dir;
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919) & 0xFF);
  write_file(dir.file("roster.xlsx"), junk);
  auto r = open_table(dir.file("roster.xlsx"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "roster.xlsx: not a spreadsheet (binary content)");

  write_file(dir.file("scan.csv"), "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n");
  EXPECT_EQ(open_table(dir.file("scan.csv")).status().message(),
            "scan.csv: not a spreadsheet (a PDF document)");
  write_file(dir.file("old.xls"), std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + "xxxx");
  EXPECT_NE(open_table(dir.file("old.xls")).status().message().find("old.xls: an Excel 97-2003"),
            std::string::npos);
}

TEST(OpenTable, DisplayNameAndMissingFile) {
  TempDir dir;
  write_file(dir.file("x.csv"), "");
  EXPECT_EQ(open_table(dir.file("x.csv"), {}, "上传的名单.csv").status().message(),
            "上传的名单.csv: the file is empty");
  auto r = open_table(dir.file("nope.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::io_error);
  EXPECT_EQ(r.status().message().rfind("nope.csv: cannot open", 0), 0u);
}

TEST(OpenTable, Describe) {
  EXPECT_EQ(describe(FileFormat::csv, TextEncoding::utf8), "CSV (UTF-8)");
  EXPECT_EQ(describe(FileFormat::csv, TextEncoding::utf8_bom), "CSV (UTF-8 with BOM)");
  EXPECT_EQ(describe(FileFormat::csv, TextEncoding::gb18030), "CSV (GB18030)");
  EXPECT_EQ(describe(FileFormat::xlsx, TextEncoding::utf8), "XLSX");
}

}  // namespace
}  // namespace fx::ingest
