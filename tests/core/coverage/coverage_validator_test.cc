#include "wangge/coverage/coverage_validator.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/coverage/coverage_test_util.h"
#include "wangge/coverage/report_format.h"

namespace wangge {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing::Describe;
using testing::LocalAreaM2;
using testing::MakeHierarchy;
using testing::OfKind;
using testing::RegionSpec;

CoverageOptions Options() {
  CoverageOptions options;
  options.code_model.enabled = false;
  options.threads = 1;
  return options;
}

// A 4 × 4 grid parent with every vertex its four 2 × 2 units put on its border.
constexpr const char* kParent = "POLYGON ((0 0, 2 0, 4 0, 4 2, 4 4, 2 4, 0 4, 0 2, 0 0))";
constexpr const char* kU1 = "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))";
constexpr const char* kU2 = "POLYGON ((2 0, 4 0, 4 2, 2 2, 2 0))";
constexpr const char* kU3 = "POLYGON ((0 2, 2 2, 2 4, 0 4, 0 2))";
constexpr const char* kU4 = "POLYGON ((2 2, 4 2, 4 4, 2 4, 2 2))";

std::vector<RegionSpec> FourUnits() {
  return {{0, "g", "", kParent}, {1, "u1", "g", kU1}, {1, "u2", "g", kU2},
          {1, "u3", "g", kU3},   {1, "u4", "g", kU4}};
}

// ---------------------------------------------------------------------------------------------
// Clean coverages: no false positives.

TEST(CoverageValidator, VertexExactPartitionIsClean) {
  Hierarchy h = MakeHierarchy(FourUnits());
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
  EXPECT_TRUE(r.clean());
  ASSERT_EQ(r.levels.size(), 2u);
  EXPECT_TRUE(r.levels[1].seamless);
  EXPECT_EQ(r.levels[1].group_count, 1u);
  EXPECT_EQ(r.levels[1].dirty_group_count, 0u);
  EXPECT_EQ(r.levels[1].segment_count, 16u + 8u);
  EXPECT_EQ(r.levels[1].residual_segment_count, 0u);
}

TEST(CoverageValidator, OrientationStartVertexAndRepeatedPointsDoNotMatter) {
  Hierarchy h = MakeHierarchy({
      {0, "g", "", "POLYGON ((4 4, 4 2, 4 0, 2 0, 0 0, 0 2, 0 4, 2 4, 4 4))"},  // clockwise
      {1, "u1", "g", "POLYGON ((0 0, 0 2, 2 2, 2 0, 0 0))"},                    // clockwise
      {1, "u2", "g", "POLYGON ((4 0, 4 2, 4 2, 2 2, 2 0, 2 0, 4 0))"},          // repeated points
      {1, "u3", "g", kU3},
      {1, "u4", "g", "POLYGON ((2 4, 2 2, 4 2, 4 4, 2 4))"},
  });
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
}

TEST(CoverageValidator, ChildrenMeetingAtASingleVertexAreClean) {
  Hierarchy h = MakeHierarchy({
      {0, "g", "", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},
      {1, "t1", "g", "POLYGON ((0 0, 4 0, 2 2, 0 0))"},
      {1, "t2", "g", "POLYGON ((4 0, 4 4, 2 2, 4 0))"},
      {1, "t3", "g", "POLYGON ((4 4, 0 4, 2 2, 4 4))"},
      {1, "t4", "g", "POLYGON ((0 4, 0 0, 2 2, 0 4))"},
  });
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
}

TEST(CoverageValidator, ParentWithAHoleIsClean) {
  Hierarchy h = MakeHierarchy({
      {0, "g", "",
       "POLYGON ((0 0, 2 0, 4 0, 4 4, 2 4, 0 4, 0 0), (1 1, 1 3, 2 3, 3 3, 3 1, 2 1, 1 1))"},
      {1, "left", "g", "POLYGON ((0 0, 2 0, 2 1, 1 1, 1 3, 2 3, 2 4, 0 4, 0 0))"},
      {1, "right", "g", "POLYGON ((2 0, 4 0, 4 4, 2 4, 2 3, 3 3, 3 1, 2 1, 2 0))"},
  });
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
}

TEST(CoverageValidator, HoleFilledByASiblingIsClean) {
  Hierarchy h = MakeHierarchy({
      {0, "g", "", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},
      {1, "village", "g", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 3, 3 3, 3 1, 1 1))"},
      {1, "school", "g", "POLYGON ((1 1, 3 1, 3 3, 1 3, 1 1))"},
  });
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
}

