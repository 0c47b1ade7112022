#include "store/postgres/pg_screening_store.h"

#include <algorithm>

#include "store/postgres/pg_write_tx.h"
#include "store/store.h"

namespace fx::store::postgres {
namespace {

constexpr const char* kReportColumns =
    "r.id, r.person_id, r.institution_id, r.day, r.temperature, r.symptoms, r.symptom_note, "
    "r.location, r.at_home, r.reporter, r.abnormal, r.version, r.actor, r.reported_at";
constexpr const char* kPersonColumns =
    "p.name, p.person_code, COALESCE(u.path, ''), p.phone_masked";
constexpr int kRowsPerInsert = 1000;

ScreeningReport read_report(const PgResult& r, int i, int at) {
  ScreeningReport s;
  s.id = r.int64(i, at);
  s.person_id = r.int64(i, at + 1);
  s.institution_id = r.int64(i, at + 2);
  s.day = r.text(i, at + 3);
  s.temperature_tenths = static_cast<int>(r.int64(i, at + 4));
  s.symptoms = r.text(i, at + 5);
  s.symptom_note = r.text(i, at + 6);
  s.location = r.text(i, at + 7);
  s.at_home = r.int64(i, at + 8) != 0;
  s.reporter = r.text(i, at + 9);
  s.abnormal = r.int64(i, at + 10) != 0;
  s.version = static_cast<int>(r.int64(i, at + 11));
  s.actor = r.text(i, at + 12);
  s.reported_at = r.text(i, at + 13);
  return s;
}

ScreeningPerson read_person(const PgResult& r, int i) {
  ScreeningPerson p;
  p.name = r.text(i, 0);
  p.person_code = r.text(i, 1);
  p.unit = r.text(i, 2);
  p.phone_masked = r.text(i, 3);
  return p;
}

// One write transaction on the shared writer.
struct Tx {
  explicit Tx(PgHandles& db)
      : tx(std::unique_lock<std::mutex>(db.write_mutex), db.writer, db.vault),
        started(tx.start()) {}
  Result<PgResult> q(const std::string& sql, const Params& p = {}) {
    if (!started.ok()) return started;
    return tx.query(sql, p);
  }
  Status commit_with(const char* kind, int64_t institution_id, int64_t subject,
                     const std::string& detail) {
    Change ch;
    ch.at = utc_now_iso();
    ch.kind = kind;
    ch.institution_id = institution_id;
    ch.subject_id = subject;
    ch.detail = detail;
    auto seq = tx.append_change(ch);
    if (!seq.ok()) return seq.status();
    return tx.commit();
  }
  PgWriteTx tx;
  Status started;
};

// As in the SQLite store: one range per person per day, overlapping ranges
// widened into one. Returns the range id.
Result<int64_t> put_range(Tx& t, const HomeBoundRecord& r, size_t index, const std::string& actor,
                          const std::string& now) {
  auto who = t.q("SELECT institution_id FROM people WHERE id=$1", Params().add(r.person_id));
  if (!who.ok()) return who.status();
  if (who->rows() == 0)
    return Status::Invalid("records[" + std::to_string(index) +
                           "].person: 没有此人 (unknown person " + std::to_string(r.person_id) +
                           ")");
  const int64_t institution = who->int64(0, 0);
  auto over =
      t.q("SELECT id, from_date, to_date, key_person_id FROM home_bound WHERE person_id=$1 AND "
          "from_date <= $3 AND to_date >= $2 ORDER BY id FOR UPDATE",
          Params().add(r.person_id).add(r.from_date).add(r.to_date));
  if (!over.ok()) return over.status();
  int64_t key_person = r.key_person_id;
  std::string from = r.from_date, to = r.to_date;
  for (int i = 0; i < over->rows(); ++i) {
    from = std::min(from, over->text(i, 1));
    to = std::max(to, over->text(i, 2));
    if (!key_person) key_person = over->int64(i, 3);
  }
  if (over->rows() == 0) {
    Params v;
    v.add(r.person_id).add(institution).add(from).add(to).add(r.reason).add(r.source);
    v.add(key_person).add(actor).add(now);
    auto ins = t.q(
        "INSERT INTO home_bound (person_id, institution_id, from_date, to_date, reason, source, "
        "key_person_id, actor, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) "
        "RETURNING id",
        v);
    if (!ins.ok()) return ins.status();
    return ins->int64(0, 0);
  }
  const int64_t keep = over->int64(0, 0);
  auto up =
      t.q("UPDATE home_bound SET from_date=$2, to_date=$3, key_person_id=$4, updated_at=$5, "
          "reason = CASE WHEN $6 = '' THEN reason ELSE $6 END WHERE id=$1",
          Params().add(keep).add(from).add(to).add(key_person).add(now).add(r.reason));
  if (!up.ok()) return up.status();
  for (int i = 1; i < over->rows(); ++i) {
    auto del = t.q("DELETE FROM home_bound WHERE id=$1", Params().add(over->int64(i, 0)));
    if (!del.ok()) return del.status();
  }
  return keep;
}

// Key people at home without a range from the tracking table yet; dates in
// Asia/Shanghai (UTC+8, no daylight saving).
constexpr const char* kHomeKeyPeople =
    "SELECT k.id, k.person_id, to_char(to_timestamp(k.start_at + 28800) AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD'), to_char(to_timestamp(k.planned_end + 28800) AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD') FROM key_people k WHERE k.status = 'quarantined' AND k.quarantine_kind IN "
    "('home', 'home_monitoring') AND k.planned_end >= k.start_at AND NOT EXISTS (SELECT 1 FROM "
    "home_bound h WHERE h.key_person_id = k.id) ORDER BY k.id";

// "alias.institution_id IN (…)" of ids (numbers only), or TRUE for all.
std::string in_institutions(const char* alias, const std::vector<int64_t>& ids) {
  if (ids.empty()) return "1 = 1";
  std::string out = std::string(alias) + ".institution_id IN (";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + ")";
}

}  // namespace

Result<PgResult> PgScreeningStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<std::vector<int64_t>> PgScreeningStore::add_home_bound(
    const std::vector<HomeBoundRecord>& records, const std::string& actor) {
  std::vector<int64_t> ids;
  if (records.empty()) return ids;
  Tx t(db_);
  const std::string now = utc_now_iso();
  for (size_t i = 0; i < records.size(); ++i) {
    auto id = put_range(t, records[i], i, actor, now);
    if (!id.ok()) return id.status();
    ids.push_back(*id);
  }
  FX_RETURN_IF_ERROR(t.commit_with("screening.home_bound", 0, static_cast<int64_t>(records.size()),
                                   "{\"count\":" + std::to_string(records.size()) + "}"));
  return ids;
}

Result<std::vector<HomeBoundRecord>> PgScreeningStore::home_bound_on(const std::string& day,
                                                                     int64_t institution_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, person_id, institution_id, from_date, to_date, reason, source, key_person_id, "
      "actor, created_at FROM home_bound WHERE ($2 = 0 OR institution_id = $2) AND from_date <= "
      "$1 AND to_date >= $1 ORDER BY person_id",
      Params().add(day).add(institution_id));
  if (!r.ok()) return r.status();
  std::vector<HomeBoundRecord> out;
  for (int i = 0; i < r->rows(); ++i) {
    HomeBoundRecord h;
    h.id = r->int64(i, 0);
    h.person_id = r->int64(i, 1);
    h.institution_id = r->int64(i, 2);
    h.from_date = r->text(i, 3);
    h.to_date = r->text(i, 4);
    h.reason = r->text(i, 5);
    h.source = r->text(i, 6);
    h.key_person_id = r->int64(i, 7);
    h.actor = r->text(i, 8);
    h.created_at = r->text(i, 9);
    out.push_back(std::move(h));
  }
  return out;
}

