#include "app/tracing.h"

#include <chrono>

#include "app/policies.h"
#include "app/presence_lookup.h"
#include "app/presence_time.h"

namespace fx::app {

Result<std::unique_ptr<TraceIndex>> TraceIndex::build(store::Store& store,
                                                      const domain::Policy& policy,
                                                      PresenceOptions options, bool keep_data) {
  for (int k = 2; k < kPlaceKinds; ++k)
    options.dwell_seconds[k] = int64_t{policy.dwell_minutes[k]} * 60;
  auto out = std::make_unique<TraceIndex>();
  auto started = std::chrono::steady_clock::now();
  auto loaded = load_presence(store, options);
  if (!loaded.ok()) return loaded.status();
  out->presence = std::move(*loaded);
  auto loaded_at = std::chrono::steady_clock::now();
  out->index = trace::PresenceIndex::build(out->presence.data);
  auto built_at = std::chrono::steady_clock::now();
  const trace::PresenceData& data = out->presence.data;
  out->stays = data.stays.size();
  out->sessions = data.sessions.size();
  out->memberships = data.memberships.size();
  out->pairs = data.pairs.size();
  if (!keep_data) out->presence.data = trace::PresenceData{};
  out->load_seconds = std::chrono::duration<double>(loaded_at - started).count();
  out->build_seconds = std::chrono::duration<double>(built_at - loaded_at).count();
  return out;
}

int64_t window_start(const domain::Policy& policy, const CaseWindow& c) {
  int64_t from = c.sample_time;
  if (!c.onset_date.empty()) {
    std::string iso;
    int64_t days = 0;
    if (parse_day(c.onset_date, iso, days)) from = days * 86400 - kShanghaiOffset;
  }
  return from - int64_t{policy.exposure_days_before} * 86400;
}

Result<trace::TraceResult> trace_cases(const TraceIndex& index, const domain::Policy& policy,
                                       const std::vector<CaseWindow>& cases, int64_t at) {
  trace::TraceQuery q;
  q.quarantine_start = at;
  q.thresholds = thresholds_of(policy);
  for (const CaseWindow& c : cases) {
    const int64_t ix = index.presence.person_ix(c.person_id);
    if (ix < 0) continue;
    q.cases.push_back({static_cast<trace::PersonIx>(ix), window_start(policy, c),
                       c.isolated_at != 0 ? c.isolated_at : at});
  }
  trace::Tracer tracer(index.index);
  return tracer.trace(q);
}

Result<int64_t> resolve_person(store::Store& store, const Vault& vault, const std::string& text) {
  PresenceLookup lookup;
  FX_RETURN_IF_ERROR(lookup.load(store, vault));
  std::string why;
  const size_t colon = text.find(':');
  if (colon != std::string::npos) {
    const int64_t inst = lookup.institution(text.substr(0, colon));
    if (inst == 0)
      return Status::NotFound("没有学校代码 " + text.substr(0, colon) + " (no such institution)");
    const int64_t id = lookup.person_by_code(inst, text.substr(colon + 1));
    if (id == 0) return Status::NotFound("该校没有学号/工号 " + text.substr(colon + 1));
    return id;
  }
  const int64_t id = lookup.person_by_id_number(text, why);
  if (id == 0)
    return Status::NotFound(
        "找不到此人 (no such person): " +
        (why.empty() ? std::string("未登记的证件号码 (unknown ID number)") : why));
  return id;
}

}  // namespace fx::app
