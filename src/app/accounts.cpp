#include "app/accounts.h"

#include <sodium.h>

#include <algorithm>
#include <ctime>

namespace fx::app {
namespace {

std::string random_hex(size_t bytes) {
  std::vector<uint8_t> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string out = to_hex(buf.data(), buf.size());
  sodium_memzero(buf.data(), buf.size());
  return out;
}

std::string hash_hex(const Vault::Hash& h) { return to_hex(h.data(), h.size()); }

bool valid_username(const std::string& name) {
  if (name.size() < 2 || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

// UTC ISO 8601 of now + `ahead`, in the store's format (so that strings compare as times).
std::string iso_after(std::chrono::seconds ahead) {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + ahead);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

const Status kBadLogin = Status::Unauthenticated("用户名或密码错误 (wrong user name or password)");

}  // namespace

Accounts::Accounts(store::Store& store, const Vault& vault, AccountsConfig config)
    : store_(store),
      vault_(vault),
      config_(config),
      user_throttle_(config.user_throttle),
      address_throttle_(config.address_throttle) {
  if (sodium_init() < 0) std::abort();
}

std::string Accounts::generate_password() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 16; ++i) out.push_back(kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)]);
  return out;
}

Result<std::string> Accounts::hash_password(const std::string& password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), config_.pwhash_ops,
                        config_.pwhash_mem) != 0)
    return Status::Internal("out of memory hashing a password");
  return std::string(out);
}

Status Accounts::audit(const Caller& actor, const std::string& action,
                       const std::string& subject_kind, int64_t subject_id,
                       const std::string& detail) {
  store::AuditEntry e;
  e.actor = actor.actor();
  e.action = action;
  e.route = actor.route;
  e.subject_kind = subject_kind;
  e.subject_id = subject_id;
  e.detail = detail;
  e.remote = actor.remote;
  auto id = store_.accounts().append_audit(e);
  return id.ok() ? Status::Ok() : id.status();
}

void Accounts::forget_cached() {
  std::lock_guard lock(cache_mutex_);
  cache_.clear();
}

Result<Caller> Accounts::caller_of(const store::UserRecord& u) {
  Caller c;
  c.user_id = u.id;
  c.username = u.username;
  c.display_name = u.display_name;
  if (!parse_role(u.role, c.role)) return Status::Internal("user " + u.username + " has no role");
  c.task_group = u.task_group;
  c.permissions = permissions_of(c.role, c.task_group);
  switch (c.role) {
    case Role::command:
    case Role::group:
    case Role::viewer:
      c.all_institutions = true;
      break;
    case Role::institution:
      c.institutions = {u.institution_id};
      break;
    case Role::liaison:
      c.institutions = u.colleges;
      break;
  }
  return c;
}

