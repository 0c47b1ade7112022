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
  if (!copy_buffer_.empty()) FX_RETURN_IF_ERROR(flush_people());
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
  Params v;
  v.add(p.institution_id).add(domain::place_kind_code(p.kind)).add(p.name);
  auto r =
      query("INSERT INTO places (institution_id, kind, name) VALUES ($1,$2,$3) RETURNING id", v);
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

Result<int64_t> PgWriteTx::next_person_id() {
  if (reserved_ids_.empty()) {
    auto r =
        query("SELECT nextval(pg_get_serial_sequence('people', 'id')) FROM generate_series(1, " +
              std::to_string(kIdsDrawnAtOnce) + ")");
    if (!r.ok()) return r.status();
    for (int i = r->rows() - 1; i >= 0; --i) reserved_ids_.push_back(r->int64(i, 0));
  }
  int64_t id = reserved_ids_.back();
  reserved_ids_.pop_back();
  return id;
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
  if (copy_buffer_.empty()) return Status::Ok();
  Status s = db_.copy_start(std::string("COPY people (id, ") + kPersonColumns + ") FROM STDIN");
  if (s.ok()) s = db_.copy_send(copy_buffer_);
  Status end = s.ok() ? db_.copy_end() : Status::Ok();
  copy_buffer_.clear();
  if (!s.ok()) return s;
  if (end.code() == Status::Code::already_exists)
    return Status::AlreadyExists("duplicate people in the import: " + end.message());
  return end;
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
  // Indexes stay: dropping them would lock the people table against the
  // other nodes' reads for the whole import. COPY is what makes it fast.
  bulk_ = true;
  return Status::Ok();
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
  return seq;
}

Status PgWriteTx::commit() {
  if (!open_) return not_open();
  FX_RETURN_IF_ERROR(flush_people());
  Status s = db_.exec("COMMIT");
  open_ = false;  // committed, or rolled back by the server on error
  if (!s.ok() && !db_.broken()) (void)db_.exec("ROLLBACK");
  return s;
}

}  // namespace fx::store::postgres
