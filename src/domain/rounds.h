// Test rounds (核酸检测轮次): pooled sampling, lab results, and the derivation
// of each person's status in a round. Plain values and pure functions, no I/O:
// the store keeps the facts, the app layer derives and counts from them.
//
// Derivation rules (docs/test-rounds.md):
//   - a negative tube makes all of its members negative for the round;
//   - a positive pool (more than one member) makes every member pool_positive:
//     a single-tube re-test is due;
//   - a positive single tube makes its person positive (pending confirmation);
//   - an invalid tube makes its members invalid: a re-sample is due;
//   - a later tube of the same person (a re-test or re-sample) decides, except
//     that positive stays positive: a case is confirmed or cleared by
//     the tracing workflow, never by a later negative.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fx::domain {

inline constexpr int kPoolSizes[] = {1, 5, 10, 20};
bool valid_pool_size(int size);

enum class TestResult : uint8_t { none, negative, positive, invalid };
// 阴性/阳性/无效 (also 阴/阳, negative/positive/invalid, neg/pos, -/+); false otherwise.
bool parse_test_result(std::string_view text, TestResult& result);
const char* test_result_code(TestResult r);  // "negative", …, "" for none
const char* test_result_name(TestResult r);  // 阴性/阳性/无效, "" for none

enum class RoundScopeKind { all, institutions, units, people };
const char* round_scope_code(RoundScopeKind kind);
bool parse_round_scope_kind(std::string_view text, RoundScopeKind& kind);

enum class RoundStatus { open, closed };

struct Round {
  int64_t id = 0;
  std::string name;
  std::string date;  // YYYY-MM-DD, the round's day
  int pool_size = 10;
  RoundScopeKind scope = RoundScopeKind::all;
  std::vector<int64_t> scope_ids;  // institution, unit or person ids by `scope`
  std::string deadline;            // sampling deadline, UTC ISO 8601; empty: none
  RoundStatus status = RoundStatus::open;
  std::string created_at, created_by, closed_at, closed_by;
  long due_snapshot = 0;  // people in scope when the round was created
};

enum class ExemptReason { in_hospital, already_case, left };
// 住院/在院, 已是病例/确诊, 离校/离职/已离开 and the codes; false otherwise.
bool parse_exempt_reason(std::string_view text, ExemptReason& reason);
const char* exempt_reason_code(ExemptReason r);
const char* exempt_reason_name(ExemptReason r);

// A person's status in one round, one byte per person in the table's snapshot.
enum class PersonStatus : uint8_t {
  not_due = 0,    // outside the round's scope
  due,            // due, not sampled yet (deadline not passed)
  sampled,        // sampled, awaiting the result
  negative,       // 阴性
  pool_positive,  // in a positive pool: single-tube re-test due
  positive,       // single tube positive: pending confirmation
  invalid,        // invalid result: re-sample due
  missed,         // due and not sampled by the deadline (漏检)
  exempt,         // exempted with a reason
};
inline constexpr int kPersonStatusCount = 9;
const char* person_status_code(PersonStatus s);
const char* person_status_name(PersonStatus s);  // Chinese

// One person's status after one more of their tubes, taken in sampling order.
// `members` is the tube's number of people; `result` none while awaiting.
PersonStatus apply_tube(PersonStatus current, int members, TestResult result);

// The facts of one round in dense form: people are 0..people-1.
struct DeriveSample {
  uint32_t person = 0;
  uint32_t tube = 0;  // index into tubes
  int64_t order = 0;  // sampling order (time, then arrival)
};
struct DeriveTube {
  int members = 0;
  TestResult result = TestResult::none;
};
struct DeriveInput {
  size_t people = 0;
  std::span<const uint32_t> due;     // due people (the snapshot), exempt ones included
  std::span<const uint32_t> exempt;  // exempted people
  std::span<const DeriveSample> samples;
  std::span<const DeriveTube> tubes;
  bool deadline_passed = false;  // or the round is closed: unsampled people are missed
};

// Status per person (people not due stay not_due, whatever their samples).
std::vector<PersonStatus> derive_round(const DeriveInput& in);

// Local time as sites write it ("2022-03-10 08:15", "2022/3/10 8:15:30",
// "2022-03-10T08:15", an XLSX date cell), in Asia/Shanghai (UTC+8), to UTC
// ISO 8601 ("2022-03-10T00:15:00Z"). A date alone is midnight. Text that
// already ends in Z is taken as UTC. False when it is not a real time.
bool parse_local_time(std::string_view text, std::string& utc_iso);
// The UTC instant shown in Asia/Shanghai: "2022-03-10 08:15".
std::string local_time_text(std::string_view utc_iso);

}  // namespace fx::domain
