#include "store/sqlite/sqlite_teaching_store.h"

#include <set>

#include "store/sqlite/area_tx.h"
#include "store/store.h"
#include "store/teaching_sql.h"

namespace fx::store::sqlite {
namespace {

using namespace teaching_sql;

// The stored record a write replaces: `id` when set (NotFound unless it is
// of `institution_id`), else the one `key` finds (0 when none).
Result<int64_t> existing(AreaTx& t, const char* table, int64_t id, int64_t institution_id,
                         Statement* key) {
  if (id) {
    auto st = t.c.prepare(std::string("SELECT COALESCE(institution_id, 0) FROM ") + table +
                          " WHERE id = ?1");
    st.bind(1, id);
    if (st.step() && st.int64(0) == institution_id) return id;
    if (st.rc() != SQLITE_ROW && st.rc() != SQLITE_DONE) return t.c.error("read record");
    return Status::NotFound(std::string(table) + ": 没有记录 " + std::to_string(id) +
                            " (no such record)");
  }
  if (!key) return int64_t{0};
  if (key->step()) return key->int64(0);
  if (key->rc() != SQLITE_DONE) return t.c.error("read record");
  return int64_t{0};
}

Status keep_revision(AreaTx& t, const char* kind, const char* table, const char* json, int64_t id,
                     const std::string& actor, const std::string& at) {
  auto st = t.c.prepare(std::string("INSERT INTO teaching_revisions (kind, record_id, previous, "
                                    "actor, at) SELECT ?1, id, json_object(") +
                        json + "), ?2, ?3 FROM " + table + " WHERE id = ?4");
  st.bind(1, std::string_view(kind)).bind(2, actor).bind(3, at).bind(4, id);
  return t.run(st, "keep revision");
}

Status changes(AreaTx& t, const char* kind, const std::set<int64_t>& institutions, size_t n,
               const std::string& at) {
  for (int64_t inst : institutions) {
    Change ch;
    ch.at = at;
    ch.kind = kind;
    ch.institution_id = inst;
    ch.detail = "{\"records\":" + std::to_string(n) + "}";
    auto seq = t.tx.append_change(ch);
    if (!seq.ok()) return seq.status();
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<int64_t>> SqliteTeachingStore::save(const TeachingWrite& w,
                                                       const std::string& actor) {
  AreaTx t(db_);
  const std::string at = utc_now_iso();
  std::vector<int64_t> ids;
  std::set<int64_t> insts;
  auto last = [&] { return sqlite3_last_insert_rowid(t.c.get()); };

  for (const auto& r : w.class_days) {
    auto key = t.c.prepare("SELECT id FROM class_days WHERE unit_id = ?1 AND day = ?2");
    key.bind(1, r.unit_id).bind(2, r.day);
    auto id = existing(t, "class_days", r.id, r.institution_id, &key);
    if (!id.ok()) return id.status();
    Statement st;
    if (*id) {
      FX_RETURN_IF_ERROR(
          keep_revision(t, "class_day", "class_days", kClassDayJson, *id, actor, at));
      st = t.c.prepare(
          "UPDATE class_days SET unit_id=?2, day=?3, expected=?4, attending=?5, note=?6, "
          "actor=?7, updated_at=?8 WHERE id=?1");
      st.bind(1, *id);
    } else {
      st = t.c.prepare(
          "INSERT INTO class_days (institution_id, unit_id, day, expected, attending, note, "
          "actor, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
      st.bind(1, r.institution_id);
    }
    st.bind(2, r.unit_id).bind(3, r.day).bind(4, int64_t{r.expected});
    st.bind(5, int64_t{r.attending}).bind(6, r.note).bind(7, actor).bind(8, at);
    FX_RETURN_IF_ERROR(t.run(st, "store class day"));
    ids.push_back(*id ? *id : last());
    insts.insert(r.institution_id);
  }
  for (const auto& r : w.access_issues) {
    auto key = t.c.prepare("SELECT id FROM access_issues WHERE person_id = ?1 AND problem = ?2");
    key.bind(1, r.person_id).bind(2, r.problem);
    auto id = existing(t, "access_issues", r.id, r.institution_id, &key);
    if (!id.ok()) return id.status();
    Statement st;
    if (*id) {
      FX_RETURN_IF_ERROR(
          keep_revision(t, "access_issue", "access_issues", kAccessJson, *id, actor, at));
      st = t.c.prepare(
          "UPDATE access_issues SET person_id=?2, day=?3, problem=?4, action=?5, resolved=?6, "
          "actor=?7, updated_at=?8 WHERE id=?1");
      st.bind(1, *id);
    } else {
      st = t.c.prepare(
          "INSERT INTO access_issues (institution_id, person_id, day, problem, action, resolved, "
          "actor, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
      st.bind(1, r.institution_id);
    }
    st.bind(2, r.person_id).bind(3, r.day).bind(4, r.problem).bind(5, r.action);
    st.bind(6, int64_t{r.resolved ? 1 : 0}).bind(7, actor).bind(8, at);
    FX_RETURN_IF_ERROR(t.run(st, "store access issue"));
    ids.push_back(*id ? *id : last());
    insts.insert(r.institution_id);
  }
  for (const auto& r : w.care) {
    auto key = t.c.prepare("SELECT id FROM care_list WHERE person_id = ?1 AND category = ?2");
    key.bind(1, r.person_id).bind(2, r.category);
    auto id = existing(t, "care_list", r.id, r.institution_id, &key);
    if (!id.ok()) return id.status();
    Statement st;
    if (*id) {
      FX_RETURN_IF_ERROR(keep_revision(t, "care", "care_list", kCareJson, *id, actor, at));
      st = t.c.prepare(
          "UPDATE care_list SET person_id=?2, category=?3, teacher_id=?4, note=?5, actor=?6, "
          "updated_at=?7 WHERE id=?1");
      st.bind(1, *id);
    } else {
      st = t.c.prepare(
          "INSERT INTO care_list (institution_id, person_id, category, teacher_id, note, actor, "
          "updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7)");
      st.bind(1, r.institution_id);
    }
    st.bind(2, r.person_id).bind(3, r.category);
    if (r.teacher_id)
      st.bind(4, r.teacher_id);
    else
      st.bind_null(4);
    st.bind(5, r.note).bind(6, actor).bind(7, at);
    FX_RETURN_IF_ERROR(t.run(st, "store care entry"));
    ids.push_back(*id ? *id : last());
    insts.insert(r.institution_id);
  }
  for (const auto& r : w.spot_checks) {
    auto id = existing(t, "spot_checks", r.id, r.institution_id, nullptr);
    if (!id.ok()) return id.status();
    Statement st;
    if (*id) {
      FX_RETURN_IF_ERROR(keep_revision(t, "spot_check", "spot_checks", kSpotJson, *id, actor, at));
      st = t.c.prepare(
          "UPDATE spot_checks SET person_id=?2, caller=?3, called_at=?4, satisfaction=?5, "
          "notes=?6, actor=?7, updated_at=?8 WHERE id=?1");
      st.bind(1, *id);
    } else {
      st = t.c.prepare(
          "INSERT INTO spot_checks (institution_id, person_id, caller, called_at, satisfaction, "
          "notes, actor, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
      st.bind(1, r.institution_id);
    }
    st.bind(2, r.person_id).bind(3, r.caller).bind(4, r.called_at);
    st.bind(5, int64_t{r.satisfaction}).bind(6, r.notes).bind(7, actor).bind(8, at);
    FX_RETURN_IF_ERROR(t.run(st, "store spot check"));
    ids.push_back(*id ? *id : last());
    insts.insert(r.institution_id);
  }
  for (const auto& r : w.activities) {
    auto id = existing(t, "research_activities", r.id, r.institution_id, nullptr);
    if (!id.ok()) return id.status();
    Statement st;
    if (*id) {
      FX_RETURN_IF_ERROR(
          keep_revision(t, "activity", "research_activities", kActivityJson, *id, actor, at));
      st = t.c.prepare(
          "UPDATE research_activities SET level=?2, kind=?3, subject=?4, day=?5, count=?6, "
          "title=?7, actor=?8, updated_at=?9 WHERE id=?1");
      st.bind(1, *id);
    } else {
      st = t.c.prepare(
          "INSERT INTO research_activities (institution_id, level, kind, subject, day, count, "
          "title, actor, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
      if (r.institution_id)
        st.bind(1, r.institution_id);
      else
        st.bind_null(1);
    }
    st.bind(2, r.level).bind(3, r.kind).bind(4, r.subject).bind(5, r.day);
    st.bind(6, int64_t{r.count}).bind(7, r.title).bind(8, actor).bind(9, at);
    FX_RETURN_IF_ERROR(t.run(st, "store activity"));
    ids.push_back(*id ? *id : last());
    insts.insert(r.institution_id);
  }
  FX_RETURN_IF_ERROR(changes(t, "teaching.saved", insts, w.size(), at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return ids;
}

Result<std::vector<ClassDayRecord>> SqliteTeachingStore::class_days(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kClassDaySelect) +
                               "WHERE ?1 = 0 OR c.institution_id = ?1 ORDER BY c.id");
  st.bind(1, inst);
  std::vector<ClassDayRecord> out;
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.int64(2), st.text(3),
                   static_cast<long>(st.int64(4)), static_cast<long>(st.int64(5)), st.text(6),
                   st.text(7), st.text(8), st.text(9)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list class days");
  return out;
}

Result<std::vector<AccessIssueRecord>> SqliteTeachingStore::access_issues(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kAccessSelect) +
                               "WHERE ?1 = 0 OR a.institution_id = ?1 ORDER BY a.id");
  st.bind(1, inst);
  std::vector<AccessIssueRecord> out;
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.int64(2), st.text(3), st.text(4), st.text(5),
                   st.int64(6) != 0, st.text(7), st.text(8), st.text(9), st.text(10), st.text(11),
                   st.text(12)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list access issues");
  return out;
}

Result<std::vector<CareRecord>> SqliteTeachingStore::care(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kCareSelect) +
                               "WHERE ?1 = 0 OR c.institution_id = ?1 ORDER BY c.id");
  st.bind(1, inst);
  std::vector<CareRecord> out;
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.int64(2), st.text(3), st.int64(4), st.text(5),
                   st.text(6), st.text(7), st.text(8), st.text(9), st.text(10), st.text(11),
                   st.text(12)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list care list");
  return out;
}

Result<std::vector<SpotCheckRecord>> SqliteTeachingStore::spot_checks(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kSpotSelect) +
                               "WHERE ?1 = 0 OR s.institution_id = ?1 ORDER BY s.id");
  st.bind(1, inst);
  std::vector<SpotCheckRecord> out;
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.int64(2), st.text(3), st.text(4),
                   static_cast<int>(st.int64(5)), st.text(6), st.text(7), st.text(8), st.text(9),
                   st.text(10), st.text(11)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list spot checks");
  return out;
}

Result<std::vector<ActivityRecord>> SqliteTeachingStore::activities(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      std::string(kActivitySelect) +
      "WHERE ?1 = 0 OR institution_id = ?1 OR institution_id IS NULL ORDER BY id");
  st.bind(1, inst);
  std::vector<ActivityRecord> out;
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.int64(2), st.text(3), st.text(4), st.text(5),
                   static_cast<long>(st.int64(6)), st.text(7), st.text(8), st.text(9)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list activities");
  return out;
}

Result<std::vector<TeachingRevision>> SqliteTeachingStore::revisions(const std::string& kind,
                                                                     int64_t record_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, kind, record_id, previous, actor, at FROM teaching_revisions WHERE kind = ?1 "
      "AND record_id = ?2 ORDER BY id");
  st.bind(1, kind).bind(2, record_id);
  std::vector<TeachingRevision> out;
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.int64(2), st.text(3), st.text(4), st.text(5)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list teaching revisions");
  return out;
}

