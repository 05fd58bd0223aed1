#include "locate/internal/exact_predicates.h"

#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>

#include <gtest/gtest.h>

namespace wangge::internal {
namespace {

// Coordinates that are multiples of 2^-40 below 2^10 make every term of the determinant an
// integer multiple of 2^-80 below 2^102 in magnitude, so __int128 gives the exact reference.
__extension__ typedef __int128 Int128;  // GCC/Clang extension, exact here

int ReferenceSign(int64_t ax, int64_t ay, int64_t bx, int64_t by, int64_t cx, int64_t cy) {
  const Int128 det =
      static_cast<Int128>(bx - ax) * (cy - ay) - static_cast<Int128>(by - ay) * (cx - ax);
  return det > 0 ? 1 : (det < 0 ? -1 : 0);
}

double Scaled(int64_t k) { return std::ldexp(static_cast<double>(k), -40); }

TEST(OrientSign, ExactOnCollinearPoints) {
  EXPECT_EQ(OrientSign({0, 0}, {1, 1}, {0.1, 0.1}), 0);
  EXPECT_EQ(OrientSign({0, 0}, {1, 1}, {std::nextafter(0.1, 1.0), 0.1}), -1);
  EXPECT_EQ(OrientSign({0, 0}, {1, 1}, {0.1, std::nextafter(0.1, 1.0)}), 1);
  // Far from the origin, where the rounded formula cannot tell: exact dyadic coordinates.
  const double u = std::ldexp(1.0, -41);
  const Point a{119, 25}, b{119 + 2 * u, 25 + 2 * u};
  EXPECT_EQ(OrientSign(a, b, {119 + u, 25 + u}), 0);
  EXPECT_EQ(OrientSign(a, b, {119 + u + u / 32, 25 + u}), -1);
  EXPECT_EQ(OrientSign(a, b, {119 + u, 25 + u + u / 32}), 1);
}

TEST(OrientSign, AgreesWithIntegerArithmeticOnNearlyCollinearTriples) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> coord(int64_t{1} << 45, int64_t{1} << 49);
  std::uniform_int_distribution<int64_t> nudge(-3, 3);
  int decided_by_exact_path = 0;
  for (int i = 0; i < 200000; ++i) {
    const int64_t ax = coord(rng), ay = coord(rng), bx = coord(rng), by = coord(rng);
    // A point on the line through a and b (when the step divides evenly), then nudged.
    const int64_t g = std::gcd(bx - ax, by - ay);
    const int64_t sx = g ? (bx - ax) / g : 0, sy = g ? (by - ay) / g : 0;
    const int64_t t = static_cast<int64_t>(rng() % 7) - 3;
    const int64_t cx = ax + t * sx + nudge(rng), cy = ay + t * sy + nudge(rng);
    const Point pa{Scaled(ax), Scaled(ay)}, pb{Scaled(bx), Scaled(by)}, pc{Scaled(cx), Scaled(cy)};
    const int want = ReferenceSign(ax, ay, bx, by, cx, cy);
    ASSERT_EQ(OrientSign(pa, pb, pc), want) << i;
    ASSERT_EQ(OrientSignExact(pa, pb, pc), want) << i;
    ASSERT_EQ(OrientSign(pb, pa, pc), -want) << i;
    ASSERT_EQ(OrientSign(pb, pc, pa), want) << i;
    if (FilteredSign((pb.x - pa.x) * (pc.y - pa.y), (pb.y - pa.y) * (pc.x - pa.x)) == 2) {
      ++decided_by_exact_path;
    }
  }
  EXPECT_GT(decided_by_exact_path, 1000);  // the test reached the exact path often
}

TEST(PerturbedOrientSign, BreaksTiesTowardsEastThenNorth) {
  // p on a vertical edge going north: p* moves east, to the right of the edge.
  EXPECT_EQ(PerturbedOrientSign({0, 0}, {0, 2}, {0, 1}), -1);
  // On a horizontal edge going east: p* moves north, to the left of the edge.
  EXPECT_EQ(PerturbedOrientSign({0, 0}, {2, 0}, {1, 0}), 1);
  EXPECT_EQ(PerturbedOrientSign({2, 0}, {0, 0}, {1, 0}), -1);
  EXPECT_EQ(PerturbedOrientSign({0, 0}, {1, 1}, {3, 3}), -1);
}

}  // namespace
}  // namespace wangge::internal
