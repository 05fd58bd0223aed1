// Polygon clipping and quantising in tile coordinates (doubles, y down) for MVT polygons.
//
// ClipPolygon clips one polygon (a shell and its holes) to an axis-aligned box and returns valid
// rings: the parts of the rings inside the box ("runs", from where a ring enters the box to where
// it leaves it) are joined by walking the box's border clockwise from each exit to the next entry,
// as in Weiler–Atherton clipping against a rectangle; rings wholly inside are kept as they are; a
// box wholly inside the shell becomes a ring of its own. Unlike per-ring Sutherland–Hodgman, the
// result has no zero-width edges doubling back along the border, and a hole cut by the border opens
// into the shell. Points where an edge crosses the border are computed from the edge's end points
// in lexicographic order, so two rings sharing an edge (walking it in opposite directions) get the
// same crossing point bit for bit.
//
// QuantizeRing rounds to the integer grid, removes repeated points and zero-width spikes (A, B, A),
// and returns twice the signed area by MVT 2.1's formula (positive = exterior, clockwise on
// screen).
//
//   ClippedPolygon out;
//   ClipPolygon(rings, {-64, -64, 4160, 4160}, &out);
//   int64_t area2 = QuantizeRing(out.rings[0], &ring);   // 0: drop the ring
//
// Thread safety: reentrant.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tiles/internal/mvt_writer.h"
#include "wangge/geometry/box.h"
#include "wangge/geometry/point.h"

namespace wangge::internal {

// Rings in MVT order: each exterior followed by its holes.
struct ClippedPolygon {
  std::vector<std::vector<Point>> rings;  // no closing point
  std::vector<bool> is_hole;
  void Clear() {
    rings.clear();
    is_hole.clear();
  }
};

// Returns twice the signed area of a ring (no closing point) by MVT 2.1's formula.
double MvtArea2(std::span<const Point> ring);

// Clips `rings` (rings[0] the shell with positive MvtArea2, the others holes with negative
// MvtArea2; no closing points) to `box`. `out` is cleared first; empty when nothing is left.
void ClipPolygon(std::span<const std::vector<Point>> rings, const Box& box, ClippedPolygon* out);

// Rounds `in` to integers into `out` (no closing point) and returns twice its signed area
// (sum of x_i*y_{i+1} - x_{i+1}*y_i); `out` is cleared and 0 returned when fewer than 3 distinct
// points remain or the area is 0.
int64_t QuantizeRing(std::span<const Point> in, std::vector<TilePoint>* out);

}  // namespace wangge::internal
