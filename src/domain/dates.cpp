#include "domain/dates.h"

#include <chrono>
#include <cstdio>

namespace fx::domain {
namespace {

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool real_date(int y, int m, int d) {
  using namespace std::chrono;
  if (y < 1800 || y > 2200) return false;
  return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}
      .ok();
}

}  // namespace

bool is_valid_ymd(std::string_view ymd) {
  if (ymd.size() != 8 || !digits(ymd)) return false;
  return real_date(to_int(ymd.substr(0, 4)), to_int(ymd.substr(4, 2)), to_int(ymd.substr(6, 2)));
}

std::string today_ymd() {
  // Computed at most once a minute: validating 2,000,000 ID numbers asks often.
  using namespace std::chrono;
  static thread_local std::string cached;
  static thread_local system_clock::time_point cached_at;
  auto now_tp = system_clock::now();
  if (!cached.empty() && now_tp - cached_at < minutes(1)) return cached;
  cached_at = now_tp;
  // Asia/Shanghai has no daylight saving time: UTC+8 all year.
  auto now = floor<days>(system_clock::now() + hours(8));
  year_month_day ymd{now};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  cached = buf;
  return cached;
}

bool parse_date(std::string_view text, std::string& iso) {
  // Drop a time of day: "2022-04-28 08:00:00", "2022-04-28T08:00".
  auto cut = text.find_first_of(" T");
  if (cut != std::string_view::npos) text = text.substr(0, cut);
  int parts[3];
  if (text.size() == 8 && digits(text)) {
    parts[0] = to_int(text.substr(0, 4));
    parts[1] = to_int(text.substr(4, 2));
    parts[2] = to_int(text.substr(6, 2));
  } else {
    // Split on '-', '/', '.', or 年 月 日 (each three bytes in UTF-8).
    int n = 0;
    size_t i = 0;
    while (n < 3) {
      size_t j = i;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      if (j == i || j - i > 4) return false;
      parts[n++] = to_int(text.substr(i, j - i));
      if (j == text.size()) {
        i = j;
        break;
      }
      std::string_view rest = text.substr(j);
      if (rest[0] == '-' || rest[0] == '/' || rest[0] == '.')
        i = j + 1;
      else if (rest.starts_with("年") || rest.starts_with("月") || rest.starts_with("日"))
        i = j + 3;
      else
        return false;
    }
    if (n != 3) return false;
    if (i < text.size() && text.substr(i) != "") return false;
    if (parts[0] < 1000) return false;  // the year comes first in Chinese spreadsheets
  }
  if (!real_date(parts[0], parts[1], parts[2])) return false;
  // By hand, not snprintf: a roster import parses a date on every row.
  iso.assign("0000-00-00");
  for (int i = 3, y = parts[0]; i >= 0; --i, y /= 10) iso[i] = static_cast<char>('0' + y % 10);
  iso[5] = static_cast<char>('0' + parts[1] / 10);
  iso[6] = static_cast<char>('0' + parts[1] % 10);
  iso[8] = static_cast<char>('0' + parts[2] / 10);
  iso[9] = static_cast<char>('0' + parts[2] % 10);
  return true;
}

}  // namespace fx::domain
