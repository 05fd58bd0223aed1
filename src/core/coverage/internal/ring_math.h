// Small planar helpers on lon/lat rings shared by the coverage check and the topology builder:
// orientation, conservative orientation signs, point in polygon, local metric scale.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "wangge/geometry/multi_polygon.h"
#include "wangge/geometry/point.h"
#include "wangge/geometry/ring_contains.h"

namespace wangge::internal::coverage {

// Metres per degree of latitude on a sphere of the GRS80 mean radius; good to ~0.5 % for the
// local scales used here (segment lengths, widths), never for reported areas (those are geodesic).
inline constexpr double kMetresPerDegree = 6371008.8 * 3.14159265358979323846 / 180.0;

// Returns twice the signed area of a closed ring in degrees² (positive = counter-clockwise),
// computed relative to the first vertex to limit cancellation.
inline double SignedArea2(RingView ring) {
  if (ring.size() < 4) return 0;
  const Point o = ring[0];
  double sum = 0;
  for (size_t i = 1; i + 2 < ring.size(); ++i) {
    const double ax = ring[i].x - o.x, ay = ring[i].y - o.y;
    const double bx = ring[i + 1].x - o.x, by = ring[i + 1].y - o.y;
    sum += ax * by - ay * bx;
  }
  return sum;
}

// Returns the sign of the orientation of (a, b, c): +1 counter-clockwise, -1 clockwise, 0 when
// the floating-point determinant cannot be trusted (collinear or nearly so). Conservative: a
// non-zero answer is always right (Shewchuk's static error bound for orient2d).
inline int OrientSign(const Point& a, const Point& b, const Point& c) {
  const double acx = a.x - c.x, bcx = b.x - c.x, acy = a.y - c.y, bcy = b.y - c.y;
  const double left = acx * bcy, right = acy * bcx;
  const double det = left - right;
  const double bound = 3.3306690738754716e-16 * (std::fabs(left) + std::fabs(right));
  if (det > bound) return 1;
  if (-det > bound) return -1;
  return 0;
}

// Returns the approximate length of segment (a, b) in metres (equirectangular at its mid-latitude).
inline double ApproxLengthM(const Point& a, const Point& b) {
  const double k = std::cos((a.y + b.y) * (3.14159265358979323846 / 360.0));
  const double dx = (b.x - a.x) * k, dy = b.y - a.y;
  return std::sqrt(dx * dx + dy * dy) * kMetresPerDegree;
}

// Returns whether ring `ring_index` (0 = shell) of a polygon must be reversed to be in the
// canonical orientation used by the coverage check: shells counter-clockwise, holes clockwise.
inline bool NeedsReverse(RingView ring, bool is_shell) {
  const double a = SignedArea2(ring);
  return is_shell ? a < 0 : a > 0;
}

// Mixes a 64-bit value (splitmix64 finaliser).
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace wangge::internal::coverage
