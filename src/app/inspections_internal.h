// What the inspection use cases share (inspections*.cpp only): permission and
// field checks, the institution index and the caller's view of a finding.
#pragma once

#include <map>
#include <string>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app::inspections_detail {

Status need(const Caller& caller, Permission p);
// Lists need directives.act (one's own institutions) or inspections.manage.
Status need_list(const Caller& caller);
// `now` as UTC ISO with whole seconds; the clock when empty.
Result<std::string> now_or(const std::string& now);
// Invalid naming `field` when `text` is blank or longer than `max_bytes`.
Status required_text(const std::string& text, const std::string& field, size_t max_bytes);
// A date as schools write it → YYYY-MM-DD; Invalid naming `field` otherwise.
Result<std::string> date_field(const std::string& text, const std::string& field);
// `today` as YYYY-MM-DD, or today in Asia/Shanghai when empty.
Result<std::string> today_or(const std::string& today);

using InstitutionIndex = std::map<int64_t, domain::Institution>;
Result<InstitutionIndex> institutions(store::Store& store);
// The id of a code the caller sees; NotFound naming `field` otherwise.
Result<int64_t> institution_in_scope(const InstitutionIndex& index, const Caller& caller,
                                     const std::string& code, const char* field);
// The caller's institutions for a store filter: empty for all.
std::vector<int64_t> scope_filter(const Caller& caller);
// A finding the caller sees; NotFound otherwise (as if absent).
Result<store::FindingRecord> finding_in_scope(store::Store& store, const Caller& caller,
                                              int64_t id);

}  // namespace fx::app::inspections_detail
