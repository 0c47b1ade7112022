// What only the PostgreSQL store meets: a server that goes away under a
// transaction, one that is not there at start, and two nodes racing.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <thread>

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

}  // namespace
}  // namespace fx::store
