// The roster and institution imports against a real SQLite file.
#include <gtest/gtest.h>
#include <iconv.h>

#include <fstream>
#include <sstream>

#include "../../tests/test_support.h"
#include "app/imports.h"
#include "app/roster_stats.h"
#include "ingest/table.h"
#include "store/store.h"

namespace fx::app {
namespace {

using fx::testing::TempDir;

std::string data(const std::string& name) {
  return testing::source_dir() + "/tests/data/import/" + name;
}

std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string in = utf8, out(utf8.size() * 2 + 16, '\0');
  char* ip = in.data();
  char* op = out.data();
  size_t il = in.size(), ol = out.size();
  EXPECT_NE(iconv(cd, &ip, &il, &op, &ol), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - ol);
  return out;
}

// Copies a table (any format) to XLSX; `numeric_columns` are written as numbers.
void to_xlsx(const std::string& from, const std::string& to, std::vector<size_t> numeric = {}) {
  auto reader = ingest::open_table(from);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  ingest::WriteOptions options;
  options.numeric_columns = std::move(numeric);
  auto writer =
      ingest::create_table(to, ingest::FileFormat::xlsx, ingest::TextEncoding::utf8, options);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  ingest::Row row;
  while ((*reader)->next(row)) {
    std::vector<std::string> cells;
    for (auto& c : row.cells) cells.push_back(c.text);
    ASSERT_TRUE((*writer)->write_row(cells).ok());
  }
  ASSERT_TRUE((*reader)->status().ok());
  ASSERT_TRUE((*writer)->close().ok());
}

std::string expected_rejections(const std::string& name) { return testing::read_file(data(name)); }

std::string rejections_of(const ImportReport& r) {
  std::string out;
  for (const auto& x : r.rejected)
    out += std::to_string(x.row) + "\t" + x.column + "\t" + x.reason + "\n";
  return out;
}

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto r = import_institutions(*store_, data("institutions.csv"));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->imported, 3);
  }
  long people() {
    auto s = roster_stats(*store_);
    EXPECT_TRUE(s.ok());
    return s.ok() ? s->total.people : -1;
  }
  long imports() {
    auto list = store_->list_imports(1000);
    return list.ok() ? static_cast<long>(list->size()) : -1;
  }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(3);
  std::unique_ptr<store::Store> store_;
};

TEST_F(ImportTest, GoodRowsInEveryBadRowListedWithRowColumnAndReason) {
  auto r = import_roster(*store_, vault_, data("roster_mixed.csv"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->format, "CSV (UTF-8 with BOM)");
  EXPECT_EQ(r->imported, 5);
  EXPECT_EQ(r->imported + static_cast<long>(r->rejected.size()), r->rows);
  EXPECT_EQ(rejections_of(*r), expected_rejections("roster_mixed.expected"));
  EXPECT_EQ(people(), 5);
  auto record = store_->get_import(r->import_id);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->rejected, 11);
  ASSERT_EQ(record->rejections.size(), 11u);
  EXPECT_EQ(record->rejections[0].cells[2], "钱七");  // the row as it was, opened from its seal
}

TEST_F(ImportTest, Gb18030FileGivesTheSameResult) {
  std::string path = dir_.file("roster-gbk.csv");
  std::string utf8 = testing::read_file(data("roster_mixed.csv")).substr(3);  // drop the BOM
  testing::write_file(path, to_gb18030(utf8));
  auto r = import_roster(*store_, vault_, path, {.display_name = "roster-gbk.csv"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->format, "CSV (GB18030)");
  EXPECT_EQ(r->imported, 5);
  EXPECT_EQ(rejections_of(*r), expected_rejections("roster_mixed.expected"));
}

TEST_F(ImportTest, XlsxFileGivesTheSameResult) {
  std::string path = dir_.file("roster.xlsx");
  to_xlsx(data("roster_mixed.csv"), path);
  auto r = import_roster(*store_, vault_, path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->format, "XLSX");
  EXPECT_EQ(r->imported, 5);
  EXPECT_EQ(rejections_of(*r), expected_rejections("roster_mixed.expected"));
}

TEST_F(ImportTest, XlsxNumericIdCellsAreRejectedAsExcelNumbers) {
  std::string path = dir_.file("numeric-ids.xlsx");
  to_xlsx(data("roster_mixed.csv"), path, {4});  // 证件号码 as numbers, as Excel does
  auto r = import_roster(*store_, vault_, path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->imported, 1);  // only the passport, which is not a number
  int excel = 0;
  for (const auto& x : r->rejected)
    if (x.reason.find("科学计数法") != std::string::npos) ++excel;
  EXPECT_GE(excel, 10);
}

TEST_F(ImportTest, SameFileTwiceChangesNothingAndSaysSo) {
  ASSERT_TRUE(import_roster(*store_, vault_, data("roster_mixed.csv")).ok());
  long before = imports();
  auto again = import_roster(*store_, vault_, data("roster_mixed.csv"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_imported);
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(imports(), before);
  EXPECT_EQ(people(), 5);
  EXPECT_NE(to_text(*again).find("nothing changed"), std::string::npos);
}

TEST_F(ImportTest, UpdatedFileUpdatesTheChangedPeopleAndSaysWhatChanged) {
  ASSERT_TRUE(import_roster(*store_, vault_, data("roster_mixed.csv")).ok());
  std::string text = testing::read_file(data("roster_mixed.csv"));
  auto pos = text.find("13812345678");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 11, "13800000000");  // 张伟's phone
  pos = text.find("4号楼201");
  text.replace(pos, std::string("4号楼201").size(), "4号楼202");  // 李娜 moves room
  std::string path = dir_.file("roster_updated.csv");
  testing::write_file(path, text);
  auto r = import_roster(*store_, vault_, path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->already_imported);
  EXPECT_EQ(r->imported, 0);
  EXPECT_EQ(r->updated, 2);
  EXPECT_EQ(r->unchanged, 3);
  ASSERT_EQ(r->updates.size(), 2u);
  EXPECT_EQ(r->updates[0].fields, std::vector<std::string>{"手机号"});
  EXPECT_EQ(r->updates[1].fields, std::vector<std::string>{"宿舍"});
  auto ids = store_->find_people_by_id_number(domain::IdKind::resident, "220102200304150135");
  ASSERT_TRUE(ids.ok());
  ASSERT_EQ(ids->size(), 1u);
  auto p = store_->get_person(ids->front());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->phone, "13800000000");
  EXPECT_EQ(p->name, "张伟");
}

