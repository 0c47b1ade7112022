#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>
#include <unordered_map>

#include "app/imports.h"
#include "app/roster_columns.h"
#include "app/text_checks.h"
#include "core/bounded_queue.h"
#include "domain/dates.h"
#include "domain/phone.h"
#include "store/sealed_person.h"

namespace fx::app {
namespace {

struct HashKey {
  size_t operator()(const Vault::Hash& h) const {
    size_t v;
    std::memcpy(&v, h.data(), sizeof v);
    return v;
  }
};

std::string key_of(int64_t institution_id, std::string_view text) {
  std::string k = std::to_string(institution_id);
  k.push_back('\x1f');
  k.append(text);
  return k;
}

std::string duplicate_of(long row, const char* what) {
  return "与第" + std::to_string(row) + "行的" + what + "重复 (duplicate of row " +
         std::to_string(row) + ")";
}

// A row after the checks that need no stored state: validated, hashed and
// sealed on the reading thread, then matched and stored on the writing one.
struct PreparedRow {
  long number = 0;
  bool valid = false;
  store::Rejection rejection;  // when not valid
  domain::Person person;
  std::string levels[4];  // campus, department, grade, class
  std::string dorm;
  Vault::Hash id_hash{}, row_hash{};
  store::SealedPerson sealed;
};
using Batch = std::vector<PreparedRow>;

// One import of a roster file inside one write transaction. Two threads: one
// reads and validates (prepare), the other matches and writes (store_person).
class RosterImport {
 public:
  RosterImport(store::Store& store, const Vault& vault, OpenedTable& table,
               const ImportOptions& options, ImportReport& report)
      : store_(store), vault_(vault), t_(table), options_(options), report_(report) {}

  Status load_stored();
  Status run(store::WriteTx& tx);
  // True when the file likely holds more people than the store (about 150
  // bytes a row): then building indexes once at the end is cheaper.
  bool likely_bulk(const std::string& path) const {
    std::error_code ec;
    auto bytes = std::filesystem::file_size(path, ec);
    return !ec && bytes / 150 > stored_by_id_.size() && bytes > (1u << 20);
  }

 private:
  // Reads every row into batches of prepared rows; returns the reader's status.
  Status read_all(BoundedQueue<Batch>& queue);
  void prepare(const ingest::Row& row, PreparedRow& out);
  // Validates the row into `out`; on failure fills the rejection and returns false.
  bool read_person(const ingest::Row& row, PreparedRow& out);
  bool reject(const ingest::Row& row, PreparedRow& out, int field, std::string reason);
  void reject(const PreparedRow& row, int field, std::string reason);
  Result<int64_t> unit_id(store::WriteTx& tx, int64_t inst, const std::string levels[4]);
  Result<int64_t> dorm_id(store::WriteTx& tx, int64_t inst, const std::string& dorm);
  Status store_person(store::WriteTx& tx, PreparedRow& row);
  std::vector<std::string> changed_fields(const domain::Person& before,
                                          const domain::Person& after);

  store::Store& store_;
  const Vault& vault_;
  OpenedTable& t_;
  const ImportOptions& options_;
  ImportReport& report_;

