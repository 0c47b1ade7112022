#include "app/presence_time.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "app/text_checks.h"
#include "domain/dates.h"

namespace fx::app {
namespace {

bool digits(std::string_view s, size_t& i, int max_len, int& out) {
  int n = 0, v = 0;
  while (i < s.size() && n < max_len && s[i] >= '0' && s[i] <= '9') {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  out = v;
  return n > 0;
}

// "7:12", "07:12:05", "07:12:05.250" at the start of `t`, nothing after.
bool clock(std::string_view t, int& seconds_of_day, bool allow_24 = false) {
  size_t i = 0;
  int hh = 0, mm = 0, ss = 0;
  if (!digits(t, i, 2, hh) || i >= t.size() || t[i] != ':') return false;
  ++i;
  if (!digits(t, i, 2, mm)) return false;
  if (i < t.size() && t[i] == ':') {
    ++i;
    if (!digits(t, i, 2, ss)) return false;
    if (i < t.size() && t[i] == '.')
      for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9';) ++i;
  }
  if (i != t.size() || mm > 59 || ss > 59) return false;
  if (hh > 23 && !(allow_24 && hh == 24 && mm == 0 && ss == 0)) return false;
  seconds_of_day = hh * 3600 + mm * 60 + ss;
  return true;
}

// The fast path: "YYYY-MM-DD" or "YYYY/M/D" with one or two digit month and day.
bool quick_date(std::string_view s, int& y, unsigned& m, unsigned& d, size_t& end) {
  size_t i = 0;
  int yy, mm, dd;
  if (!digits(s, i, 4, yy) || i != 4 || i >= s.size() || (s[i] != '-' && s[i] != '/')) return false;
  char sep = s[i++];
  if (!digits(s, i, 2, mm) || i >= s.size() || s[i] != sep) return false;
  ++i;
  if (!digits(s, i, 2, dd)) return false;
  if (mm < 1 || mm > 12 || dd < 1) return false;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
  if (dd > kDays[mm - 1] || (mm == 2 && dd == 29 && !leap)) return false;
  y = yy;
  m = static_cast<unsigned>(mm);
  d = static_cast<unsigned>(dd);
  end = i;
  return true;
}

bool date_of(std::string_view s, int& y, unsigned& m, unsigned& d) {
  size_t end;
  if (quick_date(s, y, m, d, end) && end == s.size()) return true;
  std::string iso;
  if (!domain::parse_date(s, iso)) return false;
  y = std::atoi(iso.substr(0, 4).c_str());
  m = static_cast<unsigned>(std::atoi(iso.substr(5, 2).c_str()));
  d = static_cast<unsigned>(std::atoi(iso.substr(8, 2).c_str()));
  return true;
}

}  // namespace

int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (m <= 2));
}

int weekday_of_days(int64_t days) {
  int64_t w = (days + 3) % 7;  // 1970-01-01 was a Thursday (4)
  if (w < 0) w += 7;
  return static_cast<int>(w) + 1;
}

bool parse_local_instant(std::string_view text, int64_t& out) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  if (s.empty()) return false;
  bool utc = s.back() == 'Z';
  if (utc) s.remove_suffix(1);
  int y;
  unsigned m, d;
  int sod = 0;
  size_t end;
  if (quick_date(s, y, m, d, end)) {
    if (end < s.size()) {
      if (s[end] != ' ' && s[end] != 'T') return false;
      std::string_view t = s.substr(end + 1);
      while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
      if (!t.empty() && !clock(t, sod)) return false;
    }
  } else {
    size_t split = s.find_first_of(" T");
    if (!date_of(s.substr(0, split), y, m, d)) return false;
    if (split != std::string_view::npos) {
      std::string t = trimmed(s.substr(split + 1));
      if (!t.empty() && !clock(t, sod)) return false;
    }
  }
  out = days_from_civil(y, m, d) * 86400 + sod - (utc ? 0 : kShanghaiOffset);
  return true;
}

bool parse_minute_of_day(const ingest::Cell& cell, int& minute) {
  std::string t = trimmed(cell.text);
  if (t.empty()) return false;
  if (cell.kind == ingest::CellKind::number) {
    char* end = nullptr;
    double f = std::strtod(t.c_str(), &end);
    if (*end || f < 0 || f > 1) return false;
    minute = static_cast<int>(f * 1440 + 0.5);
    return true;
  }
  if (auto sp = t.find(' '); sp != std::string::npos && cell.kind == ingest::CellKind::date)
    t = t.substr(sp + 1);  // an XLSX time cell: 1899-12-30 08:00:00
  int sod;
  if (!clock(t, sod, true) || sod % 60) return false;
  minute = sod / 60;
  return true;
}

bool parse_weekday(std::string_view text, int& weekday) {
  std::string t = trimmed(text);
  for (const char* prefix : {"星期", "礼拜", "周"})
    if (t.rfind(prefix, 0) == 0) {
      t = t.substr(std::string_view(prefix).size());
      break;
    }
  static const char* const kChinese[] = {"一", "二", "三", "四", "五", "六", "日"};
  static const char* const kShort[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static const char* const kLong[] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};
  if (t.size() == 1 && t[0] >= '1' && t[0] <= '7') return weekday = t[0] - '0', true;
  if (t == "天" || t == "七") return weekday = 7, true;
  std::string lower = t;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; i < 7; ++i)
    if (t == kChinese[i] || lower == kShort[i] || lower == kLong[i]) return weekday = i + 1, true;
  return false;
}

bool parse_day(std::string_view text, std::string& iso, int64_t& days) {
  int y;
  unsigned m, d;
  std::string t = trimmed(text);
  if (auto sp = t.find(' '); sp != std::string::npos) t = t.substr(0, sp);  // a date cell's time
  if (!date_of(t, y, m, d)) return false;
  days = days_from_civil(y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  iso = buf;
  return true;
}

std::string implausible_time(int64_t t, int64_t now) {
  if (t < kEarliestPlausible) return "时间早于2000年，不合理 (before 2000: not plausible)";
  if (t > now + 86400)
    return "时间晚于现在超过一天，不合理 (more than a day in the future: not plausible)";
  return "";
}

std::string local_text(int64_t t) {
  int64_t local = t + kShanghaiOffset;
  int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t sod = local - days * 86400;
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", y, m, d, static_cast<int>(sod / 3600),
                static_cast<int>(sod / 60 % 60));
  return buf;
}

}  // namespace fx::app
