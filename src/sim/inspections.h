// A supervision scenario shaped like the source's (spring 2022): four full
// inspection rounds over every institution, 37 rectification findings, 23
// reminder letters and 36 on-site supervisors. Pure data, deterministic from
// the seed; app/inspection_scenario.h stores it through the use cases.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fx::sim {

struct InspectionShape {
  uint64_t seed = 20220312;
  int rounds = 4;
  int findings = 37;
  int letters = 23;
  int supervisors = 36;
};

struct PlannedFinding {
  std::string category, severity, description, deadline;
  // What became of it: closed (evidence, verified), submitted (evidence
  // waiting), returned (evidence sent back), open (nothing yet).
  std::string outcome;
  std::string evidence;
};

struct PlannedInspection {
  int round = 0;           // index into rounds
  size_t institution = 0;  // index into the institutions given
  std::string inspector, date;
  std::vector<std::pair<std::string, bool>> items;  // checklist: item, passed
  std::vector<PlannedFinding> findings;
};

struct PlannedLetter {
  size_t institution = 0;
  std::vector<std::pair<size_t, size_t>> findings;  // (inspection index, finding index)
  std::string title, body, date;
};

struct PlannedSupervisor {
  std::string name, organisation;
  size_t institution = 0;
  std::string start_date;
};

struct InspectionPlan {
  struct Round {
    std::string name, start_date, end_date;
  };
  std::vector<Round> rounds;
  std::vector<PlannedInspection> inspections;  // every institution in every round
  std::vector<PlannedLetter> letters;
  std::vector<PlannedSupervisor> supervisors;
  std::string end_date;  // the day the scenario's figures are read
};

// The plan for `institutions` institutions (at least 1).
InspectionPlan plan_inspections(size_t institutions, const InspectionShape& shape = {});

// The standard checklist (检查项), in order.
const std::vector<std::string>& inspection_checklist();

}  // namespace fx::sim
