#include "ingest/pdf_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/pdf_tools.h"
#include "tests/test_support.h"

namespace fx::ingest {
namespace {

using fx::testing::TempDir;

std::string sample(int pages) {
  PdfDocument doc({"隔离告知书 test", "D:20220309120000+08'00'"});
  for (int p = 0; p < pages; ++p) {
    doc.new_page();
    doc.text(60, 80, 18, "确诊人员信息卡 第" + std::to_string(p + 1) + "页", true);
    doc.text(60, 110, 11, "Name (A) \\ 张三丰 ID 220102********1234");
    doc.box(50, 120, 495, 100);
    doc.line(50, 150, 545, 150);
    doc.fill(50, 120, 100, 30, 0.9);
    doc.paragraph(60, 170, 10, 470,
                  "依据《中华人民共和国传染病防治法》第三十九条、第四十一条, 你被判定为密切接触者。"
                  "Under the Law on the Prevention and Treatment of Infectious Diseases you must "
                  "stay in quarantine.");
  }
  return doc.finish();
}

TEST(PdfWriter, XrefOffsetsPointAtTheirObjects) {
  const std::string pdf = sample(3);
  ASSERT_TRUE(pdf.starts_with("%PDF-1.5\n"));
  ASSERT_TRUE(pdf.ends_with("%%EOF\n"));
  const auto sx = pdf.rfind("startxref\n");
  ASSERT_NE(sx, std::string::npos);
  const size_t xref = std::stoul(pdf.substr(sx + 10));
  ASSERT_EQ(pdf.compare(xref, 5, "xref\n"), 0);
  // 8 shared objects + 2 per page.
  ASSERT_EQ(pdf.compare(xref + 5, 5, "0 15\n"), 0);
  for (int k = 1; k < 15; ++k) {
    const size_t entry = xref + 10 + 20 * k;
    const size_t offset = std::stoul(pdf.substr(entry, 10));
    EXPECT_EQ(pdf.compare(offset, std::to_string(k).size() + 6, std::to_string(k) + " 0 obj"), 0)
        << "object " << k;
  }
}

TEST(PdfWriter, OutputIsDeterministic) { EXPECT_EQ(sample(2), sample(2)); }

TEST(PdfWriter, ToolsReadPagesAndChineseText) {
  if (auto missing = fx::testing::pdf_tools_missing(); !missing.empty())
    GTEST_SKIP() << missing << " is not installed (scripts/install-deps.sh installs poppler-utils "
                 << "and qpdf)";
  TempDir dir;
  const std::string path = dir.file("s.pdf");
  fx::testing::write_file(path, sample(3));
  EXPECT_EQ(fx::testing::pdf_structure_problems(path), "");
  EXPECT_EQ(fx::testing::pdf_pages(path), 3);
  const std::string info = fx::testing::run_output("pdfinfo '" + path + "'");
  EXPECT_NE(info.find("A4"), std::string::npos) << info;
  EXPECT_NE(info.find("隔离告知书 test"), std::string::npos) << info;
  const std::string page2 = fx::testing::pdf_text(path, 2);
  EXPECT_NE(page2.find("确诊人员信息卡 第2页"), std::string::npos) << page2;
  EXPECT_NE(page2.find("Name (A) \\ 张三丰"), std::string::npos) << page2;
  EXPECT_NE(page2.find("中华人民共和国传染病防治法"), std::string::npos) << page2;
  EXPECT_EQ(page2.find("第3页"), std::string::npos);
  const std::string fonts = fx::testing::run_output("pdffonts '" + path + "'");
  EXPECT_NE(fonts.find("STSong-Light"), std::string::npos) << fonts;
}

TEST(PdfWriter, EmptyDocumentIsOneBlankPage) {
  PdfDocument doc({"", ""});
  const std::string pdf = doc.finish();
  EXPECT_NE(pdf.find("/Count 1"), std::string::npos);
  EXPECT_EQ(pdf.find("/CreationDate"), std::string::npos);
}

TEST(PdfWriter, WidthsAreHalfEmForLatinAndFullForChinese) {
  EXPECT_DOUBLE_EQ(text_width("防线", 10), 20);
  EXPECT_NEAR(text_width("0123456789", 10), 55.6, 1e-9);  // Helvetica digits
  EXPECT_NEAR(text_width("i", 1000), 222, 1e-9);
  EXPECT_DOUBLE_EQ(text_width("", 10), 0);
}

TEST(PdfWriter, WrapsBetweenChineseCharactersAndAtSpaces) {
  auto lines = wrap_text("一二三四五六七", 10, 30);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "一二三");
  EXPECT_EQ(lines[2], "七");
  lines = wrap_text("stay at home for seven days", 10, 60);
  for (const auto& l : lines) {
    EXPECT_LE(text_width(l, 10), 60) << l;
    EXPECT_FALSE(l.starts_with(" ") || l.ends_with(" ")) << "[" << l << "]";
  }
  std::string joined;
  for (const auto& l : lines) joined += (joined.empty() ? "" : " ") + l;
  EXPECT_EQ(joined, "stay at home for seven days");
  lines = wrap_text("第一行\n第二行", 10, 500);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "第二行");
  // A word wider than the line is cut rather than overflowing.
  lines = wrap_text("WWWWWWWWWWWWWWWWWWWW", 10, 50);
  EXPECT_GT(lines.size(), 1u);
  for (const auto& l : lines) EXPECT_LE(text_width(l, 10), 50);
}

TEST(PdfWriter, FitTextCutsWithAnEllipsis) {
  EXPECT_EQ(fit_text("短", 10, 100), "短");
  const std::string cut = fit_text("一二三四五六七八九十", 10, 50);
  EXPECT_TRUE(cut.ends_with("…"));
  EXPECT_LE(text_width(cut, 10), 50);
}

}  // namespace
}  // namespace fx::ingest