TEST(CoverageValidator, IslandsAndMultipolygonsAreClean) {
  Hierarchy h = MakeHierarchy(
      {
          {0, "t", "",
           "MULTIPOLYGON (((0 0, 1 0, 2 0, 2 2, 1 2, 0 2, 0 0)), ((5 0, 6 0, 7 0, 7 2, 6 2, 5 2, "
           "5 0)))"},
          {1, "c1", "t", "MULTIPOLYGON (((0 0, 1 0, 1 2, 0 2, 0 0)), ((5 0, 6 0, 6 2, 5 2, 5 0)))"},
          {1, "c2", "t", "MULTIPOLYGON (((1 0, 2 0, 2 2, 1 2, 1 0)), ((6 0, 7 0, 7 2, 6 2, 6 0)))"},
      },
      {{"town", "镇街"}, {"community", "村居"}});
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
}

TEST(CoverageValidator, ParentWithOneChildIsClean) {
  Hierarchy h = MakeHierarchy({
      {0, "g", "", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},
      {1, "only", "g", "POLYGON ((4 4, 4 0, 0 0, 0 4, 4 4))"},
  });
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
}

TEST(CoverageValidator, ThreeCleanLevels) {
  Hierarchy h = MakeHierarchy(
      {
          {0, "d", "", "POLYGON ((0 0, 2 0, 4 0, 4 2, 4 4, 2 4, 0 4, 0 2, 0 0))"},
          {1, "g1", "d", "POLYGON ((0 0, 2 0, 2 2, 2 4, 0 4, 0 2, 0 0))"},
          {1, "g2", "d", "POLYGON ((2 0, 4 0, 4 2, 4 4, 2 4, 2 2, 2 0))"},
          {2, "u1", "g1", kU1},
          {2, "u3", "g1", kU3},
          {2, "u2", "g2", kU2},
          {2, "u4", "g2", kU4},
      },
      {{"district", "区县"}, {"grid", "网格"}, {"unit", "单元"}});
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
  EXPECT_EQ(r.levels[1].group_count, 1u);
  EXPECT_EQ(r.levels[2].group_count, 2u);
}

// ---------------------------------------------------------------------------------------------
// Sibling defects.

TEST(CoverageValidator, MissingUnitIsAGapWithItsAreaAndLongestNeighbourFirst) {
  std::vector<RegionSpec> specs = FourUnits();
  specs.pop_back();  // no u4
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  const Defect& d = r.defects[0];
  EXPECT_EQ(d.kind, DefectKind::kGap);
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.level, 1u);
  EXPECT_EQ(d.parent, "g");
  EXPECT_EQ(d.reason, "at_parent_border");
  // The vertical border with u3 (2 × 1e-4° of latitude, ~22 m) beats the horizontal one with u2
  // (2 × 1e-4° of longitude at 25°N, ~20 m).
  EXPECT_THAT(d.codes, ElementsAre("u3", "u2"));
  EXPECT_NEAR(d.area_m2, LocalAreaM2(kU4), 0.001 * LocalAreaM2(kU4));
  ASSERT_TRUE(d.width_m.has_value());
  EXPECT_NEAR(*d.width_m, 20.2, 0.5);
  EXPECT_THAT(d.fix, HasSubstr("u3"));
  EXPECT_THAT(d.message, HasSubstr("网格 g"));
  EXPECT_FALSE(r.clean());
  EXPECT_FALSE(r.levels[1].seamless);
}

