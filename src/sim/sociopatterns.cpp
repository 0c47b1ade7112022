#include "sim/sociopatterns.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/table.h"

namespace fx::sim {

const std::vector<SocioPatternsDataset>& sociopatterns_datasets() {
  static const std::vector<SocioPatternsDataset> k = {
      {"primaryschool", "primaryschool.csv", "primaryschool_metadata.txt", "SPPS09",
       "SocioPatterns 里昂小学 2009", "小学", "2009-10-01 00:00"},
      {"highschool_2011", "highschool_2011.csv", "highschool_2011_metadata.txt", "SPHS11",
       "SocioPatterns 马赛中学 2011", "中学", "2011-12-05 00:00"},
      {"highschool_2012", "highschool_2012.csv", "highschool_2012_metadata.txt", "SPHS12",
       "SocioPatterns 马赛中学 2012", "中学", "-25200"},
      {"highschool_2013", "HighSchool2013_proximity_net.csv", "HighSchool2013_metadata.txt",
       "SPHS13", "SocioPatterns 马赛中学 2013", "中学", "-25200"},
  };
  return k;
}

const SocioPatternsDataset* find_sociopatterns(const std::string& name) {
  for (const auto& d : sociopatterns_datasets())
    if (d.name == name) return &d;
  return nullptr;
}

Result<SocioPatternsFiles> write_sociopatterns_roster(const std::string& data_dir,
                                                      const SocioPatternsDataset& d,
                                                      const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return Status::IoError(out_dir + ": " + ec.message());
  SocioPatternsFiles f;
  f.institutions_csv = out_dir + "/institutions.csv";
  f.roster_csv = out_dir + "/roster.csv";
  f.sensor = data_dir + "/" + d.contacts;
  std::ifstream meta(data_dir + "/" + d.metadata);
  if (!meta) return Status::IoError(data_dir + "/" + d.metadata + ": cannot open");
  if (!std::filesystem::exists(f.sensor)) return Status::IoError(f.sensor + ": missing");

  auto inst = ingest::create_table(f.institutions_csv, ingest::FileFormat::csv);
  if (!inst.ok()) return inst.status();
  FX_RETURN_IF_ERROR((*inst)->write_row({"学校代码", "学校名称", "学校类型"}));
  FX_RETURN_IF_ERROR(
      (*inst)->write_row({d.institution_code, d.institution_name, d.institution_kind}));
  FX_RETURN_IF_ERROR((*inst)->close());

  auto roster = ingest::create_table(f.roster_csv, ingest::FileFormat::csv);
  if (!roster.ok()) return roster.status();
  FX_RETURN_IF_ERROR((*roster)->write_row(
      {"学校代码", "姓名", "证件类型", "证件号码", "学号/工号", "性别", "人员类别", "班级"}));
  std::string line;
  while (std::getline(meta, line)) {
    std::istringstream in(line);
    std::string id, cls, gender;
    if (!(in >> id >> cls)) continue;
    in >> gender;
    bool teacher = cls == "Teachers" || cls == "teacher";
    std::string g = gender == "M" ? "男" : gender == "F" ? "女" : "";
    // A pseudonymous passport number: the dataset's code and the id.
    std::string passport =
        d.institution_code + std::string(6 - std::min<size_t>(6, id.size()), '0') + id;
    FX_RETURN_IF_ERROR((*roster)->write_row({d.institution_code, "个体" + id, "护照", passport, id,
                                             g, teacher ? "教师" : "学生", teacher ? "" : cls}));
    ++f.people;
    ++(teacher ? f.teachers : f.students);
  }
  FX_RETURN_IF_ERROR((*roster)->close());
  return f;
}

}  // namespace fx::sim
