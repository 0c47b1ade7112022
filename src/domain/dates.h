// Calendar dates as schools write them, normalised to ISO 8601 (YYYY-MM-DD).
#pragma once

#include <string>
#include <string_view>

namespace fx::domain {

// True when `ymd` is eight digits forming a real Gregorian date (YYYYMMDD).
bool is_valid_ymd(std::string_view ymd);

// Today's date in Asia/Shanghai as YYYYMMDD.
std::string today_ymd();

// Reads 2022-04-28, 2022/4/28, 2022.4.28, 20220428, 2022年4月28日 and the
// same with a time of day after a space or 'T' (ignored). Returns false when
// the text is not a real date; `iso` receives YYYY-MM-DD.
bool parse_date(std::string_view text, std::string& iso);

}  // namespace fx::domain
