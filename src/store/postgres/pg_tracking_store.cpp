#include "store/postgres/pg_tracking_store.h"

#include <unordered_map>

#include "store/postgres/pg_write_tx.h"
#include "store/store.h"

namespace fx::store::postgres {
namespace {

constexpr const char* kCaseColumns =
    "SELECT id, person_id, sample_time, onset_date, confirmed_at, isolated_at, window_from, "
    "policy_id, symptoms, outcome, note, COALESCE(from_key_person, 0), actor, created_at FROM "
    "cases ";

// Key people in centralised quarantine at a site now: what fills its places.
constexpr const char* kOccupied =
    "(SELECT COUNT(*) FROM key_people k WHERE k.site_id = s.id AND k.status = 'quarantined' AND "
    "k.quarantine_kind = 'centralised')";

CaseRecord read_case(const PgResult& r, int i) {
  CaseRecord c;
  c.id = r.int64(i, 0);
  c.person_id = r.int64(i, 1);
  c.sample_time = r.int64(i, 2);
  c.onset_date = r.text(i, 3);
  c.confirmed_at = r.int64(i, 4);
  c.isolated_at = r.int64(i, 5);
  c.window_from = r.int64(i, 6);
  c.policy_id = r.text(i, 7);
  c.symptoms = r.text(i, 8);
  c.outcome = r.text(i, 9);
  c.note = r.text(i, 10);
  c.from_key_person = r.int64(i, 11);
  c.actor = r.text(i, 12);
  c.created_at = r.text(i, 13);
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

std::string id_array(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(',');
    out += std::to_string(ids[i]);
  }
  return out + "}";
}

bool valid_transfer(const std::string& state) {
  return state == "requested" || state == "dispatched" || state == "arrived";
}

// One write transaction on the shared writer (PgWriteTx appends the change).
struct Tx {
  explicit Tx(PgHandles& db)
      : tx(std::unique_lock<std::mutex>(db.write_mutex), db.writer, db.vault),
        started(tx.start()) {}
  Result<PgResult> q(const std::string& sql, const Params& p = {}) {
    if (!started.ok()) return started;
    return tx.query(sql, p);
  }
  Status commit_with(const Change& ch) {
    auto seq = tx.append_change(ch);
    if (!seq.ok()) return seq.status();
    return tx.commit();
  }
  PgWriteTx tx;
  Status started;
};

// The site with the most free places, or 0 when every site is full. The
// caller holds the site rows locked; rows this transaction wrote count.
Result<int64_t> free_site(Tx& t) {
  auto r = t.q(std::string("SELECT s.id, s.capacity - ") + kOccupied +
               " FROM quarantine_sites s ORDER BY s.id");
  if (!r.ok()) return r.status();
  int64_t best = 0, best_free = 0;
  for (int i = 0; i < r->rows(); ++i) {
    if (r->int64(i, 1) > best_free) {
      best = r->int64(i, 0);
      best_free = r->int64(i, 1);
    }
  }
  return best;
}

// Rows of (key person, …) as one multi-row INSERT: a case lists many people.
Status insert_rows(Tx& t, const std::string& head, int columns, const Params& values, int rows) {
  if (rows == 0) return Status::Ok();
  std::string sql = head + " VALUES ";
  int n = 0;
  for (int r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (int c = 0; c < columns; ++c) sql += (c ? ",$" : "$") + std::to_string(++n);
    sql += ")";
  }
  auto ins = t.q(sql, values);
  return ins.ok() ? Status::Ok() : ins.status();
}

Result<int64_t> write_key_person(Tx& t, const KeyPersonRecord& k, int64_t case_id, int64_t site_id,
                                 const std::string& now) {
  Params v;
  v.add(k.person_id).add(k.category).add(k.policy_id).add(k.first_exposure);
  v.add(k.last_exposure).add(k.exposure_seconds).add(k.quarantine_kind).add_or_null(site_id);
  v.add(k.start_at).add(k.planned_end).add(k.plan);
  v.add(k.quarantine_kind == "centralised" ? "requested" : "");
  v.add_or_null(case_id).add(now).add(k.area);  // no case: returnees, symptomatic people
  auto r = t.q(
      "INSERT INTO key_people (person_id, category, status, policy_id, first_exposure, "
      "last_exposure, exposure_seconds, quarantine_kind, site_id, start_at, planned_end, plan, "
      "transfer, case_id, created_at, updated_at, area) VALUES "
      "($1,$2,'quarantined',$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14,$15) "
      "ON CONFLICT (person_id) DO UPDATE SET category=excluded.category, "
      "status='quarantined', policy_id=excluded.policy_id, first_exposure=excluded.first_exposure, "
      "last_exposure=excluded.last_exposure, exposure_seconds=excluded.exposure_seconds, "
      "quarantine_kind=excluded.quarantine_kind, site_id=COALESCE(key_people.site_id, "
      "excluded.site_id), start_at=excluded.start_at, planned_end=excluded.planned_end, "
      "plan=excluded.plan, transfer=CASE WHEN key_people.transfer='' THEN excluded.transfer "
      "ELSE key_people.transfer END, case_id=excluded.case_id, updated_at=excluded.updated_at, "
      "area=excluded.area RETURNING id",
      v);
  if (!r.ok()) return Status(r.status().code(), "write key person: " + r.status().message());
  const int64_t id = r->int64(0, 0);
  Params del;
  del.add(id);
  auto d1 = t.q("DELETE FROM key_person_sources WHERE key_person_id=$1", del);
  if (!d1.ok()) return d1.status();
  Params src;
  for (const KeySource& s : k.sources) {
    src.add(id).add(s.source_person_id).add(s.seconds).add(s.first).add(s.last);
    src.add(s.exposures);
  }
  FX_RETURN_IF_ERROR(insert_rows(t,
                                 "INSERT INTO key_person_sources (key_person_id, source_person_id, "
                                 "seconds, \"first\", \"last\", exposures)",
                                 6, src, static_cast<int>(k.sources.size())));
  auto d2 = t.q("DELETE FROM key_person_tests WHERE key_person_id=$1", del);
  if (!d2.ok()) return d2.status();
  Params tests;
  for (const KeyTest& kt : k.tests)
    tests.add(id).add(int64_t{kt.day}).add(kt.due_date).add(kt.note);
  FX_RETURN_IF_ERROR(
      insert_rows(t, "INSERT INTO key_person_tests (key_person_id, day, due_date, note)", 4, tests,
                  static_cast<int>(k.tests.size())));
  return id;
}

}  // namespace

Result<PgResult> PgTrackingStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<int64_t> PgTrackingStore::add_site(const QuarantineSite& site) {
  Tx t(db_);
  auto r =
      t.q("INSERT INTO quarantine_sites (name, address, capacity) VALUES ($1,$2,$3) RETURNING id",
          Params().add(site.name).add(site.address).add(int64_t{site.capacity}));
  if (!r.ok()) return Status(r.status().code(), "add quarantine site: " + r.status().message());
  const int64_t id = r->int64(0, 0);
  FX_RETURN_IF_ERROR(t.commit_with(change_of("site.added", id, "{}")));
  return id;
}

Result<std::vector<QuarantineSite>> PgTrackingStore::list_sites() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string("SELECT s.id, s.name, s.address, s.capacity, ") + kOccupied +
                " FROM quarantine_sites s ORDER BY s.id");
  if (!r.ok()) return r.status();
  std::vector<QuarantineSite> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->text(i, 1), r->text(i, 2), static_cast<int>(r->int64(i, 3)),
                   static_cast<int>(r->int64(i, 4))});
  return out;
}

