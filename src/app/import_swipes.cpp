// Card swipes: a person (ID number, or 学号/工号 within the institution) at a
// place at an instant. Millions of rows: one pass, compact records.
#include "app/presence_import_run.h"
#include "app/presence_time.h"
#include "app/text_checks.h"

namespace fx::app {

Status import_swipe_rows(PresenceRun& run, OpenedTable& t) {
  const auto& columns = swipe_columns();
  auto col = [&](int f) { return column_name(t, columns, f); };
  auto& report = run.report.base;
  const auto& progress = run.options.import.progress;
  ingest::Row row;
  std::string code, person_code, id_text, place, why;
  while (t.reader->next(row)) {
    ++report.rows;
    if (progress && report.rows % 65536 == 0) progress(report.rows);
    auto reject = [&](int f, std::string reason) {
      run.reject(row.number, col(f), std::move(reason), row_texts(t, row));
    };
    code = trimmed(cell(t, row, kWInst).text);
    int64_t inst = run.default_institution;
    if (!code.empty()) {
      inst = run.lookup.institution(code);
      if (!inst) {
        reject(kWInst, "未知学校代码 “" + code + "” (unknown institution code)");
        continue;
      }
    }
    int64_t person = 0;
    id_text = trimmed(cell(t, row, kWId).text);
    person_code = trimmed(cell(t, row, kWCode).text);
    if (!id_text.empty()) {
      person = run.lookup.person_by_id_number(id_text, why);
      if (!person) {
        reject(kWId, "未知卡号：" + why);
        continue;
      }
    } else if (!person_code.empty()) {
      if (!inst) {
        reject(kWInst, "按学号/工号须填学校代码 (institution code required with a person code)");
        continue;
      }
      person = run.lookup.person_by_code(inst, person_code);
      if (!person) {
        reject(kWCode, "未知卡号：不在人员台账中 (unknown card: not on the roster)");
        continue;
      }
    } else {
      reject(kWId, "证件号码或学号/工号必填其一 (ID number or person code required)");
      continue;
    }
    if (!inst) inst = run.lookup.institution_of(person);
    int64_t at = 0;
    if (!parse_local_instant(cell(t, row, kWTime).text, at)) {
      reject(kWTime, "刷卡时间无效 (not a time)");
      continue;
    }
    if (auto w = implausible_time(at, run.now); !w.empty()) {
      reject(kWTime, w);
      continue;
    }
    place = trimmed(cell(t, row, kWPlace).text);
    if (place.empty()) {
      reject(kWPlace, "必填 (required)");
      continue;
    }
    std::string kind_text = trimmed(cell(t, row, kWPlaceKind).text);
    domain::PlaceKind kind = domain::PlaceKind::other;
    bool has_kind = !kind_text.empty();
    if (has_kind && !domain::parse_place_kind(kind_text, kind)) {
      reject(kWPlaceKind,
             "未知地点类型 “" + kind_text + "” (食堂、校门、图书馆、校车、教室、宿舍、其他)");
      continue;
    }
    int64_t place_id = run.lookup.place(inst, place, has_kind ? &kind : nullptr);
    if (place_id == PresenceLookup::kAmbiguous) {
      reject(kWPlaceKind,
             "同名地点有多种类型，请填地点类型 (several places share the name: give "
             "the place kind)");
      continue;
    }
    if (place_id == 0) {
      if (!run.options.create_places) {
        reject(kWPlace,
               "本校没有此地点 (no such place in the institution; import with "
               "--create-places to add it)");
        continue;
      }
      if (auto w = too_long(place, 60); !w.empty()) {
        reject(kWPlace, w);
        continue;
      }
      place_id = run.new_place(inst, kind, place);
    }
    run.batch.swipes.push_back({person, place_id, at});
    ++report.imported;
  }
  return t.reader->status();
}

}  // namespace fx::app
