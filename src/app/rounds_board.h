// The statistics table (核酸检测统计表) from an in-memory columnar snapshot:
// people as dense indexes with their institution and unit, and per round one
// status byte per person. The table is a count over those bytes, not a query.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/caller.h"
#include "domain/rounds.h"
#include "store/store.h"

namespace fx::app {

// Each person's status in a round, derived from the stored facts.
// `people` are sorted ids; the result is indexed like them. People not in the
// list are ignored; `deadline_passed` turns unsampled due people into missed.
std::vector<domain::PersonStatus> derive_facts(const store::RoundFacts& facts,
                                               const std::vector<int64_t>& people,
                                               bool deadline_passed);
// True when the round is closed or its deadline is before `now_utc`.
bool deadline_passed(const domain::Round& round, const std::string& now_utc);

// One row of the table: an institution, or a unit of one.
struct TableRow {
  int64_t institution_id = 0;
  std::string institution_code, institution_name;
  int64_t unit_id = 0;    // 0 for an institution row, or people without a unit
  std::string unit_path;  // "本部/护理学院/2021级/护理2101"
  long due = 0, sampled = 0, reported = 0, negative = 0, pending = 0, positive = 0,
       pool_positive = 0, invalid = 0, missed = 0, exempt = 0;
  double coverage = 0;  // sampled / due × 100, one decimal
};

enum class TableBy { institution, unit };

struct RoundTable {
  domain::Round round;
  TableBy by = TableBy::institution;
  std::vector<TableRow> rows;  // institutions by code, then units by path
  TableRow total;
  std::string generated_at;  // UTC ISO 8601
};

// A person behind a figure, or on the missed or re-test list.
struct ListedPerson {
  int64_t person_id = 0;
  std::string institution_code, institution_name, unit_path;
  std::string name, person_code, id_masked;
  domain::PersonStatus status = domain::PersonStatus::due;
};

class RoundBoard {
 public:
  // Reads the roster's placement (people, institutions, units) from the store.
  static Result<RoundBoard> load(store::Store& store);
  // Loads (or reloads) a round's facts and derives its status bytes.
  Status load_round(store::Store& store, int64_t round_id, const std::string& now_utc = "");

  // The table of a loaded round; `institution_id` 0 for the whole district.
  // With `scope`, only the institutions it sees (rows and total).
  RoundTable table(int64_t round_id, TableBy by, int64_t institution_id = 0,
                   const Caller* scope = nullptr) const;
  // People of a loaded round with one of `statuses`, optionally in one
  // institution and unit and within `scope`, in roster order.
  std::vector<int64_t> people_with(int64_t round_id,
                                   const std::vector<domain::PersonStatus>& statuses,
                                   int64_t institution_id = 0, int64_t unit_id = 0,
                                   const Caller* scope = nullptr) const;
  // The same with names, codes and masked ID numbers (for lists and drill-down).
  Result<std::vector<ListedPerson>> list(store::Store& store, int64_t round_id,
                                         const std::vector<domain::PersonStatus>& statuses,
                                         int64_t institution_id = 0, int64_t unit_id = 0) const;
  // Names, codes and masked ID numbers of `ids` (people of the board) in a loaded round.
  Result<std::vector<ListedPerson>> describe(store::Store& store, int64_t round_id,
                                             const std::vector<int64_t>& ids) const;
  int64_t institution_id(const std::string& code) const;  // 0 when unknown
  const domain::Round* round(int64_t round_id) const;     // null when not loaded
  size_t people() const { return person_id_.size(); }
  const std::vector<domain::PersonStatus>* statuses(int64_t round_id) const;

 private:
  std::vector<int64_t> person_id_;  // dense index → people.id, sorted
  std::vector<uint16_t> inst_of_;   // dense index → institution index
  std::vector<uint32_t> unit_of_;   // dense index → unit index (0: none)
  std::vector<domain::Institution> institutions_;
  std::vector<domain::Unit> units_;  // index 0: "no unit"
  std::vector<uint16_t> unit_inst_;  // unit index → institution index
  struct RoundState {
    domain::Round round;
    std::vector<domain::PersonStatus> status;
  };
  std::map<int64_t, RoundState> rounds_;
};

// The table as a bureau prints it: XLSX (title, date, one row per unit,
// totals, frozen header) or CSV (UTF-8 with BOM), chosen by the extension.
Status export_table(const RoundTable& table, const std::string& path);
// {"round":{…},"by":"institution","rows":[…],"total":{…}}
std::string table_json(const RoundTable& table);
// One row as table_json writes it.
boost::json::object row_json(const TableRow& row);
std::string table_text(const RoundTable& table);

// Totals of every round, oldest first, for trends across rounds.
Result<std::vector<RoundTable>> round_trends(store::Store& store);

}  // namespace fx::app
