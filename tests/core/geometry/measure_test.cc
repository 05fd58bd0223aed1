#include "wangge/geometry/measure.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace wangge {
namespace {

using testing::Wkt;

TEST(Measure, OneDegreeAtTheEquatorMatchesTheEllipsoid) {
  // Geodesic length of one degree of longitude along the equator: a * pi / 180.
  EXPECT_NEAR(DistanceM({0, 0}, {1, 0}), 111319.49, 0.01);
}

TEST(Measure, AreaIsIndependentOfOrientationAndSubtractsHoles) {
  // A 0.01-degree square at Putian's latitude is about 1.0 km²; cross-checked against the
  // equirectangular estimate R² cos(lat) dλ dφ.
  const MultiPolygon ccw = Wkt("POLYGON ((119 25.4, 119.01 25.4, 119.01 25.41, 119 25.41, 119 25.4))");
  const MultiPolygon cw = Wkt("POLYGON ((119 25.4, 119 25.41, 119.01 25.41, 119.01 25.4, 119 25.4))");
  const double a = AreaM2(ccw.view());
  EXPECT_NEAR(a, AreaM2(cw.view()), 1e-6);
  const double estimate = 6371008.8 * 6371008.8 * std::cos(25.405 * M_PI / 180) *
                          (0.01 * M_PI / 180) * (0.01 * M_PI / 180);
  EXPECT_NEAR(a / estimate, 1.0, 0.005);

  const MultiPolygon holed = Wkt(
      "POLYGON ((119 25.4, 119.01 25.4, 119.01 25.41, 119 25.41, 119 25.4),"
      " (119.0025 25.4025, 119.0025 25.4075, 119.0075 25.4075, 119.0075 25.4025, 119.0025 25.4025))");
  EXPECT_NEAR(AreaM2(holed.view()) / a, 0.75, 1e-3);
}

TEST(Measure, PerimeterAddsAllRings) {
  const MultiPolygon m = Wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");
  EXPECT_NEAR(PerimeterM(m.view()), 4 * 111000.0, 4 * 1000.0);
}

}  // namespace
}  // namespace wangge
