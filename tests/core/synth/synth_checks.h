// Checks of synthetic hierarchies shared by the synth tests, written independently of the synth
// code they test (own segment bookkeeping, GEOS for validity and overlay).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "wangge/geometry/multi_polygon.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge::testing {

// The residual of one parent: the directed segments of its children (each ring oriented with the
// interior on the left) plus the parent's segments reversed, after cancelling equal-and-opposite
// pairs bit for bit. Empty means the children tile the parent with identical shared vertices.
struct Residual {
  std::string parent;   // the parent's code ("" for the top level's group)
  size_t segments = 0;  // segments left over
};

// Returns the residual of every parent of `level` (grouping children by their declared parent
// code), only those with segments left over.
std::vector<Residual> Residuals(const Hierarchy& h, size_t level);

// Returns the codes of regions of `level` that GEOS IsValidOp rejects.
std::vector<std::string> InvalidRegions(const Hierarchy& h, size_t level);

// Returns the largest |sum of children's areas - parent's area| / parent's area over the parents
// of `level`'s regions.
double WorstAreaMismatch(const Hierarchy& h, size_t level);

// GEOS overlay helpers, areas in square metres (geodesic, via wangge::AreaM2).
double IntersectionAreaM2(const MultiPolygonView& a, const MultiPolygonView& b);
double DifferenceAreaM2(const MultiPolygonView& a, const MultiPolygonView& b);
// The area of `parent` not covered by the union of `children`.
double UncoveredAreaM2(const MultiPolygonView& parent,
                       const std::vector<MultiPolygonView>& children);
bool IsValid(const MultiPolygonView& g);
// Returns area(a Δ b) / area(a), both planar in degrees (GEOS): 0 for the same point set, whatever
// the vertices.
double SymmetricDifferenceRatio(const MultiPolygonView& a, const MultiPolygonView& b);

}  // namespace wangge::testing