Result<int64_t> PgTrackingStore::record_case(const CaseRecord& c,
                                             const std::vector<KeyPersonRecord>& people) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  const std::string now = c.created_at.empty() ? utc_now_iso() : c.created_at;
  // Sites are locked first, before any key_people row, as assign_site does:
  // one order everywhere, so nodes wait for each other instead of deadlocking.
  bool needs_site = false;
  for (const auto& k : people) needs_site |= k.site_id == 0 && k.quarantine_kind == "centralised";
  if (needs_site) {
    auto lock = t.q("SELECT id FROM quarantine_sites ORDER BY id FOR UPDATE");
    if (!lock.ok()) return lock.status();
  }
  Params v;
  v.add(c.person_id).add(c.sample_time).add(c.onset_date).add(c.confirmed_at);
  v.add(c.isolated_at).add(c.window_from).add(c.policy_id).add(c.symptoms).add(c.outcome);
  v.add(c.note).add_or_null(c.from_key_person).add(c.actor).add(now);
  auto ins =
      t.q("INSERT INTO cases (person_id, sample_time, onset_date, confirmed_at, isolated_at, "
          "window_from, policy_id, symptoms, outcome, note, from_key_person, actor, created_at) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id",
          v);
  if (!ins.ok()) {
    if (ins.status().code() == Status::Code::already_exists)
      return Status::AlreadyExists("此人已是确诊病例 (this person is already a case)");
    return Status(ins.status().code(), "record case: " + ins.status().message());
  }
  const int64_t case_id = ins->int64(0, 0);
  if (c.from_key_person != 0) {
    auto became = t.q("UPDATE key_people SET status='became_case', updated_at=$2 WHERE id=$1",
                      Params().add(c.from_key_person).add(now));
    if (!became.ok()) return became.status();
  }
  for (const KeyPersonRecord& k : people) {
    int64_t site = k.site_id;
    if (site == 0 && k.quarantine_kind == "centralised") {
      auto free = free_site(t);
      if (!free.ok()) return free.status();
      site = *free;
    }
    auto id = write_key_person(t, k, case_id, site, now);
    if (!id.ok()) return id.status();
  }
  FX_RETURN_IF_ERROR(t.commit_with(change_of(
      "case.confirmed", case_id, "{\"key_people\":" + std::to_string(people.size()) + "}")));
  return case_id;
}

