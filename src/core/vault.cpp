#include "core/vault.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
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
    return Status::PermissionDenied("key file " + path + " is readable by others; run: chmod 600 " +
                                    path);
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

namespace {

// Sealed values start with a format byte so that the algorithm or key can
// change later without ambiguity: 1 = XChaCha20-Poly1305 (IETF), 24-byte nonce.
constexpr uint8_t kFormatXChaCha = 1;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kMacBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

// Nonces: 16 random bytes per process and a 64-bit counter. Unique without a
// system call per value (random nonces would cost a getrandom() each).
struct NonceSource {
  uint8_t prefix[16];
  std::atomic<uint64_t> counter{0};
  NonceSource() { randombytes_buf(prefix, sizeof prefix); }
  void next(uint8_t* out) {
    uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
    std::memcpy(out, prefix, sizeof prefix);
    std::memcpy(out + sizeof prefix, &n, sizeof n);
  }
};

NonceSource& nonces() {
  static NonceSource source;
  return source;
}

}  // namespace

std::string Vault::seal(std::string_view plain) const {
  std::string out(1 + kNonceBytes + plain.size() + kMacBytes, '\0');
  auto* p = reinterpret_cast<uint8_t*>(out.data());
  p[0] = kFormatXChaCha;
  nonces().next(p + 1);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      p + 1 + kNonceBytes, &written, reinterpret_cast<const uint8_t*>(plain.data()), plain.size(),
      nullptr, 0, nullptr, p + 1, seal_key_.data());
  return out;
}

Result<std::string> Vault::open(std::string_view sealed) const {
  auto* s = reinterpret_cast<const uint8_t*>(sealed.data());
  if (sealed.size() < 1 + kNonceBytes + kMacBytes || s[0] != kFormatXChaCha)
    return Status::Internal("sealed value damaged or of an unknown format");
  std::string out(sealed.size() - 1 - kNonceBytes - kMacBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<uint8_t*>(out.data()), &written, nullptr, s + 1 + kNonceBytes,
          sealed.size() - 1 - kNonceBytes, nullptr, 0, s + 1, seal_key_.data()) != 0)
    return Status::Internal("sealed value cannot be opened: wrong key file or damaged data");
  return out;
}

Vault::Hash Vault::hash(std::string_view tag, std::string_view value) const {
  // SipHash-2-4 with a 128-bit output: a keyed PRF, fast on short inputs.
  // The tag separates domains (an ID number hash never equals a phone hash).
  char buf[256];
  std::string heap;
  size_t n = tag.size() + 1 + value.size();
  char* msg = buf;
  if (n > sizeof buf) {
    heap.resize(n);
    msg = heap.data();
  }
  std::memcpy(msg, tag.data(), tag.size());
  msg[tag.size()] = '\0';
  std::memcpy(msg + tag.size() + 1, value.data(), value.size());
  Hash h{};
  crypto_shorthash_siphashx24(h.data(), reinterpret_cast<const uint8_t*>(msg), n, hash_key_.data());
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
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::IoError(path + ": " + std::strerror(errno));
  // OpenSSL's SHA-256 uses the CPU's SHA extensions: a district roster hashes in milliseconds.
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::string buf(1 << 20, '\0');
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) EVP_DigestUpdate(ctx, buf.data(), n);
  bool failed = std::ferror(f);
  std::fclose(f);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  if (failed) return Status::IoError(path + ": read error");
  return to_hex(digest, len);
}

}  // namespace fx
