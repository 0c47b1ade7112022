#include "store/postgres/pg_directive_store.h"

#include <unordered_map>

#include "store/postgres/pg_write_tx.h"
#include "store/store.h"

namespace fx::store::postgres {
namespace {

constexpr const char* kDirectiveColumns =
    "SELECT id, title, body, priority, deadline, sender, sender_group, source, source_id, "
    "created_at FROM directives ";

DirectiveRecord read_directive(const PgResult& r, int i) {
  DirectiveRecord d;
  d.id = r.int64(i, 0);
  d.title = r.text(i, 1);
  d.body = r.text(i, 2);
  d.priority = r.text(i, 3);
  d.deadline = r.text(i, 4);
  d.sender = r.text(i, 5);
  d.sender_group = r.text(i, 6);
  d.source = r.text(i, 7);
  d.source_id = r.int64(i, 8);
  d.created_at = r.text(i, 9);
  return d;
}

// One write transaction on the shared writer (PgWriteTx appends the change).
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

// The change-feed entry of one recipient's move, as in the SQLite store.
Status append(Tx& t, const std::string& kind, int64_t institution_id, int64_t directive_id,
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

Status add_event(Tx& t, const DirectiveEvent& e) {
  Params v;
  v.add(e.recipient_id).add(e.action).add(e.from_state).add(e.to_state).add(e.actor).add(e.at);
  v.add(e.note);
  auto r = t.q(
      "INSERT INTO directive_events (recipient_id, action, from_state, to_state, actor, at, note) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7)",
      v);
  return r.ok() ? Status::Ok() : r.status();
}

// The recipient locked for this transaction: its directive, institution and
// state now, and the directive's deadline.
struct Locked {
  int64_t directive_id = 0, institution_id = 0;
  std::string state, escalated_at, deadline;
};

Result<Locked> lock_recipient(Tx& t, int64_t recipient_id) {
  auto r =
      t.q("SELECT r.directive_id, COALESCE(r.institution_id, 0), r.state, r.escalated_at, "
          "d.deadline FROM "
          "directive_recipients r JOIN directives d ON d.id = r.directive_id WHERE r.id=$1 "
          "FOR UPDATE OF r",
          Params().add(recipient_id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::NotFound("没有该指令接收方 (no such directive recipient)");
  return Locked{r->int64(0, 0), r->int64(0, 1), r->text(0, 2), r->text(0, 3), r->text(0, 4)};
}

}  // namespace

Result<PgResult> PgDirectiveStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<std::vector<int64_t>> PgDirectiveStore::send(const std::vector<NewDirective>& list,
                                                    const std::string& actor) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  std::vector<int64_t> ids;
  for (const NewDirective& n : list) {
    const DirectiveRecord& d = n.directive;
    Params v;
    v.add(d.title).add(d.body).add(d.priority).add(d.deadline).add(d.sender).add(d.sender_group);
    v.add(d.source).add(d.source_id).add(d.created_at);
    auto ins = t.q(
        "INSERT INTO directives (title, body, priority, deadline, sender, sender_group, source, "
        "source_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
        v);
    if (!ins.ok()) return Status(ins.status().code(), "store directive: " + ins.status().message());
    const int64_t id = ins->int64(0, 0);
    ids.push_back(id);
    for (const auto& target : n.targets) {
      auto rec = t.q(
          "INSERT INTO directive_recipients (directive_id, institution_id, state, delivered_at, "
          "updated_at, kind, group_id, user_id) VALUES ($1,$2,'delivered',$3,$3,$4,$5,$6) "
          "RETURNING id",
          Params()
              .add(id)
              .add_or_null(target.institution_id)
              .add(d.created_at)
              .add(target.kind)
              .add_or_null(target.group_id)
              .add_or_null(target.user_id));
      if (!rec.ok() && rec.status().code() == Status::Code::already_exists)
        return Status::Invalid("recipients: 同一接收方重复 (a recipient is listed twice)");
      if (!rec.ok()) return rec.status();
      const int64_t rid = rec->int64(0, 0);
      if (!target.people.empty()) {
        // One statement for the people of a recipient: a round's missed list is long.
        std::string people = "{";
        for (size_t i = 0; i < target.people.size(); ++i)
          people += (i ? "," : "") + std::to_string(target.people[i]);
        people += "}";
        auto p = t.q(
            "INSERT INTO directive_people SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
            Params().add(rid).add(people));
        if (!p.ok()) return Status(p.status().code(), "list people: " + p.status().message());
      }
      FX_RETURN_IF_ERROR(add_event(t, {0, rid, "sent", "", "delivered", actor, d.created_at,
                                       std::to_string(target.people.size()) + " people"}));
      FX_RETURN_IF_ERROR(append(t, "directive.sent", target.institution_id, id, rid, d.created_at));
    }
  }
  FX_RETURN_IF_ERROR(t.tx.commit());
  return ids;
}

Result<DirectiveRecord> PgDirectiveStore::get(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kDirectiveColumns) + "WHERE id=$1", Params().add(id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0)
    return Status::NotFound("没有指令 " + std::to_string(id) + " (no directive " +
                            std::to_string(id) + ")");
  return read_directive(*r, 0);
}

Result<std::vector<DirectiveRecord>> PgDirectiveStore::list(const std::vector<int64_t>& ids) {
  std::vector<DirectiveRecord> out;
  for (int64_t id : ids) {
    auto d = get(id);
    if (!d.ok()) return d.status();
    out.push_back(std::move(*d));
  }
  return out;
}

Result<std::vector<DirectiveRecord>> PgDirectiveStore::list_all(int64_t institution_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kDirectiveColumns) +
                    "WHERE $1::bigint = 0 OR id IN (SELECT directive_id FROM directive_recipients "
                    "WHERE institution_id = $1) ORDER BY id DESC",
                Params().add(institution_id));
  if (!r.ok()) return r.status();
  std::vector<DirectiveRecord> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_directive(*r, i));
  return out;
}

