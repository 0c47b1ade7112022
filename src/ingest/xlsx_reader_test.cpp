// Reading XLSX: workbooks written by libxlsxwriter and hand-built parts for
// what it cannot write (phonetic runs, 1904 dates, damaged archives).
#include "ingest/xlsx_reader.h"

#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <map>
#include <string>
#include <vector>

#include "ingest/table.h"
#include "tests/test_support.h"

namespace fx::ingest {
namespace {

using fx::testing::read_file;
using fx::testing::TempDir;
using fx::testing::write_file;

struct Got {
  std::vector<Row> rows;
  Status status;
};

Got read_all(const std::string& path, const ReadLimits& limits = {}) {
  Got g;
  auto r = open_table(path, limits);
  if (!r.ok()) {
    g.status = r.status();
    return g;
  }
  EXPECT_EQ(r.value()->format(), FileFormat::xlsx);
  EXPECT_EQ(r.value()->encoding(), TextEncoding::utf8);
  Row row;
  while (r.value()->next(row)) g.rows.push_back(row);
  g.status = r.value()->status();
  return g;
}

std::string texts(const Row& row) {
  std::string s;
  for (size_t i = 0; i < row.cells.size(); ++i) s += (i ? "|" : "") + row.cells[i].text;
  return s;
}

// Writes a ZIP holding `parts` (name → content) with libzip.
void write_zip(const std::string& path, const std::map<std::string, std::string>& parts) {
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  ASSERT_NE(za, nullptr);
  for (const auto& [name, data] : parts) {
    zip_source_t* src = zip_source_buffer(za, data.data(), data.size(), 0);
    ASSERT_GE(zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8), 0);
  }
  ASSERT_EQ(zip_close(za), 0);
}

const char kTypes[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>)";
const char kRels[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/></Relationships>)";

std::string workbook(bool date1904) {
  return std::string(
             R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr)") +
         (date1904 ? R"( date1904="1")" : "") +
         R"(/><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>)";
}

// Styles: 0 General, 1 "yyyy\"年\"m\"月\"d\"日\"", 2 built-in 14, 3 a quoted
// literal that is not a date, 4 Chinese built-in 31.
const char kStyles[] =
    R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="177" formatCode="0.00&quot;day&quot;;[Red]\-0.00"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="14"><alignment/></xf><xf numFmtId="177"/><xf numFmtId="31"/></cellXfs></styleSheet>)";

const char kShared[] =
    R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>姓名</t></si><si><r><t>张</t></r><r><rPr><b/></rPr><t xml:space="preserve">伟 </t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh></si><si><t>a_x000D_b_x005F_x</t></si><si><t></t></si></sst>)";

std::string sheet(const std::string& rows) {
  return R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:F9"/><sheetData>)" +
         rows + "</sheetData><mergeCells count=\"0\"/></worksheet>";
}

std::map<std::string, std::string> parts(const std::string& rows, bool date1904 = false) {
  return {{"[Content_Types].xml", kTypes},       {"xl/workbook.xml", workbook(date1904)},
          {"xl/_rels/workbook.xml.rels", kRels}, {"xl/worksheets/data.xml", sheet(rows)},
          {"xl/sharedStrings.xml", kShared},     {"xl/styles.xml", kStyles}};
}

