#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ingest/table.h"
#include "tests/test_support.h"

namespace fx::ingest {
namespace {

using fx::testing::TempDir;

// One member of a ZIP file, or "" when absent.
std::string zip_member(const std::string& path, const std::string& name) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (z == nullptr) return "";
  std::string out;
  zip_stat_t st;
  if (zip_stat(z, name.c_str(), 0, &st) == 0) {
    zip_file_t* f = zip_fopen(z, name.c_str(), 0);
    if (f != nullptr) {
      out.resize(st.size);
      zip_fread(f, out.data(), st.size);
      zip_fclose(f);
    }
  }
  zip_close(z);
  return out;
}

std::vector<Row> read_all(const std::string& path) {
  auto r = open_table(path);
  EXPECT_TRUE(r.ok()) << r.status().message();
  std::vector<Row> rows;
  if (!r.ok()) return rows;
  EXPECT_EQ(r.value()->format(), FileFormat::xlsx);
  Row row;
  while (r.value()->next(row)) rows.push_back(row);
  EXPECT_TRUE(r.value()->status().ok()) << r.value()->status().message();
  return rows;
}

TEST(XlsxWriter, TextStaysTextAndNumericColumnsAreNumbers) {
  TempDir dir;
  std::string path = dir.file("t.xlsx");
  WriteOptions opt;
  opt.numeric_columns = {3};
  auto w = create_table(path, FileFormat::xlsx, TextEncoding::utf8, opt);
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_TRUE(w.value()->write_row({"姓名", "证件号码", "手机号", "经度"}).ok());
  ASSERT_TRUE(
      w.value()->write_row({"王强", "220172200801011234", "13843112345", "125.482317"}).ok());
  ASSERT_TRUE(w.value()->write_row({"李娜", "0012", "", "n/a"}).ok());
  ASSERT_TRUE(w.value()->close().ok());

  std::vector<Row> rows = read_all(path);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].number, 1);
  EXPECT_EQ(rows[0].cells[1].text, "证件号码");
  EXPECT_EQ(rows[1].number, 2);
  EXPECT_EQ(rows[1].cells[1].kind, CellKind::text);
  EXPECT_EQ(rows[1].cells[1].text, "220172200801011234");
  EXPECT_EQ(rows[1].cells[2].kind, CellKind::text);
  EXPECT_EQ(rows[1].cells[2].text, "13843112345");
  EXPECT_EQ(rows[1].cells[3].kind, CellKind::number);
  EXPECT_EQ(rows[1].cells[3].text, "125.482317");
  EXPECT_EQ(rows[2].cells[1].text, "0012");  // leading zeros survive as text
  ASSERT_GE(rows[2].cells.size(), 4u);
  EXPECT_EQ(rows[2].cells[2].kind, CellKind::empty);
  EXPECT_EQ(rows[2].cells[3].kind, CellKind::text);  // not a number: written as text
  EXPECT_EQ(rows[2].cells[3].text, "n/a");
}

TEST(XlsxWriter, TitleHeaderFreezeAndWidths) {
  TempDir dir;
  std::string path = dir.file("title.xlsx");
  WriteOptions opt;
  opt.title = "净月区教育系统人员名单";
  opt.sheet_name = "人员名单";
  auto w = create_table(path, FileFormat::xlsx, TextEncoding::utf8, opt);
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_TRUE(w.value()->write_row({"学校名称", "证件号码", "ab"}).ok());
  ASSERT_TRUE(w.value()->write_row({"长春职业技术学院", "220172200801011234", "x"}).ok());
  ASSERT_TRUE(w.value()->close().ok());

  std::string sheet = zip_member(path, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(sheet.empty());
  EXPECT_NE(sheet.find("<mergeCell ref=\"A1:C1\"/>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("ySplit=\"2\""), std::string::npos);  // frozen below the header
  EXPECT_NE(sheet.find("topLeftCell=\"A3\""), std::string::npos);
  // 长春职业技术学院: 8 CJK characters count 16, plus 2 of margin.
  EXPECT_NE(sheet.find("<col min=\"1\" max=\"1\" width=\"18.7109375\""), std::string::npos)
      << sheet.substr(0, 1200);
  std::string workbook = zip_member(path, "xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"人员名单\""), std::string::npos);

  std::vector<Row> rows = read_all(path);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].cells[0].text, "净月区教育系统人员名单");
  EXPECT_EQ(rows[1].number, 2);
  EXPECT_EQ(rows[1].cells[0].text, "学校名称");
  EXPECT_EQ(rows[2].cells[1].text, "220172200801011234");
}

