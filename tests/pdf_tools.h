// Checks of generated PDFs with poppler's and qpdf's command-line tools
// (installed by scripts/install-deps.sh). A test calls pdf_tools_missing()
// first and skips, saying which tool is absent, when it returns non-empty.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace fx::testing {

// The first of pdfinfo, pdftotext, qpdf not on PATH, or "".
inline std::string pdf_tools_missing() {
  for (const char* tool : {"pdfinfo", "pdftotext", "qpdf"}) {
    const std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) return tool;
  }
  return "";
}

// Runs `cmd` and returns its standard output (standard error appended).
inline std::string run_output(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  pclose(p);
  return out;
}

// Pages per pdfinfo, or -1 when it cannot read the file.
inline int pdf_pages(const std::string& path) {
  const std::string info = run_output("pdfinfo '" + path + "'");
  const auto at = info.find("Pages:");
  if (at == std::string::npos) return -1;
  return std::atoi(info.c_str() + at + 6);
}

// The text of the file (or of page `page`, 1-based, when > 0), per pdftotext.
inline std::string pdf_text(const std::string& path, int page = 0) {
  std::string range = page > 0 ? " -f " + std::to_string(page) + " -l " + std::to_string(page) : "";
  return run_output("pdftotext -enc UTF-8" + range + " '" + path + "' -");
}

// qpdf --check's verdict: empty when the structure (xref offsets, objects,
// streams) is sound, else what it reported.
inline std::string pdf_structure_problems(const std::string& path) {
  const std::string out = run_output("qpdf --check '" + path + "'");
  if (out.find("No syntax or stream encoding errors found") != std::string::npos &&
      out.find("WARNING") == std::string::npos)
    return "";
  return out;
}

}  // namespace fx::testing
