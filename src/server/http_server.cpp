// The only translation unit that includes Boost.Beast (it compiles slowly).
#include "server/http_server.h"

#include <fmt/format.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <cstdio>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

#include "store/store.h"

namespace fx::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::experimental::as_tuple(net::use_awaitable);

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A connection's state that stop() may touch, on the connection's strand.
struct Connection {
  beast::tcp_stream* stream = nullptr;  // null once the connection is closed
  bool idle = true;                     // waiting for the first byte of a request
  net::any_io_executor executor;
};

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  Handler handler;
  BodyLimit body_limit;
  net::io_context ioc;
  net::thread_pool pool;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::strand<net::io_context::executor_type> control;
  net::steady_timer grace;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::mutex connections_mutex;
  std::set<std::shared_ptr<Connection>> connections;
  std::mutex log_mutex;

  Impl(ServerOptions o, Handler h, BodyLimit b)
      : options(std::move(o)),
        handler(std::move(h)),
        body_limit(std::move(b)),
        ioc(std::max(1, options.io_threads)),
        pool(static_cast<size_t>(std::max(1, options.worker_threads))),
        acceptor(ioc),
        signals(ioc),
        control(net::make_strand(ioc)),
        grace(control) {}

  net::awaitable<void> accept_loop();
  net::awaitable<void> session(tcp::socket socket);
  net::awaitable<bool> write_stream(beast::tcp_stream& stream, unsigned version, const Response& r);
  void begin_stop();
  void forget(const std::shared_ptr<Connection>& c);
  void log(const std::string& remote, const std::string& method, const Response& r, size_t bytes,
           std::chrono::steady_clock::time_point start);
};

void HttpServer::Impl::log(const std::string& remote, const std::string& method, const Response& r,
                           size_t bytes, std::chrono::steady_clock::time_point start) {
  if (!options.access_log) return;
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  // The route pattern, never the path or query: no ID number or name reaches the log.
  std::string line = fmt::format("{} {} {} \"{}\" {} {} {:.1f}ms\n", store::utc_now_iso(), remote,
                                 method, r.route, r.status, bytes, ms);
  std::lock_guard lock(log_mutex);
  if (options.log_sink)
    options.log_sink(line);
  else
    std::fputs(line.c_str(), stderr);
}

void HttpServer::Impl::forget(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(connections_mutex);
  connections.erase(c);
  if (stopping && connections.empty()) net::post(control, [this] { grace.cancel(); });
}

void HttpServer::Impl::begin_stop() {
  net::post(control, [this] {
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    std::lock_guard lock(connections_mutex);
    for (const auto& c : connections)
      net::post(c->executor, [c] {
        if (c->stream && c->idle) c->stream->cancel();
      });
    if (connections.empty()) return;
    grace.expires_after(options.shutdown_grace);
    grace.async_wait([this](beast::error_code ec) {
      if (ec) return;  // every connection closed in time
      std::lock_guard lock(connections_mutex);
      for (const auto& c : connections)
        net::post(c->executor, [c] {
          if (c->stream) c->stream->socket().close();
        });
    });
  });
}

