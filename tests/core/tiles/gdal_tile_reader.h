// Decodes an MVT tile with GDAL's MVT driver, an independent decoder (GDAL's own protobuf code),
// into plain values for assertions. A standalone tile file not named z/x/y gives integer tile
// coordinates, which GDAL reports with y up; ReadTileWithGdal flips them back to MVT's y down.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <ogr_geometry.h>

namespace wangge::testing {

struct GdalFeature {
  int64_t id = -1;  // the MVT feature id (GDAL's mvt_id field), -1 if absent
  std::map<std::string, std::string> properties;
  std::unique_ptr<OGRGeometry> geometry;  // tile coordinates, y down
};

struct GdalTile {
  std::map<std::string, std::vector<GdalFeature>> layers;
  const std::vector<GdalFeature>& layer(const std::string& name) const;
};

// Writes `mvt` to `file` and reads it back through GDAL; fails the test on errors.
GdalTile ReadTileWithGdal(std::string_view mvt, const std::filesystem::path& file,
                          int extent = 4096);

}  // namespace wangge::testing
