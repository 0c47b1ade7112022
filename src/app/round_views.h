// Test rounds as the server shows them: every read is scoped by the caller,
// and the columnar board behind the tables is kept between requests. The
// board follows the change feed: a roster or institution change reloads the
// placement, a round's change re-derives that round only, so a live table
// costs a feed query and a count while nothing changes. Other nodes' writes
// reach the board the same way, through the shared feed.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/caller.h"
#include "app/rounds.h"
#include "app/rounds_board.h"
#include "core/vault.h"
#include "store/store.h"

namespace fx::app {

struct RoundSummary {
  domain::Round round;
  TableRow total;  // within the caller's scope
};

struct RoundPeoplePage {
  std::vector<ListedPerson> items;
  long total = 0;
};

class RoundViews {
 public:
  // Figures (Permission::figures_read).
  Result<std::vector<RoundSummary>> rounds(store::Store& store, const Caller& caller);
  Result<RoundSummary> round(store::Store& store, const Caller& caller, int64_t round_id);
  // `institution_code` empty: every institution the caller sees; one outside
  // the scope is NotFound.
  Result<RoundTable> table(store::Store& store, const Caller& caller, int64_t round_id, TableBy by,
                           const std::string& institution_code);
  // The people behind a figure (Permission::people_list), masked, paged from 1.
  Result<RoundPeoplePage> people(store::Store& store, const Caller& caller, int64_t round_id,
                                 const std::vector<domain::PersonStatus>& statuses,
                                 const std::string& institution_code, int64_t unit_id, int page,
                                 int per_page);

 private:
  // Brings the board up to the feed and `round_id` (0: none) up to date. Holds mutex_.
  Status refresh(store::Store& store, int64_t round_id);
  Result<int64_t> institution_in_scope(const Caller& caller, const std::string& code) const;

  std::mutex mutex_;
  std::optional<RoundBoard> board_;
  int64_t seen_seq_ = 0;  // the feed is applied up to here
  struct Derived {
    bool stale = true;
    bool deadline_passed = false;
    std::string deadline;  // when not passed yet: re-derive once it passes
  };
  std::map<int64_t, Derived> derived_;
};

// Creating and closing rounds (Permission::rounds_manage).
Result<int64_t> create_round_as(store::Store& store, const Caller& caller, CreateRound request);
Status close_round_as(store::Store& store, const Caller& caller, int64_t round_id);

// Samples and results from machine clients and uploads (Permission::samples_write).
Result<RoundImportReport> post_sampling_as(store::Store& store, const Vault& vault,
                                           const Caller& caller, int64_t round_id,
                                           const std::vector<SamplingRecord>& records);
Result<RoundImportReport> post_results_as(store::Store& store, const Caller& caller,
                                          int64_t round_id,
                                          const std::vector<ResultRecordIn>& records);
struct RoundUpload {
  std::string kind;  // "sampling" or "results"
  std::string file_name;
  std::string_view bytes;
  std::string upload_dir;
};
Result<RoundImportReport> upload_round_file(store::Store& store, const Vault& vault,
                                            const Caller& caller, int64_t round_id,
                                            const RoundUpload& upload);

}  // namespace fx::app
