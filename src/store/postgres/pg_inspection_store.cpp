#include "store/postgres/pg_inspection_store.h"

#include <map>

#include "store/postgres/pg_write_tx.h"
#include "store/store.h"

namespace fx::store::postgres {
namespace {

// One write transaction on the shared writer (PgWriteTx appends the change).
struct Tx {
  explicit Tx(PgHandles& db)
      : tx(std::unique_lock<std::mutex>(db.write_mutex), db.writer, db.vault),
        started(tx.start()) {}
  Result<PgResult> q(const std::string& sql, const Params& p = {}) {
    if (!started.ok()) return started;
    return tx.query(sql, p);
  }
  // Numbers only in the detail, so it needs no escaping.
  Status change(const std::string& kind, int64_t institution_id, int64_t subject,
                const std::string& detail = "{}") {
    Change ch;
    ch.at = utc_now_iso();
    ch.kind = kind;
    ch.institution_id = institution_id;
    ch.subject_id = subject;
    ch.detail = detail;
    auto seq = tx.append_change(ch);
    return seq.ok() ? Status::Ok() : seq.status();
  }
  PgWriteTx tx;
  Status started;
};

Status with_context(const Status& s, const char* what) {
  return Status(s.code(), std::string(what) + ": " + s.message());
}

// " AND <column> IN (1,2,3)" for a scoped list; "" for everyone.
std::string in_clause(const char* column, const std::vector<int64_t>& ids) {
  if (ids.empty()) return "";
  std::string s = std::string(" AND ") + column + " IN (";
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s + ")";
}

Status add_event(Tx& t, int64_t finding_id, const std::string& action, const std::string& from,
                 const std::string& to, const std::string& text, const std::string& actor,
                 const std::string& at, const std::vector<EvidenceFile>& files = {}) {
  auto e = t.q(
      "INSERT INTO finding_events (finding_id, action, from_status, to_status, text, actor, at) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
      Params().add(finding_id).add(action).add(from).add(to).add(text).add(actor).add(at));
  if (!e.ok()) return with_context(e.status(), "append finding history");
  const int64_t event = e->int64(0, 0);
  for (const EvidenceFile& f : files) {
    Params p;
    p.add(event).add(f.name).add(f.content_type).add(static_cast<int64_t>(f.data.size()));
    p.add(f.sha256).add_bytes(f.data.data(), f.data.size());
    auto r =
        t.q("INSERT INTO finding_files (event_id, name, content_type, size, sha256, data) VALUES "
            "($1,$2,$3,$4,$5,$6)",
            p);
    if (!r.ok()) return with_context(r.status(), "store evidence file");
  }
  return Status::Ok();
}

Result<int64_t> insert_finding(Tx& t, const FindingRecord& f, const std::string& now) {
  Params p;
  p.add(f.inspection_id).add(f.institution_id).add(f.category).add(f.severity);
  p.add(f.description).add(f.deadline).add(f.actor).add(now);
  auto r =
      t.q("INSERT INTO inspection_findings (inspection_id, institution_id, category, severity, "
          "description, deadline, status, actor, created_at, updated_at) VALUES "
          "($1,$2,$3,$4,$5,$6,'open',$7,$8,$8) RETURNING id",
          p);
  if (!r.ok()) return with_context(r.status(), "add finding");
  const int64_t id = r->int64(0, 0);
  FX_RETURN_IF_ERROR(add_event(t, id, "opened", "", "open", f.description, f.actor, now));
  FX_RETURN_IF_ERROR(t.change("finding.opened", f.institution_id, id));
  return id;
}

constexpr const char* kFindingColumns =
    "SELECT f.id, f.inspection_id, f.institution_id, i.round_id, f.category, f.severity, "
    "f.description, f.deadline, f.status, f.directive_id, f.actor, f.created_at, f.updated_at, "
    "f.closed_at FROM inspection_findings f JOIN inspections i ON i.id = f.inspection_id ";

FindingRecord read_finding(const PgResult& r, int i) {
  FindingRecord f;
  f.id = r.int64(i, 0);
  f.inspection_id = r.int64(i, 1);
  f.institution_id = r.int64(i, 2);
  f.round_id = r.int64(i, 3);
  f.category = r.text(i, 4);
  f.severity = r.text(i, 5);
  f.description = r.text(i, 6);
  f.deadline = r.text(i, 7);
  f.status = r.text(i, 8);
  f.directive_id = r.int64(i, 9);
  f.actor = r.text(i, 10);
  f.created_at = r.text(i, 11);
  f.updated_at = r.text(i, 12);
  f.closed_at = r.text(i, 13);
  return f;
}

constexpr const char* kLetterColumns =
    "SELECT id, year, number, institution_id, title, body, issued_on, actor, created_at FROM "
    "reminder_letters ";

LetterRecord read_letter(const PgResult& r, int i) {
  LetterRecord l;
  l.id = r.int64(i, 0);
  l.year = static_cast<int>(r.int64(i, 1));
  l.number = static_cast<int>(r.int64(i, 2));
  l.institution_id = r.int64(i, 3);
  l.title = r.text(i, 4);
  l.body = r.text(i, 5);
  l.issued_on = r.text(i, 6);
  l.actor = r.text(i, 7);
  l.created_at = r.text(i, 8);
  return l;
}

}  // namespace

Result<PgResult> PgInspectionStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<int64_t> PgInspectionStore::add_round(const InspectionRoundRecord& r) {
  Tx t(db_);
  const std::string now = r.created_at.empty() ? utc_now_iso() : r.created_at;
  auto ins =
      t.q("INSERT INTO inspection_rounds (name, start_date, end_date, actor, created_at) VALUES "
          "($1,$2,$3,$4,$5) RETURNING id",
          Params().add(r.name).add(r.start_date).add(r.end_date).add(r.actor).add(now));
  if (!ins.ok()) {
    if (ins.status().code() == Status::Code::already_exists)
      return Status::AlreadyExists("name: 已有同名检查轮次 “" + r.name +
                                   "” (a round of that name exists)");
    return with_context(ins.status(), "add inspection round");
  }
  const int64_t id = ins->int64(0, 0);
  FX_RETURN_IF_ERROR(t.change("inspection.round", 0, id));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<InspectionRoundRecord>> PgInspectionStore::list_rounds() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, name, start_date, end_date, actor, created_at FROM inspection_rounds ORDER BY "
      "start_date, id");
  if (!r.ok()) return r.status();
  std::vector<InspectionRoundRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->text(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4),
                   r->text(i, 5)});
  return out;
}

