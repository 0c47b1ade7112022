#include "store/sqlite/sqlite_org_store.h"

#include "domain/phone.h"
#include "store/sqlite/area_tx.h"
#include "store/store.h"

namespace fx::store::sqlite {
namespace {

constexpr const char* kMemberColumns =
    "SELECT id, group_id, name, title, is_lead, phone_masked, COALESCE(user_id, 0), updated_at, "
    "updated_by FROM org_members ";

OrgMember read_member(const Statement& st) {
  OrgMember m;
  m.id = st.int64(0);
  m.group_id = st.int64(1);
  m.name = st.text(2);
  m.title = st.text(3);
  m.lead = st.int64(4) != 0;
  m.phone_masked = st.text(5);
  m.user_id = st.int64(6);
  m.updated_at = st.text(7);
  m.updated_by = st.text(8);
  return m;
}

// A phone sealed for the row and masked for lists; both empty for none.
void bind_phone(Statement& st, int sealed_at, const Vault& vault, const std::string& phone) {
  if (phone.empty()) {
    st.bind_null(sealed_at).bind(sealed_at + 1,
                                 std::string(""));  // NOT NULL: an empty view binds NULL
    return;
  }
  const std::string sealed = vault.seal(phone);
  st.bind_blob(sealed_at, sealed.data(), sealed.size());
  st.bind(sealed_at + 1, domain::mask_phone(phone));
}

void bind_user(Statement& st, int at, int64_t user_id) {
  if (user_id)
    st.bind(at, user_id);
  else
    st.bind_null(at);
}

Status append(AreaTx& t, const char* kind, int64_t institution_id, int64_t subject,
              const std::string& action, const std::string& at) {
  Change ch;
  ch.at = at;
  ch.kind = kind;
  ch.institution_id = institution_id;
  ch.subject_id = subject;
  ch.detail = "{\"action\":\"" + action + "\"}";  // a fixed code: no escaping needed
  auto seq = t.tx.append_change(ch);
  return seq.ok() ? Status::Ok() : seq.status();
}

// Constraint errors as the caller's mistake, naming what was wrong.
Status explain(Status s, const char* what) {
  if (s.code() == Status::Code::already_exists)
    return Status::Invalid(std::string(what) + ": " + s.message());
  return s;
}

}  // namespace

Result<std::vector<OrgGroup>> SqliteOrgStore::groups() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare("SELECT id, name, duty FROM org_groups ORDER BY id");
  std::vector<OrgGroup> out;
  while (st.step()) out.push_back({st.int64(0), st.text(1), st.text(2)});
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list task groups");
  return out;
}

Result<std::vector<OrgMember>> SqliteOrgStore::members(int64_t group_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kMemberColumns) +
                               "WHERE ?1 = 0 OR group_id = ?1 ORDER BY group_id, is_lead DESC, id");
  st.bind(1, group_id);
  std::vector<OrgMember> out;
  while (st.step()) out.push_back(read_member(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list group members");
  return out;
}

Result<OrgMember> SqliteOrgStore::get_member(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kMemberColumns) + "WHERE id = ?1");
  st.bind(1, id);
  if (st.step()) return read_member(st);
  if (st.rc() != SQLITE_DONE) return db_.reader.error("read group member");
  return Status::NotFound("没有成员 " + std::to_string(id) + " (no group member " +
                          std::to_string(id) + ")");
}