TEST_F(ImportTest, DryRunStoresNothing) {
  auto r = import_roster(*store_, vault_, data("roster_mixed.csv"), {.dry_run = true});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->imported, 5);
  EXPECT_EQ(r->import_id, 0);
  EXPECT_EQ(people(), 0);
  EXPECT_EQ(imports(), 1);  // the institutions only
}

TEST_F(ImportTest, ErrorsFileHasTheRejectedRowsAsTheyWereWithAReason) {
  std::string out = dir_.file("errors.csv");
  auto r = import_roster(*store_, vault_, data("roster_mixed.csv"), {.errors_out = out});
  ASSERT_TRUE(r.ok());
  auto reader = ingest::open_table(out);
  ASSERT_TRUE(reader.ok());
  ingest::Row row;
  ASSERT_TRUE((*reader)->next(row));
  EXPECT_EQ(row.cells.back().text, "错误原因");
  int n = 0;
  while ((*reader)->next(row)) {
    ++n;
    EXPECT_EQ(row.cells.size(), 17u);
  }
  EXPECT_EQ(n, 11);
  // Fixing nothing and importing the errors file rejects the same rows again:
  // the extra column is ignored, the rest is read as before.
  auto again = import_roster(*store_, vault_, out);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->rejected.size(), 11u);
}

TEST_F(ImportTest, PersonOnAnotherInstitutionsRosterIsRejected) {
  ASSERT_TRUE(import_roster(*store_, vault_, data("roster_mixed.csv")).ok());
  std::string path = dir_.file("moved.csv");
  testing::write_file(path,
                      "学校代码,姓名,证件号码,学号/工号,人员类别\n"
                      "JY0003,张伟,220102200304150135,K001,职工\n");
  auto r = import_roster(*store_, vault_, path);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_NE(r->rejected[0].reason.find("长春净月职业技术学院"), std::string::npos);
}

struct BadFile {
  const char* name;
  std::string bytes;
  const char* expected;  // in the message
};

class BadFileTest : public ImportTest, public ::testing::WithParamInterface<BadFile> {};

TEST_P(BadFileTest, ClearErrorAndNothingStored) {
  const BadFile& bad = GetParam();
  std::string path = dir_.file(bad.name);
  testing::write_file(path, bad.bytes);
  long before = imports();
  auto r = import_roster(*store_, vault_, path);
  ASSERT_FALSE(r.ok()) << bad.name;
  EXPECT_NE(r.status().message().find(bad.name), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find(bad.expected), std::string::npos) << r.status().message();
  EXPECT_EQ(imports(), before);
  EXPECT_EQ(people(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadFileTest,
    ::testing::Values(
        BadFile{"empty.csv", "", "empty"},
        BadFile{"picture.xlsx", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16),
                "not a spreadsheet"},
        BadFile{"truncated.xlsx", std::string("PK\x03\x04\x14\0\0\0\x08\0", 10), "XLSX"},
        BadFile{"no-id.csv", "学校代码,姓名,人员类别\nJY0001,张伟,学生\n", "证件号码"},
        BadFile{
            "huge-cell.csv",
            "学校代码,姓名,证件号码,人员类别\nJY0001," + std::string(1000000, 'a') + ",1,学生\n",
            "row 2"},
        BadFile{"bad-utf8.csv", "学校代码,姓名,证件号码,人员类别\nJY0001,\xe5\xbc,x,学生\n",
                "row"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& c : n)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

TEST_F(ImportTest, InstitutionsUpdateByCodeAndRejectBadRows) {
  std::string path = dir_.file("inst2.csv");
  testing::write_file(path,
                      "学校代码,学校名称,学校类型,地址,经度,纬度,联络人\n"
                      "JY0001,长春净月职业技术学院,高职,新地址,125.45,43.82,王强 13843112345\n"
                      "JY0004,新学校,医院,,,,\n"
                      "JY0005,另一学校,中学,,200,43,\n"
                      "JY0006,净月实验小学,小学,,,,\n"
                      "JY0007,第七中学,中学,,125.5,43.8,\n");
  auto r = import_institutions(*store_, path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->imported, 1);
  ASSERT_EQ(r->rejected.size(), 3u);
  EXPECT_EQ(r->rejected[0].column, "学校类型");
  EXPECT_EQ(r->rejected[1].column, "经度");
  EXPECT_EQ(r->rejected[2].column, "学校名称");
  auto list = store_->list_institutions();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].address, "新地址");
}

}  // namespace
}  // namespace fx::app