Result<std::string> Accounts::add_user(const NewUser& n, const Caller& actor) {
  if (!valid_username(n.username))
    return Status::Invalid(
        "用户名须为 2–64 个小写字母、数字或 . _ - (user name: 2–64 of a-z 0-9 . _ -)");
  Role role;
  if (!parse_role(n.role, role))
    return Status::Invalid("未知角色 unknown role '" + n.role +
                           "' (command, group, institution, liaison, viewer)");
  store::UserRecord u;
  u.username = n.username;
  u.display_name = n.display_name.empty() ? n.username : n.display_name;
  u.role = role_code(role);
  if (role == Role::group) {
    if (!is_task_group(n.task_group))
      return Status::Invalid(
          "工作组须为六个专项组之一 (group must be one of 综合调度, 人员管控, "
          "物资保障, 舆论引导, 监督检查, 教学保障)");
    u.task_group = n.task_group;
  }
  if (role == Role::institution || role == Role::liaison) {
    auto insts = store_.list_institutions();
    if (!insts.ok()) return insts.status();
    auto find = [&](const std::string& code) -> const domain::Institution* {
      for (const auto& i : *insts)
        if (i.code == code) return &i;
      return nullptr;
    };
    if (role == Role::institution) {
      auto* i = find(n.institution);
      if (!i)
        return Status::Invalid("没有学校代码 no institution with code '" + n.institution + "'");
      u.institution_id = i->id;
    } else {
      if (n.colleges.empty()) return Status::Invalid("联络员须指定院校 (a liaison needs colleges)");
      for (const auto& code : n.colleges) {
        auto* i = find(code);
        if (!i) return Status::Invalid("没有学校代码 no institution with code '" + code + "'");
        if (i->kind != domain::InstitutionKind::college &&
            i->kind != domain::InstitutionKind::university)
          return Status::Invalid(code + " 不是高校 is not a college");
        u.colleges.push_back(i->id);
      }
    }
  }
  std::string password = n.password.empty() ? generate_password() : n.password;
  if (static_cast<int>(password.size()) < config_.min_password_length)
    return Status::Invalid("密码至少 " + std::to_string(config_.min_password_length) +
                           " 个字符 (password too short)");
  auto hash = hash_password(password);
  if (!hash.ok()) return hash.status();
  u.password_hash = std::move(*hash);
  auto id = store_.accounts().insert_user(u);
  if (!id.ok()) return id.status();
  FX_RETURN_IF_ERROR(audit(actor, "user.add", "user", *id, u.username + " " + u.role));
  return password;
}

Result<std::string> Accounts::set_password(const std::string& username, const std::string& password,
                                           const Caller& actor) {
  auto u = store_.accounts().find_user(username);
  if (!u.ok()) return u.status();
  if (!*u) return Status::NotFound("没有用户 no user " + username);
  std::string pw = password.empty() ? generate_password() : password;
  if (static_cast<int>(pw.size()) < config_.min_password_length)
    return Status::Invalid("密码至少 " + std::to_string(config_.min_password_length) +
                           " 个字符 (password too short)");
  auto hash = hash_password(pw);
  if (!hash.ok()) return hash.status();
  store::UserRecord rec = **u;
  rec.password_hash = std::move(*hash);
  FX_RETURN_IF_ERROR(store_.accounts().update_user(rec));
  FX_RETURN_IF_ERROR(store_.accounts().delete_sessions_of(rec.id));
  forget_cached();
  FX_RETURN_IF_ERROR(audit(actor, "user.passwd", "user", rec.id, rec.username));
  return pw;
}

Status Accounts::set_disabled(const std::string& username, bool disabled, const Caller& actor) {
  auto u = store_.accounts().find_user(username);
  if (!u.ok()) return u.status();
  if (!*u) return Status::NotFound("没有用户 no user " + username);
  store::UserRecord rec = **u;
  rec.disabled = disabled;
  FX_RETURN_IF_ERROR(store_.accounts().update_user(rec));
  if (disabled) FX_RETURN_IF_ERROR(store_.accounts().delete_sessions_of(rec.id));
  forget_cached();
  return audit(actor, disabled ? "user.disable" : "user.enable", "user", rec.id, rec.username);
}

Result<std::vector<store::UserRecord>> Accounts::list_users() {
  return store_.accounts().list_users();
}

Result<std::optional<std::string>> Accounts::ensure_first_admin() {
  auto users = store_.accounts().list_users();
  if (!users.ok()) return users.status();
  if (!users->empty()) return std::optional<std::string>();
  NewUser admin;
  admin.username = "admin";
  admin.display_name = "指挥部管理员";
  admin.role = "command";
  auto pw = add_user(admin, cli_caller("first start"));
  if (!pw.ok()) return pw.status();
  return std::optional<std::string>(std::move(*pw));
}

long Accounts::login_retry_after(const std::string& username, const std::string& remote) {
  return std::max(user_throttle_.retry_after("u:" + username),
                  address_throttle_.retry_after("a:" + remote));
}