Result<int64_t> SqliteOrgStore::put_member(const OrgMember& m, const std::string& actor) {
  AreaTx t(db_);
  const std::string now = utc_now_iso();
  if (m.lead) {
    // The lead moves: whoever had it in this group is a member from now on.
    auto clear = t.c.prepare(
        "UPDATE org_members SET is_lead = 0, updated_at = ?2, updated_by = ?3 WHERE group_id = ?1 "
        "AND is_lead = 1 AND id <> ?4");
    clear.bind(1, m.group_id).bind(2, now).bind(3, actor).bind(4, m.id);
    FX_RETURN_IF_ERROR(t.run(clear, "move the group lead"));
  }
  int64_t id = m.id;
  if (id == 0) {
    auto ins = t.c.prepare(
        "INSERT INTO org_members (group_id, name, title, is_lead, phone_sealed, phone_masked, "
        "user_id, updated_at, updated_by) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    ins.bind(1, m.group_id).bind(2, m.name).bind(3, m.title).bind(4, int64_t{m.lead ? 1 : 0});
    bind_phone(ins, 5, db_.vault, m.phone);
    bind_user(ins, 7, m.user_id);
    ins.bind(8, now).bind(9, actor);
    FX_RETURN_IF_ERROR(explain(t.run(ins, "add group member"), "member"));
    id = sqlite3_last_insert_rowid(t.c.get());
  } else {
    auto up = t.c.prepare(
        "UPDATE org_members SET group_id=?1, name=?2, title=?3, is_lead=?4, phone_sealed=?5, "
        "phone_masked=?6, user_id=?7, updated_at=?8, updated_by=?9 WHERE id=?10");
    up.bind(1, m.group_id).bind(2, m.name).bind(3, m.title).bind(4, int64_t{m.lead ? 1 : 0});
    bind_phone(up, 5, db_.vault, m.phone);
    bind_user(up, 7, m.user_id);
    up.bind(8, now).bind(9, actor).bind(10, m.id);
    FX_RETURN_IF_ERROR(explain(t.run(up, "update group member"), "member"));
    if (sqlite3_changes(t.c.get()) == 0)
      return Status::NotFound("没有成员 " + std::to_string(m.id) + " (no group member " +
                              std::to_string(m.id) + ")");
  }
  FX_RETURN_IF_ERROR(append(t, "org.member", 0, id, m.id ? "updated" : "added", now));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Status SqliteOrgStore::remove_member(int64_t id, const std::string& actor) {
  (void)actor;  // the change feed keeps when; the app's audit keeps who
  AreaTx t(db_);
  auto del = t.c.prepare("DELETE FROM org_members WHERE id = ?1");
  del.bind(1, id);
  FX_RETURN_IF_ERROR(t.run(del, "remove group member"));
  if (sqlite3_changes(t.c.get()) == 0)
    return Status::NotFound("没有成员 " + std::to_string(id) + " (no group member " +
                            std::to_string(id) + ")");
  FX_RETURN_IF_ERROR(append(t, "org.member", 0, id, "removed", utc_now_iso()));
  return t.tx.commit();
}

Result<std::vector<OrgLiaison>> SqliteOrgStore::liaisons() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, institution_id, name, phone_masked, COALESCE(user_id, 0), updated_at, "
      "updated_by FROM org_liaisons ORDER BY institution_id");
  std::vector<OrgLiaison> out;
  while (st.step()) {
    OrgLiaison l;
    l.id = st.int64(0);
    l.institution_id = st.int64(1);
    l.name = st.text(2);
    l.phone_masked = st.text(3);
    l.user_id = st.int64(4);
    l.updated_at = st.text(5);
    l.updated_by = st.text(6);
    out.push_back(std::move(l));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list liaisons");
  return out;
}

Result<int64_t> SqliteOrgStore::put_liaison(const OrgLiaison& l, const std::string& actor) {
  AreaTx t(db_);
  const std::string now = utc_now_iso();
  auto up = t.c.prepare(
      "INSERT INTO org_liaisons (institution_id, name, phone_sealed, phone_masked, user_id, "
      "updated_at, updated_by) VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT (institution_id) DO "
      "UPDATE SET name=excluded.name, phone_sealed=excluded.phone_sealed, "
      "phone_masked=excluded.phone_masked, user_id=excluded.user_id, "
      "updated_at=excluded.updated_at, updated_by=excluded.updated_by");
  up.bind(1, l.institution_id).bind(2, l.name);
  bind_phone(up, 3, db_.vault, l.phone);
  bind_user(up, 5, l.user_id);
  up.bind(6, now).bind(7, actor);
  FX_RETURN_IF_ERROR(explain(t.run(up, "assign liaison"), "liaison"));
  auto id = t.c.prepare("SELECT id FROM org_liaisons WHERE institution_id = ?1");
  id.bind(1, l.institution_id);
  if (!id.step()) return t.c.error("read liaison");
  const int64_t lid = id.int64(0);
  FX_RETURN_IF_ERROR(append(t, "org.liaison", l.institution_id, lid, "assigned", now));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return lid;
}

Status SqliteOrgStore::remove_liaison(int64_t institution_id, const std::string& actor) {
  (void)actor;
  AreaTx t(db_);
  auto del = t.c.prepare("DELETE FROM org_liaisons WHERE institution_id = ?1");
  del.bind(1, institution_id);
  FX_RETURN_IF_ERROR(t.run(del, "remove liaison"));
  if (sqlite3_changes(t.c.get()) == 0)
    return Status::NotFound("该校没有联络员 (the institution has no liaison)");
  FX_RETURN_IF_ERROR(append(t, "org.liaison", institution_id, 0, "removed", utc_now_iso()));
  return t.tx.commit();
}

}  // namespace fx::store::sqlite
