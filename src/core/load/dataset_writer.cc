#include "wangge/load/dataset_writer.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <fcntl.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include "load/internal/gdal_util.h"

namespace wangge {
namespace {

namespace fs = std::filesystem;

// Reserved column names of the default layout.
constexpr std::string_view kReserved[] = {"fid", "geom", "code", "parent", "name"};

// Flushes `path` (a file or a folder) to stable storage.
Status Sync(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return Status::IoError(path.string() + ": cannot open to sync");
  const int r = ::fsync(fd);
  ::close(fd);
  return r == 0 ? Status::Ok() : Status::IoError(path.string() + ": fsync failed");
}

// Removes the temporary file unless released.
class TempFile {
 public:
  explicit TempFile(fs::path path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove(path_, ec);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const fs::path& path() const { return path_; }
  void Release() { path_.clear(); }

 private:
  fs::path path_;
};

// Sets a GDAL configuration option for this thread only, restoring the previous value on exit.
class ThreadConfigOption {
 public:
  ThreadConfigOption(const char* key, const char* value) : key_(key) {
    if (const char* old = CPLGetThreadLocalConfigOption(key, nullptr)) old_ = old;
    CPLSetThreadLocalConfigOption(key, value);
  }
  ~ThreadConfigOption() { CPLSetThreadLocalConfigOption(key_, old_ ? old_->c_str() : nullptr); }
  ThreadConfigOption(const ThreadConfigOption&) = delete;
  ThreadConfigOption& operator=(const ThreadConfigOption&) = delete;

