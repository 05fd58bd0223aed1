#include "wangge/locate/point_index.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "locate/internal/cell_index.h"
#include "support/test_support.h"
#include "wangge/geometry/measure.h"
#include "wangge/hierarchy/hierarchy_builder.h"

namespace wangge {
namespace {

using testing::Wkt;

struct RegionSpec {
  size_t level;
  std::string code;
  std::string parent;
  std::string wkt;
};

Hierarchy Make(std::vector<Level> levels, const std::vector<RegionSpec>& specs) {
  HierarchyBuilder builder(std::move(levels));
  for (const RegionSpec& s : specs) {
    builder.Add({.level = s.level, .code = s.code, .parent = s.parent, .geometry = Wkt(s.wkt)});
  }
  return std::move(builder).Build(nullptr);
}

std::vector<Level> GridAndUnit() { return {{"grid", "网格"}, {"unit", "单元"}}; }

PointIndex Index(const Hierarchy& h, const PointIndexOptions& options = {}) {
  Result<PointIndex> index = PointIndex::Build(h, options);
  EXPECT_TRUE(index.ok()) << index.status().ToString();
  return std::move(index).value();
}

// The code of the region a point is assigned to, or "" if none.
std::string CodeAt(const PointIndex& index, Point p) {
  const Location where = index.Locate(p);
  return where.assigned() == kNoRegion ? "" : std::string(index.hierarchy().code(where.assigned()));
}

// Four unit squares around the vertex (1, 1), in one grid.
Hierarchy FourSquares() {
  return Make(GridAndUnit(),
              {{0, "g", "", "POLYGON ((0 0, 1 0, 2 0, 2 1, 2 2, 1 2, 0 2, 0 1, 0 0))"},
               {1, "sw", "g", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"},
               {1, "se", "g", "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))"},
               {1, "nw", "g", "POLYGON ((0 1, 1 1, 1 2, 0 2, 0 1))"},
               {1, "ne", "g", "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))"}});
}

TEST(PointIndex, SharedVerticalEdgeBelongsToTheRegionEastOfIt) {
  const Hierarchy h = FourSquares();
  const PointIndex index = Index(h);
  const Location where = index.Locate({1, 0.5});
  EXPECT_EQ(h.code(where.region), "se");
  EXPECT_EQ(where.status, LocateStatus::kBoundary);
  EXPECT_TRUE(where.on_boundary);
  EXPECT_EQ(CodeAt(index, {1, 1.5}), "ne");
}

TEST(PointIndex, SharedHorizontalEdgeBelongsToTheRegionNorthOfIt) {
  const Hierarchy h = FourSquares();
  const PointIndex index = Index(h);
  EXPECT_EQ(CodeAt(index, {0.5, 1}), "nw");
  EXPECT_EQ(CodeAt(index, {1.5, 1}), "ne");
  EXPECT_TRUE(index.Locate({0.5, 1}).on_boundary);
}

TEST(PointIndex, VertexSharedByFourUnitsBelongsToTheCornerJustNorthOfEast) {
  const Hierarchy h = FourSquares();
  const PointIndex index = Index(h);
  const Location where = index.Locate({1, 1});
  EXPECT_EQ(h.code(where.region), "ne");
  EXPECT_EQ(where.status, LocateStatus::kBoundary);
}

TEST(PointIndex, InteriorPointsAreInsideAndNotOnBoundary) {
  const Hierarchy h = FourSquares();
  const PointIndex index = Index(h);
  const Location where = index.Locate({0.25, 0.75});
  EXPECT_EQ(h.code(where.region), "sw");
  EXPECT_EQ(where.status, LocateStatus::kInside);
  EXPECT_FALSE(where.on_boundary);
  std::vector<RegionId> chain(2);
  index.Chain(where.region, chain);
  EXPECT_EQ(h.code(chain[0]), "g");
  EXPECT_EQ(h.code(chain[1]), "sw");
}

TEST(PointIndex, VertexSharedByThreeUnitsAlongDiagonals) {
  // Three wedges meet at (1, 1): east (between the south edge and the NE diagonal), north and west.
  const Hierarchy h = Make(GridAndUnit(), {{0, "g", "", "POLYGON ((0 0, 1 0, 2 0, 2 2, 0 2, 0 0))"},
                                           {1, "e", "g", "POLYGON ((1 1, 1 0, 2 0, 2 2, 1 1))"},
                                           {1, "n", "g", "POLYGON ((1 1, 2 2, 0 2, 1 1))"},
                                           {1, "w", "g", "POLYGON ((1 1, 0 2, 0 0, 1 0, 1 1))"}});
  const PointIndex index = Index(h);
  EXPECT_EQ(CodeAt(index, {1, 1}), "e");
  EXPECT_EQ(CodeAt(index, {1.5, 1.5}), "e");  // on the NE diagonal: east of it
  EXPECT_EQ(CodeAt(index, {0.5, 1.5}), "n");  // on the NW diagonal: east of it
  EXPECT_EQ(CodeAt(index, {1, 0.5}), "e");    // on the south edge: east of it
  EXPECT_EQ(CodeAt(index, {1, 1.5}), "n");
  EXPECT_EQ(CodeAt(index, {0.9, 0.5}), "w");
}

TEST(PointIndex, VertexSharedByThreeUnitsWhereOneEdgeRunsDueEast) {
  // Units a (west half), b (south-east), c (north-east); b and c share the edge (1 1)-(2 1).
  const Hierarchy h =
      Make(GridAndUnit(), {{0, "g", "", "POLYGON ((0 0, 2 0, 2 1, 2 2, 0 2, 0 0))"},
                           {1, "a", "g", "POLYGON ((0 0, 1 0, 1 1, 1 2, 0 2, 0 0))"},
                           {1, "b", "g", "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))"},
                           {1, "c", "g", "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))"}});
  const PointIndex index = Index(h);
  EXPECT_EQ(CodeAt(index, {1, 1}), "c");
  EXPECT_EQ(CodeAt(index, {1.5, 1}), "c");
  EXPECT_EQ(CodeAt(index, {1, 0.5}), "b");
}

TEST(PointIndex, HolesIslandsAndMultipolygons) {
  const Hierarchy h = Make(
      GridAndUnit(),
      {{0, "g", "", "POLYGON ((0 0, 4 0, 6 0, 6 1, 6 3, 6 4, 4 4, 0 4, 0 0))"},
       // A ring-shaped unit around an island unit.
       {1, "ring", "g", "POLYGON ((0 0, 4 0, 4 1, 4 3, 4 4, 0 4, 0 0), (1 1, 1 3, 3 3, 3 1, 1 1))"},
       {1, "island", "g", "POLYGON ((1 1, 3 1, 3 3, 1 3, 1 1))"},
       // Two parts: the east strip's south and north thirds; the middle third is unit "mid".
       {1, "parts", "g", "MULTIPOLYGON (((4 0, 6 0, 6 1, 4 1, 4 0)), ((4 3, 6 3, 6 4, 4 4, 4 3)))"},
       {1, "mid", "g", "POLYGON ((4 1, 6 1, 6 3, 4 3, 4 1))"}});
  const PointIndex index = Index(h);
  EXPECT_EQ(CodeAt(index, {2, 2}), "island");
  EXPECT_EQ(CodeAt(index, {0.5, 2}), "ring");
  EXPECT_EQ(CodeAt(index, {3, 2}), "ring");    // the hole's east rim: east of it is the ring
  EXPECT_EQ(CodeAt(index, {1, 2}), "island");  // the hole's west rim: east of it is the island
  EXPECT_EQ(CodeAt(index, {5, 0.5}), "parts");
  EXPECT_EQ(CodeAt(index, {5, 3.5}), "parts");
  EXPECT_EQ(CodeAt(index, {5, 2}), "mid");
  EXPECT_EQ(CodeAt(index, {5, 3}), "parts");     // horizontal edge: the region north of it
  EXPECT_EQ(index.indexed_region_count(0), 0u);  // the units cover the grid exactly
}

TEST(PointIndex, HoleWithoutIslandIsAGapOfTheGrid) {
  const Hierarchy h =
      Make(GridAndUnit(),
           {{0, "g", "", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},
            {1, "ring", "g", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 3, 3 3, 3 1, 1 1))"}});
  const PointIndex index = Index(h);
  EXPECT_EQ(index.indexed_region_count(0), 1u);
  const Location where = index.Locate({2, 2});
  EXPECT_EQ(where.status, LocateStatus::kGap);
  EXPECT_EQ(h.code(where.region), "g");
  EXPECT_FALSE(where.on_boundary);
  std::vector<RegionId> chain(2);
  index.Chain(where.assigned(), chain);
  EXPECT_EQ(h.code(chain[0]), "g");
  EXPECT_EQ(chain[1], kNoRegion);
  // The rim of the hole is the ring's boundary: the closed fallback gives the ring.
  const Location rim = index.Locate({1, 2});
  EXPECT_EQ(h.code(rim.region), "ring");
  EXPECT_EQ(rim.status, LocateStatus::kBoundary);
}

TEST(PointIndex, GapBetweenUnitsGivesTheLevelsThatContainThePoint) {
  const Hierarchy h = Make({{"district", ""}, {"grid", ""}, {"unit", ""}},
                           {{0, "d", "", "POLYGON ((0 0, 2 0, 4 0, 4 1, 2 1, 0 1, 0 0))"},
                            {1, "g1", "d", "POLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))"},
                            {1, "g2", "d", "POLYGON ((2 0, 4 0, 4 1, 2 1, 2 0))"},
                            {2, "u1", "g1", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"},
                            {2, "u2", "g2", "POLYGON ((2 0, 4 0, 4 1, 2 1, 2 0))"}});
  const PointIndex index = Index(h);
  EXPECT_EQ(index.indexed_region_count(0), 0u);  // d = g1 + g2 exactly
  EXPECT_EQ(index.indexed_region_count(1), 1u);  // only g1 has a gap
  const Location gap = index.Locate({1.5, 0.5});
  EXPECT_EQ(gap.status, LocateStatus::kGap);
  EXPECT_EQ(h.code(gap.region), "g1");
  std::vector<RegionId> chain(3);
  index.Chain(gap.region, chain);
  EXPECT_EQ(h.code(chain[0]), "d");
  EXPECT_EQ(h.code(chain[1]), "g1");
  EXPECT_EQ(chain[2], kNoRegion);
  // (2, 0.5) lies on u2's west edge, which is also g1's east edge: east of it is u2.
  EXPECT_EQ(CodeAt(index, {2, 0.5}), "u2");
  // (1, 0.5) is on u1's east edge; east of it is the gap, so the closed fallback gives u1.
  EXPECT_EQ(CodeAt(index, {1, 0.5}), "u1");
}

TEST(PointIndex, OutsideAndTheTerritorysOuterBorder) {
  const Hierarchy h = FourSquares();
  const PointIndex index = Index(h);
  const Location far = index.Locate({5, 5});
  EXPECT_EQ(far.status, LocateStatus::kOutside);
  EXPECT_EQ(far.region, kNoRegion);
  EXPECT_EQ(CodeAt(index, {0, 0.5}), "sw");      // west border: p* is inside sw
  const Location east = index.Locate({2, 0.5});  // east border: p* is outside, closed fallback
  EXPECT_EQ(h.code(east.region), "se");
  EXPECT_EQ(east.status, LocateStatus::kBoundary);
  EXPECT_EQ(CodeAt(index, {2, 2}), "ne");
  EXPECT_EQ(CodeAt(index, {2.000001, 2}), "");
}

TEST(PointIndex, SlitTracedThereAndBackStaysInsideItsUnit) {
  // The unit's ring runs up the line x = 0.5 and back down: its two traversals cancel, and the
  // cells along the slit hold no other edge of it. Fine root cells put the slit alone in some.
  const Hierarchy h = Make(
      GridAndUnit(), {{0, "g", "", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"},
                      {1, "u", "g", "POLYGON ((0 0, 0.5 0, 0.5 0.6, 0.5 0, 1 0, 1 1, 0 1, 0 0))"}});
  PointIndexOptions options;
  options.root_cells_per_edge = 50;
  const PointIndex index = Index(h, options);
  for (const Point p : {Point{0.51, 0.3}, Point{0.49, 0.3}, Point{0.5, 0.3}, Point{0.52, 0.59}}) {
    EXPECT_EQ(CodeAt(index, p), "u") << p.x << " " << p.y;
  }
  EXPECT_EQ(index.Locate({0.51, 0.3}).status, LocateStatus::kInside);
}

TEST(PointIndex, OverlappingUnitsResolveToTheSmallestCode) {
  const Hierarchy h = Make(GridAndUnit(), {{0, "g", "", "POLYGON ((0 0, 3 0, 3 1, 0 1, 0 0))"},
                                           {1, "b", "g", "POLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))"},
                                           {1, "a", "g", "POLYGON ((1 0, 3 0, 3 1, 1 1, 1 0))"}});
  const PointIndex index = Index(h);
  EXPECT_EQ(CodeAt(index, {1.5, 0.5}), "a");
  EXPECT_EQ(CodeAt(index, {0.5, 0.5}), "b");
  EXPECT_EQ(CodeAt(index, {2.5, 0.5}), "a");
}

TEST(PointIndex, InvalidCoordinates) {
  const Hierarchy h = FourSquares();
  const PointIndex index = Index(h);
  EXPECT_EQ(index.Locate({std::nan(""), 1}).status, LocateStatus::kInvalid);
  EXPECT_EQ(index.Locate({1, INFINITY}).status, LocateStatus::kInvalid);
  EXPECT_EQ(index.Locate({1, 91}).status, LocateStatus::kInvalid);
  EXPECT_EQ(index.Locate({-181, 1}).status, LocateStatus::kInvalid);
  EXPECT_EQ(LocateStatusName(LocateStatus::kInvalid), "invalid");
}

TEST(PointIndex, NearestUnitWithinMaxDistance) {
  // Two units near Putian; a point 0.001° (~100 m) east of the east one, and one in a gap.
  const Hierarchy h = Make(
      GridAndUnit(),
      {{0, "g", "", "POLYGON ((119 25, 119.03 25, 119.03 25.01, 119 25.01, 119 25))"},
       {1, "u1", "g", "POLYGON ((119 25, 119.01 25, 119.01 25.01, 119 25.01, 119 25))"},
       {1, "u2", "g", "POLYGON ((119.02 25, 119.03 25, 119.03 25.01, 119.02 25.01, 119.02 25))"}});
  const PointIndex index = Index(h);
  const Point outside{119.031, 25.005};
  const double expected = DistanceM(outside, {119.03, 25.005});
  EXPECT_EQ(index.Locate(outside).nearest, kNoRegion);  // not asked for
  const Location near = index.Locate(outside, {.max_distance_m = 200});
  EXPECT_EQ(near.status, LocateStatus::kOutside);
  EXPECT_EQ(near.region, kNoRegion);
  EXPECT_EQ(h.code(near.nearest), "u2");
  EXPECT_NEAR(near.distance_m, expected, 0.01);
  EXPECT_EQ(index.Locate(outside, {.max_distance_m = 50}).nearest, kNoRegion);
  // In the gap between the units, nearer u1 (0.002°) than u2 (0.008°).
  const Location gap = index.Locate({119.012, 25.005}, {.max_distance_m = 1000});
  EXPECT_EQ(gap.status, LocateStatus::kGap);
  EXPECT_EQ(h.code(gap.region), "g");
  EXPECT_EQ(h.code(gap.nearest), "u1");
  EXPECT_EQ(h.code(gap.assigned()), "u1");
  EXPECT_NEAR(gap.distance_m, DistanceM({119.012, 25.005}, {119.01, 25.005}), 0.01);
}

TEST(PointIndex, FanOfManyUnitsAroundOneVertex) {
  // 48 thin wedges meet at the centre: more candidates than a leaf holds, at every depth.
  std::vector<RegionSpec> specs{{0, "g", "", ""}};
  std::string grid = "POLYGON ((";
  const int n = 48;
  auto corner = [&](int k) {
    // Vertices on the square's border, exact dyadic values.
    const int side = k / 12, step = k % 12;
    const double t = -1 + step / 6.0;
    const double s = std::ldexp(std::round(std::ldexp(t, 20)), -20);
    switch (side) {
      case 0:
        return Point{1, s};
      case 1:
        return Point{-s, 1};
      case 2:
        return Point{-1, -s};
      default:
        return Point{s, -1};
    }
  };
  for (int k = 0; k < n; ++k) {
    const Point a = corner(k), b = corner((k + 1) % n);
    char buf[256];
    std::snprintf(buf, sizeof buf, "POLYGON ((0 0, %.17g %.17g, %.17g %.17g, 0 0))", a.x, a.y, b.x,
                  b.y);
    specs.push_back({1, "w" + std::to_string(100 + k), "g", buf});
    char v[64];
    std::snprintf(v, sizeof v, "%s%.17g %.17g", k ? ", " : "", a.x, a.y);
    grid += v;
  }
  char close[64];
  std::snprintf(close, sizeof close, ", %.17g %.17g))", corner(0).x, corner(0).y);
  specs[0].wkt = grid + close;
  const Hierarchy h = Make(GridAndUnit(), specs);
  const PointIndex index = Index(h);
  EXPECT_EQ(index.indexed_region_count(0), 0u);
  // The centre: the wedge holding the direction just north of east is the one starting at
  // (1, 0), i.e. k = 6 (corner(6) = (1, 0)).
  EXPECT_EQ(CodeAt(index, {0, 0}), "w106");
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> near(-1e-3, 1e-3);
  for (int i = 0; i < 2000; ++i) {
    const Point p{near(rng), near(rng)};
    int owners = 0;
    RegionId owner = kNoRegion;
    for (RegionId r : h.regions(1)) {
      if (internal::TestRegion(h.geometry(r), p).inside) {
        ++owners;
        owner = r;
      }
    }
    ASSERT_EQ(owners, 1);
    ASSERT_EQ(index.Locate(p).region, owner);
  }
}

}  // namespace
}  // namespace wangge
