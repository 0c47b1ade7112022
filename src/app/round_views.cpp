#include "app/round_views.h"

#include <algorithm>
#include <boost/json.hpp>

#include "app/health_access.h"
#include "app/upload_file.h"
#include "store/feed_signal.h"

namespace fx::app {
namespace {

Status need(const Caller& caller, Permission p, const char* what) {
  if (caller.can(p)) return Status::Ok();
  return Status::PermissionDenied(std::string("此角色不能") + what);
}

// The round a feed entry is about: detail.round, else its subject.
int64_t round_of(const store::Change& ch) {
  boost::system::error_code ec;
  auto v = boost::json::parse(ch.detail, ec);
  if (!ec && v.is_object())
    if (auto* r = v.as_object().if_contains("round"); r && r->is_int64()) return r->as_int64();
  return ch.subject_id;
}

bool moves_roster(const std::string& kind) {
  return kind.starts_with("roster.") || kind.starts_with("institutions.") ||
         kind.starts_with("people.");
}

std::string report_detail(const RoundImportReport& r) {
  return std::to_string(r.imported) + " stored, " + std::to_string(r.rejected.size()) +
         " rejected, " + std::to_string(r.flagged) + " flagged";
}

}  // namespace

Status RoundViews::refresh(store::Store& store, int64_t round_id) {
  if (!board_) {
    auto seq = store.last_change_seq();  // before the load: nothing is missed
    if (!seq.ok()) return seq.status();
    auto board = RoundBoard::load(store);
    if (!board.ok()) return board.status();
    board_ = std::move(*board);
    seen_seq_ = *seq;
    derived_.clear();
  }
  for (;;) {
    // Nothing heard past what was seen (LISTEN on PostgreSQL): no query.
    if (auto heard = store::heard_change_seq(store); heard && *heard <= seen_seq_) break;
    auto changes = store.changes_after(seen_seq_, 1000);
    if (!changes.ok()) return changes.status();
    if (changes->empty()) break;
    for (const auto& ch : *changes) {
      seen_seq_ = ch.seq;
      if (moves_roster(ch.kind)) {
        board_.reset();
        return refresh(store, round_id);
      }
      if (ch.kind.starts_with("round."))
        if (auto it = derived_.find(round_of(ch)); it != derived_.end()) it->second.stale = true;
    }
  }
  if (!round_id) return Status::Ok();
  Derived& d = derived_[round_id];
  std::string now = store::utc_now_iso();
  if (!d.stale && !d.deadline_passed && !d.deadline.empty() && d.deadline < now) d.stale = true;
  if (!d.stale) return Status::Ok();
  if (Status s = board_->load_round(store, round_id, now); !s.ok()) {
    derived_.erase(round_id);
    return s;
  }
  const domain::Round& r = *board_->round(round_id);
  d.stale = false;
  d.deadline = r.deadline;
  d.deadline_passed = deadline_passed(r, now);
  return Status::Ok();
}

Result<int64_t> RoundViews::institution_in_scope(const Caller& caller,
                                                 const std::string& code) const {
  if (code.empty()) return int64_t{0};
  int64_t id = board_->institution_id(code);
  if (!id || !caller.sees(id))
    return Status::NotFound("没有此学校 (no institution " + code + " in your scope)");
  return id;
}

Result<std::vector<RoundSummary>> RoundViews::rounds(store::Store& store, const Caller& caller) {
  FX_RETURN_IF_ERROR(need(caller, Permission::figures_read, "查看检测轮次 (cannot read rounds)"));
  auto list = store.rounds().list_rounds();
  if (!list.ok()) return list.status();
  std::lock_guard lock(mutex_);
  std::vector<RoundSummary> out;
  for (auto it = list->rbegin(); it != list->rend(); ++it) {
    FX_RETURN_IF_ERROR(refresh(store, it->id));
    auto t = board_->table(it->id, TableBy::institution, 0, &caller);
    out.push_back({t.round, t.total});
  }
  return out;
}

Result<RoundSummary> RoundViews::round(store::Store& store, const Caller& caller,
                                       int64_t round_id) {
  FX_RETURN_IF_ERROR(need(caller, Permission::figures_read, "查看检测轮次 (cannot read rounds)"));
  std::lock_guard lock(mutex_);
  FX_RETURN_IF_ERROR(refresh(store, round_id));
  auto t = board_->table(round_id, TableBy::institution, 0, &caller);
  return RoundSummary{t.round, t.total};
}

Result<RoundTable> RoundViews::table(store::Store& store, const Caller& caller, int64_t round_id,
                                     TableBy by, const std::string& institution_code) {
  FX_RETURN_IF_ERROR(need(caller, Permission::figures_read, "查看统计表 (cannot read tables)"));
  std::lock_guard lock(mutex_);
  FX_RETURN_IF_ERROR(refresh(store, round_id));
  auto inst = institution_in_scope(caller, institution_code);
  if (!inst.ok()) return inst.status();
  return board_->table(round_id, by, *inst, &caller);
}

Result<RoundPeoplePage> RoundViews::people(store::Store& store, const Caller& caller,
                                           int64_t round_id,
                                           const std::vector<domain::PersonStatus>& statuses,
                                           const std::string& institution_code, int64_t unit_id,
                                           int page, int per_page) {
  FX_RETURN_IF_ERROR(need(caller, Permission::people_list, "查看名单 (cannot list people)"));
  std::lock_guard lock(mutex_);
  FX_RETURN_IF_ERROR(refresh(store, round_id));
  auto inst = institution_in_scope(caller, institution_code);
  if (!inst.ok()) return inst.status();
  std::vector<int64_t> ids = board_->people_with(round_id, statuses, *inst, unit_id, &caller);
  RoundPeoplePage out;
  out.total = static_cast<long>(ids.size());
  size_t from = std::min(ids.size(), static_cast<size_t>(page - 1) * per_page);
  size_t to = std::min(ids.size(), from + static_cast<size_t>(per_page));
  std::vector<int64_t> slice(ids.begin() + from, ids.begin() + to);
  auto listed = board_->describe(store, round_id, slice);
  if (!listed.ok()) return listed.status();
  out.items = std::move(*listed);
  std::string statuses_text;
  for (auto s : statuses)
    statuses_text += std::string(statuses_text.empty() ? "" : ",") + domain::person_status_code(s);
  FX_RETURN_IF_ERROR(audit_health(store, caller, "round.people", "round", round_id, 0,
                                  statuses_text + " " + institution_code + ": " +
                                      std::to_string(out.items.size()) + " of " +
                                      std::to_string(out.total)));
  return out;
}

Result<int64_t> create_round_as(store::Store& store, const Caller& caller, CreateRound request) {
  FX_RETURN_IF_ERROR(
      need(caller, Permission::rounds_manage, "新建检测轮次 (cannot create rounds)"));
  request.actor = caller.actor();
  auto id = create_round(store, request);
  if (!id.ok()) return id;
  FX_RETURN_IF_ERROR(audit_health(store, caller, "round.create", "round", *id, 0, request.name));
  return id;
}

Status close_round_as(store::Store& store, const Caller& caller, int64_t round_id) {
  FX_RETURN_IF_ERROR(need(caller, Permission::rounds_manage, "关闭检测轮次 (cannot close rounds)"));
  FX_RETURN_IF_ERROR(close_round(store, round_id, caller.actor()));
  return audit_health(store, caller, "round.close", "round", round_id, 0, "");
}

Result<RoundImportReport> post_sampling_as(store::Store& store, const Vault& vault,
                                           const Caller& caller, int64_t round_id,
                                           const std::vector<SamplingRecord>& records) {
  FX_RETURN_IF_ERROR(need(caller, Permission::samples_write, "上报采样 (cannot post samples)"));
  auto r = post_sampling(store, vault, round_id, records, caller.actor());
  if (!r.ok()) return r;
  FX_RETURN_IF_ERROR(
      audit_health(store, caller, "round.sampling", "round", round_id, 0, report_detail(*r)));
  return r;
}

Result<RoundImportReport> post_results_as(store::Store& store, const Caller& caller,
                                          int64_t round_id,
                                          const std::vector<ResultRecordIn>& records) {
  FX_RETURN_IF_ERROR(need(caller, Permission::samples_write, "上报结果 (cannot post results)"));
  auto r = post_results(store, round_id, records, caller.actor());
  if (!r.ok()) return r;
  FX_RETURN_IF_ERROR(
      audit_health(store, caller, "round.results", "round", round_id, 0, report_detail(*r)));
  return r;
}

Result<RoundImportReport> upload_round_file(store::Store& store, const Vault& vault,
                                            const Caller& caller, int64_t round_id,
                                            const RoundUpload& up) {
  FX_RETURN_IF_ERROR(need(caller, Permission::samples_write, "导入采样或结果 (cannot upload)"));
  if (up.kind != "sampling" && up.kind != "results")
    return Status::Invalid("unknown round import kind " + up.kind);
  FX_RETURN_IF_ERROR(check_upload_name(up.file_name));
  if (up.bytes.empty()) return Status::Invalid("上传的文件是空的 (the uploaded file is empty)");
  UploadFile file(up.upload_dir, up.file_name);
  FX_RETURN_IF_ERROR(file.write(up.bytes));
  ImportOptions options;
  options.actor = caller.actor();
  options.display_name = up.file_name;
  auto r = up.kind == "sampling" ? import_sampling(store, vault, round_id, file.path(), options)
                                 : import_results(store, round_id, file.path(), options);
  if (!r.ok()) return r;
  if (r->import_id)
    FX_RETURN_IF_ERROR(
        audit_health(store, caller, "round." + up.kind, "round", round_id, 0, report_detail(*r)));
  return r;
}

}  // namespace fx::app
