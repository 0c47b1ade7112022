#include "app/roster_columns.h"

namespace fx::app {

const std::vector<ColumnSpec>& institution_columns() {
  static const std::vector<ColumnSpec> kColumns = {
      {kInstCode, {"学校代码", "机构代码", "code", "institution_code"}, true},
      {kInstName, {"学校名称", "机构名称", "name", "institution_name"}, true},
      {kInstKind, {"学校类型", "机构类型", "kind", "type"}, true},
      {kInstAddress, {"地址", "address"}},
      {kInstLon, {"经度", "longitude", "lon", "lng"}},
      {kInstLat, {"纬度", "latitude", "lat"}},
      {kInstLiaison, {"联络人", "联系人", "liaison", "contact"}},
  };
  return kColumns;
}

const std::vector<ColumnSpec>& roster_columns() {
  static const std::vector<ColumnSpec> kColumns = {
      {kRosterInstCode, {"学校代码", "机构代码", "institution_code", "school_code"}},
      {kRosterInstName, {"学校名称", "机构名称", "institution_name", "school"}},
      {kRosterName, {"姓名", "name"}, true},
      {kRosterIdKind, {"证件类型", "id_kind", "id_type"}},
      {kRosterIdNumber, {"证件号码", "身份证号", "身份证号码", "id_number"}, true},
      {kRosterPersonCode, {"学号/工号", "学号", "工号", "person_code", "student_or_staff_number"}},
      {kRosterGender, {"性别", "gender", "sex"}},
      {kRosterBirth, {"出生日期", "birth_date", "date_of_birth"}},
      {kRosterRole, {"人员类别", "人员类型", "身份", "role"}, true},
      {kRosterCampus, {"校区", "campus"}},
      {kRosterDepartment, {"部门", "院系", "学院", "department"}},
      {kRosterGrade, {"年级", "grade"}},
      {kRosterClass, {"班级", "class"}},
      {kRosterDorm, {"宿舍", "宿舍号", "dorm", "dorm_room"}},
      {kRosterPhone, {"手机号", "联系电话", "手机号码", "phone", "mobile"}},
      {kRosterCompound, {"居住小区", "小区", "home_compound", "compound"}},
  };
  return kColumns;
}

}  // namespace fx::app
