// Snap-rounding noding of polylines on the synth grid (planar.h kGridScale), through GEOS's
// SnapRoundingNoder: every crossing or touching of two polylines becomes a shared vertex rounded to
// the grid, robustly (no near-miss survives, no segment is left crossing another).
//
//   Result<std::vector<std::vector<Point>>> noded = SnapNode(polylines);
//   // (*noded)[i] is polyline i with its nodes inserted
//
// Thread safety: reentrant.
#pragma once

#include <vector>

#include "wangge/base/result.h"
#include "wangge/geometry/point.h"

namespace wangge::internal {

// Returns each input polyline with every node inserted, in its own order. REQUIRES: every input
// vertex lies on the grid (so rounding leaves it in place) and no polyline has fewer than 2
// distinct vertices. GEOS exceptions become kInternal.
Result<std::vector<std::vector<Point>>> SnapNode(const std::vector<std::vector<Point>>& polylines);

}  // namespace wangge::internal