 private:
  const char* key_;
  std::optional<std::string> old_;
};

OGRMultiPolygon* ToOgr(const MultiPolygonView& g, std::vector<OGRRawPoint>* scratch) {
  auto* multi = new OGRMultiPolygon();  // NOLINT(cppcoreguidelines-owning-memory): GDAL takes it
  for (size_t p = 0; p < g.polygon_count(); ++p) {
    const PolygonView polygon = g.polygon(p);
    auto* ogr_polygon = new OGRPolygon();  // NOLINT(cppcoreguidelines-owning-memory)
    for (size_t r = 0; r < polygon.ring_count(); ++r) {
      const RingView ring = polygon.ring(r);
      scratch->resize(ring.size());
      for (size_t k = 0; k < ring.size(); ++k) (*scratch)[k] = OGRRawPoint(ring[k].x, ring[k].y);
      auto* ogr_ring = new OGRLinearRing();  // NOLINT(cppcoreguidelines-owning-memory)
      ogr_ring->setPoints(static_cast<int>(scratch->size()), scratch->data());
      ogr_polygon->addRingDirectly(ogr_ring);
    }
    multi->addGeometryDirectly(ogr_polygon);
  }
  return multi;
}

Status WriteLevel(const Hierarchy& h, size_t level, GDALDataset& dataset, OGRSpatialReference& crs,
                  const std::string& path, const GeoPackageWriteOptions& write_options) {
  const Level& info = h.levels()[level];
  const std::string where = path + ": layer " + info.name;
  CPLStringList options;
  options.SetNameValue("FID", "fid");
  options.SetNameValue("GEOMETRY_NAME", "geom");
  options.SetNameValue("DESCRIPTION", info.label.c_str());
  options.SetNameValue("SPATIAL_INDEX", write_options.spatial_index ? "YES" : "NO");
  internal::GdalErrorCapture errors;
  OGRLayer* layer = dataset.CreateLayer(info.name.c_str(), &crs, wkbMultiPolygon, options.List());
  if (layer == nullptr) return Status::IoError(where + ": cannot create: " + errors.LastFailure());

  const std::span<const std::string> attributes = h.attribute_names(level);
  std::vector<std::string> columns = {"code", "parent", "name"};
  for (const std::string& a : attributes) {
    for (std::string_view reserved : kReserved) {
      if (internal::EqualsIgnoringCase(a, reserved)) {
        return Status::InvalidArgument(where + ": attribute '" + a + "' clashes with the column " +
                                       std::string(reserved));
      }
    }
    columns.push_back(a);
  }
  for (const std::string& column : columns) {
    OGRFieldDefn field(column.c_str(), OFTString);
    if (layer->CreateField(&field) != OGRERR_NONE) {
      return Status::IoError(where + ": cannot create field " + column + ": " +
                             errors.LastFailure());
    }
  }

  if (layer->StartTransaction() != OGRERR_NONE) {
    return Status::IoError(where + ": cannot start a transaction: " + errors.LastFailure());
  }
  OGRFeature feature(layer->GetLayerDefn());
  std::vector<OGRRawPoint> scratch;
  std::string text;
  for (RegionId id : h.regions(level)) {
    feature.SetFID(OGRNullFID);
    const auto set = [&](int i, std::string_view value) {
      text.assign(value);
      feature.SetField(i, text.c_str());
    };
    set(0, h.code(id));
    set(1, h.parent_code(id));
    set(2, h.name(id));
    for (size_t a = 0; a < attributes.size(); ++a) set(static_cast<int>(3 + a), h.attribute(id, a));
    feature.SetGeometryDirectly(ToOgr(h.geometry(id), &scratch));
    if (layer->CreateFeature(&feature) != OGRERR_NONE) {
      const std::string reason = errors.LastFailure();
      (void)layer->RollbackTransaction();
      return Status::IoError(where + ": cannot write region " + std::string(h.code(id)) + ": " +
                             reason);
    }
  }
  if (layer->CommitTransaction() != OGRERR_NONE) {
    return Status::IoError(where + ": cannot commit: " + errors.LastFailure());
  }
  return Status::Ok();
}

}  // namespace

Status WriteGeoPackage(const Hierarchy& hierarchy, const std::string& path,
                       const GeoPackageWriteOptions& options) {
  internal::EnsureGdalRegistered();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (driver == nullptr) return Status::Internal("GDAL has no GPKG driver");
  static std::atomic<unsigned> counter{0};
  const fs::path target(path);
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  TempFile temp(folder / ("." + target.stem().string() + ".tmp-" + std::to_string(::getpid()) +
                          "-" + std::to_string(counter++) + ".gpkg"));
  {
    // The file is private until renamed into place and is fsync'ed as a whole before that, so
    // SQLite's own per-commit syncs buy nothing: a crash leaves only a temporary to discard.
    const ThreadConfigOption no_sync("OGR_SQLITE_SYNCHRONOUS", "OFF");
    const ThreadConfigOption cache("OGR_SQLITE_CACHE", "512");  // MB of page cache while writing
    internal::GdalErrorCapture errors;
    GDALDatasetUniquePtr dataset(
        driver->Create(temp.path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!dataset) {
      return Status::IoError(path + ": cannot create " + temp.path().string() + ": " +
                             errors.LastFailure());
    }
    std::string levels;
    for (const Level& level : hierarchy.levels()) {
      levels += (levels.empty() ? "" : ",") + level.name;
    }
    if (dataset->SetMetadataItem(internal::kWanggeLevelsMetadataItem, levels.c_str()) != CE_None) {
      return Status::IoError(path + ": cannot write metadata: " + errors.LastFailure());
    }
    const std::unique_ptr<OGRSpatialReference> crs = internal::LonLatCrs();
    for (size_t level = 0; level < hierarchy.level_count(); ++level) {
      Status s = WriteLevel(hierarchy, level, *dataset, *crs, path, options);
      if (!s.ok()) return s;
    }
    dataset.reset();  // closes the file: builds the spatial indexes, flushes
    if (std::string failure = errors.LastFailure(); !failure.empty()) {
      return Status::IoError(path + ": writing failed: " + failure);
    }
  }
  Status s = Sync(temp.path(), /*directory=*/false);
  if (!s.ok()) return s;
  std::error_code ec;
  fs::rename(temp.path(), target, ec);
  if (ec) {
    return Status::IoError(path + ": cannot rename the written file into place: " + ec.message());
  }
  temp.Release();
  return Sync(folder, /*directory=*/true);
}

}  // namespace wangge
