#include "app/trace_report.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "app/presence_time.h"

namespace fx::app {

namespace json = boost::json;

double minutes_of(int64_t seconds) { return std::round(seconds / 6.0) / 10.0; }

Result<TraceReport> TraceReport::load(store::Store& store, const TraceIndex& index,
                                      const trace::TraceResult& result) {
  TraceReport r;
  r.index_ = &index;
  auto places = store.list_places(0);
  if (!places.ok()) return places.status();
  for (const auto& p : *places) r.place_names_[p.id] = p.name;
  std::set<int64_t> ids;
  for (const auto* list : {&result.close, &result.secondary})
    for (const trace::Contact& c : *list) {
      ids.insert(index.person_id(c.person));
      for (const trace::SourceLink& s : c.sources) ids.insert(index.person_id(s.source));
    }
  auto briefs = store.rounds().people_briefs({ids.begin(), ids.end()});
  if (!briefs.ok()) return briefs.status();
  for (auto& b : *briefs) r.people_[b.id] = std::move(b);
  return r;
}

std::string TraceReport::name_of(trace::PersonIx ix) const {
  auto it = people_.find(index_->person_id(ix));
  return it == people_.end() ? std::string() : it->second.name;
}

json::array TraceReport::exposures_json(const trace::SourceLink& link) const {
  json::array out;
  for (const trace::Exposure& e : link.exposures) {
    const int64_t place_id = index_->place_id(e.place);
    auto name = place_names_.find(place_id);
    out.push_back(json::object{{"place", name == place_names_.end() ? std::string() : name->second},
                               {"place_id", place_id},
                               {"kind", trace::contact_kind_code(e.kind)},
                               {"kind_name", trace::contact_kind_name(e.kind)},
                               {"from", local_text(e.first)},
                               {"to", local_text(e.last)},
                               {"minutes", minutes_of(e.seconds)},
                               {"times", e.times}});
  }
  return out;
}

json::object TraceReport::contact_json(const trace::Contact& c) const {
  const int64_t id = index_->person_id(c.person);
  auto brief = people_.find(id);
  json::array sources;
  for (const trace::SourceLink& s : c.sources)
    sources.push_back(json::object{{"person", index_->person_id(s.source)},
                                   {"name", name_of(s.source)},
                                   {"minutes", minutes_of(s.seconds)},
                                   {"exposures", exposures_json(s)}});
  return json::object{{"person", id},
                      {"name", brief == people_.end() ? "" : brief->second.name},
                      {"person_code", brief == people_.end() ? "" : brief->second.person_code},
                      {"id_masked", brief == people_.end() ? "" : brief->second.id_masked},
                      {"minutes", minutes_of(c.seconds)},
                      {"first", local_text(c.first)},
                      {"last", local_text(c.last)},
                      {"sources", std::move(sources)}};
}

json::object TraceReport::json(const trace::TraceResult& result) const {
  json::array close, secondary;
  for (const trace::Contact& c : result.close) close.push_back(contact_json(c));
  for (const trace::Contact& c : result.secondary) secondary.push_back(contact_json(c));
  return json::object{{"close", std::move(close)}, {"secondary", std::move(secondary)}};
}

std::string TraceReport::text(const trace::TraceResult& result) const {
  std::string out;
  auto list = [&](const char* title, const std::vector<trace::Contact>& contacts) {
    out += std::string(title) + " " + std::to_string(contacts.size()) + "\n";
    for (const trace::Contact& c : contacts) {
      out += "  " + name_of(c.person) + "  " + fmt::format("{:.1f}", minutes_of(c.seconds)) +
             " 分钟 (min)  ";
      for (const trace::SourceLink& s : c.sources) {
        out += "← " + name_of(s.source) + ":";
        for (const trace::Exposure& e : s.exposures) {
          const int64_t place_id = index_->place_id(e.place);
          auto name = place_names_.find(place_id);
          out += std::string(" ") + trace::contact_kind_name(e.kind);
          if (name != place_names_.end()) out += " " + name->second;
          out += " " + local_text(e.first) + "×" + std::to_string(e.times);
        }
        out += "  ";
      }
      out += "\n";
    }
  };
  list("密接 close contacts:", result.close);
  list("次密接 secondary contacts:", result.secondary);
  return out;
}

}  // namespace fx::app
