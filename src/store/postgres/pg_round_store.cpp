#include "store/postgres/pg_round_store.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include "store/postgres/pg_write_tx.h"
#include "store/sqlite/sqlite_round_store.h"  // encode_ids / decode_ids: the same due blob
#include "store/store.h"

namespace fx::store::postgres {
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

// A text[] literal of `items`: each quoted, quotes and backslashes escaped.
std::string text_array(const std::vector<std::string>& items) {
  std::string array = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) array.push_back(',');
    array.push_back('"');
    for (char ch : items[i]) {
      if (ch == '"' || ch == '\\') array.push_back('\\');
      array.push_back(ch);
    }
    array.push_back('"');
  }
  array.push_back('}');
  return array;
}

// Samples in one batch from which the foreign keys are checked once
// (FX_PG_BULK_SAMPLES, for tests; default 10,000).
long bulk_samples_threshold() {
  const char* v = std::getenv("FX_PG_BULK_SAMPLES");
  return v && *v ? std::atol(v) : 10000;
}

domain::Round read_round(const PgResult& r, int i) {
  domain::Round x;
  x.id = r.int64(i, 0);
  x.name = r.text(i, 1);
  x.date = r.text(i, 2);
  x.pool_size = static_cast<int>(r.int64(i, 3));
  domain::parse_round_scope_kind(r.text(i, 4), x.scope);
  x.scope_ids = split_ids(r.text(i, 5));
  x.deadline = r.text(i, 6);
  x.status = r.text(i, 7) == "closed" ? domain::RoundStatus::closed : domain::RoundStatus::open;
  x.created_at = r.text(i, 8);
  x.created_by = r.text(i, 9);
  x.closed_at = r.text(i, 10);
  x.closed_by = r.text(i, 11);
  x.due_snapshot = r.int64(i, 12);
  return x;
}

domain::TestResult result_from(const std::string& code) {
  domain::TestResult r = domain::TestResult::none;
  domain::parse_test_result(code, r);
  return r;
}

// One write transaction on the shared writer, with the roster's import and
// change-feed statements (PgWriteTx) beside this file's own.
struct Tx {
  explicit Tx(PgHandles& db)
      : tx(std::unique_lock<std::mutex>(db.write_mutex), db.writer, db.vault),
        started(tx.start()) {}
  Result<PgResult> q(const std::string& sql, const Params& p = {}) {
    if (!started.ok()) return started;
    return tx.query(sql, p);
  }
  PgWriteTx tx;
  Status started;
};

}  // namespace

Result<PgResult> PgRoundStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<int64_t> PgRoundStore::create_round(const domain::Round& r, const std::vector<int64_t>& due,
                                           const Change& change) {
  Tx t(db_);
  std::string blob = sqlite::encode_ids(due);
  Params v;
  v.add(r.name).add(r.date).add(int64_t{r.pool_size}).add(domain::round_scope_code(r.scope));
  v.add(join_ids(r.scope_ids)).add(r.deadline);
  v.add(r.created_at.empty() ? utc_now_iso() : r.created_at).add(r.created_by);
  v.add(static_cast<int64_t>(due.size())).add_bytes(blob.data(), blob.size());
  auto ins =
      t.q("INSERT INTO rounds (name, date, pool_size, scope_kind, scope_ids, deadline, status, "
          "created_at, created_by, due_count, due_people) VALUES "
          "($1,$2,$3,$4,$5,$6,'open',$7,$8,$9,$10) RETURNING id",
          v);
  if (!ins.ok()) return ins.status();
  int64_t id = ins->int64(0, 0);
  Change ch = change;
  ch.subject_id = id;
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<domain::Round> PgRoundStore::get_round(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kRoundColumns) + "WHERE id=$1", Params().add(id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0)
    return Status::NotFound("没有第 " + std::to_string(id) + " 轮检测 (no test round " +
                            std::to_string(id) + ")");
  return read_round(*r, 0);
}

Result<std::vector<domain::Round>> PgRoundStore::list_rounds() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kRoundColumns) + "ORDER BY id");
  if (!r.ok()) return r.status();
  std::vector<domain::Round> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_round(*r, i));
  return out;
}

