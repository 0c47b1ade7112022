#include "domain/directives.h"

#include <chrono>
#include <cstdio>

namespace fx::domain {

bool parse_priority(std::string_view t, Priority& p) {
  if (t == "普通" || t == "normal") return p = Priority::normal, true;
  if (t == "紧急" || t == "urgent") return p = Priority::urgent, true;
  if (t == "特急" || t == "critical") return p = Priority::critical, true;
  return false;
}

const char* priority_code(Priority p) {
  return p == Priority::urgent ? "urgent" : p == Priority::critical ? "critical" : "normal";
}

const char* priority_name(Priority p) {
  return p == Priority::urgent ? "紧急" : p == Priority::critical ? "特急" : "普通";
}

namespace {
struct StateName {
  RecipientState s;
  const char* code;
  const char* name;
};
constexpr StateName kStates[] = {
    {RecipientState::delivered, "delivered", "已送达"},
    {RecipientState::read, "read", "已阅"},
    {RecipientState::acknowledged, "acknowledged", "已确认接收"},
    {RecipientState::done, "done", "已办结"},
    {RecipientState::accepted, "accepted", "已验收"},
};
}  // namespace

bool parse_recipient_state(std::string_view text, RecipientState& s) {
  for (const auto& x : kStates)
    if (text == x.code) return s = x.s, true;
  return false;
}

const char* recipient_state_code(RecipientState s) { return kStates[static_cast<int>(s)].code; }
const char* recipient_state_name(RecipientState s) { return kStates[static_cast<int>(s)].name; }

const char* directive_action_code(DirectiveAction a) {
  switch (a) {
    case DirectiveAction::read:
      return "read";
    case DirectiveAction::acknowledge:
      return "ack";
    case DirectiveAction::done:
      return "done";
    case DirectiveAction::accept:
      return "accept";
    case DirectiveAction::send_back:
      return "return";
  }
  return "";
}

Result<RecipientState> next_state(RecipientState from, DirectiveAction action) {
  using S = RecipientState;
  auto refuse = [&](const char* zh, const char* en) -> Result<RecipientState> {
    return Status::Conflict(std::string(zh) + "(当前状态: " + recipient_state_name(from) + ") (" +
                            en + "; state is " + recipient_state_code(from) + ")");
  };
  if (from == S::accepted) return refuse("指令已验收,不能再操作", "already accepted");
  switch (action) {
    case DirectiveAction::read:
      if (from == S::delivered) return S::read;
      return from;  // reading again changes nothing
    case DirectiveAction::acknowledge:
      if (from == S::delivered || from == S::read) return S::acknowledged;
      return refuse("已确认接收过", "already acknowledged");
    case DirectiveAction::done:
      if (from == S::acknowledged || from == S::done) return S::done;
      return refuse("须先确认接收再办结", "acknowledge before reporting done");
    case DirectiveAction::accept:
      if (from == S::done) return S::accepted;
      return refuse("尚未办结,不能验收", "not done yet");
    case DirectiveAction::send_back:
      if (from == S::done) return S::acknowledged;
      return refuse("尚未办结,不能退回", "not done yet");
  }
  return refuse("未知操作", "unknown action");
}

std::optional<int64_t> utc_seconds(std::string_view iso) {
  int y, mo, d, h, mi, s;
  if (iso.size() < 20 || iso.back() != 'Z') return std::nullopt;
  std::string text(iso.substr(0, 19));
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return sys_days{ymd}.time_since_epoch() / seconds(1) + h * 3600 + mi * 60 + s;
}

std::string utc_iso(int64_t t) {
  using namespace std::chrono;
  sys_seconds secs{seconds{t}};
  auto dayp = floor<days>(secs);
  year_month_day ymd{dayp};
  hh_mm_ss hms{secs - dayp};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace fx::domain
