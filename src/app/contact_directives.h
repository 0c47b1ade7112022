// Automatic directives from tracing (issue 6): when a case's trace puts new
// key people on the tracking table, each institution concerned gets one
// directive (source "close_contacts", source_id = the case) listing exactly
// its own new close and secondary contacts, with their transfer tasks
// counted in the text. Sent by the people-control group (人员管控), 特急,
// due two hours after it goes out. docs/directives.md and docs/tracing.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"

namespace fx::app {

inline constexpr const char* kContactDirectiveSource = "close_contacts";
inline constexpr int64_t kContactDirectiveHours = 2;

struct ContactNotice {
  int64_t case_id = 0;
  std::vector<int64_t> people;  // people.id: the key people the case listed (CaseOutcome::listed)
  std::string actor;            // who confirmed the case (or "auto …")
  std::string now;              // UTC ISO for tests; "" is the clock
};

// One directive per institution with people in `notice.people` not already
// listed by an earlier close_contacts directive of the same case: a second
// call for the same case sends nothing. Returns the new directive ids,
// institutions in code order.
Result<std::vector<int64_t>> send_contact_directives(store::Store& store,
                                                     const ContactNotice& notice);

}  // namespace fx::app