Result<int64_t> PgTrackingStore::add_key_person(const KeyPersonRecord& k,
                                                const std::string& actor) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  // Sites first, as record_case and assign_site lock them.
  if (k.site_id == 0 && k.quarantine_kind == "centralised") {
    auto lock = t.q("SELECT id FROM quarantine_sites ORDER BY id FOR UPDATE");
    if (!lock.ok()) return lock.status();
  }
  auto cur =
      t.q("SELECT status FROM key_people WHERE person_id=$1 FOR UPDATE", Params().add(k.person_id));
  if (!cur.ok()) return cur.status();
  if (cur->rows() > 0 && cur->text(0, 0) == "quarantined")
    return Status::AlreadyExists("person: 此人已在跟踪表中管控 (already in the tracking table)");
  int64_t site = k.site_id;
  if (site == 0 && k.quarantine_kind == "centralised") {
    auto free = free_site(t);
    if (!free.ok()) return free.status();
    site = *free;
  }
  auto id = write_key_person(t, k, 0, site, utc_now_iso());
  if (!id.ok()) return id.status();
  Change ch = change_of("tracking.added", *id,
                        "{\"category\":\"" + k.category + "\",\"actor\":\"" + actor + "\"}");
  Params p;
  p.add(k.person_id);
  auto inst = t.q("SELECT institution_id FROM people WHERE id = $1", p);
  if (inst.ok() && inst->rows() > 0) ch.institution_id = inst->int64(0, 0);  // /events scope
  FX_RETURN_IF_ERROR(t.commit_with(ch));
  return *id;
}

Result<std::vector<CaseRecord>> PgTrackingStore::list_cases() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kCaseColumns) + "ORDER BY id");
  if (!r.ok()) return r.status();
  std::vector<CaseRecord> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_case(*r, i));
  return out;
}

