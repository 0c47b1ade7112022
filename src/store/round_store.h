// RoundStore: test rounds, their tubes, samples, lab results and conflicts.
//
// Reached through Store::rounds(). People are referenced by people.id. Every
// write method is one transaction of its own and appends to the change feed
// ("round.created", "round.sampling_imported", "round.results_imported",
// "round.result_corrected", "round.closed", "round.exempted"). Results are
// never overwritten by an import: a different result for a reported tube is
// stored as a conflict for review, and only correct_result() changes a
// stored result, recording who and why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/rounds.h"
#include "store/records.h"

namespace fx::store {

struct ExemptionRecord {
  int64_t person_id = 0;
  domain::ExemptReason reason = domain::ExemptReason::left;
  std::string note, at, actor;
};

struct TubeRecord {
  int64_t id = 0;
  int64_t round_id = 0;
  std::string code;  // 采样管码, unique across all rounds
};

struct SampleRecord {
  int64_t person_id = 0;
  int64_t tube_id = 0;
  std::string sampled_at;  // UTC ISO 8601
  std::string site;        // 采样点
};

struct ResultRecord {
  int64_t tube_id = 0;
  domain::TestResult result = domain::TestResult::none;
  std::string lab, reported_at, ct;  // ct: as the lab wrote it ("ORF1ab 32.1; N 30.5")
  bool late = false;                 // arrived after the round was closed
};

// Something an import could not apply silently, kept for a person to review.
struct ConflictRecord {
  int64_t id = 0;
  int64_t round_id = 0;
  std::string kind;  // "result_changed", "late_result"
  std::string tube_code;
  long row = 0;  // in the import's file, 0 for API batches
  int64_t import_id = 0;
  std::string detail;  // short text: the stored and the new value
  std::string at;
  std::string status = "open";  // open, resolved
  std::string resolved_by, resolution;
};

struct CorrectionRecord {
  int64_t tube_id = 0;
  domain::TestResult before = domain::TestResult::none, after = domain::TestResult::none;
  std::string actor, reason, at;
};

// Everything derivation and the table need about one round.
struct RoundFacts {
  domain::Round round;
  std::vector<int64_t> due;  // people in scope at the round's start, sorted
  std::vector<ExemptionRecord> exemptions;
  std::vector<TubeRecord> tubes;
  std::vector<SampleRecord> samples;  // in insertion order
  std::vector<ResultRecord> results;
};

// A person's place in the roster, for the table's columnar snapshot.
struct PersonPlacement {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t unit_id = 0;
};

// A person as lists show them: never the ID number in clear.
struct PersonBrief {
  int64_t id = 0;
  std::string name, person_code, id_masked;
};

// One import or API batch of sampling or results, written in one transaction.
struct RoundBatch {
  int64_t round_id = 0;
  struct NewSample {
    std::string tube_code;  // a new code creates the tube in this round
    SampleRecord sample;    // tube_id is filled by the store
  };
  std::vector<NewSample> samples;
  struct NewResult {
    std::string tube_code;  // must be a tube of this round without a result
    ResultRecord result;
  };
  std::vector<NewResult> results;
  std::vector<ConflictRecord> conflicts;
  std::optional<ImportRecord> import;  // none for an API batch
  Change change;                       // subject_id: the import id when there is one
};

class RoundStore {
 public:
  virtual ~RoundStore() = default;

  // Stores a new round with its due snapshot; returns its id.
  virtual Result<int64_t> create_round(const domain::Round& round, const std::vector<int64_t>& due,
                                       const Change& change) = 0;
  virtual Result<domain::Round> get_round(int64_t id) = 0;       // NotFound when absent
  virtual Result<std::vector<domain::Round>> list_rounds() = 0;  // by id
  // Closes an open round; Conflict when it is closed already.
  virtual Status close_round(int64_t id, const std::string& actor, const std::string& at) = 0;
  // Exempts a due person; NotFound when not due, AlreadyExists when exempt already.
  virtual Status add_exemption(int64_t round_id, const ExemptionRecord& exemption) = 0;

  virtual Result<RoundFacts> load_round(int64_t id) = 0;
  // For each code: the id of the round that holds it, 0 when no round does.
  virtual Result<std::vector<int64_t>> rounds_of_tubes(const std::vector<std::string>& codes) = 0;

  // Writes a batch (and its import record); returns the import id, or 0.
  // An import of the same kind and file already stored is AlreadyExists.
  virtual Result<int64_t> write_batch(const RoundBatch& batch) = 0;

  // Replaces the stored result of a tube, recording who and why, and marks
  // its open conflicts resolved. NotFound when the tube or its result is absent.
  virtual Status correct_result(int64_t round_id, const std::string& tube_code,
                                const ResultRecord& result, const std::string& actor,
                                const std::string& reason) = 0;
  virtual Result<std::vector<ConflictRecord>> list_conflicts(int64_t round_id) = 0;
  virtual Result<std::vector<CorrectionRecord>> list_corrections(int64_t round_id) = 0;

  // Every person's institution and unit, in id order.
  virtual Result<std::vector<PersonPlacement>> people_placements() = 0;
  // Name, code and masked ID of each person in `ids` (absent ones skipped).
  virtual Result<std::vector<PersonBrief>> people_briefs(const std::vector<int64_t>& ids) = 0;
};

}  // namespace fx::store
