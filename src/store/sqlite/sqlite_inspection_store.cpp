#include "store/sqlite/sqlite_inspection_store.h"

#include <map>

#include "store/sqlite/area_tx.h"
#include "store/store.h"

namespace fx::store::sqlite {
namespace {

// Numbers only in the detail, so it needs no escaping.
Status append(AreaTx& t, const char* kind, int64_t institution_id, int64_t subject,
              const std::string& detail = "{}") {
  Change ch;
  ch.at = utc_now_iso();
  ch.kind = kind;
  ch.institution_id = institution_id;
  ch.subject_id = subject;
  ch.detail = detail;
  auto seq = t.tx.append_change(ch);
  return seq.ok() ? Status::Ok() : seq.status();
}

// " AND <column> IN (1,2,3)" for a scoped list; "" for everyone.
std::string in_clause(const char* column, const std::vector<int64_t>& ids) {
  if (ids.empty()) return "";
  std::string s = std::string(" AND ") + column + " IN (";
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s + ")";
}

Status add_event(AreaTx& t, int64_t finding_id, const std::string& action, const std::string& from,
                 const std::string& to, const std::string& text, const std::string& actor,
                 const std::string& at, const std::vector<EvidenceFile>& files = {}) {
  auto st = t.c.prepare(
      "INSERT INTO finding_events (finding_id, action, from_status, to_status, text, actor, at) "
      "VALUES (?1,?2,?3,?4,?5,?6,?7)");
  st.bind(1, finding_id).bind(2, action).bind(3, from).bind(4, to).bind(5, text);
  st.bind(6, actor).bind(7, at);
  FX_RETURN_IF_ERROR(t.run(st, "append finding history"));
  const int64_t event = sqlite3_last_insert_rowid(t.c.get());
  auto f = t.c.prepare(
      "INSERT INTO finding_files (event_id, name, content_type, size, sha256, data) VALUES "
      "(?1,?2,?3,?4,?5,?6)");
  for (const EvidenceFile& file : files) {
    f.reset();
    f.bind(1, event).bind(2, file.name).bind(3, file.content_type);
    f.bind(4, static_cast<int64_t>(file.data.size())).bind(5, file.sha256);
    f.bind_blob(6, file.data.data(), file.data.size());
    FX_RETURN_IF_ERROR(t.run(f, "store evidence file"));
  }
  return Status::Ok();
}

Result<int64_t> insert_finding(AreaTx& t, const FindingRecord& f, const std::string& now) {
  auto st = t.c.prepare(
      "INSERT INTO inspection_findings (inspection_id, institution_id, category, severity, "
      "description, deadline, status, actor, created_at, updated_at) VALUES "
      "(?1,?2,?3,?4,?5,?6,'open',?7,?8,?8)");
  st.bind(1, f.inspection_id).bind(2, f.institution_id).bind(3, f.category).bind(4, f.severity);
  st.bind(5, f.description).bind(6, f.deadline).bind(7, f.actor).bind(8, now);
  FX_RETURN_IF_ERROR(t.run(st, "add finding"));
  const int64_t id = sqlite3_last_insert_rowid(t.c.get());
  FX_RETURN_IF_ERROR(add_event(t, id, "opened", "", "open", f.description, f.actor, now));
  FX_RETURN_IF_ERROR(append(t, "finding.opened", f.institution_id, id));
  return id;
}

constexpr const char* kFindingColumns =
    "SELECT f.id, f.inspection_id, f.institution_id, i.round_id, f.category, f.severity, "
    "f.description, f.deadline, f.status, f.directive_id, f.actor, f.created_at, f.updated_at, "
    "f.closed_at FROM inspection_findings f JOIN inspections i ON i.id = f.inspection_id ";

FindingRecord read_finding(const Statement& st) {
  FindingRecord f;
  f.id = st.int64(0);
  f.inspection_id = st.int64(1);
  f.institution_id = st.int64(2);
  f.round_id = st.int64(3);
  f.category = st.text(4);
  f.severity = st.text(5);
  f.description = st.text(6);
  f.deadline = st.text(7);
  f.status = st.text(8);
  f.directive_id = st.int64(9);
  f.actor = st.text(10);
  f.created_at = st.text(11);
  f.updated_at = st.text(12);
  f.closed_at = st.text(13);
  return f;
}

constexpr const char* kLetterColumns =
    "SELECT id, year, number, institution_id, title, body, issued_on, actor, created_at FROM "
    "reminder_letters ";

LetterRecord read_letter(const Statement& st) {
  LetterRecord l;
  l.id = st.int64(0);
  l.year = static_cast<int>(st.int64(1));
  l.number = static_cast<int>(st.int64(2));
  l.institution_id = st.int64(3);
  l.title = st.text(4);
  l.body = st.text(5);
  l.issued_on = st.text(6);
  l.actor = st.text(7);
  l.created_at = st.text(8);
  return l;
}

Status letter_findings(Connection& c, std::vector<LetterRecord>& letters) {
  std::map<int64_t, size_t> at;
  for (size_t i = 0; i < letters.size(); ++i) at[letters[i].id] = i;
  auto st = c.prepare(
      "SELECT letter_id, finding_id FROM reminder_letter_findings ORDER BY letter_id, finding_id");
  while (st.step()) {
    auto it = at.find(st.int64(0));
    if (it != at.end()) letters[it->second].finding_ids.push_back(st.int64(1));
  }
  return st.rc() == SQLITE_DONE ? Status::Ok() : c.error("list letter findings");
}

}  // namespace

Result<int64_t> SqliteInspectionStore::add_round(const InspectionRoundRecord& r) {
  AreaTx t(db_);
  const std::string now = r.created_at.empty() ? utc_now_iso() : r.created_at;
  auto st = t.c.prepare(
      "INSERT INTO inspection_rounds (name, start_date, end_date, actor, created_at) VALUES "
      "(?1,?2,?3,?4,?5)");
  st.bind(1, r.name).bind(2, r.start_date).bind(3, r.end_date).bind(4, r.actor).bind(5, now);
  st.step();
  if (st.rc() != SQLITE_DONE) {
    Status s = t.c.error("add inspection round");
    if (s.code() == Status::Code::already_exists)
      return Status::AlreadyExists("name: 已有同名检查轮次 “" + r.name +
                                   "” (a round of that name exists)");
    return s;
  }
  const int64_t id = sqlite3_last_insert_rowid(t.c.get());
  FX_RETURN_IF_ERROR(append(t, "inspection.round", 0, id));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<InspectionRoundRecord>> SqliteInspectionStore::list_rounds() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, name, start_date, end_date, actor, created_at FROM inspection_rounds ORDER BY "
      "start_date, id");
  std::vector<InspectionRoundRecord> out;
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list inspection rounds");
  return out;
}

