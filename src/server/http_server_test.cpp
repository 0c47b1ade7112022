// The HTTP layer alone: graceful shutdown, with a handler that takes time.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "server/test_client.h"

namespace fx::server {
namespace {

TEST(HttpServerTest, StopLetsInFlightRequestsFinishAndClosesIdleConnections) {
  std::atomic<int> started{0};
  ServerOptions o;
  o.port = 0;
  o.access_log = false;
  HttpServer server(
      o,
      [&](Request& r) {
        ++started;
        if (r.path == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(800));
        return Response::json(200, "{\"path\":\"" + r.path + "\"}");
      },
      [](const std::string&, const std::vector<std::string>&) { return size_t{0}; });
  auto port = server.start();
  ASSERT_TRUE(port.ok());

  testing::Connection idle(*port);  // connected, never asks anything
  ASSERT_TRUE(idle.connected());
  testing::Connection kept(*port);  // served once, then idle on keep-alive
  kept.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(kept.read_response().status, 200);

  auto slow = std::async(std::launch::async, [&] {
    testing::Connection c(*port);
    c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    return c.read_response();
  });
  while (started < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto stop_at = std::chrono::steady_clock::now();
  server.stop();
  server.wait();
  auto waited = std::chrono::steady_clock::now() - stop_at;

  auto r = slow.get();
  EXPECT_EQ(r.status, 200);  // the in-flight request finished
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_EQ(r.body, "{\"path\":\"/slow\"}");
  EXPECT_GE(waited, std::chrono::milliseconds(500));
  EXPECT_LT(waited, std::chrono::seconds(5));
  EXPECT_TRUE(idle.closed_by_peer());
  EXPECT_TRUE(kept.closed_by_peer());
  testing::Connection after(*port);
  EXPECT_FALSE(after.connected());  // no longer listening
}

TEST(HttpServerTest, AHandlerThatThrowsIsA500AndTheServerGoesOn) {
  ServerOptions o;
  o.port = 0;
  o.access_log = false;
  HttpServer server(
      o,
      [](Request& r) -> Response {
        if (r.path == "/boom") throw std::runtime_error("boom");
        return Response::json(200, "{}");
      },
      [](const std::string&, const std::vector<std::string>&) { return size_t{0}; });
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  testing::Client c(*port);
  EXPECT_EQ(c.get("/boom").status, 500);
  EXPECT_EQ(c.get("/fine").status, 200);
}

}  // namespace
}  // namespace fx::server
