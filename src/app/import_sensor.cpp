// Proximity-sensor records in the SocioPatterns format: one line `t i j
// [Ci Cj]` (whitespace separated) per 20 s of face-to-face contact ending at
// t, t in seconds after --epoch, i and j 学号/工号 within --institution.
// Consecutive or overlapping 20-s records of a pair merge into one interval.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <unordered_map>

#include "app/presence_import_run.h"
#include "app/presence_time.h"
#include "app/text_checks.h"

namespace fx::app {
namespace {

constexpr int64_t kRecordSeconds = 20;

std::vector<std::string> fields_of(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.emplace_back(line.substr(start, i - start));
  }
  return out;
}

bool integer(const std::string& s, int64_t& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

Status write_sensor_errors(const std::vector<store::Rejection>& rejected, const std::string& path) {
  auto writer = ingest::create_table(path, ingest::FileFormat::csv);
  if (!writer.ok()) return writer.status();
  FX_RETURN_IF_ERROR((*writer)->write_row({"行号", "内容", "错误原因"}));
  for (const auto& r : rejected) {
    std::string line;
    for (const auto& c : r.cells) line += (line.empty() ? "" : " ") + c;
    FX_RETURN_IF_ERROR((*writer)->write_row({std::to_string(r.row), line, r.reason}));
  }
  return (*writer)->close();
}

}  // namespace

Status import_sensor_file(PresenceRun& run, const std::string& path, bool& done) {
  auto& report = run.report.base;
  report.file_name =
      run.options.import.display_name.empty() ? base_name(path) : run.options.import.display_name;
  report.format = "SocioPatterns text (t i j)";
  auto sha = sha256_file(path);
  if (!sha.ok()) return Status::IoError(report.file_name + ": " + sha.status().message());
  report.sha256 = *sha;
  if (trimmed(run.options.institution).empty())
    return Status::Invalid("传感器数据须指定 --institution (a sensor file needs --institution)");
  std::string epoch_text = trimmed(run.options.epoch);
  int64_t epoch = 0;
  if (epoch_text.empty())
    return Status::Invalid("传感器数据须指定 --epoch (a sensor file needs --epoch: t = 0)");
  if (!integer(epoch_text, epoch) && !parse_local_instant(epoch_text, epoch))
    return Status::Invalid("--epoch: 时间无效 “" + epoch_text + "” (not a time or Unix seconds)");
  auto previous = run.store.find_import(report.kind, report.sha256);
  if (!previous.ok()) return previous.status();
  if (previous->has_value()) {
    report.already_imported = true;
    report.previous_import_id = (*previous)->id;
    report.previous_import_at = (*previous)->finished_at;
    report.rows = (*previous)->rows;
    report.unchanged = (*previous)->imported;
    done = true;
    return Status::Ok();
  }
  FX_RETURN_IF_ERROR(run.start());
  const int64_t inst = run.default_institution;

  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(report.file_name + ": cannot open");
  // Pair (lower person id, higher) → its 20-s records' start times.
  std::map<std::pair<int64_t, int64_t>, std::vector<int64_t>> records;
  std::unordered_map<std::string, int64_t> person_of;
  std::string line;
  long number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto fields = fields_of(line);
    if (fields.empty()) continue;  // a blank line is no record
    ++report.rows;
    auto reject = [&](const char* column, std::string why) {
      run.reject(number, column, std::move(why), fields);
    };
    int64_t t = 0;
    if (fields.size() < 3 || !integer(fields[0], t)) {
      reject("t", "每行应为 t i j [Ci Cj]，t 为整数秒 (expected `t i j`, t in whole seconds)");
      continue;
    }
    if (fields[1] == fields[2]) {
      reject("j", "i 与 j 是同一人 (a person cannot be in contact with themselves)");
      continue;
    }
    int64_t ids[2] = {0, 0};
    bool ok = true;
    for (int k = 0; k < 2 && ok; ++k) {
      const std::string& code = fields[1 + k];
      auto it = person_of.find(code);
      int64_t id = it != person_of.end() ? it->second : run.lookup.person_by_code(inst, code);
      if (it == person_of.end()) person_of.emplace(code, id);
      if (!id) {
        reject(k == 0 ? "i" : "j", "编号 " + code + " 不在本校人员台账中 (id not on the roster)");
        ok = false;
      }
      ids[k] = id;
    }
    if (!ok) continue;
    if (ids[0] == ids[1]) {
      reject("j", "i 与 j 是同一人 (a person cannot be in contact with themselves)");
      continue;
    }
    int64_t end = epoch + t;
    if (auto w = implausible_time(end - kRecordSeconds, run.now); !w.empty()) {
      reject("t", w);
      continue;
    }
    records[{std::min(ids[0], ids[1]), std::max(ids[0], ids[1])}].push_back(end - kRecordSeconds);
    ++report.imported;
  }
  if (in.bad()) return Status::IoError(report.file_name + ": read error");
  for (auto& [pair, starts] : records) {
    std::sort(starts.begin(), starts.end());
    store::PairContactRecord c;
    c.person_a = pair.first;
    c.person_b = pair.second;
    c.source = store::ContactSource::sensor;
    c.setting = "传感器 sensor";
    c.start = starts.front();
    c.end = c.start + kRecordSeconds;
    for (size_t i = 1; i < starts.size(); ++i) {
      if (starts[i] <= c.end) {
        c.end = std::max(c.end, starts[i] + kRecordSeconds);
        continue;
      }
      run.batch.contacts.push_back(c);
      c.start = starts[i];
      c.end = c.start + kRecordSeconds;
    }
    run.batch.contacts.push_back(c);
  }
  if (!run.options.import.errors_out.empty() && !report.rejected.empty())
    FX_RETURN_IF_ERROR(write_sensor_errors(report.rejected, run.options.import.errors_out));
  return Status::Ok();
}

}  // namespace fx::app
