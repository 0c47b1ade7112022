#include "app/login_throttle.h"

#include <algorithm>

namespace fx::app {

long LoginThrottle::retry_after(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.locked_until <= now) return 0;
  auto left = std::chrono::ceil<std::chrono::seconds>(it->second.locked_until - now);
  return std::max<long>(1, static_cast<long>(left.count()));
}

void LoginThrottle::failed(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (entries_.size() > 100000) {  // bound memory under a flood of distinct keys
    std::erase_if(entries_, [&](const auto& kv) {
      return kv.second.locked_until <= now && now - kv.second.first_failure > limits_.window;
    });
  }
  Entry& e = entries_[key];
  if (e.failures == 0 || now - e.first_failure > limits_.window) {
    e.failures = 0;
    e.first_failure = now;
  }
  if (++e.failures >= limits_.max_failures) {
    auto lock_for = limits_.lockout * (1L << std::min(e.lockouts, 16));
    e.locked_until = now + std::min<std::chrono::seconds>(lock_for, limits_.max_lockout);
    ++e.lockouts;
    e.failures = 0;
    e.first_failure = now;
  }
}

void LoginThrottle::succeeded(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

}  // namespace fx::app