Status PgRoundStore::close_round(int64_t id, const std::string& actor, const std::string& at) {
  Tx t(db_);
  auto up =
      t.q("UPDATE rounds SET status='closed', closed_at=$2, closed_by=$3 WHERE id=$1 AND "
          "status='open'",
          Params().add(id).add(at).add(actor));
  if (!up.ok()) return up.status();
  if (up->affected() == 0)
    return Status::Conflict("第 " + std::to_string(id) + " 轮不存在或已关闭 (no such open round)");
  Change ch;
  ch.kind = "round.closed";
  ch.subject_id = id;
  ch.detail = "{\"round\":" + std::to_string(id) + "}";
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  return t.tx.commit();
}

Status PgRoundStore::add_exemption(int64_t round_id, const ExemptionRecord& e) {
  Tx t(db_);
  auto q = t.q("SELECT due_people FROM rounds WHERE id=$1", Params().add(round_id));
  if (!q.ok()) return q.status();
  if (q->rows() == 0) return Status::NotFound("no test round " + std::to_string(round_id));
  auto due = sqlite::decode_ids(q->bytes(0, 0));
  if (!std::binary_search(due.begin(), due.end(), e.person_id))
    return Status::NotFound("此人不在本轮应检范围 (the person is not due in this round)");
  Params v;
  v.add(round_id).add(e.person_id).add(domain::exempt_reason_code(e.reason)).add(e.note);
  v.add(e.at.empty() ? utc_now_iso() : e.at).add(e.actor);
  auto ins =
      t.q("INSERT INTO round_exemptions (round_id, person_id, reason, note, at, actor) "
          "VALUES ($1,$2,$3,$4,$5,$6)",
          v);
  if (!ins.ok()) return Status(ins.status().code(), "insert exemption: " + ins.status().message());
  Change ch;
  ch.kind = "round.exempted";
  ch.subject_id = round_id;
  ch.detail = "{\"person\":" + std::to_string(e.person_id) + ",\"reason\":\"" +
              domain::exempt_reason_code(e.reason) + "\"}";
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  return t.tx.commit();
}

Result<RoundFacts> PgRoundStore::load_round(int64_t id) {
  RoundFacts f;
  std::lock_guard lock(db_.read_mutex);
  PgConnection& c = db_.reader;
  FX_RETURN_IF_ERROR(c.ensure_open());
  // One read-only snapshot: the facts are consistent even while another node writes.
  FX_RETURN_IF_ERROR(c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  struct End {
    PgConnection& c;
    ~End() {
      if (!c.broken()) (void)c.exec("COMMIT");
    }
  } end{c};
  Params p;
  p.add(id);
  {
    auto r = c.query(std::string(kRoundColumns) + "WHERE id=$1", p);
    if (!r.ok()) return r.status();
    if (r->rows() == 0) return Status::NotFound("no test round " + std::to_string(id));
    f.round = read_round(*r, 0);
    auto b = c.query("SELECT due_people FROM rounds WHERE id=$1", p);
    if (!b.ok()) return b.status();
    if (b->rows()) f.due = sqlite::decode_ids(b->bytes(0, 0));
  }
  {
    auto r = c.query(
        "SELECT person_id, reason, note, at, actor FROM round_exemptions WHERE round_id=$1 "
        "ORDER BY person_id",
        p);
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i) {
      ExemptionRecord e;
      e.person_id = r->int64(i, 0);
      domain::parse_exempt_reason(r->text(i, 1), e.reason);
      e.note = r->text(i, 2);
      e.at = r->text(i, 3);
      e.actor = r->text(i, 4);
      f.exemptions.push_back(std::move(e));
    }
  }
  {
    auto r = c.query("SELECT id, code FROM round_tubes WHERE round_id=$1 ORDER BY id", p);
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i) f.tubes.push_back({r->int64(i, 0), id, r->text(i, 1)});
  }
  {
    auto r = c.query(
        "SELECT person_id, tube_id, sampled_at, site FROM round_samples WHERE round_id=$1 "
        "ORDER BY seq",
        p);
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i)
      f.samples.push_back({r->int64(i, 0), r->int64(i, 1), r->text(i, 2), r->text(i, 3)});
  }
  {
    auto r = c.query(
        "SELECT tube_id, result, lab, reported_at, ct, late FROM round_results WHERE round_id=$1 "
        "ORDER BY tube_id",
        p);
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i) {
      ResultRecord x;
      x.tube_id = r->int64(i, 0);
      x.result = result_from(r->text(i, 1));
      x.lab = r->text(i, 2);
      x.reported_at = r->text(i, 3);
      x.ct = r->text(i, 4);
      x.late = r->boolean(i, 5);
      f.results.push_back(std::move(x));
    }
  }
  return f;
}

