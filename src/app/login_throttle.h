// Throttling of failed logins, per user name and per client address.
//
// After `max_failures` failures within `window`, further attempts for that
// key are refused for `lockout`, doubling with every lockout up to
// `max_lockout`. A success clears the user name's count (not the address's:
// one address trying many names stays throttled). In memory, per node.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace fx::app {

struct ThrottleLimits {
  int max_failures = 5;  // per key, within `window`
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds lockout{60};           // the first lockout
  std::chrono::seconds max_lockout{15 * 60};  // lockouts double up to this
};

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LoginThrottle(ThrottleLimits limits = {}) : limits_(limits) {}

  // Seconds until `key` may try again; 0 when it may now.
  long retry_after(const std::string& key, Clock::time_point now = Clock::now());
  void failed(const std::string& key, Clock::time_point now = Clock::now());
  void succeeded(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    int lockouts = 0;
    Clock::time_point first_failure{}, locked_until{};
  };
  ThrottleLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace fx::app
