#include "sim/presence.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <unordered_map>

namespace fx::sim {
namespace {

uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A stateless draw for (seed, a, b, c): the same inputs give the same number.
uint64_t draw(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  return mix(seed ^ mix(a + 0x1234567ULL * mix(b + 0x51ULL * mix(c))));
}
double unit(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string date_text(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  int y = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (m <= 2));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

const char* const kNumerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
constexpr int kPeriodStart[] = {8 * 60,       8 * 60 + 55,  9 * 60 + 50,  10 * 60 + 45,
                                13 * 60 + 30, 14 * 60 + 25, 15 * 60 + 20, 16 * 60 + 15};
const char* const kCourses[] = {"语文", "数学", "英语", "物理", "化学", "生物",     "历史",
                                "地理", "政治", "体育", "音乐", "美术", "信息技术", "专业课"};
const char* const kGates[] = {"南门", "北门", "东门"};

enum class Role : uint8_t { student, teacher, staff };

struct Person {
  uint32_t inst;
  int32_t cls;  // class index in the institution, -1 for none
  Role role;
  std::string code;
};

struct Inst {
  std::string code, kind;
  std::vector<std::string> class_paths;
  std::vector<int> class_grade;  // grade index per class
  int grades = 0;
  long students = 0;
  int canteen_zones = 0, library_zones = 0;
};

class Out {
 public:
  explicit Out(std::FILE* f) : f_(f) { buf_.reserve(1 << 20); }
  ~Out() { flush(); }
  std::string& buf() { return buf_; }
  void maybe_flush() {
    if (buf_.size() > (1 << 20) - 4096) flush();
  }
  void flush() {
    if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), f_);
    buf_.clear();
  }

 private:
  std::FILE* f_;
  std::string buf_;
};

void put_time(std::string& b, int seconds_of_day) {
  char t[10];
  int h = seconds_of_day / 3600, m = seconds_of_day / 60 % 60, s = seconds_of_day % 60;
  t[0] = static_cast<char>('0' + h / 10);
  t[1] = static_cast<char>('0' + h % 10);
  t[2] = ':';
  t[3] = static_cast<char>('0' + m / 10);
  t[4] = static_cast<char>('0' + m % 10);
  t[5] = ':';
  t[6] = static_cast<char>('0' + s / 10);
  t[7] = static_cast<char>('0' + s % 10);
  b.append(t, 8);
}

// Ten sitting zones a canteen: 一食堂A区 … 一食堂J区, 二食堂A区, …, 11食堂A区.
std::string canteen_zone(int z) {
  int c = z / 10;
  return (c < 10 ? std::string(kNumerals[c]) : std::to_string(c + 1)) + "食堂" +
         static_cast<char>('A' + z % 10) + "区";
}

}  // namespace

