// What presence imports look names up in: institutions by code, people by
// ID number or by 学号/工号 within an institution, class units by path or
// name, places by name (and kind). Loaded once per import from the store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/vault.h"
#include "domain/roster.h"
#include "store/store.h"

namespace fx::app {

class PresenceLookup {
 public:
  Status load(store::Store& store, const Vault& vault);

  // 0 when unknown.
  int64_t institution(std::string_view code) const;
  int64_t person_by_code(int64_t institution_id, std::string_view code) const;
  // A person by ID number of any kind (resident first); 0 when the number is
  // valid but unknown or invalid. `why` explains a rejection.
  int64_t person_by_id_number(std::string_view text, std::string& why) const;
  // The text as an ID number, else as a 学号/工号 in `institution_id` (when
  // not 0); 0 with `why` when neither finds anybody.
  int64_t person(std::string_view text, int64_t institution_id, std::string& why) const;
  int64_t institution_of(int64_t person_id) const;

  // A class unit by full path ("本部/护理学院/2021级/护理2101") or, when that is
  // unique in the institution, by name. 0 with `why` otherwise.
  int64_t unit(int64_t institution_id, std::string_view text, std::string& why) const;

  static constexpr int64_t kAmbiguous = INT64_MIN;
  // A place by name, of `kind` when given. kAmbiguous when several kinds
  // share the name and no kind was given; 0 when unknown.
  int64_t place(int64_t institution_id, std::string_view name, const domain::PlaceKind* kind) const;
  // Remembers a place this import will create (id: a negative batch reference).
  void add_place(int64_t institution_id, domain::PlaceKind kind, const std::string& name,
                 int64_t id);

 private:
  static std::string key(int64_t a, std::string_view b) {
    std::string k = std::to_string(a);
    k.push_back('\x1f');
    k.append(b);
    return k;
  }
  const Vault* vault_ = nullptr;
  std::unordered_map<std::string, int64_t> institutions_;
  std::unordered_map<std::string, int64_t> by_code_;  // inst ‖ code
  struct HashKey {
    size_t operator()(const Vault::Hash& h) const;
  };
  std::unordered_map<Vault::Hash, int64_t, HashKey> by_hash_;
  std::unordered_map<int64_t, int64_t> institution_of_;
  std::unordered_map<std::string, int64_t> unit_by_path_;  // inst ‖ path
  std::unordered_map<std::string, int64_t> unit_by_name_;  // inst ‖ name, -1 when not unique
  struct PlaceRef {
    domain::PlaceKind kind;
    int64_t id;
  };
  std::unordered_map<std::string, std::vector<PlaceRef>> places_;  // inst ‖ name
  mutable std::string scratch_;
};

}  // namespace fx::app