Result<int> PgScreeningStore::sync_home_key_people(const std::string& actor) {
  {
    std::lock_guard lock(db_.read_mutex);
    auto r = read(kHomeKeyPeople);
    if (!r.ok()) return r.status();
    if (r->rows() == 0) return 0;
  }
  Tx t(db_);
  auto r = t.q(kHomeKeyPeople);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return 0;
  const std::string now = utc_now_iso();
  for (int i = 0; i < r->rows(); ++i) {
    HomeBoundRecord h;
    h.key_person_id = r->int64(i, 0);
    h.person_id = r->int64(i, 1);
    h.from_date = r->text(i, 2);
    h.to_date = r->text(i, 3);
    h.reason = "重点人员居家隔离 (key person at home)";
    h.source = "tracking";
    auto id = put_range(t, h, static_cast<size_t>(i), actor, now);
    if (!id.ok()) return id.status();
  }
  FX_RETURN_IF_ERROR(t.commit_with("screening.home_bound", 0, r->rows(),
                                   "{\"count\":" + std::to_string(r->rows()) + "}"));
  return r->rows();
}

Result<std::vector<ScreeningCheck>> PgScreeningStore::check(
    const std::string& day, const std::vector<int64_t>& person_ids) {
  std::string ids = "{";
  for (size_t i = 0; i < person_ids.size(); ++i)
    ids += (i ? "," : "") + std::to_string(person_ids[i]);
  ids += "}";
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT x.id, p.id IS NOT NULL, COALESCE(p.institution_id, 0), EXISTS (SELECT 1 FROM "
      "home_bound h WHERE h.person_id = x.id AND h.from_date <= $2 AND h.to_date >= $2), "
      "COALESCE(r.id, 0), COALESCE(r.version, 0) FROM unnest($1::bigint[]) WITH ORDINALITY AS "
      "x(id, n) LEFT JOIN people p ON p.id = x.id LEFT JOIN screening_reports r ON r.person_id = "
      "x.id AND r.day = $2 ORDER BY x.n",
      Params().add(ids).add(day));
  if (!r.ok()) return r.status();
  std::vector<ScreeningCheck> out;
  out.reserve(person_ids.size());
  for (int i = 0; i < r->rows(); ++i) {
    ScreeningCheck c;
    c.person_id = r->int64(i, 0);
    c.exists = r->boolean(i, 1);
    c.institution_id = r->int64(i, 2);
    c.home_bound = r->boolean(i, 3);
    c.report_id = r->int64(i, 4);
    c.report_version = static_cast<int>(r->int64(i, 5));
    out.push_back(c);
  }
  return out;
}

