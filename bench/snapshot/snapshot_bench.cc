// Readiness benchmark: how long "load + build all indexes" takes (DESIGN.md: ≤ 3 s, peak RSS
// ≤ 1 GB on the Putian-scale dataset), part by part. One round loads the dataset and builds its
// snapshot twice: first each part on its own with one thread, one after the other (the baseline),
// then BuildSnapshot as the server does (all cores, parts side by side). Prints wall and process
// CPU time per part and the ratio baseline / BuildSnapshot. Not a test: it asserts nothing.
//
//   build/bench/snapshot/snapshot_bench --dataset putian.gpkg [--rounds 3]
//
// "tiles + all zooms" also renders one tile per zoom 0..16, which builds every zoom's
// simplification (what the first tile of each zoom pays when the snapshot was built without it).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <time.h>

#include "wangge/coverage/coverage_validator.h"
#include "wangge/load/dataset.h"
#include "wangge/locate/point_index.h"
#include "wangge/snapshot/box_index.h"
#include "wangge/snapshot/snapshot.h"
#include "wangge/tiles/tile_id.h"
#include "wangge/tiles/tile_source.h"

namespace wangge {
namespace {

using Clock = std::chrono::steady_clock;

double ProcessCpuS() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

struct Timing {
  double wall_s = 0;
  double cpu_s = 0;
};

// Runs f() and returns its wall and process CPU time.
template <typename F>
Timing Time(F&& f) {
  const double cpu0 = ProcessCpuS();
  const Clock::time_point t0 = Clock::now();
  f();
  return {std::chrono::duration<double>(Clock::now() - t0).count(), ProcessCpuS() - cpu0};
}

void Print(const char* what, const Timing& t) {
  std::printf("  %-28s %7.3f s wall %7.3f s CPU\n", what, t.wall_s, t.cpu_s);
}

[[noreturn]] void Fail(const Status& s) {
  std::fprintf(stderr, "snapshot_bench: %s\n", s.ToString().c_str());
  std::exit(1);
}

Dataset Load(const std::string& path, Timing* t) {
  Result<Dataset> d = Status::Internal("not loaded");
  *t = Time([&] { d = LoadDataset(path); });
  if (!d.ok()) Fail(d.status());
  return std::move(d).value();
}

// Renders one tile per zoom at the centre of `bounds`: builds what each zoom needs.
void TouchEveryZoom(const TileSource& tiles) {
  const Box& b = tiles.bounds();
  const Point centre{(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2};
  for (uint32_t z = 0; z <= 16; ++z) {
    const TileRange r = TilesCovering(Box{centre.x, centre.y, centre.x, centre.y}, z);
    if (!tiles.Render(z, r.min_x, r.min_y).ok()) Fail(Status::Internal("render failed"));
  }
}

int Main(int argc, char** argv) {
  std::string path;
  int rounds = 1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--dataset") && i + 1 < argc) {
      path = argv[++i];
    } else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: snapshot_bench --dataset PATH [--rounds N]\n");
      return 2;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: snapshot_bench --dataset PATH [--rounds N]\n");
    return 2;
  }
  std::vector<double> baseline_walls, parallel_walls, ready_walls;
  for (int round = 0; round < rounds; ++round) {
    std::printf("round %d\n baseline: each part alone, one thread\n", round + 1);
    Timing load;
    Dataset dataset = Load(path, &load);
    const Hierarchy& h = dataset.hierarchy;
    Print("load", load);
    Timing sum = load;
    auto add = [&](const char* what, const Timing& t) {
      Print(what, t);
      sum.wall_s += t.wall_s;
      sum.cpu_s += t.cpu_s;
    };
    std::string fingerprint;
    add("fingerprint", Time([&] { fingerprint = Fingerprint(h); }));
    add("locate (PointIndex)", Time([&] {
          PointIndexOptions o;
          o.threads = 1;
          if (!PointIndex::Build(h, o).ok()) Fail(Status::Internal("PointIndex::Build failed"));
        }));
    add("boxes (BoxIndex per level)", Time([&] {
          std::vector<Box> boxes;
          for (size_t level = 0; level < h.level_count(); ++level) {
            boxes.clear();
            for (RegionId id : h.regions(level)) boxes.push_back(h.bounds(id));
            BoxIndex index = BoxIndex::Build(boxes);
          }
        }));
    {
      Result<TileSource> tiles = Status::Internal("not built");
      add("tiles (TileSource::Build)", Time([&] { tiles = TileSource::Build(h); }));
      if (!tiles.ok()) Fail(tiles.status());
      Print("(tiles: first tile per zoom)", Time([&] { TouchEveryZoom(*tiles); }));
    }
    add("coverage (one thread)", Time([&] {
          CoverageOptions o;
          o.threads = 1;
          CoverageReport report = ValidateCoverage(h, o);
        }));
    Print("= sequential load + build", sum);
    baseline_walls.push_back(sum.wall_s);

    std::printf(" BuildSnapshot (all cores)\n");
    Timing load2;
    Dataset again = Load(path, &load2);
    Print("load", load2);
    std::shared_ptr<const Snapshot> snapshot;
    const Timing build = Time([&] {
      Result<std::shared_ptr<const Snapshot>> s = BuildSnapshot(std::move(again));
      if (!s.ok()) Fail(s.status());
      snapshot = std::move(s).value();
    });
    Print("BuildSnapshot", build);
    const Timing total{load2.wall_s + build.wall_s, load2.cpu_s + build.cpu_s};
    Print("= load + BuildSnapshot", total);
    Print("(tiles: first tile per zoom)", Time([&] { TouchEveryZoom(snapshot->tile_source()); }));
    if (snapshot->fingerprint != fingerprint) Fail(Status::Internal("fingerprints differ"));
    parallel_walls.push_back(total.wall_s);
    snapshot.reset();

    Timing load3;
    Dataset third = Load(path, &load3);
    SnapshotOptions locate_only;
    locate_only.build_tiles = false;
    locate_only.check_coverage = false;
    const Timing lean = Time([&] {
      if (!BuildSnapshot(std::move(third), locate_only).ok()) Fail(Status::Internal("build"));
    });
    Print("locate-only BuildSnapshot", lean);
    ready_walls.push_back(load3.wall_s + lean.wall_s);
  }
  std::sort(baseline_walls.begin(), baseline_walls.end());
  std::sort(parallel_walls.begin(), parallel_walls.end());
  std::sort(ready_walls.begin(), ready_walls.end());
  const double base = baseline_walls[baseline_walls.size() / 2];
  const double par = parallel_walls[parallel_walls.size() / 2];
  std::printf(
      "median of %d: load + build all indexes %.3f s wall (target <= 3 s); sequential baseline "
      "%.3f s; ratio %.2fx; locate-only load + build %.3f s; peak RSS of this process %.0f MB\n",
      rounds, par, base, base / par, ready_walls[ready_walls.size() / 2], PeakRssMb());
  return 0;
}

}  // namespace
}  // namespace wangge

int main(int argc, char** argv) { return wangge::Main(argc, argv); }
