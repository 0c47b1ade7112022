#include "store/postgres/pg_feed_listener.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace fx::store::postgres {
namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::seconds(5);

// MAX(seq) on `c`, or -1 when the statement failed.
int64_t read_head(PGconn* c) {
  PGresult* r = PQexec(c, "SELECT COALESCE(MAX(seq), 0) FROM changes");
  int64_t v = -1;
  if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
    v = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
  PQclear(r);
  return v;
}

}  // namespace

PgFeedListener::PgFeedListener(std::string url, std::chrono::milliseconds fallback_poll)
    : url_(std::move(url)), fallback_poll_(fallback_poll) {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
  thread_ = std::thread([this] { run(); });
}

PgFeedListener::~PgFeedListener() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  moved_.notify_all();
  if (wake_[1] >= 0) (void)!::write(wake_[1], "x", 1);
  if (thread_.joinable()) thread_.join();
  for (int fd : wake_)
    if (fd >= 0) ::close(fd);
}

std::optional<int64_t> PgFeedListener::heard() const {
  if (!listening_.load()) return std::nullopt;
  return head_.load();
}

void PgFeedListener::raise(int64_t seq) {
  {
    std::lock_guard lock(mutex_);  // a waiter between its check and its wait is not missed
    if (seq <= head_.load()) return;
    head_ = seq;
  }
  moved_.notify_all();
}

void PgFeedListener::note_committed(int64_t seq) { raise(seq); }

void PgFeedListener::set_listening(bool on) {
  {
    std::lock_guard lock(mutex_);
    listening_ = on;
  }
  moved_.notify_all();
}

std::optional<int64_t> PgFeedListener::wait_past(int64_t after, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  moved_.wait_for(lock, timeout,
                  [&] { return stop_.load() || (listening_.load() && head_.load() > after); });
  lock.unlock();
  return heard();
}

bool PgFeedListener::sleep_unless_stopped(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return !moved_.wait_for(lock, d, [&] { return stop_.load(); });
}

void PgFeedListener::run() {
  auto backoff = std::chrono::milliseconds(kFirstBackoff);
  while (!stop_) {
    // The URL with a bounded connect and a name to find this session by.
    const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
    const char* values[] = {url_.c_str(), "5", "fangxian-listen", nullptr};
    PGconn* c = PQconnectdbParams(keys, values, 1);
    bool ok = c && PQstatus(c) == CONNECTION_OK;
    if (ok) {
      PQsetNoticeProcessor(
          c, [](void*, const char*) {}, nullptr);
      PGresult* r = PQexec(c, "LISTEN fx_changes");
      ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
    }
    int64_t head = ok ? read_head(c) : -1;  // after LISTEN: nothing falls in between
    if (head < 0) {
      if (c) PQfinish(c);
      if (!sleep_unless_stopped(backoff)) break;
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
      continue;
    }
    backoff = kFirstBackoff;
    ++connects_;
    raise(head);
    set_listening(true);
    while (!stop_) {
      pollfd fds[2] = {{PQsocket(c), POLLIN, 0}, {wake_[0], POLLIN, 0}};
      int n = ::poll(fds, wake_[0] >= 0 ? 2 : 1, static_cast<int>(fallback_poll_.count()));
      if (stop_) break;
      if (n < 0) continue;  // EINTR
      if (n == 0) {
        // Nothing for a while: read the head anyway, in case a notification was lost.
        int64_t h = read_head(c);
        if (h < 0) break;
        raise(h);
      } else if (!PQconsumeInput(c)) {
        break;  // the connection is gone
      }
      while (PGnotify* note = PQnotifies(c)) {
        raise(std::strtoll(note->extra, nullptr, 10));
        PQfreemem(note);
      }
      if (PQstatus(c) != CONNECTION_OK) break;
    }
    set_listening(false);
    PQfinish(c);
    if (!stop_ && !sleep_unless_stopped(backoff)) break;
  }
  set_listening(false);
}

}  // namespace fx::store::postgres