Result<long> PgScreeningStore::add_reports(const std::vector<ScreeningReport>& reports) {
  if (reports.empty()) return 0L;
  Tx t(db_);
  int64_t institution = reports[0].institution_id;
  for (size_t start = 0; start < reports.size(); start += kRowsPerInsert) {
    const size_t end = std::min(reports.size(), start + kRowsPerInsert);
    std::string sql =
        "INSERT INTO screening_reports (person_id, institution_id, day, temperature, symptoms, "
        "symptom_note, location, at_home, reporter, abnormal, version, actor, reported_at) "
        "SELECT v.person_id, p.institution_id, v.day, v.temperature, v.symptoms, v.note, "
        "v.location, v.at_home, v.reporter, v.abnormal, 1, v.actor, v.at FROM (VALUES ";
    Params v;
    int n = 0;
    for (size_t i = start; i < end; ++i) {
      const ScreeningReport& r = reports[i];
      if (r.institution_id != institution) institution = 0;
      v.add(r.person_id).add(r.day).add(int64_t{r.temperature_tenths}).add(r.symptoms);
      v.add(r.symptom_note).add(r.location).add(int64_t{r.at_home}).add(r.reporter);
      v.add(int64_t{r.abnormal}).add(r.actor).add(r.reported_at);
      // One placeholder at a time: the operands of + have no fixed order of evaluation.
      sql += i == start ? "(" : ",(";
      for (const char* cast : {"::bigint", "::text", "::int", "::text", "::text", "::text", "::int",
                               "::text", "::int", "::text", "::text"}) {
        if (sql.back() != '(') sql += ',';
        sql += "$" + std::to_string(++n) + cast;
      }
      sql += ")";
    }
    sql +=
        ") AS v(person_id, day, temperature, symptoms, note, location, at_home, reporter, "
        "abnormal, actor, at) JOIN people p ON p.id = v.person_id";
    auto ins = t.q(sql, v);
    if (!ins.ok() && ins.status().code() == Status::Code::already_exists)
      return Status::AlreadyExists("reports: 当天已有报告,更正请用更正接口 (already reported)");
    if (!ins.ok()) return ins.status();
    if (ins->affected() != static_cast<long>(end - start))
      return Status::Invalid("reports: 有未知人员 (a report names an unknown person)");
  }
  FX_RETURN_IF_ERROR(t.commit_with(
      "screening.reported", institution, static_cast<int64_t>(reports.size()),
      "{\"count\":" + std::to_string(reports.size()) + ",\"day\":\"" + reports[0].day + "\"}"));
  return static_cast<long>(reports.size());
}

