#include "store/copy_district.h"

#include <cstdio>

#include "store/postgres/pg_conn.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace fx::store {
namespace {

// Parents before children, so every foreign key finds its row.
constexpr const char* kTables[] = {
    "institutions",
    "units",
    "places",
    "people",
    "imports",
    "import_rejections",
    "changes",
    "users",
    "sessions",
    "api_tokens",
    "audit_log",
    "import_files",
    "import_rejection_owners",
    "rounds",
    "round_exemptions",
    "round_tubes",
    "round_samples",
    "round_results",
    "round_conflicts",
    "round_corrections",
    "timetable_entries",
    "swipes",
    "pair_contacts",
    "dorm_assignments",
    "quarantine_sites",
    "cases",
    "key_people",
    "key_person_sources",
    "key_person_tests",
    "inspection_rounds",
    "inspections",
    "inspection_items",
    "inspection_findings",
    "finding_events",
    "finding_files",
    "letter_numbers",
    "reminder_letters",
    "reminder_letter_findings",
    "onsite_supervisors",
    "home_bound",
    "screening_reports",
    "screening_report_history",
    "directives",
    "directive_recipients",
    "directive_people",
    "directive_events",
    "org_members",
    "org_liaisons",
    "directive_files",
    "class_days",
    "access_issues",
    "care_list",
    "spot_checks",
    "research_activities",
    "teaching_revisions",
    "volunteer_sites",
    "volunteer_shifts",
    "volunteer_revisions",
};

// Filled by the migrations themselves, the same on both backends: not copied,
// and expected to hold rows in the target.
constexpr const char* kSeeded[] = {"org_groups"};

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

// One SQLite value in COPY's text format.
void append_value(std::string& out, sqlite3_stmt* st, int col) {
  switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL:
      out += "\\N";
      break;
    case SQLITE_INTEGER:
      out += std::to_string(sqlite3_column_int64(st, col));
      break;
    case SQLITE_FLOAT: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(st, col));
      out += buf;
      break;
    }
    case SQLITE_BLOB: {
      auto* p = static_cast<const char*>(sqlite3_column_blob(st, col));
      postgres::copy_bytea(out, std::string_view(p, sqlite3_column_bytes(st, col)));
      break;
    }
    default: {
      auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
      postgres::copy_escape(out, std::string_view(p, sqlite3_column_bytes(st, col)));
    }
  }
}

Result<int64_t> count_sqlite(sqlite::Connection& c, const std::string& table) {
  auto st = c.prepare("SELECT COUNT(*) FROM " + quoted(table));
  if (!st.step()) return c.error("count " + table);
  return st.int64(0);
}

// A statement over the raw SQLite API: the copy reads columns by their type.
struct RawStatement {
  sqlite3_stmt* st = nullptr;
  ~RawStatement() { sqlite3_finalize(st); }
};

Status copy_table(sqlite::Connection& from, postgres::PgConnection& to, const std::string& table) {
  RawStatement raw;
  std::string sql = "SELECT * FROM " + quoted(table);
  if (sqlite3_prepare_v2(from.get(), sql.c_str(), -1, &raw.st, nullptr) != SQLITE_OK)
    return from.error("read " + table);
  sqlite3_stmt* st = raw.st;
  int n = sqlite3_column_count(st);
  std::string columns;
  for (int i = 0; i < n; ++i) columns += (i ? ", " : "") + quoted(sqlite3_column_name(st, i));
  FX_RETURN_IF_ERROR(to.copy_start("COPY " + quoted(table) + " (" + columns + ") FROM STDIN"));
  std::string buffer;
  Status sent;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int i = 0; i < n; ++i) {
      if (i) buffer.push_back('\t');
      append_value(buffer, st, i);
    }
    buffer.push_back('\n');
    if (buffer.size() > (4 << 20) && sent.ok()) {
      sent = to.copy_send(buffer);
      buffer.clear();
    }
  }
  if (rc != SQLITE_DONE) sent = from.error("read " + table);
  if (sent.ok() && !buffer.empty()) sent = to.copy_send(buffer);
  Status end = to.copy_end();
  FX_RETURN_IF_ERROR(sent);
  if (!end.ok()) return Status(end.code(), "copy " + table + ": " + end.message());
  return Status::Ok();
}

}  // namespace

