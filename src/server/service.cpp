#include "server/service.h"

#include <charconv>

#include "server/api.h"
#include "server/static_files.h"

namespace fx::server {

struct Service::Impl {
  Impl(store::Store& store, const Vault& vault, ServiceOptions o)
      : options(std::move(o)),
        accounts(store, vault, options.accounts),
        api{store, vault, accounts, options.upload_dir, options.secure_cookies},
        files(options.web_root),
        router(api_routes(api), accounts, [this](Request& r) { return files.serve(r); }),
        http(
            options.http, [this](Request& r) { return router.handle(r); },
            [this](const std::string& m, const std::vector<std::string>& s) {
              return router.body_limit(m, s);
            }) {
    api.auto_confirm = options.auto_confirm;
    api.metrics = &router.metrics();
    api.routes = &router.routes();
    router.metrics().set_sessions_source([this] {
      auto n = accounts.active_sessions();
      return n.ok() ? *n : -1L;
    });
  }

  ServiceOptions options;
  app::Accounts accounts;
  Api api;
  StaticFiles files;
  Router router;
  HttpServer http;
};

Service::Service(store::Store& store, const Vault& vault, ServiceOptions options)
    : impl_(std::make_unique<Impl>(store, vault, std::move(options))) {}

Service::~Service() {
  stop();
  wait();
}

Result<uint16_t> Service::start() {
  auto port = impl_->http.start();
  if (port.ok() && impl_->options.warm_tracing)
    impl_->api.jobs.run([this] { (void)warm_tracing(); });
  return port;
}
Status Service::warm_tracing() { return impl_->api.case_desk.warm(impl_->api.store, ""); }
void Service::stop() { impl_->http.stop(); }
void Service::stop_on_signals() { impl_->http.stop_on_signals(); }
void Service::wait() {
  impl_->http.wait();
  impl_->api.jobs.wait_idle();
}
app::Accounts& Service::accounts() { return impl_->accounts; }
Router& Service::router() { return impl_->router; }

Status parse_listen(const std::string& text, std::string& host, uint16_t& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Status::Invalid("--listen 须为 host:port (e.g. 127.0.0.1:8080)");
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned value = 0;
  const char* b = text.data() + colon + 1;
  const char* e = text.data() + text.size();
  auto [end, ec] = std::from_chars(b, e, value);
  if (ec != std::errc() || end != e || value > 65535 || b == e)
    return Status::Invalid("--listen: 端口无效 invalid port in " + text);
  port = static_cast<uint16_t>(value);
  return Status::Ok();
}

}  // namespace fx::server
