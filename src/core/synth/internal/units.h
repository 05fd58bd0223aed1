// The finest level of a synthetic hierarchy: one unit per seed, built as ONE noded planar
// partition of the land, so that neighbouring units share identical vertices:
//
//   1. Voronoi diagram of the seeds (Boost.Polygon, exact integer sites), closed by a frame of
//      far-away sites so that every real cell is bounded.
//   2. Every Voronoi edge is wiggled once, deterministically from a hash of its canonical
//      endpoints: k inserted vertices on a smooth random curve that tapers to zero at both ends,
//      with k chosen per edge so that cells get 20–60 vertices. Both neighbours use the same
//      polyline, so they stay vertex-exact. A cell whose wiggled ring is not simple (or no longer
//      holds its seed) has its edges straightened, and its neighbours are checked again.
//   3. Cells whose box touches a district border are "border cells". Where one of their edges
//      crosses a border segment, the node is the grid point exactly on the border segment nearest
//      to the crossing (so the districts keep their exact shape); then their edges near the border
//      and all border segments are noded together by snap rounding (a safety net for near-
//      degenerate spots), and the faces of that arrangement are traced and labelled (cell from the
//      Voronoi edges, district from the border edges, or a point test where a face has none). The
//      face of a cell that holds its seed (in the seed's district) belongs to that seed's unit;
//      every other piece of land — detached pieces, pieces in another district — goes to the unit
//      of the same district it shares the longest border with, repeated until all land is owned.
//   4. A unit is the exact union of what it owns (directed segments cancel): its cell ring
//      directly for cells away from borders, else its faces.
// Point counts outside 21–60 (20–59 distinct vertices; closing points included) are then fixed on
// the final partition, on both sides of shared segments at once: wiggle vertices removed, or
// vertices inserted (a small wiggle between units of one district, a point exactly on the segment
// along a district border or the coast).
//
//   Result<UnitPartition> units = BuildUnits(seeds, districts, locator, seed);
//
// Thread safety: reentrant; uses TBB internally, results do not depend on scheduling.
#pragma once

#include <cstdint>
#include <vector>

#include "synth/internal/locator.h"
#include "synth/internal/seeds.h"
#include "wangge/base/result.h"
#include "wangge/geometry/multi_polygon.h"
#include "wangge/synth/districts.h"

namespace wangge::internal {

struct UnitBuildStats {
  size_t voronoi_edges = 0;
  size_t straightened_edges = 0;  // wiggles undone to keep cells simple
  size_t border_cells = 0;
  size_t noded_segments = 0;           // segments given to the snap-rounding noder
  size_t faces = 0;                    // land faces of the border arrangement
  size_t reassigned_faces = 0;         // pieces given to a neighbouring unit
  size_t vertex_count_fixes = 0;       // units brought into 20–60 points by the balancer
  size_t vertex_count_violations = 0;  // units still outside (0 unless the balancer got stuck)
  size_t multipart_units = 0;
};

struct UnitPartition {
  std::vector<MultiPolygon> geometry;  // one per seed, canonical (see planar.h AssembleRings)
  UnitBuildStats stats;
};

// REQUIRES: `districts` is a clean partition (CleanDistricts), `locator` locates them, and every
// seed lies in seeds.district.
Result<UnitPartition> BuildUnits(const Seeds& seeds, const std::vector<DistrictOutline>& districts,
                                 const RegionLocator& locator, uint64_t seed);

// Returns the number of points of a geometry, closing points included.
inline size_t PointCount(const MultiPolygonView& g) { return g.vertex_count(); }

}  // namespace wangge::internal