Result<InspectionStore::Added> SqliteInspectionStore::add_inspection(
    const InspectionRecord& in, const std::vector<FindingRecord>& findings) {
  AreaTx t(db_);
  const std::string now = in.created_at.empty() ? utc_now_iso() : in.created_at;
  auto st = t.c.prepare(
      "INSERT INTO inspections (round_id, institution_id, inspector, inspected_on, summary, "
      "actor, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7)");
  st.bind(1, in.round_id).bind(2, in.institution_id).bind(3, in.inspector);
  st.bind(4, in.inspected_on).bind(5, in.summary).bind(6, in.actor).bind(7, now);
  st.step();
  if (st.rc() != SQLITE_DONE) {
    Status s = t.c.error("add inspection");
    if (s.code() == Status::Code::already_exists)
      return Status::AlreadyExists(
          "institution: 本轮已检查过该学校 (this institution was already inspected in the round)");
    return s;
  }
  Added out;
  out.inspection_id = sqlite3_last_insert_rowid(t.c.get());
  auto item = t.c.prepare("INSERT INTO inspection_items VALUES (?1,?2,?3,?4,?5)");
  for (size_t i = 0; i < in.items.size(); ++i) {
    item.reset();
    item.bind(1, out.inspection_id).bind(2, static_cast<int64_t>(i + 1)).bind(3, in.items[i].item);
    item.bind(4, int64_t{in.items[i].passed ? 1 : 0}).bind(5, in.items[i].note);
    FX_RETURN_IF_ERROR(t.run(item, "add checklist item"));
  }
  for (FindingRecord f : findings) {
    f.inspection_id = out.inspection_id;
    f.institution_id = in.institution_id;
    auto id = insert_finding(t, f, now);
    if (!id.ok()) return id.status();
    out.finding_ids.push_back(*id);
  }
  FX_RETURN_IF_ERROR(append(t, "inspection.added", in.institution_id, out.inspection_id));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return out;
}

