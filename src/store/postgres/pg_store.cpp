#include "store/postgres/pg_store.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <set>

#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_write_tx.h"
#include "store/sealed_person.h"
#include "store/sqlite/sqlite_write_tx.h"  // split_cells

namespace fx::store::postgres {
namespace {

// Taken while migrating, so nodes starting at once apply each migration once.
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(4242000)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(4242000)";

domain::UnitKind unit_kind_from(const std::string& code) {
  if (code == "campus") return domain::UnitKind::campus;
  if (code == "department") return domain::UnitKind::department;
  if (code == "grade") return domain::UnitKind::grade;
  return domain::UnitKind::class_;
}

ImportRecord read_import(const PgResult& r, int i) {
  ImportRecord x;
  x.id = r.int64(i, 0);
  x.kind = r.text(i, 1);
  x.file_name = r.text(i, 2);
  x.sha256 = r.text(i, 3);
  x.format = r.text(i, 4);
  x.started_at = r.text(i, 5);
  x.finished_at = r.text(i, 6);
  x.actor = r.text(i, 7);
  x.rows = r.int64(i, 8);
  x.imported = r.int64(i, 9);
  x.updated = r.int64(i, 10);
  x.unchanged = r.int64(i, 11);
  x.rejected = r.int64(i, 12);
  return x;
}

constexpr const char* kImportColumns =
    "SELECT id, kind, file_name, sha256, format, started_at, finished_at, actor, rows, imported, "
    "updated, unchanged, rejected FROM imports ";

}  // namespace

void copy_hash(std::string_view bytes, Vault::Hash& out) {
  out.fill(0);
  std::memcpy(out.data(), bytes.data(), std::min(bytes.size(), out.size()));
}

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& url, const Vault& vault) {
  std::unique_ptr<PgStore> s(new PgStore(vault));
  auto w = PgConnection::connect(url);
  if (!w.ok()) return w.status();
  s->db_->writer = std::move(*w);
  s->url_ = url;
  s->db_->writer.on_commit_seq = [st = s.get()](int64_t seq) {
    if (auto* f = st->feed_.load()) f->note_committed(seq);
  };
  FX_RETURN_IF_ERROR(s->migrate());
  auto r = PgConnection::connect(url);
  if (!r.ok()) return r.status();
  s->db_->reader = std::move(*r);
  return s;
}

Status PgStore::migrate() {
  PgConnection& c = db_->writer;
  FX_RETURN_IF_ERROR(c.exec(kMigrationLock));
  struct Unlock {
    PgConnection& c;
    ~Unlock() { (void)c.exec(kMigrationUnlock); }
  } unlock{c};
  FX_RETURN_IF_ERROR(
      c.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
             "applied_at TEXT NOT NULL)"));
  auto v = c.query("SELECT version FROM schema_migrations");
  if (!v.ok()) return v.status();
  // Every version not recorded, as SQLite does: an area's version may land
  // after a higher one (5 after 6).
  std::set<int> applied;
  for (int i = 0; i < v->rows(); ++i) applied.insert(static_cast<int>(v->int64(i, 0)));
  schema_version_ = applied.empty() ? 0 : *applied.rbegin();
  for (const auto& m : migrations()) {
    if (applied.count(m.version)) continue;
    FX_RETURN_IF_ERROR(c.exec("BEGIN"));
    Status s = c.exec(m.sql);
    if (s.ok()) {
      auto r = c.query("INSERT INTO schema_migrations VALUES ($1, $2)",
                       Params().add(int64_t{m.version}).add(utc_now_iso()));
      if (!r.ok()) s = r.status();
    }
    if (s.ok()) s = c.exec("COMMIT");
    if (!s.ok()) {
      if (!c.broken()) (void)c.exec("ROLLBACK");
      return Status(s.code(), "migration " + std::to_string(m.version) + ": " + s.message());
    }
    schema_version_ = std::max(schema_version_, m.version);
  }
  return Status::Ok();
}

Result<PgResult> PgStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_->reader.ensure_open());
  return db_->reader.query(sql, params);
}

Result<std::unique_ptr<WriteTx>> PgStore::begin() {
  std::unique_lock lock(db_->write_mutex);
  auto tx = std::make_unique<PgWriteTx>(std::move(lock), db_->writer, db_->vault);
  FX_RETURN_IF_ERROR(tx->start());
  return std::unique_ptr<WriteTx>(std::move(tx));
}

Result<std::vector<domain::Institution>> PgStore::list_institutions() {
  std::lock_guard lock(db_->read_mutex);
  auto r = read(
      "SELECT id, code, name, kind, address, longitude, latitude, liaison FROM institutions "
      "ORDER BY code COLLATE \"C\"");
  if (!r.ok()) return r.status();
  std::vector<domain::Institution> out;
  for (int i = 0; i < r->rows(); ++i) {
    domain::Institution x;
    x.id = r->int64(i, 0);
    x.code = r->text(i, 1);
    x.name = r->text(i, 2);
    domain::parse_institution_kind(r->text(i, 3), x.kind);
    x.address = r->text(i, 4);
    if (!r->is_null(i, 5)) x.longitude = r->real(i, 5);
    if (!r->is_null(i, 6)) x.latitude = r->real(i, 6);
    x.liaison = r->text(i, 7);
    out.push_back(std::move(x));
  }
  return out;
}

