// Tests of synth's exact planar helpers (internal): ring assembly by segment cancellation, face
// tracing, snap-rounding noding.
#include "synth/internal/planar.h"

#include "core/synth/synth_checks.h"
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "synth/internal/snap_noder.h"
#include "wangge/geometry/wkt.h"

namespace wangge::internal {
namespace {

using testing::Wkt;

std::vector<Segment> SegmentsOf(std::initializer_list<const char*> wkts) {
  std::vector<Segment> out;
  for (const char* w : wkts) {
    const MultiPolygon m = Wkt(w);
    AppendSegments(m.view(), &out);
  }
  return out;
}

TEST(AssembleRings, UnitesSquaresSharingAnEdgeKeepingTheirVertices) {
  Result<MultiPolygon> r = AssembleRings(
      SegmentsOf({"POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))"}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ToWkt(r->view()), "MULTIPOLYGON (((0 0, 1 0, 2 0, 2 1, 1 1, 0 1, 0 0)))");
}

TEST(AssembleRings, KeepsSquaresTouchingAtACornerApart) {
  Result<MultiPolygon> r = AssembleRings(
      SegmentsOf({"POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))"}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->view().polygon_count(), 2u);
  EXPECT_TRUE(testing::IsValid(r->view()));
}

TEST(AssembleRings, MakesAHoleFromARingOfSquares) {
  std::vector<Segment> segments;
  for (int x = 0; x < 3; ++x) {
    for (int y = 0; y < 3; ++y) {
      if (x == 1 && y == 1) continue;
      MultiPolygon m;
      m.AddRing(std::vector<Point>{{1.0 * x, 1.0 * y},
                                   {x + 1.0, 1.0 * y},
                                   {x + 1.0, y + 1.0},
                                   {1.0 * x, y + 1.0},
                                   {1.0 * x, 1.0 * y}},
                true);
      AppendSegments(m.view(), &segments);
    }
  }
  Result<MultiPolygon> r = AssembleRings(std::move(segments));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->view().polygon_count(), 1u);
  EXPECT_EQ(r->view().polygon(0).ring_count(), 2u);
  EXPECT_GT(SignedArea2(r->view().polygon(0).shell()), 0);
  EXPECT_LT(SignedArea2(r->view().polygon(0).ring(1)), 0);
  EXPECT_TRUE(testing::IsValid(r->view()));
}

TEST(AssembleRings, SplitsAHoleTouchingItsShellIntoAValidPolygon) {
  // A square whose hole touches the shell at (0 2): traced as one ring, split in two.
  Result<MultiPolygon> r =
      AssembleRings(SegmentsOf({"POLYGON ((0 0, 4 0, 4 4, 0 4, 0 2, 2 3, 2 1, 0 2, 0 0))"}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->view().polygon_count(), 1u);
  EXPECT_EQ(r->view().polygon(0).ring_count(), 2u);
  EXPECT_TRUE(testing::IsValid(r->view()));
}

TEST(AssembleRings, CancelsEverythingForAPolygonAndItsReverse) {
  std::vector<Segment> segments = SegmentsOf({"POLYGON ((0 0, 1 0, 1 1, 0 0))"});
  const size_t n = segments.size();
  for (size_t i = 0; i < n; ++i) segments.push_back({segments[i].b, segments[i].a});
  Result<MultiPolygon> r = AssembleRings(std::move(segments));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(AssembleRings, RejectsOpenAndDoubledBoundaries) {
  Result<MultiPolygon> open = AssembleRings({{{0, 0}, {1, 0}}, {{1, 0}, {1, 1}}});
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.status().code(), StatusCode::kDataError);
  Result<MultiPolygon> doubled = AssembleRings(
      SegmentsOf({"POLYGON ((0 0, 1 0, 1 1, 0 0))", "POLYGON ((0 0, 1 0, 1 1, 0 0))"}));
  ASSERT_FALSE(doubled.ok());
  EXPECT_THAT(std::string(doubled.status().message()), ::testing::HasSubstr("twice"));
}

TEST(TraceFaces, FindsBothFacesAndTheOutside) {
  // Two triangles sharing the diagonal of the unit square.
  const std::vector<Segment> segments = {
      {{0, 0}, {1, 0}}, {{1, 0}, {1, 1}}, {{0, 0}, {1, 1}}, {{0, 0}, {0, 1}}, {{0, 1}, {1, 1}}};
  const FaceGraph g = TraceFaces(segments);
  ASSERT_EQ(g.cycle_count(), 3u);
  int ccw = 0, cw = 0;
  for (size_t c = 0; c < g.cycle_count(); ++c) {
    if (g.cycle_area2[c] > 0) {
      ++ccw;
      EXPECT_DOUBLE_EQ(g.cycle_area2[c], 1.0);  // twice the area of a half square
    } else {
      ++cw;
      EXPECT_DOUBLE_EQ(g.cycle_area2[c], -2.0);
    }
  }
  EXPECT_EQ(ccw, 2);
  EXPECT_EQ(cw, 1);
  // The diagonal's two half-edges bound the two different triangles.
  EXPECT_NE(g.cycle_of[4], g.cycle_of[5]);
}

TEST(SnapNode, PutsASharedVertexWhereSegmentsCross) {
  Result<std::vector<std::vector<Point>>> noded =
      SnapNode({{{0, 0}, {1, 1}}, {{0, 1}, {1, 0}}, {{2, 0}, {3, 0}}});
  ASSERT_TRUE(noded.ok()) << noded.status().ToString();
  ASSERT_EQ((*noded)[0].size(), 3u);
  ASSERT_EQ((*noded)[1].size(), 3u);
  EXPECT_EQ((*noded)[0][1], (Point{0.5, 0.5}));
  EXPECT_EQ((*noded)[1][1], (Point{0.5, 0.5}));
  EXPECT_EQ((*noded)[2].size(), 2u);  // untouched
}

TEST(IsSimpleRing, TellsABowTieFromASquare) {
  EXPECT_TRUE(IsSimpleRing(std::vector<Point>{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}));
  EXPECT_FALSE(IsSimpleRing(std::vector<Point>{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}));
  EXPECT_FALSE(IsSimpleRing(std::vector<Point>{{0, 0}, {2, 0}, {1, 0}, {1, 1}, {0, 0}}));
}

}  // namespace
}  // namespace wangge::internal
