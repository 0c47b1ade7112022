#include "domain/policy.h"

#include <cstdio>

namespace fx::domain {

const char* key_category_code(KeyCategory c) {
  return c == KeyCategory::close ? "close" : "secondary";
}
const char* key_category_name(KeyCategory c) { return c == KeyCategory::close ? "密接" : "次密接"; }

const char* stage_kind_name(const std::string& kind) {
  if (kind == "centralised") return "集中隔离";
  if (kind == "home") return "居家隔离";
  if (kind == "home_monitoring") return "居家健康监测";
  return "其他";
}

std::string local_date(int64_t unix_seconds) {
  // Howard Hinnant's civil_from_days on the Asia/Shanghai day (UTC+8, no DST).
  int64_t z = (unix_seconds + 8 * 3600) / 86400;
  if ((unix_seconds + 8 * 3600) % 86400 < 0) --z;
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

QuarantinePlan plan_quarantine(const CategoryRule& rule, int64_t last_exposure) {
  QuarantinePlan plan;
  int64_t at = last_exposure;
  for (const QuarantineStage& s : rule.stages) {
    plan.stages.push_back({s.kind, at, at + int64_t{s.days} * 86400});
    at += int64_t{s.days} * 86400;
  }
  plan.planned_end = plan.stages.empty() ? 0 : at;
  for (const TestDay& t : rule.tests)
    plan.tests.push_back({t.day, local_date(last_exposure + int64_t{t.day} * 86400), t.note});
  return plan;
}

}  // namespace fx::domain
