// PgStore::list_people: the people list with filters, search and paging.
#include "store/postgres/pg_store.h"

namespace fx::store::postgres {
namespace {

// The WHERE clause (on `people p`) for a query, with its parameters.
struct Where {
  std::string sql;
  Params params;
  int n = 0;

  void add(const std::string& clause) {
    sql += sql.empty() ? " WHERE " + clause : " AND " + clause;
  }
  std::string param(int64_t v) {
    params.add(v);
    return "$" + std::to_string(++n);
  }
  std::string param(const std::string& v) {
    params.add(v);
    return "$" + std::to_string(++n);
  }
  std::string param(const Vault::Hash& h) {
    params.add_bytes(h.data(), h.size());
    return "$" + std::to_string(++n);
  }
};

Where where_of(const PeopleQuery& q) {
  Where w;
  if (!q.all_institutions) {
    if (q.scope_institutions.empty()) {
      w.add("false");
    } else {
      std::string in;
      for (auto id : q.scope_institutions) in += (in.empty() ? "" : ",") + w.param(id);
      w.add("p.institution_id IN (" + in + ")");
    }
  }
  if (q.institution_id) w.add("p.institution_id = " + w.param(q.institution_id));
  if (q.unit_id) {
    w.add("p.unit_id IN (WITH RECURSIVE sub(id) AS (SELECT " + w.param(q.unit_id) +
          "::bigint UNION ALL SELECT u2.id FROM units u2 JOIN sub ON u2.parent_id = sub.id) "
          "SELECT id FROM sub)");
  }
  if (q.role) w.add("p.role = " + w.param(std::string(domain::role_code(*q.role))));
  if (q.has_search()) {
    std::string any;
    auto either = [&](const std::string& c) { any += (any.empty() ? "" : " OR ") + c; };
    // strpos(), not LIKE: the text is matched literally, % and _ included.
    if (!q.name_contains.empty()) either("strpos(p.name, " + w.param(q.name_contains) + ") > 0");
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

}  // namespace

Result<PeoplePage> PgStore::list_people(const PeopleQuery& q) {
  Where w = where_of(q);
  std::lock_guard lock(db_->read_mutex);
  PeoplePage page;
  auto count = read("SELECT COUNT(*) FROM people p" + w.sql, w.params);
  if (!count.ok()) return count.status();
  page.total = static_cast<long>(count->int64(0, 0));
  if (page.total == 0 || q.limit <= 0) return page;
  // The page's ids first, then the joins for those rows only.
  auto r = read(
      "SELECT p.id, p.institution_id, i.code, i.name, COALESCE(p.unit_id, 0), "
      "COALESCE(u.path, ''), p.person_code, p.name, p.gender, p.birth_date, p.role, p.id_kind, "
      "p.id_masked, p.phone_masked, COALESCE(pl.name, '') FROM (SELECT p.id AS pid FROM people p" +
          w.sql + " ORDER BY p.id LIMIT " + std::to_string(q.limit) + " OFFSET " +
          std::to_string(std::max(0L, q.offset)) +
          ") page JOIN people p ON p.id = page.pid "
          "JOIN institutions i ON i.id = p.institution_id "
          "LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN places pl ON pl.id = p.dorm_id "
          "ORDER BY p.id",
      w.params);
  if (!r.ok()) return r.status();
  for (int i = 0; i < r->rows(); ++i) {
    PersonSummary s;
    s.id = r->int64(i, 0);
    s.institution_id = r->int64(i, 1);
    s.institution_code = r->text(i, 2);
    s.institution_name = r->text(i, 3);
    s.unit_id = r->int64(i, 4);
    s.unit_path = r->text(i, 5);
    s.person_code = r->text(i, 6);
    s.name = r->text(i, 7);
    s.gender = r->text(i, 8);
    s.birth_date = r->text(i, 9);
    s.role = r->text(i, 10);
    s.id_kind = r->text(i, 11);
    s.id_masked = r->text(i, 12);
    s.phone_masked = r->text(i, 13);
    s.dorm = r->text(i, 14);
    page.items.push_back(std::move(s));
  }
  return page;
}

}  // namespace fx::store::postgres
