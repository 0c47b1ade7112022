// Inspection and rectification (检查整改): the 监督检查 group (or command)
// runs supervision rounds, inspects institutions against a checklist and
// records findings with a deadline; each finding sends a directive to the
// institution; the institution submits evidence; the inspector's side
// verifies it or sends it back. Reminder letters (提醒函) are numbered per
// year; on-site supervisors (驻点督导员) are assigned to institutions.
//
// Every function takes the Caller: writes need inspections.manage (evidence:
// directives.act on one's own institution); lists need directives.act or
// inspections.manage and show only the caller's institutions (another's
// record is NotFound); figures need figures.read. docs/inspections.md.
#pragma once

#include <string>
#include <vector>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct NewInspectionRound {
  std::string name, start_date, end_date;  // dates as schools write them
};
Result<int64_t> add_inspection_round(store::Store& store, const Caller& caller,
                                     const NewInspectionRound& req);

struct NewFinding {
  std::string category;
  std::string severity = "一般";  // 一般/较重/严重 or minor/major/critical
  std::string description;
  std::string deadline;  // a date, not before the inspection
};

struct NewInspection {
  int64_t round_id = 0;
  std::string institution;  // 学校代码
  std::string inspector;
  std::string date;
  std::string summary;
  std::vector<store::ChecklistItem> items;
  std::vector<NewFinding> findings;
  std::string now;  // UTC ISO for tests and the scenario; "" is the clock
};

struct InspectionAdded {
  int64_t inspection_id = 0;
  std::vector<int64_t> finding_ids;
  std::vector<int64_t> directive_ids;  // one per finding, in order, when sent
  std::string directive_error;         // why the directives were not sent, if they were not
};

// Stores the inspection with its checklist and findings in one transaction,
// then (a second call, after the first committed) sends one directive per
// finding to the institution (source "inspection", source_id the finding)
// and links it. When the directives cannot be sent the inspection stays and
// directive_error says why.
Result<InspectionAdded> record_inspection(store::Store& store, const Caller& caller,
                                          const NewInspection& req);
// One more finding on an existing inspection, with its directive.
Result<InspectionAdded> add_finding(store::Store& store, const Caller& caller,
                                    int64_t inspection_id, const NewFinding& req,
                                    const std::string& now = "");

struct EvidenceUpload {
  std::string name, content_type;
  std::string data;
};
// The institution's evidence (text, files optional): open → submitted.
// Conflict on a closed finding. Needs directives.act and the institution in
// scope, or inspections.manage.
Status submit_evidence(store::Store& store, const Caller& caller, int64_t finding_id,
                       const std::string& text, const std::vector<EvidenceUpload>& files,
                       const std::string& now = "");
// The inspector's side (inspections.manage): verified (submitted → closed)
// or returned with a reason (submitted → open).
Status verify_finding(store::Store& store, const Caller& caller, int64_t finding_id, bool verified,
                      const std::string& note, const std::string& now = "");

struct NewLetter {
  std::string institution;  // 学校代码
  std::vector<int64_t> findings;
  std::string title, body;
  std::string date;  // issue date; its year numbers the letter
  std::string now;
};
Result<store::LetterRecord> issue_letter(store::Store& store, const Caller& caller,
                                         const NewLetter& req);
// "京教防提〔2022〕第7号".
std::string letter_number_text(int year, int number);

struct NewSupervisor {
  std::string name, organisation, institution, start_date, end_date;
  std::string now;
};
Result<int64_t> assign_supervisor(store::Store& store, const Caller& caller,
                                  const NewSupervisor& req);

// Lists, as the caller may see them.
struct Named {
  std::string code, name;
};
struct InspectionView {
  store::InspectionRecord row;
  Named institution;
  std::string round_name;
  int findings = 0;
};
struct FindingView {
  store::FindingRecord row;
  Named institution;
  std::string round_name;
  bool overdue = false;
  std::vector<std::string> letters;          // letter numbers citing it
  std::vector<store::FindingEvent> history;  // show_finding only
};
struct LetterView {
  store::LetterRecord row;
  Named institution;
  std::string number_text;
};
struct SupervisorView {
  store::SupervisorRecord row;
  Named institution;
  bool on_site = false;
};
struct InspectionQuery {
  int64_t round_id = 0;
  std::string institution;  // 学校代码; "" all in scope
  std::string status;       // findings: open, submitted, closed, overdue; "" all
  std::string today;        // YYYY-MM-DD for overdue and on site; "" today in Shanghai
};

Result<std::vector<store::InspectionRoundRecord>> list_inspection_rounds(store::Store& store,
                                                                         const Caller& caller);
Result<std::vector<InspectionView>> list_inspections(store::Store& store, const Caller& caller,
                                                     const InspectionQuery& q);
Result<std::vector<FindingView>> list_findings(store::Store& store, const Caller& caller,
                                               const InspectionQuery& q);
Result<FindingView> show_finding(store::Store& store, const Caller& caller, int64_t id,
                                 const std::string& today = "");
// One evidence file with its bytes; NotFound unless its finding is in scope.
Result<store::EvidenceFile> evidence_file(store::Store& store, const Caller& caller,
                                          int64_t file_id);
Result<std::vector<LetterView>> list_letters(store::Store& store, const Caller& caller,
                                             const InspectionQuery& q);
Result<LetterView> show_letter(store::Store& store, const Caller& caller, int64_t id);
// The letter as printable text: number, addressee, body, the findings cited.
Result<std::string> letter_text(store::Store& store, const Caller& caller, int64_t id);
Result<std::vector<SupervisorView>> list_supervisors(store::Store& store, const Caller& caller,
                                                     const InspectionQuery& q);

// The source's figures over the caller's institutions.
struct RoundCoverage {
  int64_t id = 0;
  std::string name, start_date, end_date;
  int inspected = 0, total = 0, findings = 0;
};
struct InspectionFigures {
  std::string today;
  int rounds = 0;
  int institutions = 0;
  std::vector<RoundCoverage> coverage;
  int inspections = 0;
  int findings = 0, open = 0, submitted = 0, closed = 0, overdue = 0;  // open includes submitted
  int letters = 0;
  int supervisors = 0;  // people assigned (by name)
  int on_site = 0;      // of them on site on `today`
  int supervised_institutions = 0;
};
Result<InspectionFigures> inspection_figures(store::Store& store, const Caller& caller,
                                             const std::string& today = "");

// JSON and text (inspections_json.cpp).
std::string rounds_json(const std::vector<store::InspectionRoundRecord>& list);
std::string inspections_json(const std::vector<InspectionView>& list);
std::string findings_json(const std::vector<FindingView>& list);
std::string finding_json(const FindingView& v);
std::string letters_json(const std::vector<LetterView>& list);
std::string letter_json(const LetterView& v);
std::string supervisors_json(const std::vector<SupervisorView>& list);
std::string inspection_figures_json(const InspectionFigures& f);
std::string inspection_figures_text(const InspectionFigures& f);

// Spreadsheets of the lists (inspections_export.cpp): .xlsx or .csv by the path.
Status export_inspections(const std::vector<InspectionView>& list, const std::string& path);
Status export_findings(const std::vector<FindingView>& list, const std::string& path);
Status export_letters(const std::vector<LetterView>& list, const std::string& path);
Status export_supervisors(const std::vector<SupervisorView>& list, const std::string& path);

// Severity codes and names: minor 一般, major 较重, critical 严重.
bool parse_severity(const std::string& text, std::string& code);
const char* severity_name(const std::string& code);
const char* finding_status_name(const std::string& code);  // 待整改, 待验收, 已销号

}  // namespace fx::app
