// The case card (确诊人员信息卡): who the case is (ID number masked), where it
// studies and sleeps, sample and confirmation times, symptoms, the policy and
// window, the places it shared with others in the window, its contacts by
// category, and the chain: whom it came from and which of its contacts became
// cases. JSON for the API and the CLI, XLSX laid out to print on one page.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct CardPlace {
  std::string place, kind;
  int64_t first = 0, last = 0, seconds = 0;
  long people = 0;  // contacts met there
};

struct CardContact {
  int64_t person_id = 0;
  std::string name, category, status;
  int64_t seconds = 0;
  bool became_case = false;
};

struct CaseCard {
  store::CaseRecord record;
  std::string name, person_code, id_masked, institution, unit;
  std::string dorm;      // the dorm room's name, empty when none
  std::string transfer;  // of the key-person row it came from: "", requested, dispatched, arrived
  std::string site;      // that row's quarantine site
  std::vector<CardPlace> places;      // by first moment
  std::vector<CardContact> contacts;  // close first, then by minutes
  // close: people the case met; secondary: those its trace listed last as
  // secondary (a later case's trace may take them over as its close contacts).
  long close = 0, secondary = 0, became_cases = 0;
  int64_t infected_by = 0;  // the source person when the case was a listed contact
  std::string infected_by_name;
};

// The card of a case whose person the caller sees (else NotFound, as if
// absent); contacts outside the caller's institutions are left out (the
// counts stay whole). Each read is audited ("case.read").
Result<CaseCard> load_case_card(store::Store& store, const Caller& caller, int64_t case_id);
std::string case_card_json(const CaseCard& card);
// FILE.xlsx (a printable card: fields, then the places and the contacts),
// FILE.csv or FILE.pdf (case_card_pdf).
Status export_case_card(const CaseCard& card, const std::string& path);
// The card on one A4 page: the fields, the places of the window and the
// contacts by category with their counts; rows that do not fit are counted
// ("另有 N 人") rather than spilling onto a second page. Deterministic: the
// PDF's date is the confirmation's.
std::string case_card_pdf(const CaseCard& card);

}  // namespace fx::app
