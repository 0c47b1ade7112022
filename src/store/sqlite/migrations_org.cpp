// Migration 7 (reserved for the organisation and complete directives): the
// six task groups, seeded here, their members with one lead each, the
// liaison of each college, and the files attached to directives and to
// their feedback (kept as blobs, never changed).
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* org_migration_sql() {
  return R"sql(
CREATE TABLE org_groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  duty TEXT NOT NULL DEFAULT ''
);
INSERT INTO org_groups (id, name, duty) VALUES
  (1, '综合调度', '统筹协调、信息汇总、指令发布'),
  (2, '人员管控', '师生排查、重点人员管控、核酸检测'),
  (3, '物资保障', '防疫物资采购、储备与调配'),
  (4, '舆论引导', '宣传报道、舆情监测与回应'),
  (5, '监督检查', '督导检查、问题整改、提醒函'),
  (6, '教学保障', '线上教学、学生关爱、教研活动');
CREATE TABLE org_members (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES org_groups(id),
  name TEXT NOT NULL CHECK (name <> ''),
  title TEXT NOT NULL DEFAULT '',
  is_lead INTEGER NOT NULL DEFAULT 0 CHECK (is_lead IN (0, 1)),
  phone_sealed BLOB,
  phone_masked TEXT NOT NULL DEFAULT '',
  user_id INTEGER REFERENCES users(id),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX org_members_group ON org_members(group_id);
CREATE UNIQUE INDEX org_members_one_lead ON org_members(group_id) WHERE is_lead = 1;
CREATE TABLE org_liaisons (
  id INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL UNIQUE REFERENCES institutions(id),
  name TEXT NOT NULL CHECK (name <> ''),
  phone_sealed BLOB,
  phone_masked TEXT NOT NULL DEFAULT '',
  user_id INTEGER REFERENCES users(id),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE directive_files (
  id INTEGER PRIMARY KEY,
  directive_id INTEGER NOT NULL REFERENCES directives(id),
  recipient_id INTEGER REFERENCES directive_recipients(id),
  name TEXT NOT NULL CHECK (name <> ''),
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL,
  data BLOB NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE INDEX directive_files_directive ON directive_files(directive_id, id);
CREATE TRIGGER directive_files_append_only BEFORE UPDATE ON directive_files
BEGIN SELECT RAISE(ABORT, 'directive_files is append-only'); END;
CREATE TRIGGER directive_files_no_delete BEFORE DELETE ON directive_files
BEGIN SELECT RAISE(ABORT, 'directive_files is append-only'); END;
)sql";
}

}  // namespace fx::store::sqlite
