// The policy files of policies/ (built into the binary) and policy files given
// on the command line, read into domain::Policy with errors naming the field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/policy.h"
#include "trace/presence.h"

namespace fx::app {

inline constexpr const char* kDefaultPolicy = "covid-8th";  // the source's time, spring 2022

// Reads one policy; `origin` names the file in errors.
Result<domain::Policy> parse_policy(std::string_view json, const std::string& origin);
// A policy built into the binary by id ("covid-9th"), or read from a path
// when `id_or_path` ends in ".json".
Result<domain::Policy> find_policy(const std::string& id_or_path);
std::vector<std::string> policy_ids();  // the built-in ones

trace::Thresholds thresholds_of(const domain::Policy& policy);

// Generated at build time from policies/*.json (src/CMakeLists.txt).
struct EmbeddedPolicy {
  const char* id;
  const char* json;
};
const std::vector<EmbeddedPolicy>& embedded_policies();

}  // namespace fx::app
