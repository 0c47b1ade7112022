// Timetable rows: a class meets in a room on a weekday between two times of
// day, every week of a date range.
#include "app/presence_import_run.h"
#include "app/presence_time.h"
#include "app/text_checks.h"

namespace fx::app {

Status import_timetable_rows(PresenceRun& run, OpenedTable& t) {
  const auto& columns = timetable_columns();
  auto col = [&](int f) { return column_name(t, columns, f); };
  auto& report = run.report.base;
  ingest::Row row;
  while (t.reader->next(row)) {
    ++report.rows;
    auto text = [&](int f) { return trimmed(cell(t, row, f).text); };
    auto reject = [&](int f, std::string why) {
      run.reject(row.number, col(f), std::move(why), row_texts(t, row));
    };
    std::string code = text(kTInst);
    int64_t inst = code.empty() ? run.default_institution : run.lookup.institution(code);
    if (!inst) {
      reject(kTInst, code.empty() ? "学校代码必填（或用 --institution） (institution code required)"
                                  : "未知学校代码 “" + code + "” (unknown institution code)");
      continue;
    }
    store::TimetableEntry e;
    e.institution_id = inst;
    std::string why;
    std::string cls = text(kTClass);
    if (cls.empty()) {
      reject(kTClass, "必填 (required)");
      continue;
    }
    e.unit_id = run.lookup.unit(inst, cls, why);
    if (!e.unit_id) {
      reject(kTClass, why);
      continue;
    }
    e.course = text(kTCourse);
    if (auto w = too_long(e.course, 60); !w.empty()) {
      reject(kTCourse, w);
      continue;
    }
    if (!parse_weekday(text(kTWeekday), e.weekday)) {
      reject(kTWeekday, "星期应为 1–7 或 一…日 (weekday: 1–7 or 一…日)");
      continue;
    }
    if (!parse_minute_of_day(cell(t, row, kTStart), e.start_minute) || e.start_minute >= 1440) {
      reject(kTStart, "时间应为 HH:MM (a time of day, HH:MM)");
      continue;
    }
    if (!parse_minute_of_day(cell(t, row, kTEnd), e.end_minute)) {
      reject(kTEnd, "时间应为 HH:MM (a time of day, HH:MM)");
      continue;
    }
    if (e.end_minute <= e.start_minute) {
      reject(kTEnd, "结束时间不晚于开始时间 (ends before it starts)");
      continue;
    }
    int64_t from_day = 0, to_day = 0;
    if (!parse_day(text(kTFrom), e.date_from, from_day)) {
      reject(kTFrom, "日期无效 (not a date)");
      continue;
    }
    if (!parse_day(text(kTTo), e.date_to, to_day)) {
      reject(kTTo, "日期无效 (not a date)");
      continue;
    }
    if (to_day < from_day) {
      reject(kTTo, "结束日期早于起始日期 (ends before it starts)");
      continue;
    }
    if (from_day * 86400 < kEarliestPlausible + kShanghaiOffset) {
      reject(kTFrom, "日期早于2000年，不合理 (before 2000: not plausible)");
      continue;
    }
    if (to_day - from_day > 366) {
      reject(kTTo, "日期范围超过一年，不合理 (longer than a year: not plausible)");
      continue;
    }
    std::string room = text(kTRoom);
    if (room.empty()) {
      reject(kTRoom, "必填 (required)");
      continue;
    }
    if (auto w = too_long(room, 60); !w.empty()) {
      reject(kTRoom, w);
      continue;
    }
    int64_t place = run.lookup.place(inst, room, nullptr);
    if (place == PresenceLookup::kAmbiguous) {
      domain::PlaceKind classroom = domain::PlaceKind::classroom;
      place = run.lookup.place(inst, room, &classroom);
    }
    if (place == 0 && run.options.create_places)
      place = run.new_place(inst, domain::PlaceKind::classroom, room);
    if (place == 0 || place == PresenceLookup::kAmbiguous) {
      reject(kTRoom,
             "本校没有此教室 (no such room in the institution; import with "
             "--create-places to add it)");
      continue;
    }
    e.place_id = place;
    run.batch.timetable.push_back(std::move(e));
    ++report.imported;
  }
  return t.reader->status();
}

}  // namespace fx::app