TEST(CoverageValidator, EnclosedGapBetweenSiblings) {
  // Parent 0..6 × 0..6 cut into nine 2 × 2 units; the centre one is missing.
  std::vector<RegionSpec> specs = {
      {0, "g", "",
       "POLYGON ((0 0, 2 0, 4 0, 6 0, 6 2, 6 4, 6 6, 4 6, 2 6, 0 6, 0 4, 0 2, 0 0))"}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      if (i == 1 && j == 1) continue;
      const int x = 2 * i, y = 2 * j;
      char wkt[160];
      std::snprintf(wkt, sizeof wkt, "POLYGON ((%d %d, %d %d, %d %d, %d %d, %d %d))", x, y, x + 2,
                    y, x + 2, y + 2, x, y + 2, x, y);
      specs.push_back({1, "u" + std::to_string(i) + std::to_string(j), "g", wkt});
    }
  }
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kGap);
  EXPECT_EQ(r.defects[0].reason, "enclosed");
  EXPECT_THAT(r.defects[0].codes, UnorderedElementsAre("u01", "u21", "u10", "u12"));
  EXPECT_NEAR(r.defects[0].area_m2, LocalAreaM2(kU4), 0.001 * LocalAreaM2(kU4));
}

TEST(CoverageValidator, OverlapBetweenSiblings) {
  std::vector<RegionSpec> specs = FourUnits();
  specs[1].wkt = "POLYGON ((0 0, 2 0, 2.5 1, 2 2, 0 2, 0 0))";  // u1 bulges into u2
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  const Defect& d = r.defects[0];
  EXPECT_EQ(d.kind, DefectKind::kOverlap);
  EXPECT_THAT(d.codes, ElementsAre("u1", "u2"));
  const double expected = LocalAreaM2("POLYGON ((2 0, 2.5 1, 2 2, 2 0))");
  EXPECT_NEAR(d.area_m2, expected, 0.001 * expected);
  EXPECT_EQ(d.geometry.polygons.view().polygon_count(), 1u);
}

TEST(CoverageValidator, DuplicateFeatureIsAnOverlapOfItsWholeArea) {
  std::vector<RegionSpec> specs = FourUnits();
  specs.push_back({1, "u4bis", "g", kU4});
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kOverlap);
  EXPECT_THAT(r.defects[0].codes, ElementsAre("u4", "u4bis"));
  EXPECT_NEAR(r.defects[0].area_m2, LocalAreaM2(kU4), 0.001 * LocalAreaM2(kU4));
}

TEST(CoverageValidator, OverlapAcrossASharedEdgeNamesBothPairs) {
  // A fifth unit straddles the matched u1|u2 edge: two overlaps, one with each.
  std::vector<RegionSpec> specs = FourUnits();
  specs.push_back({1, "x", "g", "POLYGON ((1.5 0.5, 2.5 0.5, 2.5 1.5, 1.5 1.5, 1.5 0.5))"});
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 2u) << Describe(r);
  EXPECT_THAT(r.defects[0].codes, ElementsAre("u1", "x"));
  EXPECT_THAT(r.defects[1].codes, ElementsAre("u2", "x"));
  const double half = LocalAreaM2("POLYGON ((1.5 0.5, 2 0.5, 2 1.5, 1.5 1.5, 1.5 0.5))");
  EXPECT_NEAR(r.defects[0].area_m2, half, 0.001 * half);
}

TEST(CoverageValidator, TJunctionNamesTheRegionLackingTheVertexFirst) {
  Hierarchy h = MakeHierarchy({
      {0, "g", "", kParent},
      {1, "bottom", "g", "POLYGON ((0 0, 2 0, 4 0, 4 2, 0 2, 0 0))"},  // lacks (2 2)
      {1, "u3", "g", kU3},
      {1, "u4", "g", kU4},
  });
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  const Defect& d = r.defects[0];
  EXPECT_EQ(d.kind, DefectKind::kTJunction);
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_THAT(d.codes, ElementsAre("bottom", "u3", "u4"));
  ASSERT_EQ(d.geometry.points.size(), 1u);
  EXPECT_EQ(d.geometry.points[0], (Point{119.0002, 25.0002}));
  EXPECT_EQ(d.area_m2, 0);
}

