// Small RAII helpers around GDAL/OGR for the load module: driver registration, per-thread error
// capture, opening vector sources, naming a CRS, and the lon/lat target CRS (EPSG:4490, x = lon).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "wangge/base/result.h"

namespace wangge::internal {

// The GeoPackage metadata item in which WriteGeoPackage records the level order, e.g.
// "district,street,community,grid"; each level's label is its layer's description.
inline constexpr char kWanggeLevelsMetadataItem[] = "WANGGE_LEVELS";

// Registers GDAL's drivers once per process; safe from any thread.
void EnsureGdalRegistered();

// While alive, captures the CPLError messages GDAL raises on this thread (instead of printing
// them to stderr). Nests: it pushes a handler on construction and pops it on destruction.
class GdalErrorCapture {
 public:
  struct Message {
    CPLErr level;
    std::string text;
  };

  GdalErrorCapture();
  ~GdalErrorCapture();
  GdalErrorCapture(const GdalErrorCapture&) = delete;
  GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;

  // Returns the messages captured since the last Take() and forgets them.
  std::vector<Message> Take() { return std::exchange(messages_, {}); }
  // Returns the text of the last failure (CE_Failure or worse) captured, or "".
  std::string LastFailure() const;

 private:
  static void CPL_STDCALL Handle(CPLErr level, CPLErrorNum number, const char* text);

  std::vector<Message> messages_;
};

// Returns true if `path` names a GDAL source that is not a plain file or folder, e.g.
// "PG:dbname=grid" (PostGIS) or "/vsizip/a.zip/putian.gpkg".
bool IsGdalConnection(std::string_view path);

// Opens `path` as a read-only vector dataset with `open_options` ("KEY=VALUE"). Returns kNotFound
// if nothing exists at `path`, kIoError if GDAL cannot open it (with GDAL's reason).
Result<GDALDatasetUniquePtr> OpenVector(const std::string& path,
                                        const std::vector<std::string>& open_options = {});

// Returns the short name of the GDAL driver that would open `path` (e.g. "ESRI Shapefile"), or "".
std::string IdentifyVectorDriver(const std::string& path);

// Returns e.g. "EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)", or the CRS name alone.
std::string DescribeCrs(const OGRSpatialReference& crs);

// Returns CGCS2000 geographic (EPSG:4490) with x = longitude, y = latitude.
std::unique_ptr<OGRSpatialReference> LonLatCrs();

// Returns true if coordinates in `crs`, as its data axis mapping presents them, already are
// lon/lat degrees on WGS84 or CGCS2000 (which PROJ treats as the same datum), so no transformation
// is needed and vertices are kept bit for bit.
bool IsLonLat(const OGRSpatialReference& crs);

// Returns the layer names of `dataset`, comma-separated (for messages).
std::string LayerNames(GDALDataset& dataset);

// Returns true if `a` and `b` are equal ignoring ASCII case, as OGR compares field names.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace wangge::internal
