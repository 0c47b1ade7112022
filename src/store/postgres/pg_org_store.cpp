#include "store/postgres/pg_org_store.h"

#include "domain/phone.h"
#include "store/postgres/pg_write_tx.h"
#include "store/store.h"

namespace fx::store::postgres {
namespace {

constexpr const char* kMemberColumns =
    "SELECT id, group_id, name, title, is_lead, phone_masked, COALESCE(user_id, 0), updated_at, "
    "updated_by FROM org_members ";

OrgMember read_member(const PgResult& r, int i) {
  OrgMember m;
  m.id = r.int64(i, 0);
  m.group_id = r.int64(i, 1);
  m.name = r.text(i, 2);
  m.title = r.text(i, 3);
  m.lead = r.boolean(i, 4);
  m.phone_masked = r.text(i, 5);
  m.user_id = r.int64(i, 6);
  m.updated_at = r.text(i, 7);
  m.updated_by = r.text(i, 8);
  return m;
}

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

// A phone sealed for the row and masked for lists; NULL and "" for none.
void add_phone(Params& v, const Vault& vault, const std::string& phone) {
  if (phone.empty()) {
    v.add_null().add("");
    return;
  }
  const std::string sealed = vault.seal(phone);
  v.add_bytes(sealed.data(), sealed.size()).add(domain::mask_phone(phone));
}

Status append(Tx& t, const char* kind, int64_t institution_id, int64_t subject,
              const std::string& action, const std::string& at) {
  Change ch;
  ch.at = at;
  ch.kind = kind;
  ch.institution_id = institution_id;
  ch.subject_id = subject;
  ch.detail = "{\"action\":\"" + action + "\"}";
  auto seq = t.tx.append_change(ch);
  return seq.ok() ? Status::Ok() : seq.status();
}

Status explain(const Status& s, const char* what) {
  if (s.code() == Status::Code::already_exists)
    return Status::Invalid(std::string(what) + ": " + s.message());
  return s;
}

}  // namespace

Result<PgResult> PgOrgStore::read(const std::string& sql, const Params& params) {
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<std::vector<OrgGroup>> PgOrgStore::groups() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read("SELECT id, name, duty FROM org_groups ORDER BY id");
  if (!r.ok()) return r.status();
  std::vector<OrgGroup> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back({r->int64(i, 0), r->text(i, 1), r->text(i, 2)});
  return out;
}

Result<std::vector<OrgMember>> PgOrgStore::members(int64_t group_id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kMemberColumns) +
                    "WHERE $1::bigint = 0 OR group_id = $1 ORDER BY group_id, is_lead DESC, id",
                Params().add(group_id));
  if (!r.ok()) return r.status();
  std::vector<OrgMember> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_member(*r, i));
  return out;
}

