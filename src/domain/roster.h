// The roster (基础台账): institutions, their unit tree, people and places.
// Plain values, no I/O: the store persists them and the app layer fills them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/id_number.h"

namespace fx::domain {

enum class InstitutionKind {
  college,
  university,
  middle,
  primary,
  nine_year,
  kindergarten,
  training
};

// 高职 / 高校 / 中学 / 小学 / 九年一贯制 / 幼儿园 / 培训机构 (and common variants);
// false for anything else.
bool parse_institution_kind(std::string_view text, InstitutionKind& kind);
const char* institution_kind_name(InstitutionKind kind);  // Chinese
const char* institution_kind_code(InstitutionKind kind);  // "college", …

struct Institution {
  int64_t id = 0;
  std::string code;  // 学校代码, unique in the district
  std::string name;  // 学校名称, unique in the district
  InstitutionKind kind = InstitutionKind::primary;
  std::string address;
  std::optional<double> longitude, latitude;
  std::string liaison;  // 联络人: name and phone as written
};

// Units form a tree inside an institution: campus → department or grade → class.
enum class UnitKind { campus, department, grade, class_ };
const char* unit_kind_code(UnitKind kind);

struct Unit {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t parent_id = 0;  // 0 at the top of the tree
  UnitKind kind = UnitKind::class_;
  std::string name;
  std::string path;  // "本部/护理学院/2021级/护理2101": unique in the institution
};

enum class Role { student, teacher, staff };
bool parse_role(std::string_view text, Role& role);  // 学生/教师/职工 and English
const char* role_name(Role role);                    // Chinese
const char* role_code(Role role);                    // "student", …

enum class Gender { unknown, male, female };
bool parse_gender(std::string_view text, Gender& gender);  // 男/女/M/F/male/female
const char* gender_name(Gender gender);                    // 男/女/""

// A person as the app layer sees it: sensitive values in the clear. The store
// keeps ID numbers and phones encrypted, with keyed hashes for lookups.
struct Person {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t unit_id = 0;      // 0 when the roster gives no unit
  int64_t dorm_id = 0;      // the dorm-room place, 0 when none
  std::string person_code;  // 学号/工号, unique in the institution
  std::string name;
  Gender gender = Gender::unknown;
  std::string birth_date;  // YYYY-MM-DD or empty
  Role role = Role::student;
  IdKind id_kind = IdKind::resident;
  std::string id_number;  // normalised
  std::string phone;      // 11 digits or empty
  std::string home_compound;
};

enum class PlaceKind { dorm_room, classroom, canteen, gate, library, bus, other };
bool parse_place_kind(std::string_view text, PlaceKind& kind);
const char* place_kind_code(PlaceKind kind);
const char* place_kind_name(PlaceKind kind);  // Chinese

struct Place {
  int64_t id = 0;
  int64_t institution_id = 0;
  PlaceKind kind = PlaceKind::other;
  std::string name;  // "3号楼305"
};

}  // namespace fx::domain
