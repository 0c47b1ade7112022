#include "store/postgres/pg_teaching_store.h"

#include <set>

#include "store/postgres/pg_write_tx.h"
#include "store/store.h"
#include "store/teaching_sql.h"

namespace fx::store::postgres {
namespace {

using namespace teaching_sql;

// One write transaction on the shared writer.
struct Tx {
  explicit Tx(PgHandles& db)
      : tx(std::unique_lock<std::mutex>(db.write_mutex), db.writer, db.vault),
        started(tx.start()) {}
  Result<PgResult> q(const std::string& sql, const Params& p = {}) {
    if (!started.ok()) return started;
    return tx.query(sql, p);
  }
  Status changes(const char* kind, const std::set<int64_t>& institutions, size_t n,
                 const std::string& at) {
    for (int64_t inst : institutions) {
      Change ch;
      ch.at = at;
      ch.kind = kind;
      ch.institution_id = inst;
      ch.detail = "{\"records\":" + std::to_string(n) + "}";
      auto seq = tx.append_change(ch);
      if (!seq.ok()) return seq.status();
    }
    return Status::Ok();
  }
  PgWriteTx tx;
  Status started;
};

// As in the SQLite store: `id` when set (locked; NotFound unless of
// `institution_id`), else the row `key_sql` finds with `key` (0 when none).
Result<int64_t> existing(Tx& t, const char* table, int64_t id, int64_t institution_id,
                         const std::string& key_sql, const Params& key) {
  if (id) {
    auto r = t.q(std::string("SELECT COALESCE(institution_id, 0) FROM ") + table +
                     " WHERE id = $1 FOR UPDATE",
                 Params().add(id));
    if (!r.ok()) return r.status();
    if (r->rows() && r->int64(0, 0) == institution_id) return id;
    return Status::NotFound(std::string(table) + ": 没有记录 " + std::to_string(id) +
                            " (no such record)");
  }
  if (key_sql.empty()) return int64_t{0};
  auto r = t.q(key_sql + " FOR UPDATE", key);
  if (!r.ok()) return r.status();
  return r->rows() ? r->int64(0, 0) : int64_t{0};
}

Status keep_revision(Tx& t, const char* kind, const char* table, const char* json, int64_t id,
                     const std::string& actor, const std::string& at) {
  auto r = t.q(std::string("INSERT INTO teaching_revisions (kind, record_id, previous, actor, at) "
                           "SELECT $1::text, id, json_build_object(") +
                   json + ")::text, $2::text, $3::text FROM " + table + " WHERE id = $4::bigint",
               Params().add(kind).add(actor).add(at).add(id));
  return r.ok() ? Status::Ok() : r.status();
}

// Runs an UPDATE (id known) or an INSERT … RETURNING id; returns the id.
Result<int64_t> write_row(Tx& t, int64_t id, const std::string& update, const std::string& insert,
                          Params values) {
  if (id) {
    auto r = t.q(update, values.add(id));
    if (!r.ok()) return r.status();
    return id;
  }
  auto r = t.q(insert + " RETURNING id", values);
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

}  // namespace

Result<PgResult> PgTeachingStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<std::vector<int64_t>> PgTeachingStore::save(const TeachingWrite& w,
                                                   const std::string& actor) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  const std::string at = utc_now_iso();
  std::vector<int64_t> ids;
  std::set<int64_t> insts;

