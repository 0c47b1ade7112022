#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "store/sealed_person.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_write_tx.h"

namespace fx::store::sqlite {
namespace {

void copy_hash(std::string_view blob, Vault::Hash& out) {
  out.fill(0);
  std::memcpy(out.data(), blob.data(), std::min(blob.size(), out.size()));
}

domain::Institution read_institution(const Statement& st) {
  domain::Institution i;
  i.id = st.int64(0);
  i.code = st.text(1);
  i.name = st.text(2);
  domain::parse_institution_kind(st.text(3), i.kind);
  i.address = st.text(4);
  if (!st.is_null(5)) i.longitude = st.real(5);
  if (!st.is_null(6)) i.latitude = st.real(6);
  i.liaison = st.text(7);
  return i;
}

domain::UnitKind unit_kind_from(const std::string& code) {
  if (code == "campus") return domain::UnitKind::campus;
  if (code == "department") return domain::UnitKind::department;
  if (code == "grade") return domain::UnitKind::grade;
  return domain::UnitKind::class_;
}

ImportRecord read_import(const Statement& st) {
  ImportRecord r;
  r.id = st.int64(0);
  r.kind = st.text(1);
  r.file_name = st.text(2);
  r.sha256 = st.text(3);
  r.format = st.text(4);
  r.started_at = st.text(5);
  r.finished_at = st.text(6);
  r.actor = st.text(7);
  r.rows = st.int64(8);
  r.imported = st.int64(9);
  r.updated = st.int64(10);
  r.unchanged = st.int64(11);
  r.rejected = st.int64(12);
  return r;
}

constexpr const char* kImportColumns =
    "SELECT id, kind, file_name, sha256, format, started_at, finished_at, actor, rows, imported, "
    "updated, unchanged, rejected FROM imports ";

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       const Vault& vault) {
  std::unique_ptr<SqliteStore> s(new SqliteStore(vault));
  s->path_ = path;
  auto w = Connection::open(path);
  if (!w.ok()) return w.status();
  s->db_->writer = std::move(*w);
  FX_RETURN_IF_ERROR(s->migrate());
  auto r = Connection::open(path);
  if (!r.ok()) return r.status();
  // Every commit of the writer makes the reader drop its page cache on its next
  // read, walking the whole cache hash (~0.2 ms a request once a large list had
  // filled it). Reading the file through mmap keeps those pages out of the cache.
  FX_RETURN_IF_ERROR(r->exec("PRAGMA mmap_size=4294967296"));
  s->db_->reader = std::move(*r);
  return s;
}

Status SqliteStore::migrate() {
  FX_RETURN_IF_ERROR(db_->writer.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT "
      "NOT NULL)"));
  std::set<int> applied;
  {
    auto st = db_->writer.prepare("SELECT version FROM schema_migrations");
    while (st.step()) applied.insert(static_cast<int>(st.int64(0)));
  }
  schema_version_ = applied.empty() ? 0 : *applied.rbegin();
  for (const auto& m : migrations()) {
    if (applied.count(m.version)) continue;
    FX_RETURN_IF_ERROR(db_->writer.exec("BEGIN IMMEDIATE"));
    Status s = db_->writer.exec(m.sql);
    if (s.ok()) {
      auto st = db_->writer.prepare("INSERT INTO schema_migrations VALUES (?1, ?2)");
      st.bind(1, int64_t{m.version}).bind(2, utc_now_iso());
      st.step();
      if (st.rc() != SQLITE_DONE) s = db_->writer.error("record migration");
    }
    if (s.ok()) s = db_->writer.exec("COMMIT");
    if (!s.ok()) {
      (void)db_->writer.exec("ROLLBACK");
      return Status(s.code(), "migration " + std::to_string(m.version) + ": " + s.message());
    }
    schema_version_ = std::max(schema_version_, m.version);
  }
  return Status::Ok();
}

Result<std::unique_ptr<WriteTx>> SqliteStore::begin() {
  std::unique_lock lock(db_->write_mutex);
  auto tx = std::make_unique<SqliteWriteTx>(std::move(lock), db_->writer, db_->vault);
  return std::unique_ptr<WriteTx>(std::move(tx));
}

