// Small checks on cell text shared by the importers.
#pragma once

#include <string>
#include <string_view>

namespace fx::app {

// The text without leading and trailing ASCII and ideographic spaces.
std::string trimmed(std::string_view text);

// Number of Unicode characters in valid UTF-8 text.
size_t utf8_length(std::string_view text);

// An empty string when `text` has at most `max_chars` characters, else the
// reason ("超过100个字符 (longer than 100 characters)").
std::string too_long(std::string_view text, size_t max_chars);

}  // namespace fx::app
