#include "store/postgres/pg_presence_store.h"

#include "store/postgres/pg_write_tx.h"
#include "store/store.h"

namespace fx::store::postgres {
namespace {

constexpr size_t kCopyChunkBytes = 8 << 20;
constexpr int kSwipesPerPage = 100000;

}  // namespace

Result<PgResult> PgPresenceStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<int64_t> PgPresenceStore::write_batch(const PresenceBatch& b) {
  PgWriteTx tx(std::unique_lock<std::mutex>(db_.write_mutex), db_.writer, db_.vault);
  FX_RETURN_IF_ERROR(tx.start());
  auto import_id = tx.insert_import(b.import);
  if (!import_id.ok()) return import_id.status();
  std::vector<int64_t> new_ids;
  new_ids.reserve(b.new_places.size());
  for (const auto& p : b.new_places) {
    auto id = tx.insert_place(p);
    if (!id.ok()) return id.status();
    new_ids.push_back(*id);
  }
  auto place = [&](int64_t id) -> Result<int64_t> {
    if (id > 0) return id;
    size_t k = static_cast<size_t>(-id - 1);
    if (id == 0 || k >= new_ids.size())
      return Status::Invalid("presence batch: bad place reference");
    return new_ids[k];
  };
  for (const auto& e : b.timetable) {
    auto pid = place(e.place_id);
    if (!pid.ok()) return pid.status();
    Params v;
    v.add(e.institution_id).add(e.unit_id).add(e.course).add(int64_t{e.weekday});
    v.add(int64_t{e.start_minute}).add(int64_t{e.end_minute}).add(*pid).add(e.date_from);
    v.add(e.date_to).add(*import_id);
    auto r = tx.query(
        "INSERT INTO timetable_entries (institution_id, unit_id, course, weekday, start_minute, "
        "end_minute, place_id, date_from, date_to, import_id) VALUES "
        "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
        v);
    if (!r.ok()) return r.status();
  }
  // Swipes come by the million: COPY in chunks, in file order (ids follow it).
  std::string buffer;
  const std::string copy_swipes = "COPY swipes (person_id, place_id, at, import_id) FROM STDIN";
  const std::string import_text = "\t" + std::to_string(*import_id) + "\n";
  for (const auto& s : b.swipes) {
    auto pid = place(s.place_id);
    if (!pid.ok()) return pid.status();
    buffer += std::to_string(s.person_id);
    buffer.push_back('\t');
    buffer += std::to_string(*pid);
    buffer.push_back('\t');
    buffer += std::to_string(s.at);
    buffer += import_text;
    if (buffer.size() >= kCopyChunkBytes) {
      FX_RETURN_IF_ERROR(tx.copy_in(copy_swipes, buffer));
      buffer.clear();
    }
  }
  if (!buffer.empty()) FX_RETURN_IF_ERROR(tx.copy_in(copy_swipes, buffer));
  for (const auto& c : b.contacts) {
    Params v;
    v.add(c.person_a).add(c.person_b).add(c.start).add(c.end).add(c.setting);
    v.add(contact_source_code(c.source)).add(*import_id);
    auto r = tx.query(
        "INSERT INTO pair_contacts (person_a, person_b, start_at, end_at, setting, source, "
        "import_id) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        v);
    if (!r.ok()) return r.status();
  }
  // One person's periods never overlap: checked here too, inside the
  // transaction, against what is stored and what this batch added so far.
  for (const auto& d : b.dorms) {
    auto pid = place(d.place_id);
    if (!pid.ok()) return pid.status();
    std::string to = d.date_to.empty() ? "9999-12-31" : d.date_to;
    auto o = tx.query(
        "SELECT 1 FROM dorm_assignments WHERE person_id = $1 AND date_from <= $3 AND "
        "COALESCE(date_to, '9999-12-31') >= $2 LIMIT 1",
        Params().add(d.person_id).add(d.date_from).add(to));
    if (!o.ok()) return o.status();
    if (o->rows() > 0)
      return Status::Conflict("dorm assignment overlaps another of the same person");
    Params v;
    v.add(d.person_id).add(*pid).add(d.date_from);
    if (d.date_to.empty())
      v.add_null();
    else
      v.add(d.date_to);
    v.add(*import_id);
    auto r = tx.query(
        "INSERT INTO dorm_assignments (person_id, place_id, date_from, date_to, import_id) "
        "VALUES ($1,$2,$3,$4,$5)",
        v);
    if (!r.ok()) return r.status();
  }
  Change ch = b.change;
  ch.subject_id = *import_id;
  auto seq = tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  FX_RETURN_IF_ERROR(tx.commit());
  return *import_id;
}

Result<std::vector<TimetableEntry>> PgPresenceStore::list_timetable() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, institution_id, unit_id, course, weekday, start_minute, end_minute, place_id, "
      "date_from, date_to, import_id FROM timetable_entries ORDER BY id");
  if (!r.ok()) return r.status();
  std::vector<TimetableEntry> out;
  for (int i = 0; i < r->rows(); ++i) {
    TimetableEntry e;
    e.id = r->int64(i, 0);
    e.institution_id = r->int64(i, 1);
    e.unit_id = r->int64(i, 2);
    e.course = r->text(i, 3);
    e.weekday = static_cast<int>(r->int64(i, 4));
    e.start_minute = static_cast<int>(r->int64(i, 5));
    e.end_minute = static_cast<int>(r->int64(i, 6));
    e.place_id = r->int64(i, 7);
    e.date_from = r->text(i, 8);
    e.date_to = r->text(i, 9);
    e.import_id = r->int64(i, 10);
    out.push_back(std::move(e));
  }
  return out;
}

