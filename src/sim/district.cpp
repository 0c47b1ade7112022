#include "sim/district.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <set>

#include "ingest/table.h"
#include "sim/words.h"

namespace fx::sim {
namespace {

// ---- randomness: our own generator, so output is identical on every platform.

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {  // xoshiro256**
 public:
  explicit Rng(uint64_t seed = 0) {
    for (auto& s : s_) s = splitmix64(seed);
  }
  uint64_t next() {
    uint64_t result = rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) by multiply-shift; n > 0.
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  long range(long lo, long hi) { return lo + static_cast<long>(below(hi - lo + 1)); }
  bool permille(int p) { return below(1000) < static_cast<uint64_t>(p); }
  template <typename T, size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

uint64_t mix(uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
  return splitmix64(x);
}

// ---- civil dates as day numbers (days since 1970-01-01), after H. Hinnant.

int days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int z, int& y, int& m, int& d) {
  z += 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2);
}

// The roster's reference day: in-person teaching stopped on 8 March 2022.
const int kToday = days_from_civil(2022, 3, 8);
// Staff are 22 to 60 years old on the reference day.
const int kStaffBornLo = days_from_civil(1961, 3, 9);
const int kStaffBornHi = days_from_civil(2000, 3, 8);

// ---- exact integer splitting (largest remainder), no floating point.

std::vector<long> split(long total, const std::vector<long>& weights) {
  std::vector<long> out(weights.size(), 0);
  if (weights.empty() || total <= 0) return out;
  __int128 sum = 0;
  for (long w : weights) sum += w;
  if (sum <= 0) {
    out[0] = total;
    return out;
  }
  std::vector<std::pair<__int128, size_t>> rest;
  long given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    __int128 share = static_cast<__int128>(total) * weights[i];
    out[i] = static_cast<long>(share / sum);
    given += out[i];
    rest.emplace_back(share % sum, i);
  }
  std::stable_sort(rest.begin(), rest.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < total; ++k, ++given) ++out[rest[k % rest.size()].second];
  return out;
}

int digits(long n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

std::string chinese_number(int n) {  // 1..99
  static const char* const kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 10) return kDigits[n];
  std::string s = n >= 20 ? std::string(kDigits[n / 10]) + "十" : "十";
  return s + kDigits[n % 10];
}

// ---- kinds of institution and their mix.

enum class Kind { vocational, middle, primary, nine_year, kindergarten, training };

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::vocational:
      return "高职";
    case Kind::middle:
      return "中学";
    case Kind::primary:
      return "小学";
    case Kind::nine_year:
      return "九年一贯制";
    case Kind::kindergarten:
      return "幼儿园";
    case Kind::training:
      return "培训机构";
  }
  return "";
}

// Non-college institutions of the source district, by kind: 190 = 203 - 13.
struct KindMix {
  Kind kind;
  long weight;
  long size_lo, size_hi;  // nominal people, before scaling to the exact total
};
constexpr KindMix kMix[] = {
    {Kind::middle, 10, 1000, 2500},   {Kind::primary, 16, 800, 2000},
    {Kind::nine_year, 5, 1200, 2800}, {Kind::kindergarten, 105, 100, 400},
    {Kind::training, 54, 50, 300},
};
// The 13 colleges hold "nearly 100,000" of 181,035 people.
constexpr long kCollegeShareNum = 100000, kCollegeShareDen = 181035;

// ---- ID numbers: GB 11643-1999 resident IDs and the other documents.

struct Region {
  const char* code;
  int weight;
};
// Changchun's codes (GB/T 2260); the development zones are 220171-220174.
constexpr Region kRegions[] = {
    {"220172", 300},  // 长春净月高新技术产业开发区
    {"220102", 130},  // 南关区
    {"220104", 120},  // 朝阳区
    {"220105", 80},   // 二道区
    {"220103", 70},   // 宽城区
    {"220106", 60},   // 绿园区
    {"220173", 60},   // 长春高新技术产业开发区
    {"220171", 40},   // 长春经济技术开发区
    {"220174", 30},   // 长春汽车经济技术开发区
    {"220112", 30},   // 双阳区
    {"220113", 25},   // 九台区
    {"220122", 25},   // 农安县
    {"220182", 15},   // 榆树市
    {"220183", 15},   // 德惠市
};
constexpr int kRegionCount = static_cast<int>(std::size(kRegions));
constexpr int kSeqPerGender = 499;  // sequence 001-998; odd for men, even for women

char id_check_char(const char* first17) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

