// The reference the engine is checked against: the same rules (tracer.h)
// computed by one pass over every presence record, with no index. Slow by
// design and independent of the tracer's code, so that agreement means
// something.
#pragma once

#include "trace/presence.h"
#include "trace/trace_result.h"

namespace fx::trace {

TraceResult naive_trace(const PresenceData& data, const TraceQuery& query);

}  // namespace fx::trace