Result<InspectionStore::Added> PgInspectionStore::add_inspection(
    const InspectionRecord& in, const std::vector<FindingRecord>& findings) {
  Tx t(db_);
  const std::string now = in.created_at.empty() ? utc_now_iso() : in.created_at;
  Params p;
  p.add(in.round_id).add(in.institution_id).add(in.inspector).add(in.inspected_on);
  p.add(in.summary).add(in.actor).add(now);
  auto ins =
      t.q("INSERT INTO inspections (round_id, institution_id, inspector, inspected_on, summary, "
          "actor, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
          p);
  if (!ins.ok()) {
    if (ins.status().message().find("inspections_round_id_institution_id_key") != std::string::npos)
      return Status::AlreadyExists(
          "institution: 本轮已检查过该学校 (this institution was already inspected in the round)");
    return with_context(ins.status(), "add inspection");
  }
  Added out;
  out.inspection_id = ins->int64(0, 0);
  for (size_t i = 0; i < in.items.size(); ++i) {
    const ChecklistItem& item = in.items[i];
    auto r =
        t.q("INSERT INTO inspection_items (inspection_id, position, item, passed, note) VALUES "
            "($1,$2,$3,$4,$5)",
            Params()
                .add(out.inspection_id)
                .add(static_cast<int64_t>(i + 1))
                .add(item.item)
                .add(int64_t{item.passed ? 1 : 0})
                .add(item.note));
    if (!r.ok()) return with_context(r.status(), "add checklist item");
  }
  for (FindingRecord f : findings) {
    f.inspection_id = out.inspection_id;
    f.institution_id = in.institution_id;
    auto id = insert_finding(t, f, now);
    if (!id.ok()) return id.status();
    out.finding_ids.push_back(*id);
  }
  FX_RETURN_IF_ERROR(t.change("inspection.added", in.institution_id, out.inspection_id));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return out;
}

