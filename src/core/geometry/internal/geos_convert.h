// Conversion between wangge geometry and the GEOS C++ API (libgeos++-dev). Internal: the GEOS C++
// API has no stable ABI, so it never appears in include/wangge/.
#pragma once

#include <memory>

#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryFactory.h>

#include "wangge/base/result.h"
#include "wangge/geometry/multi_polygon.h"

namespace wangge::internal {

// Returns a GEOS MultiPolygon with the same rings, vertex for vertex (no reorientation).
std::unique_ptr<geos::geom::Geometry> ToGeos(const geos::geom::GeometryFactory& factory,
                                             const MultiPolygonView& geometry);

// Converts a Polygon or MultiPolygon (or a collection holding only those) vertex for vertex.
// Empty parts are skipped. Any other geometry type is a kDataError naming the type.
Result<MultiPolygon> FromGeos(const geos::geom::Geometry& geometry);

}  // namespace wangge::internal
