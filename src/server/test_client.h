// A small blocking HTTP/1.1 client over POSIX sockets, for the server's
// tests: sends exactly the bytes asked (so malformed requests can be sent
// too) and reads one response (Content-Length, chunked, or until close).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <map>
#include <string>
#include <vector>

namespace fx::server::testing {

struct HttpResponse {
  int status = 0;                              // 0: no response (connection closed or timed out)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class Connection {
 public:
  explicit Connection(uint16_t port, int timeout_ms = 10000) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return connected_; }
  bool send(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  // True when the peer has closed (a read returns 0 or fails).
  bool closed_by_peer() {
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    if (n == 1) buffer_.push_back(c);
    return n <= 0;
  }

  // Whatever arrives within `ms` milliseconds (for streams).
  std::string read_for(int ms) {
    timeval tv{0, 100 * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (int waited = 0; waited < ms; waited += 100) fill();
    std::string out = std::move(buffer_);
    buffer_.clear();
    return out;
  }

  HttpResponse read_response() {
    HttpResponse r;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return r;
    std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    std::string status_line = head.substr(0, line_end);
    if (status_line.size() < 12) return r;
    r.status = std::stoi(status_line.substr(9, 3));
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string line = head.substr(pos, e - pos);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        if (r.headers.count(name))
          r.headers[name] += "\n" + value;
        else
          r.headers[name] = value;
      }
      pos = e + 2;
    }
    if (r.status == 100) return read_response();
    if (r.header("transfer-encoding").find("chunked") != std::string::npos) {
      for (;;) {
        size_t le;
        while ((le = buffer_.find("\r\n")) == std::string::npos)
          if (!fill()) return r;
        size_t size = std::stoul(buffer_.substr(0, le), nullptr, 16);
        buffer_.erase(0, le + 2);
        while (buffer_.size() < size + 2)
          if (!fill()) return r;
        r.body += buffer_.substr(0, size);
        buffer_.erase(0, size + 2);
        if (size == 0) break;
      }
    } else if (!r.header("content-length").empty()) {
      size_t len = std::stoul(r.header("content-length"));
      while (buffer_.size() < len)
        if (!fill()) break;
      r.body = buffer_.substr(0, len);
      buffer_.erase(0, std::min(len, buffer_.size()));
    } else {
      while (fill()) {
      }
      r.body = std::move(buffer_);
      buffer_.clear();
    }
    return r;
  }

 private:
  bool fill() {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// A client with a session: keeps the cookie and the CSRF token of its login.
class Client {
 public:
  explicit Client(uint16_t port, int timeout_ms = 10000) : port_(port), timeout_ms_(timeout_ms) {}

  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body = "",
                       std::vector<std::pair<std::string, std::string>> headers = {}) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!cookie_.empty()) req += "Cookie: fx_session=" + cookie_ + "\r\n";
    if (!csrf_.empty() && method != "GET") req += "X-CSRF-Token: " + csrf_ + "\r\n";
    if (!bearer_.empty()) req += "Authorization: Bearer " + bearer_ + "\r\n";
    for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT")
      req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    req += "Connection: close\r\n\r\n" + body;
    Connection c(port_, timeout_ms_);
    if (!c.connected() || !c.send(req)) return {};
    return c.read_response();
  }
  HttpResponse get(const std::string& target) { return request("GET", target); }
  HttpResponse post(const std::string& target, const std::string& body) {
    return request("POST", target, body, {{"Content-Type", "application/json"}});
  }

  // Logs in; returns the response. Keeps the cookie and CSRF token.
  HttpResponse login(const std::string& user, const std::string& password) {
    auto r =
        post("/api/v1/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    std::string set = r.header("set-cookie");
    auto p = set.find("fx_session=");
    if (r.status == 200 && p != std::string::npos) {
      cookie_ = set.substr(p + 11, set.find(';', p) - p - 11);
      auto c = r.body.find("\"csrf_token\":\"");
      if (c != std::string::npos) csrf_ = r.body.substr(c + 14, r.body.find('"', c + 14) - c - 14);
    }
    return r;
  }

  std::string cookie_, csrf_, bearer_;

 private:
  uint16_t port_;
  int timeout_ms_;
};

}  // namespace fx::server::testing
