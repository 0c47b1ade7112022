#include "sim/district.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <unordered_set>

#include "ingest/table.h"
#include "tests/test_support.h"

namespace fx::sim {
namespace {

using fx::testing::read_file;
using fx::testing::TempDir;

// An independent check of GB 11643-1999, so the test does not trust the generator.
bool id_check_ok(const std::string& id) {
  if (id.size() != 18) return false;
  static const int kW[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
    sum += (id[i] - '0') * kW[i];
  }
  return id[17] == "10X98765432"[sum % 11];
}

bool valid_date(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2022 || m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap);
}

// Whole years on 2022-03-08, the roster's reference day.
int age(const std::string& birth) {
  int y = std::stoi(birth.substr(0, 4)), m = std::stoi(birth.substr(5, 2)),
      d = std::stoi(birth.substr(8, 2));
  int a = 2022 - y;
  if (m > 3 || (m == 3 && d > 8)) --a;
  return a;
}

bool digits_only(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool valid_mobile(const std::string& p) {
  return p.size() == 11 && digits_only(p) && p[0] == '1' && p[1] >= '3' && p[1] <= '9';
}

TEST(DistrictGenerator, SourceShapeTotals) {
  DistrictGenerator gen(DistrictShape{});
  const auto& insts = gen.institutions();
  ASSERT_EQ(insts.size(), 203u);
  std::map<std::string, long> planned, streamed;
  std::map<std::string, int> kinds;
  long college_people = 0;
  std::set<std::string> codes, names;
  for (const auto& i : insts) {
    planned[i.code] = i.people;
    ++kinds[i.kind];
    if (i.kind == "高职") college_people += i.people;
    EXPECT_GE(i.people, 1) << i.code;
    EXPECT_TRUE(codes.insert(i.code).second) << i.code;
    EXPECT_TRUE(names.insert(i.name).second) << i.name;
    EXPECT_GE(i.longitude, 125.40);
    EXPECT_LE(i.longitude, 125.55);
    EXPECT_GE(i.latitude, 43.75);
    EXPECT_LE(i.latitude, 43.90);
    EXPECT_EQ(i.address.rfind("长春市", 0), 0u) << i.address;
    auto space = i.liaison.find(' ');
    ASSERT_NE(space, std::string::npos) << i.liaison;
    EXPECT_TRUE(valid_mobile(i.liaison.substr(space + 1))) << i.liaison;
  }
  EXPECT_EQ(insts[0].code, "JY0001");
  EXPECT_EQ(kinds["高职"], 13);
  for (const auto& [kind, n] : kinds) {
    static const std::set<std::string> kKinds = {"高职",       "高校",   "中学",    "小学",
                                                 "九年一贯制", "幼儿园", "培训机构"};
    EXPECT_TRUE(kKinds.count(kind)) << kind;
  }
  EXPECT_NEAR(college_people, 100000, 10000);

  SimPerson p;
  long total = 0;
  while (gen.next(p)) {
    ++streamed[p.institution_code];
    ++total;
  }
  EXPECT_EQ(total, 181035);
  EXPECT_EQ(streamed, planned);
  EXPECT_FALSE(gen.next(p));  // stays at the end
}

TEST(DistrictGenerator, EveryPersonIsValid) {
  DistrictGenerator gen(DistrictShape{});
  std::map<std::string, std::string> kind_of;
  for (const auto& i : gen.institutions()) kind_of[i.code] = i.kind;

  std::unordered_set<std::string> ids;
  std::unordered_set<std::string> person_codes;  // "institution/code"
  std::unordered_set<std::string> phones;
  std::map<std::string, long> roles, id_kinds, students_of, teachers_of;
  std::set<std::string> compounds;
  long males = 0, total = 0, dorm_students = 0, college_students = 0;
  std::map<std::string, std::map<std::string, std::set<std::string>>> dorm_genders;
  SimPerson p;
  while (gen.next(p)) {
    ++total;
    const std::string& kind = kind_of[p.institution_code];
    ASSERT_FALSE(p.name.empty());
    ASSERT_TRUE(ids.insert(p.id_number).second) << "duplicate ID " << p.id_number;
    ASSERT_TRUE(person_codes.insert(p.institution_code + "/" + p.person_code).second)
        << p.institution_code << " " << p.person_code;
    phones.insert(p.phone);
    ASSERT_TRUE(valid_mobile(p.phone)) << p.phone;
    ASSERT_TRUE(p.gender == "男" || p.gender == "女") << p.gender;
    males += p.gender == "男";
    ++roles[p.role];
    if (p.role == "学生") ++students_of[kind];
    if (p.role == "教师") ++teachers_of[kind];
    ++id_kinds[p.id_kind];
    compounds.insert(p.home_compound);

    ASSERT_EQ(p.birth_date.size(), 10u);
    int y = std::stoi(p.birth_date.substr(0, 4)), m = std::stoi(p.birth_date.substr(5, 2)),
        d = std::stoi(p.birth_date.substr(8, 2));
    ASSERT_TRUE(valid_date(y, m, d)) << p.birth_date;

    if (p.id_kind == "居民身份证") {
      ASSERT_TRUE(id_check_ok(p.id_number)) << p.id_number;
      ASSERT_EQ(p.id_number.substr(0, 4), "2201") << p.id_number;
      std::string born =
          p.birth_date.substr(0, 4) + p.birth_date.substr(5, 2) + p.birth_date.substr(8, 2);
      ASSERT_EQ(p.id_number.substr(6, 8), born) << p.id_number << " " << p.birth_date;
      bool odd = (p.id_number[16] - '0') % 2 == 1;
      ASSERT_EQ(odd, p.gender == "男") << p.id_number;
      ASSERT_NE(p.id_number.substr(14, 3), "000");
    } else if (p.id_kind == "护照") {
      ASSERT_GE(p.id_number.size(), 6u);
      ASSERT_LE(p.id_number.size(), 18u);
      ASSERT_TRUE(std::isupper(static_cast<unsigned char>(p.id_number[0]))) << p.id_number;
    } else if (p.id_kind == "港澳居民来往内地通行证") {
      ASSERT_TRUE(p.id_number[0] == 'H' || p.id_number[0] == 'M') << p.id_number;
      ASSERT_TRUE(p.id_number.size() == 9 || p.id_number.size() == 11) << p.id_number;
      ASSERT_TRUE(digits_only(p.id_number.substr(1))) << p.id_number;
    } else if (p.id_kind == "台湾居民来往大陆通行证") {
      ASSERT_EQ(p.id_number.size(), 8u);
      ASSERT_TRUE(digits_only(p.id_number)) << p.id_number;
    } else {
      FAIL() << "unknown ID kind " << p.id_kind;
    }

    int a = age(p.birth_date);
    if (p.role == "学生") {
      ASSERT_TRUE(digits_only(p.person_code)) << p.person_code;
      ASSERT_FALSE(p.class_name.empty());
      if (kind == "幼儿园") {
        ASSERT_TRUE(a >= 3 && a <= 6) << p.birth_date;
      } else if (kind == "小学" ||
                 (kind == "九年一贯制" && p.grade.find("年级") != std::string::npos)) {
        ASSERT_TRUE(a >= 6 && a <= 12) << p.birth_date << " " << p.grade;
      } else if (kind == "中学" || kind == "九年一贯制") {
        ASSERT_TRUE(a >= 12 && a <= 18) << p.birth_date << " " << p.grade;
      } else if (kind == "高职") {
        ASSERT_TRUE(a >= 17 && a <= 23) << p.birth_date;
        ASSERT_FALSE(p.dorm.empty());
        ASSERT_NE(p.grade.find("级"), std::string::npos);
        ++college_students;
        dorm_genders[p.institution_code + p.campus][p.dorm].insert(p.gender);
      } else if (kind == "培训机构") {
        ASSERT_TRUE(a >= 5 && a <= 16) << p.birth_date;
        ASSERT_TRUE(p.dorm.empty());
      }
      if (!p.dorm.empty()) ++dorm_students;
    } else {
      ASSERT_TRUE(p.role == "教师" || p.role == "职工") << p.role;
      ASSERT_TRUE(a >= 22 && a <= 60) << p.birth_date;
      ASSERT_EQ(p.person_code[0], 'T');
      ASSERT_TRUE(p.class_name.empty());
      ASSERT_TRUE(p.dorm.empty());
      ASSERT_FALSE(p.department.empty());
    }
  }
  EXPECT_EQ(total, 181035);
  EXPECT_EQ(dorm_students, college_students);
  // A dorm room holds one gender and 4 to 8 people.
  for (const auto& [campus, rooms] : dorm_genders)
    for (const auto& [room, genders] : rooms) EXPECT_EQ(genders.size(), 1u) << campus << room;
  // Schools and colleges: about one teacher per 12-15 students; kindergartens
  // and training bodies have more teachers per child.
  for (const char* kind : {"高职", "中学", "小学", "九年一贯制"}) {
    double ratio = static_cast<double>(students_of[kind]) / teachers_of[kind];
    EXPECT_GE(ratio, 12) << kind;
    EXPECT_LE(ratio, 15) << kind;
  }
  EXPECT_NEAR(static_cast<double>(males) / total, 0.5, 0.08);
  long others = total - id_kinds["居民身份证"];
  EXPECT_GT(others, total / 3000);  // about 0.1%
  EXPECT_LT(others, total / 300);
  EXPECT_GT(phones.size(), static_cast<size_t>(total) * 99 / 100);
  EXPECT_GE(compounds.size(), 250u);
}

TEST(DistrictGenerator, ScalesToOtherSizes) {
  for (long n : {100L, 1000L, 12345L}) {
    DistrictShape shape = DistrictShape::scaled(n, 7);
    ASSERT_TRUE(shape.validate().ok()) << shape.validate().message();
    DistrictGenerator gen(shape);
    EXPECT_EQ(static_cast<int>(gen.institutions().size()), shape.institutions);
    long total = 0;
    std::unordered_set<std::string> ids;
    SimPerson p;
    while (gen.next(p)) {
      ++total;
      EXPECT_TRUE(ids.insert(p.id_number).second);
    }
    EXPECT_EQ(total, n);
  }
  DistrictShape big = DistrictShape::scaled(2000000);
  EXPECT_EQ(big.institutions, 2243);
  EXPECT_EQ(big.colleges, 144);
}

TEST(DistrictGenerator, EdgeShapes) {
  struct Case {
    long people;
    int institutions, colleges;
  };
  for (Case c : {Case{5, 5, 0}, Case{50, 3, 3}, Case{7, 1, 1}, Case{1, 1, 0}, Case{300, 20, 0}}) {
    DistrictShape shape{1, c.people, c.institutions, c.colleges};
    ASSERT_TRUE(shape.validate().ok());
    DistrictGenerator gen(shape);
    long total = 0;
    SimPerson p;
    while (gen.next(p)) ++total;
    EXPECT_EQ(total, c.people) << c.people << "/" << c.institutions;
  }
  EXPECT_FALSE((DistrictShape{1, 10, 20, 0}).validate().ok());
  EXPECT_FALSE((DistrictShape{1, 10, 5, 6}).validate().ok());
  EXPECT_FALSE((DistrictShape{1, 0, 1, 0}).validate().ok());
}

TEST(DistrictGenerator, SameSeedSamePeopleOtherSeedOthers) {
  DistrictShape a = DistrictShape::scaled(3000, 42);
  DistrictShape b = a;
  b.seed = 43;
  DistrictGenerator g1(a), g2(a), g3(b);
  SimPerson p1, p2, p3;
  long differ = 0;
  while (g1.next(p1)) {
    ASSERT_TRUE(g2.next(p2));
    ASSERT_TRUE(g3.next(p3));
    ASSERT_EQ(roster_row(p1), roster_row(p2));
    differ += p1.id_number != p3.id_number;
  }
  EXPECT_GT(differ, 2900);
}

TEST(WriteDistrict, DeterministicBytesAndReadBack) {
  TempDir d1, d2;
  DistrictShape shape = DistrictShape::scaled(4000, 99);
  auto w1 = write_district(shape, d1.file("out"));
  ASSERT_TRUE(w1.ok()) << w1.status().message();
  auto w2 = write_district(shape, d2.file("out"), /*xlsx=*/false, /*gb18030=*/true);
  ASSERT_TRUE(w2.ok()) << w2.status().message();
  EXPECT_EQ(w1.value().size(), 5u);
  EXPECT_EQ(w2.value().size(), 3u);
  for (const char* name : {"institutions.csv", "roster.csv", "roster-gb18030.csv"}) {
    std::string a = read_file(d1.file(std::string("out/") + name));
    EXPECT_EQ(a, read_file(d2.file(std::string("out/") + name))) << name;
  }
  std::string roster = read_file(d1.file("out/roster.csv"));
  EXPECT_EQ(roster.rfind("\xEF\xBB\xBF学校代码,学校名称,姓名,证件类型,证件号码,学号/工号,性别,"
                         "出生日期,人员类别,校区,部门,年级,班级,宿舍,手机号,居住小区\r\n",
                         0),
            0u);
  std::string insts = read_file(d1.file("out/institutions.csv"));
  EXPECT_EQ(insts.rfind("\xEF\xBB\xBF学校代码,学校名称,学校类型,地址,经度,纬度,联络人\r\n", 0), 0u);

  // Every roster file reads back, through the importer's reader, to the same rows.
  DistrictGenerator gen(shape);
  std::vector<std::vector<std::string>> expected = {roster_columns()};
  SimPerson p;
  while (gen.next(p)) expected.push_back(roster_row(p));
  for (const char* name : {"roster.csv", "roster-gb18030.csv", "roster.xlsx"}) {
    auto r = ingest::open_table(d1.file(std::string("out/") + name));
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().message();
    ingest::Row row;
    size_t n = 0;
    while (r.value()->next(row)) {
      ASSERT_LT(n, expected.size()) << name;
      std::vector<std::string> got;
      for (const auto& c : row.cells) got.push_back(c.text);
      got.resize(expected[n].size());  // trailing empty cells may be absent
      ASSERT_EQ(got, expected[n]) << name << " row " << row.number;
      ++n;
    }
    EXPECT_TRUE(r.value()->status().ok()) << name << ": " << r.value()->status().message();
    EXPECT_EQ(n, expected.size()) << name;
  }
  // Institutions' coordinates come back as numbers from the XLSX.
  auto r = ingest::open_table(d1.file("out/institutions.xlsx"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ingest::Row row;
  ASSERT_TRUE(r.value()->next(row));
  ASSERT_TRUE(r.value()->next(row));
  ASSERT_GE(row.cells.size(), 6u);
  EXPECT_EQ(row.cells[4].kind, ingest::CellKind::number);
  EXPECT_NEAR(std::stod(row.cells[4].text), gen.institutions()[0].longitude, 1e-9);
  EXPECT_NEAR(std::stod(row.cells[5].text), gen.institutions()[0].latitude, 1e-9);
}

}  // namespace
}  // namespace fx::sim
