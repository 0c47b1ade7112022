// Stores the supervision scenario of sim/inspections.h through the use cases
// (so every check and the findings' directives run as for a person): four
// rounds over every institution in the store, 37 findings, 23 letters, 36
// supervisors. For the demo, tests and `fangxian sim inspections`.
#pragma once

#include "app/caller.h"
#include "sim/inspections.h"
#include "store/store.h"

namespace fx::app {

struct InspectionScenario {
  int rounds = 0, inspections = 0, findings = 0, letters = 0, supervisors = 0;
  int directives = 0;           // sent for the findings
  std::string directive_error;  // when they could not be sent
  std::string end_date;         // read the figures on this day
};

// AlreadyExists when the store has inspection rounds already (the figures
// would no longer be the scenario's); Invalid when it has no institutions.
Result<InspectionScenario> run_inspection_scenario(store::Store& store, const Caller& caller,
                                                   const sim::InspectionShape& shape = {});

}  // namespace fx::app
