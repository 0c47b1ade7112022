// InspectionStore: inspection and rectification (检查整改). Supervision rounds
// (督导检查轮次), inspections of institutions with their checklist, findings
// (整改问题) with an append-only history of evidence and verification,
// numbered reminder letters (提醒函) and on-site supervisors (驻点督导员).
//
// Reached through Store::inspections(). Dates are YYYY-MM-DD (Asia/Shanghai
// calendar days); instants are UTC ISO 8601 text. Every write is one
// transaction that appends to the change feed with the institution set, so
// /events shows an institution its own. The store checks what only the
// database can check (a taken name, a finding's current status, the next
// letter number); the app layer checks everything else before calling.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::store {

struct InspectionRoundRecord {
  int64_t id = 0;
  std::string name;
  std::string start_date, end_date;  // YYYY-MM-DD, end >= start
  std::string actor, created_at;
};

struct ChecklistItem {
  std::string item;
  bool passed = false;
  std::string note;
};

struct InspectionRecord {
  int64_t id = 0;
  int64_t round_id = 0;
  int64_t institution_id = 0;
  std::string inspector;     // who inspected (names, as written)
  std::string inspected_on;  // YYYY-MM-DD
  std::string summary;
  std::vector<ChecklistItem> items;
  std::string actor, created_at;
};

// A finding's status: open (waiting for evidence, or sent back), submitted
// (evidence in, waiting for the inspector), closed (verified).
struct FindingRecord {
  int64_t id = 0;
  int64_t inspection_id = 0;
  int64_t institution_id = 0;
  int64_t round_id = 0;  // read only: the inspection's round
  std::string category;
  std::string severity;  // minor, major, critical
  std::string description;
  std::string deadline;  // YYYY-MM-DD, not before the inspection date
  std::string status = "open";
  int64_t directive_id = 0;  // the directive sent for it; 0 when none
  std::string actor, created_at, updated_at;
  std::string closed_at;  // "" until verified
};

struct EvidenceFile {
  int64_t id = 0;
  int64_t finding_id = 0;  // read only (evidence_file)
  std::string name, content_type;
  int64_t size = 0;
  std::string sha256;  // hex
  std::string data;    // the bytes; empty in lists (read with file())
};

// One entry of a finding's history; never updated or deleted.
struct FindingEvent {
  int64_t id = 0;
  int64_t finding_id = 0;
  std::string action;  // opened, evidence, verified, returned
  std::string from_status, to_status;
  std::string text;  // the evidence, or the verifier's note or reason
  std::string actor, at;
  std::vector<EvidenceFile> files;  // evidence only; without data
};

// One move of a finding, applied only if it is still in `from_status` (so two
// people acting at once cannot both win); Conflict otherwise.
struct FindingMove {
  int64_t finding_id = 0;
  std::string action, from_status, to_status;
  std::string text, actor, at;
  std::vector<EvidenceFile> files;  // with data
};

struct LetterRecord {
  int64_t id = 0;
  int year = 0;
  int number = 0;  // sequential per year from 1; never reused
  int64_t institution_id = 0;
  std::string title, body;
  std::string issued_on;  // YYYY-MM-DD
  std::vector<int64_t> finding_ids;
  std::string actor, created_at;
};

struct SupervisorRecord {
  int64_t id = 0;
  std::string name;
  std::string organisation;  // where the supervisor comes from
  int64_t institution_id = 0;
  std::string start_date, end_date;  // end "" while on site
  std::string actor, created_at;
};

struct InspectionFilter {
  int64_t round_id = 0;
  std::vector<int64_t> institutions;  // empty: all
};

class InspectionStore {
 public:
  virtual ~InspectionStore() = default;

  // A taken name is AlreadyExists. Returns the new id.
  virtual Result<int64_t> add_round(const InspectionRoundRecord& round) = 0;
  virtual Result<std::vector<InspectionRoundRecord>> list_rounds() = 0;  // by start date, id

  // The inspection with its checklist and its findings, each finding with an
  // "opened" history entry: all or nothing. A second inspection of the same
  // institution in one round is AlreadyExists. Returns the inspection id and
  // the finding ids in order.
  struct Added {
    int64_t inspection_id = 0;
    std::vector<int64_t> finding_ids;
  };
  virtual Result<Added> add_inspection(const InspectionRecord& inspection,
                                       const std::vector<FindingRecord>& findings) = 0;
  // Newest first, checklists included.
  virtual Result<std::vector<InspectionRecord>> list_inspections(const InspectionFilter& f) = 0;
  // A finding on an existing inspection (its "opened" entry too).
  virtual Result<int64_t> add_finding(const FindingRecord& finding) = 0;
  virtual Result<std::vector<FindingRecord>> list_findings(const InspectionFilter& f) = 0;
  virtual Result<FindingRecord> get_finding(int64_t id) = 0;  // NotFound when absent
  virtual Result<std::vector<FindingEvent>> finding_history(int64_t id) = 0;  // oldest first
  // Records the directive sent for a finding.
  virtual Status link_directive(int64_t finding_id, int64_t directive_id) = 0;
  // Moves the finding and appends the history entry with its files.
  virtual Status move_finding(const FindingMove& move) = 0;
  // One evidence file with its bytes and its finding; NotFound when absent.
  virtual Result<EvidenceFile> evidence_file(int64_t file_id) = 0;

  // Takes the next number of letter.year (a counter row locked inside the
  // transaction: never the same number twice, never reused) and stores the
  // letter with its findings. Returns it with id and number set.
  virtual Result<LetterRecord> add_letter(const LetterRecord& letter) = 0;
  virtual Result<std::vector<LetterRecord>> list_letters(const InspectionFilter& f) = 0;
  virtual Result<LetterRecord> get_letter(int64_t id) = 0;  // NotFound when absent

  virtual Result<int64_t> add_supervisor(const SupervisorRecord& s) = 0;
  virtual Result<std::vector<SupervisorRecord>> list_supervisors(const InspectionFilter& f) = 0;
};

}  // namespace fx::store
