#include "store/sqlite/sqlite_tracking_store.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "store/sqlite/area_tx.h"
#include "store/store.h"

namespace fx::store::sqlite {

namespace {

constexpr const char* kCaseColumns =
    "SELECT id, person_id, sample_time, onset_date, confirmed_at, isolated_at, window_from, "
    "policy_id, symptoms, outcome, note, COALESCE(from_key_person, 0), actor, created_at FROM "
    "cases ";

CaseRecord read_case(const Statement& st) {
  CaseRecord c;
  c.id = st.int64(0);
  c.person_id = st.int64(1);
  c.sample_time = st.int64(2);
  c.onset_date = st.text(3);
  c.confirmed_at = st.int64(4);
  c.isolated_at = st.int64(5);
  c.window_from = st.int64(6);
  c.policy_id = st.text(7);
  c.symptoms = st.text(8);
  c.outcome = st.text(9);
  c.note = st.text(10);
  c.from_key_person = st.int64(11);
  c.actor = st.text(12);
  c.created_at = st.text(13);
  return c;
}

Change change_of(const char* kind, int64_t subject, const std::string& detail) {
  Change ch;
  ch.at = utc_now_iso();
  ch.kind = kind;
  ch.subject_id = subject;
  ch.detail = detail;
  return ch;
}

// The site with the most free places, or 0 when every site is full. Rows this
// transaction wrote already count: the query runs inside it.
Statement free_sites(Connection& c) {
  return c.prepare(
      "SELECT s.id, s.capacity - (SELECT COUNT(*) FROM key_people k WHERE k.site_id = s.id AND "
      "k.status = 'quarantined' AND k.quarantine_kind = 'centralised') FROM quarantine_sites s "
      "ORDER BY s.id");
}
int64_t free_site(Statement& st) {
  st.reset();
  int64_t best = 0, best_free = 0;
  while (st.step()) {
    const int64_t free = st.int64(1);
    if (free > best_free) {
      best = st.int64(0);
      best_free = free;
    }
  }
  return best;
}

// The statements writing one key person, prepared once per case: a case lists
// thousands of people, and compiling six statements for each of them was a
// large part of the case's write (SQL parsing in the profile).
struct KeyPersonWriter {
  explicit KeyPersonWriter(Connection& c)
      : upsert(c.prepare(
            "INSERT INTO key_people (person_id, category, status, policy_id, first_exposure, "
            "last_exposure, exposure_seconds, quarantine_kind, site_id, start_at, planned_end, "
            "plan, transfer, case_id, created_at, updated_at, area) VALUES "
            "(?1,?2,'quarantined',?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?14,?15) "
            "ON CONFLICT (person_id) DO UPDATE SET category=excluded.category, "
            "status='quarantined', policy_id=excluded.policy_id, "
            "first_exposure=excluded.first_exposure, last_exposure=excluded.last_exposure, "
            "exposure_seconds=excluded.exposure_seconds, "
            "quarantine_kind=excluded.quarantine_kind, site_id=COALESCE(key_people.site_id, "
            "excluded.site_id), start_at=excluded.start_at, planned_end=excluded.planned_end, "
            "plan=excluded.plan, transfer=CASE WHEN key_people.transfer='' THEN "
            "excluded.transfer ELSE key_people.transfer END, case_id=excluded.case_id, "
            "updated_at=excluded.updated_at, area=excluded.area RETURNING id")),
        del_sources(c.prepare("DELETE FROM key_person_sources WHERE key_person_id=?1")),
        source(c.prepare("INSERT INTO key_person_sources VALUES (?1,?2,?3,?4,?5,?6)")),
        del_tests(c.prepare("DELETE FROM key_person_tests WHERE key_person_id=?1")),
        test(c.prepare("INSERT INTO key_person_tests VALUES (?1,?2,?3,?4)")),
        sites(free_sites(c)) {}

