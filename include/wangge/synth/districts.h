// District outlines for synth: the county-level polygons a synthetic hierarchy is built inside
// (e.g. data/putian/districts.geojson), read from a GDAL vector source and made into a clean
// partition first, because real outlines digitised district by district overlap and leave slivers
// between each other.
//
//   Result<std::vector<DistrictOutline>> raw = ReadDistricts("data/putian/districts.geojson");
//   DistrictCleaning report;
//   Result<std::vector<DistrictOutline>> clean = CleanDistricts(*raw, &report);
//
// Cleaning (CleanDistricts), exact and deterministic:
//   1. Every vertex is rounded to the synth grid (2^-26 degree, about 1.5 mm; the 1/1024-degree
//      vertices of the Putian file are on it already).
//   2. All rings of all districts are noded together by snap rounding on that grid (GEOS
//      SnapRoundingNoder), duplicate segments are dissolved, and the faces of the arrangement are
//      traced.
//   3. Each bounded face is classified by the raw districts that contain its interior point: one
//      → it belongs to that district; two or more → overlap; none → gap (a hole of the union).
//   4. Overlap faces go to the covering district with the longest shared border among their
//      already assigned neighbours; gap faces of at most `max_gap_area_m2` go to the neighbouring
//      district with the longest shared border; larger gaps stay outside (a real hole). Repeated
//      until every face is settled.
//   5. A connected piece of a district of at most `max_exclave_area_m2` that borders other
//      districts (an exclave, in practice a loop of a ring's digitising zigzag) goes to the
//      neighbour with the longest shared border. Islands are kept whatever their size.
//   6. Each district is the exact union of its faces (shared directed segments cancel), so two
//      neighbouring districts carry identical vertices along their border.
//
// Thread safety: both functions are reentrant.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/geometry/multi_polygon.h"

namespace wangge {

struct DistrictOutline {
  std::string code;       // GB/T 2260, e.g. "350302"
  std::string name;       // e.g. "城厢区"
  MultiPolygon geometry;  // lon/lat degrees
};

// What CleanDistricts found and did.
struct DistrictCleaning {
  size_t faces = 0;          // bounded faces of the noded arrangement
  size_t overlap_faces = 0;  // covered by two or more raw districts
  double overlap_area_m2 = 0;
  size_t gap_faces = 0;  // holes of the raw union that were filled
  double gap_area_m2 = 0;
  size_t holes_kept = 0;         // holes of the raw union larger than the limit, left outside
  size_t exclaves_absorbed = 0;  // small pieces of a district enclosed by others, merged into them
  double exclave_area_m2 = 0;
  double raw_union_area_m2 = 0;
  double clean_area_m2 = 0;  // sum of the cleaned districts' areas
};

struct DistrictCleaningOptions {
  // Gaps (holes of the raw union) up to this area are filled; larger ones stay holes.
  double max_gap_area_m2 = 1e6;
  // Connected pieces of a district up to this area that border another district are merged into
  // the neighbour with the longest shared border; islands (bordering only the outside) are kept.
  double max_exclave_area_m2 = 1e5;
};

// Reads every feature of the first layer of `path` (any GDAL vector format): fields `code` and
// `name`, a Polygon or MultiPolygon geometry in a geographic CRS (x = longitude). Fails naming the
// file and feature on: an unreadable source, no layer, a missing field, an empty code, a
// non-polygonal or empty geometry, a projected CRS, a coordinate outside lon/lat range, a
// duplicate code.
Result<std::vector<DistrictOutline>> ReadDistricts(const std::string& path);

// Returns the districts as an exact partition (see the file comment), in the input order. Each
// output geometry is canonical (wangge/synth: shells counter-clockwise, holes clockwise, rings
// starting at their smallest vertex). `report` may be null.
Result<std::vector<DistrictOutline>> CleanDistricts(const std::vector<DistrictOutline>& raw,
                                                    DistrictCleaning* report,
                                                    const DistrictCleaningOptions& options = {});

}  // namespace wangge
