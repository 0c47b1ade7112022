// The confirmed cases a caller sees, newest first, each with its person
// (ID number masked), where it studies and how many key people it put under
// control — the list behind GET /cases.
#pragma once

#include <string>
#include <vector>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct CaseListItem {
  store::CaseRecord record;
  std::string name, id_masked, institution, unit;
  long close = 0;      // key people who met the case (as the card counts them)
  long secondary = 0;  // secondary contacts its trace listed
};

// Cases whose person is in the caller's institutions; the read is audited
// ("cases.list"): who is a case is health data.
Result<std::vector<CaseListItem>> list_cases(store::Store& store, const Caller& caller);
std::string cases_json(const std::vector<CaseListItem>& items);

}  // namespace fx::app
