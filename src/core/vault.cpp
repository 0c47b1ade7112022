#include "core/vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

namespace fx {
namespace {

constexpr size_t kKeyFileBytes = 64;  // seal key ‖ hash key

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

Status write_new_key(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  uint8_t key[kKeyFileBytes];
  randombytes_buf(key, sizeof key);
  // O_EXCL: two processes starting together must not both write a key.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status::Ok();
    return Status::IoError("cannot create key file " + path + ": " + std::strerror(errno));
  }
  bool ok = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(key, sizeof key);
  if (!ok) return Status::IoError("cannot write key file " + path);
  return Status::Ok();
}

}  // namespace

Result<Vault> Vault::open_or_create(const std::string& path) {
  if (!sodium_ready()) return Status::Internal("libsodium failed to initialise");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) FX_RETURN_IF_ERROR(write_new_key(path));
  if (::stat(path.c_str(), &st) != 0)
    return Status::IoError("cannot read key file " + path + ": " + std::strerror(errno));
  if ((st.st_mode & 077) != 0)
    return Status::PermissionDenied("key file " + path +
                                    " is readable by others; run: chmod 600 " + path);
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Status::IoError("cannot open key file " + path + ": " + std::strerror(errno));
  uint8_t key[kKeyFileBytes + 1];
  ssize_t n = ::read(fd, key, sizeof key);
  ::close(fd);
  if (n != static_cast<ssize_t>(kKeyFileBytes))
    return Status::Invalid("key file " + path + " is damaged (expected 64 bytes)");
  Vault v;
  std::memcpy(v.seal_key_.data(), key, 32);
  std::memcpy(v.hash_key_.data(), key + 32, 32);
  sodium_memzero(key, sizeof key);
  return v;
}

Vault Vault::for_testing(uint8_t fill) {
  sodium_ready();
  Vault v;
  v.seal_key_.fill(fill);
  v.hash_key_.fill(static_cast<uint8_t>(fill ^ 0x5a));
  return v;
}

std::string Vault::seal(std::string_view plain) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* p = reinterpret_cast<uint8_t*>(out.data());
  randombytes_buf(p, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const uint8_t*>(plain.data()), plain.size(), p,
                        seal_key_.data());
  return out;
}

Result<std::string> Vault::open(std::string_view sealed) const {
  constexpr size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < overhead) return Status::Internal("sealed value too short");
  std::string out(sealed.size() - overhead, '\0');
  auto* s = reinterpret_cast<const uint8_t*>(sealed.data());
  if (crypto_secretbox_open_easy(reinterpret_cast<uint8_t*>(out.data()),
                                 s + crypto_secretbox_NONCEBYTES,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, s,
                                 seal_key_.data()) != 0)
    return Status::Internal("sealed value cannot be opened: wrong key file or damaged data");
  return out;
}

Vault::Hash Vault::hash(std::string_view tag, std::string_view value) const {
  Hash h{};
  crypto_generichash_state st;
  crypto_generichash_init(&st, hash_key_.data(), hash_key_.size(), h.size());
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(tag.data()), tag.size());
  const uint8_t sep = 0;
  crypto_generichash_update(&st, &sep, 1);
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(value.data()), value.size());
  crypto_generichash_final(&st, h.data(), h.size());
  return h;
}

std::string to_hex(const uint8_t* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

Result<std::string> sha256_file(const std::string& path) {
  sodium_ready();
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::IoError(path + ": " + std::strerror(errno));
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::string buf(1 << 16, '\0');
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0)
    crypto_hash_sha256_update(&st, reinterpret_cast<const uint8_t*>(buf.data()), n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) return Status::IoError(path + ": read error");
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  return to_hex(digest, sizeof digest);
}

}  // namespace fx
