// A positive individual result opens the case (issue 6, the command loop):
// after a results batch is stored — posted, uploaded or imported by the CLI —
// each person whose own tube came back positive is confirmed as a case with
// the sample's time and the policy in force, traced, put on the tracking
// table with their contacts, and the institutions concerned are sent their
// new key people (contact_directives.h). A pooled positive only calls for a
// single-tube re-test and confirms nobody. docs/tracing.md, "Automatic
// confirmation".
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "app/case_desk.h"
#include "app/rounds.h"

namespace fx::app {

struct AutoConfirmed {
  struct Case {
    int64_t case_id = 0;
    std::string policy;
    long close = 0, secondary = 0, without_site = 0;
    std::vector<int64_t> directives;
    std::string directive_error;
  };
  std::vector<Case> cases;
  long already_cases = 0;           // positives of people already cases: nothing more done
  std::vector<std::string> errors;  // a positive that could not be confirmed, and why
};

// Confirms the report's positives (in order). Idempotent: a person already a
// case is counted in already_cases and left alone. Errors of one positive do
// not stop the others; a store failure does.
Result<AutoConfirmed> confirm_positives(store::Store& store, CaseDesk& desk, const Caller& caller,
                                        const RoundImportReport& report);

boost::json::object to_json(const AutoConfirmed& a);
std::string to_text(const AutoConfirmed& a);

}  // namespace fx::app