Result<std::vector<int64_t>> PgRoundStore::rounds_of_tubes(const std::vector<std::string>& codes) {
  std::lock_guard lock(db_.read_mutex);
  // One round trip for the whole list: unnest keeps the order of `codes`.
  auto r = read(
      "SELECT COALESCE(t.round_id, 0) FROM unnest($1::text[]) WITH ORDINALITY AS c(code, n) "
      "LEFT JOIN round_tubes t ON t.code = c.code ORDER BY c.n",
      Params().add(text_array(codes)));
  if (!r.ok()) return r.status();
  std::vector<int64_t> out;
  out.reserve(codes.size());
  for (int i = 0; i < r->rows(); ++i) out.push_back(r->int64(i, 0));
  return out;
}

Result<int64_t> PgRoundStore::write_batch(const RoundBatch& b) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  int64_t import_id = 0;
  if (b.import) {
    auto id = t.tx.insert_import(*b.import);
    if (!id.ok()) return id.status();
    import_id = *id;
  }
  // The tubes the batch names, found in one query, the new ones created in
  // one more; samples and results then go through COPY: a constant number
  // of round trips per batch instead of one or two a row.
  std::unordered_map<std::string, int64_t> tube_ids;
  std::vector<std::string> codes;
  for (const auto& s : b.samples)
    if (tube_ids.emplace(s.tube_code, 0).second) codes.push_back(s.tube_code);
  for (const auto& r : b.results)
    if (tube_ids.emplace(r.tube_code, 0).second) codes.push_back(r.tube_code);
  if (!codes.empty()) {
    auto found =
        t.q("SELECT t.code, t.id, t.round_id FROM unnest($1::text[]) AS c(code) "
            "JOIN round_tubes t ON t.code = c.code",
            Params().add(text_array(codes)));
    if (!found.ok()) return found.status();
    for (int i = 0; i < found->rows(); ++i) {
      std::string code = found->text(i, 0);
      if (found->int64(i, 2) != b.round_id)
        return Status::Conflict("tube " + code + " belongs to another round");
      tube_ids[code] = found->int64(i, 1);
    }
  }
  std::vector<std::string> new_codes;
  for (const auto& s : b.samples) {
    int64_t& id = tube_ids[s.tube_code];
    if (id == 0) {
      id = -1;  // to be created, once
      new_codes.push_back(s.tube_code);
    }
  }
  if (!new_codes.empty()) {
    // Ids in the order the codes first appear, as one INSERT a tube would give.
    auto ins =
        t.q("INSERT INTO round_tubes (round_id, code) SELECT $1, c.code FROM unnest($2::text[]) "
            "WITH ORDINALITY AS c(code, n) ORDER BY c.n RETURNING id, code",
            Params().add(b.round_id).add(text_array(new_codes)));
    if (!ins.ok()) return Status(ins.status().code(), "insert tubes: " + ins.status().message());
    for (int i = 0; i < ins->rows(); ++i) tube_ids[ins->text(i, 1)] = ins->int64(i, 0);
  }
  if (!b.samples.empty()) {
    auto seq = t.q("SELECT COALESCE(MAX(seq), 0) FROM round_samples WHERE round_id=$1",
                   Params().add(b.round_id));
    if (!seq.ok()) return seq.status();
    int64_t next = seq->int64(0, 0) + 1;
    const std::string round = std::to_string(b.round_id) + "\t";
    const std::string import = "\t" + std::to_string(import_id) + "\t";
    std::string rows;
    rows.reserve(b.samples.size() * 64);
    for (const auto& s : b.samples) {
      rows += round;
      rows += std::to_string(s.sample.person_id);
      rows += '\t';
      rows += std::to_string(tube_ids[s.tube_code]);
      rows += '\t';
      copy_escape(rows, s.sample.sampled_at);
      rows += '\t';
      copy_escape(rows, s.sample.site);
      rows += import;
      rows += std::to_string(next++);
      rows += '\n';
    }
    // A large batch (a district's sampling file) is checked against the
    // three foreign keys once, not a row at a time: 180,000 rows took 6 s
    // of row checks (each locks its person's row) against 0.3 s to add the
    // keys back. The drops hold round_samples', people's, rounds' and
    // round_tubes' table locks until commit, so other nodes' reads of them
    // wait for the rest of this transaction (about a second for a district);
    // a dangling reference still fails the batch whole.
    std::string add_keys;
    if (static_cast<long>(b.samples.size()) >= bulk_samples_threshold()) {
      auto keys =
          t.q("SELECT string_agg('DROP CONSTRAINT ' || quote_ident(conname), ', '), "
              "string_agg('ADD CONSTRAINT ' || quote_ident(conname) || ' ' || "
              "pg_get_constraintdef(oid), ', ') FROM pg_constraint "
              "WHERE conrelid = 'round_samples'::regclass AND contype = 'f'");
      if (!keys.ok()) return keys.status();
      if (!keys->is_null(0, 0)) {
        auto drop = t.q("ALTER TABLE round_samples " + keys->text(0, 0));
        if (!drop.ok()) return drop.status();
        add_keys = "ALTER TABLE round_samples " + keys->text(0, 1);
      }
    }
    Status s = t.tx.copy_in(
        "COPY round_samples (round_id, person_id, tube_id, sampled_at, site, import_id, seq) "
        "FROM STDIN",
        rows);
    if (!s.ok()) return Status(s.code(), "insert samples: " + s.message());
    if (!add_keys.empty()) {
      auto add = t.q(add_keys);
      if (!add.ok())
        return Status(add.status().code(), "insert samples: " + add.status().message());
    }
  }
  if (!b.results.empty()) {
    std::string rows;
    rows.reserve(b.results.size() * 64);
    for (const auto& r : b.results) {
      int64_t tube = tube_ids[r.tube_code];
      if (tube <= 0) return Status::NotFound("no tube " + r.tube_code + " in this round");
      rows += std::to_string(tube);
      rows += '\t';
      rows += std::to_string(b.round_id);
      rows += '\t';
      rows += domain::test_result_code(r.result.result);
      rows += '\t';
      copy_escape(rows, r.result.lab);
      rows += '\t';
      copy_escape(rows, r.result.reported_at);
      rows += '\t';
      copy_escape(rows, r.result.ct);
      rows += r.result.late ? "\tt\t" : "\tf\t";
      rows += std::to_string(import_id);
      rows += '\n';
    }
    Status s = t.tx.copy_in(
        "COPY round_results (tube_id, round_id, result, lab, reported_at, ct, late, import_id) "
        "FROM STDIN",
        rows);
    if (!s.ok()) return Status(s.code(), "insert results: " + s.message());
  }
  std::string now = utc_now_iso();
  for (const auto& x : b.conflicts) {
    Params v;
    v.add(b.round_id).add(x.kind).add(x.tube_code).add(int64_t{x.row}).add(import_id);
    v.add(x.detail).add(x.at.empty() ? now : x.at);
    auto ins = t.q(
        "INSERT INTO round_conflicts (round_id, kind, tube_code, \"row\", import_id, detail, at) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7)",
        v);
    if (!ins.ok()) return ins.status();
  }
  Change ch = b.change;
  if (!ch.subject_id) ch.subject_id = import_id ? import_id : b.round_id;
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return import_id;
}

