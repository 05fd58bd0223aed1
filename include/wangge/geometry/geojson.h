// GeoJSON geometry of wangge's geometry types (RFC 7946: [lon, lat] positions), for the reports
// that are written as GeoJSON: coverage defects and version diffs.
//
//   json geometry = GeoJsonMultiPolygon(hierarchy.geometry(id));
//
// Thread safety: reentrant.
#pragma once

#include <span>

#include <nlohmann/json.hpp>

#include "wangge/geometry/multi_polygon.h"
#include "wangge/geometry/point.h"

namespace wangge {

// Returns the positions [[lon, lat], ...] of `points` (a ring, a line or a MultiPoint's points).
nlohmann::json GeoJsonPositions(std::span<const Point> points);

// Returns {"type": "MultiPolygon", "coordinates": [...]} of `m`, rings as stored.
nlohmann::json GeoJsonMultiPolygon(const MultiPolygonView& m);

}  // namespace wangge