Result<std::vector<InspectionRecord>> PgInspectionStore::list_inspections(
    const InspectionFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, round_id, institution_id, inspector, inspected_on, summary, actor, created_at "
      "FROM inspections WHERE ($1 = 0 OR round_id = $1)" +
          in_clause("institution_id", f.institutions) + " ORDER BY inspected_on DESC, id DESC",
      Params().add(f.round_id));
  if (!r.ok()) return r.status();
  std::vector<InspectionRecord> out;
  std::map<int64_t, size_t> at;
  for (int i = 0; i < r->rows(); ++i) {
    InspectionRecord x;
    x.id = r->int64(i, 0);
    x.round_id = r->int64(i, 1);
    x.institution_id = r->int64(i, 2);
    x.inspector = r->text(i, 3);
    x.inspected_on = r->text(i, 4);
    x.summary = r->text(i, 5);
    x.actor = r->text(i, 6);
    x.created_at = r->text(i, 7);
    at[x.id] = out.size();
    out.push_back(std::move(x));
  }
  auto items = read(
      "SELECT inspection_id, item, passed, note FROM inspection_items ORDER BY inspection_id, "
      "position");
  if (!items.ok()) return items.status();
  for (int i = 0; i < items->rows(); ++i) {
    auto it = at.find(items->int64(i, 0));
    if (it != at.end())
      out[it->second].items.push_back(
          {items->text(i, 1), items->int64(i, 2) != 0, items->text(i, 3)});
  }
  return out;
}

Result<int64_t> PgInspectionStore::add_finding(const FindingRecord& f) {
  Tx t(db_);
  auto ins =
      t.q("SELECT institution_id FROM inspections WHERE id=$1", Params().add(f.inspection_id));
  if (!ins.ok()) return ins.status();
  if (ins->rows() == 0) return Status::NotFound("inspection: 没有该检查记录 (no such inspection)");
  if (ins->int64(0, 0) != f.institution_id)
    return Status::Invalid("institution: 与检查记录的学校不符 (not the inspected institution)");
  auto id = insert_finding(t, f, f.created_at.empty() ? utc_now_iso() : f.created_at);
  if (!id.ok()) return id.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return *id;
}

Result<std::vector<FindingRecord>> PgInspectionStore::list_findings(const InspectionFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kFindingColumns) + "WHERE ($1 = 0 OR i.round_id = $1)" +
                    in_clause("f.institution_id", f.institutions) + " ORDER BY f.id",
                Params().add(f.round_id));
  if (!r.ok()) return r.status();
  std::vector<FindingRecord> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_finding(*r, i));
  return out;
}

Result<FindingRecord> PgInspectionStore::get_finding(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kFindingColumns) + "WHERE f.id = $1", Params().add(id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0)
    return Status::NotFound("没有整改问题 " + std::to_string(id) + " (no finding " +
                            std::to_string(id) + ")");
  return read_finding(*r, 0);
}