Status PgRoundStore::correct_result(int64_t round_id, const std::string& tube_code,
                                    const ResultRecord& r, const std::string& actor,
                                    const std::string& reason) {
  if (reason.empty()) return Status::Invalid("更正须说明原因 (a correction needs a reason)");
  Tx t(db_);
  auto q =
      t.q("SELECT t.id, r.result FROM round_tubes t JOIN round_results r ON r.tube_id = t.id "
          "WHERE t.code=$1 AND t.round_id=$2",
          Params().add(tube_code).add(round_id));
  if (!q.ok()) return q.status();
  if (q->rows() == 0)
    return Status::NotFound("本轮没有已报告结果的管码 " + tube_code +
                            " (no reported tube with this code in the round)");
  int64_t tube = q->int64(0, 0);
  std::string before = q->text(0, 1);
  std::string now = utc_now_iso();
  std::string after = domain::test_result_code(r.result);
  auto up =
      t.q("UPDATE round_results SET result=$2, lab=$3, reported_at=$4, ct=$5 WHERE tube_id=$1",
          Params()
              .add(tube)
              .add(after)
              .add(r.lab)
              .add(r.reported_at.empty() ? now : r.reported_at)
              .add(r.ct));
  if (!up.ok()) return up.status();
  auto log =
      t.q("INSERT INTO round_corrections (round_id, tube_id, before, after, actor, reason, at) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7)",
          Params().add(round_id).add(tube).add(before).add(after).add(actor).add(reason).add(now));
  if (!log.ok()) return log.status();
  auto res =
      t.q("UPDATE round_conflicts SET status='resolved', resolved_by=$3, resolution=$4 "
          "WHERE round_id=$1 AND tube_code=$2 AND status='open'",
          Params().add(round_id).add(tube_code).add(actor).add(reason));
  if (!res.ok()) return res.status();
  Change ch;
  ch.kind = "round.result_corrected";
  ch.subject_id = round_id;
  ch.detail = "{\"tube\":" + std::to_string(tube) + ",\"before\":\"" + before + "\",\"after\":\"" +
              after + "\"}";
  auto seq = t.tx.append_change(ch);
  if (!seq.ok()) return seq.status();
  return t.tx.commit();
}

