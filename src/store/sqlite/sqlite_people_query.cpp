// SqliteStore::list_people: the people list with filters, search and paging.
#include <variant>

#include "store/sqlite/sqlite_store.h"

namespace fx::store::sqlite {
namespace {

using Value = std::variant<int64_t, std::string, Vault::Hash>;

// The WHERE clause (on `people p`) for a query, with its values in order.
struct Where {
  std::string sql;
  std::vector<Value> values;

  void add(const std::string& clause) {
    sql += sql.empty() ? " WHERE " + clause : " AND " + clause;
  }
  std::string param(Value v) {
    values.push_back(std::move(v));
    return "?" + std::to_string(values.size());
  }
};

Where where_of(const PeopleQuery& q) {
  Where w;
  if (!q.all_institutions) {
    if (q.scope_institutions.empty()) {
      w.add("0");
    } else {
      std::string in;
      for (auto id : q.scope_institutions) in += (in.empty() ? "" : ",") + w.param(id);
      w.add("p.institution_id IN (" + in + ")");
    }
  }
  if (q.institution_id) w.add("p.institution_id = " + w.param(q.institution_id));
  if (q.unit_id) {
    w.add("p.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT " + w.param(q.unit_id) +
          " UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id) "
          "SELECT id FROM sub)");
  }
  if (q.role) w.add("p.role = " + w.param(std::string(domain::role_code(*q.role))));
  if (q.has_search()) {
    std::string any;
    auto either = [&](const std::string& c) { any += (any.empty() ? "" : " OR ") + c; };
    // instr(), not LIKE: the text is matched literally, % and _ included.
    if (!q.name_contains.empty()) either("instr(p.name, " + w.param(q.name_contains) + ") > 0");
    if (!q.id_hashes.empty()) {
      std::string in;
      for (const auto& h : q.id_hashes) in += (in.empty() ? "" : ",") + w.param(h);
      either("p.id_hash IN (" + in + ")");
    }
    if (q.phone_hash) either("p.phone_hash = " + w.param(*q.phone_hash));
    w.add("(" + any + ")");
  }
  return w;
}

void bind_all(Statement& st, const std::vector<Value>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    int n = static_cast<int>(i) + 1;
    if (auto* v = std::get_if<int64_t>(&values[i]))
      st.bind(n, *v);
    else if (auto* t = std::get_if<std::string>(&values[i]))
      st.bind(n, *t);
    else {
      const auto& h = std::get<Vault::Hash>(values[i]);
      st.bind_blob(n, h.data(), h.size());
    }
  }
}

// The cache key of a WHERE clause with its values.
std::string key_of(const Where& w) {
  std::string k = w.sql;
  for (const auto& v : w.values) {
    k.push_back('\x1f');
    if (auto* i = std::get_if<int64_t>(&v))
      k += std::to_string(*i);
    else if (auto* t = std::get_if<std::string>(&v))
      k += *t;
    else
      k += to_hex(std::get<Vault::Hash>(v).data(), std::get<Vault::Hash>(v).size());
  }
  return k;
}

}  // namespace

Result<PeoplePage> SqliteStore::list_people(const PeopleQuery& q) {
  Where w = where_of(q);
  std::lock_guard lock(db_->read_mutex);
  PeoplePage page;
  // Counting 181,035 rows takes milliseconds and a page far less: totals are
  // kept until another connection commits (PRAGMA data_version moves).
  int64_t version = -1;
  {
    auto st = db_->reader.prepare("PRAGMA data_version");
    if (st.step()) version = st.int64(0);
  }
  std::string key = key_of(w);
  if (count_cache_.version != version) {
    count_cache_.totals.clear();
    count_cache_.version = version;
  }
  if (auto it = count_cache_.totals.find(key); it != count_cache_.totals.end()) {
    page.total = it->second;
  } else {
    auto st = db_->reader.prepare("SELECT COUNT(*) FROM people p" + w.sql);
    bind_all(st, w.values);
    if (!st.step()) return db_->reader.error("count people");
    page.total = static_cast<long>(st.int64(0));
    if (count_cache_.totals.size() > 4096) count_cache_.totals.clear();
    count_cache_.totals.emplace(std::move(key), page.total);
  }
  if (page.total == 0 || q.limit <= 0) return page;
  // The page's ids first (walking people in id order, touching nothing
  // else), then the joins for those rows only: an OFFSET over joined rows
  // would join every skipped row too.
  auto st = db_->reader.prepare(
      "SELECT p.id, p.institution_id, i.code, i.name, COALESCE(p.unit_id, 0), "
      "COALESCE(u.path, ''), p.person_code, p.name, p.gender, p.birth_date, p.role, p.id_kind, "
      "p.id_masked, p.phone_masked, COALESCE(pl.name, '') FROM (SELECT p.id AS pid FROM people p" +
      w.sql + " ORDER BY p.id LIMIT " + std::to_string(q.limit) + " OFFSET " +
      std::to_string(std::max(0L, q.offset)) +
      ") page CROSS JOIN people p ON p.id = page.pid "
      "CROSS JOIN institutions i ON i.id = p.institution_id "
      "LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN places pl ON pl.id = p.dorm_id "
      "ORDER BY p.id");
  bind_all(st, w.values);
  while (st.step()) {
    PersonSummary s;
    s.id = st.int64(0);
    s.institution_id = st.int64(1);
    s.institution_code = st.text(2);
    s.institution_name = st.text(3);
    s.unit_id = st.int64(4);
    s.unit_path = st.text(5);
    s.person_code = st.text(6);
    s.name = st.text(7);
    s.gender = st.text(8);
    s.birth_date = st.text(9);
    s.role = st.text(10);
    s.id_kind = st.text(11);
    s.id_masked = st.text(12);
    s.phone_masked = st.text(13);
    s.dorm = st.text(14);
    page.items.push_back(std::move(s));
  }
  if (st.rc() != SQLITE_DONE) return db_->reader.error("list people");
  return page;
}

}  // namespace fx::store::sqlite
