#include "load/internal/gdal_util.h"

#include <filesystem>
#include <mutex>
#include <system_error>

#include <cpl_string.h>
#include <gdal.h>

namespace wangge::internal {

void EnsureGdalRegistered() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

GdalErrorCapture::GdalErrorCapture() { CPLPushErrorHandlerEx(&GdalErrorCapture::Handle, this); }

GdalErrorCapture::~GdalErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL GdalErrorCapture::Handle(CPLErr level, CPLErrorNum /*number*/, const char* text) {
  if (level == CE_Debug || level == CE_None) return;
  auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
  if (self != nullptr) self->messages_.push_back({level, text ? text : ""});
}

std::string GdalErrorCapture::LastFailure() const {
  for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
    if (it->level >= CE_Failure) return it->text;
  }
  return "";
}

bool IsGdalConnection(std::string_view path) {
  if (path.starts_with("/vsi")) return true;
  const size_t colon = path.find(':');
  return colon != std::string_view::npos && colon > 1 && path.find('/') > colon;
}

Result<GDALDatasetUniquePtr> OpenVector(const std::string& path,
                                        const std::vector<std::string>& open_options) {
  EnsureGdalRegistered();
  std::error_code ec;
  if (!IsGdalConnection(path) && !std::filesystem::exists(path, ec)) {
    return Status::NotFound(path + ": no such file or folder");
  }
  CPLStringList options;
  for (const std::string& o : open_options) options.AddString(o.c_str());
  GdalErrorCapture errors;
  GDALDatasetUniquePtr dataset(
      GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                        nullptr, options.List(), nullptr));
  if (!dataset) {
    std::string reason = errors.LastFailure();
    if (reason.empty()) reason = "not a vector dataset GDAL can read";
    return Status::IoError(path + ": cannot open: " + reason);
  }
  return dataset;
}

std::string IdentifyVectorDriver(const std::string& path) {
  EnsureGdalRegistered();
  GdalErrorCapture errors;
  GDALDriverH driver = GDALIdentifyDriverEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr);
  return driver ? GDALGetDriverShortName(driver) : "";
}

std::string DescribeCrs(const OGRSpatialReference& crs) {
  const char* name = crs.GetName();
  const char* authority = crs.GetAuthorityName(nullptr);
  const char* code = crs.GetAuthorityCode(nullptr);
  std::string text;
  if (authority && code) text = std::string(authority) + ":" + code;
  if (name && *name) text += text.empty() ? std::string(name) : " (" + std::string(name) + ")";
  return text.empty() ? "unnamed CRS" : text;
}

std::unique_ptr<OGRSpatialReference> LonLatCrs() {
  auto crs = std::make_unique<OGRSpatialReference>();
  crs->importFromEPSG(4490);
  crs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return crs;
}

bool IsLonLat(const OGRSpatialReference& crs) {
  if (!crs.IsGeographic() || crs.IsCompound() || crs.GetAxesCount() != 2) return false;
  // The data must present easting (longitude) first, as the traditional GIS order does.
  OGRSpatialReference traditional(crs);
  traditional.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  if (traditional.GetDataAxisToSRSAxisMapping() != crs.GetDataAxisToSRSAxisMapping()) return false;
  const char* const options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                                 "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
  for (int epsg : {4490, 4326}) {
    OGRSpatialReference known;
    if (known.importFromEPSG(epsg) == OGRERR_NONE && crs.IsSame(&known, options)) return true;
  }
  return false;
}

std::string LayerNames(GDALDataset& dataset) {
  std::string names;
  for (OGRLayer* layer : dataset.GetLayers()) {
    if (!names.empty()) names += ", ";
    names += layer->GetName();
  }
  return names.empty() ? "none" : names;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  const auto lower = [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  };
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace wangge::internal
