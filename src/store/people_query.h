// Reading the people list: filters, search by keyed hash or name, paging.
// Lists carry masked ID numbers and phones only; the full values are read one
// person at a time (Store::get_person) by the app layer, which audits it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/vault.h"
#include "domain/roster.h"

namespace fx::store {

struct PeopleQuery {
  // Scope: when false, only people of `scope_institutions` (none when empty).
  bool all_institutions = true;
  std::vector<int64_t> scope_institutions;
  // Filters (0 / empty: any).
  int64_t institution_id = 0;
  int64_t unit_id = 0;  // this unit and every unit below it
  std::optional<domain::Role> role;
  // Search: a person matches when any of the given terms matches. The name
  // is matched as a substring, literally (no wildcards).
  std::string name_contains;
  std::vector<Vault::Hash> id_hashes;
  std::optional<Vault::Hash> phone_hash;
  bool has_search() const {
    return !name_contains.empty() || !id_hashes.empty() || phone_hash.has_value();
  }
  // Paging, in id order.
  long offset = 0;
  int limit = 50;
};

struct PersonSummary {
  int64_t id = 0;
  int64_t institution_id = 0;
  std::string institution_code, institution_name;
  int64_t unit_id = 0;
  std::string unit_path;
  std::string person_code, name, gender, birth_date, role, id_kind;
  std::string id_masked, phone_masked;
  std::string dorm;  // the dorm room's name, empty when none
};

struct PeoplePage {
  long total = 0;  // people matching, over all pages
  std::vector<PersonSummary> items;
};

}  // namespace fx::store
