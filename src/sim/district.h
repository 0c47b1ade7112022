// A synthetic education district shaped like the source's (Jingyue High-tech
// Zone, Changchun, spring 2022): institutions and a roster of students,
// teachers and staff, with valid resident ID numbers, phones and dorm rooms.
//
// Everything is deterministic from the seed: the same shape gives the same
// people and byte-identical CSV files. People are streamed, so a city of
// 2,000,000 is generated in little memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::sim {

// Defaults are the source's figures.
struct DistrictShape {
  uint64_t seed = 20220308;
  long people = 181035;
  int institutions = 203;
  int colleges = 13;  // higher-vocational colleges (高职), about 55% of the people

  // A shape for `people` with institutions and colleges scaled linearly from
  // the source's ratios (at least one institution).
  static DistrictShape scaled(long people, uint64_t seed = 20220308);
  // ok when the shape can be generated: 1 <= institutions <= people,
  // 0 <= colleges <= institutions, people <= 100,000,000.
  Status validate() const;
};

struct SimInstitution {
  std::string code, name, kind, address, liaison;
  double longitude = 0, latitude = 0;
  long people = 0;
};

struct SimPerson {
  std::string institution_code, institution_name, name, id_kind, id_number, person_code, gender,
      birth_date, role, campus, department, grade, class_name, dorm, phone, home_compound;
};

// The template columns the importer reads, in order.
const std::vector<std::string>& institution_columns();
const std::vector<std::string>& roster_columns();
std::vector<std::string> institution_row(const SimInstitution& institution);
std::vector<std::string> roster_row(const SimPerson& person);

class DistrictGenerator {
 public:
  // The shape should validate(); an invalid one is clamped to the nearest valid.
  explicit DistrictGenerator(const DistrictShape& shape);
  ~DistrictGenerator();
  DistrictGenerator(const DistrictGenerator&) = delete;
  DistrictGenerator& operator=(const DistrictGenerator&) = delete;

  const std::vector<SimInstitution>& institutions() const;
  // The next person, institution by institution; false after the last one.
  bool next(SimPerson& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes into `dir` (created when missing): institutions.csv (UTF-8 with BOM),
// institutions.xlsx, roster.csv (UTF-8 with BOM), roster-gb18030.csv and
// roster.xlsx. A roster longer than one XLSX sheet allows is split into
// roster.xlsx, roster-2.xlsx, ... of 1,000,000 people each. Returns the paths written.
Result<std::vector<std::string>> write_district(const DistrictShape& shape, const std::string& dir,
                                                bool xlsx = true, bool gb18030 = true);

}  // namespace fx::sim