std::string date_text(int day) {
  int y, m, d;
  civil_from_days(day, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

// Hands out ID numbers unique by construction: a counter per (region, birth
// day, gender) picks a distinct sequence number, so no set of issued IDs is kept.
class IdFactory {
 public:
  IdFactory()
      : day0_(days_from_civil(1930, 1, 1)),
        days_(days_from_civil(2023, 1, 1) - day0_),
        used_(static_cast<size_t>(kRegionCount) * days_ * 2, 0) {}

  std::string resident(Rng& rng, int& day, bool male) {
    int region = pick_region(rng);
    for (;;) {
      for (int tries = 0; tries < kRegionCount; ++tries) {
        int r = (region + tries) % kRegionCount;
        uint16_t& count = used_[(static_cast<size_t>(r) * days_ + (day - day0_)) * 2 + male];
        if (count >= kSeqPerGender) continue;
        // A fixed stride through 0..498 (499 is prime) so sequences do not all start at 001.
        uint32_t offset = static_cast<uint32_t>((r * 2654435761u) ^ (day * 40503u)) % kSeqPerGender;
        int p = static_cast<int>((count * 211u + offset) % kSeqPerGender);
        ++count;
        int seq = male ? 2 * p + 1 : 2 * p + 2;
        int y, m, d;
        civil_from_days(day, y, m, d);
        std::string id = fmt::format("{}{:04}{:02}{:02}{:03}", kRegions[r].code, y, m, d, seq);
        id.push_back(id_check_char(id.c_str()));
        return id;
      }
      ++day;  // every region is full for this day and gender: one day later
    }
  }

  std::string passport(Rng& rng) {
    uint64_t k = passports_++;
    if (rng.permille(700)) return fmt::format("E{:08}", scramble(k, 100000000));
    static const char* const kLetters[] = {"PA", "PB", "KR", "MA", "GB"};
    return fmt::format("{}{:07}", kLetters[k % 5], scramble(k / 5, 10000000));
  }
  std::string hk_macau(Rng& rng) {
    uint64_t k = hk_macau_++;
    const char* letter = rng.permille(800) ? "H" : "M";
    uint64_t n = scramble(k, 100000000);
    // Older permits carry 10 digits; lengths differ, so the forms never collide.
    return rng.permille(200) ? fmt::format("{}{:08}{:02}", letter, n, k % 100)
                             : fmt::format("{}{:08}", letter, n);
  }
  std::string taiwan() { return fmt::format("{:08}", scramble(taiwan_++, 100000000)); }

 private:
  static int pick_region(Rng& rng) {
    int x = static_cast<int>(rng.below(1000));
    for (int r = 0; r < kRegionCount; ++r) {
      if (x < kRegions[r].weight) return r;
      x -= kRegions[r].weight;
    }
    return 0;
  }
  // A bijection of [0, mod) for mod = 10^k: the multiplier is prime to 10.
  static uint64_t scramble(uint64_t k, uint64_t mod) { return (k * 7368787 + 52803169) % mod; }

  int day0_, days_;
  std::vector<uint16_t> used_;
  uint64_t passports_ = 0, hk_macau_ = 0, taiwan_ = 0;
};

// ---- names, phones, compounds.

class NameMaker {
 public:
  NameMaker() {
    int total = 0;
    for (const auto& s : words::kSurnames) cumulative_.push_back(total += s.weight);
  }
  std::string make(Rng& rng, bool male) {
    uint64_t x = rng.below(static_cast<uint64_t>(cumulative_.back()));
    size_t i = std::upper_bound(cumulative_.begin(), cumulative_.end(), static_cast<int>(x)) -
               cumulative_.begin();
    std::string name = words::kSurnames[i].text;
    int given = rng.permille(250) ? 1 : 2;
    for (int k = 0; k < given; ++k)
      name += male ? rng.pick(words::kMaleChars) : rng.pick(words::kFemaleChars);
    return name;
  }

 private:
  std::vector<int> cumulative_;
};

std::string make_phone(Rng& rng) {
  static const char* const kPrefixes[] = {
      "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151",
      "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178",
      "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"};
  return fmt::format("{}{:08}", rng.pick(kPrefixes), rng.below(100000000));
}

const std::vector<std::string>& compounds() {
  static const std::vector<std::string> list = [] {
    std::vector<std::string> out(std::begin(words::kCompounds), std::end(words::kCompounds));
    std::set<std::string> seen(out.begin(), out.end());
    constexpr size_t kBrands = std::size(words::kBrands), kStyles = std::size(words::kEstateStyles);
    for (size_t i = 0; out.size() < 300 && i < kBrands * kStyles; ++i) {
      std::string name = std::string(words::kBrands[i % kBrands]) +
                         words::kEstateStyles[(i * 7 + i / kBrands) % kStyles];
      if (i % 5 == 0) name = "净月·" + name;
      if (seen.insert(name).second) out.push_back(name);
    }
    return out;
  }();
  return list;
}

// ---- one institution's people, as groups of like people.

enum class Role { student, teacher, staff };

struct Group {
  Role role = Role::student;
  std::string campus, department, grade, class_name;
  int campus_index = 0;
  long count = 0;
  int born_lo = 0, born_hi = 0;
  int male_permille = 500;
  bool dorm = false;
  int entry_year = 0, unit = 0, class_no = 0;  // students: the parts of 学号
};

struct Department {
  std::string name;
  long weight;
  int campus_index = 0;
};

void add_staff_groups(std::vector<Group>& groups, Role role, long count,
                      const std::vector<Department>& departments,
                      const std::vector<std::string>& campuses, int male_permille, int born_lo,
                      int born_hi) {
  std::vector<long> weights;
  for (const auto& d : departments) weights.push_back(d.weight);
  std::vector<long> counts = split(count, weights);
  for (size_t i = 0; i < departments.size(); ++i) {
    if (counts[i] == 0) continue;
    Group g;
    g.role = role;
    g.department = departments[i].name;
    g.campus_index = departments[i].campus_index;
    g.campus = campuses.empty() ? "" : campuses[g.campus_index];
    g.count = counts[i];
    g.male_permille = male_permille;
    g.born_lo = born_lo;
    g.born_hi = born_hi;
    groups.push_back(std::move(g));
  }
}

// Students, teachers, staff of `people`: at least one teacher when there are two people.
void split_roles(long people, long student_w, long teacher_w, long staff_w, long& students,
                 long& teachers, long& staff) {
  std::vector<long> r = split(people, {student_w, teacher_w, staff_w});
  students = r[0];
  teachers = r[1];
  staff = r[2];
  if (teachers == 0 && people >= 1) {
    if (students > 1 || (students == 1 && people == 1)) {
      --students;
      ++teachers;
    } else if (staff > 0) {
      --staff;
      ++teachers;
    }
  }
}

struct InstPlan {
  Kind kind;
  int variant = 0;        // 中学: 0 初中, 1 完全中学, 2 高中; 培训机构: subject index
  int compound_base = 0;  // families live near the school
};

}  // namespace

// ---- the generator.

struct DistrictGenerator::Impl {
  DistrictShape shape;
  std::vector<SimInstitution> institutions;
  std::vector<InstPlan> plans;
  IdFactory ids;
  NameMaker names;

  // The institution being streamed.
  size_t current = 0;
  bool started = false;
  Rng rng;
  std::vector<Group> groups;
  size_t group = 0;
  long seat = 0;
  long staff_seq = 0;
  int seat_width = 2, class_width = 2, staff_width = 4;
  int beds = 6, rooms_per_floor = 24, floors = 6;
  struct DormCursor {
    int building = 0, floor = 1, room = 0, used = 0;
    bool started = false;
  };
  DormCursor dorms[2][2];  // [campus][male]

  void plan_district();
  void start_institution(size_t i);
  void plan_college(long people);
  void plan_school(const InstPlan& plan, long people);
  void plan_training(const InstPlan& plan, long people);
  std::string dorm_room(int campus, bool male);
  void make_person(const Group& g, SimPerson& p);
};

namespace {

std::string unique_name(std::set<std::string>& used, Rng& rng, Kind kind, int variant,
                        long& fallback) {
  using namespace words;
  for (int attempt = 0; attempt < 40; ++attempt) {
    std::string x = rng.pick(kPlaceWords);
    std::string name;
    switch (kind) {
      case Kind::vocational:
        name = std::string(rng.pick(kCollegePlaces)) + rng.pick(kCollegeFields) +
               rng.pick(kCollegeSuffixes);
        break;
      case Kind::middle: {
        uint64_t form = rng.below(3);
        if (form == 0) {
          name = fmt::format("长春市第{}{}", rng.range(1, 199), variant == 2 ? "高级中学" : "中学");
        } else if (form == 1) {
          name = "净月" + x + (variant == 2 ? "高级中学" : "中学");
        } else {
          name = "长春" + x + "实验中学";
        }
        break;
      }
      case Kind::primary: {
        uint64_t form = rng.below(3);
        name = form == 0 ? "净月" + x + "小学" : form == 1 ? "长春市" + x + "小学" : x + "实验小学";
        break;
      }
      case Kind::nine_year:
        name = rng.permille(500) ? "净月" + x + "学校" : "长春" + x + "实验学校";
        break;
      case Kind::kindergarten: {
        uint64_t form = rng.below(4);
        if (form == 0)
          name = "净月" + x + "幼儿园";
        else if (form == 1)
          name = x + "双语幼儿园";
        else if (form == 2)
          name = "长春市" + x + "幼儿园";
        else
          name = compounds()[rng.below(compounds().size())] + "幼儿园";
        break;
      }
      case Kind::training:
        name = (rng.permille(500) ? "长春" : "净月") + x + kTrainingSubjects[variant] + "培训学校";
        break;
    }
    if (used.insert(name).second) return name;
  }
  // Many institutions: numbered names, which cannot run out.
  for (;;) {
    std::string name;
    long n = ++fallback;
    switch (kind) {
      case Kind::vocational:
        name = fmt::format("长春第{}职业技术学院", n);
        break;
      case Kind::middle:
        name = fmt::format("长春市第{}中学", 199 + n);
        break;
      case Kind::primary:
        name = fmt::format("长春市第{}小学", n);
        break;
      case Kind::nine_year:
        name = fmt::format("净月区第{}学校", n);
        break;
      case Kind::kindergarten:
        name = fmt::format("净月区第{}幼儿园", n);
        break;
      case Kind::training:
        name = fmt::format("净月区第{}培训学校", n);
        break;
    }
    if (used.insert(name).second) return name;
  }
}

}  // namespace

void DistrictGenerator::Impl::plan_district() {
  Rng plan_rng(mix(shape.seed, 0));
  const long n_inst = shape.institutions;
  const long n_colleges = shape.colleges;
  const long n_others = n_inst - n_colleges;

  // How many of each kind.
  std::vector<Kind> kinds(static_cast<size_t>(n_colleges), Kind::vocational);
  std::vector<long> mix_weights;
  for (const auto& m : kMix) mix_weights.push_back(m.weight);
  std::vector<long> per_kind = split(n_others, mix_weights);
  for (size_t k = 0; k < std::size(kMix); ++k)
    kinds.insert(kinds.end(), static_cast<size_t>(per_kind[k]), kMix[k].kind);

  // How many people each: colleges take their share, the rest by nominal size.
  long college_people = 0;
  if (n_colleges > 0) {
    college_people = n_others == 0 ? shape.people
                                   : static_cast<long>(static_cast<__int128>(shape.people) *
                                                       kCollegeShareNum / kCollegeShareDen);
  }
  std::vector<long> college_w, other_w;
  for (Kind k : kinds) {
    if (k == Kind::vocational) {
      college_w.push_back(plan_rng.range(60, 140));
    } else {
      for (const auto& m : kMix)
        if (m.kind == k) other_w.push_back(plan_rng.range(m.size_lo, m.size_hi));
    }
  }
  std::vector<long> sizes = split(college_people, college_w);
  std::vector<long> others = split(shape.people - college_people, other_w);
  sizes.insert(sizes.end(), others.begin(), others.end());
  // Everyone has at least one person: take from the largest.
  for (auto& s : sizes) {
    if (s > 0) continue;
    auto largest = std::max_element(sizes.begin(), sizes.end());
    if (*largest <= 1) break;
    --*largest;
    ++s;
  }

  std::set<std::string> used_names;
  long fallback = 0;
  for (size_t i = 0; i < kinds.size(); ++i) {
    InstPlan plan{kinds[i]};
    if (plan.kind == Kind::middle) plan.variant = static_cast<int>(plan_rng.below(4)) % 3;
    if (plan.kind == Kind::training)
      plan.variant = static_cast<int>(plan_rng.below(std::size(words::kTrainingSubjects)));
    plan.compound_base = static_cast<int>(plan_rng.below(compounds().size()));

    SimInstitution inst;
    inst.code = fmt::format("JY{:04}", i + 1);
    inst.kind = kind_name(plan.kind);
    inst.name = unique_name(used_names, plan_rng, plan.kind, plan.variant, fallback);
    int district = static_cast<int>(plan_rng.below(100));
    const char* area = district < 80   ? "净月区"
                       : district < 92 ? "南关区"
                       : district < 97 ? "朝阳区"
                                       : "二道区";
    inst.address = fmt::format("长春市{}{}{}号", area, plan_rng.pick(words::kStreets),
                               plan_rng.range(1, 9999));
    // Micro-degrees as integers keep the text exact and platform independent.
    long lon = plan_rng.range(125400000, 125550000);
    long lat = plan_rng.range(43750000, 43900000);
    inst.longitude = static_cast<double>(lon) / 1e6;
    inst.latitude = static_cast<double>(lat) / 1e6;
    bool male = plan_rng.permille(500);
    inst.liaison = names.make(plan_rng, male) + " " + make_phone(plan_rng);
    inst.people = sizes[i];
    institutions.push_back(std::move(inst));
    plans.push_back(plan);
  }
}

void DistrictGenerator::Impl::plan_college(long people) {
  long students, teachers, staff;
  split_roles(people, 900, 65, 35, students, teachers, staff);

  // Schools (学院) and their majors.
  constexpr long kCollegeCount = static_cast<long>(std::size(words::kColleges));
  long n_dept = std::clamp(students / 1300 + 2, 3L, kCollegeCount);
  std::vector<int> order(kCollegeCount);
  for (int i = 0; i < kCollegeCount; ++i) order[i] = i;
  for (long i = 0; i < n_dept; ++i) std::swap(order[i], order[i + rng.below(kCollegeCount - i)]);
  order.resize(n_dept);

  std::vector<std::string> campuses;
  if (rng.permille(450)) {
    static const char* const kPairs[][2] = {{"本部校区", "净月校区"},
                                            {"南校区", "北校区"},
                                            {"东校区", "西校区"},
                                            {"净月校区", "南关校区"}};
    const auto& pair = rng.pick(kPairs);
    campuses = {pair[0], pair[1]};
  }
  beds = rng.permille(500) ? 6 : rng.permille(500) ? 4 : 8;
  rooms_per_floor = static_cast<int>(rng.range(20, 30));

  struct Major {
    int dept;
    const char* name;
    const char* abbr;
    long weight;
  };
  std::vector<Major> majors;
  for (int d = 0; d < n_dept; ++d) {
    const auto& c = words::kColleges[order[d]];
    for (const auto& m : c.majors) {
      if (m[0] == nullptr) break;
      majors.push_back({d, m[0], m[1], rng.range(50, 150)});
    }
  }
  std::vector<long> major_w;
  for (const auto& m : majors) major_w.push_back(m.weight);

  const int kYears[] = {2019, 2020, 2021};
  std::vector<long> per_year = split(students, {31, 33, 36});
  for (int y = 0; y < 3; ++y) {
    int year = kYears[y];
    std::vector<long> per_major = split(per_year[y], major_w);
    for (size_t m = 0; m < majors.size(); ++m) {
      long s = per_major[m];
      if (s == 0) continue;
      long classes = std::max(1L, (s + 22) / 45);
      std::vector<long> per_class = split(s, std::vector<long>(classes, 1));
      const auto& college = words::kColleges[order[majors[m].dept]];
      for (long k = 0; k < classes; ++k) {
        Group g;
        g.role = Role::student;
        g.campus_index = campuses.empty() ? 0 : majors[m].dept % 2;
        g.campus = campuses.empty() ? "" : campuses[g.campus_index];
        g.department = college.name;
        g.grade = fmt::format("{}级", year);
        g.class_name = fmt::format("{}{:02}{:02}", majors[m].abbr, year % 100, k + 1);
        g.count = per_class[k];
        g.male_permille = college.male_permille;
        // Enrolled at 18 or 19, a few a year later.
        g.born_lo = days_from_civil(year - 20, 9, 1);
        g.born_hi = days_from_civil(year - 18, 8, 31);
        g.dorm = true;
        g.entry_year = year;
        g.unit = static_cast<int>(m + 1);
        g.class_no = static_cast<int>(k + 1);
        groups.push_back(std::move(g));
      }
    }
  }

  std::vector<Department> teaching;
  for (int d = 0; d < n_dept; ++d)
    teaching.push_back({words::kColleges[order[d]].name, 100, campuses.empty() ? 0 : d % 2});
  teaching.push_back({"基础教学部", 60, 0});
  teaching.push_back({"思想政治理论教学部", 30, 0});
  teaching.push_back({"教务处", 10, 0});
  teaching.push_back({"学生工作处", 25, 0});
  add_staff_groups(groups, Role::teacher, teachers, teaching, campuses, 450, kStaffBornLo,
                   kStaffBornHi);
  std::vector<Department> service = {{"后勤管理处", 30}, {"保卫处", 15}, {"宿舍管理中心", 20},
                                     {"图书馆", 8},      {"校医院", 8},  {"财务处", 6},
                                     {"食堂", 25}};
  if (!campuses.empty())
    for (size_t i = 0; i < service.size(); i += 2) service[i].campus_index = 1;
  add_staff_groups(groups, Role::staff, staff, service, campuses, 500, kStaffBornLo, kStaffBornHi);
}

void DistrictGenerator::Impl::plan_school(const InstPlan& plan, long people) {
  struct Grade {
    std::string name;
    int level;  // 一年级 = 1 ... 高三 = 12; 小班 = -2, 中班 = -1, 大班 = 0
    int unit;   // stage in 学号: 00 kindergarten, 01 primary, 02 junior, 03 senior
    int entry_year;
  };
  static const char* const kPrimary[] = {"一年级", "二年级", "三年级",
                                         "四年级", "五年级", "六年级"};
  static const char* const kJunior[] = {"初一", "初二", "初三"};
  static const char* const kSenior[] = {"高一", "高二", "高三"};
  static const char* const kKinder[] = {"小班", "中班", "大班"};
  std::vector<Grade> grades;
  auto add = [&](const char* const* names, int count, int first_level, int unit) {
    for (int i = 0; i < count; ++i) grades.push_back({names[i], first_level + i, unit, 2021 - i});
  };
  long class_size = 45;
  int teacher_male = 300;
  std::vector<Department> teaching;
  std::vector<Department> service = {
      {"总务处", 30}, {"保卫处", 25}, {"食堂", 25}, {"校医室", 10}, {"财务室", 10}};
  long student_w = 905, teacher_w = 67, staff_w = 28;  // about 13.5 students per teacher
  switch (plan.kind) {
    case Kind::primary:
      add(kPrimary, 6, 1, 1);
      class_size = 42;
      teacher_male = 200;
      teaching = {{"语文组", 30},      {"数学组", 26},    {"英语组", 12}, {"科学组", 6},
                  {"道德与法治组", 6}, {"体育组", 8},     {"音乐组", 5},  {"美术组", 5},
                  {"信息技术组", 3},   {"行政办公室", 5}, {"教务处", 3},  {"德育处", 3}};
      break;
    case Kind::middle:
      if (plan.variant != 2) add(kJunior, 3, 7, 2);
      if (plan.variant != 0) add(kSenior, 3, 10, 3);
      class_size = 48;
      teacher_male = 380;
      teaching = {{"语文组", 16},    {"数学组", 16},    {"英语组", 15},    {"物理组", 9},
                  {"化学组", 8},     {"生物组", 6},     {"政治组", 6},     {"历史组", 6},
                  {"地理组", 5},     {"体育组", 6},     {"音乐组", 2},     {"美术组", 2},
                  {"信息技术组", 3}, {"心理健康组", 1}, {"行政办公室", 5}, {"教务处", 3},
                  {"德育处", 3}};
      break;
    case Kind::nine_year:
      add(kPrimary, 6, 1, 1);
      add(kJunior, 3, 7, 2);
      class_size = 45;
      teacher_male = 280;
      teaching = {{"语文组", 24}, {"数学组", 22},    {"英语组", 14},    {"科学组", 4},
                  {"物理组", 4},  {"化学组", 3},     {"生物组", 3},     {"道德与法治组", 5},
                  {"历史组", 3},  {"地理组", 3},     {"体育组", 7},     {"音乐组", 4},
                  {"美术组", 4},  {"信息技术组", 3}, {"行政办公室", 5}, {"教务处", 3},
                  {"德育处", 3}};
      break;
    case Kind::kindergarten:
      add(kKinder, 3, -2, 0);
      class_size = 28;
      teacher_male = 30;
      student_w = 800;  // two teachers and a carer per class
      teacher_w = 130;
      staff_w = 70;
      teaching = {{"小班组", 30}, {"中班组", 30}, {"大班组", 30}, {"行政办公室", 10}};
      service = {{"保育组", 50}, {"保健室", 10}, {"食堂", 25}, {"保卫处", 15}};
      break;
    default:
      break;
  }
  long students, teachers, staff;
  split_roles(people, student_w, teacher_w, staff_w, students, teachers, staff);

  std::vector<long> grade_w;
  for (size_t i = 0; i < grades.size(); ++i) grade_w.push_back(rng.range(90, 110));
  std::vector<long> per_grade = split(students, grade_w);
  for (size_t gi = 0; gi < grades.size(); ++gi) {
    const Grade& grade = grades[gi];
    long s = per_grade[gi];
    if (s == 0) continue;
    long classes = std::max(1L, (s + class_size / 2) / class_size);
    std::vector<long> per_class = split(s, std::vector<long>(classes, 1));
    for (long k = 0; k < classes; ++k) {
      Group g;
      g.role = Role::student;
      g.grade = grade.name;
      g.class_name =
          plan.kind == Kind::kindergarten
              ? grade.name.substr(0, 3) + chinese_number(static_cast<int>(k % 99) + 1) + "班"
              : fmt::format("{}({})班", grade.name, k + 1);
      g.count = per_class[k];
      g.male_permille = 515;
      // Children start school in the September after they turn six.
      g.born_lo = days_from_civil(2022 - grade.level - 7, 9, 1);
      g.born_hi = days_from_civil(2022 - grade.level - 6, 8, 31);
      g.entry_year = grade.entry_year;
      g.unit = grade.unit;
      g.class_no = static_cast<int>(k + 1);
      groups.push_back(std::move(g));
    }
  }
  add_staff_groups(groups, Role::teacher, teachers, teaching, {}, teacher_male, kStaffBornLo,
                   kStaffBornHi);
  add_staff_groups(groups, Role::staff, staff, service, {}, 450, kStaffBornLo, kStaffBornHi);
}

void DistrictGenerator::Impl::plan_training(const InstPlan& plan, long people) {
  long students, teachers, staff;
  split_roles(people, 700, 220, 80, students, teachers, staff);
  std::string subject = words::kTrainingSubjects[plan.variant];
  static const char* const kLevels[] = {"启蒙", "基础", "提高", "精英"};
  long classes = std::max(1L, (students + 8) / 16);
  std::vector<long> per_class = split(students, std::vector<long>(classes, 1));
  for (long k = 0; k < classes; ++k) {
    if (per_class[k] == 0) continue;
    Group g;
    g.role = Role::student;
    g.class_name = fmt::format("{}{}{}班", subject, kLevels[k % 4], k / 4 + 1);
    g.count = per_class[k];
    g.male_permille = 500;
    g.born_lo = days_from_civil(2006, 3, 9);  // 6 to 15 years old
    g.born_hi = days_from_civil(2016, 3, 8);
    g.entry_year = 2022;
    g.unit = 9;
    g.class_no = static_cast<int>(k + 1);
    groups.push_back(std::move(g));
  }
  add_staff_groups(groups, Role::teacher, teachers, {{subject + "教学部", 85}, {"教务部", 15}}, {},
                   400, days_from_civil(1972, 3, 9), kStaffBornHi);
  add_staff_groups(groups, Role::staff, staff, {{"行政部", 50}, {"前台", 30}, {"财务室", 20}}, {},
                   350, days_from_civil(1972, 3, 9), kStaffBornHi);
}

void DistrictGenerator::Impl::start_institution(size_t i) {
  rng = Rng(mix(shape.seed, i + 1));
  groups.clear();
  group = 0;
  seat = 0;
  staff_seq = 0;
  for (auto& campus : dorms)
    for (auto& d : campus) d = DormCursor{};
  const InstPlan& plan = plans[i];
  long people = institutions[i].people;
  switch (plan.kind) {
    case Kind::vocational:
      plan_college(people);
      break;
    case Kind::training:
      plan_training(plan, people);
      break;
    default:
      plan_school(plan, people);
      break;
  }
  long max_class = 1, max_seat = 1, staff_count = 0;
  for (const auto& g : groups) {
    if (g.role == Role::student) {
      max_class = std::max<long>(max_class, g.class_no);
      max_seat = std::max(max_seat, g.count);
    } else {
      staff_count += g.count;
    }
  }
  class_width = std::max(2, digits(max_class));
  seat_width = std::max(2, digits(max_seat));
  staff_width = std::max(4, digits(staff_count));
}

std::string DistrictGenerator::Impl::dorm_room(int campus, bool male) {
  DormCursor& d = dorms[campus][male];
  if (!d.started || d.used >= beds) {
    if (d.started && ++d.room > rooms_per_floor) {
      d.room = 1;
      if (++d.floor > floors) {
        d.floor = 1;
        ++d.building;
      }
    }
    if (!d.started) d.room = 1;
    d.started = true;
    d.used = 0;
  }
  ++d.used;
  // Men's buildings are odd-numbered, women's even.
  int building = 2 * d.building + (male ? 1 : 2);
  return fmt::format("{}号楼{}{:02}", building, d.floor, d.room);
}

void DistrictGenerator::Impl::make_person(const Group& g, SimPerson& p) {
  const SimInstitution& inst = institutions[current];
  bool male = rng.permille(g.male_permille);
  int day = static_cast<int>(rng.range(g.born_lo, g.born_hi));

  p.institution_code = inst.code;
  p.institution_name = inst.name;
  p.name = names.make(rng, male);
  // About one in a thousand carries a passport or a travel permit instead of an ID card.
  if (rng.below(10000) < 10) {
    uint64_t which = rng.below(10);
    if (which < 5) {
      p.id_kind = "护照";
      p.id_number = ids.passport(rng);
    } else if (which < 8) {
      p.id_kind = "港澳居民来往内地通行证";
      p.id_number = ids.hk_macau(rng);
    } else {
      p.id_kind = "台湾居民来往大陆通行证";
      p.id_number = ids.taiwan();
    }
  } else {
    p.id_kind = "居民身份证";
    p.id_number = ids.resident(rng, day, male);  // may move `day` on by one when full
  }
  if (g.role == Role::student) {
    p.person_code = fmt::format("{:04}{:02}{:0{}}{:0{}}", g.entry_year, g.unit, g.class_no,
                                class_width, seat + 1, seat_width);
  } else {
    p.person_code = fmt::format("T{:0{}}", ++staff_seq, staff_width);
  }
  p.gender = male ? "男" : "女";
  p.birth_date = date_text(day);
  p.role = g.role == Role::student ? "学生" : g.role == Role::teacher ? "教师" : "职工";
  p.campus = g.campus;
  p.department = g.department;
  p.grade = g.grade;
  p.class_name = g.class_name;
  p.dorm = g.dorm ? dorm_room(g.campus_index, male) : std::string();
  p.phone = make_phone(rng);  // a child's is a guardian's
  const auto& list = compounds();
  size_t compound =
      rng.permille(850)
          ? (static_cast<size_t>(plans[current].compound_base) + rng.below(40)) % list.size()
          : rng.below(list.size());
  p.home_compound = list[compound];
}

DistrictShape DistrictShape::scaled(long people, uint64_t seed) {
  DistrictShape s;
  s.seed = seed;
  s.people = people;
  const DistrictShape base;
  auto scale = [&](long n) {
    return static_cast<int>((static_cast<__int128>(n) * people + base.people / 2) / base.people);
  };
  s.institutions = std::max(1, std::min<int>(scale(base.institutions), std::max(1L, people)));
  s.colleges = std::min(scale(base.colleges), s.institutions);
  return s;
}

Status DistrictShape::validate() const {
  if (people < 1 || people > 100000000)
    return Status::Invalid(fmt::format("people must be 1 to 100,000,000, not {}", people));
  if (institutions < 1 || institutions > people)
    return Status::Invalid(
        fmt::format("institutions must be 1 to people ({}), not {}", people, institutions));
  if (colleges < 0 || colleges > institutions)
    return Status::Invalid(
        fmt::format("colleges must be 0 to institutions ({}), not {}", institutions, colleges));
  return Status::Ok();
}

DistrictGenerator::DistrictGenerator(const DistrictShape& shape) : impl_(std::make_unique<Impl>()) {
  DistrictShape s = shape;
  s.people = std::clamp(s.people, 1L, 100000000L);
  s.institutions = static_cast<int>(std::clamp<long>(s.institutions, 1, s.people));
  s.colleges = std::clamp(s.colleges, 0, s.institutions);
  impl_->shape = s;
  impl_->plan_district();
}

DistrictGenerator::~DistrictGenerator() = default;

const std::vector<SimInstitution>& DistrictGenerator::institutions() const {
  return impl_->institutions;
}

bool DistrictGenerator::next(SimPerson& out) {
  Impl& m = *impl_;
  for (;;) {
    if (!m.started || m.group >= m.groups.size()) {
      if (m.started) ++m.current;
      if (m.current >= m.institutions.size()) {
        m.groups.clear();
        m.group = 0;
        m.started = true;
        return false;
      }
      m.started = true;
      m.start_institution(m.current);
      continue;
    }
    const Group& g = m.groups[m.group];
    if (m.seat >= g.count) {
      ++m.group;
      m.seat = 0;
      continue;
    }
    m.make_person(g, out);
    ++m.seat;
    return true;
  }
}

const std::vector<std::string>& institution_columns() {
  static const std::vector<std::string> cols = {"学校代码", "学校名称", "学校类型", "地址",
                                                "经度",     "纬度",     "联络人"};
  return cols;
}

const std::vector<std::string>& roster_columns() {
  static const std::vector<std::string> cols = {
      "学校代码", "学校名称", "姓名", "证件类型", "证件号码", "学号/工号", "性别",   "出生日期",
      "人员类别", "校区",     "部门", "年级",     "班级",     "宿舍",      "手机号", "居住小区"};
  return cols;
}

std::vector<std::string> institution_row(const SimInstitution& i) {
  return {i.code,
          i.name,
          i.kind,
          i.address,
          fmt::format("{:.6f}", i.longitude),
          fmt::format("{:.6f}", i.latitude),
          i.liaison};
}

std::vector<std::string> roster_row(const SimPerson& p) {
  return {p.institution_code,
          p.institution_name,
          p.name,
          p.id_kind,
          p.id_number,
          p.person_code,
          p.gender,
          p.birth_date,
          p.role,
          p.campus,
          p.department,
          p.grade,
          p.class_name,
          p.dorm,
          p.phone,
          p.home_compound};
}

namespace {

// Several writers fed the same rows; the first error wins.
struct Sink {
  std::string path;
  std::unique_ptr<ingest::TableWriter> writer;
};

Status open_sink(std::vector<Sink>& sinks, std::vector<std::string>& written,
                 const std::string& path, ingest::FileFormat format, ingest::TextEncoding enc,
                 const ingest::WriteOptions& options, const std::vector<std::string>& header) {
  auto w = ingest::create_table(path, format, enc, options);
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR(w.value()->write_row(header));
  sinks.push_back({path, std::move(w).value()});
  written.push_back(path);
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> write_district(const DistrictShape& shape, const std::string& dir,
                                                bool xlsx, bool gb18030) {
  FX_RETURN_IF_ERROR(shape.validate());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError(fmt::format("{}: cannot create folder: {}", dir, ec.message()));
  auto path = [&](const char* name) { return (std::filesystem::path(dir) / name).string(); };
  using ingest::FileFormat;
  using ingest::TextEncoding;

  DistrictGenerator gen(shape);
  std::vector<std::string> written;

  {  // institutions
    std::vector<Sink> sinks;
    FX_RETURN_IF_ERROR(open_sink(sinks, written, path("institutions.csv"), FileFormat::csv,
                                 TextEncoding::utf8_bom, {}, institution_columns()));
    if (xlsx) {
      ingest::WriteOptions opt;
      opt.sheet_name = "学校名录";
      opt.numeric_columns = {4, 5};  // longitude, latitude
      FX_RETURN_IF_ERROR(open_sink(sinks, written, path("institutions.xlsx"), FileFormat::xlsx,
                                   TextEncoding::utf8, opt, institution_columns()));
    }
    for (const auto& inst : gen.institutions()) {
      std::vector<std::string> row = institution_row(inst);
      for (auto& s : sinks) FX_RETURN_IF_ERROR(s.writer->write_row(row));
    }
    for (auto& s : sinks) FX_RETURN_IF_ERROR(s.writer->close());
  }

  // roster
  std::vector<Sink> sinks;
  FX_RETURN_IF_ERROR(open_sink(sinks, written, path("roster.csv"), FileFormat::csv,
                               TextEncoding::utf8_bom, {}, roster_columns()));
  if (gb18030) {
    FX_RETURN_IF_ERROR(open_sink(sinks, written, path("roster-gb18030.csv"), FileFormat::csv,
                                 TextEncoding::gb18030, {}, roster_columns()));
  }
  // One sheet holds 1,048,575 rows under the header; a longer roster goes to parts.
  constexpr long kPart = 1000000;
  const bool split_xlsx = shape.people > 1048576 - 1;
  ingest::WriteOptions xopt;
  xopt.sheet_name = "人员名单";
  std::unique_ptr<ingest::TableWriter> xwriter;
  int part = 0;
  long in_part = 0;
  auto open_part = [&]() -> Status {
    ++part;
    std::string name = part == 1 ? "roster.xlsx" : fmt::format("roster-{}.xlsx", part);
    auto w = ingest::create_table(path(name.c_str()), FileFormat::xlsx, TextEncoding::utf8, xopt);
    if (!w.ok()) return w.status();
    xwriter = std::move(w).value();
    written.push_back(path(name.c_str()));
    in_part = 0;
    return xwriter->write_row(roster_columns());
  };
  if (xlsx) FX_RETURN_IF_ERROR(open_part());

  SimPerson person;
  std::vector<std::string> row;
  while (gen.next(person)) {
    row = roster_row(person);
    for (auto& s : sinks) FX_RETURN_IF_ERROR(s.writer->write_row(row));
    if (xwriter) {
      if (split_xlsx && in_part == kPart) {
        FX_RETURN_IF_ERROR(xwriter->close());
        FX_RETURN_IF_ERROR(open_part());
      }
      FX_RETURN_IF_ERROR(xwriter->write_row(row));
      ++in_part;
    }
  }
  for (auto& s : sinks) FX_RETURN_IF_ERROR(s.writer->close());
  if (xwriter) FX_RETURN_IF_ERROR(xwriter->close());
  return written;
}

}  // namespace fx::sim
