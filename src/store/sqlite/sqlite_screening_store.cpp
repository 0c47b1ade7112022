#include "store/sqlite/sqlite_screening_store.h"

#include <algorithm>

#include "store/sqlite/area_tx.h"
#include "store/store.h"

namespace fx::store::sqlite {
namespace {

constexpr const char* kReportColumns =
    "r.id, r.person_id, r.institution_id, r.day, r.temperature, r.symptoms, r.symptom_note, "
    "r.location, r.at_home, r.reporter, r.abnormal, r.version, r.actor, r.reported_at";

ScreeningReport read_report(const Statement& st, int at) {
  ScreeningReport r;
  r.id = st.int64(at);
  r.person_id = st.int64(at + 1);
  r.institution_id = st.int64(at + 2);
  r.day = st.text(at + 3);
  r.temperature_tenths = static_cast<int>(st.int64(at + 4));
  r.symptoms = st.text(at + 5);
  r.symptom_note = st.text(at + 6);
  r.location = st.text(at + 7);
  r.at_home = st.int64(at + 8) != 0;
  r.reporter = st.text(at + 9);
  r.abnormal = st.int64(at + 10) != 0;
  r.version = static_cast<int>(st.int64(at + 11));
  r.actor = st.text(at + 12);
  r.reported_at = st.text(at + 13);
  return r;
}

Status append(AreaTx& t, const char* kind, int64_t institution_id, int64_t subject,
              const std::string& detail) {
  Change ch;
  ch.at = utc_now_iso();
  ch.kind = kind;
  ch.institution_id = institution_id;
  ch.subject_id = subject;
  ch.detail = detail;
  auto seq = t.tx.append_change(ch);
  return seq.ok() ? Status::Ok() : seq.status();
}

// Stores one range, widening the person's overlapping ranges into it so that
// no day of a person is covered twice. Returns the range id.
Result<int64_t> put_range(AreaTx& t, const HomeBoundRecord& r, size_t index,
                          const std::string& actor, const std::string& now) {
  auto who = t.c.prepare("SELECT institution_id FROM people WHERE id=?1");
  who.bind(1, r.person_id);
  if (!who.step()) {
    if (who.rc() != SQLITE_DONE) return t.c.error("read person");
    return Status::Invalid("records[" + std::to_string(index) +
                           "].person: 没有此人 (unknown person " + std::to_string(r.person_id) +
                           ")");
  }
  const int64_t institution = who.int64(0);
  auto over = t.c.prepare(
      "SELECT id, from_date, to_date, key_person_id FROM home_bound WHERE person_id=?1 AND "
      "from_date <= ?3 AND to_date >= ?2 ORDER BY id");
  over.bind(1, r.person_id).bind(2, r.from_date).bind(3, r.to_date);
  int64_t keep = 0, key_person = r.key_person_id;
  std::string from = r.from_date, to = r.to_date;
  std::vector<int64_t> drop;
  while (over.step()) {
    if (!keep)
      keep = over.int64(0);
    else
      drop.push_back(over.int64(0));
    from = std::min(from, over.text(1));
    to = std::max(to, over.text(2));
    if (!key_person) key_person = over.int64(3);
  }
  if (over.rc() != SQLITE_DONE) return t.c.error("read home-bound ranges");
  if (!keep) {
    auto ins = t.c.prepare(
        "INSERT INTO home_bound (person_id, institution_id, from_date, to_date, reason, source, "
        "key_person_id, actor, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9)");
    ins.bind(1, r.person_id).bind(2, institution).bind(3, from).bind(4, to).bind(5, r.reason);
    ins.bind(6, r.source).bind(7, key_person).bind(8, actor).bind(9, now);
    FX_RETURN_IF_ERROR(t.run(ins, "store home-bound range"));
    return sqlite3_last_insert_rowid(t.c.get());
  }
  auto up = t.c.prepare(
      "UPDATE home_bound SET from_date=?2, to_date=?3, key_person_id=?4, updated_at=?5, "
      "reason = CASE WHEN ?6 = '' THEN reason ELSE ?6 END WHERE id=?1");
  up.bind(1, keep).bind(2, from).bind(3, to).bind(4, key_person).bind(5, now).bind(6, r.reason);
  FX_RETURN_IF_ERROR(t.run(up, "widen home-bound range"));
  for (int64_t id : drop) {
    auto del = t.c.prepare("DELETE FROM home_bound WHERE id=?1");
    del.bind(1, id);
    FX_RETURN_IF_ERROR(t.run(del, "merge home-bound ranges"));
  }
  return keep;
}

// Key people at home without a range from the tracking table yet.
constexpr const char* kHomeKeyPeople =
    "SELECT k.id, k.person_id, date(k.start_at + 28800, 'unixepoch'), "
    "date(k.planned_end + 28800, 'unixepoch') FROM key_people k WHERE k.status = 'quarantined' "
    "AND k.quarantine_kind IN ('home', 'home_monitoring') AND k.planned_end >= k.start_at AND "
    "NOT EXISTS (SELECT 1 FROM home_bound h WHERE h.key_person_id = k.id) ORDER BY k.id";

constexpr const char* kPersonColumns =
    "p.name, p.person_code, COALESCE(u.path, ''), p.phone_masked";

// "alias.institution_id IN (…)" of ids (numbers only), or TRUE for all.
std::string in_institutions(const char* alias, const std::vector<int64_t>& ids) {
  if (ids.empty()) return "1 = 1";
  std::string out = std::string(alias) + ".institution_id IN (";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + ")";
}

}  // namespace

Result<std::vector<int64_t>> SqliteScreeningStore::add_home_bound(
    const std::vector<HomeBoundRecord>& records, const std::string& actor) {
  AreaTx t(db_);
  const std::string now = utc_now_iso();
  std::vector<int64_t> ids;
  for (size_t i = 0; i < records.size(); ++i) {
    auto id = put_range(t, records[i], i, actor, now);
    if (!id.ok()) return id.status();
    ids.push_back(*id);
  }
  if (records.empty()) return ids;
  FX_RETURN_IF_ERROR(append(t, "screening.home_bound", 0, static_cast<int64_t>(records.size()),
                            "{\"count\":" + std::to_string(records.size()) + "}"));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return ids;
}

Result<std::vector<HomeBoundRecord>> SqliteScreeningStore::home_bound_on(const std::string& day,
                                                                         int64_t institution_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, person_id, institution_id, from_date, to_date, reason, source, key_person_id, "
      "actor, created_at FROM home_bound WHERE (?2 = 0 OR institution_id = ?2) AND from_date <= "
      "?1 AND to_date >= ?1 ORDER BY person_id");
  st.bind(1, day).bind(2, institution_id);
  std::vector<HomeBoundRecord> out;
  while (st.step()) {
    HomeBoundRecord h;
    h.id = st.int64(0);
    h.person_id = st.int64(1);
    h.institution_id = st.int64(2);
    h.from_date = st.text(3);
    h.to_date = st.text(4);
    h.reason = st.text(5);
    h.source = st.text(6);
    h.key_person_id = st.int64(7);
    h.actor = st.text(8);
    h.created_at = st.text(9);
    out.push_back(std::move(h));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list home-bound people");
  return out;
}

Result<int> SqliteScreeningStore::sync_home_key_people(const std::string& actor) {
  {
    std::lock_guard lock(db_.read_mutex);
    if (!key_people_st_) key_people_st_ = db_.reader.prepare(kHomeKeyPeople);
    Statement& st = *key_people_st_;
    const bool any = st.step();
    const int rc = st.rc();
    st.reset();  // ends the read: a stepped statement would pin its snapshot
    if (!any) return rc == SQLITE_DONE ? Result<int>(0) : db_.reader.error("key people");
  }
  AreaTx t(db_);
  std::vector<HomeBoundRecord> add;
  auto st = t.c.prepare(kHomeKeyPeople);
  while (st.step()) {
    HomeBoundRecord h;
    h.key_person_id = st.int64(0);
    h.person_id = st.int64(1);
    h.from_date = st.text(2);
    h.to_date = st.text(3);
    h.reason = "重点人员居家隔离 (key person at home)";
    h.source = "tracking";
    add.push_back(std::move(h));
  }
  if (st.rc() != SQLITE_DONE) return t.c.error("read key people at home");
  const std::string now = utc_now_iso();
  for (size_t i = 0; i < add.size(); ++i) {
    auto id = put_range(t, add[i], i, actor, now);
    if (!id.ok()) return id.status();
  }
  if (add.empty()) return 0;
  FX_RETURN_IF_ERROR(append(t, "screening.home_bound", 0, static_cast<int64_t>(add.size()),
                            "{\"count\":" + std::to_string(add.size()) + "}"));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return static_cast<int>(add.size());
}

Result<std::vector<ScreeningCheck>> SqliteScreeningStore::check(
    const std::string& day, const std::vector<int64_t>& person_ids) {
  std::lock_guard lock(db_.read_mutex);
  if (!check_st_)
    check_st_ = db_.reader.prepare(
        "SELECT p.institution_id, EXISTS (SELECT 1 FROM home_bound h WHERE h.person_id = p.id AND "
        "h.from_date <= ?2 AND h.to_date >= ?2), COALESCE((SELECT r.id FROM screening_reports r "
        "WHERE r.person_id = p.id AND r.day = ?2), 0), COALESCE((SELECT r.version FROM "
        "screening_reports r WHERE r.person_id = p.id AND r.day = ?2), 0) FROM people p WHERE "
        "p.id = ?1");
  Statement& st = *check_st_;
  struct ResetAfter {
    Statement& s;
    ~ResetAfter() { s.reset(); }
  } reset_after{st};
  std::vector<ScreeningCheck> out;
  out.reserve(person_ids.size());
  for (int64_t id : person_ids) {
    st.reset();
    st.bind(1, id).bind(2, day);
    ScreeningCheck c;
    c.person_id = id;
    if (st.step()) {
      c.exists = true;
      c.institution_id = st.int64(0);
      c.home_bound = st.int64(1) != 0;
      c.report_id = st.int64(2);
      c.report_version = static_cast<int>(st.int64(3));
    } else if (st.rc() != SQLITE_DONE) {
      return db_.reader.error("check screening report");
    }
    out.push_back(c);
  }
  return out;
}

Result<long> SqliteScreeningStore::add_reports(const std::vector<ScreeningReport>& reports) {
  if (reports.empty()) return 0L;
  AreaTx t(db_);
  auto ins = t.c.prepare(
      "INSERT INTO screening_reports (person_id, institution_id, day, temperature, symptoms, "
      "symptom_note, location, at_home, reporter, abnormal, version, actor, reported_at) SELECT "
      "?1, p.institution_id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11 FROM people p WHERE "
      "p.id = ?1");
  int64_t institution = reports[0].institution_id;
  for (size_t i = 0; i < reports.size(); ++i) {
    const ScreeningReport& r = reports[i];
    ins.reset();
    ins.bind_static(2, r.day).bind(1, r.person_id).bind(3, int64_t{r.temperature_tenths});
    ins.bind_static(4, r.symptoms).bind_static(5, r.symptom_note).bind_static(6, r.location);
    ins.bind(7, int64_t{r.at_home}).bind_static(8, r.reporter).bind(9, int64_t{r.abnormal});
    ins.bind_static(10, r.actor).bind_static(11, r.reported_at);
    Status s = t.run(ins, "store screening report");
    if (s.code() == Status::Code::already_exists)
      return Status::AlreadyExists("reports[" + std::to_string(i) + "]: " + r.day +
                                   " 已有报告,更正请用更正接口 (already reported that day)");
    FX_RETURN_IF_ERROR(s);
    if (sqlite3_changes(t.c.get()) == 0)
      return Status::Invalid("reports[" + std::to_string(i) +
                             "].person: 没有此人 (unknown person)");
    if (r.institution_id != institution) institution = 0;
  }
  FX_RETURN_IF_ERROR(append(
      t, "screening.reported", institution, static_cast<int64_t>(reports.size()),
      "{\"count\":" + std::to_string(reports.size()) + ",\"day\":\"" + reports[0].day + "\"}"));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return static_cast<long>(reports.size());
}

Result<ScreeningReport> SqliteScreeningStore::correct_report(const ScreeningReport& n,
                                                             int expected_version) {
  AreaTx t(db_);
  auto cur = t.c.prepare(std::string("SELECT ") + kReportColumns +
                         " FROM screening_reports r WHERE r.person_id=?1 AND r.day=?2");
  cur.bind(1, n.person_id).bind(2, n.day);
  if (!cur.step()) {
    if (cur.rc() != SQLITE_DONE) return t.c.error("read screening report");
    return Status::NotFound("当天没有报告可更正 (no report that day to correct)");
  }
  const ScreeningReport old = read_report(cur, 0);
  if (expected_version && old.version != expected_version)
    return Status::Conflict("报告已被他人更正,请刷新 (the report changed meanwhile)");
  auto hist = t.c.prepare(
      "INSERT INTO screening_report_history (report_id, version, temperature, symptoms, "
      "symptom_note, location, at_home, reporter, abnormal, actor, reported_at, replaced_at, "
      "replaced_by) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
  hist.bind(1, old.id).bind(2, int64_t{old.version}).bind(3, int64_t{old.temperature_tenths});
  hist.bind(4, old.symptoms).bind(5, old.symptom_note).bind(6, old.location);
  hist.bind(7, int64_t{old.at_home}).bind(8, old.reporter).bind(9, int64_t{old.abnormal});
  hist.bind(10, old.actor).bind(11, old.reported_at).bind(12, n.reported_at).bind(13, n.actor);
  FX_RETURN_IF_ERROR(t.run(hist, "keep screening report version"));
  auto up = t.c.prepare(
      "UPDATE screening_reports SET temperature=?2, symptoms=?3, symptom_note=?4, location=?5, "
      "at_home=?6, reporter=?7, abnormal=?8, version=version+1, actor=?9, reported_at=?10 "
      "WHERE id=?1");
  up.bind(1, old.id).bind(2, int64_t{n.temperature_tenths}).bind(3, n.symptoms);
  up.bind(4, n.symptom_note).bind(5, n.location).bind(6, int64_t{n.at_home}).bind(7, n.reporter);
  up.bind(8, int64_t{n.abnormal}).bind(9, n.actor).bind(10, n.reported_at);
  FX_RETURN_IF_ERROR(t.run(up, "correct screening report"));
  FX_RETURN_IF_ERROR(append(t, "screening.corrected", old.institution_id, old.id,
                            "{\"version\":" + std::to_string(old.version + 1) + "}"));
  FX_RETURN_IF_ERROR(t.tx.commit());
  ScreeningReport out = n;
  out.id = old.id;
  out.institution_id = old.institution_id;
  out.version = old.version + 1;
  return out;
}

Result<std::vector<ScreeningReport>> SqliteScreeningStore::report_history(int64_t person_id,
                                                                          const std::string& day) {
  std::lock_guard lock(db_.read_mutex);
  auto cur = db_.reader.prepare(std::string("SELECT ") + kReportColumns +
                                " FROM screening_reports r WHERE r.person_id=?1 AND r.day=?2");
  cur.bind(1, person_id).bind(2, day);
  if (!cur.step()) {
    if (cur.rc() != SQLITE_DONE) return db_.reader.error("read screening report");
    return Status::NotFound("当天没有报告 (no report that day)");
  }
  std::vector<ScreeningReport> out{read_report(cur, 0)};
  auto h = db_.reader.prepare(
      "SELECT version, temperature, symptoms, symptom_note, location, at_home, reporter, "
      "abnormal, actor, reported_at, replaced_at, replaced_by FROM screening_report_history "
      "WHERE report_id=?1 ORDER BY version DESC");
  h.bind(1, out[0].id);
  while (h.step()) {
    ScreeningReport r = out[0];
    r.version = static_cast<int>(h.int64(0));
    r.temperature_tenths = static_cast<int>(h.int64(1));
    r.symptoms = h.text(2);
    r.symptom_note = h.text(3);
    r.location = h.text(4);
    r.at_home = h.int64(5) != 0;
    r.reporter = h.text(6);
    r.abnormal = h.int64(7) != 0;
    r.actor = h.text(8);
    r.reported_at = h.text(9);
    r.replaced_at = h.text(10);
    r.replaced_by = h.text(11);
    out.push_back(std::move(r));
  }
  if (h.rc() != SQLITE_DONE) return db_.reader.error("read screening history");
  return out;
}

Result<std::vector<ScreeningCount>> SqliteScreeningStore::day_counts(const std::string& day) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT institution_id, SUM(due), SUM(rep), SUM(abn) FROM ("
      "SELECT institution_id, COUNT(*) AS due, 0 AS rep, 0 AS abn FROM home_bound WHERE "
      "from_date <= ?1 AND to_date >= ?1 GROUP BY institution_id UNION ALL "
      "SELECT institution_id, 0, COUNT(*), SUM(abnormal) FROM screening_reports WHERE day = ?1 "
      "GROUP BY institution_id) GROUP BY institution_id ORDER BY institution_id");
  st.bind(1, day);
  std::vector<ScreeningCount> out;
  while (st.step())
    out.push_back({st.int64(0), static_cast<long>(st.int64(1)), static_cast<long>(st.int64(2)),
                   static_cast<long>(st.int64(3))});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("count the day's screening");
  return out;
}

Result<std::vector<ScreeningPerson>> SqliteScreeningStore::not_reported(const std::string& day,
                                                                        int64_t institution_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      std::string("SELECT h.person_id, h.institution_id, ") + kPersonColumns +
      " FROM home_bound h JOIN people p ON p.id = h.person_id LEFT JOIN units u ON u.id = "
      "p.unit_id WHERE (?2 = 0 OR h.institution_id = ?2) AND h.from_date <= ?1 AND h.to_date >= "
      "?1 AND NOT EXISTS (SELECT 1 FROM screening_reports r WHERE r.person_id = h.person_id AND "
      "r.day = ?1) ORDER BY h.institution_id, 5, p.person_code");
  st.bind(1, day).bind(2, institution_id);
  std::vector<ScreeningPerson> out;
  while (st.step()) {
    ScreeningPerson p;
    p.person_id = st.int64(0);
    p.institution_id = st.int64(1);
    p.name = st.text(2);
    p.person_code = st.text(3);
    p.unit = st.text(4);
    p.phone_masked = st.text(5);
    out.push_back(std::move(p));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list people not reported");
  return out;
}

Result<std::vector<ScreeningPerson>> SqliteScreeningStore::reports_on(const std::string& day,
                                                                      int64_t institution_id,
                                                                      bool abnormal_only) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      std::string("SELECT ") + kPersonColumns + ", " + kReportColumns +
      " FROM screening_reports r JOIN people p ON p.id = r.person_id LEFT JOIN units u ON u.id = "
      "p.unit_id WHERE r.day = ?1 AND (?2 = 0 OR r.institution_id = ?2) AND (?3 = 0 OR "
      "r.abnormal = 1) ORDER BY r.institution_id, 3, p.person_code");
  st.bind(1, day).bind(2, institution_id).bind(3, int64_t{abnormal_only});
  std::vector<ScreeningPerson> out;
  while (st.step()) {
    ScreeningPerson p;
    p.name = st.text(0);
    p.person_code = st.text(1);
    p.unit = st.text(2);
    p.phone_masked = st.text(3);
    p.report = read_report(st, 4);
    p.person_id = p.report.person_id;
    p.institution_id = p.report.institution_id;
    out.push_back(std::move(p));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list screening reports");
  return out;
}

Result<ScreeningTotals> SqliteScreeningStore::totals(const std::vector<int64_t>& institutions) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT COUNT(*), COUNT(DISTINCT person_id), COUNT(DISTINCT day), COALESCE(SUM(abnormal), "
      "0), (SELECT COUNT(*) FROM screening_report_history h JOIN screening_reports s ON s.id = "
      "h.report_id WHERE " +
      in_institutions("s", institutions) + "), (SELECT COUNT(*) FROM home_bound b WHERE " +
      in_institutions("b", institutions) + ") FROM screening_reports r WHERE " +
      in_institutions("r", institutions));
  if (!st.step()) return db_.reader.error("screening totals");
  ScreeningTotals t;
  t.reports = static_cast<long>(st.int64(0));
  t.people = static_cast<long>(st.int64(1));
  t.days = static_cast<long>(st.int64(2));
  t.abnormal = static_cast<long>(st.int64(3));
  t.corrections = static_cast<long>(st.int64(4));
  t.home_bound = static_cast<long>(st.int64(5));
  return t;
}

}  // namespace fx::store::sqlite
