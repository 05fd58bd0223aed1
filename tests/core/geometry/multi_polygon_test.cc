#include "wangge/geometry/multi_polygon.h"

#include <gtest/gtest.h>

namespace wangge {
namespace {

TEST(MultiPolygon, BuildsPolygonsWithHolesAndClosesRings) {
  MultiPolygon m;
  m.AddRing(std::vector<Point>{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, true);  // not closed
  m.AddRing(std::vector<Point>{{1, 1}, {1, 2}, {2, 2}, {1, 1}}, false);
  m.AddRing(std::vector<Point>{{5, 5}, {6, 5}, {6, 6}, {5, 5}}, true);
  const MultiPolygonView v = m.view();

  ASSERT_EQ(v.polygon_count(), 2u);
  ASSERT_EQ(v.ring_count(), 3u);
  EXPECT_EQ(v.polygon(0).ring_count(), 2u);
  EXPECT_EQ(v.polygon(0).shell().size(), 5u);
  EXPECT_EQ(v.polygon(0).shell().back(), (Point{0, 0}));
  EXPECT_EQ(v.polygon(0).ring(1)[1], (Point{1, 2}));
  EXPECT_EQ(v.polygon(1).shell()[1], (Point{6, 5}));
  EXPECT_EQ(v.bounds(), (Box{0, 0, 6, 6}));
  EXPECT_EQ(MultiPolygon(v).view().vertex_count(), v.vertex_count());
}

TEST(MultiPolygon, EmptyHasNoPolygonsAndAnEmptyBox) {
  MultiPolygon m;
  EXPECT_TRUE(m.empty());
  EXPECT_TRUE(m.view().bounds().empty());
}

}  // namespace
}  // namespace wangge