Result<std::vector<PersonRef>> SqliteTeachingStore::people_of(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, institution_id, COALESCE(unit_id, 0), person_code, name, role FROM people "
      "WHERE ?1 = 0 OR institution_id = ?1 ORDER BY id");
  st.bind(1, inst);
  std::vector<PersonRef> out;
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.int64(2), st.text(3), st.text(4), st.text(5)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list people");
  return out;
}

// ------------------------------------------------------------------ volunteers

Result<int64_t> SqliteVolunteerStore::add_site(const VolunteerSite& s) {
  AreaTx t(db_);
  const std::string at = utc_now_iso();
  auto st = t.c.prepare(
      "INSERT INTO volunteer_sites (name, kind, address, actor, created_at) VALUES "
      "(?1,?2,?3,?4,?5)");
  st.bind(1, s.name).bind(2, s.kind).bind(3, s.address).bind(4, s.actor).bind(5, at);
  Status r = t.run(st, "store volunteer site");
  if (r.code() == Status::Code::already_exists)
    return Status::AlreadyExists("name: 已有同名站点 " + s.name + " (a site of that name exists)");
  FX_RETURN_IF_ERROR(r);
  const int64_t id = sqlite3_last_insert_rowid(t.c.get());
  FX_RETURN_IF_ERROR(changes(t, "volunteers.site_added", {0}, 1, at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<VolunteerSite>> SqliteVolunteerStore::sites() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, name, kind, address, actor, created_at FROM volunteer_sites ORDER BY id");
  std::vector<VolunteerSite> out;
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list volunteer sites");
  return out;
}

Result<std::vector<int64_t>> SqliteVolunteerStore::save_shifts(const std::vector<ShiftRecord>& list,
                                                               const std::string& actor) {
  AreaTx t(db_);
  const std::string at = utc_now_iso();
  std::vector<int64_t> ids;
  std::set<int64_t> insts;
  for (size_t i = 0; i < list.size(); ++i) {
    const ShiftRecord& r = list[i];
    const std::string n = std::to_string(i + 1);
    if (r.end_at <= r.start_at)
      return Status::Invalid("第" + n + "条 end: 结束早于开始 (the shift ends before it starts)");
    auto id = existing(t, "volunteer_shifts", r.id, r.institution_id, nullptr);
    if (!id.ok()) return id.status();
    // Stored shifts, and those written earlier in this batch, are all in the table now.
    auto overlap = t.c.prepare(
        "SELECT id FROM volunteer_shifts WHERE person_id = ?1 AND id <> ?2 AND start_at < ?4 AND "
        "end_at > ?3 LIMIT 1");
    overlap.bind(1, r.person_id).bind(2, *id).bind(3, r.start_at).bind(4, r.end_at);
    if (overlap.step())
      return Status::Conflict("第" + n + "条 start: 与同一人的班次 " +
                              std::to_string(overlap.int64(0)) +
                              " 重叠 (overlaps another shift of the same person)");
    if (overlap.rc() != SQLITE_DONE && overlap.rc() != SQLITE_ROW)
      return t.c.error("check overlapping shifts");
    Statement st;
    if (*id) {
      auto rev = t.c.prepare(std::string("INSERT INTO volunteer_revisions (shift_id, previous, "
                                         "actor, at) SELECT id, json_object(") +
                             kShiftJson + "), ?1, ?2 FROM volunteer_shifts WHERE id = ?3");
      rev.bind(1, actor).bind(2, at).bind(3, *id);
      FX_RETURN_IF_ERROR(t.run(rev, "keep shift revision"));
      st = t.c.prepare(
          "UPDATE volunteer_shifts SET person_id=?2, site_id=?3, role=?4, start_at=?5, end_at=?6, "
          "note=?7, actor=?8, updated_at=?9 WHERE id=?1");
      st.bind(1, *id);
    } else {
      st = t.c.prepare(
          "INSERT INTO volunteer_shifts (institution_id, person_id, site_id, role, start_at, "
          "end_at, note, actor, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
      st.bind(1, r.institution_id);
    }
    st.bind(2, r.person_id).bind(3, r.site_id).bind(4, r.role).bind(5, r.start_at);
    st.bind(6, r.end_at).bind(7, r.note).bind(8, actor).bind(9, at);
    FX_RETURN_IF_ERROR(t.run(st, "store shift"));
    ids.push_back(*id ? *id : sqlite3_last_insert_rowid(t.c.get()));
    insts.insert(r.institution_id);
  }
  FX_RETURN_IF_ERROR(changes(t, "volunteers.saved", insts, list.size(), at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return ids;
}

Result<std::vector<ShiftRecord>> SqliteVolunteerStore::shifts(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kShiftSelect) +
                               "WHERE ?1 = 0 OR s.institution_id = ?1 ORDER BY s.start_at, s.id");
  st.bind(1, inst);
  std::vector<ShiftRecord> out;
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.int64(2), st.int64(3), st.text(4), st.text(5),
                   st.text(6), st.text(7), st.text(8), st.text(9), st.text(10), st.text(11),
                   st.text(12), st.text(13)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list shifts");
  return out;
}

Result<std::vector<ShiftRevision>> SqliteVolunteerStore::revisions(int64_t shift_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, shift_id, previous, actor, at FROM volunteer_revisions WHERE shift_id = ?1 "
      "ORDER BY id");
  st.bind(1, shift_id);
  std::vector<ShiftRevision> out;
  while (st.step()) out.push_back({st.int64(0), st.int64(1), st.text(2), st.text(3), st.text(4)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list shift revisions");
  return out;
}

}  // namespace fx::store::sqlite