Result<ScreeningReport> PgScreeningStore::correct_report(const ScreeningReport& n,
                                                         int expected_version) {
  Tx t(db_);
  auto cur = t.q(std::string("SELECT ") + kReportColumns +
                     " FROM screening_reports r WHERE r.person_id=$1 AND r.day=$2 FOR UPDATE",
                 Params().add(n.person_id).add(n.day));
  if (!cur.ok()) return cur.status();
  if (cur->rows() == 0)
    return Status::NotFound("当天没有报告可更正 (no report that day to correct)");
  const ScreeningReport old = read_report(*cur, 0, 0);
  if (expected_version && old.version != expected_version)
    return Status::Conflict("报告已被他人更正,请刷新 (the report changed meanwhile)");
  Params h;
  h.add(old.id).add(int64_t{old.version}).add(int64_t{old.temperature_tenths}).add(old.symptoms);
  h.add(old.symptom_note).add(old.location).add(int64_t{old.at_home}).add(old.reporter);
  h.add(int64_t{old.abnormal}).add(old.actor).add(old.reported_at).add(n.reported_at).add(n.actor);
  auto hist =
      t.q("INSERT INTO screening_report_history (report_id, version, temperature, symptoms, "
          "symptom_note, location, at_home, reporter, abnormal, actor, reported_at, replaced_at, "
          "replaced_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
          h);
  if (!hist.ok()) return hist.status();
  Params u;
  u.add(old.id).add(int64_t{n.temperature_tenths}).add(n.symptoms).add(n.symptom_note);
  u.add(n.location).add(int64_t{n.at_home}).add(n.reporter).add(int64_t{n.abnormal});
  u.add(n.actor).add(n.reported_at);
  auto up =
      t.q("UPDATE screening_reports SET temperature=$2, symptoms=$3, symptom_note=$4, location=$5, "
          "at_home=$6, reporter=$7, abnormal=$8, version=version+1, actor=$9, reported_at=$10 "
          "WHERE id=$1",
          u);
  if (!up.ok()) return up.status();
  FX_RETURN_IF_ERROR(t.commit_with("screening.corrected", old.institution_id, old.id,
                                   "{\"version\":" + std::to_string(old.version + 1) + "}"));
  ScreeningReport out = n;
  out.id = old.id;
  out.institution_id = old.institution_id;
  out.version = old.version + 1;
  return out;
}

Result<std::vector<ScreeningReport>> PgScreeningStore::report_history(int64_t person_id,
                                                                      const std::string& day) {
  std::lock_guard lock(db_.read_mutex);
  auto cur = read(std::string("SELECT ") + kReportColumns +
                      " FROM screening_reports r WHERE r.person_id=$1 AND r.day=$2",
                  Params().add(person_id).add(day));
  if (!cur.ok()) return cur.status();
  if (cur->rows() == 0) return Status::NotFound("当天没有报告 (no report that day)");
  std::vector<ScreeningReport> out{read_report(*cur, 0, 0)};
  auto h = read(
      "SELECT version, temperature, symptoms, symptom_note, location, at_home, reporter, "
      "abnormal, actor, reported_at, replaced_at, replaced_by FROM screening_report_history "
      "WHERE report_id=$1 ORDER BY version DESC",
      Params().add(out[0].id));
  if (!h.ok()) return h.status();
  for (int i = 0; i < h->rows(); ++i) {
    ScreeningReport r = out[0];
    r.version = static_cast<int>(h->int64(i, 0));
    r.temperature_tenths = static_cast<int>(h->int64(i, 1));
    r.symptoms = h->text(i, 2);
    r.symptom_note = h->text(i, 3);
    r.location = h->text(i, 4);
    r.at_home = h->int64(i, 5) != 0;
    r.reporter = h->text(i, 6);
    r.abnormal = h->int64(i, 7) != 0;
    r.actor = h->text(i, 8);
    r.reported_at = h->text(i, 9);
    r.replaced_at = h->text(i, 10);
    r.replaced_by = h->text(i, 11);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<ScreeningCount>> PgScreeningStore::day_counts(const std::string& day) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT institution_id, SUM(due), SUM(rep), SUM(abn) FROM ("
      "SELECT institution_id, COUNT(*) AS due, 0 AS rep, 0 AS abn FROM home_bound WHERE "
      "from_date <= $1 AND to_date >= $1 GROUP BY institution_id UNION ALL "
      "SELECT institution_id, 0, COUNT(*), SUM(abnormal) FROM screening_reports WHERE day = $1 "
      "GROUP BY institution_id) x GROUP BY institution_id ORDER BY institution_id",
      Params().add(day));
  if (!r.ok()) return r.status();
  std::vector<ScreeningCount> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), static_cast<long>(r->int64(i, 1)),
                   static_cast<long>(r->int64(i, 2)), static_cast<long>(r->int64(i, 3))});
  return out;
}

