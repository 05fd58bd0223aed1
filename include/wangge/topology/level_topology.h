// LevelTopology: the shared arcs of one level — every boundary stored once, with the regions on
// its left and right — and, per region ring, the arcs that rebuild it. The tile renderer
// simplifies each arc once per zoom and rebuilds rings from them, so neighbours stay seamless
// (DESIGN.md, modules: topology).
//
// Definitions:
//   - Segments are matched exactly as in the coverage check (wangge/coverage): two regions of the
//     level share a segment when one has a→b and the other b→a in the canonical orientation
//     (shells counter-clockwise, holes clockwise), bitwise. Matching is across the whole level,
//     whatever the parents.
//   - A node is a vertex where the owners change (a matched segment next to an unmatched one, or
//     matched with a different region), or where three or more arcs meet. Arcs run from node to
//     node; a ring with no node is one closed arc.
//   - Arc vertices are stored in the order of the ring that created the arc. `left` is the region
//     on the left walking that order, `right` the one on the right; kNoRegion is outside the
//     level (or a neighbour whose edge does not match: see seamless()).
//   - Rings are listed in their own vertex order as (arc, reversed) references; RebuildRing()
//     reproduces the ring exactly, start vertex and direction included, minus consecutive
//     repeated vertices (which carry no geometry).
//
//   LevelTopology t = BuildLevelTopology(hierarchy, 5, &report);
//   for (const ArcRef& ref : t.ring_arcs(unit, 0)) Simplify(t.arc_points(ref.arc));
//
// Where the level is not a clean coverage (T-junctions, near-coincident edges, overlaps...), the
// unmatched pieces become arcs with one owner, which is still a correct decomposition but no
// longer shared: seamless() is false, and region_seamless() says which regions are affected, so
// that the tile renderer can simplify those per polygon instead.
//
// Thread safety: immutable after building; share freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "wangge/coverage/coverage_report.h"
#include "wangge/geometry/point.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge {

struct Arc {
  uint32_t begin = 0;  // first vertex, an index into LevelTopology::points()
  uint32_t end = 0;    // one past the last vertex; an arc has at least two vertices
  RegionId left = kNoRegion;
  RegionId right = kNoRegion;
};

struct ArcRef {
  uint32_t arc = 0;
  bool reversed = false;  // the ring walks the arc from its last vertex to its first
};

class LevelTopology {
 public:
  size_t level() const { return level_; }
  // True when every segment of the level is matched exactly once or lies on the level's outer
  // boundary, and (given a coverage report) the level has no topological defect.
  bool seamless() const { return seamless_; }
  // True when the region's boundary is fully shared-arc material (see the file comment).
  // REQUIRES: region is on this level.
  bool region_seamless(RegionId region) const {
    return region_seamless_[region - first_region_] != 0;
  }

  size_t arc_count() const { return arcs_.size(); }
  const Arc& arc(size_t i) const { return arcs_[i]; }
  std::span<const Point> arc_points(size_t i) const {
    return std::span<const Point>(points_).subspan(arcs_[i].begin,
                                                   arcs_[i].end - arcs_[i].begin);
  }
  std::span<const Point> points() const { return points_; }

  // Returns the arcs of ring `ring` of `region` (rings numbered as in its MultiPolygonView).
  // Empty for regions without usable geometry and for degenerate rings.
  std::span<const ArcRef> ring_arcs(RegionId region, size_t ring) const;
  // Returns where the ring's first vertex is in the vertex sequence its arcs spell.
  uint32_t ring_start(RegionId region, size_t ring) const;
  // Rebuilds a ring from its arcs: closed (last == first), in the ring's own order and start.
  std::vector<Point> RebuildRing(RegionId region, size_t ring) const;

 private:
  friend LevelTopology BuildLevelTopology(const Hierarchy&, size_t, const CoverageReport*);

  size_t level_ = 0;
  bool seamless_ = true;
  RegionId first_region_ = 0;
  std::vector<uint8_t> region_seamless_;  // per region of the level
  std::vector<Point> points_;
  std::vector<Arc> arcs_;
  std::vector<uint32_t> region_ring_begin_;  // per region of the level + 1: first ring below
  std::vector<uint32_t> ring_ref_begin_;     // per ring + 1: first ArcRef in refs_
  std::vector<uint32_t> ring_start_;         // per ring
  std::vector<ArcRef> refs_;
};

// Builds the topology of `level`. With `report` (the coverage report of the same hierarchy),
// regions named in a topological defect of that level are marked not seamless.
LevelTopology BuildLevelTopology(const Hierarchy& hierarchy, size_t level,
                                 const CoverageReport* report = nullptr);

// Builds every level, `threads` at a time (0: one per hardware thread).
std::vector<LevelTopology> BuildTopology(const Hierarchy& hierarchy,
                                         const CoverageReport* report = nullptr, int threads = 0);

}  // namespace wangge
