// Directives (指令): the command centre or a task group sends a directive to
// institutions, task groups or liaisons (app/directive_recipients.h); each
// recipient acknowledges it, reports it done with feedback, and the sender
// accepts or returns that feedback. Every function takes the Caller and
// checks its scope: a recipient row the caller does not act for (another
// institution's, another group's) is NotFound, as if absent.
// docs/directives.md describes the states.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/caller.h"
#include "domain/directives.h"
#include "store/store.h"

namespace fx::app {

struct SendDirective {
  std::string title, body;
  std::string priority = "普通";  // 普通/紧急/特急 or normal/urgent/critical
  std::string deadline;  // local time as written (Asia/Shanghai), or UTC ending in Z; "" none
  // 学校代码, "group:人员管控", "liaison:<username or 学校代码>", or {"all"} (institutions)
  std::vector<std::string> to;
  std::string now;  // UTC ISO for tests; "" is the clock
};

// Sends one directive; returns its id. Needs directives.send.
Result<int64_t> send_directive(store::Store& store, const Caller& caller, const SendDirective& req);

// One directive per institution with people still unsampled (due) or
// missed in the round, each listing exactly those people. Returns the ids,
// by institution code; none when nobody is missing.
struct FromMissed {
  int64_t round_id = 0;
  std::string deadline;  // as in SendDirective
  std::string priority = "紧急";
  std::string now;
};
Result<std::vector<int64_t>> directives_from_missed(store::Store& store, const Caller& caller,
                                                    const FromMissed& req);

// One recipient as its viewer sees it, with the clocks measured.
struct RecipientView {
  store::RecipientRecord row;
  std::string key;   // the recipient as written: 学校代码, "group:人员管控", "liaison:liu"
  std::string name;  // 学校名称, "人员管控组", "刘伟 (联络员)"
  std::string institution_code, institution_name;  // "" for a group or liaison
  bool overdue = false;
  std::optional<double> minutes_to_ack, minutes_to_done;
};

struct DirectiveSummary {
  int recipients = 0, acknowledged = 0, done = 0, accepted = 0, overdue = 0, escalated = 0;
  std::optional<double> median_minutes_to_ack, median_minutes_to_done;
};

struct DirectiveView {
  store::DirectiveRecord directive;
  std::vector<RecipientView> recipients;       // only those in the caller's scope
  DirectiveSummary summary;                    // over those recipients
  std::vector<store::DirectiveEvent> history;  // of those recipients, oldest first
};

// The inbox: directives with a recipient in the caller's scope (and only
// that recipient when `recipient` is given: a key as in SendDirective::to),
// newest first. History is left out.
Result<std::vector<DirectiveView>> list_directives(store::Store& store, const Caller& caller,
                                                   const std::string& recipient = "",
                                                   const std::string& now = "");
// One directive. When a recipient opens it (the institution's own admin,
// the group's member, the liaison), its delivered rows become read
// (recorded once, with the time).
Result<DirectiveView> show_directive(store::Store& store, const Caller& caller, int64_t id,
                                     const std::string& now = "");

// ack and done: whoever acts for the recipient (directives.act). accept and
// return: the sender's group or command (directives.send). `recipient` is a
// key as in SendDirective::to. `text` is the feedback for done (required)
// and the reason for return (required).
Status act_on_directive(store::Store& store, const Caller& caller, int64_t id,
                        const std::string& recipient, domain::DirectiveAction action,
                        const std::string& text = "", const std::string& now = "");

// Flags every open recipient whose deadline is before `now` as escalated:
// to the sender group's lead (组长), or to command for the command centre's
// own directives. Idempotent: returns how many were flagged this time.
Result<int> escalate_overdue(store::Store& store, const Caller& caller,
                             const std::string& now = "");

// The current UTC time with whole seconds.
std::string directive_now();

std::string directive_json(const DirectiveView& v);
std::string directives_json(const std::vector<DirectiveView>& list);
std::string directive_text(const DirectiveView& v);

}  // namespace fx::app
