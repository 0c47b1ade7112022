#include "store/sqlite/sqlite_directive_store.h"

#include <map>

#include "store/sqlite/area_tx.h"
#include "store/store.h"

namespace fx::store::sqlite {
namespace {

constexpr const char* kDirectiveColumns =
    "SELECT id, title, body, priority, deadline, sender, sender_group, source, source_id, "
    "created_at FROM directives ";

DirectiveRecord read_directive(const Statement& st) {
  DirectiveRecord d;
  d.id = st.int64(0);
  d.title = st.text(1);
  d.body = st.text(2);
  d.priority = st.text(3);
  d.deadline = st.text(4);
  d.sender = st.text(5);
  d.sender_group = st.text(6);
  d.source = st.text(7);
  d.source_id = st.int64(8);
  d.created_at = st.text(9);
  return d;
}

// The change-feed entry of one recipient's move: numbers and fixed codes
// only, so the detail needs no escaping.
Status append(AreaTx& t, const std::string& kind, int64_t institution_id, int64_t directive_id,
              int64_t recipient_id, const std::string& at) {
  Change ch;
  ch.at = at;
  ch.kind = kind;
  ch.institution_id = institution_id;
  ch.subject_id = directive_id;
  ch.detail = "{\"recipient_id\":" + std::to_string(recipient_id) + "}";
  auto seq = t.tx.append_change(ch);
  return seq.ok() ? Status::Ok() : seq.status();
}

Status add_event(AreaTx& t, const DirectiveEvent& e) {
  auto st = t.c.prepare(
      "INSERT INTO directive_events (recipient_id, action, from_state, to_state, actor, at, note) "
      "VALUES (?1,?2,?3,?4,?5,?6,?7)");
  st.bind(1, e.recipient_id).bind(2, e.action).bind(3, e.from_state).bind(4, e.to_state);
  st.bind(5, e.actor).bind(6, e.at).bind(7, e.note);
  return t.run(st, "append directive event");
}

// Where a recipient is now: its directive and institution (for the feed).
struct Where {
  int64_t directive_id = 0, institution_id = 0;
};

Result<Where> where_of(Connection& c, int64_t recipient_id) {
  auto st = c.prepare(
      "SELECT directive_id, COALESCE(institution_id, 0) FROM directive_recipients WHERE id=?1");
  st.bind(1, recipient_id);
  if (st.step()) return Where{st.int64(0), st.int64(1)};
  if (st.rc() != SQLITE_DONE) return c.error("read directive recipient");
  return Status::NotFound("没有该指令接收方 (no such directive recipient)");
}

}  // namespace

Result<std::vector<int64_t>> SqliteDirectiveStore::send(const std::vector<NewDirective>& list,
                                                        const std::string& actor) {
  AreaTx t(db_);
  std::vector<int64_t> ids;
  auto ins = t.c.prepare(
      "INSERT INTO directives (title, body, priority, deadline, sender, sender_group, source, "
      "source_id, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  auto rec = t.c.prepare(
      "INSERT INTO directive_recipients (directive_id, institution_id, state, delivered_at, "
      "updated_at, kind, group_id, user_id) VALUES (?1,?2,'delivered',?3,?3,?4,?5,?6)");
  auto person = t.c.prepare("INSERT INTO directive_people VALUES (?1,?2)");
  for (const NewDirective& n : list) {
    const DirectiveRecord& d = n.directive;
    ins.reset();
    ins.bind(1, d.title).bind(2, d.body).bind(3, d.priority).bind(4, d.deadline);
    ins.bind(5, d.sender).bind(6, d.sender_group).bind(7, d.source).bind(8, d.source_id);
    ins.bind(9, d.created_at);
    FX_RETURN_IF_ERROR(t.run(ins, "store directive"));
    const int64_t id = sqlite3_last_insert_rowid(t.c.get());
    ids.push_back(id);
    for (const auto& target : n.targets) {
      rec.reset();
      rec.bind(1, id).bind(3, d.created_at).bind(4, target.kind);
      // 0 is "not this kind": NULL, so the CHECK and the unique indexes see it.
      auto id_or_null = [&rec](int col, int64_t v) { v ? rec.bind(col, v) : rec.bind_null(col); };
      id_or_null(2, target.institution_id);
      id_or_null(5, target.group_id);
      id_or_null(6, target.user_id);
      Status s = t.run(rec, "store directive recipient");
      if (s.code() == Status::Code::already_exists)
        return Status::Invalid("recipients: 同一接收方重复 (a recipient is listed twice)");
      FX_RETURN_IF_ERROR(s);
      const int64_t rid = sqlite3_last_insert_rowid(t.c.get());
      for (int64_t p : target.people) {
        person.reset();
        person.bind(1, rid).bind(2, p);
        FX_RETURN_IF_ERROR(t.run(person, "list person on directive"));
      }
      FX_RETURN_IF_ERROR(add_event(t, {0, rid, "sent", "", "delivered", actor, d.created_at,
                                       std::to_string(target.people.size()) + " people"}));
      FX_RETURN_IF_ERROR(append(t, "directive.sent", target.institution_id, id, rid, d.created_at));
    }
  }
  FX_RETURN_IF_ERROR(t.tx.commit());
  return ids;
}

Result<DirectiveRecord> SqliteDirectiveStore::get(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kDirectiveColumns) + "WHERE id=?1");
  st.bind(1, id);
  if (st.step()) return read_directive(st);
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read directive");
  return Status::NotFound("没有指令 " + std::to_string(id) + " (no directive " +
                          std::to_string(id) + ")");
}

