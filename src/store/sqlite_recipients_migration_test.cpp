// Migration 14 on a SQLite database that already holds directives: the
// tables referencing directive_recipients are rebuilt and renamed back, so
// every id, event and file survives, old rows become kind institution, and
// the append-only triggers still refuse changes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite/migrations.h"
#include "store/store.h"
#include "tests/test_support.h"

namespace fx::store {
namespace {

TEST(SqliteRecipientsMigration, Version13RowsBecomeInstitutionRowsWithTheirHistory) {
  fx::testing::TempDir dir;
  const std::string path = dir.file("old.db");
  {  // A database at version 13 with one directive, its event and a feedback file.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto exec = [&](const std::string& sql) {
      char* err = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
      EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "") << "\n" << sql.substr(0, 200);
      sqlite3_free(err);
    };
    exec("PRAGMA foreign_keys=ON");
    exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    for (const auto& m : sqlite::migrations()) {
      if (m.version >= 14) continue;
      exec(m.sql);
      exec("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 'then')");
    }
    exec("INSERT INTO institutions (id, code, name, kind) VALUES (7, 'A01', '净月一中', '中学')");
    exec(
        "INSERT INTO directives (id, title, priority, sender, created_at) VALUES "
        "(3, '旧指令', 'normal', 'cli', '2022-03-10T02:00:00Z')");
    exec(
        "INSERT INTO directive_recipients (id, directive_id, institution_id, state, delivered_at, "
        "acknowledged_at, updated_at) VALUES (5, 3, 7, 'acknowledged', '2022-03-10T02:00:00Z', "
        "'2022-03-10T02:10:00Z', '2022-03-10T02:10:00Z')");
    exec(
        "INSERT INTO directive_events (id, recipient_id, action, actor, at) VALUES "
        "(9, 5, 'ack', 'school', '2022-03-10T02:10:00Z')");
    exec(
        "INSERT INTO directive_files (id, directive_id, recipient_id, name, content_type, size, "
        "sha256, data, uploaded_by, uploaded_at) VALUES (4, 3, 5, 'a.txt', 'text/plain', 2, "
        "'00', x'6f6b', 'school', '2022-03-10T02:11:00Z')");
    sqlite3_close(db);
  }
  Vault vault = Vault::for_testing(3);
  auto s = open_store(path, vault);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ((*s)->schema_version(), sqlite::migrations().back().version);  // 14 and on
  auto rows = (*s)->directives().recipients({3, 0, false});
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].id, 5);
  EXPECT_EQ((*rows)[0].kind, "institution");
  EXPECT_EQ((*rows)[0].institution_id, 7);
  EXPECT_EQ((*rows)[0].acknowledged_at, "2022-03-10T02:10:00Z");
  auto events = (*s)->directives().events(3);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].id, 9);
  auto file = (*s)->directives().get_file(4);
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->data, "ok");
  EXPECT_EQ(file->recipient_id, 5);
  // The store moves the old row on; ids continue after the copied ones.
  ASSERT_TRUE((*s)->directives()
                  .move({5, "done", "acknowledged", "done", "school", "2022-03-10T03:00:00Z", "好"})
                  .ok());
  EXPECT_EQ((*s)->directives().events(3)->back().id, 10);
  // The append-only triggers came back with the rebuilt tables.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE directive_events SET note='x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM directive_files", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace
}  // namespace fx::store
