// Directive reports: time from issue to acknowledgement and to completion,
// per directive, per recipient (each institution, task group and liaison,
// over the directives it received) and per recipient kind, and
// the exports of the directive list, of one directive's recipients and of
// the per-institution figures. All over what the caller sees.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/directives.h"

namespace fx::app {

struct InstitutionTiming {
  std::string code, name;            // the recipient key ("S001", "group:人员管控") and name
  std::string kind = "institution";  // institution, group, liaison
  DirectiveSummary summary;          // over this recipient's rows
  std::optional<double> mean_minutes_to_ack, mean_minutes_to_done;
};

struct DirectiveStats {
  std::vector<DirectiveView> directives;            // newest first, without history
  std::vector<InstitutionTiming> institutions;      // kind institution, by code
  std::vector<InstitutionTiming> others;            // task groups, then liaisons, by key
  std::map<std::string, DirectiveSummary> by_kind;  // institution, group, liaison
  DirectiveSummary total;                           // over every row the caller sees
};

// Needs directives.act; `now` as in list_directives.
Result<DirectiveStats> directive_stats(store::Store& store, const Caller& caller,
                                       const std::string& now = "");

std::string directive_stats_json(const DirectiveStats& s);
std::string directive_stats_text(const DirectiveStats& s);

// .xlsx or .csv by the path's extension.
Status export_directive_list(const std::vector<DirectiveView>& list, const std::string& path);
Status export_directive_recipients(const DirectiveView& v, const std::string& path);
Status export_directive_stats(const DirectiveStats& s, const std::string& path);

}  // namespace fx::app
