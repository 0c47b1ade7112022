// Prometheus metrics of the server: requests and latency by route, imports,
// active sessions. Lock-free counters; rendered as text on /metrics.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fx::server {

class Metrics {
 public:
  // `routes` are the route patterns ("GET /api/v1/people"); requests that
  // match none are counted under "other".
  explicit Metrics(const std::vector<std::string>& routes);

  // Records one request of route index `route` (-1: other).
  void observe(int route, int status, double seconds);
  void import_finished(const std::string& kind, bool ok);
  // Called at render time for gauges that live elsewhere (active sessions).
  void set_sessions_source(std::function<long()> fn) { sessions_ = std::move(fn); }

  std::string render() const;

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    5};

 private:
  struct Series {
    std::string name;
    std::array<std::atomic<long>, 5> by_class{};  // 1xx … 5xx
    std::array<std::atomic<long>, kBuckets.size() + 1> buckets{};
    std::atomic<long> sum_micros{0};
  };
  std::vector<std::unique_ptr<Series>> series_;  // routes, then "other"
  std::atomic<long> imports_ok_{0}, imports_failed_{0};
  std::function<long()> sessions_;
};

}  // namespace fx::server