Result<std::vector<RecipientRecord>> PgDirectiveStore::recipients(const RecipientFilter& f) {
  std::lock_guard lock(db_.read_mutex);
  Params v;
  v.add(f.directive_id).add(f.institution_id).add_bool(f.open_only).add(f.group_id).add(f.user_id);
  auto r = read(
      "SELECT id, directive_id, COALESCE(institution_id, 0), state, delivered_at, read_at, "
      "acknowledged_at, done_at, accepted_at, feedback, return_reason, returns, escalated_at, "
      "escalated_to, updated_at, kind, COALESCE(group_id, 0), COALESCE(user_id, 0) FROM "
      "directive_recipients WHERE ($1::bigint = 0 OR directive_id = $1) AND "
      "($2::bigint = 0 OR institution_id = $2) AND (NOT $3::boolean OR state IN "
      "('delivered','read','acknowledged')) AND ($4::bigint = 0 OR group_id = $4) AND "
      "($5::bigint = 0 OR user_id = $5) ORDER BY directive_id, id",
      v);
  if (!r.ok()) return r.status();
  std::vector<RecipientRecord> out;
  std::unordered_map<int64_t, size_t> at;
  for (int i = 0; i < r->rows(); ++i) {
    RecipientRecord x;
    x.id = r->int64(i, 0);
    x.directive_id = r->int64(i, 1);
    x.institution_id = r->int64(i, 2);
    x.state = r->text(i, 3);
    x.delivered_at = r->text(i, 4);
    x.read_at = r->text(i, 5);
    x.acknowledged_at = r->text(i, 6);
    x.done_at = r->text(i, 7);
    x.accepted_at = r->text(i, 8);
    x.feedback = r->text(i, 9);
    x.return_reason = r->text(i, 10);
    x.returns = static_cast<int>(r->int64(i, 11));
    x.escalated_at = r->text(i, 12);
    x.escalated_to = r->text(i, 13);
    x.updated_at = r->text(i, 14);
    x.kind = r->text(i, 15);
    x.group_id = r->int64(i, 16);
    x.user_id = r->int64(i, 17);
    at[x.id] = out.size();
    out.push_back(std::move(x));
  }
  if (out.empty()) return out;
  auto p = read(
      "SELECT p.recipient_id, p.person_id FROM directive_people p JOIN directive_recipients r ON "
      "r.id = p.recipient_id WHERE ($1::bigint = 0 OR r.directive_id = $1) AND ($2::bigint = 0 "
      "OR r.institution_id = $2) AND ($3::bigint = 0 OR r.group_id = $3) AND ($4::bigint = 0 OR "
      "r.user_id = $4) ORDER BY p.recipient_id, p.person_id",
      Params().add(f.directive_id).add(f.institution_id).add(f.group_id).add(f.user_id));
  if (!p.ok()) return p.status();
  for (int i = 0; i < p->rows(); ++i) {
    auto it = at.find(p->int64(i, 0));
    if (it != at.end()) out[it->second].people.push_back(p->int64(i, 1));
  }
  return out;
}

Result<std::vector<DirectiveEvent>> PgDirectiveStore::events(int64_t directive_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT e.id, e.recipient_id, e.action, e.from_state, e.to_state, e.actor, e.at, e.note "
      "FROM directive_events e JOIN directive_recipients r ON r.id = e.recipient_id WHERE "
      "r.directive_id = $1 ORDER BY e.id",
      Params().add(directive_id));
  if (!r.ok()) return r.status();
  std::vector<DirectiveEvent> out;
  for (int i = 0; i < r->rows(); ++i)
    out.push_back({r->int64(i, 0), r->int64(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4),
                   r->text(i, 5), r->text(i, 6), r->text(i, 7)});
  return out;
}

