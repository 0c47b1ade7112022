#include "store/sqlite/sqlite_round_store.h"

#include <algorithm>
#include <unordered_map>

#include "store/sqlite/sqlite_write_tx.h"
#include "store/store.h"

namespace fx::store::sqlite {
namespace {

constexpr const char* kRoundColumns =
    "SELECT id, name, date, pool_size, scope_kind, scope_ids, deadline, status, created_at, "
    "created_by, closed_at, closed_by, due_count FROM rounds ";

std::string join_ids(const std::vector<int64_t>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(',');
    out += std::to_string(ids[i]);
  }
  return out;
}

std::vector<int64_t> split_ids(const std::string& text) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(std::stoll(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

domain::Round read_round(const Statement& st) {
  domain::Round r;
  r.id = st.int64(0);
  r.name = st.text(1);
  r.date = st.text(2);
  r.pool_size = static_cast<int>(st.int64(3));
  domain::parse_round_scope_kind(st.text(4), r.scope);
  r.scope_ids = split_ids(st.text(5));
  r.deadline = st.text(6);
  r.status = st.text(7) == "closed" ? domain::RoundStatus::closed : domain::RoundStatus::open;
  r.created_at = st.text(8);
  r.created_by = st.text(9);
  r.closed_at = st.text(10);
  r.closed_by = st.text(11);
  r.due_snapshot = st.int64(12);
  return r;
}

domain::TestResult result_from(const std::string& code) {
  domain::TestResult r = domain::TestResult::none;
  domain::parse_test_result(code, r);
  return r;
}

// One write transaction on the shared writer, with the roster's import and
// change-feed statements (SqliteWriteTx) beside this file's own.
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

std::string encode_ids(const std::vector<int64_t>& ids) {
  std::string out;
  out.reserve(ids.size() * 2);
  int64_t prev = 0;
  for (int64_t id : ids) {
    uint64_t d = static_cast<uint64_t>(id - prev);
    prev = id;
    while (d >= 0x80) {
      out.push_back(static_cast<char>((d & 0x7f) | 0x80));
      d >>= 7;
    }
    out.push_back(static_cast<char>(d));
  }
  return out;
}

std::vector<int64_t> decode_ids(std::string_view blob) {
  std::vector<int64_t> out;
  out.reserve(blob.size());
  int64_t prev = 0;
  uint64_t d = 0;
  int shift = 0;
  for (char ch : blob) {
    auto b = static_cast<uint8_t>(ch);
    d |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b & 0x80) {
      shift += 7;
      continue;
    }
    prev += static_cast<int64_t>(d);
    out.push_back(prev);
    d = 0;
    shift = 0;
  }
  return out;
}

Result<int64_t> SqliteRoundStore::create_round(const domain::Round& r,
                                               const std::vector<int64_t>& due,
                                               const Change& change) {
  Tx t(db_);
  auto st = t.c.prepare(
      "INSERT INTO rounds (name, date, pool_size, scope_kind, scope_ids, deadline, status, "
      "created_at, created_by, due_count, due_people) VALUES "
      "(?1,?2,?3,?4,?5,?6,'open',?7,?8,?9,?10)");
  std::string blob = encode_ids(due);
  st.bind(1, r.name).bind(2, r.date).bind(3, int64_t{r.pool_size});
  st.bind(4, domain::round_scope_code(r.scope)).bind(5, join_ids(r.scope_ids)).bind(6, r.deadline);
  st.bind(7, r.created_at.empty() ? utc_now_iso() : r.created_at).bind(8, r.created_by);
  st.bind(9, static_cast<int64_t>(due.size())).bind_blob(10, blob.data(), blob.size());
  FX_RETURN_IF_ERROR(t.run(st, "insert round"));
  int64_t id = sqlite3_last_insert_rowid(t.c.get());
  Change ch = change;
  ch.subject_id = id;
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<domain::Round> SqliteRoundStore::get_round(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kRoundColumns) + "WHERE id=?1");
  st.bind(1, id);
  if (!st.step()) {
    if (st.rc() != SQLITE_DONE) return db_.reader.error("read round");
    return Status::NotFound("没有第 " + std::to_string(id) + " 轮检测 (no test round " +
                            std::to_string(id) + ")");
  }
  return read_round(st);
}

Result<std::vector<domain::Round>> SqliteRoundStore::list_rounds() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kRoundColumns) + "ORDER BY id");
  std::vector<domain::Round> out;
  while (st.step()) out.push_back(read_round(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list rounds");
  return out;
}

Status SqliteRoundStore::close_round(int64_t id, const std::string& actor, const std::string& at) {
  Tx t(db_);
  auto st = t.c.prepare(
      "UPDATE rounds SET status='closed', closed_at=?2, closed_by=?3 WHERE id=?1 AND "
      "status='open'");
  st.bind(1, id).bind(2, at).bind(3, actor);
  FX_RETURN_IF_ERROR(t.run(st, "close round"));
  if (sqlite3_changes(t.c.get()) == 0)
    return Status::Conflict("第 " + std::to_string(id) + " 轮不存在或已关闭 (no such open round)");
  Change ch;
  ch.kind = "round.closed";
  ch.subject_id = id;
  ch.detail = "{\"round\":" + std::to_string(id) + "}";
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  return t.tx.commit();
}

Status SqliteRoundStore::add_exemption(int64_t round_id, const ExemptionRecord& e) {
  Tx t(db_);
  auto q = t.c.prepare("SELECT due_people FROM rounds WHERE id=?1");
  q.bind(1, round_id);
  if (!q.step()) return Status::NotFound("no test round " + std::to_string(round_id));
  auto due = decode_ids(q.blob(0));
  if (!std::binary_search(due.begin(), due.end(), e.person_id))
    return Status::NotFound("此人不在本轮应检范围 (the person is not due in this round)");
  auto st = t.c.prepare(
      "INSERT INTO round_exemptions (round_id, person_id, reason, note, at, actor) "
      "VALUES (?1,?2,?3,?4,?5,?6)");
  st.bind(1, round_id).bind(2, e.person_id).bind(3, domain::exempt_reason_code(e.reason));
  st.bind(4, e.note).bind(5, e.at.empty() ? utc_now_iso() : e.at).bind(6, e.actor);
  FX_RETURN_IF_ERROR(t.run(st, "insert exemption"));
  Change ch;
  ch.kind = "round.exempted";
  ch.subject_id = round_id;
  ch.detail = "{\"person\":" + std::to_string(e.person_id) + ",\"reason\":\"" +
              domain::exempt_reason_code(e.reason) + "\"}";
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  return t.tx.commit();
}

Result<RoundFacts> SqliteRoundStore::load_round(int64_t id) {
  RoundFacts f;
  std::lock_guard lock(db_.read_mutex);
  Connection& c = db_.reader;
  // One read transaction: the facts are one consistent snapshot.
  FX_RETURN_IF_ERROR(c.exec("BEGIN"));
  struct End {
    Connection& c;
    ~End() { (void)c.exec("COMMIT"); }
  } end{c};
  {
    auto st = c.prepare(std::string(kRoundColumns) + "WHERE id=?1");
    st.bind(1, id);
    if (!st.step()) return Status::NotFound("no test round " + std::to_string(id));
    f.round = read_round(st);
    auto b = c.prepare("SELECT due_people FROM rounds WHERE id=?1");
    b.bind(1, id);
    if (b.step()) f.due = decode_ids(b.blob(0));
  }
  {
    auto st = c.prepare(
        "SELECT person_id, reason, note, at, actor FROM round_exemptions WHERE round_id=?1");
    st.bind(1, id);
    while (st.step()) {
      ExemptionRecord e;
      e.person_id = st.int64(0);
      domain::parse_exempt_reason(st.text(1), e.reason);
      e.note = st.text(2);
      e.at = st.text(3);
      e.actor = st.text(4);
      f.exemptions.push_back(std::move(e));
    }
    if (st.rc() != SQLITE_DONE) return c.error("read exemptions");
  }
  {
    auto st = c.prepare("SELECT id, code FROM round_tubes WHERE round_id=?1 ORDER BY id");
    st.bind(1, id);
    while (st.step()) f.tubes.push_back({st.int64(0), id, st.text(1)});
    if (st.rc() != SQLITE_DONE) return c.error("read tubes");
  }
  {
    auto st = c.prepare(
        "SELECT person_id, tube_id, sampled_at, site FROM round_samples WHERE round_id=?1 "
        "ORDER BY seq");
    st.bind(1, id);
    while (st.step()) f.samples.push_back({st.int64(0), st.int64(1), st.text(2), st.text(3)});
    if (st.rc() != SQLITE_DONE) return c.error("read samples");
  }
  {
    auto st = c.prepare(
        "SELECT tube_id, result, lab, reported_at, ct, late FROM round_results WHERE round_id=?1");
    st.bind(1, id);
    while (st.step()) {
      ResultRecord r;
      r.tube_id = st.int64(0);
      r.result = result_from(st.text(1));
      r.lab = st.text(2);
      r.reported_at = st.text(3);
      r.ct = st.text(4);
      r.late = st.int64(5) != 0;
      f.results.push_back(std::move(r));
    }
    if (st.rc() != SQLITE_DONE) return c.error("read results");
  }
  return f;
}

Result<std::vector<int64_t>> SqliteRoundStore::rounds_of_tubes(
    const std::vector<std::string>& codes) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare("SELECT round_id FROM round_tubes WHERE code=?1");
  std::vector<int64_t> out;
  out.reserve(codes.size());
  for (const auto& code : codes) {
    st.reset();
    st.bind_static(1, code);
    out.push_back(st.step() ? st.int64(0) : 0);
    if (st.rc() != SQLITE_ROW && st.rc() != SQLITE_DONE) return db_.reader.error("find tube");
  }
  return out;
}

