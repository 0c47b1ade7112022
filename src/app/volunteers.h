// Front-line volunteers (支援一线): staff of the district's institutions sent to
// quarantine hotels, communities and test sites. Sites and shifts are managed
// by command and 综合调度 (volunteers.manage); an institution sees its own
// people's shifts (people.list, masked: name and 工号 only); a viewer sees the
// figures. Hours served count the part of each shift before `now`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/caller.h"
#include "app/row_input.h"
#include "store/store.h"

namespace fx::app {

// hotel/隔离宾馆, community/居民小区, test_site/核酸检测点 → the code; false otherwise.
bool parse_site_kind(const std::string& text, std::string& code);
const char* site_kind_name(const std::string& code);

Result<int64_t> add_volunteer_site(store::Store& store, const Caller& caller,
                                   const std::string& name, const std::string& kind,
                                   const std::string& address);
Result<std::vector<store::VolunteerSite>> list_volunteer_sites(store::Store& store,
                                                               const Caller& caller);

// institution, person (工号 of a staff member), site (name), role, start,
// end, note, id (to correct a shift).
const std::vector<FieldSpec>& shift_fields();
// Validates every row (each error naming its row and field: unknown person,
// not staff, unknown site, end before start, overlapping another shift of
// the person, stored or in the batch) and stores them in one transaction.
Result<std::vector<int64_t>> save_shifts(store::Store& store, const Caller& caller,
                                         const std::vector<InputRow>& rows);

struct PersonHours {
  int64_t person_id = 0, institution_id = 0;
  std::string person_code, name, institution_code;
  long shifts = 0;
  double hours = 0;
  std::string where_now;  // the site now on duty at, "" when none
};
struct InstitutionHours {
  int64_t id = 0;
  std::string code, name;
  long people = 0, shifts = 0;
  double hours = 0;
};

struct VolunteerBoard {
  std::string now;                          // UTC ISO
  std::vector<store::ShiftRecord> shifts;   // in scope, by start
  std::vector<store::ShiftRecord> on_duty;  // start <= now < end
  std::vector<PersonHours> people;          // by hours, most first
  std::vector<InstitutionHours> institutions;
  long people_deployed = 0, sites_used = 0, on_duty_now = 0;
  double hours = 0;
  std::map<std::string, long> people_by_site_kind;  // distinct people per kind
};

struct VolunteerQuery {
  std::string institution;  // 学校代码; empty: the caller's scope
  std::string now;          // UTC ISO or local time; empty: the clock
};
// With names (people.list); audited as a people list read.
Result<VolunteerBoard> volunteer_board(store::Store& store, const Caller& caller,
                                       const VolunteerQuery& query);
// Figures only (figures.read): the same totals without any person.
Result<VolunteerBoard> volunteer_figures(store::Store& store, const Caller& caller,
                                         const VolunteerQuery& query);

// The earlier versions of one shift (people.list; NotFound outside the scope).
Result<std::vector<store::ShiftRevision>> shift_history(store::Store& store, const Caller& caller,
                                                        int64_t shift_id);
std::string shift_history_json(const std::vector<store::ShiftRevision>& revisions);

std::string volunteer_board_json(const VolunteerBoard& b, bool with_people);
std::string volunteer_figures_text(const VolunteerBoard& b);
std::string volunteer_sites_json(const std::vector<store::VolunteerSite>& sites);
// list: shifts, now (on duty), people (hours per person), institutions.
Status export_volunteers(const VolunteerBoard& b, const std::string& list, const std::string& path);

}  // namespace fx::app
