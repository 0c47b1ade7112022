// A small PDF writer for printed documents (the case card, quarantine
// notices): A4 pages, Chinese and Latin text, lines and boxes. No font is
// embedded: Chinese uses the standard Adobe-GB1 font STSong-Light (Type0,
// CMap UniGB-UTF16-H) and ASCII uses Helvetica, both of which every
// mainstream viewer supplies. The output depends only on what was drawn and
// the info given (no clock), so tests can compare bytes.
//
// Coordinates are PDF points (1/72 inch) from the page's top-left corner,
// y growing downwards; the writer flips them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fx::ingest {

inline constexpr double kA4Width = 595.28, kA4Height = 841.89;

struct PdfInfo {
  std::string title;          // UTF-8
  std::string creation_date;  // "D:20220309120000+08'00'", from the data; empty: none
};

class PdfDocument {
 public:
  explicit PdfDocument(PdfInfo info);

  void new_page();  // A4 portrait; drawing before the first call starts one
  int pages() const { return static_cast<int>(pages_.size()); }

  // Text with its baseline at y; bold is simulated by stroking the outline.
  void text(double x, double y, double size, std::string_view utf8, bool bold = false);
  // `max_width` wide, wrapped; returns the y below the last line.
  double paragraph(double x, double y, double size, double max_width, std::string_view utf8,
                   double leading = 1.4);
  void line(double x1, double y1, double x2, double y2, double width = 0.5);
  void box(double x, double y, double w, double h, double width = 0.5);
  void fill(double x, double y, double w, double h, double gray);  // 0 black … 1 white

  // The whole file.
  std::string finish();

 private:
  std::string& page();
  PdfInfo info_;
  std::vector<std::string> pages_;  // content streams
};

// Width of UTF-8 text at `size` points: Helvetica's widths for ASCII, one em
// for anything else (CJK is full width).
double text_width(std::string_view utf8, double size);
// Lines no wider than `max_width`; breaks at spaces in Latin text and between
// any two CJK characters; honours '\n'. A word wider than a line is cut.
std::vector<std::string> wrap_text(std::string_view utf8, double size, double max_width);
// `utf8` cut to fit `max_width`, ending in "…" when cut.
std::string fit_text(std::string_view utf8, double size, double max_width);

}  // namespace fx::ingest
