// Test fixtures for the load module, written with GDAL by the tests themselves: layers in any
// driver and CRS, from WKT in lon/lat (reprojected into the layer's CRS before writing) or from
// geometries built by hand (NaN coordinates, curves, Z).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <ogr_core.h>
#include <ogr_geometry.h>

namespace wangge::testing {

struct FixtureField {
  std::string name;
  OGRFieldType type = OFTString;
};

struct FixtureRow {
  // One value per field, as text; "\x01" stands for null.
  std::vector<std::string> values;
  // Geometry in lon/lat WKT; "" for none (unless `geometry` is set).
  std::string wkt;
  // A geometry written as is, in the layer's CRS (takes precedence over `wkt`).
  std::shared_ptr<OGRGeometry> geometry;
};

inline const std::string kNull = "\x01";

struct FixtureLayer {
  std::string name;
  // "EPSG:n" or any SetFromUserInput text; "" writes no CRS.
  std::string crs = "EPSG:4490";
  std::vector<FixtureField> fields = {{"code"}, {"parent"}, {"name"}};
  std::vector<FixtureRow> rows;
  std::vector<std::string> creation_options;  // e.g. "ENCODING=CP936"
  OGRwkbGeometryType geometry_type = wkbUnknown;
};

// Writes `layer` into `file` with GDAL driver `driver` ("GPKG", "GeoJSON", "ESRI Shapefile",
// "FlatGeobuf"). A GPKG that exists gets the layer added. Aborts the test binary on failure.
void WriteFixture(const std::filesystem::path& file, const std::string& driver,
                  const FixtureLayer& layer);

// Returns a geometry parsed from WKT (any type GDAL knows, e.g. CURVEPOLYGON, POLYGON Z).
std::shared_ptr<OGRGeometry> OgrGeometry(const std::string& wkt);

// Returns the text of `path`.
std::string ReadText(const std::filesystem::path& path);
// Writes `text` to `path`.
void WriteText(const std::filesystem::path& path, const std::string& text);

}  // namespace wangge::testing