TEST(XlsxWriter, GivenWidthsAndNoFreeze) {
  TempDir dir;
  std::string path = dir.file("w.xlsx");
  WriteOptions opt;
  opt.freeze_header = false;
  opt.column_widths = {30, 12};
  auto w = create_table(path, FileFormat::xlsx, TextEncoding::utf8, opt);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w.value()->write_row({"a", "b"}).ok());
  ASSERT_TRUE(w.value()->close().ok());
  std::string sheet = zip_member(path, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(sheet.find("<pane"), std::string::npos);
  EXPECT_NE(sheet.find("width=\"30.7109375\""), std::string::npos) << sheet;
}

TEST(XlsxWriter, BadPathFailsAtCreate) {
  auto w = create_table("/nonexistent-dir/x/roster.xlsx", FileFormat::xlsx);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("roster.xlsx"), std::string::npos);
}

TEST(XlsxWriter, BadSheetNameIsInvalid) {
  TempDir dir;
  WriteOptions opt;
  opt.sheet_name = "a/b";
  auto w = create_table(dir.file("s.xlsx"), FileFormat::xlsx, TextEncoding::utf8, opt);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Status::Code::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir.file("s.xlsx")));
}

TEST(XlsxWriter, FailingCloseNamesTheFile) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("sub"));
  std::string path = dir.file("sub/gone.xlsx");
  auto w = create_table(path, FileFormat::xlsx);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w.value()->write_row({"a"}).ok());
  ASSERT_TRUE(w.value()->write_row({"1"}).ok());
  std::filesystem::remove_all(dir.file("sub"));  // the folder vanishes before close
  Status s = w.value()->close();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::io_error);
  EXPECT_NE(s.message().find("gone.xlsx"), std::string::npos) << s.message();
}

TEST(XlsxWriter, TooLongCellIsAnError) {
  TempDir dir;
  auto w = create_table(dir.file("long.xlsx"), FileFormat::xlsx);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w.value()->write_row({"a"}).ok());
  Status s = w.value()->write_row({std::string(40000, 'x')});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("row 2"), std::string::npos) << s.message();
}

TEST(XlsxWriter, SheetRowLimitIsAClearError) {
  TempDir dir;
  std::string path = dir.file("big.xlsx");
  WriteOptions opt;
  opt.title = "t";  // the title takes a row, so the limit comes one row sooner
  auto w = create_table(path, FileFormat::xlsx, TextEncoding::utf8, opt);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w.value()->write_row({"n"}).ok());
  // Blank cells cost libxlsxwriter nothing, so the sheet fills up quickly.
  std::vector<std::string> row = {""};
  for (long i = 0; i < 1048574; ++i) ASSERT_TRUE(w.value()->write_row(row).ok()) << i;
  Status s = w.value()->write_row(row);
  EXPECT_EQ(s.code(), Status::Code::too_large);
  EXPECT_NE(s.message().find("1,048,576"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("big.xlsx"), std::string::npos) << s.message();
  // What fits is still a complete file.
  EXPECT_TRUE(w.value()->close().ok());
}

TEST(XlsxWriter, AbandonedWriterLeavesNoFile) {
  TempDir dir;
  {
    auto w = create_table(dir.file("a.xlsx"), FileFormat::xlsx);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w.value()->write_row({"x"}).ok());
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("a.xlsx")));
}

}  // namespace
}  // namespace fx::ingest
