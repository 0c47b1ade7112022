#include "app/rounds_board.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <unordered_map>

#include "ingest/table.h"

namespace fx::app {
namespace {

using domain::PersonStatus;
constexpr int kS = domain::kPersonStatusCount;

// Sampling times are UTC ISO 8601 text; their digits in order are a number
// that sorts like the time (20220310001500).
int64_t time_key(const std::string& iso) {
  int64_t k = 0;
  for (char c : iso)
    if (c >= '0' && c <= '9') k = k * 10 + (c - '0');
  return k;
}

void fill(TableRow& r, const long* c) {
  auto n = [&](PersonStatus s) { return c[static_cast<int>(s)]; };
  r.exempt = n(PersonStatus::exempt);
  r.pending = n(PersonStatus::sampled);
  r.negative = n(PersonStatus::negative);
  r.positive = n(PersonStatus::positive);
  r.pool_positive = n(PersonStatus::pool_positive);
  r.invalid = n(PersonStatus::invalid);
  r.reported = r.negative + r.positive + r.pool_positive + r.invalid;
  r.sampled = r.reported + r.pending;
  r.missed = n(PersonStatus::due) + n(PersonStatus::missed);
  r.due = r.sampled + r.missed;
}

void finish(TableRow& r) {
  r.coverage =
      r.due ? static_cast<double>(static_cast<long>(r.sampled * 1000.0 / r.due + 0.5)) / 10 : 0.0;
}

void add(TableRow& to, const TableRow& r) {
  to.due += r.due;
  to.sampled += r.sampled;
  to.reported += r.reported;
  to.negative += r.negative;
  to.pending += r.pending;
  to.positive += r.positive;
  to.pool_positive += r.pool_positive;
  to.invalid += r.invalid;
  to.missed += r.missed;
  to.exempt += r.exempt;
}

std::string coverage_text(double c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", c);
  return buf;
}

}  // namespace

bool deadline_passed(const domain::Round& round, const std::string& now_utc) {
  if (round.status == domain::RoundStatus::closed) return true;
  return !round.deadline.empty() && round.deadline < now_utc;
}

std::vector<PersonStatus> derive_facts(const store::RoundFacts& f,
                                       const std::vector<int64_t>& people, bool passed) {
  auto index_of = [&](int64_t id) -> int64_t {
    auto it = std::lower_bound(people.begin(), people.end(), id);
    return it != people.end() && *it == id ? it - people.begin() : -1;
  };
  std::vector<uint32_t> due, exempt;
  due.reserve(f.due.size());
  for (int64_t id : f.due)
    if (auto i = index_of(id); i >= 0) due.push_back(static_cast<uint32_t>(i));
  for (const auto& e : f.exemptions)
    if (auto i = index_of(e.person_id); i >= 0) exempt.push_back(static_cast<uint32_t>(i));

  // Tubes are loaded in id order: a tube id's index by binary search.
  std::vector<int64_t> tube_ids;
  tube_ids.reserve(f.tubes.size());
  for (const auto& t : f.tubes) tube_ids.push_back(t.id);
  bool sorted = std::is_sorted(tube_ids.begin(), tube_ids.end());
  std::unordered_map<int64_t, uint32_t> tube_map;
  if (!sorted)
    for (uint32_t i = 0; i < tube_ids.size(); ++i) tube_map[tube_ids[i]] = i;
  auto tube_index = [&](int64_t id) -> int64_t {
    if (!sorted) {
      auto it = tube_map.find(id);
      return it == tube_map.end() ? -1 : it->second;
    }
    auto it = std::lower_bound(tube_ids.begin(), tube_ids.end(), id);
    return it != tube_ids.end() && *it == id ? it - tube_ids.begin() : -1;
  };
  std::vector<domain::DeriveTube> tubes(f.tubes.size());
  for (const auto& r : f.results)
    if (auto t = tube_index(r.tube_id); t >= 0) tubes[t].result = r.result;
  std::vector<domain::DeriveSample> samples;
  samples.reserve(f.samples.size());
  for (const auto& s : f.samples) {
    auto t = tube_index(s.tube_id);
    if (t < 0) continue;
    ++tubes[t].members;
    auto p = index_of(s.person_id);
    if (p < 0) continue;
    samples.push_back({static_cast<uint32_t>(p), static_cast<uint32_t>(t), time_key(s.sampled_at)});
  }
  domain::DeriveInput in;
  in.people = people.size();
  in.due = due;
  in.exempt = exempt;
  in.samples = samples;
  in.tubes = tubes;
  in.deadline_passed = passed;
  return domain::derive_round(in);
}

Result<RoundBoard> RoundBoard::load(store::Store& store) {
  RoundBoard b;
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  b.institutions_ = std::move(*insts);
  std::sort(b.institutions_.begin(), b.institutions_.end(),
            [](const auto& x, const auto& y) { return x.code < y.code; });
  if (b.institutions_.size() >= 65535)
    return Status::Internal("too many institutions for the board");
  std::unordered_map<int64_t, uint16_t> inst_index;
  // One pseudo-unit per institution for people without a unit, then the units.
  for (uint16_t i = 0; i < b.institutions_.size(); ++i) {
    inst_index[b.institutions_[i].id] = i;
    domain::Unit none;
    none.institution_id = b.institutions_[i].id;
    b.units_.push_back(none);
    b.unit_inst_.push_back(i);
  }
  auto units = store.list_units(0);
  if (!units.ok()) return units.status();
  std::sort(units->begin(), units->end(), [&](const auto& x, const auto& y) {
    return inst_index[x.institution_id] != inst_index[y.institution_id]
               ? inst_index[x.institution_id] < inst_index[y.institution_id]
               : x.path < y.path;
  });
  std::unordered_map<int64_t, uint32_t> unit_index;
  for (auto& u : *units) {
    unit_index[u.id] = static_cast<uint32_t>(b.units_.size());
    b.unit_inst_.push_back(inst_index[u.institution_id]);
    b.units_.push_back(std::move(u));
  }
  auto people = store.rounds().people_placements();
  if (!people.ok()) return people.status();
  b.person_id_.reserve(people->size());
  b.inst_of_.reserve(people->size());
  b.unit_of_.reserve(people->size());
  for (const auto& p : *people) {
    uint16_t inst = inst_index[p.institution_id];
    auto u = p.unit_id ? unit_index.find(p.unit_id) : unit_index.end();
    b.person_id_.push_back(p.id);
    b.inst_of_.push_back(inst);
    b.unit_of_.push_back(u != unit_index.end() ? u->second : inst);
  }
  return b;
}

Status RoundBoard::load_round(store::Store& store, int64_t round_id, const std::string& now_utc) {
  auto facts = store.rounds().load_round(round_id);
  if (!facts.ok()) return facts.status();
  RoundState st;
  st.round = facts->round;
  st.status =
      derive_facts(*facts, person_id_,
                   deadline_passed(st.round, now_utc.empty() ? store::utc_now_iso() : now_utc));
  rounds_[round_id] = std::move(st);
  return Status::Ok();
}

const std::vector<PersonStatus>* RoundBoard::statuses(int64_t round_id) const {
  auto it = rounds_.find(round_id);
  return it == rounds_.end() ? nullptr : &it->second.status;
}

const domain::Round* RoundBoard::round(int64_t round_id) const {
  auto it = rounds_.find(round_id);
  return it == rounds_.end() ? nullptr : &it->second.round;
}

int64_t RoundBoard::institution_id(const std::string& code) const {
  for (const auto& i : institutions_)
    if (i.code == code) return i.id;
  return 0;
}

RoundTable RoundBoard::table(int64_t round_id, TableBy by, int64_t institution_id,
                             const Caller* scope) const {
  RoundTable t;
  t.by = by;
  t.generated_at = store::utc_now_iso();
  auto it = rounds_.find(round_id);
  if (it == rounds_.end()) return t;
  t.round = it->second.round;
  const auto& status = it->second.status;
  // The hot loop: one byte read and one counter bumped per person.
  std::vector<long> counts(units_.size() * kS, 0);
  const size_t n = status.size();
  const PersonStatus* s = status.data();
  const uint32_t* unit = unit_of_.data();
  for (size_t i = 0; i < n; ++i) ++counts[unit[i] * kS + static_cast<int>(s[i])];

  std::vector<TableRow> inst_rows(institutions_.size());
  for (size_t u = 0; u < units_.size(); ++u) {
    const auto& inst = institutions_[unit_inst_[u]];
    if (institution_id && inst.id != institution_id) continue;
    if (scope && !scope->sees(inst.id)) continue;
    TableRow r;
    fill(r, &counts[u * kS]);
    add(inst_rows[unit_inst_[u]], r);
    if (by == TableBy::unit && r.due + r.exempt > 0) {
      r.institution_id = inst.id;
      r.institution_code = inst.code;
      r.institution_name = inst.name;
      r.unit_id = units_[u].id;
      r.unit_path = units_[u].id ? units_[u].path : "(未分班 no unit)";
      finish(r);
      t.rows.push_back(std::move(r));
    }
  }
  for (size_t i = 0; i < institutions_.size(); ++i) {
    const auto& inst = institutions_[i];
    if (institution_id && inst.id != institution_id) continue;
    if (scope && !scope->sees(inst.id)) continue;
    TableRow& r = inst_rows[i];
    add(t.total, r);
    if (by == TableBy::institution && r.due + r.exempt > 0) {
      r.institution_id = inst.id;
      r.institution_code = inst.code;
      r.institution_name = inst.name;
      finish(r);
      t.rows.push_back(r);
    }
  }
  finish(t.total);
  return t;
}

std::vector<int64_t> RoundBoard::people_with(int64_t round_id,
                                             const std::vector<PersonStatus>& statuses,
                                             int64_t institution_id, int64_t unit_id,
                                             const Caller* scope) const {
  std::vector<int64_t> out;
  auto it = rounds_.find(round_id);
  if (it == rounds_.end()) return out;
  bool want[kS] = {};
  for (auto s : statuses) want[static_cast<int>(s)] = true;
  const auto& status = it->second.status;
  for (size_t i = 0; i < status.size(); ++i) {
    if (!want[static_cast<int>(status[i])]) continue;
    if (institution_id && institutions_[inst_of_[i]].id != institution_id) continue;
    if (unit_id && units_[unit_of_[i]].id != unit_id) continue;
    if (scope && !scope->sees(institutions_[inst_of_[i]].id)) continue;
    out.push_back(person_id_[i]);
  }
  return out;
}

Result<std::vector<ListedPerson>> RoundBoard::list(store::Store& store, int64_t round_id,
                                                   const std::vector<PersonStatus>& statuses,
                                                   int64_t institution_id, int64_t unit_id) const {
  return describe(store, round_id, people_with(round_id, statuses, institution_id, unit_id));
}

Result<std::vector<ListedPerson>> RoundBoard::describe(store::Store& store, int64_t round_id,
                                                       const std::vector<int64_t>& ids) const {
  if (!rounds_.count(round_id)) return Status::NotFound("round not loaded");
  auto briefs = store.rounds().people_briefs(ids);
  if (!briefs.ok()) return briefs.status();
  const auto& status = rounds_.at(round_id).status;
  std::vector<ListedPerson> out;
  out.reserve(briefs->size());
  for (auto& b : *briefs) {
    size_t i = std::lower_bound(person_id_.begin(), person_id_.end(), b.id) - person_id_.begin();
    ListedPerson p;
    p.person_id = b.id;
    const auto& inst = institutions_[inst_of_[i]];
    p.institution_code = inst.code;
    p.institution_name = inst.name;
    p.unit_path = units_[unit_of_[i]].path;
    p.name = std::move(b.name);
    p.person_code = std::move(b.person_code);
    p.id_masked = std::move(b.id_masked);
    p.status = status[i];
    out.push_back(std::move(p));
  }
  return out;
}

boost::json::object row_json(const TableRow& r) {
  boost::json::object o;
  if (!r.institution_code.empty()) {
    o["institution_code"] = r.institution_code;
    o["institution_name"] = r.institution_name;
  }
  if (r.unit_id || !r.unit_path.empty()) {
    o["unit_id"] = r.unit_id;
    o["unit_path"] = r.unit_path;
  }
  o["due"] = r.due;
  o["sampled"] = r.sampled;
  o["reported"] = r.reported;
  o["negative"] = r.negative;
  o["pending"] = r.pending;
  o["positive"] = r.positive;
  o["pool_positive"] = r.pool_positive;
  o["invalid"] = r.invalid;
  o["missed"] = r.missed;
  o["exempt"] = r.exempt;
  o["coverage"] = r.coverage;
  return o;
}

std::string table_json(const RoundTable& t) {
  boost::json::object o;
  boost::json::object round;
  round["id"] = t.round.id;
  round["name"] = t.round.name;
  round["date"] = t.round.date;
  round["pool_size"] = t.round.pool_size;
  round["status"] = t.round.status == domain::RoundStatus::closed ? "closed" : "open";
  round["deadline"] = t.round.deadline;
  o["round"] = std::move(round);
  o["by"] = t.by == TableBy::unit ? "unit" : "institution";
  o["generated_at"] = t.generated_at;
  boost::json::array rows;
  for (const auto& r : t.rows) rows.push_back(row_json(r));
  o["rows"] = std::move(rows);
  o["total"] = row_json(t.total);
  return boost::json::serialize(o);
}

std::string table_text(const RoundTable& t) {
  std::string out = "核酸检测统计表 " + t.round.name + " (" + t.round.date + ")\n";
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-10s %-28s %8s %8s %8s %8s %8s %8s %8s %8s %8s\n", "code",
                "unit", "due", "sampled", "reported", "negative", "pending", "positive", "pool+",
                "missed", "cover%");
  out += buf;
  auto line = [&](const TableRow& r, const std::string& code, const std::string& unit) {
    std::snprintf(buf, sizeof buf, "%-10s %-28s %8ld %8ld %8ld %8ld %8ld %8ld %8ld %8ld %8.1f\n",
                  code.c_str(), unit.c_str(), r.due, r.sampled, r.reported, r.negative, r.pending,
                  r.positive, r.pool_positive, r.missed, r.coverage);
    out += buf;
  };
  for (const auto& r : t.rows)
    line(r, r.institution_code, t.by == TableBy::unit ? r.unit_path : "");
  line(t.total, "合计 total", "");
  return out;
}

