// Writing a Hierarchy as a dataset in the default layout (DESIGN.md): a GeoPackage with one layer
// per level, named after the level, fields code, parent, name and the level's attributes, geometry
// MultiPolygon in EPSG:4490 (CGCS2000 lon/lat). LoadDataset reads it back vertex for vertex.
//
//   Status s = WriteGeoPackage(hierarchy, "putian.gpkg");
//
// The file is written under a temporary name and renamed into place, so a crash never leaves a
// half-written dataset at `path`.
// Thread safety: reentrant.
#pragma once

#include <string>

#include "wangge/base/status.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge {

Status WriteGeoPackage(const Hierarchy& hierarchy, const std::string& path);

}  // namespace wangge