  std::unordered_map<std::string, domain::Institution> inst_by_code_;
  std::unordered_map<std::string, std::string> code_by_name_;
  std::unordered_map<std::string, int64_t> units_;   // institution ‖ path → id
  std::unordered_map<std::string, int64_t> places_;  // institution ‖ dorm name → id
  std::unordered_map<Vault::Hash, store::PersonDigest, HashKey> stored_by_id_;
  std::unordered_map<std::string, int64_t> stored_by_code_;  // institution ‖ code → person id
  std::unordered_map<int64_t, Vault::Hash> hash_of_person_;  // person id → ID number hash
  std::unordered_map<Vault::Hash, long, HashKey> file_row_by_id_;
  std::unordered_map<std::string, long> file_row_by_code_;
  std::unordered_map<int64_t, long> file_row_by_person_;  // stored person → the row that matched
  domain::Person before_;  // the stored person an updating row changes
};

bool RosterImport::reject(const ingest::Row& row, PreparedRow& out, int field, std::string reason) {
  out.valid = false;
  out.rejection = {row.number, column_name(t_, roster_columns(), field), std::move(reason),
                   row_texts(t_, row)};
  return false;
}

// A rejection found on the writing thread (duplicates, conflicts with the store).
void RosterImport::reject(const PreparedRow& row, int field, std::string reason) {
  store::Rejection r = row.rejection;
  r.row = row.number;
  r.column = column_name(t_, roster_columns(), field);
  r.reason = std::move(reason);
  report_.rejected.push_back(std::move(r));
}

Status RosterImport::load_stored() {
  auto insts = store_.list_institutions();
  if (!insts.ok()) return insts.status();
  for (auto& i : *insts) {
    code_by_name_[i.name] = i.code;
    inst_by_code_[i.code] = std::move(i);
  }
  auto units = store_.list_units(0);
  if (!units.ok()) return units.status();
  for (const auto& u : *units) units_[key_of(u.institution_id, u.path)] = u.id;
  auto places = store_.list_places(0);
  if (!places.ok()) return places.status();
  for (const auto& p : *places)
    if (p.kind == domain::PlaceKind::dorm_room) places_[key_of(p.institution_id, p.name)] = p.id;
  return store_.for_each_person_digest([&](const store::PersonDigest& d) {
    stored_by_code_[key_of(d.institution_id, d.person_code)] = d.id;
    stored_by_id_.emplace(d.id_hash, d);
    hash_of_person_.emplace(d.id, d.id_hash);
  });
}

bool RosterImport::read_person(const ingest::Row& row, PreparedRow& out) {
  domain::Person& p = out.person;
  std::string* levels = out.levels;
  std::string& dorm = out.dorm;
  // Institution, by code or else by name.
  std::string code = trimmed(cell(t_, row, kRosterInstCode).text);
  std::string inst_name = trimmed(cell(t_, row, kRosterInstName).text);
  const domain::Institution* inst = nullptr;
  if (!code.empty()) {
    auto it = inst_by_code_.find(code);
    if (it == inst_by_code_.end())
      return reject(row, out, kRosterInstCode,
                    "未知学校代码 “" + code + "”，请先导入学校 (unknown institution code)");
    inst = &it->second;
    if (!inst_name.empty() && inst_name != inst->name)
      return reject(row, out, kRosterInstName,
                    "学校名称与学校代码 " + code + " 不符 (name does not match the code)");
  } else if (!inst_name.empty()) {
    auto it = code_by_name_.find(inst_name);
    if (it == code_by_name_.end())
      return reject(row, out, kRosterInstName,
                    "未知学校 “" + inst_name + "” (unknown institution)");
    inst = &inst_by_code_.at(it->second);
  } else {
    return reject(row, out, t_.column_of[kRosterInstCode] >= 0 ? kRosterInstCode : kRosterInstName,
                  "必填 (required)");
  }
  p.institution_id = inst->id;

  p.name = trimmed(cell(t_, row, kRosterName).text);
  if (p.name.empty()) return reject(row, out, kRosterName, "必填 (required)");
  if (auto why = too_long(p.name, 50); !why.empty()) return reject(row, out, kRosterName, why);

  std::string kind_text = trimmed(cell(t_, row, kRosterIdKind).text);
  if (!domain::parse_id_kind(kind_text, p.id_kind))
    return reject(row, out, kRosterIdKind,
                  "未知证件类型 “" + kind_text + "” (unknown ID document kind)");
  const ingest::Cell& id_cell = cell(t_, row, kRosterIdNumber);
  std::string id_text = trimmed(id_cell.text);
  if (Status s = domain::validate_id_number(p.id_kind, id_text, p.id_number); !s.ok())
    return reject(row, out, kRosterIdNumber, s.message());

  std::string gender_text = trimmed(cell(t_, row, kRosterGender).text);
  if (!domain::parse_gender(gender_text, p.gender))
    return reject(row, out, kRosterGender, "性别应为 男 或 女 (gender must be 男 or 女)");
  const ingest::Cell& birth_cell = cell(t_, row, kRosterBirth);
  std::string birth_text = trimmed(birth_cell.text);
  if (!birth_text.empty() && !domain::parse_date(birth_text, p.birth_date))
    return reject(row, out, kRosterBirth, "出生日期无效 “" + birth_text + "” (not a date)");
  if (p.id_kind == domain::IdKind::resident) {
    std::string from_id = domain::resident_birth_date(p.id_number);
    if (p.birth_date.empty())
      p.birth_date = from_id;
    else if (p.birth_date != from_id)
      return reject(
          row, out, kRosterBirth,
          "出生日期与身份证号不符，身份证号中为 " + from_id + " (does not match the ID number)");
    domain::Gender from_id_gender =
        domain::resident_gender(p.id_number) == 'M' ? domain::Gender::male : domain::Gender::female;
    if (p.gender == domain::Gender::unknown)
      p.gender = from_id_gender;
    else if (p.gender != from_id_gender)
      return reject(row, out, kRosterGender, "性别与身份证号不符 (does not match the ID number)");
  }

  std::string role_text = trimmed(cell(t_, row, kRosterRole).text);
  if (role_text.empty()) return reject(row, out, kRosterRole, "必填 (required)");
  if (!domain::parse_role(role_text, p.role))
    return reject(row, out, kRosterRole,
                  "人员类别应为 学生/教师/职工 (role must be student, teacher or staff)");

  p.person_code = trimmed(cell(t_, row, kRosterPersonCode).text);
  if (auto why = too_long(p.person_code, 40); !why.empty())
    return reject(row, out, kRosterPersonCode, why);
  if (p.person_code.empty()) {
    // No 学号/工号: a stable pseudonymous code from the keyed ID hash, never the ID itself.
    auto h = store::id_number_hash(vault_, p.id_kind, p.id_number);
    p.person_code = "ID-" + to_hex(h.data(), 5);
  }

  static constexpr int kLevels[4] = {kRosterCampus, kRosterDepartment, kRosterGrade, kRosterClass};
  for (int i = 0; i < 4; ++i) {
    levels[i] = trimmed(cell(t_, row, kLevels[i]).text);
    if (auto why = too_long(levels[i], 60); !why.empty()) return reject(row, out, kLevels[i], why);
  }
  dorm = trimmed(cell(t_, row, kRosterDorm).text);
  if (auto why = too_long(dorm, 60); !why.empty()) return reject(row, out, kRosterDorm, why);

  std::string phone_text = trimmed(cell(t_, row, kRosterPhone).text);
  if (!phone_text.empty()) {
    if (Status s = domain::validate_mobile(phone_text, p.phone); !s.ok())
      return reject(row, out, kRosterPhone, s.message());
  }
  p.home_compound = trimmed(cell(t_, row, kRosterCompound).text);
  if (auto why = too_long(p.home_compound, 100); !why.empty())
    return reject(row, out, kRosterCompound, why);
  return true;
}

Result<int64_t> RosterImport::unit_id(store::WriteTx& tx, int64_t inst,
                                      const std::string levels[4]) {
  static constexpr domain::UnitKind kKinds[4] = {domain::UnitKind::campus,
                                                 domain::UnitKind::department,
                                                 domain::UnitKind::grade, domain::UnitKind::class_};
  int64_t parent = 0;
  std::string path;
  for (int i = 0; i < 4; ++i) {
    if (levels[i].empty()) continue;
    if (!path.empty()) path.push_back('/');
    path += levels[i];
    std::string key = key_of(inst, path);
    auto it = units_.find(key);
    if (it != units_.end()) {
      parent = it->second;
      continue;
    }
    domain::Unit u;
    u.institution_id = inst;
    u.parent_id = parent;
    u.kind = kKinds[i];
    u.name = levels[i];
    u.path = path;
    int64_t id = 0;
    if (!options_.dry_run) {
      auto r = tx.insert_unit(u);
      if (!r.ok()) return r.status();
      id = *r;
    }
    units_.emplace(std::move(key), id);
    ++report_.units_created;
    parent = id;
  }
  return parent;
}

Result<int64_t> RosterImport::dorm_id(store::WriteTx& tx, int64_t inst, const std::string& dorm) {
  if (dorm.empty()) return int64_t{0};
  std::string key = key_of(inst, dorm);
  if (auto it = places_.find(key); it != places_.end()) return it->second;
  int64_t id = 0;
  if (!options_.dry_run) {
    auto r = tx.insert_place({0, inst, domain::PlaceKind::dorm_room, dorm});
    if (!r.ok()) return r.status();
    id = *r;
  }
  places_.emplace(std::move(key), id);
  ++report_.places_created;
  return id;
}

std::vector<std::string> RosterImport::changed_fields(const domain::Person& a,
                                                      const domain::Person& b) {
  std::vector<std::string> f;
  if (a.person_code != b.person_code) f.push_back("学号/工号");
  if (a.name != b.name) f.push_back("姓名");
  if (a.id_kind != b.id_kind || a.id_number != b.id_number) f.push_back("证件号码");
  if (a.gender != b.gender) f.push_back("性别");
  if (a.birth_date != b.birth_date) f.push_back("出生日期");
  if (a.role != b.role) f.push_back("人员类别");
  if (a.unit_id != b.unit_id) f.push_back("班级/部门");
  if (a.dorm_id != b.dorm_id) f.push_back("宿舍");
  if (a.phone != b.phone) f.push_back("手机号");
  if (a.home_compound != b.home_compound) f.push_back("居住小区");
  return f;
}

void RosterImport::prepare(const ingest::Row& row, PreparedRow& out) {
  out.number = row.number;
  out.valid = read_person(row, out);
  if (!out.valid) return;
  const domain::Person& p = out.person;
  out.id_hash = store::id_number_hash(vault_, p.id_kind, p.id_number);
  std::string fingerprint = p.person_code;
  for (const std::string* field : std::initializer_list<const std::string*>{
           &p.name, &p.birth_date, &p.id_number, &p.phone, &p.home_compound, &out.levels[0],
           &out.levels[1], &out.levels[2], &out.levels[3], &out.dorm}) {
    fingerprint.push_back('\x1f');
    fingerprint += *field;
  }
  fingerprint += '\x1f' + std::to_string(p.institution_id) + domain::role_code(p.role) +
                 domain::gender_name(p.gender) + domain::id_kind_code(p.id_kind);
  out.row_hash = vault_.hash("row", fingerprint);
  out.sealed = store::seal_person(vault_, p);
  // Kept only to report the row if the writer rejects it (a duplicate).
  out.rejection.cells = row_texts(t_, row);
}

Status RosterImport::read_all(BoundedQueue<Batch>& queue) {
  constexpr size_t kBatch = 1024;
  ingest::Row row;
  Batch batch;
  batch.reserve(kBatch);
  while (t_.reader->next(row)) {
    batch.emplace_back();
    prepare(row, batch.back());
    if (batch.size() == kBatch) {
      if (!queue.push(std::move(batch))) break;  // the writer failed and closed the queue
      batch = Batch();
      batch.reserve(kBatch);
    }
  }
  if (!batch.empty()) queue.push(std::move(batch));
  queue.close();
  return t_.reader->status();
}

Status RosterImport::store_person(store::WriteTx& tx, PreparedRow& row) {
  domain::Person& p = row.person;
  std::string code_key = key_of(p.institution_id, p.person_code);

  if (auto r = file_row_by_id_.find(row.id_hash); r != file_row_by_id_.end())
    return reject(row, kRosterIdNumber, duplicate_of(r->second, "证件号码")), Status::Ok();
  if (auto r = file_row_by_code_.find(code_key); r != file_row_by_code_.end())
    return reject(row, kRosterPersonCode, duplicate_of(r->second, "学号/工号")), Status::Ok();

  // Which stored person is this row? By ID number first, then by 学号/工号.
  const store::PersonDigest* match = nullptr;
  if (auto s = stored_by_id_.find(row.id_hash); s != stored_by_id_.end()) {
    if (s->second.institution_id != p.institution_id) {
      std::string where;
      for (const auto& [code, inst] : inst_by_code_)
        if (inst.id == s->second.institution_id) where = inst.name;
      return reject(row, kRosterIdNumber,
                    "该证件号码已在 " + where + " 登记 (already on another institution's roster)"),
             Status::Ok();
    }
    match = &s->second;
  }
  bool matched_by_id = match != nullptr;
  if (auto c = stored_by_code_.find(code_key); c != stored_by_code_.end()) {
    if (match && c->second != match->id)
      return reject(row, kRosterPersonCode,
                    "学号/工号已被本校另一人使用 (person code belongs to someone else)"),
             Status::Ok();
    // Same 学号/工号 with another ID number: the ID number was corrected.
    if (!match) match = &stored_by_id_.at(hash_of_person_.at(c->second));
  }
  if (match) {
    if (auto m = file_row_by_person_.find(match->id); m != file_row_by_person_.end())
      return reject(row, matched_by_id ? kRosterIdNumber : kRosterPersonCode,
                    "与第" + std::to_string(m->second) + "行是同一人 (same person as row " +
                        std::to_string(m->second) + ")"),
             Status::Ok();
  }
  if (match && match->row_hash != row.row_hash) {
    // One key may change at a time: a new ID number, or a new name, or a new
    // code. A row whose name and other key both differ is another person.
    auto before = store_.get_person(match->id);
    if (!before.ok()) return before.status();
    bool same_name = before->name == p.name;
    if (!same_name && matched_by_id && before->person_code != p.person_code)
      return reject(row, kRosterIdNumber,
                    "该证件号码已登记为 " + before->person_code +
                        "，姓名和学号/工号都不同，请核对 (ID number belongs to a person with "
                        "another name and code)"),
             Status::Ok();
    if (!same_name && !matched_by_id)
      return reject(row, kRosterPersonCode,
                    "学号/工号 " + p.person_code +
                        " 已登记为另一人，姓名和证件号码都不同，请核对 (person code belongs to a "
                        "person with another name and ID number)"),
             Status::Ok();
    before_ = std::move(*before);
  }
  if (match) file_row_by_person_.emplace(match->id, row.number);
  file_row_by_id_.emplace(row.id_hash, row.number);
  file_row_by_code_.emplace(std::move(code_key), row.number);

  if (match && match->row_hash == row.row_hash) {
    ++report_.unchanged;
    return Status::Ok();
  }
  auto unit = unit_id(tx, p.institution_id, row.levels);
  if (!unit.ok()) return unit.status();
  p.unit_id = *unit;
  auto room = dorm_id(tx, p.institution_id, row.dorm);
  if (!room.ok()) return room.status();
  p.dorm_id = *room;

  if (!match) {
    ++report_.imported;
    if (options_.dry_run) return Status::Ok();
    auto id = tx.insert_person(p, row.sealed, row.row_hash);
    return id.ok() ? Status::Ok() : id.status();
  }
  p.id = match->id;
  ++report_.updated;
  report_.updates.push_back({row.number, p.person_code, changed_fields(before_, p)});
  if (options_.dry_run) return Status::Ok();
  return tx.update_person(p, row.sealed, row.row_hash);
}

Status RosterImport::run(store::WriteTx& tx) {
  // A few batches in flight: the reader stays ahead without holding the file.
  BoundedQueue<Batch> queue(8);
  Status read_status;
  std::thread reader([&] { read_status = read_all(queue); });
  Status write_status;
  while (auto batch = queue.pop()) {
    if (!write_status.ok()) continue;  // drain so the reader can finish
    for (PreparedRow& row : *batch) {
      ++report_.rows;
      if (!row.valid)
        report_.rejected.push_back(std::move(row.rejection));
      else
        write_status = store_person(tx, row);
      if (!write_status.ok()) {
        queue.close();
        break;
      }
      if (options_.progress && report_.rows % 4096 == 0) options_.progress(report_.rows);
    }
  }
  reader.join();
  FX_RETURN_IF_ERROR(read_status);
  return write_status;
}

}  // namespace

Result<ImportReport> import_roster(store::Store& store, const Vault& vault, const std::string& path,
                                   const ImportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  const auto& columns = roster_columns();
  auto opened = open_import(path, options.display_name, columns, kRosterFieldCount,
                            {{kRosterInstCode, kRosterInstName}});
  if (!opened.ok()) return opened.status();
  OpenedTable& t = *opened;

  ImportReport report;
  report.kind = "roster";
  report.file_name = t.display_name;
  report.format = ingest::describe(t.format, t.encoding);
  report.sha256 = t.sha256;
  report.dry_run = options.dry_run;
  auto seen = check_already_imported(store, report.kind, t, report);
  if (!seen.ok()) return seen.status();
  if (*seen) return report;

  RosterImport job(store, vault, t, options, report);
  FX_RETURN_IF_ERROR(job.load_stored());
  std::string started_at = store::utc_now_iso();
  auto tx = store.begin();
  if (!tx.ok()) return tx.status();
  if (!options.dry_run && job.likely_bulk(path))
    FX_RETURN_IF_ERROR((*tx)->prepare_bulk_people_load());
  Status done = job.run(**tx);
  if (done.ok() && !options.errors_out.empty() && !report.rejected.empty())
    done = write_errors_file(t, report.rejected, options.errors_out);
  if (done.ok() && !options.dry_run)
    done = commit_import(**tx, report, options, started_at, "roster.imported");
  if (done.code() == Status::Code::already_exists) {
    // Another node stored this very file meanwhile (several nodes, one
    // database): its keys stopped this transaction. Say so, as the check
    // above would have a moment later.
    tx->reset();
    ImportReport again;
    again.kind = report.kind;
    again.file_name = report.file_name;
    again.format = report.format;
    again.sha256 = report.sha256;
    auto seen_now = check_already_imported(store, again.kind, t, again);
    if (seen_now.ok() && *seen_now) return again;
  }
  FX_RETURN_IF_ERROR(done);
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace fx::app