  for (const auto& r : w.class_days) {
    auto id = existing(t, "class_days", r.id, r.institution_id,
                       "SELECT id FROM class_days WHERE unit_id = $1 AND day = $2",
                       Params().add(r.unit_id).add(r.day));
    if (!id.ok()) return id.status();
    if (*id)
      FX_RETURN_IF_ERROR(
          keep_revision(t, "class_day", "class_days", kClassDayJson, *id, actor, at));
    Params v;
    v.add(r.institution_id).add(r.unit_id).add(r.day).add(int64_t{r.expected});
    v.add(int64_t{r.attending}).add(r.note).add(actor).add(at);
    auto done = write_row(
        t, *id,
        "UPDATE class_days SET institution_id=$1, unit_id=$2, day=$3, expected=$4, attending=$5, "
        "note=$6, actor=$7, updated_at=$8 WHERE id=$9",
        "INSERT INTO class_days (institution_id, unit_id, day, expected, attending, note, actor, "
        "updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        std::move(v));
    if (!done.ok()) return done.status();
    ids.push_back(*done);
    insts.insert(r.institution_id);
  }
  for (const auto& r : w.access_issues) {
    auto id = existing(t, "access_issues", r.id, r.institution_id,
                       "SELECT id FROM access_issues WHERE person_id = $1 AND problem = $2",
                       Params().add(r.person_id).add(r.problem));
    if (!id.ok()) return id.status();
    if (*id)
      FX_RETURN_IF_ERROR(
          keep_revision(t, "access_issue", "access_issues", kAccessJson, *id, actor, at));
    Params v;
    v.add(r.institution_id).add(r.person_id).add(r.day).add(r.problem).add(r.action);
    v.add(int64_t{r.resolved ? 1 : 0}).add(actor).add(at);
    auto done = write_row(
        t, *id,
        "UPDATE access_issues SET institution_id=$1, person_id=$2, day=$3, problem=$4, action=$5, "
        "resolved=$6, actor=$7, updated_at=$8 WHERE id=$9",
        "INSERT INTO access_issues (institution_id, person_id, day, problem, action, resolved, "
        "actor, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        std::move(v));
    if (!done.ok()) return done.status();
    ids.push_back(*done);
    insts.insert(r.institution_id);
  }
  for (const auto& r : w.care) {
    auto id = existing(t, "care_list", r.id, r.institution_id,
                       "SELECT id FROM care_list WHERE person_id = $1 AND category = $2",
                       Params().add(r.person_id).add(r.category));
    if (!id.ok()) return id.status();
    if (*id) FX_RETURN_IF_ERROR(keep_revision(t, "care", "care_list", kCareJson, *id, actor, at));
    Params v;
    v.add(r.institution_id).add(r.person_id).add(r.category).add_or_null(r.teacher_id);
    v.add(r.note).add(actor).add(at);
    auto done = write_row(
        t, *id,
        "UPDATE care_list SET institution_id=$1, person_id=$2, category=$3, teacher_id=$4, "
        "note=$5, actor=$6, updated_at=$7 WHERE id=$8",
        "INSERT INTO care_list (institution_id, person_id, category, teacher_id, note, actor, "
        "updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        std::move(v));
    if (!done.ok()) return done.status();
    ids.push_back(*done);
    insts.insert(r.institution_id);
  }
  for (const auto& r : w.spot_checks) {
    auto id = existing(t, "spot_checks", r.id, r.institution_id, "", {});
    if (!id.ok()) return id.status();
    if (*id)
      FX_RETURN_IF_ERROR(keep_revision(t, "spot_check", "spot_checks", kSpotJson, *id, actor, at));
    Params v;
    v.add(r.institution_id).add(r.person_id).add(r.caller).add(r.called_at);
    v.add(int64_t{r.satisfaction}).add(r.notes).add(actor).add(at);
    auto done = write_row(
        t, *id,
        "UPDATE spot_checks SET institution_id=$1, person_id=$2, caller=$3, called_at=$4, "
        "satisfaction=$5, notes=$6, actor=$7, updated_at=$8 WHERE id=$9",
        "INSERT INTO spot_checks (institution_id, person_id, caller, called_at, satisfaction, "
        "notes, actor, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        std::move(v));
    if (!done.ok()) return done.status();
    ids.push_back(*done);
    insts.insert(r.institution_id);
  }
  for (const auto& r : w.activities) {
    auto id = existing(t, "research_activities", r.id, r.institution_id, "", {});
    if (!id.ok()) return id.status();
    if (*id)
      FX_RETURN_IF_ERROR(
          keep_revision(t, "activity", "research_activities", kActivityJson, *id, actor, at));
    Params v;
    v.add_or_null(r.institution_id).add(r.level).add(r.kind).add(r.subject).add(r.day);
    v.add(int64_t{r.count}).add(r.title).add(actor).add(at);
    auto done = write_row(
        t, *id,
        "UPDATE research_activities SET institution_id=$1, level=$2, kind=$3, subject=$4, "
        "day=$5, count=$6, title=$7, actor=$8, updated_at=$9 WHERE id=$10",
        "INSERT INTO research_activities (institution_id, level, kind, subject, day, count, "
        "title, actor, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
        std::move(v));
    if (!done.ok()) return done.status();
    ids.push_back(*done);
    insts.insert(r.institution_id);
  }
  FX_RETURN_IF_ERROR(t.changes("teaching.saved", insts, w.size(), at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return ids;
}

Result<std::vector<ClassDayRecord>> PgTeachingStore::class_days(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto r =
      read(std::string(kClassDaySelect) + "WHERE $1 = 0 OR c.institution_id = $1 ORDER BY c.id",
           Params().add(inst));
  if (!r.ok()) return r.status();
  std::vector<ClassDayRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->int64(i, 2), r->text(i, 3),
                   static_cast<long>(r->int64(i, 4)), static_cast<long>(r->int64(i, 5)),
                   r->text(i, 6), r->text(i, 7), r->text(i, 8), r->text(i, 9)});
  return out;
}

Result<std::vector<AccessIssueRecord>> PgTeachingStore::access_issues(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kAccessSelect) + "WHERE $1 = 0 OR a.institution_id = $1 ORDER BY a.id",
                Params().add(inst));
  if (!r.ok()) return r.status();
  std::vector<AccessIssueRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->int64(i, 2), r->text(i, 3), r->text(i, 4),
                   r->text(i, 5), r->int64(i, 6) != 0, r->text(i, 7), r->text(i, 8), r->text(i, 9),
                   r->text(i, 10), r->text(i, 11), r->text(i, 12)});
  return out;
}

Result<std::vector<CareRecord>> PgTeachingStore::care(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kCareSelect) + "WHERE $1 = 0 OR c.institution_id = $1 ORDER BY c.id",
                Params().add(inst));
  if (!r.ok()) return r.status();
  std::vector<CareRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->int64(i, 2), r->text(i, 3), r->int64(i, 4),
                   r->text(i, 5), r->text(i, 6), r->text(i, 7), r->text(i, 8), r->text(i, 9),
                   r->text(i, 10), r->text(i, 11), r->text(i, 12)});
  return out;
}

