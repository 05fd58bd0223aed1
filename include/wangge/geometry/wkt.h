// WKT text for polygons: reading (tests, CLI debugging) and writing (reports, logs).
//
//   Result<MultiPolygon> m = ParseWkt("POLYGON ((0 0, 1 0, 1 1, 0 0))");
//   std::string text = ToWkt(m->view());
//
// Thread safety: all functions are reentrant.
#pragma once

#include <string>
#include <string_view>

#include "wangge/base/result.h"
#include "wangge/geometry/multi_polygon.h"

namespace wangge {

// Parses a POLYGON, MULTIPOLYGON or GEOMETRYCOLLECTION of those, vertex for vertex.
Result<MultiPolygon> ParseWkt(std::string_view wkt);

// Returns MULTIPOLYGON WKT with full double precision (round-trips bit for bit).
std::string ToWkt(const MultiPolygonView& geometry);

}  // namespace wangge