TEST(XlsxReader, HandBuiltParts) {
  TempDir dir;
  write_zip(
      dir.file("h.xlsx"),
      parts(
          R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>)"
          R"(<row r="2" spans="1:6"><c r="A2" s="1"><v>44679</v></c><c r="B2" s="2"><v>44679.5</v></c><c r="C2" s="3"><v>7</v></c><c r="D2" s="4"><v>60</v></c><c r="E2" s="2"><v>61</v></c></row>)"
          R"(<row r="3"><c r="A3" s="5"/><c r="C3" s="1"/></row>)"
          R"(<row r="4"><c r="B4" t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c t="str"><f>A1</f><v>公式</v></c><c t="inlineStr"><is><t>内联</t><rPh><t>x</t></rPh></is></c><c t="s"><v>3</v></c></row>)"
          R"(<row r="7"><c r="A7"><v>220102200801011234</v></c><c r="B7"><v>13812345678</v></c><c r="C7"><v>3.5</v></c><c r="D7"><v>-0.25</v></c></row>)"));
  Got g = read_all(dir.file("h.xlsx"));
  ASSERT_TRUE(g.status.ok()) << g.status.message();
  ASSERT_EQ(g.rows.size(), 4u);  // row 3 holds only styled empty cells
  EXPECT_EQ(texts(g.rows[0]), "姓名|张伟 ||a\rb_x");
  EXPECT_EQ(g.rows[0].cells[2].kind, CellKind::empty);
  EXPECT_EQ(g.rows[1].number, 2);
  EXPECT_EQ(texts(g.rows[1]), "2022-04-28|2022-04-28 12:00:00|7|1900-02-29|1900-03-01");
  EXPECT_EQ(g.rows[1].cells[0].kind, CellKind::date);
  EXPECT_EQ(g.rows[1].cells[2].kind, CellKind::number);  // "day" is quoted, not a date
  EXPECT_EQ(g.rows[1].cells[3].kind, CellKind::date);
  EXPECT_EQ(g.rows[2].number, 4);
  EXPECT_EQ(texts(g.rows[2]), "|TRUE|#N/A|公式|内联");  // the empty shared string adds nothing
  EXPECT_EQ(g.rows[2].cells[0].kind, CellKind::empty);
  EXPECT_EQ(g.rows[2].cells[1].kind, CellKind::text);
  EXPECT_EQ(g.rows[3].number, 7);
  EXPECT_EQ(texts(g.rows[3]), "2.20102200801011E+17|13812345678|3.5|-0.25");
  for (const auto& c : g.rows[3].cells) EXPECT_EQ(c.kind, CellKind::number);
}

TEST(XlsxReader, Date1904) {
  TempDir dir;
  write_zip(
      dir.file("mac.xlsx"),
      parts(R"(<row r="1"><c r="A1" s="2"><v>43217</v></c><c r="B1" s="2"><v>0</v></c></row>)",
            true));
  Got g = read_all(dir.file("mac.xlsx"));
  ASSERT_TRUE(g.status.ok()) << g.status.message();
  EXPECT_EQ(texts(g.rows.at(0)), "2022-04-28|1904-01-01");
}

TEST(XlsxReader, CellErrorsNameRowAndColumn) {
  TempDir dir;
  write_zip(dir.file("big.xlsx"),
            parts("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"9\"><c r=\"C9\" "
                  "t=\"inlineStr\"><is><t>" +
                  std::string(40000, 'z') + "</t></is></c></row>"));
  Got g = read_all(dir.file("big.xlsx"));
  EXPECT_EQ(g.rows.size(), 1u);
  EXPECT_EQ(g.status.message(), "big.xlsx row 9 column C: cell longer than 32768 bytes");

  write_zip(dir.file("wide.xlsx"), parts(R"(<row r="3"><c r="TA3"><v>1</v></c></row>)"));
  EXPECT_EQ(read_all(dir.file("wide.xlsx")).status.message(),
            "wide.xlsx row 3 column TA: more than 512 columns");

  write_zip(dir.file("ss.xlsx"), parts(R"(<row r="2"><c r="B2" t="s"><v>99</v></c></row>)"));
  EXPECT_EQ(read_all(dir.file("ss.xlsx")).status.message(),
            "ss.xlsx row 2 column B: shared string \"99\" does not exist (damaged XLSX)");

  write_zip(dir.file("bad.xlsx"), parts(R"(<row r="2"><c r="B2"><v>1</v></row>)"));
  Got bad = read_all(dir.file("bad.xlsx"));
  EXPECT_EQ(bad.status.message().rfind(
                "bad.xlsx: truncated or damaged XLSX (malformed XML in xl/worksheets/data.xml", 0),
            0u)
      << bad.status.message();
}

