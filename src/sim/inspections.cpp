#include "sim/inspections.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <numeric>

namespace fx::sim {
namespace {

// splitmix64: the same numbers on every platform (std distributions differ).
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return n ? static_cast<size_t>(next() % n) : 0; }
};

// Days from 1970-01-01 to a civil date and back (Howard Hinnant's algorithms).
int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string civil(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int y = static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

const int64_t kFirstDay = days_from_civil(2022, 3, 12);  // the first round starts
constexpr int kRoundDays = 5;
constexpr int kRoundEvery = 8;

const char* const kRoundNames[] = {"第一轮", "第二轮", "第三轮", "第四轮", "第五轮", "第六轮"};

// What an inspector writes when a checklist item fails, per item.
const char* const kProblems[] = {
    "校门值守人员未逐一查验健康码和行程码，外来人员登记不全",
    "部分班级晨午晚检记录缺失，因病缺勤追踪未闭环",
    "公共区域消毒记录不连续，消毒液配比未公示",
    "核酸检测采样点未设一米线，人员聚集",
    "临时隔离观察室未单独设置通风，物资不足",
    "防疫物资台账与库存不符，口罩储备不足7天",
    "应急预案未按最新要求修订，未组织演练",
    "食堂未落实错峰就餐，宿舍通风记录缺失",
};

const char* const kEvidence[] = {
    "已增设专人值守，查验记录拍照上传", "已补齐晨午晚检记录并指定专人每日核对",
    "已建立消毒台账，配比公示于各楼层", "采样点已设置一米线并安排志愿者引导",
    "隔离观察室已调整并补齐物资",       "已补充采购，台账与库存一致",
    "预案已修订并于本周组织演练",       "已实行分批错峰就餐，宿舍每日通风三次并记录",
};

const char* const kTeams[] = {"督导一组（王建国、刘敏）", "督导二组（陈志强、赵丽）",
                              "督导三组（杨帆、黄静）",   "督导四组（周涛、吴倩）",
                              "督导五组（徐明、孙悦）",   "督导六组（马骏、朱琳）"};

const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
                                 "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
                                 "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩",
                                 "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁"};
const char* const kGiven[] = {"志刚", "秀英", "海燕", "建华", "丽娟", "国庆",
                              "春梅", "永强", "晓东", "玉兰", "德明", "桂芳"};
const char* const kOrganisations[] = {"区教育局", "区教师进修学校", "区教育督导室"};

// Findings per round: more in the first rounds, as in the source, by
// largest remainder so that they add up exactly.
std::vector<int> findings_per_round(int rounds, int findings) {
  std::vector<int> weight(rounds);
  for (int r = 0; r < rounds; ++r) weight[r] = rounds - r;
  const int total = std::accumulate(weight.begin(), weight.end(), 0);
  std::vector<int> out(rounds);
  std::vector<std::pair<int, int>> rest;  // (remainder, round)
  int given = 0;
  for (int r = 0; r < rounds; ++r) {
    out[r] = findings * weight[r] / total;
    given += out[r];
    rest.push_back({-(findings * weight[r] % total), r});
  }
  std::sort(rest.begin(), rest.end());
  for (int i = 0; given < findings; ++i, ++given) ++out[rest[i % rounds].second];
  return out;
}

}  // namespace

const std::vector<std::string>& inspection_checklist() {
  static const std::vector<std::string> kItems = {
      "校门管理与健康码查验", "晨午晚检与因病缺勤追踪", "环境消毒与通风", "核酸检测组织",
      "临时隔离观察室",       "防疫物资储备",           "应急预案与演练", "食堂与宿舍管理"};
  return kItems;
}

