#include "sim/test_round.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "ingest/table.h"

namespace fx::sim {
namespace {

struct Member {
  std::string inst_code, inst_name, id_number, name;
};

std::string clock_text(const std::string& date, int minutes) {
  return fmt::format("{} {:02}:{:02}:{:02}", date, minutes / 60 % 24, minutes % 60,
                     (minutes * 7) % 60);
}

Result<std::unique_ptr<ingest::TableWriter>> open_csv(const std::string& path,
                                                      const std::vector<std::string>& header) {
  auto w = ingest::create_table(path, ingest::FileFormat::csv, ingest::TextEncoding::utf8_bom);
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR((*w)->write_row(header));
  return w;
}

}  // namespace

Result<TestRoundSummary> write_test_round(const std::string& roster_csv, const std::string& out_dir,
                                          const TestRoundOptions& o) {
  auto reader = ingest::open_table(roster_csv);
  if (!reader.ok()) return reader.status();
  ingest::Row row;
  if (!(*reader)->next(row)) return Status::Invalid(roster_csv + ": empty roster");
  int c_code = -1, c_inst = -1, c_id = -1, c_name = -1;
  for (size_t i = 0; i < row.cells.size(); ++i) {
    const std::string& h = row.cells[i].text;
    if (h == "学校代码") c_code = static_cast<int>(i);
    if (h == "学校名称") c_inst = static_cast<int>(i);
    if (h == "证件号码") c_id = static_cast<int>(i);
    if (h == "姓名") c_name = static_cast<int>(i);
  }
  if (c_code < 0 || c_id < 0 || c_name < 0)
    return Status::Invalid(roster_csv + ": needs the columns 学校代码, 证件号码 and 姓名");
  auto text = [&](int c) -> std::string {
    return c >= 0 && static_cast<size_t>(c) < row.cells.size() ? row.cells[c].text : std::string();
  };
  std::vector<Member> people;
  while ((*reader)->next(row))
    people.push_back({text(c_code), text(c_inst), text(c_id), text(c_name)});
  FX_RETURN_IF_ERROR((*reader)->status());

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return Status::IoError("cannot create " + out_dir + ": " + ec.message());
  auto path = [&](const char* f) { return (std::filesystem::path(out_dir) / f).string(); };
  const std::vector<std::string> s_head = {"采样管码", "证件号码", "姓名", "采样点", "采样时间"};
  const std::vector<std::string> r_head = {"采样管码", "检测结果", "检测机构", "报告时间", "Ct值"};
  auto sampling = open_csv(path("sampling.csv"), s_head);
  if (!sampling.ok()) return sampling.status();
  auto results = open_csv(path("results.csv"), r_head);
  if (!results.ok()) return results.status();
  auto re_sampling = open_csv(path("retest-sampling.csv"), s_head);
  if (!re_sampling.ok()) return re_sampling.status();
  auto re_results = open_csv(path("retest-results.csv"), r_head);
  if (!re_results.ok()) return re_results.status();

  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::string day_digits;
  for (char ch : o.date)
    if (ch >= '0' && ch <= '9') day_digits.push_back(ch);
  TestRoundSummary sum;
  sum.people = static_cast<long>(people.size());
  const char* labs[] = {"吉林省临床检验中心", "长春金域医学检验实验室", "净月高新区人民医院检验科"};

  // Pools: consecutive sampled people of one institution, `pool` to a tube.
  struct Tube {
    std::string code;
    std::vector<size_t> members;
    int minute = 0;
  };
  std::vector<Tube> tubes;
  long serial = 0;
  auto new_tube = [&](int minute) {
    tubes.push_back({fmt::format("{}{}{:07}", o.tube_prefix, day_digits, ++serial), {}, minute});
  };
  std::string current_inst;
  for (size_t i = 0; i < people.size(); ++i) {
    if (u(rng) < o.missed_rate) {
      ++sum.missed;
      continue;
    }
    ++sum.sampled;
    bool full = !tubes.empty() && static_cast<int>(tubes.back().members.size()) >= o.pool;
    if (tubes.empty() || full || people[i].inst_code != current_inst) {
      // Morning mostly (07:00–11:30), some afternoon, a few after the 18:00 deadline.
      double x = u(rng);
      int minute = x < o.late_rate ? 18 * 60 + static_cast<int>(u(rng) * 150)
                   : x < 0.8       ? 7 * 60 + static_cast<int>(u(rng) * 270)
                                   : 13 * 60 + static_cast<int>(u(rng) * 290);
      new_tube(minute);
      current_inst = people[i].inst_code;
    }
    tubes.back().members.push_back(i);
  }
  sum.tubes = static_cast<long>(tubes.size());

  // A few positive pools (of full size) and invalid tubes, spread over the district.
  std::set<size_t> positive, invalid;
  for (int k = 0; k < o.positive_pools * 50 && static_cast<int>(positive.size()) < o.positive_pools;
       ++k) {
    size_t t = static_cast<size_t>(u(rng) * static_cast<double>(tubes.size()));
    if (t < tubes.size() && tubes[t].members.size() > 1) positive.insert(t);
  }
  for (int k = 0; k < o.invalid_tubes * 50 && static_cast<int>(invalid.size()) < o.invalid_tubes;
       ++k) {
    size_t t = static_cast<size_t>(u(rng) * static_cast<double>(tubes.size()));
    if (t < tubes.size() && !positive.count(t)) invalid.insert(t);
  }
  sum.positive_pools = static_cast<long>(positive.size());
  sum.invalid_tubes = static_cast<long>(invalid.size());

  for (size_t t = 0; t < tubes.size(); ++t) {
    const Tube& tube = tubes[t];
    for (size_t m : tube.members) {
      const Member& p = people[m];
      FX_RETURN_IF_ERROR(
          (*sampling)->write_row({tube.code, p.id_number, p.name, p.inst_name + "采样点",
                                  clock_text(o.date, tube.minute)}));
    }
    bool pos = positive.count(t) > 0, inv = invalid.count(t) > 0;
    std::string ct =
        pos ? fmt::format("ORF1ab {:.1f}; N {:.1f}", 28 + u(rng) * 6, 27 + u(rng) * 6) : "";
    int reported = tube.minute + 240 + static_cast<int>(u(rng) * 360);
    FX_RETURN_IF_ERROR((*results)->write_row(
        {tube.code,
         pos   ? "阳性"
         : inv ? "无效"
               : "阴性",
         labs[t % 3], clock_text(o.date, std::min(reported, 23 * 60 + 59)), ct}));
  }
  // Single-tube re-tests of positive pools, and re-samples of invalid tubes.
  bool first_positive = true;
  long re_serial = 0;
  for (size_t t = 0; t < tubes.size(); ++t) {
    bool pos = positive.count(t) > 0;
    if (!pos && !invalid.count(t)) continue;
    bool first_member = true;
    for (size_t m : tubes[t].members) {
      const Member& p = people[m];
      std::string code = fmt::format("{}{}R{:06}", o.tube_prefix, day_digits, ++re_serial);
      int minute = 20 * 60 + static_cast<int>(re_serial % 200);
      FX_RETURN_IF_ERROR((*re_sampling)
                             ->write_row({code, p.id_number, p.name, p.inst_name + "复核点",
                                          clock_text(o.date, minute)}));
      bool is_case = pos && first_positive && first_member;
      FX_RETURN_IF_ERROR((*re_results)
                             ->write_row({code, is_case ? "阳性" : "阴性", labs[0],
                                          clock_text(o.date, 23 * 60 + 30),
                                          is_case ? "ORF1ab 26.4; N 25.9" : ""}));
      sum.retest_positive += is_case;
      ++sum.retest_tubes;
      first_member = false;
    }
    if (pos) first_positive = false;
  }
  for (auto* w : {sampling->get(), results->get(), re_sampling->get(), re_results->get()})
    FX_RETURN_IF_ERROR(w->close());
  return sum;
}

}  // namespace fx::sim
