#include "app/rounds.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "app/rounds_board.h"
#include "app/table_import.h"
#include "app/text_checks.h"
#include "domain/dates.h"
#include "store/sealed_person.h"

namespace fx::app {
namespace {

using domain::PersonStatus;
using domain::TestResult;

std::string row_ref(long row) {
  return "第" + std::to_string(row) + "行 (row " + std::to_string(row) + ")";
}

store::Change make_change(const char* kind, int64_t round_id, const std::string& detail) {
  store::Change c;
  c.kind = kind;
  c.subject_id = 0;
  c.detail = "{\"round\":" + std::to_string(round_id) + (detail.empty() ? "" : "," + detail) + "}";
  return c;
}

struct HashKey {
  size_t operator()(const Vault::Hash& h) const {
    size_t v;
    std::memcpy(&v, h.data(), sizeof v);
    return v;
  }
};

enum SamplingField { kSTube, kSId, kSName, kSSite, kSTime, kSCode, kSInst, kSFieldCount };
const std::vector<ColumnSpec>& sampling_columns() {
  static const std::vector<ColumnSpec> c = {
      {kSTube, {"采样管码", "管码", "试管编码", "tube_code", "tube"}, true},
      {kSId, {"证件号码", "身份证号", "身份证号码", "id_number"}, false},
      {kSName, {"姓名", "name"}, false},
      {kSSite, {"采样点", "采样地点", "site"}, false},
      {kSTime, {"采样时间", "sampled_at", "time"}, true},
      {kSCode, {"学号/工号", "学号", "工号", "person_code"}, false},
      {kSInst, {"学校代码", "institution_code"}, false},
  };
  return c;
}

enum ResultField { kRTube, kRResult, kRLab, kRTime, kRCt, kRFieldCount };
const std::vector<ColumnSpec>& result_columns() {
  static const std::vector<ColumnSpec> c = {
      {kRTube, {"采样管码", "管码", "试管编码", "tube_code", "tube"}, true},
      {kRResult, {"检测结果", "结果", "result"}, true},
      {kRLab, {"检测机构", "检测单位", "实验室", "lab"}, false},
      {kRTime, {"报告时间", "reported_at"}, false},
      {kRCt, {"Ct值", "CT值", "ct", "Ct"}, false},
  };
  return c;
}

// Column header names used in rejections of posted batches (no file).
const char* sampling_header(int field) {
  static const char* const k[] = {"采样管码", "证件号码",  "姓名",    "采样点",
                                  "采样时间", "学号/工号", "学校代码"};
  return k[field];
}
const char* result_header(int field) {
  static const char* const k[] = {"采样管码", "检测结果", "检测机构", "报告时间", "Ct值"};
  return k[field];
}

struct Item {
  long row = 0;
  std::vector<std::string> cells;  // the row as written, for the report
};

// The checks and the batch of a sampling import or post.
class SamplingJob {
 public:
  SamplingJob(store::Store& store, const Vault& vault, int64_t round_id, RoundImportReport& report,
              std::function<std::string(int)> header)
      : store_(store),
        vault_(vault),
        round_id_(round_id),
        report_(report),
        header_(std::move(header)) {}

  // `batch`: the records of a posted batch, when there is one.
  static constexpr size_t kLookupAtMost = 2000;
  Status load(const std::vector<SamplingRecord>* batch = nullptr) {
    auto facts = store_.rounds().load_round(round_id_);
    if (!facts.ok()) return facts.status();
    facts_ = std::move(*facts);
    if (facts_.round.status == domain::RoundStatus::closed)
      return Status::Conflict("第 " + std::to_string(round_id_) +
                              " 轮已关闭，不能再导入采样 (the round is closed to sampling)");
    auto insts = store_.list_institutions();
    if (!insts.ok()) return insts.status();
    for (const auto& i : *insts) inst_by_code_[i.code] = i.id;
    // A small batch whose people all come by ID number needs the state of its
    // people and tubes only: a posted batch costs its own size, not the round's.
    const bool small = batch && batch->size() <= kLookupAtMost &&
                       std::all_of(batch->begin(), batch->end(), [](const SamplingRecord& r) {
                         return !trimmed(r.id_number).empty();
                       });
    if (small) {
      FX_RETURN_IF_ERROR(look_up_people(*batch));
    } else {
      FX_RETURN_IF_ERROR(store_.for_each_person_digest([&](const store::PersonDigest& d) {
        by_hash_.emplace(d.id_hash, d.id);
        by_code_.emplace(std::to_string(d.institution_id) + '\x1f' + d.person_code, d.id);
      }));
    }
    std::unordered_set<int64_t> people;
    std::unordered_set<std::string> codes;
    if (small) {
      for (const auto& [hash, id] : by_hash_) people.insert(id);
      for (const auto& r : *batch) codes.insert(trimmed(r.tube_code));
      status_people_.assign(people.begin(), people.end());
      std::sort(status_people_.begin(), status_people_.end());
    } else {
      status_people_ = facts_.due;
    }
    status_ = derive_facts(facts_, status_people_, false);
    for (const auto& e : facts_.exemptions) exempt_.insert(e.person_id);
    std::unordered_set<int64_t> kept_tubes;
    for (const auto& t : facts_.tubes) {
      code_of_tube_[t.id] = t.code;
      if (small && !codes.count(t.code)) continue;
      tubes_.emplace(t.code, TubeState{t.id, 0, false});
      kept_tubes.insert(t.id);
    }
    for (const auto& r : facts_.results)
      if (kept_tubes.count(r.tube_id)) tubes_[code_of_tube_[r.tube_id]].reported = true;
    for (const auto& s : facts_.samples) {
      const bool tube_kept = kept_tubes.count(s.tube_id) > 0;
      const bool person_kept = !small || people.count(s.person_id) > 0;
      if (!tube_kept && !person_kept) continue;
      const std::string& code = code_of_tube_[s.tube_id];
      if (tube_kept) ++tubes_[code].members;
      if (!person_kept) continue;
      stored_pairs_.insert(pair_key(code, s.person_id));
      tubes_of_person_[s.person_id].push_back(code);
    }
    return Status::Ok();
  }

