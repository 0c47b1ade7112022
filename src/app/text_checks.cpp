#include "app/text_checks.h"

namespace fx::app {

std::string trimmed(std::string_view t) {
  constexpr std::string_view kIdeographicSpace = "　";
  while (true) {
    if (!t.empty() &&
        (t.front() == ' ' || t.front() == '\t' || t.front() == '\r' || t.front() == '\n'))
      t.remove_prefix(1);
    else if (t.starts_with(kIdeographicSpace))
      t.remove_prefix(kIdeographicSpace.size());
    else
      break;
  }
  while (true) {
    if (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r' || t.back() == '\n'))
      t.remove_suffix(1);
    else if (t.ends_with(kIdeographicSpace))
      t.remove_suffix(kIdeographicSpace.size());
    else
      break;
  }
  return std::string(t);
}

size_t utf8_length(std::string_view t) {
  size_t n = 0;
  for (unsigned char c : t)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string too_long(std::string_view text, size_t max_chars) {
  if (text.size() <= max_chars || utf8_length(text) <= max_chars) return {};
  return "超过" + std::to_string(max_chars) + "个字符 (longer than " + std::to_string(max_chars) +
         " characters)";
}

}  // namespace fx::app