  Status write(AreaTx& t, const KeyPersonRecord& k, int64_t case_id, int64_t site_id,
               const std::string& now, int64_t* id_out = nullptr) {
    Statement& st = upsert;
    st.reset();
    st.bind(1, k.person_id).bind(2, k.category).bind(3, k.policy_id).bind(4, k.first_exposure);
    st.bind(5, k.last_exposure).bind(6, k.exposure_seconds).bind(7, k.quarantine_kind);
    if (site_id != 0)
      st.bind(8, site_id);
    else
      st.bind_null(8);
    st.bind(9, k.start_at).bind(10, k.planned_end).bind(11, k.plan);
    st.bind(12, k.quarantine_kind == "centralised" ? std::string("requested") : std::string());
    if (case_id != 0)
      st.bind(13, case_id);
    else
      st.bind_null(13);  // returnees and symptomatic people have no case
    st.bind(14, now).bind(15, k.area);
    if (!st.step()) return t.c.error("write key person");
    const int64_t id = st.int64(0);
    if (id_out) *id_out = id;
    st.step();
    del_sources.reset();
    del_sources.bind(1, id);
    FX_RETURN_IF_ERROR(t.run(del_sources, "replace key person sources"));
    for (const KeySource& s : k.sources) {
      source.reset();
      source.bind(1, id).bind(2, s.source_person_id).bind(3, s.seconds).bind(4, s.first);
      source.bind(5, s.last).bind(6, s.exposures);
      FX_RETURN_IF_ERROR(t.run(source, "write key person source"));
    }
    del_tests.reset();
    del_tests.bind(1, id);
    FX_RETURN_IF_ERROR(t.run(del_tests, "replace test schedule"));
    for (const KeyTest& kt : k.tests) {
      test.reset();
      test.bind(1, id).bind(2, int64_t{kt.day}).bind(3, kt.due_date).bind(4, kt.note);
      FX_RETURN_IF_ERROR(t.run(test, "write test schedule"));
    }
    return Status::Ok();
  }

  Statement upsert, del_sources, source, del_tests, test, sites;
};

}  // namespace

Result<int64_t> SqliteTrackingStore::add_site(const QuarantineSite& site) {
  AreaTx t(db_);
  auto st = t.c.prepare("INSERT INTO quarantine_sites (name, address, capacity) VALUES (?1,?2,?3)");
  st.bind(1, site.name).bind(2, site.address).bind(3, int64_t{site.capacity});
  FX_RETURN_IF_ERROR(t.run(st, "add quarantine site"));
  const int64_t id = sqlite3_last_insert_rowid(t.c.get());
  auto seq = t.tx.append_change(change_of("site.added", id, "{}"));
  if (!seq.ok()) return seq.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<QuarantineSite>> SqliteTrackingStore::list_sites() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT s.id, s.name, s.address, s.capacity, (SELECT COUNT(*) FROM key_people k WHERE "
      "k.site_id = s.id AND k.status = 'quarantined' AND k.quarantine_kind = 'centralised') "
      "FROM quarantine_sites s ORDER BY s.id");
  std::vector<QuarantineSite> out;
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.text(2), static_cast<int>(st.int64(3)),
                   static_cast<int>(st.int64(4))});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list quarantine sites");
  return out;
}

Result<int64_t> SqliteTrackingStore::record_case(const CaseRecord& c,
                                                 const std::vector<KeyPersonRecord>& people) {
  AreaTx t(db_);
  const std::string now = c.created_at.empty() ? utc_now_iso() : c.created_at;
  auto st = t.c.prepare(
      "INSERT INTO cases (person_id, sample_time, onset_date, confirmed_at, isolated_at, "
      "window_from, policy_id, symptoms, outcome, note, from_key_person, actor, created_at) "
      "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
  st.bind(1, c.person_id).bind(2, c.sample_time).bind(3, c.onset_date).bind(4, c.confirmed_at);
  st.bind(5, c.isolated_at).bind(6, c.window_from).bind(7, c.policy_id).bind(8, c.symptoms);
  st.bind(9, c.outcome).bind(10, c.note);
  if (c.from_key_person != 0)
    st.bind(11, c.from_key_person);
  else
    st.bind_null(11);
  st.bind(12, c.actor).bind(13, now);
  st.step();
  if (st.rc() != SQLITE_DONE) {
    Status s = t.c.error("record case");
    if (s.code() == Status::Code::already_exists)
      return Status::AlreadyExists("此人已是确诊病例 (this person is already a case)");
    return s;
  }
  const int64_t case_id = sqlite3_last_insert_rowid(t.c.get());
  if (c.from_key_person != 0) {
    auto became =
        t.c.prepare("UPDATE key_people SET status='became_case', updated_at=?2 WHERE id=?1");
    became.bind(1, c.from_key_person).bind(2, now);
    FX_RETURN_IF_ERROR(t.run(became, "mark key person as case"));
  }
  KeyPersonWriter writer(t.c);
  for (const KeyPersonRecord& k : people) {
    int64_t site = k.site_id;
    if (site == 0 && k.quarantine_kind == "centralised") site = free_site(writer.sites);
    FX_RETURN_IF_ERROR(writer.write(t, k, case_id, site, now));
  }
  auto seq = t.tx.append_change(change_of(
      "case.confirmed", case_id, "{\"key_people\":" + std::to_string(people.size()) + "}"));
  if (!seq.ok()) return seq.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return case_id;
}

Result<int64_t> SqliteTrackingStore::add_key_person(const KeyPersonRecord& k,
                                                    const std::string& actor) {
  AreaTx t(db_);
  {
    auto cur = t.c.prepare("SELECT status FROM key_people WHERE person_id=?1");
    cur.bind(1, k.person_id);
    if (cur.step() && cur.text(0) == "quarantined")
      return Status::AlreadyExists("person: 此人已在跟踪表中管控 (already in the tracking table)");
    if (cur.rc() != SQLITE_ROW && cur.rc() != SQLITE_DONE) return t.c.error("read key person");
  }
  KeyPersonWriter writer(t.c);
  int64_t site = k.site_id;
  if (site == 0 && k.quarantine_kind == "centralised") site = free_site(writer.sites);
  int64_t id = 0;
  FX_RETURN_IF_ERROR(writer.write(t, k, 0, site, utc_now_iso(), &id));
  Change ch = change_of("tracking.added", id,
                        "{\"category\":\"" + k.category + "\",\"actor\":\"" + actor + "\"}");
  auto inst = t.c.prepare("SELECT institution_id FROM people WHERE id = ?1");
  inst.bind(1, k.person_id);
  if (inst.step()) ch.institution_id = inst.int64(0);  // /events shows it to its institution
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<CaseRecord>> SqliteTrackingStore::list_cases() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kCaseColumns) + "ORDER BY id");
  std::vector<CaseRecord> out;
  while (st.step()) out.push_back(read_case(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list cases");
  return out;
}

Result<std::optional<CaseRecord>> SqliteTrackingStore::find_case_by_person(int64_t person_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kCaseColumns) + "WHERE person_id=?1");
  st.bind(1, person_id);
  if (st.step()) return std::optional<CaseRecord>(read_case(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("find case");
  return std::optional<CaseRecord>();
}

Result<CaseRecord> SqliteTrackingStore::get_case(int64_t case_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kCaseColumns) + "WHERE id=?1");
  st.bind(1, case_id);
  if (st.step()) return read_case(st);
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read case");
  return Status::NotFound("没有病例 " + std::to_string(case_id) + " (no case " +
                          std::to_string(case_id) + ")");
}

