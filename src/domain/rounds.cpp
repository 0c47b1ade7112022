#include "domain/rounds.h"

#include <algorithm>
#include <cstdio>

#include "domain/dates.h"

namespace fx::domain {

bool valid_pool_size(int size) {
  return std::find(std::begin(kPoolSizes), std::end(kPoolSizes), size) != std::end(kPoolSizes);
}

namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

bool parse_test_result(std::string_view text, TestResult& result) {
  std::string t = lower_ascii(trim(text));
  if (t == "阴性" || t == "阴" || t == "negative" || t == "neg" || t == "-") {
    result = TestResult::negative;
  } else if (t == "阳性" || t == "阳" || t == "positive" || t == "pos" || t == "+") {
    result = TestResult::positive;
  } else if (t == "无效" || t == "invalid" || t == "无效样本") {
    result = TestResult::invalid;
  } else {
    return false;
  }
  return true;
}

const char* test_result_code(TestResult r) {
  switch (r) {
    case TestResult::negative:
      return "negative";
    case TestResult::positive:
      return "positive";
    case TestResult::invalid:
      return "invalid";
    case TestResult::none:
      break;
  }
  return "";
}

const char* test_result_name(TestResult r) {
  switch (r) {
    case TestResult::negative:
      return "阴性";
    case TestResult::positive:
      return "阳性";
    case TestResult::invalid:
      return "无效";
    case TestResult::none:
      break;
  }
  return "";
}

const char* round_scope_code(RoundScopeKind kind) {
  switch (kind) {
    case RoundScopeKind::all:
      return "all";
    case RoundScopeKind::institutions:
      return "institutions";
    case RoundScopeKind::units:
      return "units";
    case RoundScopeKind::people:
      return "people";
  }
  return "all";
}

bool parse_round_scope_kind(std::string_view text, RoundScopeKind& kind) {
  for (auto k : {RoundScopeKind::all, RoundScopeKind::institutions, RoundScopeKind::units,
                 RoundScopeKind::people}) {
    if (text == round_scope_code(k)) {
      kind = k;
      return true;
    }
  }
  return false;
}

bool parse_exempt_reason(std::string_view text, ExemptReason& reason) {
  std::string t = lower_ascii(trim(text));
  if (t == "住院" || t == "在院" || t == "in_hospital" || t == "hospital") {
    reason = ExemptReason::in_hospital;
  } else if (t == "已是病例" || t == "确诊" || t == "病例" || t == "already_case" || t == "case") {
    reason = ExemptReason::already_case;
  } else if (t == "离校" || t == "离职" || t == "已离开" || t == "left") {
    reason = ExemptReason::left;
  } else {
    return false;
  }
  return true;
}

const char* exempt_reason_code(ExemptReason r) {
  switch (r) {
    case ExemptReason::in_hospital:
      return "in_hospital";
    case ExemptReason::already_case:
      return "already_case";
    case ExemptReason::left:
      return "left";
  }
  return "";
}

const char* exempt_reason_name(ExemptReason r) {
  switch (r) {
    case ExemptReason::in_hospital:
      return "住院";
    case ExemptReason::already_case:
      return "已是病例";
    case ExemptReason::left:
      return "已离开";
  }
  return "";
}

const char* person_status_code(PersonStatus s) {
  static const char* const kCodes[] = {"not_due",  "due",           "sampled",
                                       "negative", "pool_positive", "positive",
                                       "invalid",  "missed",        "exempt"};
  return kCodes[static_cast<int>(s)];
}

const char* person_status_name(PersonStatus s) {
  static const char* const kNames[] = {"不在范围",   "应检",           "已采待出",
                                       "阴性",       "混管阳性待复核", "阳性待确认",
                                       "无效待重采", "漏检",           "免检"};
  return kNames[static_cast<int>(s)];
}

PersonStatus apply_tube(PersonStatus current, int members, TestResult result) {
  if (current == PersonStatus::positive) return current;  // only confirmation clears it
  switch (result) {
    case TestResult::none:
      // A re-test sampled but not reported leaves the member awaiting re-test.
      return current == PersonStatus::pool_positive ? current : PersonStatus::sampled;
    case TestResult::negative:
      return PersonStatus::negative;
    case TestResult::positive:
      return members > 1 ? PersonStatus::pool_positive : PersonStatus::positive;
    case TestResult::invalid:
      return current == PersonStatus::pool_positive ? current : PersonStatus::invalid;
  }
  return current;
}

std::vector<PersonStatus> derive_round(const DeriveInput& in) {
  std::vector<PersonStatus> status(in.people, PersonStatus::not_due);
  for (uint32_t p : in.due) status[p] = PersonStatus::due;
  for (uint32_t p : in.exempt) status[p] = PersonStatus::exempt;

  // Most people have one tube: apply in order after a sort by (person, order).
  std::vector<DeriveSample> samples(in.samples.begin(), in.samples.end());
  std::stable_sort(samples.begin(), samples.end(),
                   [](const DeriveSample& a, const DeriveSample& b) {
                     return a.person != b.person ? a.person < b.person : a.order < b.order;
                   });
  for (const DeriveSample& s : samples) {
    PersonStatus& st = status[s.person];
    if (st == PersonStatus::not_due || st == PersonStatus::exempt) continue;
    const DeriveTube& t = in.tubes[s.tube];
    st = apply_tube(st, t.members, t.result);
  }
  if (in.deadline_passed)
    for (auto& st : status)
      if (st == PersonStatus::due) st = PersonStatus::missed;
  return status;
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
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
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::string format_utc(int64_t seconds) {
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int64_t rem = seconds - days * 86400;
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

// Reads up to `max` digits at `i` into `v`; false when there are none.
bool read_number(std::string_view s, size_t& i, int max, int& v) {
  size_t start = i;
  v = 0;
  while (i < s.size() && i - start < static_cast<size_t>(max) && s[i] >= '0' && s[i] <= '9')
    v = v * 10 + (s[i++] - '0');
  return i > start;
}

}  // namespace

bool parse_local_time(std::string_view text, std::string& utc_iso) {
  std::string_view s = trim(text);
  bool utc = !s.empty() && s.back() == 'Z';
  if (utc) s.remove_suffix(1);
  size_t split = s.find_first_of(" T");
  std::string date_iso;
  if (!parse_date(s.substr(0, split), date_iso)) return false;
  int hh = 0, mm = 0, ss = 0;
  if (split != std::string_view::npos) {
    std::string_view t = trim(s.substr(split + 1));
    size_t i = 0;
    if (!t.empty()) {
      if (!read_number(t, i, 2, hh) || i >= t.size() || t[i] != ':') return false;
      ++i;
      if (!read_number(t, i, 2, mm)) return false;
      if (i < t.size() && t[i] == ':') {
        ++i;
        if (!read_number(t, i, 2, ss)) return false;
        if (i < t.size() && t[i] == '.')  // fractions of a second are dropped
          for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9';) ++i;
      }
      if (i != t.size() || hh > 23 || mm > 59 || ss > 59) return false;
    }
  }
  int y = std::stoi(date_iso.substr(0, 4));
  unsigned m = static_cast<unsigned>(std::stoi(date_iso.substr(5, 2)));
  unsigned d = static_cast<unsigned>(std::stoi(date_iso.substr(8, 2)));
  int64_t seconds = days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
  if (!utc) seconds -= 8 * 3600;  // Asia/Shanghai has no daylight saving
  utc_iso = format_utc(seconds);
  return true;
}

std::string local_time_text(std::string_view utc_iso) {
  if (utc_iso.size() < 19) return std::string(utc_iso);
  std::string t;
  if (!parse_local_time(std::string(utc_iso.substr(0, 19)) + "Z", t)) return std::string(utc_iso);
  int y = std::stoi(t.substr(0, 4));
  unsigned m = static_cast<unsigned>(std::stoi(t.substr(5, 2)));
  unsigned d = static_cast<unsigned>(std::stoi(t.substr(8, 2)));
  int64_t seconds = days_from_civil(y, m, d) * 86400 + std::stoi(t.substr(11, 2)) * 3600 +
                    std::stoi(t.substr(14, 2)) * 60 + 8 * 3600;
  std::string local = format_utc(seconds);
  return local.substr(0, 10) + " " + local.substr(11, 5);
}

}  // namespace fx::domain
