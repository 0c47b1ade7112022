// The node's ear on the change feed: one connection that LISTENs on
// fx_changes (every commit that appends to `changes` sends its seq there), so
// followers of the feed learn of another node's write at once instead of on
// their next poll.
//
// A thread owns the connection. On (re)connect it LISTENs first and then
// reads MAX(seq), so nothing committed in between is missed; every
// `fallback_poll` without a notification it reads MAX(seq) again. When the
// connection drops it reconnects with backoff (0.1 s doubling to 5 s) and
// meanwhile reports nothing heard, so followers ask the database themselves.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace fx::store::postgres {

class PgFeedListener {
 public:
  explicit PgFeedListener(std::string url,
                          std::chrono::milliseconds fallback_poll = std::chrono::seconds(5));
  ~PgFeedListener();  // stops the thread and closes its connection
  PgFeedListener(const PgFeedListener&) = delete;
  PgFeedListener& operator=(const PgFeedListener&) = delete;

  // The highest seq heard (or written here); nullopt while not listening.
  std::optional<int64_t> heard() const;
  // A seq this node committed itself: known before its notification arrives.
  void note_committed(int64_t seq);
  // Blocks until a seq above `after` is heard or `timeout` passes; returns heard().
  std::optional<int64_t> wait_past(int64_t after, std::chrono::milliseconds timeout);
  // How many times the connection was made (1 after the first; more after drops).
  int connects() const { return connects_.load(); }

 private:
  void run();
  void raise(int64_t seq);
  void set_listening(bool on);
  bool sleep_unless_stopped(std::chrono::milliseconds d);

  const std::string url_;
  const std::chrono::milliseconds fallback_poll_;
  int wake_[2] = {-1, -1};  // a pipe: a byte written there ends the thread's poll()
  std::atomic<int64_t> head_{0};
  std::atomic<bool> listening_{false};
  std::atomic<bool> stop_{false};
  std::atomic<int> connects_{0};
  mutable std::mutex mutex_;
  std::condition_variable moved_;
  std::thread thread_;
};

}  // namespace fx::store::postgres