Result<std::vector<SpotCheckRecord>> PgTeachingStore::spot_checks(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kSpotSelect) + "WHERE $1 = 0 OR s.institution_id = $1 ORDER BY s.id",
                Params().add(inst));
  if (!r.ok()) return r.status();
  std::vector<SpotCheckRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->int64(i, 2), r->text(i, 3), r->text(i, 4),
                   static_cast<int>(r->int64(i, 5)), r->text(i, 6), r->text(i, 7), r->text(i, 8),
                   r->text(i, 9), r->text(i, 10), r->text(i, 11)});
  return out;
}

Result<std::vector<ActivityRecord>> PgTeachingStore::activities(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kActivitySelect) +
                    "WHERE $1 = 0 OR institution_id = $1 OR institution_id IS NULL ORDER BY id",
                Params().add(inst));
  if (!r.ok()) return r.status();
  std::vector<ActivityRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->text(i, 1), r->int64(i, 2), r->text(i, 3), r->text(i, 4),
                   r->text(i, 5), static_cast<long>(r->int64(i, 6)), r->text(i, 7), r->text(i, 8),
                   r->text(i, 9)});
  return out;
}

Result<std::vector<TeachingRevision>> PgTeachingStore::revisions(const std::string& kind,
                                                                 int64_t record_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, kind, record_id, previous, actor, at FROM teaching_revisions WHERE kind = $1 "
      "AND record_id = $2 ORDER BY id",
      Params().add(kind).add(record_id));
  if (!r.ok()) return r.status();
  std::vector<TeachingRevision> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->text(i, 1), r->int64(i, 2), r->text(i, 3), r->text(i, 4),
                   r->text(i, 5)});
  return out;
}

Result<std::vector<PersonRef>> PgTeachingStore::people_of(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, institution_id, COALESCE(unit_id, 0), person_code, name, role FROM people "
      "WHERE $1 = 0 OR institution_id = $1 ORDER BY id",
      Params().add(inst));
  if (!r.ok()) return r.status();
  std::vector<PersonRef> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->int64(i, 2), r->text(i, 3), r->text(i, 4),
                   r->text(i, 5)});
  return out;
}

// ------------------------------------------------------------------ volunteers

