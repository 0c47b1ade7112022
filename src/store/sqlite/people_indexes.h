// The secondary indexes of the people table. A bulk import drops them inside
// its transaction and builds them again before it commits: one sort per
// index instead of a B-tree insert per row and index, several times faster.
#pragma once

#include <span>

namespace fx::store::sqlite {

struct IndexDefinition {
  const char* name;
  const char* create_sql;
};

std::span<const IndexDefinition> people_indexes();

}  // namespace fx::store::sqlite
