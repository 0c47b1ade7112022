// What only the PostgreSQL store meets: a server that goes away under a
// transaction, one that is not there at start, and two nodes racing.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "store/feed_signal.h"
#include "store/store.h"
#include "tests/pg_test_support.h"

namespace fx::store {
namespace {

class PostgresOnly : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = fx::testing::pg_fresh_database();
    ASSERT_TRUE(url.ok()) << url.status().message();
    url_ = *url;
    auto s = open_store(url_, vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  // Ends every other session on this test's database, as a restart would.
  void terminate_sessions() {
    PGconn* c = PQconnectdb(url_.c_str());
    ASSERT_EQ(PQstatus(c), CONNECTION_OK);
    PGresult* r = PQexec(c,
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                         "current_database() AND pid <> pg_backend_pid()");
    EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
  }
  ImportRecord record(const std::string& sha) {
    ImportRecord r;
    r.kind = "roster";
    r.file_name = "a.csv";
    r.sha256 = sha;
    r.format = "CSV";
    r.started_at = r.finished_at = "2022-03-08T00:00:00.000Z";
    r.actor = "cli";
    return r;
  }

  Vault vault_ = Vault::for_testing(9);
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_F(PostgresOnly, ConnectionLostMidTransactionIsUnavailableAndNothingIsWritten) {
  {
    auto tx = store_->begin();
    ASSERT_TRUE(tx.ok());
    domain::Institution i;
    i.code = "A01";
    i.name = "第一中学";
    ASSERT_TRUE((*tx)->insert_institution(i).ok());
    terminate_sessions();
    Status s = (*tx)->commit();
    EXPECT_EQ(s.code(), Status::Code::unavailable) << s.message();
  }
  // Reads and the next write reconnect.
  auto list = store_->list_institutions();
  ASSERT_TRUE(list.ok() || list.status().code() == Status::Code::unavailable);
  list = store_->list_institutions();
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_TRUE(list->empty());
  auto tx = store_->begin();
  ASSERT_TRUE(tx.ok()) << tx.status().message();
  ASSERT_TRUE((*tx)->append_change({0, "", "x", 0, 0, "{}"}).ok());
  EXPECT_TRUE((*tx)->commit().ok());
}

TEST_F(PostgresOnly, UnreachableAtStartIsAClearUnavailableWithoutThePassword) {
  setenv("FX_PG_CONNECT_ATTEMPTS", "2", 1);
  auto s = open_store("postgresql://fx:hunter2secret@127.0.0.1:1/district", vault_);
  unsetenv("FX_PG_CONNECT_ATTEMPTS");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::unavailable);
  EXPECT_NE(s.status().message().find("127.0.0.1:1/district unreachable after 2 attempts"),
            std::string::npos)
      << s.status().message();
  EXPECT_EQ(s.status().message().find("hunter2secret"), std::string::npos);
}

TEST_F(PostgresOnly, TwoNodesImportingOneFileExactlyOneWins) {
  auto other = open_store(url_, vault_);
  ASSERT_TRUE(other.ok());
  Status results[2];
  Store* stores[2] = {store_.get(), other->get()};
  std::vector<std::thread> nodes;
  for (int n = 0; n < 2; ++n) {
    nodes.emplace_back([&, n] {
      auto tx = stores[n]->begin();
      if (!tx.ok()) return void(results[n] = tx.status());
      auto id = (*tx)->insert_import(record("same-file"));
      if (!id.ok()) return void(results[n] = id.status());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // both inside at once
      results[n] = (*tx)->commit();
    });
  }
  for (auto& t : nodes) t.join();
  int won = results[0].ok() + results[1].ok();
  EXPECT_EQ(won, 1) << results[0].message() << " / " << results[1].message();
  const Status& lost = results[0].ok() ? results[1] : results[0];
  EXPECT_EQ(lost.code(), Status::Code::already_exists) << lost.message();
  EXPECT_EQ(store_->list_imports(10)->size(), 1u);
}

TEST_F(PostgresOnly, ChangeSeqsFromConcurrentNodesAreSeenInOrder) {
  auto other = open_store(url_, vault_);
  ASSERT_TRUE(other.ok());
  Store* stores[2] = {store_.get(), other->get()};
  std::vector<std::thread> nodes;
  for (int n = 0; n < 2; ++n)
    nodes.emplace_back([&, n] {
      for (int i = 0; i < 50; ++i) {
        auto tx = stores[n]->begin();
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE((*tx)->append_change({0, "", "x", 0, i, "{}"}).ok());
        ASSERT_TRUE((*tx)->commit().ok());
      }
    });
  // A follower reading while they write never sees a seq below one it saw.
  int64_t last = 0;
  long seen = 0;
  for (int spins = 0; seen < 100 && spins < 20000; ++spins) {
    auto c = store_->changes_after(last, 1000);
    ASSERT_TRUE(c.ok());
    for (const auto& x : *c) {
      EXPECT_GT(x.seq, last);
      last = x.seq;
      ++seen;
    }
  }
  for (auto& t : nodes) t.join();
  auto rest = store_->changes_after(last, 1000);
  seen += static_cast<long>(rest->size());
  EXPECT_EQ(seen, 100);
}

// The pid of this test database's listening connection (application_name
// fangxian-listen), or 0 when there is none.
int listener_pid(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  PGresult* r = PQexec(c,
                       "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND "
                       "application_name = 'fangxian-listen'");
  int pid = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
                ? std::atoi(PQgetvalue(r, 0, 0))
                : 0;
  PQclear(r);
  PQfinish(c);
  return pid;
}

// Appends one change through `store` and returns its seq.
int64_t write_change(Store& store) {
  auto tx = store.begin();
  EXPECT_TRUE(tx.ok());
  auto seq = (*tx)->append_change({0, "", "x", 0, 0, "{}"});
  EXPECT_TRUE(seq.ok());
  EXPECT_TRUE((*tx)->commit().ok());
  return seq.ok() ? *seq : 0;
}

// Waits up to `limit` for the store to be listening; its heard seq.
std::optional<int64_t> listening(Store& store, std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (auto h = heard_change_seq(store)) return h;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

TEST_F(PostgresOnly, ListenWakesAFollowerWhenAnotherNodeCommits) {
  auto other = open_store(url_, vault_);
  ASSERT_TRUE(other.ok());
  int64_t before = write_change(**other);
  auto heard = listening(*store_, std::chrono::seconds(5));
  ASSERT_TRUE(heard) << "the store never started listening";
  EXPECT_EQ(*heard, before) << "on connecting it reads the feed's head";

  // A follower blocked on the feed wakes when the other node commits, long
  // before the listener's 5 s fallback poll could have told it.
  std::chrono::steady_clock::time_point woke;
  std::optional<int64_t> seen;
  std::thread follower([&] {
    seen = wait_for_change(*store_, before, std::chrono::seconds(4));
    woke = std::chrono::steady_clock::now();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the follower is waiting
  auto committed = std::chrono::steady_clock::now();
  int64_t seq = write_change(**other);
  follower.join();
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, seq);
  auto ms = std::chrono::duration_cast<std::chrono::microseconds>(woke - committed).count() / 1e3;
  std::printf("a follower woke %.2f ms after the other node's commit\n", ms);
  EXPECT_LT(ms, 1000);

  // Its own commits are known at once, without waiting for the notification.
  int64_t mine = write_change(*store_);
  EXPECT_EQ(heard_change_seq(*store_).value_or(0), mine);
}

TEST_F(PostgresOnly, TheListenerReconnectsAfterItsBackendIsTerminated) {
  auto other = open_store(url_, vault_);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(listening(*store_, std::chrono::seconds(5)));
  int first = listener_pid(url_);
  ASSERT_GT(first, 0);
  {
    PGconn* c = PQconnectdb(url_.c_str());
    PGresult* r = PQexec(c, ("SELECT pg_terminate_backend(" + std::to_string(first) + ")").c_str());
    EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
  }
  // A change committed while it is away is not lost: on reconnecting it
  // reads the head again.
  int64_t while_away = write_change(**other);
  int second = 0;
  for (int i = 0; i < 100 && (second == 0 || second == first); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    second = listener_pid(url_);
  }
  EXPECT_GT(second, 0) << "no listening connection after the old one was terminated";
  EXPECT_NE(second, first);
  auto heard = wait_for_change(*store_, while_away - 1, std::chrono::seconds(5));
  ASSERT_TRUE(heard);
  EXPECT_GE(*heard, while_away);
  int64_t after = write_change(**other);
  EXPECT_EQ(wait_for_change(*store_, while_away, std::chrono::seconds(5)).value_or(0), after);
}

TEST_F(PostgresOnly, StatementsArePreparedOnceAndAgainAfterAReconnect) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store_->changes_after(0, 10).ok());
  write_change(*store_);
  for (int i = 0; i < 3; ++i) {
    auto c = store_->changes_after(0, 10);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->size(), 1u);
  }
  terminate_sessions();
  // The server forgot them with the session: the first read may fail as
  // unavailable, the next reconnects and prepares again.
  auto c = store_->changes_after(0, 10);
  if (!c.ok()) c = store_->changes_after(0, 10);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->size(), 1u);
  auto last = store_->last_change_seq();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, (*c)[0].seq);
}

}  // namespace
}  // namespace fx::store
