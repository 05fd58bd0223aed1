#include "wangge/load/dataset.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <new>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "load/internal/gdal_util.h"
#include "load/internal/layer_reader.h"
#include "wangge/hierarchy/hierarchy_builder.h"
#include "wangge/hierarchy/level.h"
#include "wangge/load/manifest.h"

namespace wangge {

std::string LoadIssue::ToString() const {
  std::string s = severity == Severity::kError ? "error: " : "warning: ";
  s += file;
  if (!layer.empty()) s += " layer " + layer;
  if (feature_id >= 0) s += " feature " + std::to_string(feature_id);
  if (!code.empty()) s += " (code " + code + ")";
  return s + ": " + message;
}

size_t Dataset::error_count() const {
  return static_cast<size_t>(std::count_if(issues.begin(), issues.end(), [](const LoadIssue& i) {
    return i.severity == LoadIssue::Severity::kError;
  }));
}

size_t Dataset::warning_count() const { return issues.size() - error_count(); }

namespace {

namespace fs = std::filesystem;
using internal::LayerJob;
using internal::LayerResult;

// The file extensions a folder dataset may hold, one file per layer.
constexpr std::string_view kLayerFileExtensions[] = {".gpkg", ".geojson", ".json", ".shp", ".fgb"};

std::string Lower(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

bool IsLayerFile(const fs::path& p) {
  const std::string ext = Lower(p.extension().string());
  return std::find(std::begin(kLayerFileExtensions), std::end(kLayerFileExtensions), ext) !=
         std::end(kLayerFileExtensions);
}

struct Plan {
  std::vector<Level> levels;
  std::vector<LayerJob> jobs;  // one per level
  std::vector<LoadIssue> issues;
};

LayerJob MakeJob(size_t level, const std::string& level_name, std::string file) {
  LayerJob job;
  job.level = level;
  job.level_name = level_name;
  job.file = std::move(file);
  job.layer = level_name;
  job.parent_optional = level == 0;
  return job;
}

// Returns the files in `folder` holding `layer` (e.g. folder/grid.shp): exact name first, then
// ignoring case.
Result<std::vector<fs::path>> LayerFiles(const std::string& folder, std::string_view layer) {
  std::vector<fs::path> exact, folded;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
    if (!entry.is_regular_file(ec) || !IsLayerFile(entry.path())) continue;
    const std::string stem = entry.path().stem().string();
    if (stem == layer) {
      exact.push_back(entry.path());
    } else if (Lower(stem) == Lower(std::string(layer))) {
      folded.push_back(entry.path());
    }
  }
  if (ec) return Status::IoError(folder + ": cannot list the folder: " + ec.message());
  std::vector<fs::path>& found = exact.empty() ? folded : exact;
  std::sort(found.begin(), found.end());
  return std::move(found);
}

// Resolves `layer` in a folder source to the one file holding it.
Result<std::string> LayerFile(const std::string& folder, const std::string& layer,
                              std::string_view level) {
  Result<std::vector<fs::path>> files = LayerFiles(folder, layer);
  if (!files.ok()) return files.status();
  if (files->empty()) {
    std::string tried;
    for (std::string_view ext : kLayerFileExtensions) {
      tried += (tried.empty() ? "" : ", ") + layer + std::string(ext);
    }
    return Status::NotFound(folder + ": no file for level " + std::string(level) + " (looked for " +
                            tried + ")");
  }
  if (files->size() > 1) {
    return Status::DataError(folder + ": level " + std::string(level) +
                             " has more than one file: " + (*files)[0].filename().string() + ", " +
                             (*files)[1].filename().string());
  }
  return (*files)[0].string();
}

Result<Plan> PlanFromManifest(const std::string& path) {
  Result<Manifest> manifest = ReadManifest(path);
  if (!manifest.ok()) return manifest.status();
  Plan plan;
  for (const ManifestLevel& m : manifest->levels) {
    const size_t level = plan.levels.size();
    plan.levels.push_back({m.name, m.label});
    const std::string layer = m.layer.empty() ? m.name : m.layer;
    std::error_code ec;
    std::string file = m.source;
    if (fs::is_directory(m.source, ec)) {
      Result<std::string> f = LayerFile(m.source, layer, m.name);
      if (!f.ok()) return f.status().WithContext(path);
      file = *f;
    }
    LayerJob job = MakeJob(level, m.name, std::move(file));
    job.layer = layer;
    job.layer_given = !m.layer.empty();
    job.fields = m.fields;
    job.parent_optional = false;
    job.crs = m.crs;
    job.encoding = m.encoding;
    plan.jobs.push_back(std::move(job));
  }
  return plan;
}

std::string DefaultLevelNames() {
  std::string names;
  for (const Level& l : DefaultLevels()) names += (names.empty() ? "" : ", ") + l.name;
  return names;
}

Result<Plan> PlanFromFolder(const std::string& path) {
  Plan plan;
  std::vector<fs::path> used;
  for (const Level& level : DefaultLevels()) {
    Result<std::vector<fs::path>> files = LayerFiles(path, level.name);
    if (!files.ok()) return files.status();
    if (files->empty()) continue;
    Result<std::string> file = LayerFile(path, level.name, level.name);
    if (!file.ok()) return file.status();
    used.insert(used.end(), files->begin(), files->end());
    LayerJob job = MakeJob(plan.levels.size(), level.name, *file);
    job.layer_given = false;  // a file holding one layer: whatever its layer is called
    plan.levels.push_back(level);
    plan.jobs.push_back(std::move(job));
  }
  std::vector<std::string> others;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
    if (!entry.is_regular_file(ec) || !IsLayerFile(entry.path())) continue;
    if (std::find(used.begin(), used.end(), entry.path()) == used.end()) {
      others.push_back(entry.path().filename().string());
    }
  }
  std::sort(others.begin(), others.end());
  if (plan.jobs.empty()) {
    std::string found;
    for (const std::string& o : others) found += (found.empty() ? "" : ", ") + o;
    return Status::DataError(
        path + ": no file named after a level (" + DefaultLevelNames() +
        ", as .gpkg, .geojson, .json, .shp or .fgb); found: " + (found.empty() ? "none" : found) +
        ". Map other names with a YAML manifest (see wangge/load/manifest.h)");
  }
  for (const std::string& o : others) {
    plan.issues.push_back({LoadIssue::Severity::kWarning, path + "/" + o, "", -1, "",
                           "not named after a level (" + DefaultLevelNames() + "); ignored"});
  }
  return plan;
}

Result<Plan> PlanFromFile(const std::string& path) {
  Result<GDALDatasetUniquePtr> opened = internal::OpenVector(path);
  if (!opened.ok()) return opened.status();
  GDALDataset& dataset = **opened;
  Plan plan;
  std::vector<std::string> used;
  // A dataset written by WriteGeoPackage declares its levels; labels are the layer descriptions.
  const char* declared = dataset.GetMetadataItem(internal::kWanggeLevelsMetadataItem);
  if (declared != nullptr && *declared != '\0') {
    std::string_view rest = declared;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string name(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      OGRLayer* layer = dataset.GetLayerByName(name.c_str());
      if (layer == nullptr) {
        return Status::DataError(
            path + ": declares level " + name +
            " but has no such layer (layers: " + internal::LayerNames(dataset) + ")");
      }
      const char* label = layer->GetMetadataItem("DESCRIPTION");
      plan.jobs.push_back(MakeJob(plan.levels.size(), name, path));
      plan.jobs.back().layer_given = true;
      plan.levels.push_back({name, label ? label : ""});
      used.emplace_back(layer->GetName());
    }
  } else {
    for (const Level& level : DefaultLevels()) {
      OGRLayer* layer = dataset.GetLayerByName(level.name.c_str());
      if (layer == nullptr) continue;
      plan.jobs.push_back(MakeJob(plan.levels.size(), level.name, path));
      plan.jobs.back().layer = layer->GetName();
      plan.jobs.back().layer_given = true;
      plan.levels.push_back(level);
      used.emplace_back(layer->GetName());
    }
  }
  if (plan.jobs.empty()) {
    return Status::DataError(path + ": no layer named after a level (" + DefaultLevelNames() +
                             "); layers: " + internal::LayerNames(dataset) +
                             ". Map other names with a YAML manifest (see wangge/load/manifest.h)");
  }
  for (OGRLayer* layer : dataset.GetLayers()) {
    if (std::find(used.begin(), used.end(), layer->GetName()) != used.end()) continue;
    plan.issues.push_back(
        {LoadIssue::Severity::kWarning, path, layer->GetName(), -1, "", "not a level; ignored"});
  }
  return plan;
}

Result<Plan> MakePlan(const std::string& path) {
  const std::string ext = Lower(fs::path(path).extension().string());
  if (ext == ".yaml" || ext == ".yml") return PlanFromManifest(path);
  if (internal::IsGdalConnection(path)) return PlanFromFile(path);
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file or folder");
  if (fs::is_directory(path, ec)) return PlanFromFolder(path);
  return PlanFromFile(path);
}

// Reads every layer, several at a time, each thread with its own GDAL handles.
std::vector<LayerResult> ReadLayers(const std::vector<LayerJob>& jobs) {
  std::vector<LayerResult> results(jobs.size());
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t k = next++; k < jobs.size(); k = next++) {
      const size_t i = jobs.size() - 1 - k;  // finest (usually largest) levels first
      try {
        results[i] = internal::ReadLayer(jobs[i]);
      } catch (const std::bad_alloc&) {
        results[i].status = Status::ResourceExhausted(jobs[i].file + ": out of memory");
      } catch (const std::exception& e) {
        results[i].status = Status::Internal(jobs[i].file + ": " + e.what());
      }
    }
  };
  const size_t threads =
      std::min<size_t>(jobs.size(), std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::jthread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  return results;
}

}  // namespace

