#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ingest/table.h"
#include "tests/test_support.h"

namespace fx::ingest {
namespace {

using fx::testing::read_file;
using fx::testing::TempDir;

std::string write_csv(const std::string& path, TextEncoding enc,
                      const std::vector<std::vector<std::string>>& rows) {
  auto w = create_table(path, FileFormat::csv, enc);
  EXPECT_TRUE(w.ok()) << w.status().message();
  for (const auto& r : rows) EXPECT_TRUE(w.value()->write_row(r).ok());
  EXPECT_TRUE(w.value()->close().ok());
  return read_file(path);
}

TEST(CsvWriter, QuotesOnlyWhatNeedsIt) {
  TempDir dir;
  std::string bytes = write_csv(
      dir.file("q.csv"), TextEncoding::utf8,
      {{"a", "b,c", "say \"hi\"", ""}, {"line\nbreak", "cr\rhere", " lead", "trail ", "中文"}});
  EXPECT_EQ(bytes,
            "a,\"b,c\",\"say \"\"hi\"\"\",\r\n"
            "\"line\nbreak\",\"cr\rhere\",\" lead\",\"trail \",中文\r\n");
}

TEST(CsvWriter, BomOnlyForUtf8Bom) {
  TempDir dir;
  std::string with = write_csv(dir.file("b.csv"), TextEncoding::utf8_bom, {{"姓名"}});
  std::string without = write_csv(dir.file("n.csv"), TextEncoding::utf8, {{"姓名"}});
  EXPECT_EQ(with, "\xEF\xBB\xBF姓名\r\n");
  EXPECT_EQ(without, "姓名\r\n");
}

TEST(CsvWriter, EmptyTableWithBomIsJustTheBom) {
  TempDir dir;
  EXPECT_EQ(write_csv(dir.file("e.csv"), TextEncoding::utf8_bom, {}), "\xEF\xBB\xBF");
}

TEST(CsvWriter, Gb18030Bytes) {
  TempDir dir;
  // 中文 is two-byte GBK; € and U+20000 need GB18030's two- and four-byte forms.
  std::string bytes = write_csv(dir.file("g.csv"), TextEncoding::gb18030,
                                {{"中文", "a,b"}, {"€", "\xF0\xA0\x80\x80"}});
  EXPECT_EQ(bytes,
            "\xD6\xD0\xCE\xC4,\"a,b\"\r\n"
            "\xA2\xE3,\x95\x32\x82\x36\r\n");
}

TEST(CsvWriter, Gb18030RejectsInvalidUtf8AndNamesTheRow) {
  TempDir dir;
  auto w = create_table(dir.file("bad.csv"), FileFormat::csv, TextEncoding::gb18030);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w.value()->write_row({"ok"}).ok());
  Status s = w.value()->write_row({"bad \xFF byte"});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("row 2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("bad.csv"), std::string::npos) << s.message();
}

TEST(CsvWriter, BadPathIsAnErrorNamingTheFile) {
  auto w = create_table("/nonexistent-dir/x/roster.csv", FileFormat::csv);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Status::Code::io_error);
  EXPECT_NE(w.status().message().find("roster.csv"), std::string::npos);
}

TEST(CsvWriter, FullDiskIsAnError) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  auto w = create_table("/dev/full", FileFormat::csv, TextEncoding::utf8);
  ASSERT_TRUE(w.ok()) << w.status().message();
  Status s;
  for (int i = 0; i < 100000 && s.ok(); ++i) s = w.value()->write_row({"0123456789", "abcdef"});
  if (s.ok()) s = w.value()->close();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::io_error);
  EXPECT_NE(s.message().find("/dev/full"), std::string::npos) << s.message();
  EXPECT_TRUE(std::filesystem::exists("/dev/full"));  // a device is never removed
}

TEST(CsvWriter, AbandonedWriterLeavesNoFile) {
  TempDir dir;
  {
    auto w = create_table(dir.file("a.csv"), FileFormat::csv);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w.value()->write_row({"x"}).ok());
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("a.csv")));
}

TEST(CsvWriter, RoundTripsThroughOpenTable) {
  TempDir dir;
  std::vector<std::vector<std::string>> rows = {
      {"姓名", "证件号码", "备注"},
      {"王强", "220172200801011234", "a,\"b\"\nc"},
      {"李娜", "22010220090203234X", " 前后空格 "},
  };
  for (TextEncoding enc : {TextEncoding::utf8, TextEncoding::utf8_bom, TextEncoding::gb18030}) {
    std::string path = dir.file("rt.csv");
    write_csv(path, enc, rows);
    auto r = open_table(path);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r.value()->encoding(), enc) << describe(FileFormat::csv, enc);
    Row row;
    size_t n = 0;
    while (r.value()->next(row)) {
      ASSERT_LT(n, rows.size());
      ASSERT_EQ(row.cells.size(), rows[n].size());
      for (size_t c = 0; c < rows[n].size(); ++c) EXPECT_EQ(row.cells[c].text, rows[n][c]);
      ++n;
    }
    EXPECT_TRUE(r.value()->status().ok()) << r.value()->status().message();
    EXPECT_EQ(n, rows.size());
  }
}

}  // namespace
}  // namespace fx::ingest