Result<std::vector<ConflictRecord>> PgRoundStore::list_conflicts(int64_t round_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, kind, tube_code, \"row\", import_id, detail, at, status, resolved_by, "
      "resolution FROM round_conflicts WHERE round_id=$1 ORDER BY id",
      Params().add(round_id));
  if (!r.ok()) return r.status();
  std::vector<ConflictRecord> out;
  for (int i = 0; i < r->rows(); ++i) {
    ConflictRecord x;
    x.id = r->int64(i, 0);
    x.round_id = round_id;
    x.kind = r->text(i, 1);
    x.tube_code = r->text(i, 2);
    x.row = static_cast<long>(r->int64(i, 3));
    x.import_id = r->int64(i, 4);
    x.detail = r->text(i, 5);
    x.at = r->text(i, 6);
    x.status = r->text(i, 7);
    x.resolved_by = r->text(i, 8);
    x.resolution = r->text(i, 9);
    out.push_back(std::move(x));
  }
  return out;
}

Result<std::vector<CorrectionRecord>> PgRoundStore::list_corrections(int64_t round_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT tube_id, before, after, actor, reason, at FROM round_corrections WHERE round_id=$1 "
      "ORDER BY id",
      Params().add(round_id));
  if (!r.ok()) return r.status();
  std::vector<CorrectionRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), result_from(r->text(i, 1)), result_from(r->text(i, 2)),
                   r->text(i, 3), r->text(i, 4), r->text(i, 5)});
  return out;
}

Result<std::vector<PersonPlacement>> PgRoundStore::people_placements() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read("SELECT id, institution_id, COALESCE(unit_id, 0) FROM people ORDER BY id");
  if (!r.ok()) return r.status();
  std::vector<PersonPlacement> out;
  out.reserve(r->rows());
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->int64(i, 2)});
  return out;
}

Result<std::vector<PersonBrief>> PgRoundStore::people_briefs(const std::vector<int64_t>& ids) {
  std::lock_guard lock(db_.read_mutex);
  // One round trip; the order of `ids` kept, absent people skipped.
  std::string array = "{" + join_ids(ids) + "}";
  auto r = read(
      "SELECT p.id, p.name, p.person_code, p.id_masked FROM unnest($1::bigint[]) WITH ORDINALITY "
      "AS w(id, n) JOIN people p ON p.id = w.id ORDER BY w.n",
      Params().add(array));
  if (!r.ok()) return r.status();
  std::vector<PersonBrief> out;
  out.reserve(r->rows());
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->text(i, 1), r->text(i, 2), r->text(i, 3)});
  return out;
}

}  // namespace fx::store::postgres
