// CellIndex: the point-location structure behind PointIndex for the regions of one level.
//
// A flat adaptive grid over the regions' bounding box. Each root cell is a 32-bit node that is
//   - direct: the whole cell lies inside one region (or in none), so a lookup is one load;
//   - a leaf: the few boundary edges that touch the cell, stored inline, with a reference point c
//     chosen off every edge line (one of a fixed sequence of points of the cell, so the record
//     stores its number, not its coordinates), and which candidate regions contain c;
//   - split: k×k children (k = 2 to 16, from the cell's edge count), recursively, until a cell
//     holds at most a few edges;
//   - slow: a pathological cell (too many regions or vertices) answered by exact tests on the
//     candidates' whole geometries.
// In a leaf a point p is located by counting, per candidate, the edges that cross the segment
// from c to p* = p + (ε, ε²) (ε infinitesimal, see point_index.h for the boundary rule), with exact
// predicates: one orientation test per stored vertex, two more per edge that straddles the line
// through c and p. Parity per candidate is a 32-bit mask, so shared edges cost one test for both
// sides. Queries allocate nothing. The arrays sit on huge pages where the system allows.
//
//   Result<CellIndex> index = CellIndex::Build(hierarchy, unit_ids, {});
//   CellIndex::Hit hit = index->Locate({119.0, 25.4});
//   if (hit.region != kNoRegion) Use(hit.region);
//
// Thread safety: immutable after Build; Locate may be called from any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "locate/internal/huge_page_allocator.h"
#include "wangge/base/result.h"
#include "wangge/geometry/box.h"
#include "wangge/geometry/multi_polygon.h"
#include "wangge/hierarchy/hierarchy.h"
#include "wangge/locate/point_index.h"

namespace wangge::internal {

struct CellBox;

// Containment of the perturbed point p* in a whole geometry, and whether p itself lies on one of
// its edges. The even-odd rule over all rings: a horizontal ray from p* to +x, where an edge counts
// if exactly one end lies strictly above p.y and p lies strictly left of it (exact predicates).
// This is the same set the cell index computes, by a different route.
struct RegionTest {
  bool inside = false;
  bool on_boundary = false;
};
RegionTest TestRegion(const MultiPolygonView& geometry, const Point& p);

// The tuning knobs default to PointIndexOptions', their one home.
struct CellIndexOptions {
  // A cell with more distinct edges than this is split (until max_depth).
  size_t max_leaf_edges = PointIndexOptions{}.max_leaf_edges;
  int max_depth = 10;
  // Root cells per indexed edge (the grid is sized from the edge count), and a cap.
  double root_cells_per_edge = PointIndexOptions{}.root_cells_per_edge;
  size_t max_root_cells = size_t{1} << 24;
  // Threads for the build: 0 = all cores.
  int threads = PointIndexOptions{}.threads;
};

class CellIndex {
 public:
  struct Hit {
    RegionId region = kNoRegion;  // the owner, kNoRegion if no region owns the point
    bool on_boundary = false;
  };

  // Collects statistics about the structure, for benchmarks and reports.
  struct Stats {
    size_t root_cells = 0;
    size_t direct_cells = 0;  // root and split children that resolve without edges
    size_t leaves = 0;
    size_t slow_leaves = 0;
    size_t split_nodes = 0;
    size_t leaf_vertices = 0;  // stored vertex slots, run breaks included
    size_t memory_bytes = 0;
  };

  CellIndex() = default;

  // Builds the index over `regions` (ids of `hierarchy`; regions with empty geometry are left
  // out). `hierarchy` must outlive the index. Fails with kResourceExhausted past 2^30 regions,
  // cells or leaf words.
  static Result<CellIndex> Build(const Hierarchy& hierarchy, std::vector<RegionId> regions,
                                 const CellIndexOptions& options);

  // Returns the owner of `p` by the boundary rule. REQUIRES: p is finite.
  Hit Locate(const Point& p) const;
  // Locates points[i] into out[i], overlapping the memory latency of neighbouring points with
  // prefetches; the same answers as Locate. REQUIRES: out.size() == points.size(); points finite.
  void LocateMany(std::span<const Point> points, std::span<Hit> out) const;

  // The indexed regions, sorted by code (then id): the boundary rule's tie-break order.
  std::span<const RegionId> regions() const { return regions_; }
  const Box& bounds() const { return bounds_; }
  Stats stats() const;
  size_t memory_bytes() const;

 private:
  friend class CellIndexBuilder;

  CellBox RootBox(uint32_t ix, uint32_t iy) const;
  // Returns the index of the root cell under `p` and sets `box` to its cell. REQUIRES: InBounds(p).
  uint32_t RootCell(const Point& p, CellBox& box) const;
  // Returns the index in nodes_ of the child under `p` of split node `node` whose cell is `box`,
  // and sets `box` to the child's cell.
  uint32_t ChildIndex(uint32_t node, CellBox& box, const Point& p) const;
  // Returns the leaf or direct node under `p` below split node `node` whose cell is `box`, and
  // sets `box` to that node's cell.
  uint32_t Descend(uint32_t node, CellBox& box, const Point& p) const;
  // Answers for `p` in `node`, whose cell is `box`.
  Hit Resolve(uint32_t node, const CellBox& box, const Point& p) const;
  Hit LocateInLeaf(uint64_t offset, const CellBox& box, const Point& p) const;
  Hit LocateSlow(uint64_t offset, const Point& p) const;
  bool InBounds(const Point& p) const {
    return p.x >= bounds_.min_x && p.x <= bounds_.max_x && p.y >= bounds_.min_y &&
           p.y <= bounds_.max_y;
  }

  const Hierarchy* hierarchy_ = nullptr;
  std::vector<RegionId> regions_;
  Box bounds_;
  double x0_ = 0, y0_ = 0, cell_w_ = 1, cell_h_ = 1, inv_w_ = 1, inv_h_ = 1;
  uint32_t nx_ = 0, ny_ = 0;
  // Root cells row by row, then split children in blocks of four (see cell_index.cc).
  std::vector<uint32_t, HugePageAllocator<uint32_t>> nodes_;
  // Leaf and slow-node records, in 64-bit words.
  std::vector<uint64_t, HugePageAllocator<uint64_t>> arena_;
};

}  // namespace wangge::internal