Result<std::vector<InspectionRecord>> SqliteInspectionStore::list_inspections(
    const InspectionFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, round_id, institution_id, inspector, inspected_on, summary, actor, created_at "
      "FROM inspections WHERE (?1 = 0 OR round_id = ?1)" +
      in_clause("institution_id", f.institutions) + " ORDER BY inspected_on DESC, id DESC");
  st.bind(1, f.round_id);
  std::vector<InspectionRecord> out;
  std::map<int64_t, size_t> at;
  while (st.step()) {
    InspectionRecord r;
    r.id = st.int64(0);
    r.round_id = st.int64(1);
    r.institution_id = st.int64(2);
    r.inspector = st.text(3);
    r.inspected_on = st.text(4);
    r.summary = st.text(5);
    r.actor = st.text(6);
    r.created_at = st.text(7);
    at[r.id] = out.size();
    out.push_back(std::move(r));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list inspections");
  auto items = db_.reader.prepare(
      "SELECT inspection_id, item, passed, note FROM inspection_items ORDER BY inspection_id, "
      "position");
  while (items.step()) {
    auto it = at.find(items.int64(0));
    if (it != at.end())
      out[it->second].items.push_back({items.text(1), items.int64(2) != 0, items.text(3)});
  }
  if (items.rc() != SQLITE_DONE) return db_.reader.error("list checklist items");
  return out;
}

Result<int64_t> SqliteInspectionStore::add_finding(const FindingRecord& f) {
  AreaTx t(db_);
  {
    auto ins = t.c.prepare("SELECT institution_id FROM inspections WHERE id=?1");
    ins.bind(1, f.inspection_id);
    if (!ins.step()) {
      if (ins.rc() != SQLITE_DONE) return t.c.error("read inspection");
      return Status::NotFound("inspection: 没有该检查记录 (no such inspection)");
    }
    if (ins.int64(0) != f.institution_id)
      return Status::Invalid("institution: 与检查记录的学校不符 (not the inspected institution)");
  }
  auto id = insert_finding(t, f, f.created_at.empty() ? utc_now_iso() : f.created_at);
  if (!id.ok()) return id.status();
  FX_RETURN_IF_ERROR(t.tx.commit());
  return *id;
}

Result<std::vector<FindingRecord>> SqliteInspectionStore::list_findings(const InspectionFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kFindingColumns) + "WHERE (?1 = 0 OR i.round_id = ?1)" +
                               in_clause("f.institution_id", f.institutions) + " ORDER BY f.id");
  st.bind(1, f.round_id);
  std::vector<FindingRecord> out;
  while (st.step()) out.push_back(read_finding(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list findings");
  return out;
}

Result<FindingRecord> SqliteInspectionStore::get_finding(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kFindingColumns) + "WHERE f.id = ?1");
  st.bind(1, id);
  if (st.step()) return read_finding(st);
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read finding");
  return Status::NotFound("没有整改问题 " + std::to_string(id) + " (no finding " +
                          std::to_string(id) + ")");
}