net::awaitable<void> HttpServer::Impl::accept_loop() {
  for (;;) {
    tcp::socket socket(net::make_strand(ioc));
    auto [ec] = co_await acceptor.async_accept(socket, use_tuple);
    if (ec) {
      if (stopping || ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of file descriptors and the like: wait a little instead of spinning.
      net::steady_timer t(co_await net::this_coro::executor, std::chrono::milliseconds(50));
      co_await t.async_wait(use_tuple);
      continue;
    }
    auto ex = socket.get_executor();
    net::co_spawn(ex, session(std::move(socket)), net::detached);
  }
}

net::awaitable<bool> HttpServer::Impl::write_stream(beast::tcp_stream& stream, unsigned version,
                                                    const Response& r) {
  http::response<http::empty_body> res{http::status::ok, version};
  res.set(http::field::server, "fangxian");
  res.set(http::field::content_type, r.content_type);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Accel-Buffering", "no");
  res.set("X-Content-Type-Options", "nosniff");
  res.chunked(true);
  res.keep_alive(false);
  http::response_serializer<http::empty_body> sr{res};
  stream.expires_after(options.write_timeout);
  auto [ec, n] = co_await http::async_write_header(stream, sr, use_tuple);
  if (ec) co_return false;
  const EventStream& es = *r.stream;
  net::steady_timer timer(co_await net::this_coro::executor);
  for (;;) {
    std::string out;
    bool more = co_await net::co_spawn(
        pool, [&]() -> net::awaitable<bool> { co_return es.pull(out); }, net::use_awaitable);
    if (!out.empty()) {
      stream.expires_after(options.write_timeout);
      auto [wec, wn] =
          co_await net::async_write(stream, http::make_chunk(net::buffer(out)), use_tuple);
      if (wec) co_return false;
    }
    if (!more || (stopping && es.ends_on_shutdown)) break;
    timer.expires_after(es.interval);
    co_await timer.async_wait(use_tuple);
  }
  stream.expires_after(options.write_timeout);
  auto [lec, ln] = co_await net::async_write(stream, http::make_chunk_last(), use_tuple);
  co_return !lec;
}

net::awaitable<void> HttpServer::Impl::session(tcp::socket socket) {
  beast::error_code ec0;
  auto ep = socket.remote_endpoint(ec0);
  std::string remote = ec0 ? "-" : ep.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  auto conn = std::make_shared<Connection>();
  conn->stream = &stream;
  conn->executor = stream.get_executor();
  {
    std::lock_guard lock(connections_mutex);
    connections.insert(conn);
  }
  // At most 1 MiB of unread input is buffered: a pipelining client waits.
  beast::flat_buffer buffer(1u << 20);
  int served = 0;
  bool linger = false;

  // Answers a request the server refuses itself, then closes.
  auto refuse = [&](int status, const char* code, const char* message,
                    unsigned version) -> net::awaitable<void> {
    Response r = Response::json(status, json_error(code, message));
    r.route = "refused";
    linger = true;
    http::response<http::string_body> res{static_cast<http::status>(status), version};
    res.set(http::field::server, "fangxian");
    res.set(http::field::content_type, r.content_type);
    res.keep_alive(false);
    res.body() = r.body;
    res.prepare_payload();
    stream.expires_after(options.write_timeout);
    co_await http::async_write(stream, res, use_tuple);
    log(remote, "-", r, r.body.size(), std::chrono::steady_clock::now());
  };

  for (;;) {
    if (stopping && buffer.size() == 0) break;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    // No body limit while reading the header (Beast would refuse a large
    // Content-Length there); the route's limit is set once the path is known.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    conn->idle = buffer.size() == 0;
    stream.expires_after(conn->idle && served > 0 ? options.idle_timeout : options.read_timeout);
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    conn->idle = false;
    auto start = std::chrono::steady_clock::now();
    if (ec) {
      if (ec == http::error::body_limit)
        co_await refuse(413, "too_large", "请求体超过上限 (request body too large)", 11);
      else if (ec == http::error::header_limit)
        co_await refuse(431, "header_too_large", "请求头过大 (request header fields too large)",
                        11);
      else if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
               ec != net::error::operation_aborted && ec != net::error::eof &&
               ec != net::error::connection_reset && ec != http::error::partial_message)
        co_await refuse(400, "bad_request", "无法解析的 HTTP 请求 (malformed HTTP request)", 11);
      break;
    }
    auto& req = parser.get();
    const unsigned version = req.version();
    Request r;
    r.method = std::string(req.method_string());
    r.remote = remote;
    auto url = boost::urls::parse_origin_form(req.target());
    if (!url) {
      co_await refuse(400, "bad_request", "请求目标无效 (invalid request target)", version);
      break;
    }
    r.path = url->path();
    for (auto seg : url->segments()) r.segments.push_back(seg);
    for (auto p : url->params()) r.query.emplace_back(p.key, p.has_value ? p.value : "");

    size_t limit = body_limit(r.method, r.segments);
    if (limit == 0) limit = options.default_body_limit;
    if (parser.content_length() && *parser.content_length() > limit) {
      co_await refuse(413, "too_large", "请求体超过上限 (request body too large)", version);
      break;
    }
    parser.body_limit(limit);
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      http::response<http::empty_body> cont{http::status::continue_, version};
      co_await http::async_write(stream, cont, use_tuple);
    }
    if (!parser.is_done()) {
      stream.expires_after(options.read_timeout);
      auto [bec, bn] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (bec) {
        if (bec == http::error::body_limit)
          co_await refuse(413, "too_large", "请求体超过上限 (request body too large)", version);
        else if (bec != beast::error::timeout && bec != net::error::operation_aborted &&
                 bec != http::error::end_of_stream && bec != net::error::eof)
          co_await refuse(400, "bad_request", "无法解析的请求体 (malformed request body)", version);
        break;
      }
    }
    for (const auto& f : req)
      r.headers.emplace_back(lower(f.name_string()), std::string(f.value()));
    r.body = std::move(req.body());

    Response resp;
    try {
      resp = co_await net::co_spawn(
          pool, [&]() -> net::awaitable<Response> { co_return handler(r); }, net::use_awaitable);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fangxian: handler failed: %s\n", e.what());
      resp = Response::json(500, json_error("internal", "服务器内部错误 (internal error)"));
    }

    // Decided after the handler: a request in flight when stop() came gets "Connection: close".
    const bool keep_alive =
        req.keep_alive() && !stopping && ++served < options.max_requests_per_connection;
    if (resp.stream) {
      bool ok = co_await write_stream(stream, version, resp);
      log(remote, r.method, resp, 0, start);
      (void)ok;
      break;
    }
    http::response<http::string_body> res{static_cast<http::status>(resp.status), version};
    res.set(http::field::server, "fangxian");
    res.set(http::field::content_type, resp.content_type);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "no-referrer");
    if (r.path.starts_with("/api/")) res.set(http::field::cache_control, "no-store");
    if (resp.content_type.starts_with("text/html"))
      res.set("Content-Security-Policy",
              "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
              "frame-ancestors 'none'");
    for (const auto& [k, v] : resp.headers) res.insert(k, v);
    res.keep_alive(keep_alive);
    size_t bytes = resp.body.size();
    res.body() = std::move(resp.body);
    res.prepare_payload();
    if (r.method == "HEAD") res.body().clear();
    stream.expires_after(options.write_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
    log(remote, r.method, resp, bytes, start);
    if (wec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (linger) {
    // Read and drop what the client still sends (up to 64 MiB or 2 s), so that
    // closing does not reset the connection before it has read the answer: a
    // browser that sends a 30 MB file to a 20 MB route still sees the 413.
    std::array<char, 65536> sink;
    size_t drained = 0;
    stream.expires_after(std::chrono::seconds(2));
    while (drained < (64u << 20)) {
      auto [rec, rn] = co_await stream.async_read_some(net::buffer(sink), use_tuple);
      if (rec) break;
      drained += rn;
    }
  }
  conn->stream = nullptr;
  forget(conn);
}

HttpServer::HttpServer(ServerOptions options, Handler handler, BodyLimit body_limit)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(body_limit))) {
}

