#include "domain/id_number.h"

#include <gtest/gtest.h>

#include <fstream>

#include "../../tests/test_support.h"

namespace fx::domain {
namespace {

std::string normalized_or_error(IdKind kind, const std::string& text) {
  std::string out;
  Status s = validate_id_number(kind, text, out);
  return s.ok() ? out : "ERROR: " + s.message();
}

TEST(ResidentId, CheckCharacterFollowsIso7064) {
  EXPECT_EQ(resident_check_char("11010519491231002"), 'X');
  EXPECT_EQ(resident_check_char("36042619910101007"), '1');
  EXPECT_EQ(resident_check_char("44011320141005001"), 'X');
}

TEST(ResidentId, AcceptsValidAndUpperCasesX) {
  EXPECT_EQ(normalized_or_error(IdKind::resident, "11010519491231002x"), "11010519491231002X");
  EXPECT_EQ(normalized_or_error(IdKind::resident, "360426199101010071"), "360426199101010071");
}

TEST(ResidentId, RejectsWrongCheckDigitNamingTheRightOne) {
  auto r = normalized_or_error(IdKind::resident, "360426199101010072");
  EXPECT_NE(r.find("校验位"), std::string::npos) << r;
  EXPECT_NE(r.find("should be 1"), std::string::npos) << r;
}

TEST(ResidentId, RejectsImpossibleBirthDates) {
  // 2001-02-29 does not exist; the check digit is made right so only the date fails.
  std::string body = "22010220010229001";
  std::string id = body + resident_check_char(body);
  EXPECT_NE(normalized_or_error(IdKind::resident, id).find("出生日期"), std::string::npos);
  body = "22010229990101001";  // born in the future
  id = body + resident_check_char(body);
  EXPECT_NE(normalized_or_error(IdKind::resident, id).find("出生日期"), std::string::npos);
}

TEST(ResidentId, RecognisesWhatExcelDoesToIdNumbers) {
  auto sci = normalized_or_error(IdKind::resident, "2.20102E+17");
  EXPECT_NE(sci.find("科学计数法"), std::string::npos) << sci;
  auto sci2 = normalized_or_error(IdKind::resident, "2.20102200801011E+17");
  EXPECT_NE(sci2.find("科学计数法"), std::string::npos) << sci2;
  // 17 digits whose check character would be X: the X was lost.
  auto lost = normalized_or_error(IdKind::resident, "11010519491231002");
  EXPECT_NE(lost.find("末位 X"), std::string::npos) << lost;
  // 17 digits whose check character is a digit: just too short.
  auto short_id = normalized_or_error(IdKind::resident, "36042619910101007");
  EXPECT_NE(short_id.find("18位"), std::string::npos) << short_id;
}

TEST(ResidentId, RejectsUnknownProvinceAndLetters) {
  std::string body = "99042619911201007";
  EXPECT_NE(normalized_or_error(IdKind::resident, body + resident_check_char(body)).find("地区码"),
            std::string::npos);
  EXPECT_NE(normalized_or_error(IdKind::resident, "22010220010101A01X").find("非法字符"),
            std::string::npos);
}

TEST(ResidentId, BirthDateGenderAndMask) {
  EXPECT_EQ(resident_birth_date("11010519491231002X"), "1949-12-31");
  EXPECT_EQ(resident_gender("11010519491231002X"), 'F');  // 17th digit 2: even
  EXPECT_EQ(resident_gender("360426199101010071"), 'M');  // 7: odd
  EXPECT_EQ(mask_id_number("22010219900307123X"), "220102********123X");
}

TEST(OtherDocuments, AcceptedByTheirOwnFormats) {
  EXPECT_EQ(normalized_or_error(IdKind::passport, "e12345678"), "E12345678");
  EXPECT_NE(normalized_or_error(IdKind::passport, "ABC").find("护照"), std::string::npos);
  EXPECT_EQ(normalized_or_error(IdKind::hk_macao_permit, "H12345678"), "H12345678");
  EXPECT_EQ(normalized_or_error(IdKind::hk_macao_permit, "M1234567890"), "M1234567890");
  EXPECT_NE(normalized_or_error(IdKind::hk_macao_permit, "X12345678").find("港澳"),
            std::string::npos);
  EXPECT_EQ(normalized_or_error(IdKind::taiwan_permit, "12345678"), "12345678");
  EXPECT_NE(normalized_or_error(IdKind::taiwan_permit, "1234").find("台胞证"), std::string::npos);
  IdKind k;
  EXPECT_TRUE(parse_id_kind("", k));
  EXPECT_EQ(k, IdKind::resident);
  EXPECT_TRUE(parse_id_kind("港澳居民来往内地通行证", k));
  EXPECT_EQ(k, IdKind::hk_macao_permit);
  EXPECT_FALSE(parse_id_kind("驾驶证", k));
}

// The public test vectors in ../shared/data/real/derived (python-stdnum and
// others): our verdict must match the vector's check digit and date checks.
TEST(ResidentId, AgreesWithPublicTestVectors) {
  std::ifstream in(testing::shared_data("derived/cn_id_test_vectors.csv"));
  ASSERT_TRUE(in) << "missing ../shared/data/real/derived/cn_id_test_vectors.csv";
  std::string line;
  std::getline(in, line);  // header
  int checked = 0;
  while (std::getline(in, line)) {
    // value,source_verdict,source_note(may be quoted),…,len,check,checksum_ok,date_ok,…
    std::string value = line.substr(0, line.find(','));
    std::vector<std::string> fields;
    bool quoted = false;
    std::string cur;
    for (char c : line) {
      if (c == '"')
        quoted = !quoted;
      else if (c == ',' && !quoted) {
        fields.push_back(cur);
        cur.clear();
      } else
        cur.push_back(c);
    }
    fields.push_back(cur);
    ASSERT_GE(fields.size(), 12u) << line;
    bool checksum_ok = fields[10] == "yes", date_ok = fields[11] == "yes";
    bool well_formed = fields[8] == "18";
    bool province_ok = value.size() >= 2 && value.substr(0, 2) != "99";
    bool expect_valid = well_formed && checksum_ok && date_ok && province_ok;
    std::string out;
    bool valid = validate_id_number(IdKind::resident, value, out).ok();
    EXPECT_EQ(valid, expect_valid) << value << " (" << fields[2] << ")";
    ++checked;
  }
  EXPECT_GE(checked, 60);
}

}  // namespace
}  // namespace fx::domain