  // A small posted batch whose people all come by ID number: their ids by the
  // indexed hash, one query each, instead of every person's digest. add()
  // tries the ID kinds in the same order, so it finds the same people.
  Status look_up_people(const std::vector<SamplingRecord>& batch) {
    for (const auto& r : batch) {
      std::string id_text = trimmed(r.id_number);
      for (auto kind : {domain::IdKind::resident, domain::IdKind::hk_macao_permit,
                        domain::IdKind::taiwan_permit, domain::IdKind::passport}) {
        std::string normalized;
        if (!domain::validate_id_number(kind, id_text, normalized).ok()) continue;
        auto hash = store::id_number_hash(vault_, kind, normalized);
        if (by_hash_.count(hash)) break;
        auto ids = store_.find_people_by_id_number(kind, normalized);
        if (!ids.ok()) return ids.status();
        if (!ids->empty()) {
          by_hash_.emplace(hash, ids->front());
          break;
        }
        if (kind == domain::IdKind::resident) break;  // as in add()
      }
    }
    return Status::Ok();
  }

  // Which round holds each new tube code (a code reused across rounds).
  Status check_codes(const std::vector<SamplingRecord>& recs) {
    std::vector<std::string> codes;
    std::unordered_set<std::string> seen;
    for (const auto& r : recs) {
      std::string c = trimmed(r.tube_code);
      if (!c.empty() && !tubes_.count(c) && seen.insert(c).second) codes.push_back(c);
    }
    auto rounds = store_.rounds().rounds_of_tubes(codes);
    if (!rounds.ok()) return rounds.status();
    for (size_t i = 0; i < codes.size(); ++i)
      if ((*rounds)[i]) other_round_[codes[i]] = (*rounds)[i];
    return Status::Ok();
  }

  void add(const SamplingRecord& r, const Item& item) {
    ++report_.rows;
    std::string tube = trimmed(r.tube_code);
    if (tube.empty()) return reject(item, kSTube, "必填 (required)");
    if (auto why = too_long(tube, 40); !why.empty()) return reject(item, kSTube, why);
    std::string when;
    std::string time_text = trimmed(r.sampled_at);
    if (time_text.empty()) return reject(item, kSTime, "必填 (required)");
    if (!domain::parse_local_time(time_text, when))
      return reject(item, kSTime, "采样时间无效 “" + time_text + "” (not a time)");
    int64_t pid = 0;
    int field = kSId;
    if (!find_person(r, item, pid, field)) return;
    if (!std::binary_search(facts_.due.begin(), facts_.due.end(), pid))
      return reject(item, field, "不在本轮应检范围 (not due in this round)");
    if (exempt_.count(pid)) return reject(item, field, "本轮已免检 (exempt in this round)");
    std::string key = pair_key(tube, pid);
    if (auto it = file_pairs_.find(key); it != file_pairs_.end())
      return reject(item, kSTube, "与" + row_ref(it->second) + "重复 (duplicate row)");
    if (stored_pairs_.count(key)) {
      file_pairs_.emplace(key, item.row);
      ++report_.unchanged;
      return;
    }
    if (auto it = other_round_.find(tube); it != other_round_.end())
      return reject(item, kSTube,
                    "管码已在第 " + std::to_string(it->second) +
                        " 轮使用，不能重复使用 (tube code already used in round " +
                        std::to_string(it->second) + ")");
    TubeState& t = tubes_[tube];
    if (t.reported)
      return reject(item, kSTube, "该管已出结果，不能再加人 (the tube already has a result)");
    bool retest = false;
    if (auto it = file_person_.find(pid); it != file_person_.end())
      return reject(item, field,
                    "同一人已在" + row_ref(it->second.first) + "采样，管码 " + it->second.second +
                        " (person already sampled in this file)");
    if (auto it = tubes_of_person_.find(pid); it != tubes_of_person_.end()) {
      PersonStatus cur =
          status_[std::lower_bound(status_people_.begin(), status_people_.end(), pid) -
                  status_people_.begin()];
      if (cur == PersonStatus::pool_positive)
        retest = true;
      else if (cur != PersonStatus::invalid)
        return reject(item, field,
                      "同一人本轮已在管码 " + it->second.back() +
                          " 中，一人不能在两管 (person already in another tube this round)");
    }
    if (t.members >= facts_.round.pool_size)
      return reject(item, kSTube,
                    "该管已满 " + std::to_string(facts_.round.pool_size) +
                        " 人，超过本轮混采人数 (the tube is full for this round's pooling)");
    if (t.id == 0 && t.members == 0) ++report_.tubes_created;
    ++t.members;
    file_pairs_.emplace(key, item.row);
    file_person_.emplace(pid, std::make_pair(item.row, tube));
    store::RoundBatch::NewSample s;
    s.tube_code = tube;
    s.sample.person_id = pid;
    s.sample.sampled_at = when;
    s.sample.site = trimmed(r.site);
    accepted_.push_back({std::move(s), item, retest});
  }