HttpServer::~HttpServer() {
  stop();
  wait();
}

Result<uint16_t> HttpServer::start() {
  auto& s = *impl_;
  beast::error_code ec;
  auto addr = net::ip::make_address(s.options.host, ec);
  if (ec) return Status::Invalid("无效的监听地址 invalid listen address " + s.options.host);
  tcp::endpoint ep(addr, s.options.port);
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return Status::Unavailable("无法监听 cannot listen on " + s.options.host + ":" +
                               std::to_string(s.options.port) + ": " + ec.message());
  uint16_t port = s.acceptor.local_endpoint().port();
  net::co_spawn(s.control, s.accept_loop(), net::detached);
  for (int i = 0; i < std::max(1, s.options.io_threads); ++i)
    s.threads.emplace_back([&s] { s.ioc.run(); });
  return port;
}

void HttpServer::stop() {
  if (impl_->stopping.exchange(true)) return;
  impl_->begin_stop();
}

void HttpServer::stop_on_signals() {
  auto& s = *impl_;
  net::post(s.control, [this, &s] {
    s.signals.add(SIGINT);
    s.signals.add(SIGTERM);
    s.signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) stop();
    });
  });
}

void HttpServer::wait() {
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  impl_->threads.clear();
  impl_->pool.join();
}

bool HttpServer::stopping() const { return impl_->stopping; }

}  // namespace fx::server
