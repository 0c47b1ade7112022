#include "app/trace_loader.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <limits>

#include "app/presence_time.h"

namespace fx::app {
namespace {

constexpr uint32_t kAbsent = std::numeric_limits<uint32_t>::max();

int64_t local_day(int64_t t) {
  int64_t local = t + kShanghaiOffset;
  return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

int64_t day_of_iso(const std::string& iso) {
  std::string ignored;
  int64_t days = 0;
  parse_day(iso, ignored, days);
  return days;
}

}  // namespace

void LoadedPresence::IdIndex::build(const std::vector<int64_t>& ids) {
  table.clear();
  map.clear();
  int64_t max_id = ids.empty() ? 0 : ids.back();
  if (max_id >= 0 && max_id <= static_cast<int64_t>(ids.size()) * 8 + (1 << 20)) {
    table.assign(static_cast<size_t>(max_id) + 1, kAbsent);
    for (size_t i = 0; i < ids.size(); ++i)
      if (ids[i] >= 0) table[ids[i]] = static_cast<uint32_t>(i);
  }
  if (table.empty())
    for (size_t i = 0; i < ids.size(); ++i) map.emplace(ids[i], static_cast<uint32_t>(i));
}

int64_t LoadedPresence::IdIndex::find(int64_t id) const {
  if (!table.empty()) {
    if (id < 0 || id >= static_cast<int64_t>(table.size()) || table[id] == kAbsent) return -1;
    return table[id];
  }
  auto it = map.find(id);
  return it == map.end() ? -1 : it->second;
}

int64_t LoadedPresence::person_ix(int64_t id) const { return person_ix_.find(id); }
int64_t LoadedPresence::place_ix(int64_t id) const { return place_ix_.find(id); }

Result<LoadedPresence> load_presence(store::Store& store, const PresenceOptions& options) {
  auto started = std::chrono::steady_clock::now();
  LoadedPresence out;
  auto& data = out.data;
  using trace::GroupIx;
  using trace::PersonIx;
  using trace::PlaceIx;

  // People.
  auto people = store.presence().presence_people();
  if (!people.ok()) return people.status();
  out.person_ids.reserve(people->size());
  for (const auto& p : *people) out.person_ids.push_back(p.id);
  out.person_ix_.build(out.person_ids);
  data.people = static_cast<uint32_t>(out.person_ids.size());

  // Places and their kinds.
  auto places = store.list_places(0);
  if (!places.ok()) return places.status();
  std::sort(places->begin(), places->end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<domain::PlaceKind> kinds;
  for (const auto& p : *places) {
    out.place_ids.push_back(p.id);
    kinds.push_back(p.kind);
    data.place_kinds.push_back(trace::contact_kind_of(p.kind));
  }
  out.place_ix_.build(out.place_ids);

  // Groups: every class unit (members: its people), then every dorm room
  // with residents.
  auto units = store.list_units(0);
  if (!units.ok()) return units.status();
  std::unordered_map<int64_t, GroupIx> group_of_unit, group_of_dorm;
  for (const auto& u : *units) {
    if (u.kind != domain::UnitKind::class_) continue;
    group_of_unit.emplace(u.id, static_cast<GroupIx>(out.groups.size()));
    out.groups.push_back({LoadedPresence::Group::Kind::class_unit, u.id});
  }
  auto unit_group = [&](int64_t unit_id) {
    auto [it, fresh] = group_of_unit.emplace(unit_id, static_cast<GroupIx>(out.groups.size()));
    if (fresh) out.groups.push_back({LoadedPresence::Group::Kind::class_unit, unit_id});
    return it->second;
  };
  // A timetable may name a unit that is not a class (a whole grade): it is a group too.
  auto timetable = store.presence().list_timetable();
  if (!timetable.ok()) return timetable.status();
  for (const auto& e : *timetable) unit_group(e.unit_id);
  // Dorm assignment periods, by person: where a person has any, they replace
  // the roster's single room. A period's nights run from its first date's
  // morning (the end of the night before) to the morning after its last date.
  auto assignments = store.presence().list_dorm_assignments();
  if (!assignments.ok()) return assignments.status();
  std::unordered_map<int64_t, std::pair<size_t, size_t>> periods_of;  // person → [begin, end)
  for (size_t k = 0; k < assignments->size(); ++k) {
    auto [it, fresh] = periods_of.emplace((*assignments)[k].person_id, std::pair{k, k + 1});
    if (!fresh) it->second.second = k + 1;  // listed by person
  }
  auto morning = [&](int64_t day) {
    return day * 86400 - kShanghaiOffset + options.night_end_minute * 60;
  };
  auto dorm_group = [&](int64_t dorm_id) {
    auto [it, fresh] = group_of_dorm.emplace(dorm_id, static_cast<GroupIx>(out.groups.size()));
    if (fresh) out.groups.push_back({LoadedPresence::Group::Kind::dorm_room, dorm_id});
    return it->second;
  };
  for (size_t i = 0; i < people->size(); ++i) {
    const auto& p = (*people)[i];
    auto person = static_cast<PersonIx>(i);
    if (p.unit_id) {
      auto it = group_of_unit.find(p.unit_id);
      if (it != group_of_unit.end())
        data.memberships.push_back({it->second, person, trace::kBeginning, trace::kForever});
    }
    if (auto it = periods_of.find(p.id); it != periods_of.end()) {
      for (size_t k = it->second.first; k < it->second.second; ++k) {
        const auto& a = (*assignments)[k];
        if (out.place_ix_.find(a.place_id) < 0) continue;
        trace::Time to = a.date_to.empty() ? trace::kForever : morning(day_of_iso(a.date_to) + 1);
        data.memberships.push_back(
            {dorm_group(a.place_id), person, morning(day_of_iso(a.date_from)), to});
      }
    } else if (p.dorm_id && out.place_ix_.find(p.dorm_id) >= 0) {
      data.memberships.push_back(
          {dorm_group(p.dorm_id), person, trace::kBeginning, trace::kForever});
    }
  }

  int64_t earliest = std::numeric_limits<int64_t>::max(),
          latest = std::numeric_limits<int64_t>::min();
  auto seen = [&](int64_t t) {
    earliest = std::min(earliest, t);
    latest = std::max(latest, t);
  };

  // Timetables → class sessions, each matching date of the range.
  out.timetable_entries = static_cast<long>(timetable->size());
  for (const auto& e : *timetable) {
    int64_t place = out.place_ix_.find(e.place_id);
    if (place < 0) continue;
    GroupIx g = unit_group(e.unit_id);
    int64_t from = day_of_iso(e.date_from), to = day_of_iso(e.date_to);
    int64_t first = from + ((e.weekday - weekday_of_days(from)) % 7 + 7) % 7;
    for (int64_t day = first; day <= to; day += 7) {
      int64_t base = day * 86400 - kShanghaiOffset;
      trace::GroupSession s{g, static_cast<PlaceIx>(place), base + e.start_minute * 60,
                            base + e.end_minute * 60};
      data.sessions.push_back(s);
      seen(s.start);
      seen(s.end);
    }
  }

  // Swipes → stays widened by the place kind's dwell; overlapping stays of
  // one person at one place merge (a double swipe is one visit).
  long swipes = 0;
  std::vector<trace::Stay> stays;
  if (auto n = store.presence().count_swipes(); n.ok()) stays.reserve(static_cast<size_t>(*n));
  Status s = store.presence().for_each_swipe([&](const store::SwipeRecord& w) {
    ++swipes;
    int64_t person = out.person_ix_.find(w.person_id), place = out.place_ix_.find(w.place_id);
    if (person < 0 || place < 0) return;
    int64_t dwell = options.dwell_seconds[static_cast<int>(kinds[place])];
    if (dwell <= 0) dwell = 1;
    stays.push_back(
        {static_cast<PersonIx>(person), static_cast<PlaceIx>(place), w.at, w.at + dwell});
    seen(w.at);
  });
  FX_RETURN_IF_ERROR(s);
  out.swipes = swipes;
  std::sort(stays.begin(), stays.end(), [](const trace::Stay& a, const trace::Stay& b) {
    if (a.person != b.person) return a.person < b.person;
    if (a.place != b.place) return a.place < b.place;
    return a.start < b.start;
  });
  for (const auto& st : stays) {
    if (!data.stays.empty()) {
      auto& last = data.stays.back();
      if (last.person == st.person && last.place == st.place && st.start <= last.end) {
        last.end = std::max(last.end, st.end);
        continue;
      }
    }
    data.stays.push_back(st);
  }
  std::vector<trace::Stay>().swap(stays);

  // Pairwise contacts.
  auto contacts = store.presence().list_contacts();
  if (!contacts.ok()) return contacts.status();
  for (const auto& c : *contacts) {
    int64_t a = out.person_ix_.find(c.person_a), b = out.person_ix_.find(c.person_b);
    if (a < 0 || b < 0 || c.end <= c.start) continue;
    data.pairs.push_back({static_cast<PersonIx>(a), static_cast<PersonIx>(b), c.start, c.end});
    out.pair_sources.push_back(c.source);
    seen(c.start);
    seen(c.end);
  }

  // Dorm nights.
  int64_t now = options.now ? options.now : static_cast<int64_t>(std::time(nullptr));
  int64_t first = options.first_night, last = options.last_night;
  if (first == 0 && last == 0) {
    int64_t today = local_day(now);
    if (earliest > latest) {
      first = today - options.current_days;
      last = today;
    } else {
      first = local_day(earliest);
      last = local_day(latest) + 1;
      if (today > last && today - local_day(latest) <= options.current_days) last = today;
    }
  }
  out.first_night = first;
  out.last_night = last;
  int64_t night_len = (options.night_end_minute + 1440 - options.night_start_minute) % 1440;
  if (night_len == 0) night_len = 1440;
  for (const auto& [dorm, g] : group_of_dorm) {
    PlaceIx place = static_cast<PlaceIx>(out.place_ix_.find(dorm));
    for (int64_t day = first; day <= last; ++day) {
      int64_t start = day * 86400 - kShanghaiOffset + options.night_start_minute * 60;
      data.sessions.push_back({g, place, start, start + night_len * 60});
    }
  }
  // Deterministic order whatever the hash map's: by group, then start.
  std::sort(data.sessions.begin(), data.sessions.end(),
            [](const trace::GroupSession& a, const trace::GroupSession& b) {
              if (a.group != b.group) return a.group < b.group;
              return a.start < b.start;
            });
  data.groups = static_cast<uint32_t>(out.groups.size());
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace fx::app
