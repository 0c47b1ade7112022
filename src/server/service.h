// The whole server assembled: accounts, the API routes, static files and the
// HTTP server, over one store. `fangxian serve`, `fangxian demo` and the
// tests start it the same way.
#pragma once

#include <memory>
#include <string>

#include "app/accounts.h"
#include "core/vault.h"
#include "server/http_server.h"
#include "server/router.h"
#include "store/store.h"

namespace fx::server {

struct ServiceOptions {
  ServerOptions http;
  std::string web_root;    // static files; empty: none
  std::string upload_dir;  // private folder for uploads while imported
  bool secure_cookies = false;
  app::AccountsConfig accounts;
  bool auto_confirm = true;   // a positive individual result opens the case
  bool warm_tracing = false;  // build the tracing index in the background at start
};

class Service {
 public:
  Service(store::Store& store, const Vault& vault, ServiceOptions options);
  ~Service();

  Result<uint16_t> start();
  void stop();
  void stop_on_signals();
  // Until the server has stopped and background imports have finished.
  void wait();

  // Builds the tracing index of the default policy now (it is otherwise
  // built by the first case).
  Status warm_tracing();
  app::Accounts& accounts();
  Router& router();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "host:port" → host and port; Invalid when malformed.
Status parse_listen(const std::string& text, std::string& host, uint16_t& port);

}  // namespace fx::server