Result<LoginResult> Accounts::login(const std::string& username, const std::string& password,
                                    const std::string& remote, const std::string& route) {
  if (long wait = login_retry_after(username, remote); wait > 0)
    return Status::RateLimited("登录失败次数过多，请 " + std::to_string(wait) +
                               " 秒后再试 (too many failed logins; retry in " +
                               std::to_string(wait) + " s)");
  auto u = valid_username(username) ? store_.accounts().find_user(username)
                                    : Result<std::optional<store::UserRecord>>(std::nullopt);
  if (!u.ok()) return u.status();
  bool ok = false;
  if (*u && !(*u)->disabled) {
    ok = crypto_pwhash_str_verify((*u)->password_hash.c_str(), password.data(), password.size()) ==
         0;
  } else {
    // The same work for an unknown user, so that timing tells nothing.
    static const std::string dummy = *hash_password("not a password, only work");
    if (crypto_pwhash_str_verify(dummy.c_str(), password.data(), password.size()) == 0) ok = false;
  }
  Caller who;
  who.username = *u ? (*u)->username : "-";
  who.route = route;
  who.remote = remote;
  if (!ok) {
    user_throttle_.failed("u:" + username);
    address_throttle_.failed("a:" + remote);
    FX_RETURN_IF_ERROR(audit(who, "login.failed", "user", *u ? (*u)->id : 0,
                             *u && (*u)->disabled ? "disabled" : ""));
    return kBadLogin;
  }
  user_throttle_.succeeded("u:" + username);
  auto caller = caller_of(**u);
  if (!caller.ok()) return caller.status();
  caller->route = route;
  caller->remote = remote;
  LoginResult r;
  r.session_token = random_hex(32);
  r.csrf_token = csrf_token(r.session_token);
  r.max_age_seconds = static_cast<long>(config_.session_ttl.count());
  r.expires_at = iso_after(config_.session_ttl);
  store::SessionRecord s;
  s.token_hash = vault_.hash("session", r.session_token);
  s.user_id = (*u)->id;
  s.created_at = store::utc_now_iso();
  s.expires_at = r.expires_at;
  FX_RETURN_IF_ERROR(store_.accounts().insert_session(s));
  FX_RETURN_IF_ERROR(audit(*caller, "login", "user", (*u)->id, ""));
  r.caller = std::move(*caller);
  return r;
}

std::string Accounts::csrf_token(const std::string& session_token) const {
  return hash_hex(vault_.hash("csrf", session_token));
}

bool Accounts::csrf_ok(const std::string& session_token, const std::string& presented) const {
  std::string expected = csrf_token(session_token);
  return presented.size() == expected.size() &&
         sodium_memcmp(presented.data(), expected.data(), expected.size()) == 0;
}

Result<Caller> Accounts::session_caller(const std::string& session_token) {
  static const Status kNoSession =
      Status::Unauthenticated("未登录或会话已过期 (no valid session: log in again)");
  if (session_token.size() != 64) return kNoSession;
  auto h = vault_.hash("session", session_token);
  std::string key = "s" + hash_hex(h);
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.until > now &&
        it->second.expires_at > store::utc_now_iso())
      return it->second.caller;
  }
  auto s = store_.accounts().find_session(h);
  if (!s.ok()) return s.status();
  if (!*s || (*s)->expires_at <= store::utc_now_iso()) return kNoSession;
  auto u = store_.accounts().get_user((*s)->user_id);
  if (!u.ok()) return u.status();
  if (!*u || (*u)->disabled) return kNoSession;
  auto caller = caller_of(**u);
  if (!caller.ok()) return caller.status();
  std::lock_guard lock(cache_mutex_);
  if (cache_.size() > 10000) cache_.clear();
  cache_[key] = {*caller, now + config_.cache_ttl, (*s)->expires_at};
  return caller;
}

