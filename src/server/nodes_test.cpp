// Several nodes on one PostgreSQL: two `fangxian serve` processes on the
// database of CTest's `postgres` fixture. A write on one is on the other's
// API within a second, a session made on one works on the other, and a node
// killed with SIGKILL in the middle of an import leaves it wholly in or out.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "server/test_client.h"
#include "store/store.h"
#include "tests/pg_test_support.h"
#include "tests/test_support.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::Client;

constexpr const char* kPassword = "two-nodes-one-database";

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Runs the binary with `args`, stdin from `input`; returns its exit code.
int run(const std::vector<std::string>& args, const std::string& input, const std::string& log) {
  std::string cmd = fx::testing::fangxian_binary();
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " >>" + log + " 2>&1";
  FILE* p = popen(cmd.c_str(), "w");
  if (!p) return -1;
  std::fputs(input.c_str(), p);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A `fangxian serve` process, killed when the object dies.
struct Node {
  pid_t pid = -1;
  uint16_t port = 0;
  Node(const std::string& url, const std::string& key, const std::string& log) {
    port = free_port();
    pid = fork();
    if (pid == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      dup2(fd, 1);
      dup2(fd, 2);
      std::string bin = fx::testing::fangxian_binary();
      std::string listen = "127.0.0.1:" + std::to_string(port);
      execl(bin.c_str(), bin.c_str(), "--db", url.c_str(), "--key", key.c_str(), "serve",
            "--listen", listen.c_str(), "--no-access-log", "--password-cost", "min",
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~Node() { kill9(); }
  void kill9() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      int status;
      ::waitpid(pid, &status, 0);
      pid = -1;
    }
  }
  bool wait_ready() {
    for (int i = 0; i < 300; ++i) {
      if (Client(port).get("/healthz").status == 200) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }
};

// A node's change feed (GET /api/v1/events) read on a socket of its own.
struct FeedReader {
  int fd = -1;
  std::string got;
  FeedReader(uint16_t port, const std::string& cookie) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return;
    std::string req =
        "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nCookie: fx_session=" + cookie + "\r\n\r\n";
    (void)!::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  }
  ~FeedReader() {
    if (fd >= 0) ::close(fd);
  }
  // Reads until `needle` has arrived (after what was read before) or `limit` passes.
  bool wait_for(const std::string& needle, std::chrono::milliseconds limit) {
    size_t from = got.size();
    auto until = std::chrono::steady_clock::now() + limit;
    while (got.find(needle, from) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      got.append(buf, static_cast<size_t>(n));
    }
    return true;
  }
};

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t)
             .count() /
         1e3;
}

class TwoNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = fx::testing::pg_fresh_database();
    ASSERT_TRUE(url.ok()) << url.status().message();
    url_ = *url;
    key_ = dir_.file("fangxian.key");
    log_ = dir_.file("nodes.log");
    ASSERT_EQ(run({"--db", url_, "--key", key_, "user", "add", "admin", "--role", "command",
                   "--password-stdin", "--password-cost", "min"},
                  std::string(kPassword) + "\n", log_),
              0)
        << fx::testing::read_file(log_);
    a_ = std::make_unique<Node>(url_, key_, log_);
    b_ = std::make_unique<Node>(url_, key_, log_);
    ASSERT_TRUE(a_->wait_ready()) << fx::testing::read_file(log_);
    ASSERT_TRUE(b_->wait_ready()) << fx::testing::read_file(log_);
  }

  std::string institutions_csv() {
    return "学校代码,学校名称,学校类型,地址,经度,纬度,联络人\n"
           "S001,净月第一中学,中学,长春市净月区,125.40,43.80,王老师\n"
           "C001,长春职业技术学院,高职,长春市,125.50,43.90,李老师\n";
  }

  fx::testing::TempDir dir_;
  std::string url_, key_, log_;
  std::unique_ptr<Node> a_, b_;
};