TEST(CoverageValidator, NearCoincidentEdgeIsASliverNotAGap) {
  // u2 draws the shared border x = 2 through (2.000001, 1) instead of u1's (2, 1): 1e-10°.
  Hierarchy h = MakeHierarchy({
      {0, "g", "", kParent},
      {1, "u1", "g", "POLYGON ((0 0, 2 0, 2 1, 2 2, 0 2, 0 0))"},
      {1, "u2", "g", "POLYGON ((2 0, 4 0, 4 2, 2 2, 2.000001 1, 2 0))"},
      {1, "u3", "g", kU3},
      {1, "u4", "g", kU4},
  });
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  const Defect& d = r.defects[0];
  EXPECT_EQ(d.kind, DefectKind::kNearCoincidentEdge);
  EXPECT_EQ(d.severity, Severity::kSliver);
  EXPECT_THAT(d.codes, ElementsAre("u1", "u2"));
  ASSERT_TRUE(d.width_m.has_value());
  EXPECT_LT(*d.width_m, 0.001);
  const double expected = 0.5 * 2 * 1e-6 * (LocalAreaM2(kU1) / 4);  // triangle, in unit cells
  EXPECT_NEAR(d.area_m2, expected, 0.01 * expected);
  EXPECT_FALSE(r.clean());
}

// ---------------------------------------------------------------------------------------------
// Between levels.

TEST(CoverageValidator, SpillOverTheParentBorderIsOutsideParent) {
  std::vector<RegionSpec> specs = FourUnits();
  specs[2].wkt = "POLYGON ((2 0, 4 0, 4.5 1, 4 2, 2 2, 2 0))";
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kOutsideParent);
  EXPECT_THAT(r.defects[0].codes, ElementsAre("u2"));
  const double expected = LocalAreaM2("POLYGON ((4 0, 4.5 1, 4 2, 4 0))");
  EXPECT_NEAR(r.defects[0].area_m2, expected, 0.001 * expected);
}

TEST(CoverageValidator, SpillIntoTheNeighbouringParentNamesIt) {
  Hierarchy h = MakeHierarchy(
      {
          {0, "d", "", "POLYGON ((0 0, 2 0, 4 0, 4 2, 2 2, 0 2, 0 0))"},
          {1, "g1", "d", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"},
          {1, "g2", "d", "POLYGON ((2 0, 4 0, 4 2, 2 2, 2 0))"},
          {2, "a", "g1", "POLYGON ((0 0, 2 0, 2.5 1, 2 2, 0 2, 0 0))"},
          {2, "b", "g2", "POLYGON ((2 0, 4 0, 4 2, 2 2, 2 0))"},
      },
      {{"district", "区县"}, {"grid", "网格"}, {"unit", "单元"}});
  CoverageReport r = ValidateCoverage(h, Options());
  auto outside = OfKind(r, DefectKind::kOutsideParent);
  ASSERT_EQ(outside.size(), 1u) << Describe(r);
  EXPECT_EQ(outside[0]->parent, "g1");
  EXPECT_THAT(outside[0]->codes, ElementsAre("a", "b"));  // b: the cousin it spills into
  EXPECT_THAT(outside[0]->message, HasSubstr("g2"));
  EXPECT_EQ(r.defects.size(), 1u) << Describe(r);
}

TEST(CoverageValidator, ChildDeclaringTheWrongParentIsOutsideItOnly) {
  Hierarchy h = MakeHierarchy(
      {
          {0, "d", "", "POLYGON ((0 0, 2 0, 4 0, 4 2, 2 2, 0 2, 0 0))"},
          {1, "g1", "d", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"},
          {1, "g2", "d", "POLYGON ((2 0, 4 0, 4 2, 2 2, 2 0))"},
          {2, "a", "g1", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"},
          {2, "b", "g1", "POLYGON ((2 0, 4 0, 4 2, 2 2, 2 0))"},  // lies in g2
      },
      {{"district", "区县"}, {"grid", "网格"}, {"unit", "单元"}});
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);  // g2's gap is b's doing
  EXPECT_EQ(r.defects[0].kind, DefectKind::kOutsideParent);
  EXPECT_THAT(r.defects[0].codes, ElementsAre("b"));
  EXPECT_THAT(r.defects[0].fix, HasSubstr("g2"));
}

TEST(CoverageValidator, OrphanFillsItsGapWithoutASecondDefect) {
  std::vector<RegionSpec> specs = FourUnits();
  specs[4].parent = "nowhere";
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kMissingParent);
}

TEST(CoverageValidator, SelfCrossingLoopIsOneInvalidGeometryWithItsLobes) {
  // u1 gets a bow-tie loop at its vertex (2 2), inside itself, crossing at (1.6 1.6).
  std::vector<RegionSpec> specs = FourUnits();
  specs[1].wkt =
      "POLYGON ((0 0, 2 0, 2 2, 1.2 1.2, 1.2 1.9, 1.8 1.45, 2 2, 0 2, 0 0))";
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kInvalidGeometry);
  EXPECT_THAT(r.defects[0].codes, ElementsAre("u1"));
  const double lobes = testing::LocalAreaM2("POLYGON ((1.6 1.6, 1.2 1.2, 1.2 1.9, 1.6 1.6))") +
                       testing::LocalAreaM2("POLYGON ((1.6 1.6, 1.8 1.45, 2 2, 1.6 1.6))");
  EXPECT_NEAR(r.defects[0].area_m2, lobes, 0.01 * lobes);
  EXPECT_EQ(r.defects[0].geometry.polygons.view().polygon_count(), 2u);
}