Result<std::optional<CaseRecord>> PgTrackingStore::find_case_by_person(int64_t person_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kCaseColumns) + "WHERE person_id=$1", Params().add(person_id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<CaseRecord>();
  return std::optional<CaseRecord>(read_case(*r, 0));
}

Result<CaseRecord> PgTrackingStore::get_case(int64_t case_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kCaseColumns) + "WHERE id=$1", Params().add(case_id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0)
    return Status::NotFound("没有病例 " + std::to_string(case_id) + " (no case " +
                            std::to_string(case_id) + ")");
  return read_case(*r, 0);
}

Result<std::vector<KeyPersonRecord>> PgTrackingStore::list_key_people(const KeyPersonFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  PgConnection& c = db_.reader;
  // One snapshot for the people, their sources and their tests.
  FX_RETURN_IF_ERROR(c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  struct End {
    PgConnection& c;
    ~End() {
      if (!c.broken()) (void)c.exec("COMMIT");
    }
  } end{c};
  Params p;
  p.add(f.category).add(f.status).add(f.quarantine_kind).add(f.site_id).add(id_array(f.person_ids));
  auto r = c.query(
      "SELECT k.id, k.person_id, k.category, k.status, k.policy_id, k.first_exposure, "
      "k.last_exposure, k.exposure_seconds, k.quarantine_kind, COALESCE(k.site_id, 0), "
      "COALESCE(s.name, ''), k.start_at, k.planned_end, COALESCE(k.released_at, 0), k.plan, "
      "k.transfer, COALESCE(k.case_id, 0), k.created_at, k.updated_at, k.area FROM key_people k "
      "LEFT JOIN "
      "quarantine_sites s ON s.id = k.site_id WHERE ($1::text = '' OR k.category = $1) AND "
      "($2::text = '' OR k.status = $2) AND ($3::text = '' OR k.quarantine_kind = $3) AND "
      "($4::bigint = 0 OR k.site_id = $4) AND (cardinality($5::bigint[]) = 0 OR "
      "k.person_id = ANY($5::bigint[])) ORDER BY k.id",
      p);
  if (!r.ok()) return r.status();
  std::vector<KeyPersonRecord> out;
  std::unordered_map<int64_t, size_t> at;
  std::vector<int64_t> ids;
  for (int i = 0; i < r->rows(); ++i) {
    KeyPersonRecord k;
    k.id = r->int64(i, 0);
    k.person_id = r->int64(i, 1);
    k.category = r->text(i, 2);
    k.status = r->text(i, 3);
    k.policy_id = r->text(i, 4);
    k.first_exposure = r->int64(i, 5);
    k.last_exposure = r->int64(i, 6);
    k.exposure_seconds = r->int64(i, 7);
    k.quarantine_kind = r->text(i, 8);
    k.site_id = r->int64(i, 9);
    k.site_name = r->text(i, 10);
    k.start_at = r->int64(i, 11);
    k.planned_end = r->int64(i, 12);
    k.released_at = r->int64(i, 13);
    k.plan = r->text(i, 14);
    k.transfer = r->text(i, 15);
    k.case_id = r->int64(i, 16);
    k.created_at = r->text(i, 17);
    k.updated_at = r->text(i, 18);
    k.area = r->text(i, 19);
    at[k.id] = out.size();
    ids.push_back(k.id);
    out.push_back(std::move(k));
  }
  if (out.empty()) return out;
  Params which;
  which.add(id_array(ids));
  auto src = c.query(
      "SELECT key_person_id, source_person_id, seconds, \"first\", \"last\", exposures FROM "
      "key_person_sources WHERE key_person_id = ANY($1::bigint[]) ORDER BY key_person_id, "
      "source_person_id",
      which);
  if (!src.ok()) return src.status();
  for (int i = 0; i < src->rows(); ++i)
    out[at[src->int64(i, 0)]].sources.push_back(
        {src->int64(i, 1), src->int64(i, 2), src->int64(i, 3), src->int64(i, 4), src->text(i, 5)});
  auto tests = c.query(
      "SELECT key_person_id, day, due_date, note FROM key_person_tests WHERE key_person_id = "
      "ANY($1::bigint[]) ORDER BY key_person_id, day",
      which);
  if (!tests.ok()) return tests.status();
  for (int i = 0; i < tests->rows(); ++i)
    out[at[tests->int64(i, 0)]].tests.push_back(
        {static_cast<int>(tests->int64(i, 1)), tests->text(i, 2), tests->text(i, 3)});
  return out;
}

Status PgTrackingStore::set_transfer(int64_t key_person_id, const std::string& state,
                                     const std::string& actor) {
  if (!valid_transfer(state))
    return Status::Invalid("转运状态应为 requested、dispatched 或 arrived (transfer state)");
  Tx t(db_);
  auto up = t.q("UPDATE key_people SET transfer=$2, updated_at=$3 WHERE id=$1",
                Params().add(key_person_id).add(state).add(utc_now_iso()));
  if (!up.ok()) return up.status();
  if (up->affected() == 0) return Status::NotFound("没有该重点人员 (no such key person)");
  return t.commit_with(change_of("tracking.transfer", key_person_id,
                                 "{\"state\":\"" + state + "\",\"actor\":\"" + actor + "\"}"));
}

Status PgTrackingStore::release(int64_t key_person_id, int64_t at, const std::string& actor) {
  Tx t(db_);
  auto up =
      t.q("UPDATE key_people SET status='released', released_at=$2, updated_at=$3 WHERE id=$1 AND "
          "status='quarantined'",
          Params().add(key_person_id).add(at).add(utc_now_iso()));
  if (!up.ok()) return up.status();
  if (up->affected() == 0) return Status::Conflict("该人员不在隔离中 (not in quarantine)");
  return t.commit_with(
      change_of("tracking.release", key_person_id, "{\"actor\":\"" + actor + "\"}"));
}

Status PgTrackingStore::assign_site(int64_t key_person_id, int64_t site_id,
                                    const std::string& state, const std::string& actor) {
  if (!valid_transfer(state))
    return Status::Invalid("state: 转运状态应为 requested、dispatched 或 arrived (transfer state)");
  Tx t(db_);
  // The site row stays locked until commit, so another node's transfer to it
  // waits and then counts this one: two cannot both take the last place.
  auto site =
      t.q("SELECT capacity FROM quarantine_sites WHERE id=$1 FOR UPDATE", Params().add(site_id));
  if (!site.ok()) return site.status();
  auto cur = t.q("SELECT status FROM key_people WHERE id=$1", Params().add(key_person_id));
  if (!cur.ok()) return cur.status();
  if (cur->rows() == 0) return Status::NotFound("没有该重点人员 (no such key person)");
  if (cur->text(0, 0) != "quarantined")
    return Status::Conflict("该人员不在隔离中 (not in quarantine)");
  if (site->rows() == 0) return Status::Invalid("site: 没有该隔离点 (no such quarantine site)");
  auto used =
      t.q("SELECT COUNT(*) FROM key_people WHERE site_id=$1 AND status='quarantined' AND "
          "quarantine_kind='centralised' AND id <> $2",
          Params().add(site_id).add(key_person_id));
  if (!used.ok()) return used.status();
  if (used->int64(0, 0) >= site->int64(0, 0))
    return Status::Conflict("site: 隔离点已满 (the quarantine site is full)");
  auto up =
      t.q("UPDATE key_people SET site_id=$2, quarantine_kind='centralised', transfer=$3, "
          "updated_at=$4 WHERE id=$1",
          Params().add(key_person_id).add(site_id).add(state).add(utc_now_iso()));
  if (!up.ok()) return up.status();
  return t.commit_with(change_of("tracking.transfer", key_person_id,
                                 "{\"site\":" + std::to_string(site_id) + ",\"state\":\"" + state +
                                     "\",\"actor\":\"" + actor + "\"}"));
}

}  // namespace fx::store::postgres