Result<std::vector<TableCopy>> copy_district(const std::string& sqlite_path,
                                             const std::string& postgres_url, const Vault& vault) {
  // Both opened as stores first: each is migrated to the current schema.
  auto source = open_store(sqlite_path, vault);
  if (!source.ok()) return source.status();
  auto target = open_store(postgres_url, vault);
  if (!target.ok()) return target.status();
  // The key must open what is sealed, or the copy would be unreadable.
  int64_t first_person = 0;
  FX_RETURN_IF_ERROR((*source)->for_each_person_digest([&](const PersonDigest& d) {
    if (!first_person) first_person = d.id;
  }));
  if (first_person) {
    auto p = (*source)->get_person(first_person);
    if (!p.ok())
      return Status::Invalid("the key file does not open this district's sealed values (" +
                             p.status().message() + "): give the district's key with --key");
  }
  source->reset();
  target->reset();

  auto from = sqlite::Connection::open(sqlite_path);
  if (!from.ok()) return from.status();
  auto to = postgres::PgConnection::connect(postgres_url);
  if (!to.ok()) return to.status();
  for (const char* table : kTables) {
    auto r = to->query(std::string("SELECT EXISTS (SELECT 1 FROM ") + quoted(table) + ")");
    if (!r.ok()) return r.status();
    if (r->text(0, 0) == "t")
      return Status::Invalid(std::string("the PostgreSQL store is not empty (table ") + table +
                             " has rows): migrate into a new database");
  }
  {
    auto extra = from->prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> 'schema_migrations'");
    while (extra.step()) {
      std::string name = extra.text(0);
      bool known = false;
      for (const char* t : kTables) known |= name == t;
      for (const char* t : kSeeded) known |= name == t;
      if (known) continue;
      // A table the PostgreSQL store does not have (an area not yet in its
      // dialect): fine while it is empty, refused when the copy would lose rows.
      auto rows = count_sqlite(*from, name);
      if (!rows.ok()) return rows.status();
      if (*rows > 0)
        return Status::Invalid("table " + name + " has " + std::to_string(*rows) +
                               " rows and the PostgreSQL store cannot hold them yet");
    }
  }

  FX_RETURN_IF_ERROR(from->exec("BEGIN"));  // one snapshot of the source
  FX_RETURN_IF_ERROR(to->exec("BEGIN"));
  std::vector<TableCopy> copies;
  auto run = [&]() -> Status {
    for (const char* table : kTables) {
      FX_RETURN_IF_ERROR(copy_table(*from, *to, table));
      TableCopy c{table};
      auto n = count_sqlite(*from, table);
      if (!n.ok()) return n.status();
      c.source_rows = *n;
      auto m = to->query(std::string("SELECT COUNT(*) FROM ") + quoted(table));
      if (!m.ok()) return m.status();
      c.target_rows = m->int64(0, 0);
      if (c.source_rows != c.target_rows)
        return Status::Internal("table " + c.table + ": " + std::to_string(c.source_rows) +
                                " rows in SQLite but " + std::to_string(c.target_rows) + " copied");
      copies.push_back(c);
    }
    // Identities continue after the copied ids.
    auto ids = to->query(
        "SELECT table_name, column_name FROM information_schema.columns WHERE is_identity = "
        "'YES' AND table_schema = current_schema()");
    if (!ids.ok()) return ids.status();
    for (int i = 0; i < ids->rows(); ++i) {
      std::string t = ids->text(i, 0), col = ids->text(i, 1);
      auto s = to->query("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(" +
                             quoted(col) + ") FROM " + quoted(t) + "), 0) + 1, false)",
                         postgres::Params().add(t).add(col));
      if (!s.ok()) return s.status();
    }
    return to->exec("COMMIT");
  };
  Status s = run();
  (void)from->exec("COMMIT");
  if (!s.ok()) {
    if (!to->broken()) (void)to->exec("ROLLBACK");
    return s;
  }
  return copies;
}

}  // namespace fx::store
