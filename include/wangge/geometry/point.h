// Point: a planar coordinate pair. Throughout the core, x is longitude and y is latitude in
// degrees (EPSG:4326 / EPSG:4490 in "visualisation" axis order), unless a function says otherwise.
// Equality is bitwise on purpose: seamless coverage requires shared vertices to be identical, and
// a tolerance never makes a near-miss equal (see wangge/coverage).
#pragma once

#include <cmath>

namespace wangge {

struct Point {
  double x = 0;
  double y = 0;

  friend bool operator==(const Point&, const Point&) = default;
  // Lexicographic (x, then y); the canonical order of segment endpoints.
  friend bool operator<(const Point& a, const Point& b) {
    return a.x < b.x || (a.x == b.x && a.y < b.y);
  }
};

// Returns true if both coordinates are finite (not NaN, not infinite).
inline bool IsFinite(const Point& p) { return std::isfinite(p.x) && std::isfinite(p.y); }

}  // namespace wangge
