#include "store/sqlite/people_indexes.h"

namespace fx::store::sqlite {

// Must match the migrations that created them.
std::span<const IndexDefinition> people_indexes() {
  static constexpr IndexDefinition kIndexes[] = {
      {"people_id_hash", "CREATE UNIQUE INDEX people_id_hash ON people(id_hash)"},
      {"people_code", "CREATE UNIQUE INDEX people_code ON people(institution_id, person_code)"},
      {"people_phone", "CREATE INDEX people_phone ON people(phone_hash)"},
  };
  return kIndexes;
}

}  // namespace fx::store::sqlite
