// Point-in-polygon by the crossing (even-odd) rule, for points known to be off every boundary:
// for a point exactly on an edge the answer may go either way. The exact, boundary-aware test with
// a stated rule is wangge/locate/point_index.h.
//
//   if (RingContains(polygon.shell(), p)) ...
//
// Thread safety: pure functions.
#pragma once

#include "wangge/geometry/multi_polygon.h"
#include "wangge/geometry/point.h"

namespace wangge {

// Returns true if `p` is inside the ring. The ring may be closed (front() == back()) or open (the
// closing edge is implied): for a closed ring the implied edge has length zero and never counts.
inline bool RingContains(RingView ring, const Point& p) {
  bool inside = false;
  for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const Point& a = ring[j];
    const Point& b = ring[i];
    if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x)) {
      inside = !inside;
    }
  }
  return inside;
}

// Returns true if `p` is inside the polygon: inside its shell and outside its holes.
inline bool PolygonContains(const PolygonView& polygon, const Point& p) {
  bool inside = false;
  for (size_t r = 0; r < polygon.ring_count(); ++r) {
    if (RingContains(polygon.ring(r), p)) inside = !inside;
  }
  return inside;
}

// Returns true if `p` is inside the multipolygon (even-odd over all rings).
inline bool Contains(const MultiPolygonView& geometry, const Point& p) {
  bool inside = false;
  for (size_t r = 0; r < geometry.ring_count(); ++r) {
    if (RingContains(geometry.ring(r), p)) inside = !inside;
  }
  return inside;
}

}  // namespace wangge
