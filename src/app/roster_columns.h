// The columns of the import templates and the header texts each accepts.
#pragma once

#include <vector>

#include "app/table_import.h"

namespace fx::app {

enum InstitutionField {
  kInstCode,
  kInstName,
  kInstKind,
  kInstAddress,
  kInstLon,
  kInstLat,
  kInstLiaison,
  kInstFieldCount
};

enum RosterField {
  kRosterInstCode,
  kRosterInstName,
  kRosterName,
  kRosterIdKind,
  kRosterIdNumber,
  kRosterPersonCode,
  kRosterGender,
  kRosterBirth,
  kRosterRole,
  kRosterCampus,
  kRosterDepartment,
  kRosterGrade,
  kRosterClass,
  kRosterDorm,
  kRosterPhone,
  kRosterCompound,
  kRosterFieldCount
};

const std::vector<ColumnSpec>& institution_columns();
const std::vector<ColumnSpec>& roster_columns();

}  // namespace fx::app