Result<std::vector<ScreeningPerson>> PgScreeningStore::not_reported(const std::string& day,
                                                                    int64_t institution_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string("SELECT ") + kPersonColumns +
                    ", h.person_id, h.institution_id FROM home_bound h JOIN people p ON p.id = "
                    "h.person_id LEFT JOIN units u ON u.id = p.unit_id WHERE ($2 = 0 OR "
                    "h.institution_id = $2) AND h.from_date <= $1 AND h.to_date >= $1 AND NOT "
                    "EXISTS (SELECT 1 FROM screening_reports r WHERE r.person_id = h.person_id "
                    "AND r.day = $1) ORDER BY h.institution_id, 3, p.person_code",
                Params().add(day).add(institution_id));
  if (!r.ok()) return r.status();
  std::vector<ScreeningPerson> out;
  for (int i = 0; i < r->rows(); ++i) {
    ScreeningPerson p = read_person(*r, i);
    p.person_id = r->int64(i, 4);
    p.institution_id = r->int64(i, 5);
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<ScreeningPerson>> PgScreeningStore::reports_on(const std::string& day,
                                                                  int64_t institution_id,
                                                                  bool abnormal_only) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string("SELECT ") + kPersonColumns + ", " + kReportColumns +
                    " FROM screening_reports r JOIN people p ON p.id = r.person_id LEFT JOIN "
                    "units u ON u.id = p.unit_id WHERE r.day = $1 AND ($2 = 0 OR "
                    "r.institution_id = $2) AND ($3 = 0 OR r.abnormal = 1) ORDER BY "
                    "r.institution_id, 3, p.person_code",
                Params().add(day).add(institution_id).add(int64_t{abnormal_only}));
  if (!r.ok()) return r.status();
  std::vector<ScreeningPerson> out;
  for (int i = 0; i < r->rows(); ++i) {
    ScreeningPerson p = read_person(*r, i);
    p.report = read_report(*r, i, 4);
    p.person_id = p.report.person_id;
    p.institution_id = p.report.institution_id;
    out.push_back(std::move(p));
  }
  return out;
}

Result<ScreeningTotals> PgScreeningStore::totals(const std::vector<int64_t>& institutions) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT COUNT(*), COUNT(DISTINCT person_id), COUNT(DISTINCT day), COALESCE(SUM(abnormal), "
      "0), (SELECT COUNT(*) FROM screening_report_history h JOIN screening_reports s ON s.id = "
      "h.report_id WHERE " +
      in_institutions("s", institutions) + "), (SELECT COUNT(*) FROM home_bound b WHERE " +
      in_institutions("b", institutions) + ") FROM screening_reports r WHERE " +
      in_institutions("r", institutions));
  if (!r.ok()) return r.status();
  ScreeningTotals t;
  t.reports = static_cast<long>(r->int64(0, 0));
  t.people = static_cast<long>(r->int64(0, 1));
  t.days = static_cast<long>(r->int64(0, 2));
  t.abnormal = static_cast<long>(r->int64(0, 3));
  t.corrections = static_cast<long>(r->int64(0, 4));
  t.home_bound = static_cast<long>(r->int64(0, 5));
  return t;
}

}  // namespace fx::store::postgres
