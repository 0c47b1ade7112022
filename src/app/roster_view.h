// Scoped reads of the roster for the server: institutions, units, people and
// the figures, each filtered by the Caller (app/caller.h).
//
// Lists are masked. A person in full is read one at a time, only with
// Permission::person_read_full, and every such read is written to the audit
// log before the values are returned (no audit record: no values).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/caller.h"
#include "app/roster_stats.h"
#include "store/store.h"

namespace fx::app {

struct InstitutionView {
  domain::Institution institution;
  store::RosterCount counts;
};

// Institutions in the caller's scope with their roster counts, by code.
Result<std::vector<InstitutionView>> list_institutions(store::Store& store, const Caller& caller);

// The unit tree (flat, by path) of the institution with `code`; NotFound
// when it does not exist or is outside the caller's scope.
Result<std::vector<domain::Unit>> list_units(store::Store& store, const Caller& caller,
                                             const std::string& code);

struct PeopleFilter {
  std::string institution;  // code; empty: any in scope
  int64_t unit_id = 0;
  std::string role;   // student, teacher, staff (or 学生/教师/职工); empty: any
  std::string q;      // a name (substring), an ID number or a phone
  long page = 1;      // from 1
  int per_page = 50;  // 1–500
};
inline constexpr int kMaxPerPage = 500;

// One page of people in the caller's scope, masked. Invalid for a bad filter
// (unknown role, page < 1, q longer than 64 bytes or not UTF-8); an
// institution outside the scope is NotFound.
Result<store::PeoplePage> list_people(store::Store& store, const Vault& vault, const Caller& caller,
                                      const PeopleFilter& filter);

struct PersonView {
  domain::Person person;  // ID number and phone masked unless `full`
  bool full = false;
  std::string institution_code, institution_name, unit_path, dorm;
  std::string id_masked, phone_masked;
};

// One person. NotFound outside the caller's scope. With person_read_full the
// values are in full and the read is audited (caller.route, caller.remote);
// otherwise they are masked.
Result<PersonView> read_person(store::Store& store, const Caller& caller, int64_t id);

// The roster figures of the caller's scope (the whole district for
// district-wide roles).
Result<RosterStats> scoped_roster_stats(store::Store& store, const Caller& caller);

}  // namespace fx::app