Result<std::vector<FindingEvent>> SqliteInspectionStore::finding_history(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, finding_id, action, from_status, to_status, text, actor, at FROM "
      "finding_events WHERE finding_id = ?1 ORDER BY id");
  st.bind(1, id);
  std::vector<FindingEvent> out;
  std::map<int64_t, size_t> at;
  while (st.step()) {
    FindingEvent e;
    e.id = st.int64(0);
    e.finding_id = st.int64(1);
    e.action = st.text(2);
    e.from_status = st.text(3);
    e.to_status = st.text(4);
    e.text = st.text(5);
    e.actor = st.text(6);
    e.at = st.text(7);
    at[e.id] = out.size();
    out.push_back(std::move(e));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read finding history");
  auto files = db_.reader.prepare(
      "SELECT f.id, f.event_id, f.name, f.content_type, f.size, f.sha256 FROM finding_files f "
      "JOIN finding_events e ON e.id = f.event_id WHERE e.finding_id = ?1 ORDER BY f.id");
  files.bind(1, id);
  while (files.step()) {
    auto it = at.find(files.int64(1));
    if (it == at.end()) continue;
    EvidenceFile file;
    file.id = files.int64(0);
    file.name = files.text(2);
    file.content_type = files.text(3);
    file.size = files.int64(4);
    file.sha256 = files.text(5);
    out[it->second].files.push_back(std::move(file));
  }
  if (files.rc() != SQLITE_DONE) return db_.reader.error("read evidence files");
  return out;
}

Status SqliteInspectionStore::link_directive(int64_t finding_id, int64_t directive_id) {
  AreaTx t(db_);
  auto st = t.c.prepare("UPDATE inspection_findings SET directive_id=?2 WHERE id=?1");
  st.bind(1, finding_id).bind(2, directive_id);
  FX_RETURN_IF_ERROR(t.run(st, "link directive"));
  if (sqlite3_changes(t.c.get()) == 0) return Status::NotFound("没有该整改问题 (no such finding)");
  return t.tx.commit();
}

Status SqliteInspectionStore::move_finding(const FindingMove& m) {
  AreaTx t(db_);
  int64_t institution = 0;
  {
    auto cur = t.c.prepare("SELECT institution_id, status FROM inspection_findings WHERE id=?1");
    cur.bind(1, m.finding_id);
    if (!cur.step()) {
      if (cur.rc() != SQLITE_DONE) return t.c.error("read finding");
      return Status::NotFound("没有该整改问题 (no such finding)");
    }
    institution = cur.int64(0);
    if (cur.text(1) != m.from_status)
      return Status::Conflict("整改问题状态已变为 " + cur.text(1) + " (the finding is now " +
                              cur.text(1) + ")");
  }
  auto st = t.c.prepare(
      "UPDATE inspection_findings SET status=?2, updated_at=?3, closed_at=CASE WHEN ?2='closed' "
      "THEN ?3 ELSE '' END WHERE id=?1 AND status=?4");
  st.bind(1, m.finding_id).bind(2, m.to_status).bind(3, m.at).bind(4, m.from_status);
  FX_RETURN_IF_ERROR(t.run(st, "move finding"));
  FX_RETURN_IF_ERROR(add_event(t, m.finding_id, m.action, m.from_status, m.to_status, m.text,
                               m.actor, m.at, m.files));
  FX_RETURN_IF_ERROR(append(t, ("finding." + m.action).c_str(), institution, m.finding_id));
  return t.tx.commit();
}

Result<EvidenceFile> SqliteInspectionStore::evidence_file(int64_t file_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT f.id, f.name, f.content_type, f.size, f.sha256, f.data, e.finding_id FROM "
      "finding_files f JOIN finding_events e ON e.id = f.event_id WHERE f.id = ?1");
  st.bind(1, file_id);
  if (st.step()) {
    EvidenceFile f;
    f.id = st.int64(0);
    f.name = st.text(1);
    f.content_type = st.text(2);
    f.size = st.int64(3);
    f.sha256 = st.text(4);
    f.data = std::string(st.blob(5));
    f.finding_id = st.int64(6);
    return f;
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read evidence file");
  return Status::NotFound("没有该整改材料 (no such evidence file)");
}

