// The generator's home-bound people: a spread of the roster marked
// home-bound, and (optionally) their daily reports, so a demo or benchmark
// district has screening figures shaped like the source's.
#include "app/screening_generate.h"

#include <ctime>
#include <random>

#include "app/screening.h"
#include "domain/screening.h"

namespace fx::app {
namespace {

std::string add_days(const std::string& iso, int days) {
  std::tm tm{};
  tm.tm_year = std::stoi(iso.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(iso.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(iso.substr(8, 2)) + days;
  std::time_t t = timegm(&tm);
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &out);
  return buf;
}

}  // namespace

Result<GeneratedScreening> generate_screening(store::Store& store, const Caller& caller,
                                              const ScreeningPlan& plan) {
  std::vector<int64_t> all;
  FX_RETURN_IF_ERROR(
      store.for_each_person_digest([&](const store::PersonDigest& d) { all.push_back(d.id); }));
  if (all.empty()) return Status::Invalid("花名册为空 (the roster is empty)");
  const size_t n = std::min<size_t>(plan.people, all.size());
  const std::string last = add_days(plan.from, plan.days - 1);
  GeneratedScreening out;
  std::vector<HomeBoundInput> marks;
  std::vector<int64_t> chosen;
  for (size_t i = 0; i < n; ++i) {
    // Evenly spread over the roster, so every institution has some.
    const int64_t id = all[i * all.size() / n];
    chosen.push_back(id);
    marks.push_back(
        {"generated[" + std::to_string(i) + "]", id, plan.from, last, "生成 (generated)"});
  }
  auto w = mark_home_bound(store, caller, marks, "generator");
  if (!w.ok()) return w.status();
  if (!w->problems.empty())
    return Status::Invalid(w->problems.front().where + "." + w->problems.front().field + ": " +
                           w->problems.front().reason);
  out.home_bound = w->stored;
  if (!plan.reports) return out;
  // Each batch is one transaction; a batch with a problem stops the run.
  auto flush = [&](std::vector<ReportInput>& batch) -> Status {
    if (batch.empty()) return Status::Ok();
    auto s = submit_reports(store, caller, batch, plan.today);
    if (!s.ok()) return s.status();
    if (!s->problems.empty())
      return Status::Invalid(s->problems.front().where + "." + s->problems.front().field + ": " +
                             s->problems.front().reason);
    out.reports += s->stored;
    out.abnormal += s->abnormal;
    batch.clear();
    return Status::Ok();
  };
  std::mt19937 rng(plan.seed);
  std::uniform_real_distribution<double> u(0, 1);
  for (int d = 0; d < plan.days; ++d) {
    const std::string day = add_days(plan.from, d);
    if (day > plan.today) break;
    std::vector<ReportInput> batch;
    for (size_t i = 0; i < chosen.size(); ++i) {
      if (u(rng) >= plan.report_rate) continue;
      ReportInput r;
      r.where = day + "[" + std::to_string(i) + "]";
      r.person_id = chosen[i];
      r.day = day;
      const bool sick = u(rng) < plan.abnormal_rate;
      r.temperature = domain::format_temperature(sick ? 375 + static_cast<int>(u(rng) * 15)
                                                      : 358 + static_cast<int>(u(rng) * 14));
      r.symptoms = sick && u(rng) < 0.5 ? "咳嗽" : "";
      r.location = "家中 (home)";
      r.at_home = "是";
      r.reporter = u(rng) < 0.7 ? "parent" : "self";
      batch.push_back(std::move(r));
      if (batch.size() == 5000 || i + 1 == chosen.size()) FX_RETURN_IF_ERROR(flush(batch));
    }
    FX_RETURN_IF_ERROR(flush(batch));
  }
  return out;
}

}  // namespace fx::app
