#include "wangge/crs/china_offsets.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "wangge/geometry/measure.h"

namespace wangge {
namespace {

// Beijing railway station, the pair published with R's geoChina::conv (5 decimals).
constexpr Point kStationWgs{116.42079, 39.90105};
constexpr Point kStationGcj{116.42703, 39.90245};
constexpr Point kStationBd{116.43351, 39.90851};
constexpr double kPublishedDigits = 1e-5;

void ExpectNear(Point actual, Point expected, double tolerance) {
  EXPECT_NEAR(actual.x, expected.x, tolerance);
  EXPECT_NEAR(actual.y, expected.y, tolerance);
}

// Each published value is rounded to 5 decimals, so each hop (WGS↔GCJ, GCJ↔BD) is checked against
// its published neighbour to 1e-5°. Over two hops the roundings add up: WgsToBd09(kStationWgs) is
// (116.433501, 39.908500), 1.03e-5° south of the published BD-09 latitude.
TEST(ChinaOffsets, ReproducesThePublishedBeijingPairForwards) {
  ExpectNear(WgsToGcj02(kStationWgs), kStationGcj, kPublishedDigits);
  ExpectNear(Gcj02ToBd09(kStationGcj), kStationBd, kPublishedDigits);
  ExpectNear(WgsToBd09(kStationWgs), kStationBd, 2 * kPublishedDigits);
}

TEST(ChinaOffsets, ReproducesThePublishedBeijingPairBackwards) {
  ExpectNear(Gcj02ToWgs(kStationGcj), kStationWgs, kPublishedDigits);
  ExpectNear(Bd09ToGcj02(kStationBd), kStationGcj, kPublishedDigits);
  ExpectNear(Bd09ToWgs(kStationBd), kStationWgs, 2 * kPublishedDigits);
}

TEST(ChinaOffsets, IsTheIdentityOutsideTheRectangle) {
  const Point outside[] = {
      {2.3522, 48.8566},    // Paris
      {-74.006, 40.7128},   // New York
      {139.6917, 35.6895},  // Tokyo: east of 137.8347
      {100.0, 0.5},         // south of 0.8293
      {72.0039, 30.0},      // just west of 72.004
      {120.0, 55.8272},     // just north of 55.8271
  };
  for (const Point p : outside) {
    EXPECT_FALSE(InGcj02Region(p)) << p.x << " " << p.y;
    EXPECT_EQ(WgsToGcj02(p), p);
    EXPECT_EQ(Gcj02ToWgs(p), p);
  }
  EXPECT_TRUE(InGcj02Region({72.004, 30.0}));  // the rectangle is closed
  EXPECT_NE(WgsToGcj02({72.004, 30.0}), (Point{72.004, 30.0}));
}

TEST(ChinaOffsets, AppliesTheBaiduPerturbationEverywhereLikeThePublishedFormula) {
  const Point paris{2.3522, 48.8566};
  const Point bd = WgsToBd09(paris);
  EXPECT_GT(DistanceM(bd, paris), 100.0);
  EXPECT_LT(DistanceM(Bd09ToWgs(bd), paris), 1e-3);
}

TEST(ChinaOffsets, PropagatesNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const Point p : {Point{nan, 30}, Point{120, nan}, Point{nan, nan}}) {
    EXPECT_FALSE(IsFinite(WgsToGcj02(p)));
    EXPECT_FALSE(IsFinite(Gcj02ToWgs(p)));
    EXPECT_FALSE(IsFinite(Gcj02ToBd09(p)));
    EXPECT_FALSE(IsFinite(Bd09ToGcj02(p)));
    EXPECT_FALSE(IsFinite(WgsToBd09(p)));
    EXPECT_FALSE(IsFinite(Bd09ToWgs(p)));
  }
}

TEST(ChinaOffsets, RoundTripsWithinOneMillimetreAcrossChina) {
  std::mt19937_64 random(20240611);
  std::uniform_real_distribution<double> lon(73.0, 135.0);
  std::uniform_real_distribution<double> lat(18.0, 53.0);
  double max_gcj = 0, max_bd = 0, max_forward_of_inverse = 0;
  double min_offset = std::numeric_limits<double>::infinity(), max_offset = 0;
  for (int i = 0; i < 100000; ++i) {
    const Point wgs{lon(random), lat(random)};
    const Point gcj = WgsToGcj02(wgs);
    const double offset = DistanceM(wgs, gcj);
    min_offset = std::min(min_offset, offset);
    max_offset = std::max(max_offset, offset);
    max_gcj = std::max(max_gcj, DistanceM(Gcj02ToWgs(gcj), wgs));
    max_bd = std::max(max_bd, DistanceM(Bd09ToWgs(WgsToBd09(wgs)), wgs));
    // The same point read as a GCJ-02 coordinate: the inverse's forward image returns to it.
    max_forward_of_inverse =
        std::max(max_forward_of_inverse, DistanceM(WgsToGcj02(Gcj02ToWgs(wgs)), wgs));
  }
  EXPECT_LT(max_gcj, 1e-3);
  EXPECT_LT(max_bd, 1e-3);
  EXPECT_LT(max_forward_of_inverse, 1e-3);
  // The offset itself is in the published range (notes: 20.7–693 m on 20,000 points).
  EXPECT_GT(min_offset, 10.0);
  EXPECT_LT(max_offset, 750.0);
}

}  // namespace
}  // namespace wangge