Result<std::vector<FindingEvent>> PgInspectionStore::finding_history(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, finding_id, action, from_status, to_status, text, actor, at FROM "
      "finding_events WHERE finding_id = $1 ORDER BY id",
      Params().add(id));
  if (!r.ok()) return r.status();
  std::vector<FindingEvent> out;
  std::map<int64_t, size_t> at;
  for (int i = 0; i < r->rows(); ++i) {
    FindingEvent e;
    e.id = r->int64(i, 0);
    e.finding_id = r->int64(i, 1);
    e.action = r->text(i, 2);
    e.from_status = r->text(i, 3);
    e.to_status = r->text(i, 4);
    e.text = r->text(i, 5);
    e.actor = r->text(i, 6);
    e.at = r->text(i, 7);
    at[e.id] = out.size();
    out.push_back(std::move(e));
  }
  auto files = read(
      "SELECT f.id, f.event_id, f.name, f.content_type, f.size, f.sha256 FROM finding_files f "
      "JOIN finding_events e ON e.id = f.event_id WHERE e.finding_id = $1 ORDER BY f.id",
      Params().add(id));
  if (!files.ok()) return files.status();
  for (int i = 0; i < files->rows(); ++i) {
    auto it = at.find(files->int64(i, 1));
    if (it == at.end()) continue;
    EvidenceFile file;
    file.id = files->int64(i, 0);
    file.name = files->text(i, 2);
    file.content_type = files->text(i, 3);
    file.size = files->int64(i, 4);
    file.sha256 = files->text(i, 5);
    out[it->second].files.push_back(std::move(file));
  }
  return out;
}

Status PgInspectionStore::link_directive(int64_t finding_id, int64_t directive_id) {
  Tx t(db_);
  auto r = t.q("UPDATE inspection_findings SET directive_id=$2 WHERE id=$1",
               Params().add(finding_id).add(directive_id));
  if (!r.ok()) return with_context(r.status(), "link directive");
  if (r->affected() == 0) return Status::NotFound("没有该整改问题 (no such finding)");
  return t.tx.commit();
}

Status PgInspectionStore::move_finding(const FindingMove& m) {
  Tx t(db_);
  // The row is locked until commit: a second node moving it waits, then sees the new status.
  auto cur = t.q("SELECT institution_id, status FROM inspection_findings WHERE id=$1 FOR UPDATE",
                 Params().add(m.finding_id));
  if (!cur.ok()) return cur.status();
  if (cur->rows() == 0) return Status::NotFound("没有该整改问题 (no such finding)");
  const int64_t institution = cur->int64(0, 0);
  const std::string status = cur->text(0, 1);
  if (status != m.from_status)
    return Status::Conflict("整改问题状态已变为 " + status + " (the finding is now " + status +
                            ")");
  auto up = t.q(
      "UPDATE inspection_findings SET status=$2, updated_at=$3, closed_at=CASE WHEN $2='closed' "
      "THEN $3 ELSE '' END WHERE id=$1",
      Params().add(m.finding_id).add(m.to_status).add(m.at));
  if (!up.ok()) return with_context(up.status(), "move finding");
  FX_RETURN_IF_ERROR(add_event(t, m.finding_id, m.action, m.from_status, m.to_status, m.text,
                               m.actor, m.at, m.files));
  FX_RETURN_IF_ERROR(t.change("finding." + m.action, institution, m.finding_id));
  return t.tx.commit();
}

