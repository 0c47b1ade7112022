#include "cli/context.h"

#include <cstdio>
#include <filesystem>

namespace fx::cli {

std::string Context::key_path() const {
  if (!key.empty()) return key;
  if (db.find("://") != std::string::npos) return "./var/fangxian.key";
  auto parent = std::filesystem::path(db).parent_path();
  return (parent.empty() ? std::filesystem::path("fangxian.key") : parent / "fangxian.key")
      .string();
}

const Vault* Context::vault() {
  if (!vault_) {
    auto v = Vault::open_or_create(key_path());
    if (!v.ok()) {
      fail(v.status());
      return nullptr;
    }
    vault_ = std::move(*v);
  }
  return &*vault_;
}

store::Store* Context::store() {
  if (store_) return store_.get();
  const Vault* v = vault();
  if (!v) return nullptr;
  if (db.find("://") == std::string::npos) {
    std::error_code ec;
    auto parent = std::filesystem::path(db).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  auto s = store::open_store(db, *v);
  if (!s.ok()) {
    fail(s.status());
    return nullptr;
  }
  store_ = std::move(*s);
  return store_.get();
}

int fail(const Status& status) {
  std::fprintf(stderr, "fangxian: %s\n", status.message().c_str());
  return kExitFailed;
}

}  // namespace fx::cli
