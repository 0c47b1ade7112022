#include "store/sqlite/sqlite_presence_store.h"

#include "store/sqlite/sqlite_write_tx.h"
#include "store/store.h"

namespace fx::store::sqlite {
namespace {

// A batch this large rebuilds the swipes index once at the end instead of
// row by row (an index insert in person order touches pages all over).
constexpr size_t kBulkSwipes = 1000000;

struct Tx {
  explicit Tx(SqliteHandles& db)
      : tx(std::unique_lock<std::mutex>(db.write_mutex), db.writer, db.vault), c(db.writer) {}
  Status run(Statement& st, const char* what) {
    st.step();
    return st.rc() == SQLITE_DONE ? Status::Ok() : c.error(what);
  }
  SqliteWriteTx tx;
  Connection& c;
};

}  // namespace

Result<int64_t> SqlitePresenceStore::write_batch(const PresenceBatch& b) {
  Tx t(db_);
  auto import_id = t.tx.insert_import(b.import);
  if (!import_id.ok()) return import_id.status();
  std::vector<int64_t> new_ids;
  new_ids.reserve(b.new_places.size());
  for (const auto& p : b.new_places) {
    auto id = t.tx.insert_place(p);
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
  if (!b.timetable.empty()) {
    auto st = t.c.prepare(
        "INSERT INTO timetable_entries (institution_id, unit_id, course, weekday, start_minute, "
        "end_minute, place_id, date_from, date_to, import_id) VALUES "
        "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)");
    for (const auto& e : b.timetable) {
      auto pid = place(e.place_id);
      if (!pid.ok()) return pid.status();
      st.reset();
      st.bind(1, e.institution_id).bind(2, e.unit_id).bind_static(3, e.course);
      st.bind(4, int64_t{e.weekday})
          .bind(5, int64_t{e.start_minute})
          .bind(6, int64_t{e.end_minute});
      st.bind(7, *pid).bind_static(8, e.date_from).bind_static(9, e.date_to).bind(10, *import_id);
      FX_RETURN_IF_ERROR(t.run(st, "insert timetable entry"));
    }
  }
  if (!b.swipes.empty()) {
    bool bulk = b.swipes.size() >= kBulkSwipes;
    if (bulk) FX_RETURN_IF_ERROR(t.c.exec("DROP INDEX IF EXISTS swipes_person_at"));
    auto st =
        t.c.prepare("INSERT INTO swipes (person_id, place_id, at, import_id) VALUES (?1,?2,?3,?4)");
    for (const auto& s : b.swipes) {
      int64_t pid = s.place_id;
      if (pid <= 0) {
        auto p = place(pid);
        if (!p.ok()) return p.status();
        pid = *p;
      }
      st.reset();
      st.bind(1, s.person_id).bind(2, pid).bind(3, s.at).bind(4, *import_id);
      FX_RETURN_IF_ERROR(t.run(st, "insert swipe"));
    }
    if (bulk)
      FX_RETURN_IF_ERROR(t.c.exec("CREATE INDEX swipes_person_at ON swipes(person_id, at)"));
  }
  if (!b.contacts.empty()) {
    auto st = t.c.prepare(
        "INSERT INTO pair_contacts (person_a, person_b, start_at, end_at, setting, source, "
        "import_id) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    for (const auto& c : b.contacts) {
      st.reset();
      st.bind(1, c.person_a).bind(2, c.person_b).bind(3, c.start).bind(4, c.end);
      st.bind_static(5, c.setting).bind(6, std::string_view(contact_source_code(c.source)));
      st.bind(7, *import_id);
      FX_RETURN_IF_ERROR(t.run(st, "insert pair contact"));
    }
  }
  if (!b.dorms.empty()) {
    // One person's periods never overlap: checked here too, inside the
    // transaction, against what is stored and what this batch added so far.
    auto overlap = t.c.prepare(
        "SELECT 1 FROM dorm_assignments WHERE person_id = ?1 AND date_from <= ?3 AND "
        "COALESCE(date_to, '9999-12-31') >= ?2 LIMIT 1");
    auto st = t.c.prepare(
        "INSERT INTO dorm_assignments (person_id, place_id, date_from, date_to, import_id) "
        "VALUES (?1,?2,?3,?4,?5)");
    for (const auto& d : b.dorms) {
      auto pid = place(d.place_id);
      if (!pid.ok()) return pid.status();
      overlap.reset();
      overlap.bind(1, d.person_id).bind_static(2, d.date_from);
      overlap.bind(3, std::string_view(d.date_to.empty() ? "9999-12-31" : d.date_to));
      if (overlap.step())
        return Status::Conflict("dorm assignment overlaps another of the same person");
      if (overlap.rc() != SQLITE_DONE) return t.c.error("check dorm assignments");
      st.reset();
      st.bind(1, d.person_id).bind(2, *pid).bind_static(3, d.date_from);
      st.bind_or_null(4, d.date_to).bind(5, *import_id);
      FX_RETURN_IF_ERROR(t.run(st, "insert dorm assignment"));
    }
  }
  Change ch = b.change;
  ch.subject_id = *import_id;
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return *import_id;
}

Result<std::vector<TimetableEntry>> SqlitePresenceStore::list_timetable() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, institution_id, unit_id, course, weekday, start_minute, end_minute, place_id, "
      "date_from, date_to, import_id FROM timetable_entries ORDER BY id");
  std::vector<TimetableEntry> out;
  while (st.step()) {
    TimetableEntry e;
    e.id = st.int64(0);
    e.institution_id = st.int64(1);
    e.unit_id = st.int64(2);
    e.course = st.text(3);
    e.weekday = static_cast<int>(st.int64(4));
    e.start_minute = static_cast<int>(st.int64(5));
    e.end_minute = static_cast<int>(st.int64(6));
    e.place_id = st.int64(7);
    e.date_from = st.text(8);
    e.date_to = st.text(9);
    e.import_id = st.int64(10);
    out.push_back(std::move(e));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list timetable");
  return out;
}

Status SqlitePresenceStore::for_each_swipe(const std::function<void(const SwipeRecord&)>& fn) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare("SELECT person_id, place_id, at FROM swipes ORDER BY id");
  SwipeRecord s;
  while (st.step()) {
    s.person_id = st.int64(0);
    s.place_id = st.int64(1);
    s.at = st.int64(2);
    fn(s);
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read swipes");
  return Status::Ok();
}

Result<std::vector<PairContactRecord>> SqlitePresenceStore::list_contacts() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT person_a, person_b, start_at, end_at, setting, source FROM pair_contacts ORDER BY "
      "id");
  std::vector<PairContactRecord> out;
  while (st.step()) {
    PairContactRecord c;
    c.person_a = st.int64(0);
    c.person_b = st.int64(1);
    c.start = st.int64(2);
    c.end = st.int64(3);
    c.setting = st.text(4);
    c.source = st.text(5) == "sensor" ? ContactSource::sensor : ContactSource::investigator;
    out.push_back(std::move(c));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list pair contacts");
  return out;
}

Result<std::vector<DormAssignment>> SqlitePresenceStore::list_dorm_assignments() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, person_id, place_id, date_from, COALESCE(date_to, ''), import_id FROM "
      "dorm_assignments ORDER BY person_id, date_from, id");
  std::vector<DormAssignment> out;
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.int64(2), st.text(3), st.text(4), st.int64(5)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list dorm assignments");
  return out;
}

Result<std::vector<PresencePerson>> SqlitePresenceStore::presence_people() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, institution_id, COALESCE(unit_id, 0), COALESCE(dorm_id, 0) FROM people ORDER BY "
      "id");
  std::vector<PresencePerson> out;
  while (st.step()) out.push_back({st.int64(0), st.int64(1), st.int64(2), st.int64(3)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read people placements");
  return out;
}

Result<int64_t> SqlitePresenceStore::count_swipes() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare("SELECT COUNT(*) FROM swipes");
  if (!st.step()) return db_.reader.error("count swipes");
  return st.int64(0);
}

}  // namespace fx::store::sqlite
