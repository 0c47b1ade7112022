// What the people-control group (人员管控) does to the tracking table: move a
// key person to a quarantine site, release one, keep the list of sites. Each
// needs Permission::cases_manage (sites: reading needs people.list), answers
// NotFound for a key person outside the caller's institutions, is audited,
// and the store appends the change ("tracking.transfer", "tracking.release",
// "site.added") that wakes the pages.
#pragma once

#include <string>
#include <vector>

#include "app/caller.h"
#include "app/tracking_table.h"
#include "store/store.h"

namespace fx::app {

// The row after the move. `state`: requested, dispatched (default), arrived.
Result<TrackingRow> transfer_key_person(store::Store& store, const Caller& caller, int64_t id,
                                        int64_t site_id, const std::string& state);
// The row after the release; `note` goes to the audit log only.
Result<TrackingRow> release_key_person(store::Store& store, const Caller& caller, int64_t id,
                                       const std::string& note);

Result<std::vector<store::QuarantineSite>> list_sites(store::Store& store, const Caller& caller);
// Invalid naming the field for an empty name or a capacity outside 0–100000.
Result<store::QuarantineSite> add_site(store::Store& store, const Caller& caller,
                                       store::QuarantineSite site);
std::string site_json(const store::QuarantineSite& site);
std::string sites_json(const std::vector<store::QuarantineSite>& sites);

}  // namespace fx::app
