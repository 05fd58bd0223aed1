// Which regions are covered exactly by their children, so that point location never needs their
// own geometry: a point lies in such a region exactly when it lies in one of its children.
//
// The test is an exact certificate, not a tolerance: orient every ring (shells counter-clockwise,
// holes clockwise), take the children's directed edges minus the parent's, and cancel each edge
// against its reverse. If nothing is left, the children's boundaries add up to the parent's, so
// their winding numbers add up to the parent's everywhere off the edges; for valid polygons
// (winding 0 or 1) that means the children have disjoint interiors and their union is the
// parent. Anything else (a gap, an overlap, a child spilling out, an edge split at a T-junction,
// no children at all) leaves edges over, and the region is indexed on its own.
//
//   std::vector<uint8_t> covered = CoveredByChildren(hierarchy, level);
//
// Thread safety: reentrant; parallel inside (TBB).
#pragma once

#include <cstdint>
#include <vector>

#include "wangge/hierarchy/hierarchy.h"

namespace wangge::internal {

// Returns one flag per region of `level`, in id order: 1 if its children cover it exactly (or its
// geometry is empty), else 0.
std::vector<uint8_t> CoveredByChildren(const Hierarchy& hierarchy, size_t level);

}  // namespace wangge::internal