Result<std::vector<DirectiveRecord>> SqliteDirectiveStore::list(const std::vector<int64_t>& ids) {
  std::vector<DirectiveRecord> out;
  for (int64_t id : ids) {
    auto d = get(id);
    if (!d.ok()) return d.status();
    out.push_back(std::move(*d));
  }
  return out;
}

Result<std::vector<DirectiveRecord>> SqliteDirectiveStore::list_all(int64_t institution_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      std::string(kDirectiveColumns) +
      "WHERE ?1 = 0 OR id IN (SELECT directive_id FROM directive_recipients WHERE "
      "institution_id = ?1) ORDER BY id DESC");
  st.bind(1, institution_id);
  std::vector<DirectiveRecord> out;
  while (st.step()) out.push_back(read_directive(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list directives");
  return out;
}

Result<std::vector<RecipientRecord>> SqliteDirectiveStore::recipients(const RecipientFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, directive_id, COALESCE(institution_id, 0), state, delivered_at, read_at, "
      "acknowledged_at, done_at, accepted_at, feedback, return_reason, returns, escalated_at, "
      "escalated_to, updated_at, kind, COALESCE(group_id, 0), COALESCE(user_id, 0) FROM "
      "directive_recipients WHERE (?1 = 0 OR directive_id = ?1) AND (?2 = 0 OR "
      "institution_id = ?2) AND (?3 = 0 OR state IN ('delivered','read','acknowledged')) "
      "AND (?4 = 0 OR group_id = ?4) AND (?5 = 0 OR user_id = ?5) ORDER BY directive_id, id");
  st.bind(1, f.directive_id).bind(2, f.institution_id).bind(3, int64_t{f.open_only ? 1 : 0});
  st.bind(4, f.group_id).bind(5, f.user_id);
  std::vector<RecipientRecord> out;
  std::map<int64_t, size_t> at;
  while (st.step()) {
    RecipientRecord r;
    r.id = st.int64(0);
    r.directive_id = st.int64(1);
    r.institution_id = st.int64(2);
    r.state = st.text(3);
    r.delivered_at = st.text(4);
    r.read_at = st.text(5);
    r.acknowledged_at = st.text(6);
    r.done_at = st.text(7);
    r.accepted_at = st.text(8);
    r.feedback = st.text(9);
    r.return_reason = st.text(10);
    r.returns = static_cast<int>(st.int64(11));
    r.escalated_at = st.text(12);
    r.escalated_to = st.text(13);
    r.updated_at = st.text(14);
    r.kind = st.text(15);
    r.group_id = st.int64(16);
    r.user_id = st.int64(17);
    at[r.id] = out.size();
    out.push_back(std::move(r));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list directive recipients");
  if (out.empty()) return out;
  auto people = db_.reader.prepare(
      "SELECT p.recipient_id, p.person_id FROM directive_people p JOIN directive_recipients r ON "
      "r.id = p.recipient_id WHERE (?1 = 0 OR r.directive_id = ?1) AND (?2 = 0 OR "
      "r.institution_id = ?2) AND (?3 = 0 OR r.group_id = ?3) AND (?4 = 0 OR r.user_id = ?4) "
      "ORDER BY p.recipient_id, p.person_id");
  people.bind(1, f.directive_id).bind(2, f.institution_id).bind(3, f.group_id).bind(4, f.user_id);
  while (people.step()) {
    auto it = at.find(people.int64(0));
    if (it != at.end()) out[it->second].people.push_back(people.int64(1));
  }
  if (people.rc() != SQLITE_DONE) return db_.reader.error("list directive people");
  return out;
}

Result<std::vector<DirectiveEvent>> SqliteDirectiveStore::events(int64_t directive_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT e.id, e.recipient_id, e.action, e.from_state, e.to_state, e.actor, e.at, e.note "
      "FROM directive_events e JOIN directive_recipients r ON r.id = e.recipient_id WHERE "
      "r.directive_id = ?1 ORDER BY e.id");
  st.bind(1, directive_id);
  std::vector<DirectiveEvent> out;
  while (st.step())
    out.push_back({st.int64(0), st.int64(1), st.text(2), st.text(3), st.text(4), st.text(5),
                   st.text(6), st.text(7)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list directive events");
  return out;
}

Status SqliteDirectiveStore::move(const RecipientMove& m) {
  AreaTx t(db_);
  auto where = where_of(t.c, m.recipient_id);
  if (!where.ok()) return where.status();
  // Each action stamps its own clock; a return clears done_at so that the
  // completion clock measures the done that was finally accepted.
  auto st = t.c.prepare(
      "UPDATE directive_recipients SET state=?3, updated_at=?4, "
      "read_at = CASE WHEN read_at='' AND ?2 IN ('read','ack') THEN ?4 ELSE read_at END, "
      "acknowledged_at = CASE WHEN ?2='ack' THEN ?4 ELSE acknowledged_at END, "
      "done_at = CASE WHEN ?2='done' THEN ?4 WHEN ?2='return' THEN '' ELSE done_at END, "
      "feedback = CASE WHEN ?2='done' THEN ?5 ELSE feedback END, "
      "accepted_at = CASE WHEN ?2='accept' THEN ?4 ELSE accepted_at END, "
      "return_reason = CASE WHEN ?2='return' THEN ?5 ELSE return_reason END, "
      "returns = returns + (?2='return') WHERE id=?1 AND state=?6");
  st.bind(1, m.recipient_id).bind(2, m.action).bind(3, m.to_state).bind(4, m.at);
  st.bind(5, m.note).bind(6, m.from_state);
  FX_RETURN_IF_ERROR(t.run(st, "move directive recipient"));
  if (sqlite3_changes(t.c.get()) == 0)
    return Status::Conflict("指令状态已被他人更改,请刷新 (the recipient changed meanwhile)");
  FX_RETURN_IF_ERROR(
      add_event(t, {0, m.recipient_id, m.action, m.from_state, m.to_state, m.actor, m.at, m.note}));
  FX_RETURN_IF_ERROR(append(t, "directive." + m.action, where->institution_id, where->directive_id,
                            m.recipient_id, m.at));
  return t.tx.commit();
}

Result<bool> SqliteDirectiveStore::escalate(int64_t recipient_id, const std::string& to,
                                            const std::string& at, const std::string& actor) {
  AreaTx t(db_);
  auto where = where_of(t.c, recipient_id);
  if (!where.ok()) return where.status();
  auto st = t.c.prepare(
      "UPDATE directive_recipients SET escalated_at=?2, escalated_to=?3, updated_at=?2 WHERE "
      "id=?1 AND escalated_at='' AND state IN ('delivered','read','acknowledged') AND "
      "(SELECT deadline FROM directives d WHERE d.id = directive_id) NOT IN ('') AND "
      "(SELECT deadline FROM directives d WHERE d.id = directive_id) < ?2");
  st.bind(1, recipient_id).bind(2, at).bind(3, to);
  FX_RETURN_IF_ERROR(t.run(st, "escalate directive recipient"));
  if (sqlite3_changes(t.c.get()) == 0) return false;
  FX_RETURN_IF_ERROR(add_event(t, {0, recipient_id, "escalate", "", "", actor, at, to}));
  FX_RETURN_IF_ERROR(append(t, "directive.escalated", where->institution_id, where->directive_id,
                            recipient_id, at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return true;
}

}  // namespace fx::store::sqlite

namespace fx::store::sqlite {
namespace {

constexpr const char* kFileColumns =
    "SELECT id, directive_id, COALESCE(recipient_id, 0), name, content_type, size, sha256, "
    "uploaded_by, uploaded_at FROM directive_files ";

DirectiveFile read_file(const Statement& st) {
  DirectiveFile f;
  f.id = st.int64(0);
  f.directive_id = st.int64(1);
  f.recipient_id = st.int64(2);
  f.name = st.text(3);
  f.content_type = st.text(4);
  f.size = st.int64(5);
  f.sha256 = st.text(6);
  f.uploaded_by = st.text(7);
  f.uploaded_at = st.text(8);
  return f;
}

}  // namespace

Result<int64_t> SqliteDirectiveStore::add_file(const DirectiveFile& f) {
  AreaTx t(db_);
  int64_t institution_id = 0;
  if (f.recipient_id) {
    auto where = where_of(t.c, f.recipient_id);
    if (!where.ok()) return where.status();
    if (where->directive_id != f.directive_id)
      return Status::Invalid("recipient: 不属于该指令 (not a recipient of this directive)");
    institution_id = where->institution_id;
  }
  auto ins = t.c.prepare(
      "INSERT INTO directive_files (directive_id, recipient_id, name, content_type, size, "
      "sha256, data, uploaded_by, uploaded_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  ins.bind(1, f.directive_id);
  if (f.recipient_id)
    ins.bind(2, f.recipient_id);
  else
    ins.bind_null(2);
  ins.bind(3, f.name).bind(4, f.content_type).bind(5, static_cast<int64_t>(f.data.size()));
  ins.bind(6, f.sha256).bind_blob(7, f.data.data(), f.data.size());
  ins.bind(8, f.uploaded_by).bind(9, f.uploaded_at);
  FX_RETURN_IF_ERROR(t.run(ins, "store directive file"));
  const int64_t id = sqlite3_last_insert_rowid(t.c.get());
  FX_RETURN_IF_ERROR(
      append(t, "directive.file", institution_id, f.directive_id, f.recipient_id, f.uploaded_at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<DirectiveFile>> SqliteDirectiveStore::files(int64_t directive_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kFileColumns) + "WHERE directive_id=?1 ORDER BY id");
  st.bind(1, directive_id);
  std::vector<DirectiveFile> out;
  while (st.step()) out.push_back(read_file(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list directive files");
  return out;
}

Result<DirectiveFile> SqliteDirectiveStore::get_file(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, directive_id, COALESCE(recipient_id, 0), name, content_type, size, sha256, "
      "uploaded_by, uploaded_at, data FROM directive_files WHERE id=?1");
  st.bind(1, id);
  if (st.step()) {
    DirectiveFile f = read_file(st);
    f.data = std::string(st.blob(9));
    return f;
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read directive file");
  return Status::NotFound("没有附件 " + std::to_string(id) + " (no attachment " +
                          std::to_string(id) + ")");
}

}  // namespace fx::store::sqlite
