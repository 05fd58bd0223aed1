// Exact planar helpers for synth: the coordinate grid, directed-segment cancellation and ring
// assembly (exact unions of edge-matched polygons), and face tracing of a noded segment
// arrangement. Nothing here uses a tolerance: points are equal when their bits are equal.
//
//   std::vector<Segment> segments;
//   for (const MultiPolygon& child : children) AppendSegments(child.view(), &segments);
//   Result<MultiPolygon> parent = AssembleRings(std::move(segments));  // the exact union
//
// Thread safety: all functions are reentrant.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/geometry/box.h"
#include "wangge/geometry/multi_polygon.h"
#include "wangge/geometry/point.h"

namespace wangge::internal {

// Every vertex synth creates is a multiple of 2^-26 degree (about 1.5 mm): sums and midpoints of
// such coordinates are exact, distinct vertices are at least one grid step apart, and the
// 1/1024-degree vertices of the source districts lie on the grid already.
inline constexpr double kGridScale = 67108864.0;  // 2^26

inline double SnapToGrid(double v) { return std::nearbyint(v * kGridScale) / kGridScale; }
inline Point SnapToGrid(const Point& p) { return {SnapToGrid(p.x), SnapToGrid(p.y)}; }

// A directed segment.
struct Segment {
  Point a;
  Point b;
};

// Returns twice the signed area of a closed ring (positive when counter-clockwise), computed
// relative to the ring's first vertex for precision.
double SignedArea2(std::span<const Point> ring);

// Returns true if the closed ring has no repeated vertex (other than the closing one) and no two
// non-adjacent segments that touch or cross. O(n^2); meant for small rings.
bool IsSimpleRing(std::span<const Point> ring);

// Returns true if segments pq and rs share at least one point.
bool SegmentsIntersect(const Point& p, const Point& q, const Point& r, const Point& s);

// Appends the directed segments of every ring, oriented with the interior on the left (shells
// counter-clockwise, holes clockwise), whatever the stored orientation.
void AppendSegments(const MultiPolygonView& geometry, std::vector<Segment>* out);

// Cancels every segment against its reverse, then assembles what is left (interior on the left)
// into polygons: shells counter-clockwise, holes clockwise, each ring split where it would touch
// itself, each hole put in the smallest shell containing it. The output is canonical: each ring
// starts at its smallest vertex, polygons are ordered by their shells' first vertices.
// Fails with kDataError if the segments do not close into rings (an unbalanced vertex), if a
// directed segment is present twice, or if a hole has no shell.
Result<MultiPolygon> AssembleRings(std::vector<Segment> segments);

// A planar graph of undirected segments, with the faces traced. Half-edge 2i runs a→b along input
// segment i, half-edge 2i+1 runs b→a. Each half-edge belongs to exactly one cycle, the boundary of
// the face on its left; counter-clockwise cycles (positive area) are outer boundaries of bounded
// faces, clockwise ones are holes or the outside of a connected component.
struct FaceGraph {
  std::vector<Point> points;          // half-edge h starts at points[origin[h]]
  std::vector<uint32_t> origin;       // per half-edge
  std::vector<uint32_t> next;         // per half-edge: the next one around its left face
  std::vector<uint32_t> cycle_of;     // per half-edge
  std::vector<uint32_t> cycle_begin;  // cycle c holds half-edges cycle_edges[begin[c], begin[c+1])
  std::vector<uint32_t> cycle_edges;
  std::vector<double> cycle_area2;  // twice the signed area

  size_t cycle_count() const { return cycle_area2.size(); }
  std::span<const uint32_t> cycle(size_t c) const {
    return std::span<const uint32_t>(cycle_edges)
        .subspan(cycle_begin[c], cycle_begin[c + 1] - cycle_begin[c]);
  }
  const Point& from(uint32_t h) const { return points[origin[h]]; }
  const Point& to(uint32_t h) const { return points[origin[h ^ 1u]]; }
  // Returns the closed ring of cycle c.
  std::vector<Point> Ring(size_t c) const;
  Box CycleBounds(size_t c) const;
};

// Traces the faces of `segments`. REQUIRES: the segments are noded (no two cross or overlap; they
// meet only at shared endpoints), none is degenerate and none is repeated.
FaceGraph TraceFaces(std::span<const Segment> segments);

// For each clockwise cycle marked in `is_hole`, finds the counter-clockwise cycle marked in
// `is_shell` that most tightly encloses it; returns one entry per cycle (-1 where none or not
// asked). Brute force over the shells' bounding boxes: meant for few holes.
std::vector<int64_t> FindEnclosingShells(const FaceGraph& graph, const std::vector<bool>& is_hole,
                                         const std::vector<bool>& is_shell);

}  // namespace wangge::internal
