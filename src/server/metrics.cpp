#include "server/metrics.h"

#include <fmt/format.h>

namespace fx::server {

Metrics::Metrics(const std::vector<std::string>& routes) {
  for (const auto& r : routes) {
    series_.push_back(std::make_unique<Series>());
    series_.back()->name = r;
  }
  series_.push_back(std::make_unique<Series>());
  series_.back()->name = "other";
}

void Metrics::observe(int route, int status, double seconds) {
  Series& s = *series_[route < 0 || route >= static_cast<int>(series_.size()) - 1
                           ? series_.size() - 1
                           : static_cast<size_t>(route)];
  int cls = status / 100 - 1;
  if (cls >= 0 && cls < 5) s.by_class[cls].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_micros.fetch_add(static_cast<long>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::import_finished(const std::string&, bool ok) {
  (ok ? imports_ok_ : imports_failed_).fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP fangxian_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE fangxian_http_requests_total counter\n";
  for (const auto& s : series_)
    for (int c = 0; c < 5; ++c) {
      long n = s->by_class[c].load(std::memory_order_relaxed);
      if (n)
        out += fmt::format("fangxian_http_requests_total{{route=\"{}\",code=\"{}xx\"}} {}\n",
                           s->name, c + 1, n);
    }
  out += "# HELP fangxian_http_request_duration_seconds Time to handle a request, by route.\n";
  out += "# TYPE fangxian_http_request_duration_seconds histogram\n";
  for (const auto& s : series_) {
    long cum = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b)
      cum += s->buckets[b].load(std::memory_order_relaxed);
    if (!cum) continue;
    long run = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      run += s->buckets[b].load(std::memory_order_relaxed);
      std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      out += fmt::format(
          "fangxian_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", s->name,
          le, run);
    }
    out += fmt::format("fangxian_http_request_duration_seconds_sum{{route=\"{}\"}} {:.6f}\n",
                       s->name, s->sum_micros.load(std::memory_order_relaxed) / 1e6);
    out += fmt::format("fangxian_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", s->name,
                       run);
  }
  out += "# HELP fangxian_imports_total Imports through the server, by outcome.\n";
  out += "# TYPE fangxian_imports_total counter\n";
  out += fmt::format("fangxian_imports_total{{outcome=\"ok\"}} {}\n", imports_ok_.load());
  out += fmt::format("fangxian_imports_total{{outcome=\"failed\"}} {}\n", imports_failed_.load());
  out += "# HELP fangxian_active_sessions Login sessions not yet expired.\n";
  out += "# TYPE fangxian_active_sessions gauge\n";
  out += fmt::format("fangxian_active_sessions {}\n", sessions_ ? sessions_() : 0);
  return out;
}

}  // namespace fx::server
