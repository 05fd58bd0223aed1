// Publish latency (issue 7, "upload → live"): how long a Putian-scale upload takes to become the
// live version of a VersionStore, part by part. Per round, on a fresh store:
//   baseline        LoadDataset + ValidateCoverage: the least any checked publish must do;
//   WriteGeoPackage the normalising rewrite alone (the dataset already loaded), with and without
//                   the R-tree spatial index (the store writes drafts without);
//   CreateDraft     from the GeoPackage itself (default layout: copied verbatim) and from a YAML
//                   manifest naming the same file (not verbatim: rewritten with WriteGeoPackage);
//   Publish         draft → live (hard link + version record + state.json commit).
// Prints wall times and the ratio (CreateDraft + Publish) / baseline. Not a test: asserts nothing.
//
//   build/bench/store/publish_bench --dataset putian.gpkg [--rounds 3]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "wangge/coverage/coverage_validator.h"
#include "wangge/load/dataset.h"
#include "wangge/load/dataset_writer.h"
#include "wangge/store/version_store.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

template <typename F>
double Seconds(F&& f) {
  const Clock::time_point t0 = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

bool Check(const wangge::Status& s, const char* what) {
  if (s.ok()) return true;
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dataset;
  int rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--dataset") == 0) dataset = argv[i + 1];
    if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::atoi(argv[i + 1]);
  }
  if (dataset.empty()) {
    std::fprintf(stderr, "usage: publish_bench --dataset FILE.gpkg [--rounds N]\n");
    return 2;
  }
  dataset = fs::absolute(dataset).string();
  const fs::path work =
      fs::temp_directory_path() / ("wangge-publish-bench-" + std::to_string(::getpid()));
  fs::create_directories(work);
  const std::string manifest = (work / "manifest.yaml").string();
  {
    wangge::Result<wangge::Dataset> d = wangge::LoadDataset(dataset);
    if (!d.ok()) return Check(d.status(), "load"), 3;
    std::ofstream m(manifest);
    m << "source: " << dataset << "\nlevels:\n";
    for (const wangge::Level& l : d->hierarchy.levels()) m << "  - name: " << l.name << "\n";
  }
  for (int round = 0; round < rounds; ++round) {
    size_t regions = 0;
    wangge::Dataset loaded;
    const double baseline = Seconds([&] {
      wangge::Result<wangge::Dataset> d = wangge::LoadDataset(dataset);
      if (!d.ok()) return;
      regions = d->hierarchy.region_count();
      wangge::CoverageReport r = wangge::ValidateCoverage(d->hierarchy);
      loaded = std::move(d).value();
    });
    const double write = Seconds([&] {
      Check(wangge::WriteGeoPackage(loaded.hierarchy, (work / "rewrite.gpkg").string()), "write");
    });
    const double write_no_index = Seconds([&] {
      Check(wangge::WriteGeoPackage(loaded.hierarchy, (work / "rewrite.gpkg").string(),
                                    {.spatial_index = false}),
            "write");
    });
    fs::remove_all(work / "store");
    auto store = wangge::VersionStore::Open((work / "store").string());
    if (!store.ok()) return Check(store.status(), "open"), 3;
    const wangge::PublishRequest request{{"bench", ""}, true, "benchmark"};
    for (const std::string& source : {dataset, manifest}) {
      wangge::Result<wangge::DraftInfo> draft = wangge::Status::Internal("not run");
      const double create = Seconds([&] { draft = (*store)->CreateDraft(source, {"bench", ""}); });
      if (!draft.ok()) return Check(draft.status(), "create draft"), 3;
      wangge::Result<wangge::VersionInfo> v = wangge::Status::Internal("not run");
      const double publish = Seconds([&] { v = (*store)->Publish(draft->id, request); });
      if (!v.ok()) return Check(v.status(), "publish"), 3;
      std::printf(
          "round %d %-9s %zu regions: CreateDraft %.2f s + Publish %.3f s = %.2f s upload->live; "
          "baseline load+check %.2f s (ratio %.2f); WriteGeoPackage alone %.2f s, without "
          "spatial index %.2f s\n",
          round, source == dataset ? "gpkg" : "manifest", regions, create, publish,
          create + publish, baseline, (create + publish) / baseline, write, write_no_index);
    }
  }
  fs::remove_all(work);
  return 0;
}