Status PgPresenceStore::for_each_swipe(const std::function<void(const SwipeRecord&)>& fn) {
  std::lock_guard lock(db_.read_mutex);
  PgConnection& c = db_.reader;
  FX_RETURN_IF_ERROR(c.ensure_open());
  // Pages by id inside one snapshot: the whole scan sees one state of the table.
  FX_RETURN_IF_ERROR(c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  struct End {
    PgConnection& c;
    ~End() {
      if (!c.broken()) (void)c.exec("COMMIT");
    }
  } end{c};
  int64_t after = 0;
  SwipeRecord s;
  while (true) {
    auto r = c.query(
        "SELECT id, person_id, place_id, at FROM swipes WHERE id > $1 ORDER BY id "
        "LIMIT " +
            std::to_string(kSwipesPerPage),
        Params().add(after));
    if (!r.ok()) return r.status();
    if (r->rows() == 0) return Status::Ok();
    for (int i = 0; i < r->rows(); ++i) {
      after = r->int64(i, 0);
      s.person_id = r->int64(i, 1);
      s.place_id = r->int64(i, 2);
      s.at = r->int64(i, 3);
      fn(s);
    }
  }
}

Result<std::vector<PairContactRecord>> PgPresenceStore::list_contacts() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT person_a, person_b, start_at, end_at, setting, source FROM pair_contacts ORDER BY "
      "id");
  if (!r.ok()) return r.status();
  std::vector<PairContactRecord> out;
  for (int i = 0; i < r->rows(); ++i) {
    PairContactRecord c;
    c.person_a = r->int64(i, 0);
    c.person_b = r->int64(i, 1);
    c.start = r->int64(i, 2);
    c.end = r->int64(i, 3);
    c.setting = r->text(i, 4);
    c.source = r->text(i, 5) == "sensor" ? ContactSource::sensor : ContactSource::investigator;
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<DormAssignment>> PgPresenceStore::list_dorm_assignments() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, person_id, place_id, date_from, COALESCE(date_to, ''), import_id FROM "
      "dorm_assignments ORDER BY person_id, date_from, id");
  if (!r.ok()) return r.status();
  std::vector<DormAssignment> out;
  out.reserve(r->rows());
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->int64(i, 2), r->text(i, 3), r->text(i, 4),
                   r->int64(i, 5)});
  return out;
}

Result<std::vector<PresencePerson>> PgPresenceStore::presence_people() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, institution_id, COALESCE(unit_id, 0), COALESCE(dorm_id, 0) FROM people ORDER BY "
      "id");
  if (!r.ok()) return r.status();
  std::vector<PresencePerson> out;
  out.reserve(r->rows());
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->int64(i, 2), r->int64(i, 3)});
  return out;
}

Result<int64_t> PgPresenceStore::count_swipes() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read("SELECT COUNT(*) FROM swipes");
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

}  // namespace fx::store::postgres