Result<std::vector<domain::Institution>> SqliteStore::list_institutions() {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(
      "SELECT id, code, name, kind, address, longitude, latitude, liaison FROM institutions "
      "ORDER BY code");
  std::vector<domain::Institution> out;
  while (st.step()) out.push_back(read_institution(st));
  if (st.rc() != SQLITE_DONE) return db_->reader.error("list institutions");
  return out;
}

Result<std::vector<domain::Unit>> SqliteStore::list_units(int64_t institution_id) {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(
      "SELECT id, institution_id, COALESCE(parent_id, 0), kind, name, path FROM units "
      "WHERE ?1 = 0 OR institution_id = ?1 ORDER BY institution_id, path");
  st.bind(1, institution_id);
  std::vector<domain::Unit> out;
  while (st.step()) {
    domain::Unit u;
    u.id = st.int64(0);
    u.institution_id = st.int64(1);
    u.parent_id = st.int64(2);
    u.kind = unit_kind_from(st.text(3));
    u.name = st.text(4);
    u.path = st.text(5);
    out.push_back(std::move(u));
  }
  if (st.rc() != SQLITE_DONE) return db_->reader.error("list units");
  return out;
}

Result<std::vector<domain::Place>> SqliteStore::list_places(int64_t institution_id) {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(
      "SELECT id, institution_id, kind, name FROM places WHERE ?1 = 0 OR institution_id = ?1 "
      "ORDER BY institution_id, kind, name");
  st.bind(1, institution_id);
  std::vector<domain::Place> out;
  while (st.step()) {
    domain::Place p;
    p.id = st.int64(0);
    p.institution_id = st.int64(1);
    domain::parse_place_kind(st.text(2), p.kind);
    p.name = st.text(3);
    out.push_back(std::move(p));
  }
  if (st.rc() != SQLITE_DONE) return db_->reader.error("list places");
  return out;
}

Status SqliteStore::for_each_person_digest(const std::function<void(const PersonDigest&)>& fn) {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(
      "SELECT id, institution_id, person_code, id_hash, row_hash FROM people ORDER BY id");
  PersonDigest d;
  while (st.step()) {
    d.id = st.int64(0);
    d.institution_id = st.int64(1);
    d.person_code = st.text(2);
    copy_hash(st.blob(3), d.id_hash);
    copy_hash(st.blob(4), d.row_hash);
    fn(d);
  }
  if (st.rc() != SQLITE_DONE) return db_->reader.error("read people");
  return Status::Ok();
}

Result<std::optional<ImportRecord>> SqliteStore::find_import(const std::string& kind,
                                                             const std::string& sha256) {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(std::string(kImportColumns) + "WHERE kind = ?1 AND sha256 = ?2");
  st.bind(1, kind).bind(2, sha256);
  if (st.step()) return std::optional<ImportRecord>(read_import(st));
  if (st.rc() != SQLITE_DONE) return db_->reader.error("find import");
  return std::optional<ImportRecord>();
}

Result<ImportRecord> SqliteStore::get_import(int64_t id) {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(std::string(kImportColumns) + "WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) {
    if (st.rc() != SQLITE_DONE) return db_->reader.error("get import");
    return Status::NotFound("no import " + std::to_string(id));
  }
  ImportRecord r = read_import(st);
  auto rej = db_->reader.prepare(
      "SELECT row, column_name, reason, cells_sealed FROM import_rejections WHERE import_id = ?1 "
      "ORDER BY row");
  rej.bind(1, id);
  while (rej.step()) {
    Rejection x;
    x.row = rej.int64(0);
    x.column = rej.text(1);
    x.reason = rej.text(2);
    auto cells = db_->vault.open(rej.blob(3));
    if (!cells.ok()) return cells.status();
    x.cells = split_cells(*cells);
    r.rejections.push_back(std::move(x));
  }
  if (rej.rc() != SQLITE_DONE) return db_->reader.error("get import rejections");
  return r;
}

Result<std::vector<ImportRecord>> SqliteStore::list_imports(int limit) {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(std::string(kImportColumns) + "ORDER BY id DESC LIMIT ?1");
  st.bind(1, int64_t{limit});
  std::vector<ImportRecord> out;
  while (st.step()) out.push_back(read_import(st));
  if (st.rc() != SQLITE_DONE) return db_->reader.error("list imports");
  return out;
}

