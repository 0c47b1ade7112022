#include "store/sqlite/sqlite_write_tx.h"

#include "store/sealed_person.h"
#include "store/sqlite/people_indexes.h"

namespace fx::store::sqlite {
namespace {

const char* gender_code(domain::Gender g) {
  return g == domain::Gender::male ? "male" : g == domain::Gender::female ? "female" : "";
}

constexpr const char* kInsertPerson =
    "INSERT INTO people (institution_id, unit_id, dorm_id, person_code, name, gender, birth_date, "
    "role, id_kind, id_hash, id_sealed, id_masked, phone_hash, phone_sealed, phone_masked, "
    "home_compound, row_hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)";
constexpr const char* kUpdatePerson =
    "UPDATE people SET institution_id=?1, unit_id=?2, dorm_id=?3, person_code=?4, name=?5, "
    "gender=?6, birth_date=?7, role=?8, id_kind=?9, id_hash=?10, id_sealed=?11, id_masked=?12, "
    "phone_hash=?13, phone_sealed=?14, phone_masked=?15, home_compound=?16, row_hash=?17 "
    "WHERE id=?18";

}  // namespace

std::string join_cells(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out.push_back('\x1f');
    out += cells[i];
  }
  return out;
}

std::vector<std::string> split_cells(std::string_view joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = joined.find('\x1f', start);
    out.emplace_back(joined.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

SqliteWriteTx::SqliteWriteTx(std::unique_lock<std::mutex> lock, Connection& db, const Vault& vault)
    : lock_(std::move(lock)),
      db_(db),
      vault_(vault),
      insert_person_(db.prepare(kInsertPerson)),
      update_person_(db.prepare(kUpdatePerson)),
      insert_unit_(db.prepare("INSERT INTO units (institution_id, parent_id, kind, name, path) "
                              "VALUES (?1,?2,?3,?4,?5)")),
      insert_place_(
          db.prepare("INSERT INTO places (institution_id, kind, name) VALUES (?1,?2,?3)")) {
  // IMMEDIATE takes the write lock now, so another process writing the same
  // file waits here (busy timeout) instead of failing at commit.
  open_ = db_.exec("BEGIN IMMEDIATE").ok();
}

SqliteWriteTx::~SqliteWriteTx() {
  if (open_) (void)db_.exec("ROLLBACK");
}

Result<int64_t> SqliteWriteTx::run_insert(Statement& st, const char* what) {
  if (!open_) return Status::Unavailable("the database is busy: another writer holds it");
  st.step();
  if (st.rc() != SQLITE_DONE) return db_.error(what);
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_.get()));
}

Result<int64_t> SqliteWriteTx::insert_institution(const domain::Institution& i) {
  auto st = db_.prepare(
      "INSERT INTO institutions (code, name, kind, address, longitude, latitude, liaison) "
      "VALUES (?1,?2,?3,?4,?5,?6,?7)");
  st.bind(1, i.code).bind(2, i.name).bind(3, domain::institution_kind_code(i.kind));
  st.bind(4, i.address).bind(7, i.liaison);
  i.longitude ? st.bind(5, *i.longitude) : st.bind_null(5);
  i.latitude ? st.bind(6, *i.latitude) : st.bind_null(6);
  return run_insert(st, "insert institution");
}

Status SqliteWriteTx::update_institution(const domain::Institution& i) {
  auto st = db_.prepare(
      "UPDATE institutions SET code=?1, name=?2, kind=?3, address=?4, longitude=?5, latitude=?6, "
      "liaison=?7 WHERE id=?8");
  st.bind(1, i.code).bind(2, i.name).bind(3, domain::institution_kind_code(i.kind));
  st.bind(4, i.address).bind(7, i.liaison).bind(8, i.id);
  i.longitude ? st.bind(5, *i.longitude) : st.bind_null(5);
  i.latitude ? st.bind(6, *i.latitude) : st.bind_null(6);
  auto r = run_insert(st, "update institution");
  return r.ok() ? Status::Ok() : r.status();
}

Result<int64_t> SqliteWriteTx::insert_unit(const domain::Unit& u) {
  auto& st = insert_unit_;
  st.reset();
  st.bind(1, u.institution_id).bind(3, domain::unit_kind_code(u.kind)).bind(4, u.name);
  st.bind(5, u.path);
  u.parent_id ? st.bind(2, u.parent_id) : st.bind_null(2);
  return run_insert(st, "insert unit");
}

Result<int64_t> SqliteWriteTx::insert_place(const domain::Place& p) {
  auto& st = insert_place_;
  st.reset();
  st.bind(1, p.institution_id).bind(2, domain::place_kind_code(p.kind)).bind(3, p.name);
  return run_insert(st, "insert place");
}