TEST_F(TwoNodes, AWriteOnOneIsSeenOnTheOtherWithinASecondAndSessionsWorkOnBoth) {
  Client on_a(a_->port);
  ASSERT_EQ(on_a.login("admin", kPassword).status, 200);
  Client on_b(b_->port);
  on_b.cookie_ = on_a.cookie_;  // the session made on A, presented to B
  on_b.csrf_ = on_a.csrf_;
  auto me = on_b.get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  auto before = on_b.get("/api/v1/stats/overview");
  ASSERT_EQ(before.status, 200) << before.body;

  auto imported = on_a.request("POST", "/api/v1/imports/institutions?filename=institutions.csv",
                               institutions_csv(), {{"Content-Type", "text/csv"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  auto done = std::chrono::steady_clock::now();
  bool seen = false;
  while (std::chrono::steady_clock::now() - done < 1s) {
    auto inst = on_b.get("/api/v1/institutions");
    if (inst.status == 200 && inst.body.find("净月第一中学") != std::string::npos) {
      seen = true;
      std::printf("node B showed node A's import after %lld ms\n",
                  static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::steady_clock::now() - done)
                                             .count()));
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(seen) << "node B did not show node A's import within 1 s";
  auto imports = on_b.get("/api/v1/imports");
  EXPECT_NE(imports.body.find("institutions.csv"), std::string::npos) << imports.body;

  // The same file on B: already imported, nothing changes.
  auto again = on_b.request("POST", "/api/v1/imports/institutions?filename=institutions.csv",
                            institutions_csv(), {{"Content-Type", "text/csv"}});
  EXPECT_NE(again.status, 500) << again.body;
  EXPECT_NE(again.body.find("\"already_imported\":true"), std::string::npos) << again.body;

  // Logging out on B ends the session on A too, once A's session cache
  // (AccountsConfig::cache_ttl, 5 s) lets go of it.
  EXPECT_EQ(on_b.request("POST", "/api/v1/logout").status / 100, 2);
  EXPECT_EQ(on_b.get("/api/v1/me").status, 401);
  auto logout = std::chrono::steady_clock::now();
  int status = 200;
  while (status != 401 && std::chrono::steady_clock::now() - logout < 7s) {
    status = on_a.get("/api/v1/me").status;
    if (status != 401) std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(status, 401) << "node A still honours a session ended on node B";
}

// Issue 8's check: a result posted on node A shows on node B's statistics
// table within a second (B's board follows the shared change feed).
TEST_F(TwoNodes, AResultPostedOnOneShowsOnTheOthersTableWithinASecond) {
  std::string district = dir_.file("district");
  ASSERT_EQ(run({"sim", "district", "--people", "300", "--institutions", "3", "--colleges", "1",
                 "--out", district, "--no-xlsx"},
                "", log_),
            0)
      << fx::testing::read_file(log_);
  Client on_a(a_->port);
  ASSERT_EQ(on_a.login("admin", kPassword).status, 200);
  ASSERT_EQ(on_a.request("POST", "/api/v1/imports/institutions?filename=institutions.csv",
                         fx::testing::read_file(district + "/institutions.csv"))
                .status,
            201);
  auto roster = on_a.request("POST", "/api/v1/imports/roster?filename=roster.csv",
                             fx::testing::read_file(district + "/roster.csv"));
  ASSERT_EQ(roster.status, 201) << roster.body.substr(0, 300);
  auto round =
      on_a.post("/api/v1/rounds", R"({"name":"两节点","date":"2022-03-10","pool_size":10})");
  ASSERT_EQ(round.status, 201) << round.body;
  std::string base =
      "/api/v1/rounds/" + std::to_string(json::parse(round.body).at("round").at("id").as_int64());

  Client on_b(b_->port);
  ASSERT_EQ(on_b.login("admin", kPassword).status, 200);
  auto table = on_b.get(base + "/table");  // B builds its board before the result exists
  ASSERT_EQ(table.status, 200) << table.body;
  EXPECT_EQ(json::parse(table.body).at("total").at("due").as_int64(),
            json::parse(roster.body).at("imported").as_int64());

  // Ten people of the roster in one tube, sampled and reported on A.
  auto people = json::parse(on_a.get(base + "/people?per_page=10").body);
  json::array samples;
  for (const auto& p : people.at("items").as_array())
    samples.push_back(json::object{{"tube_code", "NODE-T1"},
                                   {"person_code", p.at("person_code")},
                                   {"institution_code", p.at("institution").at("code")},
                                   {"site", "一号点"},
                                   {"sampled_at", "2022-03-10 09:00"}});
  auto s = on_a.post(base + "/sampling", json::serialize(json::object{{"records", samples}}));
  ASSERT_EQ(s.status, 200) << s.body;
  ASSERT_EQ(json::parse(s.body).at("imported").as_int64(), 10) << s.body;
  // B's change feed, as a dashboard on B holds it open.
  FeedReader feed(b_->port, on_b.cookie_);
  ASSERT_TRUE(feed.wait_for("fangxian change feed", 5s)) << feed.got;
  auto r = on_a.post(base + "/results",
                     R"({"records":[{"tube_code":"NODE-T1","result":"阴性","lab":"金域"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto posted = std::chrono::steady_clock::now();
  // The dashboard on B learns of it from its event stream (LISTEN wakes the
  // stream at once; without it the stream read the feed every 500 ms).
  double event_ms = -1;
  std::thread watch([&] {
    if (feed.wait_for("event: change", 1s)) event_ms = ms_since(posted);
  });
  long negative = 0;
  while (std::chrono::steady_clock::now() - posted < 1s) {
    auto t = on_b.get(base + "/table");
    if (t.status == 200) negative = json::parse(t.body).at("total").at("negative").as_int64();
    if (negative == 10) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(negative, 10) << "node B's table did not show node A's result within 1 s";
  const double table_ms = ms_since(posted);
  watch.join();
  EXPECT_GE(event_ms, 0) << "B's event stream did not carry A's result within 1 s: " << feed.got;
  std::printf(
      "node B's event stream had node A's result %.1f ms after it was posted (FX_PG_LISTEN=%s); "
      "B's table showed it after %.1f ms\n",
      event_ms, std::getenv("FX_PG_LISTEN") ? std::getenv("FX_PG_LISTEN") : "1", table_ms);
}

// Case tracking on the shared store: a site added and a case confirmed on
// node A (a small district with presence, tests/data/presence) are on node
// B's sites, cases, case card and tracking table within a second, and B
// refuses the same case again.
TEST_F(TwoNodes, ACaseConfirmedOnOneIsOnTheOthersTrackingTable) {
  const std::string data = fx::testing::source_dir() + "/tests/data/presence/";
  const std::vector<std::string> db = {"--db", url_, "--key", key_};
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), db.begin(), db.end());
    return run(args, "", log_);
  };
  ASSERT_EQ(cli({"import", "institutions", data + "institutions.csv"}), 0)
      << fx::testing::read_file(log_);
  ASSERT_EQ(cli({"import", "roster", data + "roster.csv"}), 0) << fx::testing::read_file(log_);
  for (const char* kind : {"timetable", "contacts"})
    ASSERT_EQ(cli({"import", "presence", "--kind", kind, "--create-places", data + kind + ".csv"}),
              0)
        << fx::testing::read_file(log_);

  Client on_a(a_->port), on_b(b_->port);
  ASSERT_EQ(on_a.login("admin", kPassword).status, 200);
  ASSERT_EQ(on_b.login("admin", kPassword).status, 200);
  // Within a second of `start`, `check` holds for node B's answer to `path`.
  auto seen_on_b = [&](const std::string& path, auto check) {
    auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < 1s) {
      auto r = on_b.get(path);
      if (r.status == 200 && check(json::parse(r.body))) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  };

  auto site = on_a.post("/api/v1/sites", R"({"name":"如家酒店净月店","capacity":50})");
  ASSERT_EQ(site.status, 201) << site.body;
  EXPECT_TRUE(seen_on_b("/api/v1/sites", [](const json::value& v) {
    const auto& items = v.at("items").as_array();
    return items.size() == 1 && items[0].at("name").as_string() == "如家酒店净月店";
  })) << "node B does not list the site added on node A";

  const std::string body =
      R"({"person":"C01:P01","sample_time":"2022-03-10 08:00","confirmed_at":"2022-03-10 12:00",)"
      R"("symptoms":"发热"})";
  auto confirmed = on_a.post("/api/v1/cases", body);
  ASSERT_EQ(confirmed.status, 201) << confirmed.body;
  auto done = json::parse(confirmed.body);
  const int64_t case_id = done.at("case").as_int64();
  const int64_t close = done.at("close").as_int64();
  EXPECT_GT(close, 0) << confirmed.body;

  EXPECT_TRUE(seen_on_b("/api/v1/tracking", [&](const json::value& v) {
    return v.at("close").as_int64() == close && !v.at("rows").as_array().empty();
  })) << "node B's tracking table does not show node A's case";
  auto cases = on_b.get("/api/v1/cases");
  ASSERT_EQ(cases.status, 200) << cases.body;
  auto items = json::parse(cases.body).at("items");
  ASSERT_EQ(items.as_array().size(), 1u) << cases.body;
  EXPECT_EQ(items.as_array()[0].at("name").as_string(), "学生甲");
  auto card = on_b.get("/api/v1/cases/" + std::to_string(case_id));
  ASSERT_EQ(card.status, 200) << card.body;
  EXPECT_EQ(json::parse(card.body).at("symptoms").as_string(), "发热");
  EXPECT_EQ(on_b.post("/api/v1/cases", body).status, 409);
}

// Ends every PostgreSQL session on the test's database (both nodes', their
// listening connections included), as a restarted server or a network cut would.
void terminate_backends(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  PGresult* r = PQexec(c,
                       "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                       "current_database() AND pid <> pg_backend_pid()");
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
}

TEST_F(TwoNodes,
       LostDatabaseConnectionsAnswer503WithNothingHalfWrittenAndTheNextRequestReconnects) {
  Client on_a(a_->port);
  ASSERT_EQ(on_a.login("admin", kPassword).status, 200);
  ASSERT_EQ(on_a.get("/api/v1/institutions").status, 200);

  // A read after the cut: a 503 in JSON at worst, then answered again.
  terminate_backends(url_);
  auto first = on_a.get("/api/v1/institutions");
  EXPECT_TRUE(first.status == 200 || first.status == 503) << first.status << " " << first.body;
  if (first.status == 503) {
    EXPECT_NE(first.body.find("\"unavailable\""), std::string::npos) << first.body;
  }
  auto again = on_a.get("/api/v1/institutions");
  EXPECT_EQ(again.status, 200) << again.body;

  // A write after the cut: either it went in whole, or it answered 503 and
  // nothing of it is there; the next try stores it.
  terminate_backends(url_);
  auto imported = on_a.request("POST", "/api/v1/imports/institutions?filename=institutions.csv",
                               institutions_csv(), {{"Content-Type", "text/csv"}});
  EXPECT_TRUE(imported.status == 201 || imported.status == 503) << imported.body;
  auto listed = on_a.get("/api/v1/institutions");
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto count = json::parse(listed.body).at("items").as_array().size();
  EXPECT_EQ(count, imported.status == 201 ? 2u : 0u) << listed.body;
  if (imported.status == 503) {
    EXPECT_EQ(on_a.get("/api/v1/imports").body.find("institutions.csv"), std::string::npos);
    imported = on_a.request("POST", "/api/v1/imports/institutions?filename=institutions.csv",
                            institutions_csv(), {{"Content-Type", "text/csv"}});
    EXPECT_EQ(imported.status, 201) << imported.body;
  }
  // Node B, cut off too, answers as well, and sees A's import.
  Client on_b(b_->port);
  auto login = on_b.login("admin", kPassword);
  if (login.status == 503) login = on_b.login("admin", kPassword);  // its first, after the cut
  ASSERT_EQ(login.status, 200) << login.body;
  auto on_b_list = on_b.get("/api/v1/institutions");
  ASSERT_EQ(on_b_list.status, 200) << on_b_list.body;
  EXPECT_NE(on_b_list.body.find("净月第一中学"), std::string::npos);
}

// Both nodes take the same file at the same moment: exactly one stores it,
// the other answers that it was already imported.
TEST_F(TwoNodes, TheSameFileImportedOnBothNodesAtOnceIsStoredOnce) {
  std::string district = dir_.file("district");
  ASSERT_EQ(run({"sim", "district", "--people", "3000", "--institutions", "5", "--colleges", "1",
                 "--out", district, "--no-xlsx"},
                "", log_),
            0)
      << fx::testing::read_file(log_);
  Client on_a(a_->port), on_b(b_->port);
  ASSERT_EQ(on_a.login("admin", kPassword).status, 200);
  ASSERT_EQ(on_b.login("admin", kPassword).status, 200);
  ASSERT_EQ(on_a.request("POST", "/api/v1/imports/institutions?filename=institutions.csv",
                         fx::testing::read_file(district + "/institutions.csv"),
                         {{"Content-Type", "text/csv"}})
                .status,
            201);
  std::string roster = fx::testing::read_file(district + "/roster.csv");
  testing::HttpResponse got[2];
  Client* nodes[2] = {&on_a, &on_b};
  std::vector<std::thread> uploads;
  for (int n = 0; n < 2; ++n)
    uploads.emplace_back([&, n] {
      got[n] = nodes[n]->request("POST", "/api/v1/imports/roster?filename=roster.csv", roster,
                                 {{"Content-Type", "text/csv"}});
    });
  for (auto& t : uploads) t.join();
  int stored = 0, already = 0;
  for (const auto& r : got) {
    EXPECT_NE(r.status, 500) << r.body.substr(0, 300);
    if (r.status == 201 && r.body.find("\"already_imported\":true") == std::string::npos) ++stored;
    if (r.body.find("\"already_imported\":true") != std::string::npos ||
        r.body.find("already imported") != std::string::npos)
      ++already;
  }
  EXPECT_EQ(stored, 1) << got[0].status << " " << got[0].body.substr(0, 300) << "\n"
                       << got[1].status << " " << got[1].body.substr(0, 300);
  EXPECT_EQ(already, 1);
  Vault vault = *Vault::open_or_create(key_);
  auto store = store::open_store(url_, vault);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->list_people(store::PeopleQuery{})->total, 3000);
  EXPECT_EQ((*store)->list_imports(10)->size(), 2u);  // institutions and one roster
}

// `serve --db-wait`: a database that never comes up ends the node after
// about that long, with a message naming where it looked.
TEST(ServeDbWait, AnUnreachableDatabaseIsRetriedForTheWaitThenAClearMessage) {
  fx::testing::TempDir dir;
  std::string log = dir.file("serve.log");
  auto start = std::chrono::steady_clock::now();
  int code = run({"--db", "postgresql://fx:secretpw@127.0.0.1:1/district", "--key",
                  dir.file("k.key"), "serve", "--listen", "127.0.0.1:0", "--db-wait", "3"},
                 "", log);
  double seconds = ms_since(start) / 1000;
  std::string out = fx::testing::read_file(log);
  EXPECT_NE(code, 0) << out;
  EXPECT_GE(seconds, 2.5) << out;
  EXPECT_LT(seconds, 15) << out;
  EXPECT_NE(out.find("127.0.0.1:1/district unreachable (attempt 2, waiting up to 3 s)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("unreachable after"), std::string::npos) << out;
  EXPECT_EQ(out.find("secretpw"), std::string::npos) << out;
}

TEST_F(TwoNodes, ANodeKilledMidImportLeavesTheImportWhollyInOrOut) {
  std::string district = dir_.file("district");
  ASSERT_EQ(run({"sim", "district", "--people", "20000", "--institutions", "20", "--colleges", "2",
                 "--out", district, "--no-xlsx"},
                "", log_),
            0)
      << fx::testing::read_file(log_);
  Client on_a(a_->port);
  ASSERT_EQ(on_a.login("admin", kPassword).status, 200);
  auto inst = on_a.request("POST", "/api/v1/imports/institutions?filename=institutions.csv",
                           fx::testing::read_file(district + "/institutions.csv"),
                           {{"Content-Type", "text/csv"}});
  ASSERT_EQ(inst.status, 201) << inst.body;
  std::string roster = fx::testing::read_file(district + "/roster.csv");
  Vault vault = *Vault::open_or_create(key_);
  long people = -1;
  for (auto delay : {500ms, 1500ms, 2500ms}) {
    std::thread upload([&] {
      on_a.request("POST", "/api/v1/imports/roster?filename=roster.csv", roster,
                   {{"Content-Type", "text/csv"}});
    });
    std::this_thread::sleep_for(delay);
    a_->kill9();
    upload.join();
    auto store = store::open_store(url_, vault);
    ASSERT_TRUE(store.ok()) << store.status().message();
    people = (*store)->list_people(store::PeopleQuery{})->total;
    EXPECT_TRUE(people == 0 || people == 20000)
        << "after a kill at " << delay.count() << " ms: " << people << " people";
    // Node B still answers, with the same count.
    Client on_b(b_->port);
    ASSERT_EQ(on_b.login("admin", kPassword).status, 200);
    EXPECT_EQ(on_b.get("/healthz").status, 200);
    if (people == 20000) break;
    a_ = std::make_unique<Node>(url_, key_, log_);  // a restarted node
    ASSERT_TRUE(a_->wait_ready()) << fx::testing::read_file(log_);
    on_a = Client(a_->port);
    ASSERT_EQ(on_a.login("admin", kPassword).status, 200);
  }
  std::printf("people after the kills: %ld\n", people);
  // Nothing half-done blocks the next import: node B imports the file whole.
  if (people == 0) {
    Client on_b(b_->port);
    ASSERT_EQ(on_b.login("admin", kPassword).status, 200);
    auto r = on_b.request("POST", "/api/v1/imports/roster?filename=roster.csv", roster,
                          {{"Content-Type", "text/csv"}});
    EXPECT_EQ(r.status, 201) << r.body.substr(0, 300);
    auto store = store::open_store(url_, vault);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ((*store)->list_people(store::PeopleQuery{})->total, 20000);
  }
}

}  // namespace
}  // namespace fx::server
