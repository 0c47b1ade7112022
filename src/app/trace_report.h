// A trace's lists as people read them: names, masked ID numbers, place names
// and local times, for the CLI's --json, the API and the key-person sources.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <unordered_map>

#include "app/tracing.h"

namespace fx::app {

class TraceReport {
 public:
  // Reads the place names and the briefs of everyone in `result`.
  static Result<TraceReport> load(store::Store& store, const TraceIndex& index,
                                  const trace::TraceResult& result);

  // {"close":[…], "secondary":[…]}: each {person, name, person_code,
  // id_masked, minutes, first, last, sources:[{person, name, minutes,
  // exposures:[{place, place_id, kind, kind_name, from, to, minutes, times}]}]}
  boost::json::object json(const trace::TraceResult& result) const;
  boost::json::array exposures_json(const trace::SourceLink& link) const;
  // One contact per line, for the terminal.
  std::string text(const trace::TraceResult& result) const;

 private:
  boost::json::object contact_json(const trace::Contact& c) const;
  std::string name_of(trace::PersonIx ix) const;
  const TraceIndex* index_ = nullptr;
  std::unordered_map<int64_t, std::string> place_names_;
  std::unordered_map<int64_t, store::PersonBrief> people_;
};

double minutes_of(int64_t seconds);  // to one decimal

}  // namespace fx::app