TEST(CoverageValidator, ParentLackingChildVerticesIsAnUnmatchedParentEdge) {
  std::vector<RegionSpec> specs = FourUnits();
  specs[0].wkt = "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))";
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  const Defect& d = r.defects[0];
  EXPECT_EQ(d.kind, DefectKind::kUnmatchedParentEdge);
  EXPECT_EQ(d.reason, "vertex");
  EXPECT_EQ(d.geometry.points.size(), 4u);
  EXPECT_THAT(d.codes, UnorderedElementsAre("u1", "u2", "u3", "u4"));
  EXPECT_THAT(d.message, HasSubstr("lacks 4 vertices"));
}

TEST(CoverageValidator, ParentBorderMissingTheChildrenBySliversIsAnUnmatchedParentEdge) {
  std::vector<RegionSpec> specs = FourUnits();
  specs[0].wkt = "POLYGON ((0 0, 2 0, 4 0, 4.000001 2, 4 4, 2 4, 0 4, 0 2, 0 0))";
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kUnmatchedParentEdge);
  EXPECT_EQ(r.defects[0].severity, Severity::kSliver);
  EXPECT_THAT(r.defects[0].codes, ElementsAre("u2", "u4"));
}

TEST(CoverageValidator, ParentWithoutChildrenIsOneGap) {
  Hierarchy h = MakeHierarchy({
      {0, "g1", "", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},
      {0, "g2", "", "POLYGON ((4 0, 8 0, 8 4, 4 4, 4 0))"},
      {1, "u", "g1", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},
  });
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kGap);
  EXPECT_EQ(r.defects[0].parent, "g2");
  EXPECT_TRUE(r.defects[0].codes.empty());
  EXPECT_THAT(r.defects[0].message, HasSubstr("has no unit"));
}

TEST(CoverageValidator, LevelWithNoFeaturesIsNotCheckedAgainstItsParents) {
  Hierarchy h = MakeHierarchy({{0, "g", "", kParent}});
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
  EXPECT_EQ(r.levels[1].region_count, 0u);
  EXPECT_EQ(r.levels[1].group_count, 0u);
}

// ---------------------------------------------------------------------------------------------
// Per region.

TEST(CoverageValidator, BowTieIsInvalidWithReasonAndLocation) {
  Hierarchy h = MakeHierarchy({{0, "bow", "", "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"}});
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  const Defect& d = r.defects[0];
  EXPECT_EQ(d.kind, DefectKind::kInvalidGeometry);
  EXPECT_EQ(d.reason, "self_intersection");
  ASSERT_EQ(d.geometry.points.size(), 1u);
  EXPECT_NEAR(d.geometry.points[0].x, 119.0001, 1e-12);
  EXPECT_NEAR(d.geometry.points[0].y, 25.0001, 1e-12);
}

TEST(CoverageValidator, SelfTouchingRingIsInvalid) {
  Hierarchy h = MakeHierarchy(
      {{0, "loop", "", "POLYGON ((0 0, 4 0, 4 4, 2 4, 3 2, 1 2, 2 4, 0 4, 0 0))"}});
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kInvalidGeometry);
  EXPECT_EQ(r.defects[0].reason, "ring_self_intersection");
}