Result<std::vector<domain::Unit>> PgStore::list_units(int64_t institution_id) {
  std::lock_guard lock(db_->read_mutex);
  auto r = read(
      "SELECT id, institution_id, COALESCE(parent_id, 0), kind, name, path FROM units "
      "WHERE $1::bigint = 0 OR institution_id = $1 ORDER BY institution_id, path COLLATE \"C\"",
      Params().add(institution_id));
  if (!r.ok()) return r.status();
  std::vector<domain::Unit> out;
  for (int i = 0; i < r->rows(); ++i) {
    domain::Unit u;
    u.id = r->int64(i, 0);
    u.institution_id = r->int64(i, 1);
    u.parent_id = r->int64(i, 2);
    u.kind = unit_kind_from(r->text(i, 3));
    u.name = r->text(i, 4);
    u.path = r->text(i, 5);
    out.push_back(std::move(u));
  }
  return out;
}

Result<std::vector<domain::Place>> PgStore::list_places(int64_t institution_id) {
  std::lock_guard lock(db_->read_mutex);
  auto r = read(
      "SELECT id, institution_id, kind, name FROM places WHERE $1::bigint = 0 OR institution_id = "
      "$1 "
      "ORDER BY institution_id, kind COLLATE \"C\", name COLLATE \"C\"",
      Params().add(institution_id));
  if (!r.ok()) return r.status();
  std::vector<domain::Place> out;
  for (int i = 0; i < r->rows(); ++i) {
    domain::Place p;
    p.id = r->int64(i, 0);
    p.institution_id = r->int64(i, 1);
    domain::parse_place_kind(r->text(i, 2), p.kind);
    p.name = r->text(i, 3);
    out.push_back(std::move(p));
  }
  return out;
}

Status PgStore::for_each_person_digest(const std::function<void(const PersonDigest&)>& fn) {
  std::lock_guard lock(db_->read_mutex);
  // In pages by id, so a city's roster is never one result in memory.
  int64_t after = 0;
  PersonDigest d;
  while (true) {
    auto r = read(
        "SELECT id, institution_id, person_code, id_hash, row_hash FROM people WHERE id > $1 "
        "ORDER BY id LIMIT 50000",
        Params().add(after));
    if (!r.ok()) return r.status();
    if (r->rows() == 0) return Status::Ok();
    for (int i = 0; i < r->rows(); ++i) {
      d.id = r->int64(i, 0);
      d.institution_id = r->int64(i, 1);
      d.person_code = r->text(i, 2);
      copy_hash(r->bytes(i, 3), d.id_hash);
      copy_hash(r->bytes(i, 4), d.row_hash);
      fn(d);
      after = d.id;
    }
  }
}

Result<std::optional<ImportRecord>> PgStore::find_import(const std::string& kind,
                                                         const std::string& sha256) {
  std::lock_guard lock(db_->read_mutex);
  auto r = read(std::string(kImportColumns) + "WHERE kind = $1 AND sha256 = $2",
                Params().add(kind).add(sha256));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<ImportRecord>();
  return std::optional<ImportRecord>(read_import(*r, 0));
}