  // A re-test of a pool-positive member must be a single tube.
  void finish(store::RoundBatch& batch) {
    for (auto& a : accepted_) {
      if (a.retest && tubes_[a.sample.tube_code].members > 1) {
        reject(
            a.item, kSTube,
            "混管阳性人员须单管单采复核 (a pool-positive member's re-test must be a single tube)");
        continue;
      }
      batch.samples.push_back(std::move(a.sample));
    }
    report_.imported = static_cast<long>(batch.samples.size());
    std::sort(report_.rejected.begin(), report_.rejected.end(),
              [](const auto& x, const auto& y) { return x.row < y.row; });
  }

 private:
  struct TubeState {
    int64_t id = 0;
    int members = 0;
    bool reported = false;
  };
  struct Accepted {
    store::RoundBatch::NewSample sample;
    Item item;
    bool retest = false;
  };

  static std::string pair_key(const std::string& tube, int64_t pid) {
    return tube + '\x1f' + std::to_string(pid);
  }

  void reject(const Item& item, int field, std::string reason) {
    report_.rejected.push_back({item.row, header_(field), std::move(reason), item.cells});
  }

  bool find_person(const SamplingRecord& r, const Item& item, int64_t& pid, int& field) {
    std::string id_text = trimmed(r.id_number);
    if (!id_text.empty()) {
      field = kSId;
      std::string resident_error;
      bool valid = false;
      for (auto kind : {domain::IdKind::resident, domain::IdKind::hk_macao_permit,
                        domain::IdKind::taiwan_permit, domain::IdKind::passport}) {
        std::string normalized;
        Status s = domain::validate_id_number(kind, id_text, normalized);
        if (!s.ok()) {
          if (kind == domain::IdKind::resident) resident_error = s.message();
          continue;
        }
        valid = true;
        auto it = by_hash_.find(store::id_number_hash(vault_, kind, normalized));
        if (it != by_hash_.end()) {
          pid = it->second;
          return true;
        }
        if (kind == domain::IdKind::resident) break;  // a valid resident ID is no other kind
      }
      bool resident_like = id_text.size() == 18 && !resident_error.empty();
      reject(item, kSId,
             valid && !resident_like ? std::string("不在人员台账中 (not in the roster)")
                                     : resident_error);
      return false;
    }
    std::string code = trimmed(r.person_code);
    std::string inst = trimmed(r.institution_code);
    if (code.empty()) {
      reject(item, kSId, "证件号码或学号/工号必填其一 (ID number or person code required)");
      return false;
    }
    field = kSCode;
    auto i = inst_by_code_.find(inst);
    if (i == inst_by_code_.end()) {
      reject(item, kSInst,
             inst.empty()
                 ? "按学号/工号采样须填学校代码 (institution code required with a person code)"
                 : "未知学校代码 “" + inst + "” (unknown institution code)");
      return false;
    }
    auto p = by_code_.find(std::to_string(i->second) + '\x1f' + code);
    if (p == by_code_.end()) {
      reject(item, kSCode, "不在人员台账中 (not in the roster)");
      return false;
    }
    pid = p->second;
    return true;
  }

