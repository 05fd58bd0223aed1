#include "wangge/topology/level_topology.h"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/coverage/coverage_test_util.h"
#include "wangge/coverage/coverage_validator.h"
#include "wangge/synth/synth.h"

namespace wangge {
namespace {

using testing::MakeHierarchy;
using testing::RegionSpec;

// The ring as stored, without consecutive repeated vertices.
std::vector<Point> Expected(RingView ring) {
  std::vector<Point> out;
  for (const Point& p : ring) {
    if (out.empty() || !(out.back() == p)) out.push_back(p);
  }
  return out;
}

// Checks that every ring of `level` rebuilds exactly and that every arc is used once per side.
void ExpectRebuildsExactly(const Hierarchy& h, const LevelTopology& t) {
  std::map<uint32_t, int> uses;
  for (RegionId r : h.regions(t.level())) {
    const MultiPolygonView g = h.geometry(r);
    for (size_t k = 0; k < g.ring_count(); ++k) {
      ASSERT_EQ(t.RebuildRing(r, k), Expected(g.ring(k))) << h.code(r) << " ring " << k;
      for (const ArcRef& ref : t.ring_arcs(r, k)) ++uses[ref.arc];
    }
  }
  for (size_t a = 0; a < t.arc_count(); ++a) {
    const Arc& arc = t.arc(a);
    EXPECT_GE(arc.end - arc.begin, 2u);
    const int sides = (arc.left != kNoRegion) + (arc.right != kNoRegion);
    EXPECT_EQ(uses[static_cast<uint32_t>(a)], sides) << "arc " << a;
  }
}

constexpr const char* kParent = "POLYGON ((0 0, 2 0, 4 0, 4 2, 4 4, 2 4, 0 4, 0 2, 0 0))";

std::vector<RegionSpec> FourUnits() {
  return {{0, "g", "", kParent},
          {1, "u1", "g", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"},
          {1, "u2", "g", "POLYGON ((4 2, 2 2, 2 0, 4 0, 4 2))"},  // clockwise, other start
          {1, "u3", "g", "POLYGON ((0 2, 2 2, 2 4, 0 4, 0 4, 0 2))"},  // repeated point
          {1, "u4", "g", "POLYGON ((2 2, 4 2, 4 4, 2 4, 2 2))"}};
}

TEST(LevelTopology, FourSquaresShareFourInnerArcs) {
  Hierarchy h = MakeHierarchy(FourUnits());
  LevelTopology t = BuildLevelTopology(h, 1);
  EXPECT_TRUE(t.seamless());
  ASSERT_EQ(t.arc_count(), 8u);  // 4 inner (centre to border) + 4 outer (border node to node)
  size_t shared = 0;
  for (size_t a = 0; a < t.arc_count(); ++a) {
    const Arc& arc = t.arc(a);
    if (arc.left != kNoRegion && arc.right != kNoRegion) {
      ++shared;
      EXPECT_EQ(arc.end - arc.begin, 2u);
    } else {
      EXPECT_EQ(arc.end - arc.begin, 3u);  // around a corner, which is not a node
    }
  }
  EXPECT_EQ(shared, 4u);
  const RegionId u1 = h.Find("u1"), u2 = h.Find("u2");
  EXPECT_EQ(t.ring_arcs(u1, 0).size(), 3u);
  bool found = false;
  for (const ArcRef& ref : t.ring_arcs(u1, 0)) {
    const Arc& arc = t.arc(ref.arc);
    if ((arc.left == u1 && arc.right == u2) || (arc.left == u2 && arc.right == u1)) found = true;
  }
  EXPECT_TRUE(found);
  ExpectRebuildsExactly(h, t);
}

TEST(LevelTopology, InnerArcLeftIsTheRegionOnItsLeft) {
  Hierarchy h = MakeHierarchy(FourUnits());
  LevelTopology t = BuildLevelTopology(h, 1);
  const RegionId u1 = h.Find("u1");
  for (size_t a = 0; a < t.arc_count(); ++a) {
    const Arc& arc = t.arc(a);
    const std::span<const Point> p = t.arc_points(a);
    if (arc.left != u1 && arc.right != u1) continue;
    // u1 is the square x, y < 119.0002, 25.0002: a point just left of the first segment.
    const double dx = p[1].x - p[0].x, dy = p[1].y - p[0].y;
    const Point left{(p[0].x + p[1].x) / 2 - dy * 1e-3, (p[0].y + p[1].y) / 2 + dx * 1e-3};
    const bool in_u1 = left.x < 119.0002 && left.y < 25.0002 && left.x > 119 && left.y > 25;
    EXPECT_EQ(arc.left == u1, in_u1) << "arc " << a;
  }
}

TEST(LevelTopology, HoleFilledByASiblingIsOneClosedSharedArc) {
  Hierarchy h = MakeHierarchy({
      {0, "g", "", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},
      {1, "village", "g", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 3, 3 3, 3 1, 1 1))"},
      {1, "school", "g", "POLYGON ((3 3, 3 1, 1 1, 1 3, 3 3))"},  // clockwise, other start
  });
  LevelTopology t = BuildLevelTopology(h, 1);
  EXPECT_TRUE(t.seamless());
  ASSERT_EQ(t.arc_count(), 2u);
  ExpectRebuildsExactly(h, t);
}

TEST(LevelTopology, PinchOnTheOuterBorderIsANode) {
  // a and b touch only at (2 0), on the outside of the level.
  Hierarchy h = MakeHierarchy({
      {0, "g", "", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},
      {1, "a", "g", "POLYGON ((0 0, 2 0, 1 1, 0 0))"},
      {1, "b", "g", "POLYGON ((2 0, 4 0, 3 1, 2 0))"},
  });
  LevelTopology t = BuildLevelTopology(h, 1);
  // a's ring is one arc from the node (2 0) back to it, and so is b's.
  EXPECT_EQ(t.ring_arcs(h.Find("a"), 0).size(), 1u);
  for (size_t i = 0; i < t.arc_count(); ++i) {
    const std::span<const Point> p = t.arc_points(i);
    EXPECT_EQ(p.front(), (Point{119.0002, 25.0})) << "every arc starts at the pinch node";
  }
  ExpectRebuildsExactly(h, t);
}

TEST(LevelTopology, TJunctionIsNotSeamlessButStillRebuilds) {
  Hierarchy h = MakeHierarchy({
      {0, "g", "", kParent},
      {1, "bottom", "g", "POLYGON ((0 0, 2 0, 4 0, 4 2, 0 2, 0 0))"},
      {1, "u3", "g", "POLYGON ((0 2, 2 2, 2 4, 0 4, 0 2))"},
      {1, "u4", "g", "POLYGON ((2 2, 4 2, 4 4, 2 4, 2 2))"},
  });
  CoverageOptions options;
  options.code_model.enabled = false;
  const CoverageReport report = ValidateCoverage(h, options);
  LevelTopology t = BuildLevelTopology(h, 1, &report);
  EXPECT_FALSE(t.seamless());
  EXPECT_FALSE(t.region_seamless(h.Find("bottom")));
  EXPECT_FALSE(t.region_seamless(h.Find("u3")));
  ExpectRebuildsExactly(h, t);
  LevelTopology parents = BuildLevelTopology(h, 0, &report);
  EXPECT_TRUE(parents.seamless());
  EXPECT_TRUE(parents.region_seamless(h.Find("g")));
}

TEST(LevelTopology, DuplicatedEdgesAreNotSeamless) {
  std::vector<RegionSpec> specs = FourUnits();
  specs.push_back({1, "u4bis", "g", "POLYGON ((2 2, 4 2, 4 4, 2 4, 2 2))"});
  Hierarchy h = MakeHierarchy(specs);
  LevelTopology t = BuildLevelTopology(h, 1);
  EXPECT_FALSE(t.seamless());
  EXPECT_FALSE(t.region_seamless(h.Find("u4")));
  EXPECT_TRUE(t.region_seamless(h.Find("u1")));
  ExpectRebuildsExactly(h, t);
}

TEST(LevelTopology, SyntheticCityRebuildsEveryRingOfEveryLevel) {
  SynthOptions options;
  options.districts_path = (testing::SourceDir() / "data/putian/districts.geojson").string();
  options.scale = SynthScale::Small();
  options.seed = 3;
  Result<SynthResult> city = Synthesize(options);
  ASSERT_TRUE(city.ok()) << city.status().ToString();
  const Hierarchy& h = city->hierarchy;
  const std::vector<LevelTopology> levels = BuildTopology(h, nullptr, 2);
  ASSERT_EQ(levels.size(), h.level_count());
  for (const LevelTopology& t : levels) {
    EXPECT_TRUE(t.seamless()) << h.levels()[t.level()].name;
    ExpectRebuildsExactly(h, t);
    // Shared arcs store each border once: far fewer points than the rings hold.
    size_t ring_points = 0;
    for (RegionId r : h.regions(t.level())) ring_points += h.geometry(r).vertex_count();
    if (h.regions(t.level()).size() > 100) {
      EXPECT_LT(t.points().size(), ring_points * 3 / 4);
    }
  }
}

}  // namespace
}  // namespace wangge