Result<int64_t> SqliteRoundStore::write_batch(const RoundBatch& b) {
  Tx t(db_);
  int64_t import_id = 0;
  if (b.import) {
    auto id = t.tx.insert_import(*b.import);
    if (!id.ok()) return id.status();
    import_id = *id;
  }
  // Tubes of this round by code: the ones the batch names, created when new.
  std::unordered_map<std::string, int64_t> tube_ids;
  auto find_tube = t.c.prepare("SELECT id, round_id FROM round_tubes WHERE code=?1");
  auto insert_tube = t.c.prepare("INSERT INTO round_tubes (round_id, code) VALUES (?1,?2)");
  auto tube_id = [&](const std::string& code, bool create) -> Result<int64_t> {
    if (auto it = tube_ids.find(code); it != tube_ids.end()) return it->second;
    find_tube.reset();
    find_tube.bind_static(1, code);
    int64_t id = 0;
    if (find_tube.step()) {
      if (find_tube.int64(1) != b.round_id)
        return Status::Conflict("tube " + code + " belongs to another round");
      id = find_tube.int64(0);
    } else if (find_tube.rc() != SQLITE_DONE) {
      return t.c.error("find tube");
    } else if (!create) {
      return Status::NotFound("no tube " + code + " in this round");
    } else {
      insert_tube.reset();
      insert_tube.bind(1, b.round_id).bind_static(2, code);
      FX_RETURN_IF_ERROR(t.run(insert_tube, "insert tube"));
      id = sqlite3_last_insert_rowid(t.c.get());
    }
    tube_ids.emplace(code, id);
    return id;
  };
  if (!b.samples.empty()) {
    auto seq = t.c.prepare("SELECT COALESCE(MAX(seq), 0) FROM round_samples WHERE round_id=?1");
    seq.bind(1, b.round_id);
    int64_t next = seq.step() ? seq.int64(0) + 1 : 1;
    auto st = t.c.prepare(
        "INSERT INTO round_samples (round_id, person_id, tube_id, sampled_at, site, import_id, "
        "seq) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7)");
    for (const auto& s : b.samples) {
      auto tube = tube_id(s.tube_code, true);
      if (!tube.ok()) return tube.status();
      st.reset();
      st.bind(1, b.round_id).bind(2, s.sample.person_id).bind(3, *tube);
      st.bind_static(4, s.sample.sampled_at).bind_static(5, s.sample.site).bind(6, import_id);
      st.bind(7, next++);
      FX_RETURN_IF_ERROR(t.run(st, "insert sample"));
    }
  }
  if (!b.results.empty()) {
    auto st = t.c.prepare(
        "INSERT INTO round_results (tube_id, round_id, result, lab, reported_at, ct, late, "
        "import_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    for (const auto& r : b.results) {
      auto tube = tube_id(r.tube_code, false);
      if (!tube.ok()) return tube.status();
      st.reset();
      st.bind(1, *tube).bind(2, b.round_id).bind(3, domain::test_result_code(r.result.result));
      st.bind_static(4, r.result.lab).bind_static(5, r.result.reported_at);
      st.bind_static(6, r.result.ct).bind(7, int64_t{r.result.late ? 1 : 0}).bind(8, import_id);
      FX_RETURN_IF_ERROR(t.run(st, "insert result"));
    }
  }
  if (!b.conflicts.empty()) {
    auto st = t.c.prepare(
        "INSERT INTO round_conflicts (round_id, kind, tube_code, row, import_id, detail, at) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7)");
    std::string now = utc_now_iso();
    for (const auto& x : b.conflicts) {
      st.reset();
      st.bind(1, b.round_id).bind(2, x.kind).bind(3, x.tube_code).bind(4, int64_t{x.row});
      st.bind(5, import_id).bind(6, x.detail).bind(7, x.at.empty() ? now : x.at);
      FX_RETURN_IF_ERROR(t.run(st, "insert conflict"));
    }
  }
  Change ch = b.change;
  if (!ch.subject_id) ch.subject_id = import_id ? import_id : b.round_id;
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return import_id;
}

