#include "store/sealed_person.h"

#include "domain/phone.h"

namespace fx::store {

Vault::Hash id_number_hash(const Vault& vault, domain::IdKind kind, const std::string& number) {
  std::string value = domain::id_kind_code(kind);
  value.push_back(':');
  value += number;
  return vault.hash("id", value);
}

Vault::Hash phone_hash(const Vault& vault, const std::string& phone) {
  return vault.hash("phone", phone);
}

SealedPerson seal_person(const Vault& vault, const domain::Person& p) {
  SealedPerson s;
  s.id_hash = id_number_hash(vault, p.id_kind, p.id_number);
  s.id_sealed = vault.seal(p.id_number);
  s.id_masked = domain::mask_id_number(p.id_number);
  if (!p.phone.empty()) {
    s.has_phone = true;
    s.phone_hash = phone_hash(vault, p.phone);
    s.phone_sealed = vault.seal(p.phone);
    s.phone_masked = domain::mask_phone(p.phone);
  }
  return s;
}

}  // namespace fx::store
