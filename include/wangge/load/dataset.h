// Dataset loading: a GDAL source (a GeoPackage, a folder of GeoJSON / Shapefile / FlatGeobuf
// files, or a YAML manifest that maps other names; see wangge/load/manifest.h) becomes a Hierarchy
// in lon/lat degrees, with a report of everything that was wrong with the input.
//
// Default layout (DESIGN.md): one layer per level, named after the level, each feature carrying
// `code`, `parent` (the parent's code, empty at the top) and `name`; any other fields are kept as
// attributes (as text); the top level may lack `parent`. Without a manifest the levels are those of
// Putian's six (wangge::DefaultLevels()) whose layer exists, in that order: a GeoPackage with
// layers grid and unit loads as a two-level hierarchy; other layers are ignored with a warning; a
// source with no such layer needs a manifest. A GeoPackage written by WriteGeoPackage declares its
// own levels (see wangge/load/dataset_writer.h). A folder holds one file per level, e.g.
// grid.geojson, unit.shp, town.fgb, community.gpkg (.gpkg/.geojson/.json/.shp/.fgb; one file per
// level).
//
//   Result<Dataset> d = LoadDataset("putian.gpkg");
//   if (!d.ok()) return d.status();              // unreadable file, missing layer or field ...
//   for (const LoadIssue& issue : d->issues) std::cerr << issue.ToString() << "\n";
//
// Values: integer fields become their exact decimal text ("350302001001", never "3.50302e+11");
// real fields the shortest text that reads back to the same double ("3.5", "12"); null → "".
// Text: GeoPackage, GeoJSON and FlatGeobuf are UTF-8; a Shapefile's .dbf is decoded as its .cpg
// says, else as the manifest's `encoding`, else as its LDID byte says, else as UTF-8.
// Geometry: Polygon and MultiPolygon (curves linearised, Z/M dropped) are kept vertex for vertex,
// invalid ones (bow-ties, self-intersections) included: the coverage check reports those, the
// loader never repairs. Sources in lon/lat on WGS84 or CGCS2000 are kept bit for bit; any other
// CRS PROJ knows is reprojected to EPSG:4490 with x = lon. A layer without a CRS (and no `crs:` in
// a manifest) is taken as lon/lat, with a warning.
//
// What fails the whole load (a Status, message naming file, layer and field): unreadable or missing
// source (kNotFound / kIoError), missing layer or code/parent/name field (kNotFound), a CRS that
// cannot be transformed, a malformed manifest, no layer named after a level (kDataError).
// What is an issue (the load goes on, nothing silent; each names file, layer, feature id, code):
//   - kError, the feature is NOT loaded: non-polygon or missing geometry, NaN/infinite coordinates,
//     a coordinate outside lon/lat range after reprojection, an empty code; also a layer that
//     declares more features than could be read, and GDAL errors while reading;
//   - kWarning, the feature IS loaded: empty geometry, duplicate code, unknown parent, text that
//     does not decode in the declared encoding (kept with U+FFFD replacement characters); also a
//     layer without a CRS, and layers or files that are not levels.
// Issues come in this order: about the source (layers or files that are not levels), then level
// by level in feature order, then the hierarchy's (duplicate codes, missing parents).
//
// Layers are read in parallel, each thread with its own GDAL handle.
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
  std::string driver;  // GDAL driver short name, e.g. "GPKG"
  std::string crs;  // the source CRS, e.g. "EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)"
  std::string encoding;      // attribute encoding used and where it was declared, e.g. "UTF-8" or
                             // "GBK (.cpg)", "GBK (manifest)", "GBK (LDID)"
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

// Loads `path`: a .yaml/.yml manifest, a GDAL dataset (e.g. .gpkg, or a GDAL connection string
// such as "PG:dbname=grid" or "/vsizip/putian.zip/putian.gpkg"), or a folder holding one file per
// level named after the level (e.g. grid.geojson, unit.shp, town.fgb).
Result<Dataset> LoadDataset(const std::string& path);

}  // namespace wangge