Status SqliteRoundStore::correct_result(int64_t round_id, const std::string& tube_code,
                                        const ResultRecord& r, const std::string& actor,
                                        const std::string& reason) {
  if (reason.empty()) return Status::Invalid("更正须说明原因 (a correction needs a reason)");
  Tx t(db_);
  auto q = t.c.prepare(
      "SELECT t.id, r.result FROM round_tubes t JOIN round_results r ON r.tube_id = t.id "
      "WHERE t.code=?1 AND t.round_id=?2");
  q.bind(1, tube_code).bind(2, round_id);
  if (!q.step())
    return Status::NotFound("本轮没有已报告结果的管码 " + tube_code +
                            " (no reported tube with this code in the round)");
  int64_t tube = q.int64(0);
  std::string before = q.text(1);
  std::string now = utc_now_iso();
  auto up = t.c.prepare(
      "UPDATE round_results SET result=?2, lab=?3, reported_at=?4, ct=?5 WHERE tube_id=?1");
  up.bind(1, tube).bind(2, domain::test_result_code(r.result)).bind(3, r.lab);
  up.bind(4, r.reported_at.empty() ? now : r.reported_at).bind(5, r.ct);
  FX_RETURN_IF_ERROR(t.run(up, "correct result"));
  auto log = t.c.prepare(
      "INSERT INTO round_corrections (round_id, tube_id, before, after, actor, reason, at) "
      "VALUES (?1,?2,?3,?4,?5,?6,?7)");
  log.bind(1, round_id).bind(2, tube).bind(3, before).bind(4, domain::test_result_code(r.result));
  log.bind(5, actor).bind(6, reason).bind(7, now);
  FX_RETURN_IF_ERROR(t.run(log, "record correction"));
  auto res = t.c.prepare(
      "UPDATE round_conflicts SET status='resolved', resolved_by=?3, resolution=?4 "
      "WHERE round_id=?1 AND tube_code=?2 AND status='open'");
  res.bind(1, round_id).bind(2, tube_code).bind(3, actor).bind(4, reason);
  FX_RETURN_IF_ERROR(t.run(res, "resolve conflicts"));
  Change ch;
  ch.kind = "round.result_corrected";
  ch.subject_id = round_id;
  ch.detail = "{\"tube\":" + std::to_string(tube) + ",\"before\":\"" + before + "\",\"after\":\"" +
              domain::test_result_code(r.result) + "\"}";
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  return t.tx.commit();
}

