// libFuzzer target: HTTP request parsing (Beast's parser with the server's
// limits), the request target (Boost.URL), cookies, and strict JSON bodies.
// Build and run: scripts/fuzz-http.sh [seconds].
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <cstdint>
#include <string>

#include "server/http.h"
#include "server/json_body.h"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = parser.put(boost::asio::buffer(input.data(), input.size()), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  (void)used;
  if (!parser.is_header_done()) {
    // Not a request: still exercise the JSON reader on the raw bytes.
    (void)fx::server::JsonBody::parse(input, {"username", "password"});
    return 0;
  }
  const auto& req = parser.get();
  fx::server::Request r;
  r.method = std::string(req.method_string());
  auto url = boost::urls::parse_origin_form(req.target());
  if (url) {
    r.path = url->path();
    for (auto seg : url->segments()) r.segments.push_back(seg);
    for (auto p : url->params()) r.query.emplace_back(p.key, p.has_value ? p.value : "");
  }
  for (const auto& f : req) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  (void)r.cookie("fx_session");
  (void)r.param("q");
  if (parser.is_done()) {
    auto body = fx::server::JsonBody::parse(req.body(), {"username", "password", "scopes", "days"});
    if (body.ok()) {
      (void)body->string("username", true, 64);
      (void)body->strings("scopes", 20);
      (void)body->integer("days", 0, 3650);
      (void)body->boolean("password");
    }
  }
  return 0;
}