Result<Dataset> LoadDataset(const std::string& path) {
  internal::EnsureGdalRegistered();
  Result<Plan> plan = MakePlan(path);
  if (!plan.ok()) return plan.status();
  std::vector<LayerResult> results = ReadLayers(plan->jobs);

  Dataset dataset;
  dataset.source = path;
  dataset.issues = std::move(plan->issues);
  HierarchyBuilder builder(plan->levels);
  for (size_t level = 0; level < results.size(); ++level) {
    LayerResult& r = results[level];
    if (!r.status.ok()) return r.status;
    builder.SetAttributeNames(level, std::move(r.attribute_names));
    for (RegionInput& region : r.regions) builder.Add(std::move(region));
    r.regions = {};
    dataset.layers.push_back(std::move(r.info));
    std::move(r.issues.begin(), r.issues.end(), std::back_inserter(dataset.issues));
  }
  std::vector<HierarchyIssue> model_issues;
  dataset.hierarchy = std::move(builder).Build(&model_issues);
  const Hierarchy& h = dataset.hierarchy;
  for (const HierarchyIssue& issue : model_issues) {
    const LayerInfo& info = dataset.layers[h.level(issue.region)];
    dataset.issues.push_back({LoadIssue::Severity::kWarning, info.file, info.layer,
                              h.feature_id(issue.region), std::string(h.code(issue.region)),
                              issue.message});
  }
  return dataset;
}

}  // namespace wangge