Result<ImportRecord> PgStore::get_import(int64_t id) {
  std::lock_guard lock(db_->read_mutex);
  auto r = read(std::string(kImportColumns) + "WHERE id = $1", Params().add(id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::NotFound("no import " + std::to_string(id));
  ImportRecord x = read_import(*r, 0);
  auto rej = read(
      "SELECT \"row\", column_name, reason, cells_sealed FROM import_rejections "
      "WHERE import_id = $1 ORDER BY \"row\"",
      Params().add(id));
  if (!rej.ok()) return rej.status();
  for (int i = 0; i < rej->rows(); ++i) {
    Rejection j;
    j.row = rej->int64(i, 0);
    j.column = rej->text(i, 1);
    j.reason = rej->text(i, 2);
    auto cells = db_->vault.open(rej->bytes(i, 3));
    if (!cells.ok()) return cells.status();
    j.cells = sqlite::split_cells(*cells);
    x.rejections.push_back(std::move(j));
  }
  return x;
}

Result<std::vector<ImportRecord>> PgStore::list_imports(int limit) {
  std::lock_guard lock(db_->read_mutex);
  auto r =
      read(std::string(kImportColumns) + "ORDER BY id DESC LIMIT $1", Params().add(int64_t{limit}));
  if (!r.ok()) return r.status();
  std::vector<ImportRecord> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_import(*r, i));
  return out;
}

Result<domain::Person> PgStore::get_person(int64_t id) {
  std::lock_guard lock(db_->read_mutex);
  auto r = read(
      "SELECT id, institution_id, COALESCE(unit_id, 0), COALESCE(dorm_id, 0), person_code, name, "
      "gender, birth_date, role, id_kind, id_sealed, phone_sealed, home_compound FROM people "
      "WHERE id = $1",
      Params().add(id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::NotFound("no person " + std::to_string(id));
  domain::Person p;
  p.id = r->int64(0, 0);
  p.institution_id = r->int64(0, 1);
  p.unit_id = r->int64(0, 2);
  p.dorm_id = r->int64(0, 3);
  p.person_code = r->text(0, 4);
  p.name = r->text(0, 5);
  domain::parse_gender(r->text(0, 6), p.gender);
  p.birth_date = r->text(0, 7);
  domain::parse_role(r->text(0, 8), p.role);
  domain::parse_id_kind(r->text(0, 9), p.id_kind);
  auto idn = db_->vault.open(r->bytes(0, 10));
  if (!idn.ok()) return idn.status();
  p.id_number = std::move(*idn);
  if (!r->is_null(0, 11)) {
    auto phone = db_->vault.open(r->bytes(0, 11));
    if (!phone.ok()) return phone.status();
    p.phone = std::move(*phone);
  }
  p.home_compound = r->text(0, 12);
  return p;
}

Result<std::vector<int64_t>> PgStore::find_people_by_id_number(domain::IdKind kind,
                                                               const std::string& number) {
  auto h = id_number_hash(db_->vault, kind, number);
  std::lock_guard lock(db_->read_mutex);
  auto r = read("SELECT id FROM people WHERE id_hash = $1", Params().add_bytes(h.data(), h.size()));
  if (!r.ok()) return r.status();
  std::vector<int64_t> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(r->int64(i, 0));
  return out;
}

Result<std::vector<RosterCount>> PgStore::roster_counts() {
  std::lock_guard lock(db_->read_mutex);
  auto r = read(R"sql(
    SELECT i.id, i.code, i.name, i.kind,
      COUNT(p.id),
      COUNT(*) FILTER (WHERE p.role = 'student'), COUNT(*) FILTER (WHERE p.role = 'teacher'),
      COUNT(*) FILTER (WHERE p.role = 'staff'),
      (SELECT COUNT(*) FROM units u WHERE u.institution_id = i.id),
      COUNT(p.dorm_id)
    FROM institutions i LEFT JOIN people p ON p.institution_id = i.id
    GROUP BY i.id ORDER BY i.code COLLATE "C")sql");
  if (!r.ok()) return r.status();
  std::vector<RosterCount> out;
  for (int i = 0; i < r->rows(); ++i) {
    RosterCount c;
    c.institution_id = r->int64(i, 0);
    c.code = r->text(i, 1);
    c.name = r->text(i, 2);
    c.kind = r->text(i, 3);
    c.people = r->int64(i, 4);
    c.students = r->int64(i, 5);
    c.teachers = r->int64(i, 6);
    c.staff = r->int64(i, 7);
    c.units = r->int64(i, 8);
    c.dorm_residents = r->int64(i, 9);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Change>> PgStore::changes_after(int64_t after, int limit) {
  std::lock_guard lock(db_->read_mutex);
  auto r = read(
      "SELECT seq, at, kind, institution_id, subject_id, detail FROM changes WHERE seq > $1 "
      "ORDER BY seq LIMIT $2",
      Params().add(after).add(int64_t{limit}));
  if (!r.ok()) return r.status();
  std::vector<Change> out;
  for (int i = 0; i < r->rows(); ++i) {
    Change c;
    c.seq = r->int64(i, 0);
    c.at = r->text(i, 1);
    c.kind = r->text(i, 2);
    c.institution_id = r->int64(i, 3);
    c.subject_id = r->int64(i, 4);
    c.detail = r->text(i, 5);
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> PgStore::last_change_seq() {
  std::lock_guard lock(db_->read_mutex);
  auto r = read("SELECT COALESCE(MAX(seq), 0) FROM changes");
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

std::optional<int64_t> PgStore::heard_change_seq() {
  // FX_PG_LISTEN=0: no listening connection, followers read the feed as
  // before (for before/after measurements).
  static const bool off = [] {
    const char* v = std::getenv("FX_PG_LISTEN");
    return v && std::string_view(v) == "0";
  }();
  if (off) return std::nullopt;
  std::call_once(listen_once_, [this] {
    listener_ = std::make_unique<PgFeedListener>(url_);
    feed_ = listener_.get();
  });
  return listener_->heard();
}

std::optional<int64_t> PgStore::wait_for_change(int64_t after, std::chrono::milliseconds timeout) {
  if (!heard_change_seq() && !listener_) return std::nullopt;  // listening turned off
  return listener_->wait_past(after, timeout);
}

}  // namespace fx::store::postgres
