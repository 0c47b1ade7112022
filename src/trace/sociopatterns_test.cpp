// The engine against the naive scan on real face-to-face contact data: the
// SocioPatterns school networks in ../shared/data/real/sociopatterns (CC
// BY-NC-SA; read in place, never copied). Each line `t i j Ci Cj` is 20
// seconds of contact ending at t.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "trace/naive_scan.h"
#include "trace/tracer.h"

namespace fx::trace {
namespace {

constexpr Time kEpoch = 1364774400;  // any fixed epoch: the files count seconds from their own

struct Network {
  PresenceData data;
  Time first = 0, last = 0;
};

Network read_network(const std::string& name) {
  Network n;
  std::ifstream in(std::string(FX_SHARED_DATA) + "/sociopatterns/" + name);
  EXPECT_TRUE(in) << "missing " << name << " under " << FX_SHARED_DATA;
  std::map<long, PersonIx> ids;
  auto ix = [&](long id) {
    return ids.emplace(id, static_cast<PersonIx>(ids.size())).first->second;
  };
  std::string line;
  n.first = INT64_MAX;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    long t = 0, i = 0, j = 0;
    if (!(fields >> t >> i >> j)) continue;
    const Time end = kEpoch + t;
    n.data.pairs.push_back({ix(i), ix(j), end - 20, end});
    n.first = std::min(n.first, end - 20);
    n.last = std::max(n.last, end);
  }
  n.data.people = static_cast<uint32_t>(ids.size());
  return n;
}

void expect_engine_equals_naive(const std::string& file, size_t min_close) {
  const Network n = read_network(file);
  ASSERT_GT(n.data.pairs.size(), 10000u) << file;
  const PresenceIndex ix = PresenceIndex::build(n.data);
  Tracer tracer(ix);
  size_t close = 0, secondary = 0;
  // Every 17th person as an index case, infectious over the first half of the
  // recording and traced at its end: the second half holds the secondaries.
  const Time middle = n.first + (n.last - n.first) / 2;
  for (PersonIx p = 0; p < n.data.people; p += 17) {
    TraceQuery q;
    q.cases = {{p, n.first, middle}};
    q.quarantine_start = n.last;
    const TraceResult engine = tracer.trace(q);
    ASSERT_EQ(engine, naive_trace(n.data, q)) << file << " index case " << p;
    close += engine.close.size();
    secondary += engine.secondary.size();
  }
  EXPECT_GE(close, min_close) << file;
  EXPECT_GT(secondary, close) << file;
}

TEST(SocioPatterns, PrimarySchoolEngineEqualsNaiveScan) {
  expect_engine_equals_naive("primaryschool.csv", 20);
}

TEST(SocioPatterns, HighSchool2013EngineEqualsNaiveScan) {
  expect_engine_equals_naive("HighSchool2013_proximity_net.csv", 20);
}

TEST(SocioPatterns, HighSchool2012EngineEqualsNaiveScan) {
  expect_engine_equals_naive("highschool_2012.csv", 5);
}

}  // namespace
}  // namespace fx::trace