Result<EvidenceFile> PgInspectionStore::evidence_file(int64_t file_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT f.id, f.name, f.content_type, f.size, f.sha256, f.data, e.finding_id FROM "
      "finding_files f JOIN finding_events e ON e.id = f.event_id WHERE f.id = $1",
      Params().add(file_id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::NotFound("没有该整改材料 (no such evidence file)");
  EvidenceFile f;
  f.id = r->int64(0, 0);
  f.name = r->text(0, 1);
  f.content_type = r->text(0, 2);
  f.size = r->int64(0, 3);
  f.sha256 = r->text(0, 4);
  f.data = r->bytes(0, 5);
  f.finding_id = r->int64(0, 6);
  return f;
}

Result<LetterRecord> PgInspectionStore::add_letter(const LetterRecord& in) {
  Tx t(db_);
  LetterRecord l = in;
  l.created_at = in.created_at.empty() ? utc_now_iso() : in.created_at;
  // The upsert locks the year's counter row until commit: another node's
  // letter waits here and then takes the next number.
  auto num =
      t.q("INSERT INTO letter_numbers (year, last) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET "
          "last = letter_numbers.last + 1 RETURNING last",
          Params().add(int64_t{l.year}));
  if (!num.ok()) return with_context(num.status(), "number the letter");
  l.number = static_cast<int>(num->int64(0, 0));
  Params p;
  p.add(int64_t{l.year}).add(int64_t{l.number}).add(l.institution_id).add(l.title).add(l.body);
  p.add(l.issued_on).add(l.actor).add(l.created_at);
  auto ins = t.q(
      "INSERT INTO reminder_letters (year, number, institution_id, title, body, issued_on, actor, "
      "created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
      p);
  if (!ins.ok()) return with_context(ins.status(), "add reminder letter");
  l.id = ins->int64(0, 0);
  for (int64_t f : l.finding_ids) {
    auto r = t.q("INSERT INTO reminder_letter_findings (letter_id, finding_id) VALUES ($1,$2)",
                 Params().add(l.id).add(f));
    if (!r.ok()) return with_context(r.status(), "link letter to finding");
  }
  FX_RETURN_IF_ERROR(t.change("letter.issued", l.institution_id, l.id,
                              "{\"number\":" + std::to_string(l.number) + "}"));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return l;
}

Result<std::vector<LetterRecord>> PgInspectionStore::list_letters(const InspectionFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kLetterColumns) + "WHERE true" +
                in_clause("institution_id", f.institutions) + " ORDER BY year, number");
  if (!r.ok()) return r.status();
  std::vector<LetterRecord> out;
  std::map<int64_t, size_t> at;
  for (int i = 0; i < r->rows(); ++i) {
    at[r->int64(i, 0)] = out.size();
    out.push_back(read_letter(*r, i));
  }
  auto links = read(
      "SELECT letter_id, finding_id FROM reminder_letter_findings ORDER BY letter_id, finding_id");
  if (!links.ok()) return links.status();
  for (int i = 0; i < links->rows(); ++i) {
    auto it = at.find(links->int64(i, 0));
    if (it != at.end()) out[it->second].finding_ids.push_back(links->int64(i, 1));
  }
  return out;
}

Result<LetterRecord> PgInspectionStore::get_letter(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kLetterColumns) + "WHERE id = $1", Params().add(id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0)
    return Status::NotFound("没有提醒函 " + std::to_string(id) + " (no letter " +
                            std::to_string(id) + ")");
  LetterRecord l = read_letter(*r, 0);
  auto links = read(
      "SELECT finding_id FROM reminder_letter_findings WHERE letter_id = $1 ORDER BY finding_id",
      Params().add(id));
  if (!links.ok()) return links.status();
  for (int i = 0; i < links->rows(); ++i) l.finding_ids.push_back(links->int64(i, 0));
  return l;
}

Result<int64_t> PgInspectionStore::add_supervisor(const SupervisorRecord& s) {
  Tx t(db_);
  Params p;
  p.add(s.name).add(s.organisation).add(s.institution_id).add(s.start_date).add(s.end_date);
  p.add(s.actor).add(s.created_at.empty() ? utc_now_iso() : s.created_at);
  auto r = t.q(
      "INSERT INTO onsite_supervisors (name, organisation, institution_id, start_date, end_date, "
      "actor, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
      p);
  if (!r.ok()) return with_context(r.status(), "assign on-site supervisor");
  const int64_t id = r->int64(0, 0);
  FX_RETURN_IF_ERROR(t.change("supervisor.assigned", s.institution_id, id));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<SupervisorRecord>> PgInspectionStore::list_supervisors(
    const InspectionFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, name, organisation, institution_id, start_date, end_date, actor, created_at "
      "FROM onsite_supervisors WHERE true" +
      in_clause("institution_id", f.institutions) + " ORDER BY id");
  if (!r.ok()) return r.status();
  std::vector<SupervisorRecord> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->text(i, 1), r->text(i, 2), r->int64(i, 3), r->text(i, 4),
                   r->text(i, 5), r->text(i, 6), r->text(i, 7)});
  return out;
}

}  // namespace fx::store::postgres