Result<LetterRecord> SqliteInspectionStore::add_letter(const LetterRecord& in) {
  AreaTx t(db_);
  LetterRecord l = in;
  l.created_at = in.created_at.empty() ? utc_now_iso() : in.created_at;
  // The counter row is written first: under the store's one writer the
  // number is taken and the letter stored in the same transaction.
  auto num = t.c.prepare(
      "INSERT INTO letter_numbers (year, last) VALUES (?1, 1) ON CONFLICT (year) DO UPDATE SET "
      "last = last + 1 RETURNING last");
  num.bind(1, int64_t{l.year});
  if (!num.step()) return t.c.error("number the letter");
  l.number = static_cast<int>(num.int64(0));
  num.step();
  auto st = t.c.prepare(
      "INSERT INTO reminder_letters (year, number, institution_id, title, body, issued_on, actor, "
      "created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
  st.bind(1, int64_t{l.year}).bind(2, int64_t{l.number}).bind(3, l.institution_id);
  st.bind(4, l.title).bind(5, l.body).bind(6, l.issued_on).bind(7, l.actor).bind(8, l.created_at);
  FX_RETURN_IF_ERROR(t.run(st, "add reminder letter"));
  l.id = sqlite3_last_insert_rowid(t.c.get());
  auto link = t.c.prepare("INSERT INTO reminder_letter_findings VALUES (?1,?2)");
  for (int64_t f : l.finding_ids) {
    link.reset();
    link.bind(1, l.id).bind(2, f);
    FX_RETURN_IF_ERROR(t.run(link, "link letter to finding"));
  }
  FX_RETURN_IF_ERROR(append(t, "letter.issued", l.institution_id, l.id,
                            "{\"number\":" + std::to_string(l.number) + "}"));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return l;
}

Result<std::vector<LetterRecord>> SqliteInspectionStore::list_letters(const InspectionFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  auto st =
      db_.reader.prepare(std::string(kLetterColumns) + "WHERE 1=1" +
                         in_clause("institution_id", f.institutions) + " ORDER BY year, number");
  std::vector<LetterRecord> out;
  while (st.step()) out.push_back(read_letter(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list reminder letters");
  FX_RETURN_IF_ERROR(letter_findings(db_.reader, out));
  return out;
}

Result<LetterRecord> SqliteInspectionStore::get_letter(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kLetterColumns) + "WHERE id = ?1");
  st.bind(1, id);
  std::vector<LetterRecord> out;
  if (st.step()) out.push_back(read_letter(st));
  if (out.empty()) {
    if (st.rc() != SQLITE_DONE) return db_.reader.error("read reminder letter");
    return Status::NotFound("没有提醒函 " + std::to_string(id) + " (no letter " +
                            std::to_string(id) + ")");
  }
  FX_RETURN_IF_ERROR(letter_findings(db_.reader, out));
  return out[0];
}

Result<int64_t> SqliteInspectionStore::add_supervisor(const SupervisorRecord& s) {
  AreaTx t(db_);
  auto st = t.c.prepare(
      "INSERT INTO onsite_supervisors (name, organisation, institution_id, start_date, end_date, "
      "actor, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7)");
  st.bind(1, s.name).bind(2, s.organisation).bind(3, s.institution_id).bind(4, s.start_date);
  st.bind(5, s.end_date).bind(6, s.actor);
  st.bind(7, s.created_at.empty() ? utc_now_iso() : s.created_at);
  FX_RETURN_IF_ERROR(t.run(st, "assign on-site supervisor"));
  const int64_t id = sqlite3_last_insert_rowid(t.c.get());
  FX_RETURN_IF_ERROR(append(t, "supervisor.assigned", s.institution_id, id));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<SupervisorRecord>> SqliteInspectionStore::list_supervisors(
    const InspectionFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, name, organisation, institution_id, start_date, end_date, actor, created_at "
      "FROM onsite_supervisors WHERE 1=1" +
      in_clause("institution_id", f.institutions) + " ORDER BY id");
  std::vector<SupervisorRecord> out;
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.text(2), st.int64(3), st.text(4), st.text(5),
                   st.text(6), st.text(7)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list on-site supervisors");
  return out;
}

}  // namespace fx::store::sqlite