Result<PresenceSimSummary> write_presence(const DistrictShape& shape, const std::string& dir,
                                          const PresenceSimOptions& o) {
  auto started = std::chrono::steady_clock::now();
  PresenceSimSummary sum;
  int y, mo, d;
  if (std::sscanf(o.start.c_str(), "%d-%d-%d", &y, &mo, &d) != 3)
    return Status::Invalid("start: YYYY-MM-DD");
  if (o.days < 1 || o.days > 366) return Status::Invalid("days: 1 to 366");
  int64_t first_day = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError(dir + ": " + ec.message());

  // The district's people, compactly: institution, class, role, code.
  DistrictGenerator gen(shape);
  std::vector<Inst> insts;
  for (const auto& i : gen.institutions()) insts.push_back({i.code, i.kind, {}, {}, 0, 0, 0, 0});
  std::unordered_map<std::string, uint32_t> inst_of;
  for (uint32_t k = 0; k < insts.size(); ++k) inst_of[insts[k].code] = k;
  std::vector<Person> people;
  std::unordered_map<std::string, int> class_of, grade_of;  // per current institution
  uint32_t current = UINT32_MAX;
  SimPerson p;
  while (gen.next(p)) {
    uint32_t ix = inst_of[p.institution_code];
    if (ix != current) {
      current = ix;
      class_of.clear();
      grade_of.clear();
    }
    Inst& in = insts[ix];
    Person q{ix, -1,
             p.role == "学生"   ? Role::student
             : p.role == "教师" ? Role::teacher
                                : Role::staff,
             p.person_code};
    if (q.role == Role::student && !p.class_name.empty()) {
      std::string grade;
      for (const std::string* part : {&p.campus, &p.department, &p.grade})
        if (!part->empty()) grade += (grade.empty() ? "" : "/") + *part;
      std::string path = grade + (grade.empty() ? "" : "/") + p.class_name;
      auto [it, fresh] = class_of.emplace(path, static_cast<int>(in.class_paths.size()));
      if (fresh) {
        auto [g, gfresh] = grade_of.emplace(grade, in.grades);
        if (gfresh) ++in.grades;
        in.class_paths.push_back(path);
        in.class_grade.push_back(g->second);
      }
      q.cls = it->second;
      ++in.students;
    }
    people.push_back(std::move(q));
  }

  // Timetables.
  std::string end_date = date_text(first_day + o.days - 1), start_date = date_text(first_day);
  {
    std::FILE* f = std::fopen((dir + "/timetable.csv").c_str(), "wb");
    if (!f) return Status::IoError(dir + "/timetable.csv: cannot write");
    Out out(f);
    out.buf() += "\xEF\xBB\xBF学校代码,班级,课程,星期,开始时间,结束时间,教室,起始日期,结束日期\n";
    for (uint32_t k = 0; k < insts.size(); ++k) {
      const Inst& in = insts[k];
      std::vector<int> seat_in_grade(in.class_paths.size());
      std::vector<int> per_grade(in.grades, 0);
      for (size_t c = 0; c < in.class_paths.size(); ++c)
        seat_in_grade[c] = per_grade[in.class_grade[c]]++;
      for (size_t c = 0; c < in.class_paths.size(); ++c) {
        ++sum.classes;
        std::string home = "教学楼" + std::string(1, static_cast<char>('A' + (c / 50) % 26)) +
                           std::to_string(101 + c % 50);
        for (int wd = 1; wd <= 5; ++wd) {
          int periods = 6 + static_cast<int>(draw(o.seed, k, c * 8 + wd) % 3);
          for (int per = 0; per < periods; ++per) {
            bool elective = wd == 3 && per == 4;
            // Electives: the classes of a grade pair up in a shared room.
            std::string room = elective ? "实验楼" + std::to_string(in.class_grade[c] + 1) + "-" +
                                              std::to_string(seat_in_grade[c] / 2 + 1)
                                        : home;
            std::string course =
                elective ? "选修课" : kCourses[draw(o.seed, k * 131 + c, wd * 10 + per) % 14];
            int s = kPeriodStart[per], e = s + 45;
            char times[32];
            std::snprintf(times, sizeof times, "%02d:%02d,%02d:%02d", s / 60, s % 60, e / 60,
                          e % 60);
            out.buf() += in.code + "," + in.class_paths[c] + "," + course + "," +
                         std::to_string(wd) + "," + times + "," + room + "," + start_date + "," +
                         end_date + "\n";
            ++sum.timetable_rows;
            out.maybe_flush();
          }
        }
        sum.rooms += 1;
      }
    }
    out.flush();
    if (std::fclose(f) != 0) return Status::IoError(dir + "/timetable.csv: write failed");
  }

  // Swipe places per institution.
  for (auto& in : insts) {
    if (in.kind != "高职") continue;
    in.canteen_zones = std::max(1, static_cast<int>(in.students / 100));
    in.library_zones = std::max(1, static_cast<int>(in.students / 400));
    sum.canteen_zones += in.canteen_zones;
  }
  // Bus riders: a tenth of primary pupils, routes of 40 in roster order.
  std::vector<int32_t> route(people.size(), -1);
  {
    std::vector<int> riders(insts.size(), 0);
    for (size_t i = 0; i < people.size(); ++i) {
      const Person& q = people[i];
      if (q.role != Role::student || insts[q.inst].kind != "小学") continue;
      if (draw(o.seed, i, 77) % 10 != 0) continue;
      route[i] = riders[q.inst]++ / 40;
    }
    for (int r : riders) sum.bus_routes += (r + 39) / 40;
  }

  std::FILE* f = std::fopen((dir + "/swipes.csv").c_str(), "wb");
  if (!f) return Status::IoError(dir + "/swipes.csv: cannot write");
  {
    Out out(f);
    out.buf() += "\xEF\xBB\xBF学校代码,学号/工号,地点,地点类型,刷卡时间\n";
    auto row = [&](const Person& q, const std::string& place, const char* kind,
                   const std::string& date, int sod) {
      std::string& b = out.buf();
      b += insts[q.inst].code;
      b += ',';
      b += q.code;
      b += ',';
      b += place;
      b += ',';
      b += kind;
      b += ',';
      b += date;
      b += ' ';
      put_time(b, sod);
      b += '\n';
      ++sum.swipes;
      out.maybe_flush();
    };
    for (int day = 0; day < o.days; ++day) {
      int64_t dn = first_day + day;
      std::string date = date_text(dn);
      int weekday = static_cast<int>(((dn + 3) % 7 + 7) % 7) + 1;
      bool school_day = weekday <= 5;
      for (size_t i = 0; i < people.size(); ++i) {
        const Person& q = people[i];
        const Inst& in = insts[q.inst];
        auto r = [&](uint64_t what) { return draw(o.seed, i, dn, what); };
        if (q.role != Role::student) {
          if (!school_day || unit(r(1)) < 0.05) continue;
          std::string gate = in.kind == "高职" ? kGates[r(2) % 3] : "校门";
          row(q, gate, "校门", date, 7 * 3600 + static_cast<int>(r(3) % 3600));
          row(q, gate, "校门", date, 16 * 3600 + 1800 + static_cast<int>(r(4) % 7200));
          continue;
        }
        if (in.kind == "高职") {
          int home_zone = static_cast<int>(draw(o.seed, i, 5) % in.canteen_zones);
          static const double kEat[] = {0.7, 0.9, 0.85};
          static const int kMeal[] = {7 * 3600, 11 * 3600 + 2400, 17 * 3600 + 600};
          for (int meal = 0; meal < 3; ++meal) {
            if (unit(r(10 + meal)) >= kEat[meal] - (school_day ? 0 : 0.1)) continue;
            int zone = unit(r(20 + meal)) < 0.8 ? home_zone
                                                : static_cast<int>(r(30 + meal) % in.canteen_zones);
            row(q, canteen_zone(zone), "食堂", date,
                kMeal[meal] + static_cast<int>(r(40 + meal) % 4200));
          }
          if (unit(r(50)) < 0.3) {
            std::string gate = kGates[r(51) % 3];
            int out_at = 8 * 3600 + static_cast<int>(r(52) % (11 * 3600));
            row(q, gate, "校门", date, out_at);
            row(q, gate, "校门", date,
                std::min(86399, out_at + 1800 + static_cast<int>(r(53) % 7200)));
          }
          if (unit(r(60)) < 0.25) {
            int zone = static_cast<int>(r(61) % in.library_zones);
            row(q, "图书馆" + std::to_string(zone + 1) + "层阅览区", "图书馆", date,
                8 * 3600 + static_cast<int>(r(62) % (13 * 3600)));
          }
        } else if (route[i] >= 0 && school_day) {
          std::string bus = "校车" + std::to_string(route[i] + 1) + "号线";
          row(q, bus, "校车", date,
              6 * 3600 + 2400 + route[i] % 10 * 120 + static_cast<int>(r(70) % 300));
          row(q, bus, "校车", date, 16 * 3600 + 1200 + static_cast<int>(r(71) % 300));
        }
      }
    }
    out.flush();
  }
  if (std::fclose(f) != 0) return Status::IoError(dir + "/swipes.csv: write failed");
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return sum;
}

}  // namespace fx::sim