Result<PgResult> PgVolunteerStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<int64_t> PgVolunteerStore::add_site(const VolunteerSite& s) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  const std::string at = utc_now_iso();
  auto r =
      t.q("INSERT INTO volunteer_sites (name, kind, address, actor, created_at) VALUES "
          "($1,$2,$3,$4,$5) RETURNING id",
          Params().add(s.name).add(s.kind).add(s.address).add(s.actor).add(at));
  if (!r.ok()) {
    if (r.status().code() == Status::Code::already_exists)
      return Status::AlreadyExists("name: 已有同名站点 " + s.name +
                                   " (a site of that name exists)");
    return r.status();
  }
  const int64_t id = r->int64(0, 0);
  FX_RETURN_IF_ERROR(t.changes("volunteers.site_added", {0}, 1, at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<VolunteerSite>> PgVolunteerStore::sites() {
  std::lock_guard lock(db_.read_mutex);
  auto r =
      read("SELECT id, name, kind, address, actor, created_at FROM volunteer_sites ORDER BY id");
  if (!r.ok()) return r.status();
  std::vector<VolunteerSite> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->text(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4),
                   r->text(i, 5)});
  return out;
}

Result<std::vector<int64_t>> PgVolunteerStore::save_shifts(const std::vector<ShiftRecord>& list,
                                                           const std::string& actor) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  const std::string at = utc_now_iso();
  std::vector<int64_t> ids;
  std::set<int64_t> insts;
  // People are locked in id order, so two nodes wait for each other instead of deadlocking.
  std::set<int64_t> people;
  for (const auto& r : list) people.insert(r.person_id);
  for (int64_t p : people) {
    auto lock = t.q("SELECT id FROM people WHERE id = $1 FOR UPDATE", Params().add(p));
    if (!lock.ok()) return lock.status();
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const ShiftRecord& r = list[i];
    const std::string n = std::to_string(i + 1);
    if (r.end_at <= r.start_at)
      return Status::Invalid("第" + n + "条 end: 结束早于开始 (the shift ends before it starts)");
    auto id = existing(t, "volunteer_shifts", r.id, r.institution_id, "", {});
    if (!id.ok()) return id.status();
    auto overlap = t.q(
        "SELECT id FROM volunteer_shifts WHERE person_id = $1 AND id <> $2 AND start_at < $4 AND "
        "end_at > $3 LIMIT 1",
        Params().add(r.person_id).add(*id).add(r.start_at).add(r.end_at));
    if (!overlap.ok()) return overlap.status();
    if (overlap->rows())
      return Status::Conflict("第" + n + "条 start: 与同一人的班次 " +
                              std::to_string(overlap->int64(0, 0)) +
                              " 重叠 (overlaps another shift of the same person)");
    if (*id) {
      auto rev = t.q(std::string("INSERT INTO volunteer_revisions (shift_id, previous, actor, at) "
                                 "SELECT id, json_build_object(") +
                         kShiftJson +
                         ")::text, $1::text, $2::text FROM volunteer_shifts WHERE id = $3::bigint",
                     Params().add(actor).add(at).add(*id));
      if (!rev.ok()) return rev.status();
    }
    Params v;
    v.add(r.institution_id).add(r.person_id).add(r.site_id).add(r.role).add(r.start_at);
    v.add(r.end_at).add(r.note).add(actor).add(at);
    auto done = write_row(
        t, *id,
        "UPDATE volunteer_shifts SET institution_id=$1, person_id=$2, site_id=$3, role=$4, "
        "start_at=$5, end_at=$6, note=$7, actor=$8, updated_at=$9 WHERE id=$10",
        "INSERT INTO volunteer_shifts (institution_id, person_id, site_id, role, start_at, "
        "end_at, note, actor, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
        std::move(v));
    if (!done.ok()) return done.status();
    ids.push_back(*done);
    insts.insert(r.institution_id);
  }
  FX_RETURN_IF_ERROR(t.changes("volunteers.saved", insts, list.size(), at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return ids;
}

Result<std::vector<ShiftRecord>> PgVolunteerStore::shifts(int64_t inst) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      std::string(kShiftSelect) + "WHERE $1 = 0 OR s.institution_id = $1 ORDER BY s.start_at, s.id",
      Params().add(inst));
  if (!r.ok()) return r.status();
  std::vector<ShiftRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->int64(i, 2), r->int64(i, 3), r->text(i, 4),
                   r->text(i, 5), r->text(i, 6), r->text(i, 7), r->text(i, 8), r->text(i, 9),
                   r->text(i, 10), r->text(i, 11), r->text(i, 12), r->text(i, 13)});
  return out;
}

Result<std::vector<ShiftRevision>> PgVolunteerStore::revisions(int64_t shift_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, shift_id, previous, actor, at FROM volunteer_revisions WHERE shift_id = $1 "
      "ORDER BY id",
      Params().add(shift_id));
  if (!r.ok()) return r.status();
  std::vector<ShiftRevision> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4)});
  return out;
}

}  // namespace fx::store::postgres
