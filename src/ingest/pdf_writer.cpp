#include "ingest/pdf_writer.h"

#include <cstdint>
#include <cstdio>

namespace fx::ingest {

namespace {

// Helvetica's advance widths (AFM, 1/1000 em) for ASCII 32..126.
constexpr short kHelvetica[95] = {
    278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // ' '../
    556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // @..O
    667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // P.._
    333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // `..o
    556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};      // p..~

// Decodes one code point at `i` (advancing it); bad bytes become U+FFFD.
char32_t next_code_point(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0 || b >= 0xF8) return 0xFFFD;
  char32_t cp = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000) ? 0xFFFD : cp;
}

double glyph_em(char32_t cp) {
  if (cp >= 32 && cp < 127) return kHelvetica[cp - 32] / 1000.0;
  if (cp < 32) return 0;
  return 1.0;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

// A literal string for Helvetica (ASCII only).
std::string latin_literal(std::string_view ascii) {
  std::string out = "(";
  for (char c : ascii) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

void hex16(std::string& out, unsigned v) {
  static const char* digits = "0123456789ABCDEF";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(v >> shift) & 15];
}

// The UTF-16BE hex string UniGB-UTF16-H expects.
void append_utf16(std::string& out, char32_t cp) {
  if (cp < 0x10000) return hex16(out, static_cast<unsigned>(cp));
  cp -= 0x10000;
  hex16(out, 0xD800 + static_cast<unsigned>(cp >> 10));
  hex16(out, 0xDC00 + static_cast<unsigned>(cp & 0x3FF));
}

// Text extraction maps codes back to Unicode through this (BMP: identity),
// so it works without the viewer's CMap files.
std::string to_unicode_cmap() {
  std::string s =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "2 begincodespacerange\n<0000> <D7FF>\n<E000> <FFFF>\nendcodespacerange\n";
  // At most 100 entries per block; a range may not cross a first byte.
  std::vector<unsigned> highs;
  for (unsigned h = 0; h < 256; ++h)
    if (h < 0xD8 || h > 0xDF) highs.push_back(h);
  for (size_t at = 0; at < highs.size(); at += 100) {
    const size_t n = std::min<size_t>(100, highs.size() - at);
    s += std::to_string(n) + " beginbfrange\n";
    for (size_t k = 0; k < n; ++k) {
      std::string lo = "<", hi = "<";
      hex16(lo, highs[at + k] << 8);
      hex16(hi, (highs[at + k] << 8) | 0xFF);
      s += lo + "> " + hi + "> " + lo + ">\n";
    }
    s += "endbfrange\n";
  }
  return s + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

// A text-string (title) in UTF-16BE with BOM.
std::string text_string(std::string_view utf8) {
  std::string out = "<FEFF";
  for (size_t i = 0; i < utf8.size();) append_utf16(out, next_code_point(utf8, i));
  return out + ">";
}

}  // namespace

double text_width(std::string_view utf8, double size) {
  double em = 0;
  for (size_t i = 0; i < utf8.size();) em += glyph_em(next_code_point(utf8, i));
  return em * size;
}

std::vector<std::string> wrap_text(std::string_view utf8, double size, double max_width) {
  // Tokens: a CJK character, a run of other non-space characters (a word),
  // a space, a newline. Greedy: a token goes on the line if it fits.
  std::vector<std::string> lines;
  std::string cur;
  double width = 0;
  bool space = false;  // a space is pending before the next token
  auto put = [&](std::string_view token, double w) {
    const double sw = space && !cur.empty() ? glyph_em(' ') * size : 0;
    if (!cur.empty() && width + sw + w > max_width) {
      lines.push_back(cur);
      cur.clear(), width = 0;
    } else if (sw > 0) {
      cur += ' ', width += sw;
    }
    space = false;
    // A token wider than a line on its own is cut character by character.
    for (size_t i = 0; i < token.size();) {
      const size_t start = i;
      const double g = glyph_em(next_code_point(token, i)) * size;
      if (!cur.empty() && width + g > max_width) {
        lines.push_back(cur);
        cur.clear(), width = 0;
      }
      cur.append(token.substr(start, i - start));
      width += g;
    }
  };
  size_t word = std::string::npos;
  double word_w = 0;
  auto end_word = [&](size_t at) {
    if (word == std::string::npos) return;
    put(utf8.substr(word, at - word), word_w);
    word = std::string::npos, word_w = 0;
  };
  for (size_t i = 0; i < utf8.size();) {
    const size_t start = i;
    const char32_t cp = next_code_point(utf8, i);
    if (cp == '\n') {
      end_word(start);
      lines.push_back(cur);
      cur.clear(), width = 0, space = false;
    } else if (cp == ' ') {
      end_word(start);
      space = true;
    } else if (cp >= 0x2E80) {
      end_word(start);
      put(utf8.substr(start, i - start), glyph_em(cp) * size);
    } else if (cp >= 32) {
      if (word == std::string::npos) word = start;
      word_w += glyph_em(cp) * size;
    }
  }
  end_word(utf8.size());
  if (!cur.empty() || lines.empty()) lines.push_back(cur);
  return lines;
}

std::string fit_text(std::string_view utf8, double size, double max_width) {
  if (text_width(utf8, size) <= max_width) return std::string(utf8);
  const double room = max_width - text_width("…", size);
  std::string out;
  double width = 0;
  for (size_t i = 0; i < utf8.size();) {
    const size_t start = i;
    const double w = glyph_em(next_code_point(utf8, i)) * size;
    if (width + w > room) break;
    out.append(utf8.substr(start, i - start));
    width += w;
  }
  return out + "…";
}

PdfDocument::PdfDocument(PdfInfo info) : info_(std::move(info)) {}

void PdfDocument::new_page() { pages_.emplace_back(); }

std::string& PdfDocument::page() {
  if (pages_.empty()) new_page();
  return pages_.back();
}

void PdfDocument::text(double x, double y, double size, std::string_view utf8, bool bold) {
  std::string& s = page();
  s += "BT\n";
  // The rendering mode outlives ET, so every text sets it.
  s += bold ? "2 Tr " + num(size / 30) + " w\n" : "0 Tr\n";
  s += num(x) + " " + num(kA4Height - y) + " Td\n";
  // Runs of ASCII in Helvetica (F1), the rest in STSong-Light (F2).
  int font = 0;
  std::string run;
  auto flush = [&] {
    if (run.empty()) return;
    s += font == 1 ? latin_literal(run) : "<" + run + ">";
    s += " Tj\n";
    run.clear();
  };
  for (size_t i = 0; i < utf8.size();) {
    const char32_t cp = next_code_point(utf8, i);
    if (cp < 32) continue;
    const int want = cp < 127 ? 1 : 2;
    if (want != font) {
      flush();
      font = want;
      s += "/F" + std::to_string(font) + " " + num(size) + " Tf\n";
    }
    if (font == 1)
      run += static_cast<char>(cp);
    else
      append_utf16(run, cp);
  }
  flush();
  s += "ET\n";
}

double PdfDocument::paragraph(double x, double y, double size, double max_width,
                              std::string_view utf8, double leading) {
  for (const auto& l : wrap_text(utf8, size, max_width)) {
    text(x, y, size, l);
    y += size * leading;
  }
  return y;
}

void PdfDocument::line(double x1, double y1, double x2, double y2, double width) {
  page() += num(width) + " w " + num(x1) + " " + num(kA4Height - y1) + " m " + num(x2) + " " +
            num(kA4Height - y2) + " l S\n";
}

void PdfDocument::box(double x, double y, double w, double h, double width) {
  page() += num(width) + " w " + num(x) + " " + num(kA4Height - y - h) + " " + num(w) + " " +
            num(h) + " re S\n";
}

void PdfDocument::fill(double x, double y, double w, double h, double gray) {
  page() += "q " + num(gray) + " g " + num(x) + " " + num(kA4Height - y - h) + " " + num(w) + " " +
            num(h) + " re f Q\n";
}

std::string PdfDocument::finish() {
  if (pages_.empty()) new_page();
  // Objects: 1 catalog, 2 pages, 3 Helvetica, 4 STSong-Light (Type0), 5 its
  // CIDFont, 6 its descriptor, 7 ToUnicode, 8 info, then per page its page
  // object and content stream.
  std::vector<std::string> objects;
  const int n_pages = pages();
  std::string kids;
  for (int p = 0; p < n_pages; ++p) kids += (p ? " " : "") + std::to_string(9 + 2 * p) + " 0 R";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(n_pages) +
                    " >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
      "/DescendantFonts [5 0 R] /ToUnicode 7 0 R >>");
  objects.push_back(
      "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << "
      "/Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 6 0 R /DW 1000 >>");
  objects.push_back(
      "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
      "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>");
  const std::string cmap = to_unicode_cmap();
  objects.push_back("<< /Length " + std::to_string(cmap.size()) + " >>\nstream\n" + cmap +
                    "endstream");
  std::string info = "<< /Producer (Fangxian) /Title " + text_string(info_.title);
  if (!info_.creation_date.empty())
    info += " /CreationDate " + latin_literal(info_.creation_date) + " /ModDate " +
            latin_literal(info_.creation_date);
  objects.push_back(info + " >>");
  for (int p = 0; p < n_pages; ++p) {
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + num(kA4Width) + " " +
                      num(kA4Height) + "] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> " +
                      "/Contents " + std::to_string(10 + 2 * p) + " 0 R >>");
    const std::string& c = pages_[p];
    objects.push_back("<< /Length " + std::to_string(c.size()) + " >>\nstream\n" + c + "endstream");
  }

  std::string out = "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t k = 0; k < objects.size(); ++k) {
    offsets.push_back(out.size());
    out += std::to_string(k + 1) + " 0 obj\n" + objects[k] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t o : offsets) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", o);
    out += buf;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R /Info 8 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace fx::ingest
