// Importing the roster: institutions first, then people, from the
// spreadsheets schools keep. Each import is one transaction: all valid rows
// in, an import record kept, every rejected row listed with its reason.
#pragma once

#include <string>

#include "app/import_report.h"
#include "core/vault.h"
#include "store/store.h"

namespace fx::app {

// Institutions (学校代码, 学校名称, 学校类型, 地址, 经度, 纬度, 联络人): new codes
// are added, known codes updated. An error means nothing was stored: the
// file cannot be read or lacks a required column.
Result<ImportReport> import_institutions(store::Store& store, const std::string& path,
                                         const ImportOptions& options = {});

// People (see docs/import-templates.md). Grades, classes and dorm rooms are
// created from the roster. A person is matched by ID number, then by
// 学号/工号 within the institution; matches are updated when a field differs.
Result<ImportReport> import_roster(store::Store& store, const Vault& vault, const std::string& path,
                                   const ImportOptions& options = {});

}  // namespace fx::app