TEST(CoverageValidator, HoleTouchingShellAtOnePointIsValid) {
  Hierarchy h = MakeHierarchy(
      {{0, "ok", "", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (0 0, 1 2, 2 1, 0 0))"}});
  CoverageReport r = ValidateCoverage(h, Options());
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
}

TEST(CoverageValidator, NanCoordinateIsReportedAndItsAreaBecomesAGap) {
  HierarchyBuilder b(testing::GridAndUnit());
  b.Add({.level = 0, .code = "g", .geometry = testing::Local(kParent)});
  for (auto [code, wkt] : {std::pair{"u1", kU1}, {"u2", kU2}, {"u3", kU3}}) {
    b.Add({.level = 1, .code = code, .parent = "g", .geometry = testing::Local(wkt)});
  }
  MultiPolygon bad = testing::Local(kU4);
  bad.mutable_points()[2].x = std::numeric_limits<double>::quiet_NaN();
  b.Add({.level = 1, .code = "u4", .parent = "g", .geometry = std::move(bad)});
  Hierarchy h = std::move(b).Build(nullptr);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 2u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kInvalidGeometry);
  EXPECT_EQ(r.defects[0].reason, "nan_coordinate");
  EXPECT_EQ(r.defects[1].kind, DefectKind::kGap);
}

TEST(CoverageValidator, DegenerateRingsAreInvalidNotFatal) {
  HierarchyBuilder b(std::vector<Level>{{"unit", "单元"}});
  MultiPolygon three;  // a ring of three points, closing included
  three.AddRing(std::vector<Point>{{119, 25}, {119.001, 25}, {119, 25}}, true);
  b.Add({.level = 0, .code = "three", .geometry = std::move(three)});
  b.Add({.level = 0, .code = "line", .geometry = testing::Local("POLYGON ((0 0, 2 0, 1 0, 0 0))")});
  b.Add({.level = 0, .code = "empty", .geometry = MultiPolygon()});
  Hierarchy h = std::move(b).Build(nullptr);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 3u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kInvalidGeometry);
  EXPECT_EQ(r.defects[1].kind, DefectKind::kInvalidGeometry);
  EXPECT_EQ(r.defects[2].kind, DefectKind::kEmptyGeometry);
  EXPECT_EQ(r.defects[2].codes[0], "empty");
}

TEST(CoverageValidator, EmptyChildLeavesAGapAndIsReported) {
  std::vector<RegionSpec> specs = FourUnits();
  specs[4].wkt = "POLYGON EMPTY";
  Hierarchy h = MakeHierarchy(specs);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 2u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kEmptyGeometry);
  EXPECT_EQ(r.defects[1].kind, DefectKind::kGap);
}

TEST(CoverageValidator, MultipartUnitIsAWarning) {
  Hierarchy h = MakeHierarchy(
      {{0, "g", "", "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((5 0, 6 0, 6 1, 5 1, 5 0)))"},
       {1, "u", "g", "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((5 0, 6 0, 6 1, 5 1, 5 0)))"}});
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kInvalidGeometry);
  EXPECT_EQ(r.defects[0].severity, Severity::kWarning);
  EXPECT_EQ(r.defects[0].reason, "multipart");
  EXPECT_TRUE(r.clean());  // warnings only
}

TEST(CoverageValidator, ShortSegmentsAndTinyAreasAreWarnings) {
  Hierarchy h = MakeHierarchy(
      {{0, "short", "", "POLYGON ((0 0, 2 0, 2.00001 0, 2 2, 0 2, 0 0))"},
       {0, "tiny", "", "POLYGON ((5 5, 5.01 5, 5.01 5.01, 5 5.01, 5 5))"}},
      {{"unit", "单元"}});
  CoverageReport r = ValidateCoverage(h, Options());
  auto short_segments = OfKind(r, DefectKind::kInvalidGeometry);
  ASSERT_EQ(short_segments.size(), 1u) << Describe(r);
  EXPECT_EQ(short_segments[0]->reason, "short_segment");
  EXPECT_EQ(short_segments[0]->severity, Severity::kWarning);
  auto tiny = OfKind(r, DefectKind::kSizeRule);
  ASSERT_EQ(tiny.size(), 1u) << Describe(r);
  EXPECT_EQ(tiny[0]->codes[0], "tiny");
  EXPECT_EQ(tiny[0]->reason, "area_below_minimum");
  EXPECT_NEAR(tiny[0]->area_m2, 0.0112, 0.001);
}