  store::Store& store_;
  const Vault& vault_;
  int64_t round_id_;
  RoundImportReport& report_;
  std::function<std::string(int)> header_;
  store::RoundFacts facts_;
  std::vector<int64_t> status_people_;  // sorted: facts_.due, or a small batch's people
  std::vector<PersonStatus> status_;    // indexed like status_people_
  std::unordered_set<int64_t> exempt_;
  std::unordered_map<std::string, TubeState> tubes_;
  std::unordered_map<int64_t, std::string> code_of_tube_;
  std::unordered_set<std::string> stored_pairs_;
  std::unordered_map<int64_t, std::vector<std::string>> tubes_of_person_;
  std::unordered_map<std::string, int64_t> other_round_;
  std::unordered_map<std::string, int64_t> inst_by_code_;
  std::unordered_map<Vault::Hash, int64_t, HashKey> by_hash_;
  std::unordered_map<std::string, int64_t> by_code_;
  std::unordered_map<std::string, long> file_pairs_;
  std::unordered_map<int64_t, std::pair<long, std::string>> file_person_;
  std::vector<Accepted> accepted_;
};

class ResultsJob {
 public:
  ResultsJob(store::Store& store, int64_t round_id, RoundImportReport& report,
             std::function<std::string(int)> header)
      : store_(store), round_id_(round_id), report_(report), header_(std::move(header)) {}

  Status load() {
    auto facts = store_.rounds().load_round(round_id_);
    if (!facts.ok()) return facts.status();
    facts_ = std::move(*facts);
    closed_ = facts_.round.status == domain::RoundStatus::closed;
    for (const auto& t : facts_.tubes) tube_ids_.emplace(t.code, t.id);
    for (const auto& r : facts_.results) stored_.emplace(r.tube_id, r);
    for (const auto& s : facts_.samples) {
      TubeMembers& m = members_[s.tube_id];
      ++m.count;
      m.sample = &s;
    }
    now_ = store::utc_now_iso();
    return Status::Ok();
  }

  Status check_codes(const std::vector<ResultRecordIn>& recs) {
    std::vector<std::string> codes;
    std::unordered_set<std::string> seen;
    for (const auto& r : recs) {
      std::string c = trimmed(r.tube_code);
      if (!c.empty() && !tube_ids_.count(c) && seen.insert(c).second) codes.push_back(c);
    }
    auto rounds = store_.rounds().rounds_of_tubes(codes);
    if (!rounds.ok()) return rounds.status();
    for (size_t i = 0; i < codes.size(); ++i)
      if ((*rounds)[i]) other_round_[codes[i]] = (*rounds)[i];
    return Status::Ok();
  }

  void add(const ResultRecordIn& r, const Item& item, store::RoundBatch& batch) {
    ++report_.rows;
    std::string tube = trimmed(r.tube_code);
    if (tube.empty()) return reject(item, kRTube, "必填 (required)");
    TestResult result;
    std::string result_text = trimmed(r.result);
    if (result_text.empty()) return reject(item, kRResult, "必填 (required)");
    if (!domain::parse_test_result(result_text, result))
      return reject(
          item, kRResult,
          "检测结果应为 阴性/阳性/无效 (result must be negative, positive or invalid), 实为 “" +
              result_text + "”");
    std::string when = now_;
    std::string time_text = trimmed(r.reported_at);
    if (!time_text.empty() && !domain::parse_local_time(time_text, when))
      return reject(item, kRTime, "报告时间无效 “" + time_text + "” (not a time)");
    auto t = tube_ids_.find(tube);
    if (t == tube_ids_.end()) {
      if (auto o = other_round_.find(tube); o != other_round_.end())
        return reject(item, kRTube,
                      "管码属于第 " + std::to_string(o->second) +
                          " 轮 (the tube belongs to round " + std::to_string(o->second) + ")");
      return reject(item, kRTube, "未知管码，本轮没有此管的采样记录 (unknown tube)");
    }
    if (auto f = file_.find(tube); f != file_.end()) {
      if (f->second.second == result)
        return reject(item, kRTube, "与" + row_ref(f->second.first) + "重复 (duplicate row)");
      flag(batch, item, "result_contradicts_row", tube,
           std::string("同一文件中") + row_ref(f->second.first) + "为" +
               domain::test_result_name(f->second.second) + "，本行为" +
               domain::test_result_name(result));
      return reject(
          item, kRResult,
          "与" + row_ref(f->second.first) +
              "的结果矛盾，已标记待审核 (contradicts an earlier row; flagged for review)");
    }
    file_.emplace(tube, std::make_pair(item.row, result));
    if (auto s = stored_.find(t->second); s != stored_.end()) {
      if (s->second.result == result) {
        ++report_.unchanged;
        return;
      }
      ++report_.flagged;
      flag(batch, item, "result_changed", tube,
           std::string("已报告") + domain::test_result_name(s->second.result) + " (" +
               s->second.lab + " " + domain::local_time_text(s->second.reported_at) + ")，新报" +
               domain::test_result_name(result) + " (" + trimmed(r.lab) + " " +
               domain::local_time_text(when) + ")；未覆盖，待审核更正");
      return;
    }
    store::RoundBatch::NewResult nr;
    nr.tube_code = tube;
    nr.result.result = result;
    nr.result.lab = trimmed(r.lab);
    nr.result.reported_at = when;
    nr.result.ct = trimmed(r.ct);
    nr.result.late = closed_;
    if (closed_) {
      ++report_.flagged;
      flag(batch, item, "late_result", tube,
           std::string("本轮关闭后报告的结果：") + domain::test_result_name(result) +
               "，已记录并标记待审核 (late result after the round closed)");
    }
    batch.results.push_back(std::move(nr));
    ++report_.imported;
    // The domain's rule decides: a positive single tube makes its person positive.
    if (auto m = members_.find(t->second);
        m != members_.end() && domain::apply_tube(PersonStatus::sampled, m->second.count, result) ==
                                   PersonStatus::positive)
      report_.positives.push_back(
          {m->second.sample->person_id, tube, m->second.sample->sampled_at});
  }

