// The chain of transmission (传播链) as data for the dashboard's graph: every
// case and key person as a node, every "met its source" link as an edge with
// the minutes shared, which contacts became cases. Computed from the stored
// cases and key people on each request, never a snapshot. Nodes outside the
// caller's institutions keep their place in the chain but not their name.
#pragma once

#include <string>
#include <vector>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct ChainNode {
  int64_t person = 0;
  std::string name, institution;  // empty outside the caller's scope
  std::string kind;               // case, close, secondary
  int64_t case_id = 0;            // when the person is a case
  bool in_scope = true;
};

struct ChainEdge {
  int64_t from = 0, to = 0;  // source person → contact
  std::string category;      // close, secondary
  int64_t minutes = 0;
};

struct Chain {
  std::vector<ChainNode> nodes;  // cases first, then close, then secondary
  std::vector<ChainEdge> edges;
  long cases = 0, close = 0, secondary = 0, became_cases = 0;
};

// Permission::people_list; only chains touching the caller's institutions.
Result<Chain> transmission_chain(store::Store& store, const Caller& caller);
std::string chain_json(const Chain& chain);

}  // namespace fx::app
