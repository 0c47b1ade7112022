#include "domain/roster.h"

namespace fx::domain {

bool parse_institution_kind(std::string_view t, InstitutionKind& kind) {
  if (t == "高职" || t == "高职院校" || t == "college")
    kind = InstitutionKind::college;
  else if (t == "高校" || t == "大学" || t == "university")
    kind = InstitutionKind::university;
  else if (t == "中学" || t == "初中" || t == "高中" || t == "完全中学" || t == "middle")
    kind = InstitutionKind::middle;
  else if (t == "小学" || t == "primary")
    kind = InstitutionKind::primary;
  else if (t == "九年一贯制" || t == "九年一贯制学校" || t == "nine_year")
    kind = InstitutionKind::nine_year;
  else if (t == "幼儿园" || t == "kindergarten")
    kind = InstitutionKind::kindergarten;
  else if (t == "培训机构" || t == "校外培训机构" || t == "training")
    kind = InstitutionKind::training;
  else
    return false;
  return true;
}

const char* institution_kind_name(InstitutionKind k) {
  switch (k) {
    case InstitutionKind::college:
      return "高职";
    case InstitutionKind::university:
      return "高校";
    case InstitutionKind::middle:
      return "中学";
    case InstitutionKind::primary:
      return "小学";
    case InstitutionKind::nine_year:
      return "九年一贯制";
    case InstitutionKind::kindergarten:
      return "幼儿园";
    case InstitutionKind::training:
      return "培训机构";
  }
  return "";
}

const char* institution_kind_code(InstitutionKind k) {
  switch (k) {
    case InstitutionKind::college:
      return "college";
    case InstitutionKind::university:
      return "university";
    case InstitutionKind::middle:
      return "middle";
    case InstitutionKind::primary:
      return "primary";
    case InstitutionKind::nine_year:
      return "nine_year";
    case InstitutionKind::kindergarten:
      return "kindergarten";
    case InstitutionKind::training:
      return "training";
  }
  return "";
}

const char* unit_kind_code(UnitKind k) {
  switch (k) {
    case UnitKind::campus:
      return "campus";
    case UnitKind::department:
      return "department";
    case UnitKind::grade:
      return "grade";
    case UnitKind::class_:
      return "class";
  }
  return "";
}

bool parse_role(std::string_view t, Role& role) {
  if (t == "学生" || t == "student" || t == "幼儿")
    role = Role::student;
  else if (t == "教师" || t == "teacher" || t == "老师")
    role = Role::teacher;
  else if (t == "职工" || t == "staff" || t == "教职工" || t == "员工")
    role = Role::staff;
  else
    return false;
  return true;
}

const char* role_name(Role r) {
  switch (r) {
    case Role::student:
      return "学生";
    case Role::teacher:
      return "教师";
    case Role::staff:
      return "职工";
  }
  return "";
}

const char* role_code(Role r) {
  switch (r) {
    case Role::student:
      return "student";
    case Role::teacher:
      return "teacher";
    case Role::staff:
      return "staff";
  }
  return "";
}

bool parse_gender(std::string_view t, Gender& g) {
  if (t.empty())
    g = Gender::unknown;
  else if (t == "男" || t == "M" || t == "m" || t == "male" || t == "Male")
    g = Gender::male;
  else if (t == "女" || t == "F" || t == "f" || t == "female" || t == "Female")
    g = Gender::female;
  else
    return false;
  return true;
}

const char* gender_name(Gender g) {
  switch (g) {
    case Gender::male:
      return "男";
    case Gender::female:
      return "女";
    case Gender::unknown:
      return "";
  }
  return "";
}

bool parse_place_kind(std::string_view t, PlaceKind& k) {
  if (t == "dorm_room" || t == "宿舍")
    k = PlaceKind::dorm_room;
  else if (t == "classroom" || t == "教室")
    k = PlaceKind::classroom;
  else if (t == "canteen" || t == "食堂")
    k = PlaceKind::canteen;
  else if (t == "gate" || t == "校门" || t == "门禁")
    k = PlaceKind::gate;
  else if (t == "library" || t == "图书馆")
    k = PlaceKind::library;
  else if (t == "bus" || t == "校车" || t == "班车")
    k = PlaceKind::bus;
  else if (t == "other" || t == "其他")
    k = PlaceKind::other;
  else
    return false;
  return true;
}

const char* place_kind_code(PlaceKind k) {
  switch (k) {
    case PlaceKind::dorm_room:
      return "dorm_room";
    case PlaceKind::classroom:
      return "classroom";
    case PlaceKind::canteen:
      return "canteen";
    case PlaceKind::gate:
      return "gate";
    case PlaceKind::library:
      return "library";
    case PlaceKind::bus:
      return "bus";
    case PlaceKind::other:
      return "other";
  }
  return "other";
}

const char* place_kind_name(PlaceKind k) {
  switch (k) {
    case PlaceKind::dorm_room:
      return "宿舍";
    case PlaceKind::classroom:
      return "教室";
    case PlaceKind::canteen:
      return "食堂";
    case PlaceKind::gate:
      return "校门";
    case PlaceKind::library:
      return "图书馆";
    case PlaceKind::bus:
      return "校车";
    case PlaceKind::other:
      return "其他";
  }
  return "其他";
}

}  // namespace fx::domain
