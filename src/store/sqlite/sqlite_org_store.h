// OrgStore on the SQLite store's shared connections.
#pragma once

#include "store/org_store.h"
#include "store/sqlite/sqlite_handles.h"

namespace fx::store::sqlite {

class SqliteOrgStore final : public OrgStore {
 public:
  explicit SqliteOrgStore(SqliteHandles& db) : db_(db) {}

  Result<std::vector<OrgGroup>> groups() override;
  Result<std::vector<OrgMember>> members(int64_t group_id) override;
  Result<OrgMember> get_member(int64_t id) override;
  Result<int64_t> put_member(const OrgMember& member, const std::string& actor) override;
  Status remove_member(int64_t id, const std::string& actor) override;
  Result<std::vector<OrgLiaison>> liaisons() override;
  Result<int64_t> put_liaison(const OrgLiaison& liaison, const std::string& actor) override;
  Status remove_liaison(int64_t institution_id, const std::string& actor) override;

 private:
  SqliteHandles& db_;
};

}  // namespace fx::store::sqlite
