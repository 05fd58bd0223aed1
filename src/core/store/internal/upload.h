// Uploads the store accepts besides what LoadDataset reads directly: a .zip holding one GeoPackage,
// a YAML manifest with its files, or Shapefiles / GeoJSON / FlatGeobuf files named after the levels
// (optionally inside one top folder). The archive is unpacked (through GDAL's /vsizip/) into a
// private temporary folder, removed when the Upload is destroyed. Internal to the store module.
//
//   Result<internal::Upload> upload = internal::ResolveUpload("putian.zip");
//   Result<Dataset> d = LoadDataset(upload->load_path());
//
// Thread safety: reentrant.
#pragma once

#include <string>

#include "wangge/base/result.h"

namespace wangge::internal {

class Upload {
 public:
  Upload() = default;
  ~Upload();
  Upload(Upload&& other) noexcept;
  Upload& operator=(Upload&& other) noexcept;
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;

  // What to hand to LoadDataset.
  const std::string& load_path() const { return load_path_; }
  // True when load_path() is the caller's own file (not unpacked).
  bool direct() const { return temp_dir_.empty(); }

 private:
  friend Result<Upload> ResolveUpload(const std::string& source_path);
  std::string load_path_;
  std::string temp_dir_;  // removed with its content on destruction; empty when direct()
};

// Returns `source_path` itself unless it is a .zip file, which is unpacked (entries with absolute
// paths or ".." are refused: kDataError). Errors name the archive and the entry.
Result<Upload> ResolveUpload(const std::string& source_path);

}  // namespace wangge::internal
