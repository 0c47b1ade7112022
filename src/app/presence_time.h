// Times in presence files: the school's wall clock in Asia/Shanghai (UTC+8,
// no daylight saving) read into Unix seconds (UTC), and the checks every
// presence import shares.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/table.h"

namespace fx::app {

inline constexpr int64_t kShanghaiOffset = 8 * 3600;

// Days since 1970-01-01 of a Gregorian date, and back.
int64_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int64_t days, int& y, unsigned& m, unsigned& d);
// 1 Monday … 7 Sunday of a day number.
int weekday_of_days(int64_t days);

// A local date and time as schools write it ("2022-03-08 07:12", "2022/3/8
// 7:12:05", "2022-03-08T07:12:05", an XLSX date cell, or with a trailing Z
// for UTC) into Unix seconds. A date alone means its midnight.
bool parse_local_instant(std::string_view text, int64_t& unix_seconds);
// A time of day "8:00", "08:00", "08:00:00" (or an XLSX time cell: its
// fraction of a day, or 1899-12-30 08:00:00) into minutes after midnight;
// "24:00" is 1440.
bool parse_minute_of_day(const ingest::Cell& cell, int& minute);
// 1–7, 一…日/天/七, 周一, 星期一, 礼拜一, Mon/Monday … Sun/Sunday.
bool parse_weekday(std::string_view text, int& weekday);
// A date into YYYY-MM-DD and its day number.
bool parse_day(std::string_view text, std::string& iso, int64_t& days);

// Empty when `t` lies in the plausible range [2000-01-01, now + 1 day];
// else the reason, in Chinese and English.
std::string implausible_time(int64_t t, int64_t now);
inline constexpr int64_t kEarliestPlausible = 946684800 - kShanghaiOffset;  // 2000-01-01 local

// "2022-03-08 07:12" in Asia/Shanghai.
std::string local_text(int64_t unix_seconds);

}  // namespace fx::app
