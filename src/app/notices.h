// Quarantine notices (隔离告知书): one A4 page per key person in quarantine —
// who, why (category), where and how long (stages from the policy), the test
// days, the legal basis and whom to ask — for an institution or for the
// contacts of one case, generated in one go as one PDF.
#pragma once

#include <cstdint>
#include <string>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct NoticeQuery {
  std::string institution;  // 学校代码; empty: every institution the caller sees
  int64_t case_id = 0;      // the key people this case listed, or met; 0: any
};

struct NoticeBatch {
  std::string pdf;
  long people = 0;
};

// Only people in quarantine, only in the caller's institutions (another
// institution, or a case nobody in scope is listed by, is NotFound). Audited
// once per batch ("tracking.notices") besides the table read it rests on.
Result<NoticeBatch> quarantine_notices(store::Store& store, const Caller& caller,
                                       const NoticeQuery& query);

}  // namespace fx::app
