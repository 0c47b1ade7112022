// The HTTP/1.1 server (Boost.Beast and Asio with C++20 coroutines). Beast
// stays inside http_server.cpp; callers see plain Request and Response.
//
// Each connection is one coroutine on its own strand: it reads a request
// (header first, so an oversized body is refused with 413 before it is
// read), runs the handler on the worker pool so that slow store calls never
// block the io threads, writes the response, and repeats while the client
// keeps the connection alive. Requests on one connection are answered one at
// a time, in order: a pipelining client has at most one request in flight.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "server/http.h"

namespace fx::server {

struct ServerOptions {
  std::string host = "127.0.0.1";                  // the address to listen on
  uint16_t port = 8080;                            // 0: any free port (start() returns it)
  int io_threads = 2;                              // threads running the sockets
  int worker_threads = 4;                          // threads running handlers (store calls)
  size_t header_limit = 16 * 1024;                 // bytes of request line and headers (431 above)
  size_t default_body_limit = 64 * 1024;           // for paths that match no route
  std::chrono::milliseconds read_timeout{30000};   // to receive one whole request
  std::chrono::milliseconds idle_timeout{60000};   // between requests on a kept-alive connection
  std::chrono::milliseconds write_timeout{60000};  // to send one response
  int max_requests_per_connection = 10000;
  std::chrono::milliseconds shutdown_grace{20000};  // in-flight requests get this long on stop
  bool access_log = true;  // one line per request: no path, no query, no body, no user
  // Where access log lines go; default: standard error.
  std::function<void(const std::string& line)> log_sink;
};

// The largest request body for a method and path (0: the default limit).
using BodyLimit =
    std::function<size_t(const std::string& method, const std::vector<std::string>& segments)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, Handler handler, BodyLimit body_limit);
  ~HttpServer();

  // Binds, listens and starts the threads; returns the port.
  Result<uint16_t> start();
  // Stops accepting, closes idle connections, lets in-flight requests finish
  // (up to shutdown_grace). Safe from any thread; returns at once.
  void stop();
  // Stops on SIGINT or SIGTERM.
  void stop_on_signals();
  // Blocks until the server has stopped and every connection is closed.
  void wait();
  bool stopping() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fx::server