void SqliteWriteTx::bind_person(Statement& st, const domain::Person& p, const SealedPerson& s,
                                const Vault::Hash& row_hash) {
  // Static binds: every value outlives the step that follows.
  st.bind(1, p.institution_id);
  p.unit_id ? st.bind(2, p.unit_id) : st.bind_null(2);
  p.dorm_id ? st.bind(3, p.dorm_id) : st.bind_null(3);
  st.bind_static(4, p.person_code).bind_static(5, p.name).bind_static(6, gender_code(p.gender));
  st.bind_static(7, p.birth_date).bind_static(8, domain::role_code(p.role));
  st.bind_static(9, domain::id_kind_code(p.id_kind));
  st.bind_static_blob(10, s.id_hash.data(), s.id_hash.size());
  st.bind_static_blob(11, s.id_sealed.data(), s.id_sealed.size());
  st.bind_static(12, s.id_masked);
  if (s.has_phone) {
    st.bind_static_blob(13, s.phone_hash.data(), s.phone_hash.size());
    st.bind_static_blob(14, s.phone_sealed.data(), s.phone_sealed.size());
  } else {
    st.bind_null(13).bind_null(14);
  }
  st.bind_static(15, s.phone_masked).bind_static(16, p.home_compound);
  st.bind_static_blob(17, row_hash.data(), row_hash.size());
}

Result<int64_t> SqliteWriteTx::insert_person(const domain::Person& p, const SealedPerson& sealed,
                                             const Vault::Hash& row_hash) {
  insert_person_.reset();
  bind_person(insert_person_, p, sealed, row_hash);
  return run_insert(insert_person_, "insert person");
}

Status SqliteWriteTx::update_person(const domain::Person& p, const SealedPerson& sealed,
                                    const Vault::Hash& row_hash) {
  update_person_.reset();
  bind_person(update_person_, p, sealed, row_hash);
  update_person_.bind(18, p.id);
  auto r = run_insert(update_person_, "update person");
  return r.ok() ? Status::Ok() : r.status();
}

Result<int64_t> SqliteWriteTx::insert_import(const ImportRecord& r) {
  auto st = db_.prepare(
      "INSERT INTO imports (kind, file_name, sha256, format, started_at, finished_at, actor, rows, "
      "imported, updated, unchanged, rejected) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)");
  st.bind(1, r.kind).bind(2, r.file_name).bind(3, r.sha256).bind(4, r.format);
  st.bind(5, r.started_at).bind(6, r.finished_at).bind(7, r.actor);
  st.bind(8, int64_t{r.rows}).bind(9, int64_t{r.imported}).bind(10, int64_t{r.updated});
  st.bind(11, int64_t{r.unchanged}).bind(12, int64_t{r.rejected});
  auto id = run_insert(st, "insert import");
  if (!id.ok()) {
    if (id.status().code() == Status::Code::already_exists)
      return Status::AlreadyExists("this file was already imported");
    return id;
  }
  auto rej = db_.prepare(
      "INSERT INTO import_rejections (import_id, row, column_name, reason, cells_sealed) "
      "VALUES (?1,?2,?3,?4,?5)");
  for (const auto& x : r.rejections) {
    rej.reset();
    std::string sealed = vault_.seal(join_cells(x.cells));
    rej.bind(1, *id).bind(2, int64_t{x.row}).bind(3, x.column).bind(4, x.reason);
    rej.bind_blob(5, sealed.data(), sealed.size());
    auto ok = run_insert(rej, "insert import rejection");
    if (!ok.ok()) return ok.status();
  }
  return id;
}

Result<int64_t> SqliteWriteTx::append_change(const Change& c) {
  auto st = db_.prepare(
      "INSERT INTO changes (at, kind, institution_id, subject_id, detail) VALUES (?1,?2,?3,?4,?5)");
  st.bind(1, c.at.empty() ? utc_now_iso() : c.at).bind(2, c.kind).bind(3, c.institution_id);
  st.bind(4, c.subject_id).bind(5, c.detail.empty() ? std::string("{}") : c.detail);
  return run_insert(st, "append change");
}

Status SqliteWriteTx::prepare_bulk_people_load() {
  if (!open_) return Status::Unavailable("the database is busy: another writer holds it");
  if (people_indexes_dropped_) return Status::Ok();
  for (const auto& index : people_indexes())
    FX_RETURN_IF_ERROR(db_.exec(std::string("DROP INDEX IF EXISTS ") + index.name));
  people_indexes_dropped_ = true;
  return Status::Ok();
}

Status SqliteWriteTx::commit() {
  if (!open_) return Status::Unavailable("the database is busy: another writer holds it");
  if (people_indexes_dropped_) {
    for (const auto& index : people_indexes()) {
      Status s = db_.exec(index.create_sql);
      if (!s.ok()) {
        if (s.message().find("UNIQUE") != std::string::npos)
          return Status::AlreadyExists("duplicate people in the import: " + s.message());
        return s;
      }
    }
    people_indexes_dropped_ = false;
  }
  Status s = db_.exec("COMMIT");
  if (!s.ok()) return s;
  open_ = false;
  return Status::Ok();
}

}  // namespace fx::store::sqlite
