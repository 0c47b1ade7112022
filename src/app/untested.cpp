#include "app/untested.h"

#include <algorithm>
#include <boost/json.hpp>

#include "app/presence_time.h"

namespace fx::app {

std::vector<UntestedRow> rank_untested(const TrackingTable& table, size_t limit) {
  std::vector<UntestedRow> out;
  for (const auto& r : table.rows) {
    if (r.key.status != "quarantined") continue;
    // A result on or after the day of the last exposure counts as tested.
    const std::string exposed_day = local_text(r.key.last_exposure).substr(0, 10);
    bool tested = false;
    UntestedRow u{&r, static_cast<long>(r.key.exposure_seconds / 60), ""};
    for (const auto& t : r.tests) {
      if (!t.result.empty() && t.date >= exposed_day) tested = true;
      if (t.result.empty() && u.next_test.empty()) u.next_test = t.date;
    }
    if (!tested) out.push_back(u);
  }
  std::sort(out.begin(), out.end(), [](const UntestedRow& a, const UntestedRow& b) {
    if (a.row->key.category != b.row->key.category) return a.row->key.category == "close";
    if (a.minutes != b.minutes) return a.minutes > b.minutes;
    if (a.row->overdue != b.row->overdue) return a.row->overdue > b.row->overdue;
    return a.row->key.person_id < b.row->key.person_id;
  });
  if (limit && out.size() > limit) out.resize(limit);
  return out;
}

std::string untested_json(const std::vector<UntestedRow>& rows) {
  namespace json = boost::json;
  json::array items;
  long rank = 0;
  for (const auto& u : rows) {
    const TrackingRow& r = *u.row;
    items.push_back(json::object{{"rank", ++rank},
                                 {"id", r.key.id},
                                 {"person", r.key.person_id},
                                 {"name", r.name},
                                 {"person_code", r.person_code},
                                 {"id_masked", r.id_masked},
                                 {"institution", r.institution},
                                 {"unit", r.unit},
                                 {"category", r.key.category},
                                 {"minutes", u.minutes},
                                 {"last_exposure", local_text(r.key.last_exposure)},
                                 {"overdue", r.overdue},
                                 {"next_test", u.next_test}});
  }
  return json::serialize(json::object{{"items", std::move(items)}});
}

std::string untested_text(const std::vector<UntestedRow>& rows) {
  std::string out;
  long rank = 0;
  for (const auto& u : rows) {
    const TrackingRow& r = *u.row;
    out += std::to_string(++rank) + "\t" + r.name + "\t" + r.id_masked + "\t" + r.institution +
           "\t" + r.key.category + "\t" + std::to_string(u.minutes) + " 分钟\t逾期 " +
           std::to_string(r.overdue) + "\n";
  }
  out += "共 " + std::to_string(rows.size()) + " 人未检 (untested)\n";
  return out;
}

}  // namespace fx::app
