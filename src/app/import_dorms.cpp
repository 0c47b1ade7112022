// Dorm assignment periods: a person (ID number, or 学号/工号 within the
// institution) slept in a dorm room from one night to another (or on). The
// file is all or nothing: one bad row — unknown person or room, bad or
// implausible dates, or a period overlapping another of the same person in
// the file or in the store — refuses the whole file (PresenceRun::finish).
#include <algorithm>
#include <map>

#include "app/presence_import_run.h"
#include "app/presence_time.h"
#include "app/text_checks.h"

namespace fx::app {
namespace {

// One accepted row, kept until the overlap check.
struct Period {
  long row = 0;
  int64_t person = 0;
  int64_t from = 0, to = 0;  // day numbers, inclusive; open: kOpen
  size_t batch_ix = 0;
};
constexpr int64_t kOpen = INT64_MAX;

std::string day_range(const std::string& from, const std::string& to) {
  return from + "–" + (to.empty() ? "（未结束 open）" : to);
}

}  // namespace

Status import_dorm_rows(PresenceRun& run, OpenedTable& t) {
  const auto& columns = dorm_columns();
  auto col = [&](int f) { return column_name(t, columns, f); };
  auto& report = run.report.base;
  std::vector<Period> periods;
  std::map<long, std::vector<std::string>> cells_of;  // row → its cells, for late rejections
  ingest::Row row;
  const domain::PlaceKind dorm_kind = domain::PlaceKind::dorm_room;
  int64_t today = (run.now + kShanghaiOffset) / 86400;
  while (t.reader->next(row)) {
    ++report.rows;
    auto text = [&](int f) { return trimmed(cell(t, row, f).text); };
    auto reject = [&](int f, std::string why) {
      run.reject(row.number, col(f), std::move(why), row_texts(t, row));
    };
    std::string code = text(kDInst);
    int64_t inst = run.default_institution;
    if (!code.empty()) {
      inst = run.lookup.institution(code);
      if (!inst) {
        reject(kDInst, "未知学校代码 “" + code + "” (unknown institution code)");
        continue;
      }
    }
    int64_t person = 0;
    std::string why, id_text = text(kDId), person_code = text(kDCode);
    if (!id_text.empty()) {
      person = run.lookup.person_by_id_number(id_text, why);
      if (!person) {
        reject(kDId, "未知人员：" + why);
        continue;
      }
    } else if (!person_code.empty()) {
      if (!inst) {
        reject(kDInst, "按学号/工号须填学校代码 (institution code required with a person code)");
        continue;
      }
      person = run.lookup.person_by_code(inst, person_code);
      if (!person) {
        reject(kDCode, "未知人员：不在人员台账中 (unknown person: not on the roster)");
        continue;
      }
    } else {
      reject(kDId, "证件号码或学号/工号必填其一 (ID number or person code required)");
      continue;
    }
    int64_t own = run.lookup.institution_of(person);
    if (inst && inst != own) {
      reject(kDInst, "此人不属于该学校 (the person belongs to another institution)");
      continue;
    }
    std::string room = text(kDRoom);
    if (room.empty()) {
      reject(kDRoom, "必填 (required)");
      continue;
    }
    int64_t place = run.lookup.place(own, room, &dorm_kind);
    if (place <= 0) {
      reject(kDRoom, "本校没有此宿舍 “" + room + "” (no such dorm room in the institution)");
      continue;
    }
    store::DormAssignment d;
    d.person_id = person;
    d.place_id = place;
    int64_t from = 0, to = kOpen;
    if (!parse_day(text(kDFrom), d.date_from, from)) {
      reject(kDFrom, text(kDFrom).empty() ? "必填 (required)" : "日期无效 (not a date)");
      continue;
    }
    if (from * 86400 < kEarliestPlausible + kShanghaiOffset) {
      reject(kDFrom, "日期早于2000年，不合理 (before 2000: not plausible)");
      continue;
    }
    if (from > today + 366) {
      reject(kDFrom, "日期晚于一年以后，不合理 (more than a year ahead: not plausible)");
      continue;
    }
    if (!text(kDTo).empty()) {
      if (!parse_day(text(kDTo), d.date_to, to)) {
        reject(kDTo, "日期无效 (not a date)");
        continue;
      }
      if (to < from) {
        reject(kDTo, "结束日期早于起始日期 (ends before it starts)");
        continue;
      }
      if (to > today + 5 * 366) {
        reject(kDTo, "日期晚于五年以后，不合理 (more than five years ahead: not plausible)");
        continue;
      }
    }
    periods.push_back({row.number, person, from, to, run.batch.dorms.size()});
    cells_of[row.number] = row_texts(t, row);
    run.batch.dorms.push_back(std::move(d));
    ++report.imported;
  }
  FX_RETURN_IF_ERROR(t.reader->status());

  // Overlaps: with the person's stored periods, then between rows of the file.
  auto stored = run.store.presence().list_dorm_assignments();
  if (!stored.ok()) return stored.status();
  std::multimap<int64_t, const store::DormAssignment*> stored_of;
  for (const auto& s : *stored) stored_of.emplace(s.person_id, &s);
  std::stable_sort(periods.begin(), periods.end(), [](const Period& a, const Period& b) {
    return a.person != b.person ? a.person < b.person : a.from < b.from;
  });
  auto overlap = [&](const Period& p, std::string why) {
    run.reject(p.row, col(kDFrom), std::move(why), cells_of[p.row]);
  };
  for (size_t i = 0; i < periods.size(); ++i) {
    const Period& p = periods[i];
    auto [lo, hi] = stored_of.equal_range(p.person);
    bool clash = false;
    for (auto it = lo; it != hi && !clash; ++it) {
      const auto& s = *it->second;
      std::string ignored;
      int64_t s_from = 0, s_to = kOpen;
      parse_day(s.date_from, ignored, s_from);
      if (!s.date_to.empty()) parse_day(s.date_to, ignored, s_to);
      if (s_from <= p.to && p.from <= s_to) {
        overlap(p, "与已保存的住宿时段 " + day_range(s.date_from, s.date_to) +
                       " 重叠 (overlaps a stored dorm period of the same person)");
        clash = true;
      }
    }
    if (clash) continue;
    // Sorted by start: a row overlaps an earlier-starting row of the same
    // person when it starts on or before the latest end seen so far.
    for (size_t j = i; j-- > 0 && periods[j].person == p.person;) {
      if (periods[j].to >= p.from) {
        overlap(p, "与第" + std::to_string(periods[j].row) + "行的住宿时段重叠 (overlaps row " +
                       std::to_string(periods[j].row) + " of the same person)");
        break;
      }
    }
  }
  if (!report.rejected.empty()) report.imported = 0;
  return Status::Ok();
}

}  // namespace fx::app
