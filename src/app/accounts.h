// Accounts: users and their passwords, login sessions with CSRF tokens, API
// tokens for machine clients, and the first administrator.
//
// Passwords are argon2id strings (libsodium crypto_pwhash_str). Session and
// API token values are 32 random bytes in hex; the store keeps only their
// keyed hashes, so a copy of the database opens no session. The CSRF token of
// a session is derived from it with the vault's key and never stored.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/caller.h"
#include "app/login_throttle.h"
#include "core/vault.h"
#include "store/store.h"

namespace fx::app {

struct AccountsConfig {
  // argon2id cost; the defaults are libsodium's "interactive" limits
  // (about 0.1 s and 64 MiB a hash). Tests lower them.
  unsigned long long pwhash_ops = 2;
  size_t pwhash_mem = 64u << 20;
  std::chrono::seconds session_ttl{8 * 3600};  // a login lasts a working day
  // How long a checked session or token is trusted without asking the store
  // again (a revocation on another node takes at most this long).
  std::chrono::seconds cache_ttl{5};
  ThrottleLimits user_throttle{};  // per user name
  ThrottleLimits address_throttle{20, std::chrono::seconds(15 * 60), std::chrono::seconds(60),
                                  std::chrono::seconds(15 * 60)};  // per client address
  int min_password_length = 10;
};

struct NewUser {
  std::string username, display_name, role, task_group;
  std::string institution;            // code, for role institution
  std::vector<std::string> colleges;  // codes, for role liaison
  std::string password;               // empty: generate one
};

struct LoginResult {
  Caller caller;
  std::string session_token;  // the cookie value
  std::string csrf_token;
  std::string expires_at;
  long max_age_seconds = 0;
};

struct NewToken {
  std::string name;
  std::string username;             // whose rights the token carries (within its scopes)
  std::vector<std::string> scopes;  // permission names; empty: all of the user's
  int days = 365;                   // 0: never expires
};

class Accounts {
 public:
  Accounts(store::Store& store, const Vault& vault, AccountsConfig config = {});

  const AccountsConfig& config() const { return config_; }

  // Users (command line and the /users routes). `actor` is audited.
  // Returns the password (generated when none was given).
  Result<std::string> add_user(const NewUser& user, const Caller& actor);
  // Sets a new password (generated when empty, and returned); ends the user's sessions.
  Result<std::string> set_password(const std::string& username, const std::string& password,
                                   const Caller& actor);
  Status set_disabled(const std::string& username, bool disabled, const Caller& actor);
  Result<std::vector<store::UserRecord>> list_users();
  // When no user exists, creates `admin` (command role) and returns its
  // one-time password; otherwise returns nothing.
  Result<std::optional<std::string>> ensure_first_admin();

  // Login. Unauthenticated for a wrong user name or password (the same
  // message for both), RateLimited while throttled.
  Result<LoginResult> login(const std::string& username, const std::string& password,
                            const std::string& remote, const std::string& route);
  // Seconds until this user name or address may try to log in again.
  long login_retry_after(const std::string& username, const std::string& remote);
  // The caller of a session cookie; Unauthenticated when unknown, expired or disabled.
  Result<Caller> session_caller(const std::string& session_token);
  std::string csrf_token(const std::string& session_token) const;
  bool csrf_ok(const std::string& session_token, const std::string& presented) const;
  Status logout(const std::string& session_token, const Caller& caller);

  // API tokens: create returns the secret, shown once.
  Result<std::pair<store::TokenRecord, std::string>> create_token(const NewToken& token,
                                                                  const Caller& actor);
  Status revoke_token(int64_t id, const Caller& actor);
  Result<std::vector<store::TokenRecord>> list_tokens();
  Result<Caller> token_caller(const std::string& secret);

  // Active sessions (for /metrics).
  Result<long> active_sessions();

  // A random password: 16 characters from an unambiguous alphabet.
  static std::string generate_password();
  // The caller a user acts as (role, scope, permissions).
  Result<Caller> caller_of(const store::UserRecord& user);

 private:
  Result<std::string> hash_password(const std::string& password) const;
  Status audit(const Caller& actor, const std::string& action, const std::string& subject_kind,
               int64_t subject_id, const std::string& detail);
  void forget_cached();

  store::Store& store_;
  const Vault& vault_;
  AccountsConfig config_;
  LoginThrottle user_throttle_, address_throttle_;
  struct Cached {
    Caller caller;
    std::chrono::steady_clock::time_point until;
    std::string expires_at;
  };
  std::mutex cache_mutex_;
  std::unordered_map<std::string, Cached> cache_;  // hash hex → caller
};

}  // namespace fx::app
