// One real service on a temporary SQLite store for an API test suite: the key
// file, the store, institutions (and a roster) imported, the server on a free
// port, and users who all share one password. A suite builds one in
// SetUpTestSuite and keeps it for all its tests.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../../tests/test_support.h"
#include "app/imports.h"
#include "server/service.h"
#include "server/test_client.h"

namespace fx::server::testing {

constexpr const char* kWorldPassword = "correct-horse-battery";

struct ApiWorld {
  fx::testing::TempDir dir;
  std::optional<Vault> vault;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Service> service;
  uint16_t port = 0;

  // Opens the key and the store and imports, when given, the institutions
  // and a roster (CSV text each).
  void open(const std::string& institutions_csv = "", const std::string& roster_csv = "") {
    auto key = Vault::open_or_create(dir.file("fangxian.key"));
    ASSERT_TRUE(key.ok()) << key.status().message();
    vault = std::move(*key);
    auto opened = store::open_store(dir.file("fx.db"), *vault);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store = std::move(*opened);
    if (institutions_csv.empty()) return;
    fx::testing::write_file(dir.file("institutions.csv"), institutions_csv);
    auto inst = app::import_institutions(*store, dir.file("institutions.csv"));
    ASSERT_TRUE(inst.ok()) << inst.status().message();
    if (roster_csv.empty()) return;
    fx::testing::write_file(dir.file("roster.csv"), roster_csv);
    auto roster = app::import_roster(*store, *vault, dir.file("roster.csv"));
    ASSERT_TRUE(roster.ok()) << roster.status().message();
    ASSERT_TRUE(roster->rejected.empty()) << roster->rejected[0].reason;
  }

  // Starts the service (cheap password hashing: tests log in often) and adds
  // `users`, each with kWorldPassword.
  void start(std::vector<app::NewUser> users) {
    ServiceOptions o;
    o.http.host = "127.0.0.1";
    o.http.port = 0;
    o.web_root = dir.file("web");
    o.upload_dir = dir.file("uploads");
    o.accounts.pwhash_ops = 1;
    o.accounts.pwhash_mem = 8192;
    service = std::make_unique<Service>(*store, *vault, o);
    auto started = service->start();
    ASSERT_TRUE(started.ok()) << started.status().message();
    port = *started;
    auto cli = app::cli_caller("test");
    for (app::NewUser& u : users) {
      u.password = kWorldPassword;
      auto added = service->accounts().add_user(u, cli);
      ASSERT_TRUE(added.ok()) << u.username << ": " << added.status().message();
    }
  }

  // A client logged in as `user`.
  Client as(const std::string& user) const {
    Client c(port);
    EXPECT_EQ(c.login(user, kWorldPassword).status, 200) << user;
    return c;
  }
};

// A user of `role` ("command", "group", "institution", "viewer", …) with a
// task group or an institution code.
inline app::NewUser world_user(const std::string& name, const std::string& role,
                               const std::string& group = "", const std::string& institution = "") {
  return app::NewUser{name, "", role, group, institution, {}, ""};
}

// The body parsed as JSON (a failed parse fails the test).
inline boost::json::value body_of(const HttpResponse& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  EXPECT_FALSE(ec) << r.body;
  return v;
}

}  // namespace fx::server::testing
