// Confirming a case as the API is asked to: the fields as typed (an ID number
// or 学校代码:学号, local times, a policy id) checked with errors that name
// the field, and the tracing index kept between requests. The index is built
// on first use and rebuilt when the change feed shows new presence or roster
// data since (or a new day began: the dorm nights run to today); one mutex
// serialises confirmations, so two cannot merge the same key person at once.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/caller.h"
#include "app/cases.h"
#include "app/tracing.h"
#include "core/vault.h"

namespace fx::app {

struct CaseRequest {
  std::string person;        // ID number, or 学校代码:学号/工号
  std::string sample_time;   // the first positive sample, local time
  std::string onset;         // YYYY-MM-DD, empty without symptoms
  std::string confirmed_at;  // local time; empty: now
  std::string policy;        // a built-in policy id; empty: kDefaultPolicy
  std::string symptoms, note;
};

struct CaseConfirmed {
  CaseOutcome outcome;
  std::string policy;
  boost::json::object lists;  // {close:[…], secondary:[…]} as TraceReport writes them
  // The automatic directives to the institutions concerned (contact_directives.h);
  // when sending failed the case stands and directive_error says why.
  std::vector<int64_t> directives;
  std::string directive_error;
};

// The COVID-19 policy in force on the local date of `at` (the latest whose
// in_force_from is not after it): covid-8th in spring 2022, covid-9th from
// 28 June 2022.
std::string policy_in_force(int64_t at);

class CaseDesk {
 public:
  // Needs Permission::cases_manage; a person outside the caller's scope is
  // "person: not found". Audited ("case.confirm").
  Result<CaseConfirmed> confirm(store::Store& store, const Vault& vault, const Caller& caller,
                                const CaseRequest& request);
  // A positive individual test result becoming a case (auto_confirm.h): the
  // person and sample as stored, the policy in force on the sample's day,
  // confirmed now. The caller posted the result: no permission of its own is
  // needed. Audited ("case.auto_confirm"). AlreadyExists for a case.
  Result<CaseConfirmed> confirm_positive(store::Store& store, const Caller& caller,
                                         ConfirmCase request);
  // Builds the index for `policy_id` now (at server start), so the first
  // case does not wait for it.
  Status warm(store::Store& store, const std::string& policy_id);
  // How many times an index was built (tests check the cache).
  long builds();

 private:
  struct Cached {
    std::shared_ptr<const TraceIndex> index;
    int64_t seq = 0;  // the change feed was read up to here
    std::string day;  // the local date it was built on
  };
  Result<std::shared_ptr<const TraceIndex>> index_locked(store::Store& store,
                                                         const domain::Policy& policy);
  // Records, traces and tells the institutions. Holds mutex_.
  Result<CaseConfirmed> confirm_locked(store::Store& store, const Caller& caller,
                                       const domain::Policy& policy, const ConfirmCase& request,
                                       bool with_lists);

  std::mutex mutex_;
  std::map<std::string, Cached> cache_;  // by policy id
  long builds_ = 0;
};

}  // namespace fx::app