InspectionPlan plan_inspections(size_t n, const InspectionShape& shape) {
  InspectionPlan plan;
  n = std::max<size_t>(n, 1);
  const int rounds = std::clamp(shape.rounds, 1, 6);
  Rng rng{shape.seed};
  std::vector<size_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  for (size_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(i + 1)]);

  const auto& checklist = inspection_checklist();
  const std::vector<int> per_round = findings_per_round(rounds, std::max(shape.findings, 0));
  int64_t last_day = kFirstDay;
  // (inspection index, finding index) of every finding, in order, and the
  // institutions with findings in order of their first one.
  std::vector<std::pair<size_t, size_t>> all;
  std::vector<size_t> with_findings;
  std::map<size_t, std::vector<std::pair<size_t, size_t>>> by_institution;
  for (int r = 0; r < rounds; ++r) {
    const int64_t start = kFirstDay + r * kRoundEvery;
    plan.rounds.push_back({kRoundNames[r], civil(start), civil(start + kRoundDays - 1)});
    // Which institutions this round finds problems at: a window of the
    // shuffled list that moves on each round, overlapping the last one.
    std::map<size_t, std::vector<size_t>> problems;  // institution → checklist items failed
    for (int j = 0; j < per_round[r]; ++j) {
      const size_t inst = perm[(static_cast<size_t>(r) * 9 + j) % n];
      problems[inst].push_back((static_cast<size_t>(j) * 3 + r) % checklist.size());
    }
    for (size_t i = 0; i < n; ++i) {
      PlannedInspection in;
      in.round = r;
      in.institution = i;
      in.inspector = kTeams[i % std::size(kTeams)];
      const int64_t day = start + static_cast<int64_t>(i % kRoundDays);
      in.date = civil(day);
      auto failed = problems.find(i);
      for (size_t c = 0; c < checklist.size(); ++c) {
        bool pass =
            failed == problems.end() ||
            std::find(failed->second.begin(), failed->second.end(), c) == failed->second.end();
        in.items.push_back({checklist[c], pass});
      }
      if (failed != problems.end()) {
        for (size_t c : failed->second) {
          PlannedFinding f;
          f.category = checklist[c];
          f.severity = c == 4 ? "critical" : c % 4 == 0 ? "major" : "minor";
          f.description = kProblems[c];
          const int days = f.severity == "critical" ? 2 : f.severity == "major" ? 3 : 5;
          f.deadline = civil(day + days);
          last_day = std::max(last_day, day + days);
          f.evidence = kEvidence[c];
          const size_t index = plan.inspections.size();
          all.push_back({index, in.findings.size()});
          if (!by_institution.count(i)) with_findings.push_back(i);
          by_institution[i].push_back({index, in.findings.size()});
          in.findings.push_back(std::move(f));
        }
      }
      plan.inspections.push_back(std::move(in));
    }
  }
  // All rectified and verified but the last three: one waiting for
  // verification, one sent back, one with nothing yet.
  const char* const kLast[] = {"submitted", "returned", "open"};
  for (size_t k = 0; k < all.size(); ++k) {
    auto& f = plan.inspections[all[k].first].findings[all[k].second];
    const size_t from_end = all.size() - 1 - k;
    f.outcome = from_end < 3 ? kLast[2 - from_end] : "closed";
  }
  // Letters to institutions with findings, citing their findings, in turn.
  for (int l = 0; l < shape.letters && !with_findings.empty(); ++l) {
    const size_t inst = with_findings[static_cast<size_t>(l) % with_findings.size()];
    PlannedLetter letter;
    letter.institution = inst;
    letter.findings = by_institution[inst];
    const auto& first = plan.inspections[letter.findings.front().first];
    letter.date = civil(days_from_civil(std::stoi(first.date.substr(0, 4)),
                                        std::stoi(first.date.substr(5, 2)),
                                        std::stoi(first.date.substr(8, 2))) +
                        1);
    letter.title = "关于督导检查发现问题限期整改的提醒函";
    letter.body = "经" + plan.rounds[first.round].name +
                  "督导检查，你单位存在下列问题。请高度重视，按期整改到位，并将整改材料报区教育"
                  "系统疫情防控指挥部监督检查组。";
    plan.letters.push_back(std::move(letter));
  }
  for (int s = 0; s < shape.supervisors; ++s) {
    PlannedSupervisor sup;
    sup.name = std::string(kSurnames[s % std::size(kSurnames)]) +
               kGiven[(static_cast<size_t>(s) * 5) % std::size(kGiven)];
    if (s >= static_cast<int>(std::size(kSurnames))) sup.name += std::to_string(s);
    sup.organisation = kOrganisations[s % std::size(kOrganisations)];
    sup.institution = static_cast<size_t>(s) % n;
    sup.start_date = civil(kFirstDay);
    plan.supervisors.push_back(std::move(sup));
  }
  plan.end_date =
      civil(std::max(last_day, kFirstDay + (rounds - 1) * kRoundEvery + kRoundDays) + 1);
  return plan;
}

}  // namespace fx::sim