// ---------------------------------------------------------------------------------------------
// Codes and attributes.

TEST(CoverageValidator, DuplicateCodeAndMissingParent) {
  Hierarchy h = MakeHierarchy({
      {0, "g", "", kParent},
      {1, "u1", "g", kU1},
      {1, "u2", "g", kU2},
      {1, "u3", "g", kU3},
      {1, "u3", "g", kU4},           // duplicate code (its geometry is fine)
      {1, "stray", "nowhere", kU4},  // missing parent; lies in g
  });
  CoverageReport r = ValidateCoverage(h, Options());
  auto duplicates = OfKind(r, DefectKind::kDuplicateCode);
  ASSERT_EQ(duplicates.size(), 1u) << Describe(r);
  EXPECT_THAT(duplicates[0]->codes, ElementsAre("u3"));
  EXPECT_EQ(duplicates[0]->geometry.points.size(), 2u);
  auto missing = OfKind(r, DefectKind::kMissingParent);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]->parent, "nowhere");
  EXPECT_EQ(missing[0]->reason, "parent_not_found");
  EXPECT_THAT(missing[0]->fix, HasSubstr("g"));
  EXPECT_EQ(r.defects.size(), 2u) << Describe(r);
}

TEST(CoverageValidator, CodeModelLengthsDigitsAndPrefixAreWarnings) {
  Hierarchy h = MakeHierarchy({
      {0, "350302001001001", "", kParent},
      {1, "350302001001001001", "350302001001001", kU1},  // fine
      {1, "35030200100100100", "350302001001001", kU2},   // 17 digits
      {1, "35030200100100100X", "350302001001001", kU3},  // non-digit
      {1, "350302001001002004", "350302001001001", kU4},  // wrong prefix
  });
  CoverageOptions options = Options();
  options.code_model.enabled = true;
  CoverageReport r = ValidateCoverage(h, options);
  auto mismatches = OfKind(r, DefectKind::kCodeMismatch);
  ASSERT_EQ(mismatches.size(), 3u) << Describe(r);
  std::vector<std::string> reasons;
  for (const Defect* d : mismatches) {
    EXPECT_EQ(d->severity, Severity::kWarning);
    reasons.push_back(d->reason);
  }
  EXPECT_THAT(reasons, UnorderedElementsAre("length", "non_digit", "prefix"));
  EXPECT_EQ(r.defects.size(), 3u) << Describe(r);
  EXPECT_TRUE(r.clean());
}

TEST(CoverageValidator, NbsPaddedParentCodesUseTheirSignificantPrefix) {
  Hierarchy h = MakeHierarchy(
      {
          {0, "350300000000", "", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},  // city, padded
          {1, "350302", "350300000000", "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))"},
      },
      {{"city", "市"}, {"district", "区县"}});
  CoverageOptions options = Options();
  options.code_model.enabled = true;
  CoverageReport r = ValidateCoverage(h, options);
  EXPECT_TRUE(r.defects.empty()) << Describe(r);
}

TEST(CoverageValidator, SizeRulesApplyOnlyWhereTheAttributeExists) {
  Hierarchy h = MakeHierarchy(
      {
          {0, "big", "", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", {"620"}},
          {0, "fine", "", "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))", {"480"}},
          {0, "unknown", "", "POLYGON ((2 0, 3 0, 3 1, 2 1, 2 0))", {""}},
          {0, "typo", "", "POLYGON ((3 0, 4 0, 4 1, 3 1, 3 0))", {"五百"}},
      },
      {{"grid", "网格"}}, {{"households"}});
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 2u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kSizeRule);
  EXPECT_EQ(r.defects[0].codes[0], "big");
  EXPECT_EQ(r.defects[0].reason, "households_above_max");
  EXPECT_THAT(r.defects[0].message, HasSubstr("620"));
  EXPECT_EQ(r.defects[1].codes[0], "typo");
  EXPECT_EQ(r.defects[1].reason, "households_not_a_number");
}

// ---------------------------------------------------------------------------------------------
// Robustness, determinism, caching.

