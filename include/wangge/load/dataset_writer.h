// Writing a Hierarchy as a dataset in the default layout (DESIGN.md): a GeoPackage with one layer
// per level, named after the level, fields code, parent, name and the level's attributes (all
// text), geometry MultiPolygon in EPSG:4490 (CGCS2000 lon/lat), feature ids 1..n in region order.
// The level order is recorded in the GeoPackage's metadata item WANGGE_LEVELS (e.g.
// "district,street,community,grid") and each level's label in its layer's description, so
// LoadDataset reads any hierarchy back, levels, labels, codes, attributes and vertices bit for bit.
//
//   Status s = WriteGeoPackage(hierarchy, "putian.gpkg");
//
// The file is written under a temporary name in the same folder (one transaction per layer),
// fsync'ed and renamed into place, so a crash never leaves a half-written dataset at `path`, and an
// existing file there is replaced atomically. Errors: kIoError naming the path (e.g. the folder
// does not exist); kInvalidArgument if an attribute is called fid, geom, code, parent or name.
// Thread safety: reentrant.
#pragma once

#include <string>

#include "wangge/base/status.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge {

struct GeoPackageWriteOptions {
  // Builds each layer's R-tree spatial index (GeoPackage extension gpkg_rtree_index), which GIS
  // tools use for fast bounding-box reads. LoadDataset reads whole layers and does not need it;
  // leaving it out makes writing a Putian-scale dataset about three times faster.
  bool spatial_index = true;
};

Status WriteGeoPackage(const Hierarchy& hierarchy, const std::string& path,
                       const GeoPackageWriteOptions& options = {});

}  // namespace wangge
