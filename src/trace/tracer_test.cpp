#include "trace/tracer.h"

#include <gtest/gtest.h>

#include <random>

#include "trace/naive_scan.h"

namespace fx::trace {
namespace {

constexpr Time kDay = 86400;
constexpr Time kT0 = 1646092800;  // 2022-03-01T00:00:00Z
constexpr Time kMin = 60;

// Places: 0 dorm room, 1 classroom, 2 canteen zone, 3 gate.
PresenceData small_campus() {
  PresenceData d;
  d.people = 8;
  d.groups = 2;  // 0: class 护理2101 (people 0-3), 1: dorm room (people 0, 4)
  d.place_kinds = {ContactKind::dorm_room, ContactKind::classroom, ContactKind::canteen,
                   ContactKind::gate};
  for (PersonIx p = 0; p < 4; ++p) d.memberships.push_back({0, p, kBeginning, kForever});
  d.memberships.push_back({1, 0, kBeginning, kForever});
  d.memberships.push_back({1, 4, kBeginning, kForever});
  for (int day = 0; day < 3; ++day) {
    const Time morning = kT0 + day * kDay + 8 * 3600;
    d.sessions.push_back({0, 1, morning, morning + 45 * kMin});
    d.sessions.push_back({1, 0, kT0 + day * kDay + 14 * 3600, kT0 + day * kDay + 23 * 3600});
  }
  // Person 5 sits 20 minutes beside person 4 (a roommate of the case) in the canteen.
  d.stays.push_back({4, 2, kT0 + kDay + 4 * 3600, kT0 + kDay + 4 * 3600 + 30 * kMin});
  d.stays.push_back({5, 2, kT0 + kDay + 4 * 3600 + 10 * kMin, kT0 + kDay + 4 * 3600 + 40 * kMin});
  // Person 6 passes the gate with the case: one minute, not a contact.
  d.stays.push_back({0, 3, kT0 + 3600, kT0 + 3600 + kMin});
  d.stays.push_back({6, 3, kT0 + 3600, kT0 + 3600 + kMin});
  // Person 7: an investigator recorded 16 minutes with person 2 on day 2.
  d.pairs.push_back({2, 7, kT0 + 2 * kDay + 3600, kT0 + 2 * kDay + 3600 + 16 * kMin});
  return d;
}

TEST(Tracer, FindsCloseAndSecondaryContactsWithTheirReasons) {
  const PresenceData d = small_campus();
  const PresenceIndex ix = PresenceIndex::build(d);
  Tracer tracer(ix);
  TraceQuery q;
  q.cases = {{0, kT0, kT0 + 3 * kDay}};
  q.quarantine_start = kT0 + 3 * kDay;
  const TraceResult r = tracer.trace(q);

  std::vector<PersonIx> close, secondary;
  for (const Contact& c : r.close) close.push_back(c.person);
  for (const Contact& c : r.secondary) secondary.push_back(c.person);
  EXPECT_EQ(close, (std::vector<PersonIx>{1, 2, 3, 4}));  // classmates and the roommate
  EXPECT_EQ(secondary, (std::vector<PersonIx>{5, 7}));    // not 6: one minute at a gate

  const Contact& roommate = r.close[3];
  ASSERT_EQ(roommate.sources.size(), 1u);
  ASSERT_EQ(roommate.sources[0].exposures.size(), 1u);
  const Exposure& nights = roommate.sources[0].exposures[0];
  EXPECT_EQ(nights.kind, ContactKind::dorm_room);
  EXPECT_EQ(nights.times, 3u);
  EXPECT_EQ(nights.seconds, 3 * 9 * 3600);
  EXPECT_EQ(roommate.first, kT0 + 14 * 3600);

  const Contact& diner = r.secondary[0];
  EXPECT_EQ(diner.sources[0].source, 4u);
  EXPECT_EQ(diner.seconds, 20 * kMin);
  EXPECT_EQ(diner.sources[0].exposures[0].kind, ContactKind::canteen);
  const Contact& recorded = r.secondary[1];
  EXPECT_EQ(recorded.sources[0].source, 2u);
  EXPECT_EQ(recorded.sources[0].exposures[0].place, kNoPlace);
  EXPECT_EQ(recorded.sources[0].exposures[0].kind, ContactKind::pairwise);
  EXPECT_EQ(r, naive_trace(d, q));
}

TEST(Tracer, RespectsTheWindowsAndThresholds) {
  const PresenceData d = small_campus();
  const PresenceIndex ix = PresenceIndex::build(d);
  Tracer tracer(ix);
  TraceQuery q;
  // The case's window ends before the canteen meal of day 1: roommate 4 is
  // still close (night 0), but its own window ends at quarantine on day 1 morning.
  q.cases = {{0, kT0, kT0 + kDay}};
  q.quarantine_start = kT0 + kDay;
  TraceResult r = tracer.trace(q);
  EXPECT_EQ(r.close.size(), 4u);
  EXPECT_TRUE(r.secondary.empty());

  // A 50-minute classroom threshold: one 45-minute lesson is not enough.
  q.thresholds.seconds[static_cast<int>(ContactKind::classroom)] = 50 * kMin;
  r = tracer.trace(q);
  ASSERT_EQ(r.close.size(), 1u);
  EXPECT_EQ(r.close[0].person, 4u);
  // An empty window finds nobody.
  q.cases = {{0, kT0 + kDay, kT0 + kDay}};
  EXPECT_TRUE(tracer.trace(q).close.empty());
}

TEST(Tracer, SeveralCasesGiveTheUnionWithEverySource) {
  const PresenceData d = small_campus();
  const PresenceIndex ix = PresenceIndex::build(d);
  Tracer tracer(ix);
  TraceQuery q;
  q.cases = {{0, kT0, kT0 + 3 * kDay}, {1, kT0, kT0 + 3 * kDay}, {0, kT0, kT0 + kDay}};
  q.quarantine_start = kT0 + 3 * kDay;
  const TraceResult r = tracer.trace(q);
  std::vector<PersonIx> close;
  for (const Contact& c : r.close) close.push_back(c.person);
  EXPECT_EQ(close, (std::vector<PersonIx>{2, 3, 4}));  // 1 is a case now
  EXPECT_EQ(r.close[0].sources.size(), 2u);            // 2 met both cases in class
  EXPECT_EQ(r, naive_trace(d, q));
}

TEST(Tracer, ExposureRankingListsEveryoneShared) {
  const PresenceData d = small_campus();
  const PresenceIndex ix = PresenceIndex::build(d);
  Tracer tracer(ix);
  const auto exposed = tracer.exposed_to(0, kT0, kT0 + 3 * kDay);
  ASSERT_EQ(exposed.size(), 5u);     // 1-3, 4 and the gate passer 6
  EXPECT_EQ(exposed[0].person, 4u);  // three nights beat three lessons
  EXPECT_EQ(exposed.back().person, 6u);
  EXPECT_EQ(exposed.back().seconds, kMin);
}

// Random campuses: the engine must agree exactly with the naive scan.
PresenceData random_campus(std::mt19937& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  PresenceData d;
  d.people = pick(2, 40);
  d.groups = pick(1, 6);
  const int places = pick(1, 8);
  for (int p = 0; p < places; ++p) d.place_kinds.push_back(static_cast<ContactKind>(pick(0, 6)));
  const Time span = 4 * kDay;
  auto moment = [&] { return kT0 + pick(0, static_cast<int>(span / kMin)) * kMin + pick(0, 59); };
  auto person = [&] { return static_cast<PersonIx>(pick(0, static_cast<int>(d.people) - 1)); };
  for (int i = pick(0, 60); i > 0; --i) {
    const Time s = moment();
    d.stays.push_back({person(), static_cast<PlaceIx>(pick(0, places - 1)), s, s + pick(1, 3600)});
  }
  for (int i = pick(0, 30); i > 0; --i) {
    const Time s = moment();
    d.sessions.push_back({static_cast<GroupIx>(pick(0, static_cast<int>(d.groups) - 1)),
                          static_cast<PlaceIx>(pick(0, places - 1)), s, s + pick(60, 9 * 3600)});
  }
  for (int i = pick(0, 50); i > 0; --i) {
    const bool always = pick(0, 2) == 0;
    const Time from = always ? kBeginning : moment();
    const Time to = always ? kForever : from + pick(1, static_cast<int>(span));
    d.memberships.push_back(
        {static_cast<GroupIx>(pick(0, static_cast<int>(d.groups) - 1)), person(), from, to});
  }
  for (int i = pick(0, 40); i > 0; --i) {
    const Time s = moment();
    d.pairs.push_back({person(), person(), s, s + 20 * pick(1, 60)});
  }
  return d;
}

TEST(Tracer, AgreesWithTheNaiveScanOnRandomCampuses) {
  std::mt19937 rng(20220308);
  size_t close_seen = 0, secondary_seen = 0;
  for (int round = 0; round < 1000; ++round) {
    const PresenceData d = random_campus(rng);
    const PresenceIndex ix = PresenceIndex::build(d);
    Tracer tracer(ix);
    TraceQuery q;
    for (int k = std::uniform_int_distribution<int>(1, 3)(rng); k > 0; --k) {
      const PersonIx who = std::uniform_int_distribution<PersonIx>(0, d.people - 1)(rng);
      const Time from = kT0 + std::uniform_int_distribution<int>(0, 2 * 86400)(rng);
      q.cases.push_back({who, from, from + std::uniform_int_distribution<int>(0, 3 * 86400)(rng)});
    }
    q.quarantine_start = kT0 + std::uniform_int_distribution<int>(kDay, 5 * kDay)(rng);
    for (int k = 0; k < kContactKinds; ++k)
      q.thresholds.seconds[k] = std::uniform_int_distribution<int>(0, 1800)(rng);
    const TraceResult engine = tracer.trace(q);
    const TraceResult naive = naive_trace(d, q);
    ASSERT_EQ(engine, naive) << "round " << round;
    // The tracer's scratch is clean after a query: the same query again agrees.
    ASSERT_EQ(tracer.trace(q), naive) << "round " << round;
    ASSERT_EQ(tracer.trace(q, 3), naive) << "round " << round;
    close_seen += engine.close.size();
    secondary_seen += engine.secondary.size();
  }
  // The generator must produce real work for the comparison to mean anything.
  EXPECT_GT(close_seen, 1000u);
  EXPECT_GT(secondary_seen, 1000u);
}

}  // namespace
}  // namespace fx::trace
