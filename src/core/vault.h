// Vault: encryption at rest for sensitive values (ID numbers, phones) and
// keyed hashes so that they can be looked up without being stored in clear.
//
// The key lives in a file outside the database, created on first use with
// mode 0600. Losing the key makes the sealed values unreadable: back it up
// (docs/security.md). The key never appears in the database or in a log.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace fx {

class Vault {
 public:
  static constexpr size_t kHashBytes = 16;
  using Hash = std::array<uint8_t, kHashBytes>;

  // Reads the key file at `path`, creating it (mode 0600, parent folder
  // included) when it does not exist. A key file with a wrong size or mode
  // wider than 0600 is an error.
  static Result<Vault> open_or_create(const std::string& path);
  // A vault with a fixed key, for tests and benchmarks only.
  static Vault for_testing(uint8_t fill);

  // Encrypts `plain` (XChaCha20-Poly1305): format byte ‖ nonce ‖ ciphertext ‖ tag.
  std::string seal(std::string_view plain) const;
  // Decrypts what seal() produced; an error when it was tampered with or
  // sealed under another key.
  Result<std::string> open(std::string_view sealed) const;

  // A keyed hash (SipHash-2-4, 128 bits) of `value` in the domain `tag` ("id", "phone"), so
  // equal values can be found without decrypting; without the key the hash
  // cannot be tested against guesses (an ID number has few possible values).
  Hash hash(std::string_view tag, std::string_view value) const;

 private:
  Vault() = default;
  std::array<uint8_t, 32> seal_key_{};
  std::array<uint8_t, 32> hash_key_{};  // SipHash uses the first 16 bytes
};

// Lower-case hex of bytes, and the SHA-256 of a file's content in hex.
std::string to_hex(const uint8_t* bytes, size_t n);
Result<std::string> sha256_file(const std::string& path);

}  // namespace fx
