// The SocioPatterns school contact networks (../shared/data/real/sociopatterns,
// CC BY-NC-SA 3.0: read in place, never copied into the repository) as a
// Fangxian district of one institution: a roster built from the metadata
// (person code = the dataset's id, class from its class label, teachers as
// 教师, a pseudonymous passport number per person) and the contact file
// imported as it is with `import presence --kind sensor`.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace fx::sim {

struct SocioPatternsDataset {
  std::string name;              // "primaryschool", "highschool_2011", …
  std::string contacts;          // file name of the `t i j Ci Cj` records
  std::string metadata;          // file name of `id class gender`
  std::string institution_code;  // 学校代码 of the built roster
  std::string institution_name;
  std::string institution_kind;  // 小学 or 中学
  // --epoch for the import: t = 0 as a local time, or Unix seconds. For the
  // files in Unix time the epoch shifts Paris wall-clock time onto the same
  // wall-clock time in Asia/Shanghai (-25200 s), so 08:00 stays 08:00.
  std::string epoch;
};

// The four school datasets.
const std::vector<SocioPatternsDataset>& sociopatterns_datasets();
// Null when `name` is none of them.
const SocioPatternsDataset* find_sociopatterns(const std::string& name);

struct SocioPatternsFiles {
  std::string institutions_csv, roster_csv;
  std::string sensor;  // the original contact file, in the data folder
  long people = 0, students = 0, teachers = 0;
};

// Writes institutions.csv and roster.csv (UTF-8 with BOM) for `dataset` into
// `out_dir`, reading its metadata from `data_dir` (the sociopatterns folder).
Result<SocioPatternsFiles> write_sociopatterns_roster(const std::string& data_dir,
                                                      const SocioPatternsDataset& dataset,
                                                      const std::string& out_dir);

}  // namespace fx::sim