Result<domain::Person> SqliteStore::get_person(int64_t id) {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(
      "SELECT id, institution_id, COALESCE(unit_id, 0), COALESCE(dorm_id, 0), person_code, name, "
      "gender, birth_date, role, id_kind, id_sealed, phone_sealed, home_compound FROM people "
      "WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) {
    if (st.rc() != SQLITE_DONE) return db_->reader.error("get person");
    return Status::NotFound("no person " + std::to_string(id));
  }
  domain::Person p;
  p.id = st.int64(0);
  p.institution_id = st.int64(1);
  p.unit_id = st.int64(2);
  p.dorm_id = st.int64(3);
  p.person_code = st.text(4);
  p.name = st.text(5);
  domain::parse_gender(st.text(6), p.gender);
  p.birth_date = st.text(7);
  domain::parse_role(st.text(8), p.role);
  domain::parse_id_kind(st.text(9), p.id_kind);
  auto idn = db_->vault.open(st.blob(10));
  if (!idn.ok()) return idn.status();
  p.id_number = std::move(*idn);
  if (!st.is_null(11)) {
    auto phone = db_->vault.open(st.blob(11));
    if (!phone.ok()) return phone.status();
    p.phone = std::move(*phone);
  }
  p.home_compound = st.text(12);
  return p;
}

Result<std::vector<int64_t>> SqliteStore::find_people_by_id_number(domain::IdKind kind,
                                                                   const std::string& number) {
  auto h = id_number_hash(db_->vault, kind, number);
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare("SELECT id FROM people WHERE id_hash = ?1");
  st.bind_blob(1, h.data(), h.size());
  std::vector<int64_t> out;
  while (st.step()) out.push_back(st.int64(0));
  if (st.rc() != SQLITE_DONE) return db_->reader.error("find person");
  return out;
}

Result<std::vector<RosterCount>> SqliteStore::roster_counts() {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(R"sql(
    SELECT i.id, i.code, i.name, i.kind,
      COUNT(p.id),
      COALESCE(SUM(p.role = 'student'), 0), COALESCE(SUM(p.role = 'teacher'), 0),
      COALESCE(SUM(p.role = 'staff'), 0),
      (SELECT COUNT(*) FROM units u WHERE u.institution_id = i.id),
      COALESCE(SUM(p.dorm_id IS NOT NULL), 0)
    FROM institutions i LEFT JOIN people p ON p.institution_id = i.id
    GROUP BY i.id ORDER BY i.code)sql");
  std::vector<RosterCount> out;
  while (st.step()) {
    RosterCount c;
    c.institution_id = st.int64(0);
    c.code = st.text(1);
    c.name = st.text(2);
    c.kind = st.text(3);
    c.people = st.int64(4);
    c.students = st.int64(5);
    c.teachers = st.int64(6);
    c.staff = st.int64(7);
    c.units = st.int64(8);
    c.dorm_residents = st.int64(9);
    out.push_back(std::move(c));
  }
  if (st.rc() != SQLITE_DONE) return db_->reader.error("roster counts");
  return out;
}

Result<std::vector<Change>> SqliteStore::changes_after(int64_t after, int limit) {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare(
      "SELECT seq, at, kind, institution_id, subject_id, detail FROM changes WHERE seq > ?1 "
      "ORDER BY seq LIMIT ?2");
  st.bind(1, after).bind(2, int64_t{limit});
  std::vector<Change> out;
  while (st.step()) {
    Change c;
    c.seq = st.int64(0);
    c.at = st.text(1);
    c.kind = st.text(2);
    c.institution_id = st.int64(3);
    c.subject_id = st.int64(4);
    c.detail = st.text(5);
    out.push_back(std::move(c));
  }
  if (st.rc() != SQLITE_DONE) return db_->reader.error("read changes");
  return out;
}

Result<int64_t> SqliteStore::last_change_seq() {
  std::lock_guard lock(db_->read_mutex);
  auto st = db_->reader.prepare("SELECT COALESCE(MAX(seq), 0) FROM changes");
  if (!st.step()) return db_->reader.error("last change");
  return st.int64(0);
}

}  // namespace fx::store::sqlite