Status export_table(const RoundTable& t, const std::string& path) {
  bool xlsx = path.size() >= 5 && path.compare(path.size() - 5, 5, ".xlsx") == 0;
  ingest::WriteOptions opt;
  opt.sheet_name = "核酸检测统计表";
  opt.title = "核酸检测统计表  " + t.round.name + "（" + t.round.date + "，" +
              std::to_string(t.round.pool_size) + "混1）  统计时间 " +
              domain::local_time_text(t.generated_at);
  opt.freeze_header = true;
  bool by_unit = t.by == TableBy::unit;
  std::vector<std::string> header = {"序号", "学校代码", "学校名称"};
  if (by_unit) header.push_back("年级/班级/部门");
  for (const char* h : {"应检人数", "已采样", "已出结果", "阴性", "待出结果", "阳性",
                        "混管阳性待复核", "无效待重采", "漏检(未采)", "免检", "覆盖率(%)"})
    header.push_back(h);
  size_t first_number = by_unit ? 4 : 3;
  for (size_t i = first_number; i < header.size(); ++i) opt.numeric_columns.push_back(i);
  opt.numeric_columns.push_back(0);
  opt.column_widths = {6, 12, 28};
  if (by_unit) opt.column_widths.push_back(30);
  for (size_t i = first_number; i < header.size(); ++i) opt.column_widths.push_back(11);
  auto w = ingest::create_table(path, xlsx ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
                                ingest::TextEncoding::utf8_bom, opt);
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR((*w)->write_row(header));
  auto cells = [&](const TableRow& r, const std::string& no, const std::string& code,
                   const std::string& name, const std::string& unit) {
    std::vector<std::string> c = {no, code, name};
    if (by_unit) c.push_back(unit);
    for (long v : {r.due, r.sampled, r.reported, r.negative, r.pending, r.positive, r.pool_positive,
                   r.invalid, r.missed, r.exempt})
      c.push_back(std::to_string(v));
    c.push_back(coverage_text(r.coverage));
    return c;
  };
  long n = 0;
  for (const auto& r : t.rows)
    FX_RETURN_IF_ERROR((*w)->write_row(
        cells(r, std::to_string(++n), r.institution_code, r.institution_name, r.unit_path)));
  FX_RETURN_IF_ERROR((*w)->write_row(cells(t.total, "", "合计", "", "")));
  return (*w)->close();
}

Result<std::vector<RoundTable>> round_trends(store::Store& store) {
  auto rounds = store.rounds().list_rounds();
  if (!rounds.ok()) return rounds.status();
  auto board = RoundBoard::load(store);
  if (!board.ok()) return board.status();
  std::vector<RoundTable> out;
  for (const auto& r : *rounds) {
    FX_RETURN_IF_ERROR(board->load_round(store, r.id));
    out.push_back(board->table(r.id, TableBy::institution));
  }
  return out;
}

}  // namespace fx::app
