// Mainland China mobile numbers.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace fx::domain {

// Accepts 11 digits starting 13–19, optionally with a +86/86/0086 prefix and
// spaces or hyphens between groups; `normalized` receives the 11 digits.
Status validate_mobile(std::string_view text, std::string& normalized);

// 138****5678: the first three and last four digits kept.
std::string mask_phone(std::string_view phone);

}  // namespace fx::domain
