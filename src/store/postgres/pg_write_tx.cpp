#include "store/postgres/pg_write_tx.h"

#include <algorithm>

#include "store/sqlite/sqlite_write_tx.h"  // join_cells: the same sealed cells in both backends

namespace fx::store::postgres {
namespace {

const char* gender_code(domain::Gender g) {
  return g == domain::Gender::male ? "male" : g == domain::Gender::female ? "female" : "";
}

// Held from the moment a transaction draws a change seq until it ends, so
// seqs become visible in the order they were drawn (see the changes table).
constexpr const char* kChangeFeedLock = "SELECT pg_advisory_xact_lock(4242001)";
constexpr size_t kCopyChunkBytes = 8 << 20;
constexpr int kIdsDrawnAtOnce = 4096;

constexpr const char* kPersonColumns =
    "institution_id, unit_id, dorm_id, person_code, name, gender, birth_date, role, id_kind, "
    "id_hash, id_sealed, id_masked, phone_hash, phone_sealed, phone_masked, home_compound, "
    "row_hash";

Params person_params(const domain::Person& p, const SealedPerson& s, const Vault::Hash& row_hash) {
  Params v;
  v.add(p.institution_id).add_or_null(p.unit_id).add_or_null(p.dorm_id);
  v.add(p.person_code).add(p.name).add(gender_code(p.gender)).add(p.birth_date);
  v.add(domain::role_code(p.role)).add(domain::id_kind_code(p.id_kind));
  v.add_bytes(s.id_hash.data(), s.id_hash.size()).add_bytes(s.id_sealed.data(), s.id_sealed.size());
  v.add(s.id_masked);
  if (s.has_phone) {
    v.add_bytes(s.phone_hash.data(), s.phone_hash.size());
    v.add_bytes(s.phone_sealed.data(), s.phone_sealed.size());
  } else {
    v.add_null().add_null();
  }
  v.add(s.phone_masked).add(p.home_compound).add_bytes(row_hash.data(), row_hash.size());
  return v;
}

Status not_open() { return Status::Unavailable("the write transaction is not open"); }

}  // namespace

PgWriteTx::PgWriteTx(std::unique_lock<std::mutex> lock, PgConnection& db, const Vault& vault)
    : lock_(std::move(lock)), db_(db), vault_(vault) {}

Status PgWriteTx::start() {
  FX_RETURN_IF_ERROR(db_.ensure_open());
  FX_RETURN_IF_ERROR(db_.exec("BEGIN"));
  open_ = true;
  return Status::Ok();
}

PgWriteTx::~PgWriteTx() {
  if (open_ && !db_.broken()) (void)db_.exec("ROLLBACK");
}

Result<PgResult> PgWriteTx::query(const std::string& sql, const Params& params) {
  if (!open_) return not_open();
  if (!copy_buffer_.empty() || !unit_buffer_.empty() || !place_buffer_.empty())
    FX_RETURN_IF_ERROR(flush_people());
  return db_.query(sql, params);
}

Status PgWriteTx::copy_in(const std::string& copy_sql, std::string_view data) {
  if (!open_) return not_open();
  FX_RETURN_IF_ERROR(flush_people());
  Status s = db_.copy_start(copy_sql);
  if (s.ok()) s = db_.copy_send(data);
  Status end = s.ok() ? db_.copy_end() : Status::Ok();
  return s.ok() ? end : s;
}

Result<int64_t> PgWriteTx::insert_institution(const domain::Institution& i) {
  Params v;
  v.add(i.code).add(i.name).add(domain::institution_kind_code(i.kind)).add(i.address);
  i.longitude ? v.add(*i.longitude) : v.add_null();
  i.latitude ? v.add(*i.latitude) : v.add_null();
  v.add(i.liaison);
  auto r = query(
      "INSERT INTO institutions (code, name, kind, address, longitude, latitude, liaison) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
      v);
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

Status PgWriteTx::update_institution(const domain::Institution& i) {
  Params v;
  v.add(i.code).add(i.name).add(domain::institution_kind_code(i.kind)).add(i.address);
  i.longitude ? v.add(*i.longitude) : v.add_null();
  i.latitude ? v.add(*i.latitude) : v.add_null();
  v.add(i.liaison).add(i.id);
  auto r = query(
      "UPDATE institutions SET code=$1, name=$2, kind=$3, address=$4, longitude=$5, latitude=$6, "
      "liaison=$7 WHERE id=$8",
      v);
  return r.ok() ? Status::Ok() : r.status();
}

Result<int64_t> PgWriteTx::insert_unit(const domain::Unit& u) {
  if (bulk_) {
    auto id = next_id("units", reserved_unit_ids_, 1024);
    if (!id.ok()) return id.status();
    std::string& b = unit_buffer_;
    b += std::to_string(*id) + "\t" + std::to_string(u.institution_id) + "\t";
    b += u.parent_id ? std::to_string(u.parent_id) : "\\N";
    b.push_back('\t');
    copy_escape(b, domain::unit_kind_code(u.kind));
    b.push_back('\t');
    copy_escape(b, u.name);
    b.push_back('\t');
    copy_escape(b, u.path);
    b.push_back('\n');
    return *id;
  }
  Params v;
  v.add(u.institution_id).add_or_null(u.parent_id).add(domain::unit_kind_code(u.kind));
  v.add(u.name).add(u.path);
  auto r = query(
      "INSERT INTO units (institution_id, parent_id, kind, name, path) VALUES ($1,$2,$3,$4,$5) "
      "RETURNING id",
      v);
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

Result<int64_t> PgWriteTx::insert_place(const domain::Place& p) {
  if (bulk_) {
    auto id = next_id("places", reserved_place_ids_, 1024);
    if (!id.ok()) return id.status();
    std::string& b = place_buffer_;
    b += std::to_string(*id) + "\t" + std::to_string(p.institution_id) + "\t";
    copy_escape(b, domain::place_kind_code(p.kind));
    b.push_back('\t');
    copy_escape(b, p.name);
    b.push_back('\n');
    return *id;
  }
  Params v;
  v.add(p.institution_id).add(domain::place_kind_code(p.kind)).add(p.name);
  auto r =
      query("INSERT INTO places (institution_id, kind, name) VALUES ($1,$2,$3) RETURNING id", v);
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

Result<int64_t> PgWriteTx::next_id(const char* table, std::vector<int64_t>& reserved, int at_once) {
  if (reserved.empty()) {
    // Straight on the connection: drawing ids needs no buffered rows sent first.
    auto r = db_.query(std::string("SELECT nextval(pg_get_serial_sequence('") + table +
                       "', 'id')) FROM generate_series(1, " + std::to_string(at_once) + ")");
    if (!r.ok()) return r.status();
    for (int i = r->rows() - 1; i >= 0; --i) reserved.push_back(r->int64(i, 0));
  }
  int64_t id = reserved.back();
  reserved.pop_back();
  return id;
}

Result<int64_t> PgWriteTx::next_person_id() {
  return next_id("people", reserved_ids_, kIdsDrawnAtOnce);
}

Result<int64_t> PgWriteTx::insert_person(const domain::Person& p, const SealedPerson& s,
                                         const Vault::Hash& row_hash) {
  if (!open_) return not_open();
  if (!bulk_) {
    auto r = query(std::string("INSERT INTO people (") + kPersonColumns +
                       ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) "
                       "RETURNING id",
                   person_params(p, s, row_hash));
    if (!r.ok()) return r.status();
    return r->int64(0, 0);
  }
  // Ids come from the sequence, so COPY gives people the ids an INSERT would.
  auto next = next_person_id();  // may flush the buffer first, through query()
  if (!next.ok()) return next.status();
  int64_t id = *next;
  std::string& b = copy_buffer_;
  auto field = [&](std::string_view text) {
    copy_escape(b, text);
    b.push_back('\t');
  };
  auto id_or_null = [&](int64_t v) { b += v ? std::to_string(v) + "\t" : "\\N\t"; };
  b += std::to_string(id);
  b.push_back('\t');
  b += std::to_string(p.institution_id);
  b.push_back('\t');
  id_or_null(p.unit_id);
  id_or_null(p.dorm_id);
  field(p.person_code);
  field(p.name);
  field(gender_code(p.gender));
  field(p.birth_date);
  field(domain::role_code(p.role));
  field(domain::id_kind_code(p.id_kind));
  auto bytes = [&](const void* d, size_t n) {
    copy_bytea(b, std::string_view(static_cast<const char*>(d), n));
    b.push_back('\t');
  };
  bytes(s.id_hash.data(), s.id_hash.size());
  bytes(s.id_sealed.data(), s.id_sealed.size());
  field(s.id_masked);
  if (s.has_phone) {
    bytes(s.phone_hash.data(), s.phone_hash.size());
    bytes(s.phone_sealed.data(), s.phone_sealed.size());
  } else {
    b += "\\N\t\\N\t";
  }
  field(s.phone_masked);
  field(p.home_compound);
  copy_bytea(b, std::string_view(reinterpret_cast<const char*>(row_hash.data()), row_hash.size()));
  b.push_back('\n');
  if (b.size() >= kCopyChunkBytes) FX_RETURN_IF_ERROR(flush_people());
  return id;
}

Status PgWriteTx::flush_people() {
  // Units first (a unit's parent is earlier in the same buffer), then dorm
  // rooms, then the people who refer to both.
  struct Buffer {
    std::string& rows;
    std::string copy;
    const char* what;
  } buffers[] = {
      {unit_buffer_, "COPY units (id, institution_id, parent_id, kind, name, path) FROM STDIN",
       "units"},
      {place_buffer_, "COPY places (id, institution_id, kind, name) FROM STDIN", "dorm rooms"},
      {copy_buffer_, std::string("COPY people (id, ") + kPersonColumns + ") FROM STDIN", "people"},
  };
  for (auto& buf : buffers) {
    if (buf.rows.empty()) continue;
    Status s = db_.copy_start(buf.copy);
    if (s.ok()) s = db_.copy_send(buf.rows);
    Status end = s.ok() ? db_.copy_end() : Status::Ok();
    buf.rows.clear();
    if (!s.ok()) return s;
    if (end.code() == Status::Code::already_exists)
      return Status::AlreadyExists(std::string("duplicate ") + buf.what +
                                   " in the import: " + end.message());
    FX_RETURN_IF_ERROR(end);
  }
  return Status::Ok();
}

Status PgWriteTx::update_person(const domain::Person& p, const SealedPerson& s,
                                const Vault::Hash& row_hash) {
  Params v = person_params(p, s, row_hash);
  v.add(p.id);
  auto r = query(
      "UPDATE people SET institution_id=$1, unit_id=$2, dorm_id=$3, person_code=$4, name=$5, "
      "gender=$6, birth_date=$7, role=$8, id_kind=$9, id_hash=$10, id_sealed=$11, id_masked=$12, "
      "phone_hash=$13, phone_sealed=$14, phone_masked=$15, home_compound=$16, row_hash=$17 "
      "WHERE id=$18",
      v);
  return r.ok() ? Status::Ok() : r.status();
}

Status PgWriteTx::prepare_bulk_people_load() {
  if (!open_) return not_open();
  bulk_ = true;
  // The app asks for this only when the file holds more people than are
  // stored (a district's first load): checking three foreign keys and
  // updating four indexes a row costs more than building them once. The
  // drops are in this transaction, so they hold people's table lock until
  // commit (other nodes' roster reads wait for the import) and a rollback or
  // a killed node puts everything back. Anything in the way (another table's
  // key on a people index): load with them in place.
  FX_RETURN_IF_ERROR(db_.exec("SAVEPOINT fx_bulk"));
  auto defs = db_.query(R"sql(
    SELECT 'ALTER TABLE people DROP CONSTRAINT ' || quote_ident(conname),
           'ALTER TABLE people ADD CONSTRAINT ' || quote_ident(conname) || ' ' ||
             pg_get_constraintdef(oid)
      FROM pg_constraint WHERE conrelid = 'people'::regclass AND contype IN ('f', 'u')
    UNION ALL
    SELECT 'DROP INDEX ' || quote_ident(c.relname), pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = 'people'::regclass AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                        WHERE k.conrelid = 'people'::regclass AND k.conindid = i.indexrelid))sql");
  Status s = defs.status();
  std::vector<std::string> restore;
  for (int i = 0; s.ok() && i < defs->rows(); ++i) {
    s = db_.exec(defs->text(i, 0));
    restore.push_back(defs->text(i, 1));
  }
  if (!s.ok()) {
    if (db_.broken()) return s;
    FX_RETURN_IF_ERROR(db_.exec("ROLLBACK TO SAVEPOINT fx_bulk"));
    restore.clear();
  }
  // Indexes first: the unique ones back the keys added after them.
  std::stable_partition(restore.begin(), restore.end(),
                        [](const std::string& sql) { return !sql.starts_with("ALTER"); });
  restore_ = std::move(restore);
  return db_.exec("RELEASE SAVEPOINT fx_bulk");
}

Result<int64_t> PgWriteTx::insert_import(const ImportRecord& r) {
  Params v;
  v.add(r.kind).add(r.file_name).add(r.sha256).add(r.format).add(r.started_at);
  v.add(r.finished_at).add(r.actor).add(int64_t{r.rows}).add(int64_t{r.imported});
  v.add(int64_t{r.updated}).add(int64_t{r.unchanged}).add(int64_t{r.rejected});
  auto id = query(
      "INSERT INTO imports (kind, file_name, sha256, format, started_at, finished_at, actor, rows, "
      "imported, updated, unchanged, rejected) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) "
      "RETURNING id",
      v);
  if (!id.ok()) {
    if (id.status().code() == Status::Code::already_exists)
      return Status::AlreadyExists("this file was already imported");
    return id.status();
  }
  int64_t import_id = id->int64(0, 0);
  for (const auto& x : r.rejections) {
    std::string sealed = vault_.seal(sqlite::join_cells(x.cells));
    Params rv;
    rv.add(import_id).add(int64_t{x.row}).add(x.column).add(x.reason);
    rv.add_bytes(sealed.data(), sealed.size());
    auto ok = query(
        "INSERT INTO import_rejections (import_id, \"row\", column_name, reason, cells_sealed) "
        "VALUES ($1,$2,$3,$4,$5)",
        rv);
    if (!ok.ok()) return ok.status();
  }
  return import_id;
}

Result<int64_t> PgWriteTx::append_change(const Change& c) {
  auto lock = query(kChangeFeedLock);
  if (!lock.ok()) return lock.status();
  Params v;
  v.add(c.at.empty() ? utc_now_iso() : c.at).add(c.kind).add(c.institution_id).add(c.subject_id);
  v.add(c.detail.empty() ? std::string("{}") : c.detail);
  auto r = query(
      "INSERT INTO changes (at, kind, institution_id, subject_id, detail) VALUES ($1,$2,$3,$4,$5) "
      "RETURNING seq",
      v);
  if (!r.ok()) return r.status();
  int64_t seq = r->int64(0, 0);
  // Delivered at commit: wakes the other nodes' followers of the feed.
  auto n = query("SELECT pg_notify('fx_changes', $1)", Params().add(std::to_string(seq)));
  if (!n.ok()) return n.status();
  last_seq_ = seq;
  return seq;
}

Status PgWriteTx::commit() {
  if (!open_) return not_open();
  FX_RETURN_IF_ERROR(flush_people());
  for (const auto& sql : restore_) {
    Status s = db_.exec(sql);
    if (s.code() == Status::Code::already_exists)
      return Status::AlreadyExists("duplicate or dangling people in the import: " + s.message());
    FX_RETURN_IF_ERROR(s);
  }
  restore_.clear();
  Status s = db_.exec("COMMIT");
  open_ = false;  // committed, or rolled back by the server on error
  if (!s.ok() && !db_.broken()) (void)db_.exec("ROLLBACK");
  if (s.ok() && last_seq_ && db_.on_commit_seq) db_.on_commit_seq(last_seq_);
  return s;
}

}  // namespace fx::store::postgres