Result<std::vector<KeyPersonRecord>> SqliteTrackingStore::list_key_people(
    const KeyPersonFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  std::string sql =
      "SELECT k.id, k.person_id, k.category, k.status, k.policy_id, k.first_exposure, "
      "k.last_exposure, k.exposure_seconds, k.quarantine_kind, COALESCE(k.site_id, 0), "
      "COALESCE(s.name, ''), k.start_at, k.planned_end, COALESCE(k.released_at, 0), k.plan, "
      "k.transfer, COALESCE(k.case_id, 0), k.created_at, k.updated_at, k.area FROM key_people k "
      "LEFT JOIN "
      "quarantine_sites s ON s.id = k.site_id WHERE (?1 = '' OR k.category = ?1) AND "
      "(?2 = '' OR k.status = ?2) AND (?3 = '' OR k.quarantine_kind = ?3) AND (?4 = 0 OR "
      "k.site_id = ?4) ORDER BY k.id";
  auto st = db_.reader.prepare(sql);
  st.bind(1, f.category).bind(2, f.status).bind(3, f.quarantine_kind).bind(4, f.site_id);
  std::vector<KeyPersonRecord> out;
  std::unordered_map<int64_t, size_t> at;
  // A set: a case's thousands of people are asked for at once.
  const std::unordered_set<int64_t> wanted(f.person_ids.begin(), f.person_ids.end());
  while (st.step()) {
    KeyPersonRecord k;
    k.id = st.int64(0);
    k.person_id = st.int64(1);
    if (!wanted.empty() && !wanted.count(k.person_id)) continue;
    k.category = st.text(2);
    k.status = st.text(3);
    k.policy_id = st.text(4);
    k.first_exposure = st.int64(5);
    k.last_exposure = st.int64(6);
    k.exposure_seconds = st.int64(7);
    k.quarantine_kind = st.text(8);
    k.site_id = st.int64(9);
    k.site_name = st.text(10);
    k.start_at = st.int64(11);
    k.planned_end = st.int64(12);
    k.released_at = st.int64(13);
    k.plan = st.text(14);
    k.transfer = st.text(15);
    k.case_id = st.int64(16);
    k.created_at = st.text(17);
    k.updated_at = st.text(18);
    k.area = st.text(19);
    at[k.id] = out.size();
    out.push_back(std::move(k));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list key people");
  if (out.empty()) return out;  // as the PostgreSQL store: no sources or tests to read
  auto src = db_.reader.prepare(
      "SELECT key_person_id, source_person_id, seconds, first, last, exposures FROM "
      "key_person_sources ORDER BY key_person_id, source_person_id");
  while (src.step()) {
    auto it = at.find(src.int64(0));
    if (it != at.end())
      out[it->second].sources.push_back(
          {src.int64(1), src.int64(2), src.int64(3), src.int64(4), src.text(5)});
  }
  if (src.rc() != SQLITE_DONE) return db_.reader.error("list key person sources");
  auto tests = db_.reader.prepare(
      "SELECT key_person_id, day, due_date, note FROM key_person_tests ORDER BY key_person_id, "
      "day");
  while (tests.step()) {
    auto it = at.find(tests.int64(0));
    if (it != at.end())
      out[it->second].tests.push_back(
          {static_cast<int>(tests.int64(1)), tests.text(2), tests.text(3)});
  }
  if (tests.rc() != SQLITE_DONE) return db_.reader.error("list test schedules");
  return out;
}

Status SqliteTrackingStore::set_transfer(int64_t key_person_id, const std::string& state,
                                         const std::string& actor) {
  if (state != "requested" && state != "dispatched" && state != "arrived")
    return Status::Invalid("转运状态应为 requested、dispatched 或 arrived (transfer state)");
  AreaTx t(db_);
  auto st = t.c.prepare("UPDATE key_people SET transfer=?2, updated_at=?3 WHERE id=?1");
  st.bind(1, key_person_id).bind(2, state).bind(3, utc_now_iso());
  FX_RETURN_IF_ERROR(t.run(st, "set transfer"));
  if (sqlite3_changes(t.c.get()) == 0)
    return Status::NotFound("没有该重点人员 (no such key person)");
  auto seq =
      t.tx.append_change(change_of("tracking.transfer", key_person_id,
                                   "{\"state\":\"" + state + "\",\"actor\":\"" + actor + "\"}"));
  if (!seq.ok()) return seq.status();
  return t.tx.commit();
}

Status SqliteTrackingStore::release(int64_t key_person_id, int64_t at, const std::string& actor) {
  AreaTx t(db_);
  auto st = t.c.prepare(
      "UPDATE key_people SET status='released', released_at=?2, updated_at=?3 WHERE id=?1 AND "
      "status='quarantined'");
  st.bind(1, key_person_id).bind(2, at).bind(3, utc_now_iso());
  FX_RETURN_IF_ERROR(t.run(st, "release key person"));
  if (sqlite3_changes(t.c.get()) == 0)
    return Status::Conflict("该人员不在隔离中 (not in quarantine)");
  auto seq = t.tx.append_change(
      change_of("tracking.release", key_person_id, "{\"actor\":\"" + actor + "\"}"));
  if (!seq.ok()) return seq.status();
  return t.tx.commit();
}

Status SqliteTrackingStore::assign_site(int64_t key_person_id, int64_t site_id,
                                        const std::string& state, const std::string& actor) {
  if (state != "requested" && state != "dispatched" && state != "arrived")
    return Status::Invalid("state: 转运状态应为 requested、dispatched 或 arrived (transfer state)");
  AreaTx t(db_);
  std::string status;
  {
    auto cur = t.c.prepare("SELECT status FROM key_people WHERE id=?1");
    cur.bind(1, key_person_id);
    if (!cur.step()) {
      if (cur.rc() != SQLITE_DONE) return t.c.error("read key person");
      return Status::NotFound("没有该重点人员 (no such key person)");
    }
    status = cur.text(0);
  }
  if (status != "quarantined") return Status::Conflict("该人员不在隔离中 (not in quarantine)");
  // Capacity is checked inside the write transaction, so two transfers cannot
  // both take the last place.
  {
    auto site = t.c.prepare(
        "SELECT s.capacity, (SELECT COUNT(*) FROM key_people k WHERE k.site_id = s.id AND "
        "k.status = 'quarantined' AND k.quarantine_kind = 'centralised' AND k.id <> ?2) FROM "
        "quarantine_sites s WHERE s.id = ?1");
    site.bind(1, site_id).bind(2, key_person_id);
    if (!site.step()) {
      if (site.rc() != SQLITE_DONE) return t.c.error("read quarantine site");
      return Status::Invalid("site: 没有该隔离点 (no such quarantine site)");
    }
    if (site.int64(1) >= site.int64(0))
      return Status::Conflict("site: 隔离点已满 (the quarantine site is full)");
  }
  auto st = t.c.prepare(
      "UPDATE key_people SET site_id=?2, quarantine_kind='centralised', transfer=?3, "
      "updated_at=?4 WHERE id=?1");
  st.bind(1, key_person_id).bind(2, site_id).bind(3, state).bind(4, utc_now_iso());
  FX_RETURN_IF_ERROR(t.run(st, "assign quarantine site"));
  auto seq = t.tx.append_change(change_of("tracking.transfer", key_person_id,
                                          "{\"site\":" + std::to_string(site_id) + ",\"state\":\"" +
                                              state + "\",\"actor\":\"" + actor + "\"}"));
  if (!seq.ok()) return seq.status();
  return t.tx.commit();
}

}  // namespace fx::store::sqlite
