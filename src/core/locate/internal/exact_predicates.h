// Exact geometric predicates on double coordinates, for point location that never guesses.
//
// OrientSign(a, b, c) is the sign of the determinant
//   (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x),
// positive when c lies to the left of the directed line a→b. A floating-point filter decides
// almost every call; the rest are settled exactly with floating-point expansions (error-free
// sums and products), so the sign is the sign of the exact real determinant. The only
// assumption is that no intermediate product underflows, which holds for lon/lat coordinates
// whose non-zero differences exceed 1e-150 degrees.
//
//   if (internal::OrientSign(a, b, p) == 0) { /* p lies on the line through a and b */ }
//
// Thread safety: pure functions.
#pragma once

#include <cmath>

#include "wangge/geometry/point.h"

namespace wangge::internal {

// Returns the exact sign of the determinant above, computed without a filter. Slow; called by
// OrientSign when the filter cannot decide.
int OrientSignExact(const Point& a, const Point& b, const Point& c);

// Shewchuk's error bound for the rounded determinant (both differences, both products and the
// final difference rounded) is (3 + 16ε)ε·(|left| + |right|) with ε = 2⁻⁵³; 8ε leaves room.
inline constexpr double kOrientErrorBound = 8 * 0x1p-53;

// Returns the sign of left - right (+1 or -1) when the rounding bound decides it, else 0.
// `left` and `right` are the rounded products of the determinant's two terms. Branch-free: this
// is the inner loop of point location.
inline int QuickSign(double left, double right) {
  const double det = left - right;
  const double bound = kOrientErrorBound * (std::abs(left) + std::abs(right));
  return static_cast<int>(det > bound) - static_cast<int>(det < -bound);
}

// Decides the sign from the two products of the determinant when the filter can; returns 2 when
// it cannot. `left` and `right` are the rounded products of the determinant's two terms.
inline int FilteredSign(double left, double right) {
  // A product of doubles is zero exactly when a factor is, and rounding keeps signs, so mixed or
  // zero signs decide the difference exactly.
  if (left > 0) {
    if (right <= 0) return 1;
  } else if (left < 0) {
    if (right >= 0) return -1;
  } else {
    return right > 0 ? -1 : (right < 0 ? 1 : 0);
  }
  const double det = left - right;
  const double bound = kOrientErrorBound * (std::abs(left) + std::abs(right));
  if (det > bound) return 1;
  if (det < -bound) return -1;
  return 2;
}

inline int OrientSign(const Point& a, const Point& b, const Point& c) {
  const int sign = FilteredSign((b.x - a.x) * (c.y - a.y), (b.y - a.y) * (c.x - a.x));
  return sign != 2 ? sign : OrientSignExact(a, b, c);
}

// Returns the sign of orient(a, b, p*) where p* = p + (ε, ε²) for an infinitesimal ε > 0: the
// exact sign when p is off the line a→b, else the tie-break the perturbation implies.
// REQUIRES: a != b. Never returns 0.
inline int PerturbedOrientSign(const Point& a, const Point& b, const Point& p) {
  const int sign = OrientSign(a, b, p);
  if (sign != 0) return sign;
  // d/dε of the determinant is a.y - b.y; d/dε² is b.x - a.x.
  if (a.y != b.y) return a.y > b.y ? 1 : -1;
  return b.x > a.x ? 1 : -1;
}

}  // namespace wangge::internal