TEST(XlsxReader, ZipThatIsNotXlsx) {
  TempDir dir;
  write_zip(dir.file("photos.xlsx"), {{"a.txt", "hello"}, {"b/c.txt", "world"}});
  auto r = open_table(dir.file("photos.xlsx"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "photos.xlsx: a ZIP archive but not an XLSX workbook (no xl/workbook.xml)");

  auto p = parts("");
  p.erase("xl/worksheets/data.xml");
  write_zip(dir.file("nosheet.xlsx"), p);
  EXPECT_EQ(open_table(dir.file("nosheet.xlsx")).status().message(),
            "nosheet.xlsx: truncated or damaged XLSX (missing xl/worksheets/data.xml)");
}

TEST(XlsxReader, ZipBombIsCapped) {
  TempDir dir;
  std::string rows;
  for (int i = 1; i <= 100000; ++i)
    rows += "<row r=\"" + std::to_string(i) + "\"><c><v>1</v></c></row>";
  write_zip(dir.file("bomb.xlsx"), parts(rows));
  XlsxCaps caps;
  caps.sheet_bytes = 1 << 20;
  auto r = open_xlsx(dir.file("bomb.xlsx"), "bomb.xlsx", {}, caps);
  ASSERT_TRUE(r.ok()) << r.status().message();
  Row row;
  long n = 0;
  while (r.value()->next(row)) ++n;
  EXPECT_GT(n, 0);
  EXPECT_LT(n, 100000);
  EXPECT_EQ(r.value()->status().code(), Status::Code::too_large);
  EXPECT_EQ(
      r.value()->status().message().rfind("bomb.xlsx: xl/worksheets/data.xml is larger than", 0),
      0u)
      << r.value()->status().message();

  caps = {};
  caps.shared_strings_bytes = 10;
  EXPECT_EQ(open_xlsx(dir.file("bomb.xlsx"), "bomb.xlsx", {}, caps).status().code(),
            Status::Code::too_large);
}

// A workbook like a school's, written by libxlsxwriter.
void write_school_workbook(const std::string& path, bool constant_memory) {
  lxw_workbook_options opts = {};
  opts.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;  // inline strings
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &opts);
  ASSERT_NE(wb, nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "学生名单");
  lxw_format* ymd = workbook_add_format(wb);
  format_set_num_format(ymd, "yyyy-mm-dd");
  lxw_format* slash = workbook_add_format(wb);
  format_set_num_format(slash, "yyyy/m/d");
  lxw_format* stamp = workbook_add_format(wb);
  format_set_num_format(stamp, "yyyy-mm-dd hh:mm:ss");
  lxw_format* money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0.00");

  const char* header[] = {"姓名", "手机", "身份证号", "体温", "出生日期", "返校日期", "采样时间"};
  for (int c = 0; c < 7; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
  worksheet_write_string(ws, 1, 0, "张伟", nullptr);
  worksheet_write_number(ws, 1, 1, 13812345678, nullptr);
  worksheet_write_number(ws, 1, 2, 2.20102200801011E17, nullptr);
  worksheet_write_number(ws, 1, 3, 3.5, money);
  worksheet_write_number(ws, 1, 4, 39448, ymd);  // 2008-01-01
  worksheet_write_number(ws, 1, 5, 44679, slash);
  lxw_datetime dt = {2022, 4, 28, 8, 30, 15};
  worksheet_write_datetime(ws, 1, 6, &dt, stamp);
  // Row 3 is absent; row 4 has gaps.
  worksheet_write_string(ws, 3, 0, "李娜", nullptr);
  worksheet_write_number(ws, 3, 4, 20220428, nullptr);
  worksheet_write_string(ws, 3, 6, "吉林省长春市", nullptr);

  lxw_worksheet* other = workbook_add_worksheet(wb, "说明");
  worksheet_write_string(other, 0, 0, "这一页不应被读取", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
}

class LibXlsxWriter : public ::testing::TestWithParam<bool> {};

TEST_P(LibXlsxWriter, ReadsFirstSheet) {
  TempDir dir;
  write_school_workbook(dir.file("school.xlsx"), GetParam());
  Got g = read_all(dir.file("school.xlsx"));
  ASSERT_TRUE(g.status.ok()) << g.status.message();
  ASSERT_EQ(g.rows.size(), 3u);
  EXPECT_EQ(g.rows[0].number, 1);
  EXPECT_EQ(texts(g.rows[0]), "姓名|手机|身份证号|体温|出生日期|返校日期|采样时间");
  EXPECT_EQ(g.rows[1].number, 2);
  EXPECT_EQ(texts(g.rows[1]),
            "张伟|13812345678|2.20102200801011E+17|3.5|2008-01-01|2022-04-28|2022-04-28 08:30:15");
  const CellKind kinds[] = {CellKind::text, CellKind::number, CellKind::number, CellKind::number,
                            CellKind::date, CellKind::date,   CellKind::date};
  for (int c = 0; c < 7; ++c) EXPECT_EQ(g.rows[1].cells[c].kind, kinds[c]) << "column " << c;
  EXPECT_EQ(g.rows[2].number, 4);
  EXPECT_EQ(texts(g.rows[2]), "李娜||||20220428||吉林省长春市");
  EXPECT_EQ(g.rows[2].cells[1].kind, CellKind::empty);
  EXPECT_EQ(g.rows[2].cells[4].kind, CellKind::number);
}

INSTANTIATE_TEST_SUITE_P(SharedAndInlineStrings, LibXlsxWriter, ::testing::Bool());

TEST(XlsxReader, TruncatedFile) {
  TempDir dir;
  write_school_workbook(dir.file("full.xlsx"), false);
  std::string bytes = read_file(dir.file("full.xlsx"));
  write_file(dir.file("roster.xlsx"), bytes.substr(0, bytes.size() / 2));
  auto r = open_table(dir.file("roster.xlsx"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("roster.xlsx: truncated or damaged XLSX (", 0), 0u)
      << r.status().message();
}

TEST(XlsxReader, DamagedCompressedDataNeverCrashes) {
  TempDir dir;
  write_school_workbook(dir.file("full.xlsx"), false);
  std::string bytes = read_file(dir.file("full.xlsx"));
  // Flip bytes all through the archive; every outcome must be a row or a Status.
  for (size_t at = 30; at < bytes.size(); at += bytes.size() / 97 + 1) {
    std::string b = bytes;
    for (size_t k = at; k < at + 8 && k < b.size(); ++k) b[k] = static_cast<char>(b[k] ^ 0x5A);
    write_file(dir.file("f.xlsx"), b);
    Got g = read_all(dir.file("f.xlsx"));
    if (!g.status.ok()) {
      EXPECT_EQ(g.status.message().rfind("f.xlsx", 0), 0u) << g.status.message();
    }
  }
}

TEST(ExcelFormats, General) {
  EXPECT_EQ(excel_general(13812345678), "13812345678");
  EXPECT_EQ(excel_general(20220428), "20220428");
  EXPECT_EQ(excel_general(220102200801011234.0), "2.20102200801011E+17");
  EXPECT_EQ(excel_general(123456789012345), "123456789012345");
  EXPECT_EQ(excel_general(1e15), "1E+15");
  EXPECT_EQ(excel_general(3.5), "3.5");
  EXPECT_EQ(excel_general(125.3245), "125.3245");
  EXPECT_EQ(excel_general(0.1 + 0.2), "0.3");
  EXPECT_EQ(excel_general(-42), "-42");
  EXPECT_EQ(excel_general(0), "0");
}

TEST(ExcelFormats, DateSerials) {
  std::string s;
  ASSERT_TRUE(excel_date_text(1, false, &s));
  EXPECT_EQ(s, "1900-01-01");
  ASSERT_TRUE(excel_date_text(59, false, &s));
  EXPECT_EQ(s, "1900-02-28");
  ASSERT_TRUE(excel_date_text(60, false, &s));
  EXPECT_EQ(s, "1900-02-29");
  ASSERT_TRUE(excel_date_text(61, false, &s));
  EXPECT_EQ(s, "1900-03-01");
  ASSERT_TRUE(excel_date_text(44679.75, false, &s));
  EXPECT_EQ(s, "2022-04-28 18:00:00");
  ASSERT_TRUE(excel_date_text(44679.99999999, false, &s));  // rounds to the next day
  EXPECT_EQ(s, "2022-04-29");
  ASSERT_TRUE(excel_date_text(2958465, false, &s));
  EXPECT_EQ(s, "9999-12-31");
  EXPECT_FALSE(excel_date_text(0.5, false, &s));  // a time of day only
  EXPECT_FALSE(excel_date_text(-1, false, &s));
  EXPECT_FALSE(excel_date_text(3e6, false, &s));
}

TEST(ExcelFormats, DateFormatDetection) {
  EXPECT_TRUE(is_date_format(14, ""));
  EXPECT_TRUE(is_date_format(22, ""));
  EXPECT_TRUE(is_date_format(31, ""));  // yyyy"年"m"月"d"日" in a Chinese Excel
  EXPECT_TRUE(is_date_format(57, ""));
  EXPECT_FALSE(is_date_format(0, ""));
  EXPECT_FALSE(is_date_format(49, ""));  // @ text
  EXPECT_TRUE(is_date_format(176, "yyyy/m/d"));
  EXPECT_TRUE(is_date_format(176, "yyyy\"年\"m\"月\"d\"日\""));
  EXPECT_TRUE(is_date_format(176, "[$-804]yyyy\\-mm\\-dd"));
  EXPECT_TRUE(is_date_format(176, "[h]:mm:ss"));
  EXPECT_FALSE(is_date_format(176, "0.00\"days\""));
  EXPECT_FALSE(is_date_format(176, "[Red]#,##0"));
  EXPECT_FALSE(is_date_format(176, "General"));
  EXPECT_FALSE(is_date_format(176, "0_);\\(0\\)"));
}

}  // namespace
}  // namespace fx::ingest
