// Dataset loading: a GDAL source (a GeoPackage, a folder of GeoJSON / Shapefile / FlatGeobuf
// files, or a YAML manifest that maps other names; see wangge/load/manifest.h) becomes a Hierarchy
// in lon/lat degrees, with a report of everything that was wrong with the input.
//
// Default layout (DESIGN.md): one layer per level, named after the level, each feature carrying
// `code`, `parent` (the parent's code, empty at the top) and `name`; any other fields are kept as
// attributes. Geometries in any CRS PROJ knows are reprojected to lon/lat (x = lon).
//
//   Result<Dataset> d = LoadDataset("putian.gpkg");
//   if (!d.ok()) return d.status();              // unreadable file, missing layer or field ...
//   for (const LoadIssue& issue : d->issues) std::cerr << issue.ToString() << "\n";
//
// What fails the whole load (a Status): unreadable source, missing layer, missing code/parent/name
// field, a CRS that cannot be transformed, a malformed manifest.
// What is an issue (the load goes on, nothing silent):
//   - kError, the feature is NOT loaded: non-polygon or missing geometry, NaN/infinite coordinates,
//     a coordinate outside lon/lat range after reprojection, an empty code;
//   - kWarning, the feature IS loaded: empty geometry, duplicate code, unknown parent, text that
//     does not decode in the declared encoding (kept with U+FFFD replacement characters).
//
// Thread safety: LoadDataset is reentrant; call it from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/geometry/box.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge {

struct LoadIssue {
  enum class Severity { kWarning, kError };
  Severity severity = Severity::kWarning;
  std::string file;         // the file or GDAL source
  std::string layer;        // the layer name in that source
  int64_t feature_id = -1;  // the OGR FID, -1 if not about one feature
  std::string code;         // the region code, if known
  std::string message;

  // Returns e.g. "error: units.shp layer units feature 17 (code 3503...): NaN coordinate".
  std::string ToString() const;
};

// Where one level came from.
struct LayerInfo {
  std::string level;
  std::string file;
  std::string layer;
  std::string driver;     // GDAL driver short name, e.g. "GPKG"
  std::string crs;        // the source CRS, e.g. "EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)"
  std::string encoding;   // attribute encoding used, e.g. "UTF-8" or "GBK"
  size_t feature_count = 0;  // features read from the layer
  size_t loaded_count = 0;   // regions loaded from it
};

struct Dataset {
  std::string source;  // the path given to LoadDataset
  Hierarchy hierarchy;
  std::vector<LayerInfo> layers;  // one per level
  std::vector<LoadIssue> issues;

  size_t error_count() const;
  size_t warning_count() const;
};

// Loads `path`: a .yaml/.yml manifest, a GDAL dataset (e.g. .gpkg), or a folder holding one file
// per level named after the level (e.g. grid.geojson, unit.shp, town.fgb).
Result<Dataset> LoadDataset(const std::string& path);

}  // namespace wangge
