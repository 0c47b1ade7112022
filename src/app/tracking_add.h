// Adding the key people no trace finds to the tracking table: risk-area
// returnees (中高风险地区返校人员) and symptomatic people (有症状人员), with
// quarantine or monitoring stages and test days from the policy, counted from
// the date they returned or fell ill.
#pragma once

#include <string>

#include "app/caller.h"
#include "app/tracking_table.h"
#include "core/vault.h"
#include "store/store.h"

namespace fx::app {

struct KeyPersonRequest {
  std::string person;    // ID number, or 学校代码:学号/工号
  std::string category;  // returnee, symptomatic
  std::string since;     // YYYY-MM-DD: returned, or symptoms began
  std::string area;      // the risk area, or the symptoms (optional)
  std::string policy;    // a built-in policy id; empty: kDefaultPolicy
};

// Needs Permission::cases_manage; a person outside the caller's scope is
// "person: not found". Errors name the field: person, category (unknown, or
// not in the policy), since (not a date, before 2020 or in the future),
// policy. Audited ("tracking.add"); returns the new row.
Result<TrackingRow> add_key_person(store::Store& store, const Vault& vault, const Caller& caller,
                                   const KeyPersonRequest& request);

}  // namespace fx::app
