// Resolving what rows name (学校代码, 班级, 学号/工号) within the caller's scope,
// for the teaching and volunteer inputs. An institution outside the scope is
// reported as unknown, as if absent.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/caller.h"
#include "app/row_input.h"
#include "store/store.h"

namespace fx::app {

class Resolver {
 public:
  static Result<Resolver> load(store::Store& store, const Caller& caller);

  // The row's institution (field "institution"; may be left out by a caller
  // with one institution); 0 after adding an error.
  int64_t institution(const InputRow& row, RowErrors& errors);
  // The class (field "class": its path, or its name when unique) of `inst`.
  int64_t class_of(int64_t inst, const InputRow& row, RowErrors& errors);
  // The person whose 学号/工号 is in `field`, of `inst`, with `role`
  // (student, teacher, staff); null after adding an error.
  const store::PersonRef* person(int64_t inst, const InputRow& row, const std::string& field,
                                 const std::string& role, RowErrors& errors);

 private:
  Status load_institution(int64_t inst);

  store::Store* store_ = nullptr;
  const Caller* caller_ = nullptr;
  std::map<std::string, int64_t> code_to_id_;
  struct Loaded {
    std::map<std::string, int64_t> class_by_path, class_by_name;  // name → 0 when ambiguous
    std::map<std::string, store::PersonRef> people;               // by person code
    Status status;
  };
  std::map<int64_t, Loaded> loaded_;
};

// A time as written (local "2022-03-15 10:30", or UTC ending in Z) → UTC ISO
// with whole seconds; false after adding an error naming `field`.
bool time_of(const InputRow& row, const std::string& field, RowErrors& errors, std::string& utc);

}  // namespace fx::app