Result<std::vector<ConflictRecord>> SqliteRoundStore::list_conflicts(int64_t round_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, kind, tube_code, row, import_id, detail, at, status, resolved_by, resolution "
      "FROM round_conflicts WHERE round_id=?1 ORDER BY id");
  st.bind(1, round_id);
  std::vector<ConflictRecord> out;
  while (st.step()) {
    ConflictRecord x;
    x.id = st.int64(0);
    x.round_id = round_id;
    x.kind = st.text(1);
    x.tube_code = st.text(2);
    x.row = static_cast<long>(st.int64(3));
    x.import_id = st.int64(4);
    x.detail = st.text(5);
    x.at = st.text(6);
    x.status = st.text(7);
    x.resolved_by = st.text(8);
    x.resolution = st.text(9);
    out.push_back(std::move(x));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list conflicts");
  return out;
}

Result<std::vector<CorrectionRecord>> SqliteRoundStore::list_corrections(int64_t round_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT tube_id, before, after, actor, reason, at FROM round_corrections WHERE round_id=?1 "
      "ORDER BY id");
  st.bind(1, round_id);
  std::vector<CorrectionRecord> out;
  while (st.step())
    out.push_back({st.int64(0), result_from(st.text(1)), result_from(st.text(2)), st.text(3),
                   st.text(4), st.text(5)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list corrections");
  return out;
}

Result<std::vector<PersonPlacement>> SqliteRoundStore::people_placements() {
  std::lock_guard lock(db_.read_mutex);
  auto st =
      db_.reader.prepare("SELECT id, institution_id, COALESCE(unit_id, 0) FROM people ORDER BY id");
  std::vector<PersonPlacement> out;
  while (st.step()) out.push_back({st.int64(0), st.int64(1), st.int64(2)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read people");
  return out;
}

Result<std::vector<PersonBrief>> SqliteRoundStore::people_briefs(const std::vector<int64_t>& ids) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare("SELECT name, person_code, id_masked FROM people WHERE id=?1");
  std::vector<PersonBrief> out;
  out.reserve(ids.size());
  for (int64_t id : ids) {
    st.reset();
    st.bind(1, id);
    if (st.step()) out.push_back({id, st.text(0), st.text(1), st.text(2)});
    if (st.rc() != SQLITE_ROW && st.rc() != SQLITE_DONE) return db_.reader.error("read person");
  }
  return out;
}

}  // namespace fx::store::sqlite
