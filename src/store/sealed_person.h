// How a person's sensitive values are kept at rest, shared by every backend:
// a keyed hash to find them, a sealed copy to read them, a masked copy to list them.
#pragma once

#include <string>

#include "core/vault.h"
#include "domain/roster.h"

namespace fx::store {

struct SealedPerson {
  Vault::Hash id_hash{};
  std::string id_sealed;
  std::string id_masked;
  bool has_phone = false;
  Vault::Hash phone_hash{};
  std::string phone_sealed;
  std::string phone_masked;
};

SealedPerson seal_person(const Vault& vault, const domain::Person& p);

// The lookup hash of an identity document: kind and number together, since a
// passport and a permit may share a number.
Vault::Hash id_number_hash(const Vault& vault, domain::IdKind kind, const std::string& number);
Vault::Hash phone_hash(const Vault& vault, const std::string& phone);

}  // namespace fx::store
