// Directives (指令): priorities, the states of one recipient and which action
// moves it where. No I/O; the app layer checks roles and scope, the store
// applies a move only from the state it was read in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace fx::domain {

enum class Priority { normal, urgent, critical };  // 普通 紧急 特急
// Accepts the Chinese names and the codes ("urgent").
bool parse_priority(std::string_view text, Priority& p);
const char* priority_code(Priority p);
const char* priority_name(Priority p);

// delivered → read → acknowledged → done → accepted; a return sends done
// back to acknowledged. The state names are also the stored text.
enum class RecipientState { delivered, read, acknowledged, done, accepted };
bool parse_recipient_state(std::string_view text, RecipientState& s);
const char* recipient_state_code(RecipientState s);
const char* recipient_state_name(RecipientState s);  // 已送达 …

enum class DirectiveAction { read, acknowledge, done, accept, send_back };
const char* directive_action_code(DirectiveAction a);  // read, ack, done, accept, return

// The state after `action` from `from`, or Conflict naming both. Done needs
// an acknowledgement first (the acknowledgement clock is what command
// watches); done again from done revises the feedback; nothing moves an
// accepted recipient.
Result<RecipientState> next_state(RecipientState from, DirectiveAction action);

// Open work: not yet done. Only open recipients can be overdue.
inline bool is_open(RecipientState s) {
  return s == RecipientState::delivered || s == RecipientState::read ||
         s == RecipientState::acknowledged;
}

// "2022-03-10T00:15:00Z" (fraction allowed) → Unix seconds; nullopt when not that shape.
std::optional<int64_t> utc_seconds(std::string_view iso);
// Unix seconds → "2022-03-10T00:15:00Z".
std::string utc_iso(int64_t seconds);

}  // namespace fx::domain
