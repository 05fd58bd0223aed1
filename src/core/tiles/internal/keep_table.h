// Keep tables: seamless per-zoom simplification as a per-vertex decision.
//
// For a "node level" N (the finest level shown at some zoom), the boundaries of N's regions form a
// graph; its arcs are the maximal chains of vertices of degree 2 between nodes (vertices of degree
// != 2; a closed loop without any node gets its lexicographically smallest vertex as node). Each
// arc is simplified once with Douglas–Peucker in Web Mercator, in a canonical direction, recording
// for every interior vertex the tolerance at which DP would drop it (made monotone along the DP
// recursion, so "keep if threshold > tolerance" is exactly DP at that tolerance). A threshold
// becomes the first zoom at which the vertex is kept: min_zoom[v] = the smallest z with
// threshold > tolerance_world / 2^z; nodes get 0.
//
// The arcs may also come from the topology module (wangge/topology/level_topology.h), whose arcs
// are the same decomposition (nodes where the owners change or three arcs meet).
//
// The table is indexed by the hierarchy's global point index (region after region, as
// PointLayout numbers them) and covers every region of the levels <= N. A vertex of a coarser
// level takes the value of the same point (bitwise) in N's graph. Because the decision depends on
// the point alone, every ring through a vertex — both neighbours of a shared arc, and a parent
// whose border runs along its children's arcs — keeps the same vertices at every zoom, so shared
// borders stay identical after simplification: no slivers, no overlaps.
//
// A region whose vertices are not all in N's graph (its level is not edge-matched with N) is
// simplified per polygon instead (each ring on its own), and the notes say so.
//
// Thread safety: BuildKeepTable is reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wangge/hierarchy/hierarchy.h"
#include "wangge/topology/level_topology.h"

namespace wangge::internal {

// Where each region's vertices start in one global numbering (all rings' points, closing points
// included, region after region).
struct PointLayout {
  std::vector<uint64_t> region_begin;  // region_count() + 1 entries

  explicit PointLayout(const Hierarchy& h);
  uint64_t size() const { return region_begin.back(); }
  // Number of points of regions in levels [0, level].
  uint64_t LevelsEnd(const Hierarchy& h, size_t level) const {
    return region_begin[h.regions(level).last];
  }
};

// Marks a vertex that is never kept (a duplicate or exactly collinear point).
inline constexpr uint8_t kNeverKept = 255;

// Returns the min-zoom table of node level `node_level` for every point of the levels
// <= node_level. `tolerance_world` is the DP tolerance at zoom 0 in world units (1 = the world's
// width). With `topology` (the topology module's arcs of node_level), its shared arcs are the
// arcs, and its regions that are not region_seamless() are simplified per polygon; without it,
// the arcs are extracted here as described above. Appends human-readable findings (fallbacks,
// unmatched edges, overlapping regions) to `notes`.
std::vector<uint8_t> BuildKeepTable(const Hierarchy& h, const PointLayout& layout,
                                    size_t node_level, double tolerance_world,
                                    std::vector<std::string>* notes,
                                    const LevelTopology* topology = nullptr);

// Douglas–Peucker thresholds of a polyline (world coordinates): out[i] = the largest tolerance at
// which point i is kept; the two end points get +infinity. Exposed for tests.
void DouglasPeuckerThresholds(const std::vector<Point>& line, std::vector<double>* out);

// Converts a DP threshold to the first zoom at which the vertex is kept.
uint8_t MinZoomForThreshold(double threshold, double tolerance_world);

}  // namespace wangge::internal