Status PgDirectiveStore::move(const RecipientMove& m) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  auto row = lock_recipient(t, m.recipient_id);
  if (!row.ok()) return row.status();
  if (row->state != m.from_state)
    return Status::Conflict("指令状态已被他人更改,请刷新 (the recipient changed meanwhile)");
  // The same clocks as the SQLite store: a return clears done_at so that the
  // completion clock measures the done that was finally accepted.
  Params v;
  v.add(m.recipient_id).add(m.action).add(m.to_state).add(m.at).add(m.note);
  auto u =
      t.q("UPDATE directive_recipients SET state=$3, updated_at=$4, "
          "read_at = CASE WHEN read_at='' AND $2::text IN ('read','ack') THEN $4 ELSE read_at END, "
          "acknowledged_at = CASE WHEN $2::text='ack' THEN $4 ELSE acknowledged_at END, "
          "done_at = CASE WHEN $2::text='done' THEN $4 WHEN $2::text='return' THEN '' ELSE done_at "
          "END, feedback = CASE WHEN $2::text='done' THEN $5 ELSE feedback END, "
          "accepted_at = CASE WHEN $2::text='accept' THEN $4 ELSE accepted_at END, "
          "return_reason = CASE WHEN $2::text='return' THEN $5 ELSE return_reason END, "
          "returns = returns + CASE WHEN $2::text='return' THEN 1 ELSE 0 END WHERE id=$1",
          v);
  if (!u.ok())
    return Status(u.status().code(), "move directive recipient: " + u.status().message());
  FX_RETURN_IF_ERROR(
      add_event(t, {0, m.recipient_id, m.action, m.from_state, m.to_state, m.actor, m.at, m.note}));
  FX_RETURN_IF_ERROR(append(t, "directive." + m.action, row->institution_id, row->directive_id,
                            m.recipient_id, m.at));
  return t.tx.commit();
}

Result<bool> PgDirectiveStore::escalate(int64_t recipient_id, const std::string& to,
                                        const std::string& at, const std::string& actor) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  auto row = lock_recipient(t, recipient_id);
  if (!row.ok()) return row.status();
  const bool open =
      row->state == "delivered" || row->state == "read" || row->state == "acknowledged";
  if (!open || !row->escalated_at.empty() || row->deadline.empty() || !(row->deadline < at))
    return false;
  auto u = t.q(
      "UPDATE directive_recipients SET escalated_at=$2, escalated_to=$3, updated_at=$2 WHERE id=$1",
      Params().add(recipient_id).add(at).add(to));
  if (!u.ok()) return u.status();
  FX_RETURN_IF_ERROR(add_event(t, {0, recipient_id, "escalate", "", "", actor, at, to}));
  FX_RETURN_IF_ERROR(
      append(t, "directive.escalated", row->institution_id, row->directive_id, recipient_id, at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return true;
}

}  // namespace fx::store::postgres

namespace fx::store::postgres {
namespace {

constexpr const char* kFileColumns =
    "SELECT id, directive_id, COALESCE(recipient_id, 0), name, content_type, size, sha256, "
    "uploaded_by, uploaded_at";

DirectiveFile read_file(const PgResult& r, int i) {
  DirectiveFile f;
  f.id = r.int64(i, 0);
  f.directive_id = r.int64(i, 1);
  f.recipient_id = r.int64(i, 2);
  f.name = r.text(i, 3);
  f.content_type = r.text(i, 4);
  f.size = r.int64(i, 5);
  f.sha256 = r.text(i, 6);
  f.uploaded_by = r.text(i, 7);
  f.uploaded_at = r.text(i, 8);
  return f;
}

}  // namespace

Result<int64_t> PgDirectiveStore::add_file(const DirectiveFile& f) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  int64_t institution_id = 0;
  if (f.recipient_id) {
    auto row = lock_recipient(t, f.recipient_id);
    if (!row.ok()) return row.status();
    if (row->directive_id != f.directive_id)
      return Status::Invalid("recipient: 不属于该指令 (not a recipient of this directive)");
    institution_id = row->institution_id;
  }
  Params v;
  v.add(f.directive_id).add_or_null(f.recipient_id).add(f.name).add(f.content_type);
  v.add(static_cast<int64_t>(f.data.size())).add(f.sha256).add_bytes(f.data.data(), f.data.size());
  v.add(f.uploaded_by).add(f.uploaded_at);
  auto ins = t.q(
      "INSERT INTO directive_files (directive_id, recipient_id, name, content_type, size, sha256, "
      "data, uploaded_by, uploaded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
      v);
  if (!ins.ok())
    return Status(ins.status().code(), "store directive file: " + ins.status().message());
  const int64_t id = ins->int64(0, 0);
  FX_RETURN_IF_ERROR(
      append(t, "directive.file", institution_id, f.directive_id, f.recipient_id, f.uploaded_at));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Result<std::vector<DirectiveFile>> PgDirectiveStore::files(int64_t directive_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r =
      read(std::string(kFileColumns) + " FROM directive_files WHERE directive_id=$1 ORDER BY id",
           Params().add(directive_id));
  if (!r.ok()) return r.status();
  std::vector<DirectiveFile> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_file(*r, i));
  return out;
}

Result<DirectiveFile> PgDirectiveStore::get_file(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto r =
      read(std::string(kFileColumns) + ", data FROM directive_files WHERE id=$1", Params().add(id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0)
    return Status::NotFound("没有附件 " + std::to_string(id) + " (no attachment " +
                            std::to_string(id) + ")");
  DirectiveFile f = read_file(*r, 0);
  f.data = r->bytes(0, 9);
  return f;
}

}  // namespace fx::store::postgres
