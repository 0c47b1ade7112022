// InspectionStore on the PostgreSQL store's shared connections. Letter numbers
// come from a counter row that INSERT … ON CONFLICT DO UPDATE locks, so two
// nodes issuing letters at once get consecutive numbers, never the same one.
#pragma once

#include "store/inspection_store.h"
#include "store/postgres/pg_handles.h"

namespace fx::store::postgres {

class PgInspectionStore final : public InspectionStore {
 public:
  explicit PgInspectionStore(PgHandles& db) : db_(db) {}

  Result<int64_t> add_round(const InspectionRoundRecord& round) override;
  Result<std::vector<InspectionRoundRecord>> list_rounds() override;
  Result<Added> add_inspection(const InspectionRecord& inspection,
                               const std::vector<FindingRecord>& findings) override;
  Result<std::vector<InspectionRecord>> list_inspections(const InspectionFilter& f) override;
  Result<int64_t> add_finding(const FindingRecord& finding) override;
  Result<std::vector<FindingRecord>> list_findings(const InspectionFilter& f) override;
  Result<FindingRecord> get_finding(int64_t id) override;
  Result<std::vector<FindingEvent>> finding_history(int64_t id) override;
  Status link_directive(int64_t finding_id, int64_t directive_id) override;
  Status move_finding(const FindingMove& move) override;
  Result<EvidenceFile> evidence_file(int64_t file_id) override;
  Result<LetterRecord> add_letter(const LetterRecord& letter) override;
  Result<std::vector<LetterRecord>> list_letters(const InspectionFilter& f) override;
  Result<LetterRecord> get_letter(int64_t id) override;
  Result<int64_t> add_supervisor(const SupervisorRecord& s) override;
  Result<std::vector<SupervisorRecord>> list_supervisors(const InspectionFilter& f) override;

 private:
  Result<PgResult> read(const std::string& sql, const Params& params = {});

  PgHandles& db_;
};

}  // namespace fx::store::postgres
