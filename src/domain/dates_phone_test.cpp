#include <gtest/gtest.h>

#include "domain/dates.h"
#include "domain/phone.h"
#include "domain/roster.h"

namespace fx::domain {
namespace {

std::string date_of(const std::string& text) {
  std::string iso;
  return parse_date(text, iso) ? iso : "invalid";
}

TEST(Dates, ReadsTheWaysSchoolsWriteThem) {
  EXPECT_EQ(date_of("2022-04-28"), "2022-04-28");
  EXPECT_EQ(date_of("2022/4/28"), "2022-04-28");
  EXPECT_EQ(date_of("2022.4.8"), "2022-04-08");
  EXPECT_EQ(date_of("20220428"), "2022-04-28");
  EXPECT_EQ(date_of("2022年4月28日"), "2022-04-28");
  EXPECT_EQ(date_of("2022-04-28 08:30:00"), "2022-04-28");
  EXPECT_EQ(date_of("2022-02-29"), "invalid");
  EXPECT_EQ(date_of("28/04/2022"), "invalid");
  EXPECT_EQ(date_of("2022-13-01"), "invalid");
  EXPECT_EQ(date_of("明天"), "invalid");
  EXPECT_EQ(date_of(""), "invalid");
}

TEST(Dates, ValidYmd) {
  EXPECT_TRUE(is_valid_ymd("20000229"));
  EXPECT_FALSE(is_valid_ymd("19000229"));
  EXPECT_FALSE(is_valid_ymd("2000022"));
  EXPECT_EQ(today_ymd().size(), 8u);
}

TEST(Phone, MainlandMobiles) {
  std::string n;
  EXPECT_TRUE(validate_mobile("13812345678", n).ok());
  EXPECT_EQ(n, "13812345678");
  EXPECT_TRUE(validate_mobile("+86 138-1234-5678", n).ok());
  EXPECT_EQ(n, "13812345678");
  EXPECT_FALSE(validate_mobile("12812345678", n).ok());
  EXPECT_FALSE(validate_mobile("1381234567", n).ok());
  EXPECT_FALSE(validate_mobile("0431-8888888", n).ok());
  EXPECT_FALSE(validate_mobile("138abc45678", n).ok());
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
}

TEST(Roster, ParsesKindsRolesAndGenders) {
  InstitutionKind k;
  EXPECT_TRUE(parse_institution_kind("九年一贯制", k));
  EXPECT_EQ(k, InstitutionKind::nine_year);
  EXPECT_FALSE(parse_institution_kind("医院", k));
  Role r;
  EXPECT_TRUE(parse_role("职工", r));
  EXPECT_EQ(r, Role::staff);
  EXPECT_FALSE(parse_role("家长", r));
  Gender g;
  EXPECT_TRUE(parse_gender("女", g));
  EXPECT_EQ(g, Gender::female);
  EXPECT_FALSE(parse_gender("未知", g));
}

}  // namespace
}  // namespace fx::domain
