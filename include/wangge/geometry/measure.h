// Measures on lon/lat geometry in metres, on the CGCS2000 ellipsoid (GRS80; WGS84 differs by less
// than 0.1 mm), computed geodesically with PROJ's geodesic routines (Karney's algorithms).
//
//   double m2 = AreaM2(h.geometry(id));
//
// Thread safety: all functions are reentrant.
#pragma once

#include "wangge/geometry/multi_polygon.h"
#include "wangge/geometry/point.h"

namespace wangge {

// Returns the unsigned area of a ring in square metres.
double RingAreaM2(RingView ring);

// Returns the area of a multipolygon in square metres: shells minus holes, whatever their
// orientation.
double AreaM2(const MultiPolygonView& geometry);

// Returns the geodesic distance between two lon/lat points in metres.
double DistanceM(const Point& a, const Point& b);

// Returns the perimeter of all rings in metres.
double PerimeterM(const MultiPolygonView& geometry);

}  // namespace wangge