Status Accounts::logout(const std::string& session_token, const Caller& caller) {
  auto h = vault_.hash("session", session_token);
  {
    std::lock_guard lock(cache_mutex_);
    cache_.erase("s" + hash_hex(h));
  }
  FX_RETURN_IF_ERROR(store_.accounts().delete_session(h));
  return audit(caller, "logout", "user", caller.user_id, "");
}

Result<std::pair<store::TokenRecord, std::string>> Accounts::create_token(const NewToken& n,
                                                                          const Caller& actor) {
  if (n.name.empty() || n.name.size() > 200)
    return Status::Invalid("令牌须有名称 (a token needs a name, up to 200 bytes)");
  auto u = store_.accounts().find_user(n.username);
  if (!u.ok()) return u.status();
  if (!*u) return Status::NotFound("没有用户 no user " + n.username);
  if (n.days < 0 || n.days > 3650) return Status::Invalid("days must be 0–3650");
  store::TokenRecord t;
  t.name = n.name;
  t.user_id = (*u)->id;
  t.username = (*u)->username;
  for (const auto& s : n.scopes) {
    Permission p;
    if (!parse_permission(s, p)) return Status::Invalid("未知权限 unknown scope '" + s + "'");
    t.scopes.push_back(s);
  }
  if (t.scopes.empty())
    for (auto p : all_permissions()) t.scopes.push_back(permission_name(p));
  std::string secret = "fxt_" + random_hex(32);
  t.token_hash = vault_.hash("token", secret);
  t.created_at = store::utc_now_iso();
  if (n.days > 0) t.expires_at = iso_after(std::chrono::hours(24) * n.days);
  auto id = store_.accounts().insert_token(t);
  if (!id.ok()) return id.status();
  t.id = *id;
  FX_RETURN_IF_ERROR(audit(actor, "token.add", "token", t.id, t.name));
  return std::make_pair(std::move(t), std::move(secret));
}

Status Accounts::revoke_token(int64_t id, const Caller& actor) {
  FX_RETURN_IF_ERROR(store_.accounts().revoke_token(id, store::utc_now_iso()));
  forget_cached();
  return audit(actor, "token.revoke", "token", id, "");
}

Result<std::vector<store::TokenRecord>> Accounts::list_tokens() {
  return store_.accounts().list_tokens();
}

Result<Caller> Accounts::token_caller(const std::string& secret) {
  static const Status kBadToken =
      Status::Unauthenticated("令牌无效、已过期或已撤销 (invalid, expired or revoked token)");
  if (secret.size() != 68 || !secret.starts_with("fxt_")) return kBadToken;
  auto h = vault_.hash("token", secret);
  std::string key = "t" + hash_hex(h);
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.until > now &&
        (it->second.expires_at.empty() || it->second.expires_at > store::utc_now_iso()))
      return it->second.caller;
  }
  auto t = store_.accounts().find_token(h);
  if (!t.ok()) return t.status();
  if (!*t || !(*t)->revoked_at.empty()) return kBadToken;
  if (!(*t)->expires_at.empty() && (*t)->expires_at <= store::utc_now_iso()) return kBadToken;
  auto u = store_.accounts().get_user((*t)->user_id);
  if (!u.ok()) return u.status();
  if (!*u || (*u)->disabled) return kBadToken;
  auto caller = caller_of(**u);
  if (!caller.ok()) return caller.status();
  uint32_t scope = 0;
  for (const auto& s : (*t)->scopes) {
    Permission p;
    if (parse_permission(s, p)) scope |= static_cast<uint32_t>(p);
  }
  caller->permissions &= scope;
  caller->token_id = (*t)->id;
  std::lock_guard lock(cache_mutex_);
  if (cache_.size() > 10000) cache_.clear();
  cache_[key] = {*caller, now + config_.cache_ttl, (*t)->expires_at};
  return caller;
}

Result<long> Accounts::active_sessions() {
  return store_.accounts().count_active_sessions(store::utc_now_iso());
}

}  // namespace fx::app
