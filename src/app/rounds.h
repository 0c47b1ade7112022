// Test rounds (核酸检测): create and close rounds, exempt people, import or
// post sampling records and lab results, correct a result. Each function is
// one transaction; imports report every rejected row with its reason and
// keep what cannot be applied silently as a conflict for review.
// docs/test-rounds.md describes the rules.
#pragma once

#include <string>
#include <vector>

#include "app/import_report.h"
#include "core/vault.h"
#include "domain/rounds.h"
#include "store/store.h"

namespace fx::app {

struct CreateRound {
  std::string name;
  std::string date;  // as written: 2022-03-10, 2022/3/10, …
  int pool_size = 10;
  domain::RoundScopeKind scope = domain::RoundScopeKind::all;
  // institutions: 学校代码; units: unit ids; people: people ids (as text)
  std::vector<std::string> scope_values;
  std::string deadline;  // local time as written, empty: none
  std::string actor = "cli";
};

// Stores the round with its due snapshot (the people in scope now); returns its id.
Result<int64_t> create_round(store::Store& store, const CreateRound& request);
Status close_round(store::Store& store, int64_t round_id, const std::string& actor);
Status exempt_person(store::Store& store, int64_t round_id, int64_t person_id,
                     domain::ExemptReason reason, const std::string& note,
                     const std::string& actor);
// Replaces a reported result (a lab's correction), recording who and why.
Status correct_result(store::Store& store, int64_t round_id, const std::string& tube_code,
                      domain::TestResult result, const std::string& actor,
                      const std::string& reason);

// One sampling record as a machine client posts it (or a file row).
struct SamplingRecord {
  long row = 0;  // numbers the record in the report; the index + 1 when 0
  std::string tube_code;
  std::string id_number;                      // 证件号码, or
  std::string person_code, institution_code;  // 学号/工号 with 学校代码
  std::string name;                           // informational
  std::string site;
  std::string sampled_at;  // local time as written
};

struct ResultRecordIn {
  long row = 0;
  std::string tube_code;
  std::string result;  // 阴性/阳性/无效 or negative/positive/invalid
  std::string lab;
  std::string reported_at;  // local time as written; empty: now
  std::string ct;
};

// A person whose own tube (one member: not a pool still to re-test) came
// back positive in a results batch: the positive that opens a case.
struct PositiveSample {
  int64_t person_id = 0;
  std::string tube_code;
  std::string sampled_at;  // UTC ISO 8601, as stored with the sample
};

struct RoundImportReport {
  std::string kind;  // "round.sampling" or "round.results"
  int64_t round_id = 0;
  std::string file_name, format, sha256;  // empty for a posted batch
  bool already_imported = false;
  int64_t import_id = 0;
  long rows = 0;
  long imported = 0;   // samples or results stored
  long unchanged = 0;  // already stored exactly so
  long flagged = 0;    // kept as conflicts for review (results only)
  long tubes_created = 0;
  std::vector<store::Rejection> rejected;
  std::vector<store::ConflictRecord> conflicts;
  // Results only: individual positives newly stored (none in a dry run).
  std::vector<PositiveSample> positives;
  double seconds = 0;
};
std::string to_json(const RoundImportReport& report);
std::string to_text(const RoundImportReport& report);

// Columns 采样管码, 证件号码 (or 学号/工号 with 学校代码), 姓名, 采样点, 采样时间.
Result<RoundImportReport> import_sampling(store::Store& store, const Vault& vault, int64_t round_id,
                                          const std::string& path,
                                          const ImportOptions& options = {});
// Columns 采样管码, 检测结果, 检测机构, 报告时间, Ct值.
Result<RoundImportReport> import_results(store::Store& store, int64_t round_id,
                                         const std::string& path,
                                         const ImportOptions& options = {});
// The same checks for batches posted by machine clients (no file, no import record).
Result<RoundImportReport> post_sampling(store::Store& store, const Vault& vault, int64_t round_id,
                                        const std::vector<SamplingRecord>& records,
                                        const std::string& actor);
Result<RoundImportReport> post_results(store::Store& store, int64_t round_id,
                                       const std::vector<ResultRecordIn>& records,
                                       const std::string& actor);

}  // namespace fx::app
