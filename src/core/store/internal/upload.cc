#include "store/internal/upload.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <stdlib.h>

namespace wangge::internal {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

struct VsiFileCloser {
  void operator()(VSILFILE* f) const { VSIFCloseL(f); }
};

// Copies one archive member to `to`.
Status Extract(const std::string& from, const fs::path& to, const std::string& what) {
  std::unique_ptr<VSILFILE, VsiFileCloser> in(VSIFOpenL(from.c_str(), "rb"));
  if (!in) return Status::DataError(what + ": cannot read the entry");
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  std::unique_ptr<FILE, decltype(&std::fclose)> out(std::fopen(to.c_str(), "wb"), &std::fclose);
  if (!out) return Status::IoError(to.string() + ": cannot create");
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const size_t n = VSIFReadL(buffer.data(), 1, buffer.size(), in.get());
    if (n == 0) break;
    if (std::fwrite(buffer.data(), 1, n, out.get()) != n) {
      return Status::IoError(to.string() + ": cannot write");
    }
  }
  return Status::Ok();
}

bool IsLayerFile(const std::string& ext) {
  return ext == ".gpkg" || ext == ".geojson" || ext == ".json" || ext == ".shp" || ext == ".fgb";
}

// Picks what to load inside the unpacked folder `root`.
std::string Choose(fs::path root) {
  std::error_code ec;
  for (;;) {  // descend through a single top folder, e.g. putian/ inside putian.zip
    std::vector<fs::path> entries;
    for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
      if (e.path().filename() == "__MACOSX") continue;
      entries.push_back(e.path());
    }
    if (entries.size() == 1 && fs::is_directory(entries[0], ec)) {
      root = entries[0];
      continue;
    }
    break;
  }
  std::vector<fs::path> manifests;
  std::vector<fs::path> layers;
  std::vector<fs::path> packages;
  for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
    if (!e.is_regular_file(ec)) continue;
    const std::string ext = Lower(e.path().extension().string());
    if (ext == ".yaml" || ext == ".yml") manifests.push_back(e.path());
    if (IsLayerFile(ext)) layers.push_back(e.path());
    if (ext == ".gpkg") packages.push_back(e.path());
  }
  if (manifests.size() == 1) return manifests[0].string();
  if (packages.size() == 1 && layers.size() == 1) return packages[0].string();
  return root.string();
}

}  // namespace

Upload::~Upload() {
  if (!temp_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(temp_dir_, ec);
  }
}

Upload::Upload(Upload&& other) noexcept
    : load_path_(std::move(other.load_path_)), temp_dir_(std::exchange(other.temp_dir_, {})) {}

Upload& Upload::operator=(Upload&& other) noexcept {
  if (this != &other) {
    if (!temp_dir_.empty()) {
      std::error_code ec;
      fs::remove_all(temp_dir_, ec);
    }
    load_path_ = std::move(other.load_path_);
    temp_dir_ = std::exchange(other.temp_dir_, {});
  }
  return *this;
}

Result<Upload> ResolveUpload(const std::string& source_path) {
  Upload upload;
  std::error_code ec;
  if (Lower(fs::path(source_path).extension().string()) != ".zip" ||
      !fs::is_regular_file(source_path, ec)) {
    upload.load_path_ = source_path;
    return upload;
  }
  const std::string archive = "/vsizip/" + fs::absolute(source_path, ec).string();
  const CPLStringList entries(VSIReadDirRecursive(archive.c_str()));
  if (entries.empty()) return Status::DataError(source_path + ": empty or unreadable .zip archive");

  std::string pattern = (fs::temp_directory_path(ec) / "wangge-upload-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::IoError(pattern + ": cannot create a temporary folder to unpack " + source_path);
  }
  upload.temp_dir_ = pattern;
  for (int i = 0; i < entries.size(); ++i) {
    const std::string name = entries[i];
    const std::string what = source_path + ": entry " + name;
    const fs::path relative = fs::path(name).lexically_normal();
    if (relative.is_absolute() || relative.empty() || *relative.begin() == "..") {
      return Status::DataError(what + ": refused (absolute or outside the archive)");
    }
    const std::string member = archive + "/" + name;
    VSIStatBufL stat;
    if (VSIStatL(member.c_str(), &stat) != 0) return Status::DataError(what + ": cannot stat");
    if (VSI_ISDIR(stat.st_mode)) continue;
    if (Status s = Extract(member, fs::path(pattern) / relative, what); !s.ok()) return s;
  }
  upload.load_path_ = Choose(pattern);
  return upload;
}

}  // namespace wangge::internal
