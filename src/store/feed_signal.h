// Hearing the change feed move without asking the database. A store that
// can (PostgreSQL: LISTEN fx_changes, pg_feed_listener.h) implements
// FeedSignal beside Store; the feed's followers ask it before they read the
// feed, and read it when there is news or no signal (SQLite).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "store/store.h"

namespace fx::store {

class FeedSignal {
 public:
  virtual ~FeedSignal() = default;
  // The feed's last seq as this node has heard it (other nodes' commits by
  // notification, its own at once); nullopt while it cannot hear (the
  // listening connection is down): then ask last_change_seq(). The first
  // call starts listening.
  virtual std::optional<int64_t> heard_change_seq() = 0;
  // Blocks until a seq above `after` is heard or `timeout` passes.
  virtual std::optional<int64_t> wait_for_change(int64_t after,
                                                 std::chrono::milliseconds timeout) = 0;
};

// The store's seq as heard, or nullopt when it has no signal or is not hearing now.
inline std::optional<int64_t> heard_change_seq(Store& store) {
  auto* signal = dynamic_cast<FeedSignal*>(&store);
  return signal ? signal->heard_change_seq() : std::nullopt;
}

// Blocks until a seq above `after` is heard or `timeout` passes; nullopt at
// once for a store without a signal.
inline std::optional<int64_t> wait_for_change(Store& store, int64_t after,
                                              std::chrono::milliseconds timeout) {
  auto* signal = dynamic_cast<FeedSignal*>(&store);
  return signal ? signal->wait_for_change(after, timeout) : std::nullopt;
}

// The feed's last seq: as heard when the store hears it, else read from it.
inline Result<int64_t> feed_head(Store& store) {
  if (auto heard = heard_change_seq(store)) return *heard;
  return store.last_change_seq();
}

}  // namespace fx::store
