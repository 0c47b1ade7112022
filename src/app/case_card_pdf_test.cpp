// The case card's PDF: one A4 page whatever the number of contacts, with the
// fields and the contacts that fit, the rest counted.
#include <gtest/gtest.h>

#include "app/case_card.h"
#include "tests/pdf_tools.h"
#include "tests/test_support.h"

namespace fx::app {
namespace {

CaseCard card_with(int contacts, int places) {
  CaseCard c;
  c.record.id = 7;
  c.record.person_id = 1;
  c.record.sample_time = 1646870400;  // 2022-03-10 08:00 +08
  c.record.confirmed_at = c.record.isolated_at = 1646884800;
  c.record.window_from = c.record.sample_time - 2 * 86400;
  c.record.policy_id = "covid-8th";
  c.record.symptoms = "发热、干咳";
  c.name = "学生甲";
  c.id_masked = "220102********0112";
  c.person_code = "P01";
  c.institution = "净月职业技术学院";
  c.unit = "本部/护理学院/2021级/护理2101";
  c.dorm = "1号楼101";
  for (int k = 0; k < places; ++k)
    c.places.push_back({"教室" + std::to_string(k), "classroom", c.record.window_from + k * 3600,
                        c.record.window_from + k * 3600 + 2700, 2700, 30});
  for (int k = 0; k < contacts; ++k)
    c.contacts.push_back({100 + k, "接触者" + std::to_string(k),
                          k < contacts / 2 ? "close" : "secondary", "quarantined", 3600 - k,
                          k == 0});
  c.close = contacts / 2;
  c.secondary = contacts - contacts / 2;
  c.became_cases = 1;
  return c;
}

TEST(CaseCardPdf, IsOnePageEvenWithManyContacts) {
  if (auto missing = fx::testing::pdf_tools_missing(); !missing.empty())
    GTEST_SKIP() << missing << " is not installed (scripts/install-deps.sh installs it)";
  fx::testing::TempDir dir;
  const std::string path = dir.file("card.pdf");
  ASSERT_TRUE(export_case_card(card_with(600, 25), path).ok());
  EXPECT_EQ(fx::testing::pdf_structure_problems(path), "");
  EXPECT_EQ(fx::testing::pdf_pages(path), 1);
  const std::string text = fx::testing::pdf_text(path);
  for (const char* want :
       {"确诊人员信息卡", "学生甲", "220102********0112", "净月职业技术学院", "护理2101",
        "1号楼101", "发热、干咳", "2022-03-10 08:00", "接触者0", "另有 17 处", "密接 300 人"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  // The rows that do not fit are counted, not dropped silently.
  EXPECT_NE(text.find("人未列出"), std::string::npos) << text;
  EXPECT_EQ(text.find("接触者599"), std::string::npos);
  // The full ID number never appears, only the masked one it was given.
  EXPECT_EQ(text.find("220102200301050112"), std::string::npos);
}

TEST(CaseCardPdf, FewContactsAllShownAndOutputIsDeterministic) {
  const CaseCard c = card_with(4, 2);
  EXPECT_EQ(case_card_pdf(c), case_card_pdf(c));
  EXPECT_NE(case_card_pdf(c).find("/CreationDate (D:20220310120000+08'00')"), std::string::npos);
  if (auto missing = fx::testing::pdf_tools_missing(); !missing.empty())
    GTEST_SKIP() << missing << " is not installed";
  fx::testing::TempDir dir;
  const std::string path = dir.file("card.pdf");
  ASSERT_TRUE(export_case_card(c, path).ok());
  const std::string text = fx::testing::pdf_text(path);
  for (int k = 0; k < 4; ++k)
    EXPECT_NE(text.find("接触者" + std::to_string(k)), std::string::npos) << text;
  EXPECT_EQ(text.find("人未列出"), std::string::npos) << text;
}

}  // namespace
}  // namespace fx::app