Result<OrgMember> PgOrgStore::get_member(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(std::string(kMemberColumns) + "WHERE id = $1", Params().add(id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0)
    return Status::NotFound("没有成员 " + std::to_string(id) + " (no group member " +
                            std::to_string(id) + ")");
  return read_member(*r, 0);
}

Result<int64_t> PgOrgStore::put_member(const OrgMember& m, const std::string& actor) {
  Tx t(db_);
  FX_RETURN_IF_ERROR(t.started);
  const std::string now = utc_now_iso();
  if (m.lead) {
    // The group's rows locked first: two nodes naming a lead at once take turns.
    auto lock = t.q("SELECT id FROM org_members WHERE group_id = $1 ORDER BY id FOR UPDATE",
                    Params().add(m.group_id));
    if (!lock.ok()) return lock.status();
    auto clear =
        t.q("UPDATE org_members SET is_lead = false, updated_at = $2, updated_by = $3 WHERE "
            "group_id = $1 AND is_lead AND id <> $4",
            Params().add(m.group_id).add(now).add(actor).add(m.id));
    if (!clear.ok()) return clear.status();
  }
  Params v;
  v.add(m.group_id).add(m.name).add(m.title).add_bool(m.lead);
  add_phone(v, db_.vault, m.phone);
  v.add_or_null(m.user_id).add(now).add(actor);
  int64_t id = m.id;
  if (id == 0) {
    auto ins =
        t.q("INSERT INTO org_members (group_id, name, title, is_lead, phone_sealed, phone_masked, "
            "user_id, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
            v);
    if (!ins.ok()) return explain(ins.status(), "member");
    id = ins->int64(0, 0);
  } else {
    v.add(m.id);
    auto up =
        t.q("UPDATE org_members SET group_id=$1, name=$2, title=$3, is_lead=$4, phone_sealed=$5, "
            "phone_masked=$6, user_id=$7, updated_at=$8, updated_by=$9 WHERE id=$10",
            v);
    if (!up.ok()) return explain(up.status(), "member");
    if (up->affected() == 0)
      return Status::NotFound("没有成员 " + std::to_string(m.id) + " (no group member " +
                              std::to_string(m.id) + ")");
  }
  FX_RETURN_IF_ERROR(append(t, "org.member", 0, id, m.id ? "updated" : "added", now));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Status PgOrgStore::remove_member(int64_t id, const std::string& actor) {
  (void)actor;  // the change feed keeps when; the app's audit keeps who
  Tx t(db_);
  auto del = t.q("DELETE FROM org_members WHERE id = $1", Params().add(id));
  if (!del.ok()) return del.status();
  if (del->affected() == 0)
    return Status::NotFound("没有成员 " + std::to_string(id) + " (no group member " +
                            std::to_string(id) + ")");
  FX_RETURN_IF_ERROR(append(t, "org.member", 0, id, "removed", utc_now_iso()));
  return t.tx.commit();
}

Result<std::vector<OrgLiaison>> PgOrgStore::liaisons() {
  std::lock_guard lock(db_.read_mutex);
  auto r = read(
      "SELECT id, institution_id, name, phone_masked, COALESCE(user_id, 0), updated_at, "
      "updated_by FROM org_liaisons ORDER BY institution_id");
  if (!r.ok()) return r.status();
  std::vector<OrgLiaison> out;
  for (int i = 0; i < r->rows(); ++i) {
    OrgLiaison l;
    l.id = r->int64(i, 0);
    l.institution_id = r->int64(i, 1);
    l.name = r->text(i, 2);
    l.phone_masked = r->text(i, 3);
    l.user_id = r->int64(i, 4);
    l.updated_at = r->text(i, 5);
    l.updated_by = r->text(i, 6);
    out.push_back(std::move(l));
  }
  return out;
}

Result<int64_t> PgOrgStore::put_liaison(const OrgLiaison& l, const std::string& actor) {
  Tx t(db_);
  const std::string now = utc_now_iso();
  Params v;
  v.add(l.institution_id).add(l.name);
  add_phone(v, db_.vault, l.phone);
  v.add_or_null(l.user_id).add(now).add(actor);
  auto up =
      t.q("INSERT INTO org_liaisons (institution_id, name, phone_sealed, phone_masked, user_id, "
          "updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (institution_id) DO "
          "UPDATE SET name=excluded.name, phone_sealed=excluded.phone_sealed, "
          "phone_masked=excluded.phone_masked, user_id=excluded.user_id, "
          "updated_at=excluded.updated_at, updated_by=excluded.updated_by RETURNING id",
          v);
  if (!up.ok()) return explain(up.status(), "liaison");
  const int64_t id = up->int64(0, 0);
  FX_RETURN_IF_ERROR(append(t, "org.liaison", l.institution_id, id, "assigned", now));
  FX_RETURN_IF_ERROR(t.tx.commit());
  return id;
}

Status PgOrgStore::remove_liaison(int64_t institution_id, const std::string& actor) {
  (void)actor;
  Tx t(db_);
  auto del =
      t.q("DELETE FROM org_liaisons WHERE institution_id = $1", Params().add(institution_id));
  if (!del.ok()) return del.status();
  if (del->affected() == 0)
    return Status::NotFound("该校没有联络员 (the institution has no liaison)");
  FX_RETURN_IF_ERROR(append(t, "org.liaison", institution_id, 0, "removed", utc_now_iso()));
  return t.tx.commit();
}

}  // namespace fx::store::postgres
