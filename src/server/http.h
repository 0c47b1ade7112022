// Plain HTTP request and response values, free of Boost.Beast so that the
// router, the handlers and the tests compile quickly. The Beast server
// (http_server.cpp) converts to and from these.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fx::server {

struct Request {
  std::string method;                                        // "GET", …
  std::string path;                                          // percent-decoded, without the query
  std::vector<std::string> segments;                         // path segments, decoded
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string remote;  // client address

  // The first header / query parameter of that name, or null.
  const std::string* header(std::string_view name) const;
  const std::string* param(std::string_view name) const;
  // A cookie's value from the Cookie header, or empty.
  std::string cookie(std::string_view name) const;
};

// A server-sent event stream: `pull` is called on a worker thread every
// `interval` and appends what is ready to `out`; it returns false when the
// stream is over. Streams marked `ends_on_shutdown` (the change feed) end
// when the server stops; others (an import's progress) run to their end.
struct EventStream {
  std::function<bool(std::string& out)> pull;
  std::chrono::milliseconds interval{250};
  bool ends_on_shutdown = true;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::shared_ptr<EventStream> stream;  // when set, the body is this stream
  std::string route;                    // the matched route pattern, for the access log and metrics

  static Response json(int status, std::string body);
  void header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

using Handler = std::function<Response(Request&)>;

// The HTTP status of a Status code name, and the JSON error body.
std::string json_error(std::string_view code, std::string_view message);

}  // namespace fx::server