 private:
  void reject(const Item& item, int field, std::string reason) {
    report_.rejected.push_back({item.row, header_(field), std::move(reason), item.cells});
  }
  void flag(store::RoundBatch& batch, const Item& item, const char* kind, const std::string& tube,
            std::string detail) {
    store::ConflictRecord c;
    c.round_id = round_id_;
    c.kind = kind;
    c.tube_code = tube;
    c.row = item.row;
    c.detail = std::move(detail);
    report_.conflicts.push_back(c);
    batch.conflicts.push_back(std::move(c));
  }

  store::Store& store_;
  int64_t round_id_;
  RoundImportReport& report_;
  std::function<std::string(int)> header_;
  store::RoundFacts facts_;
  bool closed_ = false;
  std::string now_;
  std::unordered_map<std::string, int64_t> tube_ids_;
  std::unordered_map<int64_t, store::ResultRecord> stored_;
  std::unordered_map<std::string, int64_t> other_round_;
  std::unordered_map<std::string, std::pair<long, TestResult>> file_;
  struct TubeMembers {
    int count = 0;
    const store::SampleRecord* sample = nullptr;  // the last member (the only one when count is 1)
  };
  std::unordered_map<int64_t, TubeMembers> members_;
};

std::vector<std::string> record_cells(const SamplingRecord& r) {
  return {r.tube_code,   r.id_number,       r.name, r.site, r.sampled_at,
          r.person_code, r.institution_code};
}
std::vector<std::string> record_cells(const ResultRecordIn& r) {
  return {r.tube_code, r.result, r.lab, r.reported_at, r.ct};
}

// Reads every data row of an opened file into records of type R.
template <typename R, typename Fill>
Status read_records(OpenedTable& t, std::vector<R>& recs, std::vector<Item>& items, Fill fill) {
  ingest::Row row;
  while (t.reader->next(row)) {
    R r;
    r.row = row.number;
    fill(row, r);
    recs.push_back(std::move(r));
    items.push_back({row.number, row_texts(t, row)});
  }
  return t.reader->status();
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

Status commit_batch(store::Store& store, store::RoundBatch& batch, RoundImportReport& report) {
  auto id = store.rounds().write_batch(batch);
  if (!id.ok()) return id.status();
  report.import_id = *id;
  return Status::Ok();
}

std::string counts_detail(const RoundImportReport& r) {
  return "\"imported\":" + std::to_string(r.imported) +
         ",\"unchanged\":" + std::to_string(r.unchanged) +
         ",\"flagged\":" + std::to_string(r.flagged) +
         ",\"rejected\":" + std::to_string(r.rejected.size());
}

// Imports are recorded per round: the same file given to another round is
// checked again (and its tube codes rejected as reused), not "already imported".
std::string import_kind(const RoundImportReport& r) {
  return r.kind + ":" + std::to_string(r.round_id);
}

store::ImportRecord round_import_record(const RoundImportReport& r, const ImportOptions& o,
                                        const std::string& started_at) {
  store::ImportRecord rec;
  rec.kind = import_kind(r);
  rec.file_name = r.file_name;
  rec.sha256 = r.sha256;
  rec.format = r.format;
  rec.started_at = started_at;
  rec.finished_at = store::utc_now_iso();
  rec.actor = o.actor;
  rec.rows = r.rows;
  rec.imported = r.imported;
  rec.unchanged = r.unchanged;
  rec.updated = 0;
  rec.rejected = static_cast<long>(r.rejected.size());
  rec.rejections = r.rejected;
  return rec;
}

template <typename Job, typename R>
Result<RoundImportReport> run_file(store::Store& store, Job& job, RoundImportReport& report,
                                   OpenedTable& t, std::vector<R>& recs, std::vector<Item>& items,
                                   const ImportOptions& options, const std::string& started_at,
                                   std::chrono::steady_clock::time_point started) {
  store::RoundBatch batch;
  batch.round_id = report.round_id;
  FX_RETURN_IF_ERROR(job.check_codes(recs));
  for (size_t i = 0; i < recs.size(); ++i) {
    if constexpr (std::is_same_v<R, SamplingRecord>)
      job.add(recs[i], items[i]);
    else
      job.add(recs[i], items[i], batch);
    if (options.progress && (i + 1) % 4096 == 0) options.progress(static_cast<long>(i + 1));
  }
  if constexpr (std::is_same_v<R, SamplingRecord>) job.finish(batch);
  if (!options.errors_out.empty() && !report.rejected.empty())
    FX_RETURN_IF_ERROR(write_errors_file(t, report.rejected, options.errors_out));
  if (!options.dry_run) {
    batch.import = round_import_record(report, options, started_at);
    batch.change = make_change(
        std::is_same_v<R, SamplingRecord> ? "round.sampling_imported" : "round.results_imported",
        report.round_id, counts_detail(report));
    FX_RETURN_IF_ERROR(commit_batch(store, batch, report));
  } else {
    report.positives.clear();  // nothing stored, nothing to confirm
  }
  report.seconds = since(started);
  return report;
}

Result<bool> already(store::Store& store, OpenedTable& t, RoundImportReport& report) {
  report.file_name = t.display_name;
  report.format = ingest::describe(t.format, t.encoding);
  report.sha256 = t.sha256;
  auto previous = store.find_import(import_kind(report), t.sha256);
  if (!previous.ok()) return previous.status();
  if (!previous->has_value()) return false;
  report.already_imported = true;
  report.import_id = (*previous)->id;
  report.rows = (*previous)->rows;
  report.unchanged = (*previous)->imported + (*previous)->unchanged;
  return true;
}

}  // namespace

Result<int64_t> create_round(store::Store& store, const CreateRound& req) {
  domain::Round r;
  r.name = trimmed(req.name);
  if (r.name.empty()) return Status::Invalid("轮次名称必填 (a round needs a name)");
  if (auto why = too_long(r.name, 60); !why.empty()) return Status::Invalid(why);
  if (!domain::parse_date(trimmed(req.date), r.date))
    return Status::Invalid("日期无效 “" + req.date + "” (not a date)");
  if (!domain::valid_pool_size(req.pool_size))
    return Status::Invalid("混采人数应为 1、5、10 或 20 (pooling must be 1, 5, 10 or 20 in 1)");
  r.pool_size = req.pool_size;
  if (!trimmed(req.deadline).empty() && !domain::parse_local_time(req.deadline, r.deadline))
    return Status::Invalid("截止时间无效 “" + req.deadline + "” (not a time)");
  r.scope = req.scope;
  r.created_by = req.actor;
  r.created_at = store::utc_now_iso();

  auto people = store.rounds().people_placements();
  if (!people.ok()) return people.status();
  std::vector<int64_t> due;
  using domain::RoundScopeKind;
  if (r.scope != RoundScopeKind::all && req.scope_values.empty())
    return Status::Invalid("范围为空 (the scope lists nothing)");
  if (r.scope == RoundScopeKind::all) {
    for (const auto& p : *people) due.push_back(p.id);
  } else if (r.scope == RoundScopeKind::institutions) {
    auto insts = store.list_institutions();
    if (!insts.ok()) return insts.status();
    std::unordered_set<int64_t> ids;
    for (const auto& code : req.scope_values) {
      auto it =
          std::find_if(insts->begin(), insts->end(), [&](const auto& i) { return i.code == code; });
      if (it == insts->end())
        return Status::Invalid("未知学校代码 “" + code + "” (unknown institution)");
      ids.insert(it->id);
      r.scope_ids.push_back(it->id);
    }
    for (const auto& p : *people)
      if (ids.count(p.institution_id)) due.push_back(p.id);
  } else if (r.scope == RoundScopeKind::units) {
    auto units = store.list_units(0);
    if (!units.ok()) return units.status();
    std::unordered_map<int64_t, const domain::Unit*> by_id;
    for (const auto& u : *units) by_id[u.id] = &u;
    std::vector<const domain::Unit*> chosen;
    for (const auto& v : req.scope_values) {
      int64_t id = std::atoll(v.c_str());
      auto it = by_id.find(id);
      if (it == by_id.end()) return Status::Invalid("未知单位 " + v + " (unknown unit id)");
      chosen.push_back(it->second);
      r.scope_ids.push_back(id);
    }
    // A unit covers the units below it (a grade its classes).
    std::unordered_set<int64_t> covered;
    for (const auto& u : *units)
      for (const auto* c : chosen)
        if (u.institution_id == c->institution_id &&
            (u.id == c->id || u.path.rfind(c->path + "/", 0) == 0))
          covered.insert(u.id);
    for (const auto& p : *people)
      if (covered.count(p.unit_id)) due.push_back(p.id);
  } else {
    std::unordered_set<int64_t> known;
    for (const auto& p : *people) known.insert(p.id);
    for (const auto& v : req.scope_values) {
      int64_t id = std::atoll(v.c_str());
      if (!known.count(id)) return Status::Invalid("人员 " + v + " 不在台账中 (no such person)");
      due.push_back(id);
      r.scope_ids.push_back(id);
    }
  }
  std::sort(due.begin(), due.end());
  due.erase(std::unique(due.begin(), due.end()), due.end());
  if (due.empty()) return Status::Invalid("范围内没有人员 (nobody is in the scope)");
  return store.rounds().create_round(
      r, due, make_change("round.created", 0, "\"due\":" + std::to_string(due.size())));
}

Status close_round(store::Store& store, int64_t round_id, const std::string& actor) {
  return store.rounds().close_round(round_id, actor, store::utc_now_iso());
}

Status exempt_person(store::Store& store, int64_t round_id, int64_t person_id,
                     domain::ExemptReason reason, const std::string& note,
                     const std::string& actor) {
  store::ExemptionRecord e;
  e.person_id = person_id;
  e.reason = reason;
  e.note = note;
  e.actor = actor;
  return store.rounds().add_exemption(round_id, e);
}

Status correct_result(store::Store& store, int64_t round_id, const std::string& tube_code,
                      TestResult result, const std::string& actor, const std::string& reason) {
  if (result == TestResult::none) return Status::Invalid("a correction needs a result");
  if (trimmed(reason).empty())
    return Status::Invalid("更正须说明原因 (a correction needs a reason)");
  store::ResultRecord r;
  r.result = result;
  r.lab = "更正 correction";
  return store.rounds().correct_result(round_id, trimmed(tube_code), r, actor, trimmed(reason));
}

Result<RoundImportReport> import_sampling(store::Store& store, const Vault& vault, int64_t round_id,
                                          const std::string& path, const ImportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto opened =
      open_import(path, options.display_name, sampling_columns(), kSFieldCount, {{kSId, kSCode}});
  if (!opened.ok()) return opened.status();
  OpenedTable& t = *opened;
  RoundImportReport report;
  report.kind = "round.sampling";
  report.round_id = round_id;
  auto seen = already(store, t, report);
  if (!seen.ok()) return seen.status();
  if (*seen) return report;
  std::string started_at = store::utc_now_iso();
  SamplingJob job(store, vault, round_id, report,
                  [&](int f) { return column_name(t, sampling_columns(), f); });
  FX_RETURN_IF_ERROR(job.load());
  std::vector<SamplingRecord> recs;
  std::vector<Item> items;
  FX_RETURN_IF_ERROR(read_records(t, recs, items, [&](const ingest::Row& row, SamplingRecord& r) {
    r.tube_code = cell(t, row, kSTube).text;
    r.id_number = cell(t, row, kSId).text;
    r.name = cell(t, row, kSName).text;
    r.site = cell(t, row, kSSite).text;
    r.sampled_at = cell(t, row, kSTime).text;
    r.person_code = cell(t, row, kSCode).text;
    r.institution_code = cell(t, row, kSInst).text;
  }));
  return run_file(store, job, report, t, recs, items, options, started_at, started);
}

Result<RoundImportReport> import_results(store::Store& store, int64_t round_id,
                                         const std::string& path, const ImportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto opened = open_import(path, options.display_name, result_columns(), kRFieldCount);
  if (!opened.ok()) return opened.status();
  OpenedTable& t = *opened;
  RoundImportReport report;
  report.kind = "round.results";
  report.round_id = round_id;
  auto seen = already(store, t, report);
  if (!seen.ok()) return seen.status();
  if (*seen) return report;
  std::string started_at = store::utc_now_iso();
  ResultsJob job(store, round_id, report,
                 [&](int f) { return column_name(t, result_columns(), f); });
  FX_RETURN_IF_ERROR(job.load());
  std::vector<ResultRecordIn> recs;
  std::vector<Item> items;
  FX_RETURN_IF_ERROR(read_records(t, recs, items, [&](const ingest::Row& row, ResultRecordIn& r) {
    r.tube_code = cell(t, row, kRTube).text;
    r.result = cell(t, row, kRResult).text;
    r.lab = cell(t, row, kRLab).text;
    r.reported_at = cell(t, row, kRTime).text;
    r.ct = cell(t, row, kRCt).text;
  }));
  return run_file(store, job, report, t, recs, items, options, started_at, started);
}

Result<RoundImportReport> post_sampling(store::Store& store, const Vault& vault, int64_t round_id,
                                        const std::vector<SamplingRecord>& records,
                                        const std::string& actor) {
  auto started = std::chrono::steady_clock::now();
  RoundImportReport report;
  report.kind = "round.sampling";
  report.round_id = round_id;
  SamplingJob job(store, vault, round_id, report,
                  [](int f) { return std::string(sampling_header(f)); });
  FX_RETURN_IF_ERROR(job.load(&records));
  FX_RETURN_IF_ERROR(job.check_codes(records));
  for (size_t i = 0; i < records.size(); ++i) {
    long row = records[i].row ? records[i].row : static_cast<long>(i + 1);
    job.add(records[i], {row, record_cells(records[i])});
  }
  store::RoundBatch batch;
  batch.round_id = round_id;
  job.finish(batch);
  batch.change = make_change(
      "round.sampling_posted", round_id,
      counts_detail(report) + ",\"actor\":" + boost::json::serialize(boost::json::value(actor)));
  FX_RETURN_IF_ERROR(commit_batch(store, batch, report));
  report.seconds = since(started);
  return report;
}

Result<RoundImportReport> post_results(store::Store& store, int64_t round_id,
                                       const std::vector<ResultRecordIn>& records,
                                       const std::string& actor) {
  auto started = std::chrono::steady_clock::now();
  RoundImportReport report;
  report.kind = "round.results";
  report.round_id = round_id;
  ResultsJob job(store, round_id, report, [](int f) { return std::string(result_header(f)); });
  FX_RETURN_IF_ERROR(job.load());
  FX_RETURN_IF_ERROR(job.check_codes(records));
  store::RoundBatch batch;
  batch.round_id = round_id;
  for (size_t i = 0; i < records.size(); ++i) {
    long row = records[i].row ? records[i].row : static_cast<long>(i + 1);
    job.add(records[i], {row, record_cells(records[i])}, batch);
  }
  batch.change = make_change(
      "round.results_posted", round_id,
      counts_detail(report) + ",\"actor\":" + boost::json::serialize(boost::json::value(actor)));
  FX_RETURN_IF_ERROR(commit_batch(store, batch, report));
  report.seconds = since(started);
  return report;
}

std::string to_json(const RoundImportReport& r) {
  boost::json::object o;
  o["kind"] = r.kind;
  o["round"] = r.round_id;
  if (!r.file_name.empty()) {
    o["file_name"] = r.file_name;
    o["format"] = r.format;
    o["sha256"] = r.sha256;
  }
  o["already_imported"] = r.already_imported;
  o["import_id"] = r.import_id;
  o["rows"] = r.rows;
  o["imported"] = r.imported;
  o["unchanged"] = r.unchanged;
  o["flagged"] = r.flagged;
  o["tubes_created"] = r.tubes_created;
  boost::json::array rej;
  for (const auto& x : r.rejected)
    rej.push_back(boost::json::object{{"row", x.row}, {"column", x.column}, {"reason", x.reason}});
  o["rejected"] = std::move(rej);
  boost::json::array con;
  for (const auto& c : r.conflicts)
    con.push_back(boost::json::object{
        {"row", c.row}, {"kind", c.kind}, {"tube_code", c.tube_code}, {"detail", c.detail}});
  o["conflicts"] = std::move(con);
  if (r.kind == "round.results") o["positives"] = r.positives.size();
  o["seconds"] = r.seconds;
  return boost::json::serialize(o);
}

std::string to_text(const RoundImportReport& r) {
  std::string out;
  if (r.already_imported) {
    return "该文件已导入过 (import " + std::to_string(r.import_id) +
           "): nothing changed (already imported)\n";
  }
  out += (r.kind == "round.sampling" ? "采样导入 sampling" : "结果导入 results");
  out += " round " + std::to_string(r.round_id) + ": rows " + std::to_string(r.rows) +
         ", imported " + std::to_string(r.imported) + ", unchanged " + std::to_string(r.unchanged) +
         ", flagged " + std::to_string(r.flagged) + ", rejected " +
         std::to_string(r.rejected.size());
  if (r.kind == "round.sampling") out += ", tubes created " + std::to_string(r.tubes_created);
  char buf[32];
  std::snprintf(buf, sizeof buf, " (%.3f s)\n", r.seconds);
  out += buf;
  size_t shown = 0;
  for (const auto& x : r.rejected) {
    if (++shown > 20) {
      out +=
          "  … " + std::to_string(r.rejected.size() - 20) + " more (use --json or --errors-out)\n";
      break;
    }
    out += "  " + row_ref(x.row) + " [" + x.column + "] " + x.reason + "\n";
  }
  for (const auto& c : r.conflicts)
    out += "  ⚑ " + row_ref(c.row) + " " + c.tube_code + " " + c.kind + ": " + c.detail + "\n";
  return out;
}

}  // namespace fx::app
