// The fast validity test must never clear an invalid polygon: whenever FastValid says valid,
// GEOS IsValidOp must agree (the converse need not hold: GEOS decides the doubtful cases).
#include "coverage/internal/polygon_check.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryFactory.h>
#include <gtest/gtest.h>

#include "geometry/internal/geos_convert.h"
#include "support/test_support.h"

namespace wangge::internal::coverage {
namespace {

// A ring of n vertices around (cx, cy) at random radii and angles; with `shuffle` the angles are
// not sorted, which usually makes it self-intersecting.
std::vector<Point> RandomRing(std::mt19937_64& rng, int n, double cx, double cy, double r,
                              bool shuffle) {
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<double> angles(static_cast<size_t>(n));
  for (double& a : angles) a = unit(rng) * 2 * std::numbers::pi;
  if (!shuffle) std::sort(angles.begin(), angles.end());
  std::vector<Point> ring;
  for (double a : angles) {
    const double radius = r * (0.3 + 0.7 * unit(rng));
    // Snap to a coarse grid now and then, to create touching and collinear cases.
    Point p{cx + radius * std::cos(a), cy + radius * std::sin(a)};
    if (unit(rng) < 0.3) p = {std::round(p.x * 4) / 4, std::round(p.y * 4) / 4};
    ring.push_back(p);
  }
  ring.push_back(ring.front());
  return ring;
}

TEST(FastValid, NeverClearsAnInvalidPolygon) {
  std::mt19937_64 rng(12345);
  auto factory = geos::geom::GeometryFactory::create();
  CheckScratch scratch;
  int cleared = 0, agreed_invalid = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    MultiPolygon m;
    const int parts = trial % 7 == 0 ? 2 : 1;
    for (int p = 0; p < parts; ++p) {
      const double cx = p * 3.0 + (trial % 5 == 0 ? 0.5 : 0);
      m.AddRing(RandomRing(rng, 3 + trial % 12, cx, 0, 2, trial % 3 == 0), true);
      if (trial % 4 == 1) m.AddRing(RandomRing(rng, 3 + trial % 5, cx, 0, 0.6, false), false);
    }
    const bool fast = FastValid(m.view(), scratch);
    bool geos_valid = false;
    try {
      geos_valid = ToGeos(*factory, m.view())->isValid();
    } catch (const std::exception&) {
      geos_valid = false;
    }
    if (fast) {
      ++cleared;
      ASSERT_TRUE(geos_valid) << "trial " << trial;
    } else if (!geos_valid) {
      ++agreed_invalid;
    }
  }
  EXPECT_GT(cleared, 3000);  // the test exercises both outcomes
  EXPECT_GT(agreed_invalid, 3000);
}

}  // namespace
}  // namespace wangge::internal::coverage
