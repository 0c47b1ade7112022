// Contacts recorded by investigators: two people, a start, a duration in
// minutes and the setting.
#include <cmath>
#include <cstdlib>

#include "app/presence_import_run.h"
#include "app/presence_time.h"
#include "app/text_checks.h"

namespace fx::app {

Status import_contact_rows(PresenceRun& run, OpenedTable& t) {
  const auto& columns = contact_columns();
  auto col = [&](int f) { return column_name(t, columns, f); };
  auto& report = run.report.base;
  ingest::Row row;
  while (t.reader->next(row)) {
    ++report.rows;
    auto text = [&](int f) { return trimmed(cell(t, row, f).text); };
    auto reject = [&](int f, std::string reason) {
      run.reject(row.number, col(f), std::move(reason), row_texts(t, row));
    };
    std::string code = text(kCInst);
    int64_t inst = run.default_institution;
    if (!code.empty()) {
      inst = run.lookup.institution(code);
      if (!inst) {
        reject(kCInst, "未知学校代码 “" + code + "” (unknown institution code)");
        continue;
      }
    }
    int64_t people[2] = {0, 0};
    bool ok = true;
    for (int k = 0; k < 2 && ok; ++k) {
      int field = k == 0 ? kCA : kCB;
      std::string who = text(field);
      std::string why;
      if (who.empty()) {
        reject(field, "必填 (required)");
        ok = false;
      } else if (!(people[k] = run.lookup.person(who, inst, why))) {
        reject(field, "未知人员：" + why);
        ok = false;
      }
    }
    if (!ok) continue;
    if (people[0] == people[1]) {
      reject(kCB, "人员A与人员B是同一人 (a person cannot be in contact with themselves)");
      continue;
    }
    store::PairContactRecord c;
    if (!parse_local_instant(text(kCStart), c.start)) {
      reject(kCStart, "开始时间无效 (not a time)");
      continue;
    }
    std::string minutes_text = text(kCMinutes);
    char* end = nullptr;
    double minutes = std::strtod(minutes_text.c_str(), &end);
    if (minutes_text.empty() || *end || !std::isfinite(minutes)) {
      reject(kCMinutes, "时长应为分钟数 (minutes: a number)");
      continue;
    }
    if (minutes <= 0) {
      reject(kCMinutes, "时长不大于0，结束不晚于开始 (ends before it starts)");
      continue;
    }
    if (minutes > 24 * 60) {
      reject(kCMinutes, "时长超过24小时，不合理 (longer than a day: not plausible)");
      continue;
    }
    c.end = c.start + static_cast<int64_t>(std::llround(minutes * 60));
    if (auto w = implausible_time(c.start, run.now); w.empty()) {
      if (auto w2 = implausible_time(c.end, run.now); !w2.empty()) {
        reject(kCMinutes, w2);
        continue;
      }
    } else {
      reject(kCStart, w);
      continue;
    }
    c.setting = text(kCSetting);
    if (auto w = too_long(c.setting, 100); !w.empty()) {
      reject(kCSetting, w);
      continue;
    }
    c.person_a = std::min(people[0], people[1]);
    c.person_b = std::max(people[0], people[1]);
    c.source = store::ContactSource::investigator;
    run.batch.contacts.push_back(std::move(c));
    ++report.imported;
  }
  return t.reader->status();
}

}  // namespace fx::app
