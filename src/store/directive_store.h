// DirectiveStore: directives (指令), one recipient row per institution, task
// group or liaison with its state and clocks, the people an automatic directive lists, and an
// append-only history of every move (directive_events; never updated).
//
// Reached through Store::directives(). Times are UTC ISO 8601 text with
// whole seconds ("2022-03-10T00:15:00Z") so that they compare as text. Every
// write is one transaction that appends to the change feed with the
// recipient's institution set (0 for a group or liaison row), so /events
// shows an institution its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::store {

struct DirectiveRecord {
  int64_t id = 0;
  std::string title, body;
  std::string priority;           // normal, urgent, critical
  std::string deadline;           // "" when none
  std::string sender;             // username
  std::string sender_group;       // a task group, or "" for the command centre
  std::string source = "manual";  // manual, round_missed
  int64_t source_id = 0;          // the round, for round_missed
  std::string created_at;
};

// Whom a recipient row is for (the stored `kind`): exactly one of
// institution_id, group_id (org_groups) or user_id (the liaison's account) is set.
struct RecipientRecord {
  int64_t id = 0;
  int64_t directive_id = 0;
  std::string kind = "institution";  // institution, group, liaison
  int64_t institution_id = 0;        // kind institution
  int64_t group_id = 0;              // kind group
  int64_t user_id = 0;               // kind liaison
  std::string state;                 // domain::RecipientState codes
  std::string delivered_at, read_at, acknowledged_at, done_at, accepted_at;
  std::string feedback, return_reason;
  int returns = 0;
  std::string escalated_at, escalated_to;  // "" until escalated
  std::vector<int64_t> people;             // people.id listed by an automatic directive
  std::string updated_at;
};

struct DirectiveEvent {
  int64_t id = 0;
  int64_t recipient_id = 0;
  std::string action;  // sent, read, ack, done, accept, return, escalate
  std::string from_state, to_state;
  std::string actor, at, note;  // note: feedback, reason, or whom it escalated to
};

// A directive to send with its recipients.
struct NewDirective {
  DirectiveRecord directive;
  struct Target {
    int64_t institution_id = 0;  // or, with kind group or liaison, 0 and:
    std::vector<int64_t> people;
    std::string kind = "institution";
    int64_t group_id = 0, user_id = 0;
  };
  std::vector<Target> targets;
};

// One move of one recipient, applied only if it is still in `from_state`
// (so two people acting at once cannot both win).
struct RecipientMove {
  int64_t recipient_id = 0;
  std::string action, from_state, to_state;
  std::string actor, at;
  std::string note;  // stored as feedback for done, as return_reason for return
};

// A file attached to a directive by its sender (recipient_id 0) or to one
// recipient's done-feedback. Stored in the database as a blob; `data` is
// filled only by get_file.
struct DirectiveFile {
  int64_t id = 0;
  int64_t directive_id = 0;
  int64_t recipient_id = 0;
  std::string name, content_type;
  int64_t size = 0;
  std::string sha256;  // hex
  std::string uploaded_by, uploaded_at;
  std::string data;
};

struct RecipientFilter {
  int64_t directive_id = 0;    // 0: any
  int64_t institution_id = 0;  // 0: any
  bool open_only = false;      // delivered, read or acknowledged
  int64_t group_id = 0;        // 0: any; else only that group's rows
  int64_t user_id = 0;         // 0: any; else only that liaison's rows
};

class DirectiveStore {
 public:
  virtual ~DirectiveStore() = default;

  // All in one transaction; returns the new directive ids in order.
  virtual Result<std::vector<int64_t>> send(const std::vector<NewDirective>& directives,
                                            const std::string& actor) = 0;
  virtual Result<DirectiveRecord> get(int64_t id) = 0;  // NotFound when absent
  virtual Result<std::vector<DirectiveRecord>> list(const std::vector<int64_t>& ids) = 0;
  // Newest first; with `institution_id`, only directives sent to it.
  virtual Result<std::vector<DirectiveRecord>> list_all(int64_t institution_id) = 0;
  virtual Result<std::vector<RecipientRecord>> recipients(const RecipientFilter& filter) = 0;
  virtual Result<std::vector<DirectiveEvent>> events(int64_t directive_id) = 0;  // oldest first

  // Conflict when the recipient is no longer in move.from_state.
  virtual Status move(const RecipientMove& move) = 0;
  // Flags an open recipient whose deadline is before `at` as escalated to
  // `to`; false when it already was (or is no longer open): idempotent.
  virtual Result<bool> escalate(int64_t recipient_id, const std::string& to, const std::string& at,
                                const std::string& actor) = 0;

  // Stores a file in one transaction with a directive.file change (with the
  // recipient's institution for feedback files); returns its id.
  virtual Result<int64_t> add_file(const DirectiveFile& file) = 0;
  // The files of a directive, without their bytes, oldest first.
  virtual Result<std::vector<DirectiveFile>> files(int64_t directive_id) = 0;
  virtual Result<DirectiveFile> get_file(int64_t id) = 0;  // with its bytes; NotFound
};

}  // namespace fx::store
