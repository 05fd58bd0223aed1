// LabelPoint: a point well inside a region for its label, the pole of inaccessibility (the interior
// point farthest from the outline) of the region's largest polygon, found by the grid-refinement
// search of the "polylabel" method to within `relative_precision` × the polygon's larger side.
// Distances are measured in a local equirectangular plane (longitude scaled by cos(latitude)), so
// the answer does not lean east-west at Putian's latitude.
//
//   Point label = LabelPoint(h.geometry(id));
//
// Thread safety: reentrant.
#pragma once

#include "wangge/geometry/multi_polygon.h"

namespace wangge::internal {

// Returns the label point of `g`; for an empty geometry, {0, 0}; for a polygon without area, its
// first vertex. With `simplify`, long rings are simplified for the search (to a quarter of the
// precision) and the result is checked against the exact rings.
Point LabelPoint(const MultiPolygonView& g, double relative_precision = 0.1, bool simplify = true);

}  // namespace wangge::internal
