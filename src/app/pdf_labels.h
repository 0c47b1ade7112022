// Chinese labels and the PDF date shared by the printed documents (the case
// card, quarantine notices).
#pragma once

#include <cstdint>
#include <string>

namespace fx::app {

// "D:20220310120000+08'00'" for a Unix time, in Asia/Shanghai.
std::string pdf_date(int64_t unix_seconds);
std::string key_category_label(const std::string& code);  // close → 密接, …
std::string key_status_label(const std::string& code);    // quarantined → 隔离中, …
std::string transfer_label(const std::string& code);      // requested → 待转运, …
std::string contact_kind_label(const std::string& code);  // dorm_room → 宿舍, …

}  // namespace fx::app