// A circle of `n` vertices around local (50, 50) with radius 40 units, in lon/lat; `bump` moves
// vertex 1 outwards.
MultiPolygon Circle(int n, double bump = 0) {
  std::vector<Point> ring;
  ring.reserve(static_cast<size_t>(n) + 1);
  for (int i = 0; i <= n; ++i) {
    const double t = 2 * std::numbers::pi * (i % n) / n;
    const double r = 40 + (i % n == 1 ? bump : 0);
    ring.push_back({testing::kOriginX + (50 + r * std::cos(t)) * testing::kStep,
                    testing::kOriginY + (50 + r * std::sin(t)) * testing::kStep});
  }
  MultiPolygon m;
  m.AddRing(ring, true);
  return m;
}

TEST(CoverageValidator, MillionVertexPolygonsAreCheckedInLinearTime) {
  HierarchyBuilder b(testing::GridAndUnit());
  b.Add({.level = 0, .code = "g2", .geometry = Circle(1'000'000)});
  b.Add({.level = 1, .code = "v", .parent = "g2", .geometry = Circle(1'000'000, 0.5)});
  Hierarchy h = std::move(b).Build(nullptr);
  // v matches g2 but bulges out of it at one vertex.
  CoverageOptions options = Options();
  options.threads = 2;
  CoverageReport r = ValidateCoverage(h, options);
  // Vertices are 2.5 mm apart, so the 5 m spike is a sliver along the parent's border.
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kUnmatchedParentEdge);
  EXPECT_EQ(r.defects[0].severity, Severity::kSliver);
  EXPECT_EQ(r.defects[0].parent, "g2");
  EXPECT_GT(r.defects[0].area_m2, 0);
}

TEST(CoverageValidator, HugeMismatchIsReportedWithBoundedEffort) {
  // Every segment of a 200,000-vertex unit misses its parent's (one more vertex, so they cross
  // all along): far too many slivers to polygonise; reported as unmatched lines instead.
  HierarchyBuilder b(testing::GridAndUnit());
  b.Add({.level = 0, .code = "g", .geometry = Circle(200'000)});
  b.Add({.level = 1, .code = "u", .parent = "g", .geometry = Circle(200'001)});
  Hierarchy h = std::move(b).Build(nullptr);
  CoverageReport r = ValidateCoverage(h, Options());
  ASSERT_EQ(r.defects.size(), 1u) << Describe(r);
  EXPECT_EQ(r.defects[0].kind, DefectKind::kUnmatchedParentEdge);
  EXPECT_EQ(r.defects[0].reason, "undescribed");
  EXPECT_THAT(r.defects[0].codes, ElementsAre("u"));
  EXPECT_EQ(r.defects[0].geometry.lines.size(), 1000u);
  EXPECT_THAT(r.defects[0].message, HasSubstr("400001 boundary segments"));
}

TEST(CoverageValidator, ReportDoesNotDependOnTheThreadCount) {
  std::vector<RegionSpec> specs = FourUnits();
  specs[1].wkt = "POLYGON ((0 0, 2 0, 2.5 1, 2 2, 0 2, 0 0))";
  specs.push_back({1, "dup", "g", kU4});
  specs.push_back({0, "g2", "", "POLYGON ((10 0, 14 0, 14 4, 10 4, 10 0))"});
  specs.push_back({1, "w", "g2", "POLYGON ((10 0, 13 0, 13 4, 10 4, 10 0))"});
  Hierarchy h = MakeHierarchy(specs);
  CoverageOptions one = Options(), two = Options();
  two.threads = 2;
  EXPECT_EQ(FormatReportJson(ValidateCoverage(h, one)), FormatReportJson(ValidateCoverage(h, two)));
}

TEST(CoverageValidator, ValidityIsCachedAcrossCalls) {
  Hierarchy h = MakeHierarchy(FourUnits());
  CoverageValidator validator(Options());
  CoverageReport first = validator.Validate(h);
  EXPECT_EQ(validator.cached_polygon_count(), 5u);
  EXPECT_EQ(first.levels[1].validity_cache_hits, 0u);
  CoverageReport second = validator.Validate(h);
  EXPECT_EQ(second.levels[0].validity_cache_hits, 1u);
  EXPECT_EQ(second.levels[1].validity_cache_hits, 4u);
  EXPECT_EQ(FormatReportGeoJson(first), FormatReportGeoJson(second));
}

}  // namespace
}  // namespace wangge
