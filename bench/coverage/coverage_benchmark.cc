// The coverage check at Putian scale (DESIGN.md: all levels, one core, ≤ 2 s, goal 1 s; ≥ 20× the
// usual PostGIS SQL recipe), with the baselines measured in the same run on the same data:
//   - the PostGIS recipe (scripts/postgis-oracle.sh: sibling pairs through ST_Relate '2********'
//     per parent group, parent minus ST_Union of children), loading excluded;
//   - in process, GEOS CoverageUnion of each parent's children compared with the parent by
//     symmetric difference (the cheapest GEOS-based check; it finds gaps and spill-over but not
//     where they are, and no T-junction).
//
//   build-x/bench/coverage/coverage_benchmark [--scale putian|small] [--seed N]
//       [--dataset FILE.gpkg] [--repeat N] [--no-postgis] [--defects N]
//
// Without --dataset the city is synthesised in process (wangge/synth, data/putian/districts.geojson
// found through WANGGE_SOURCE_DIR or the current directory); the time that takes is not counted.
// Prints plain figures (seconds, ratios), then the machine.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryCollection.h>
#include <geos/geom/GeometryFactory.h>
#include <geos/operation/union/CoverageUnion.h>

#include "geometry/internal/geos_convert.h"
#include "wangge/coverage/coverage_validator.h"
#include "wangge/load/dataset.h"
#include "wangge/load/dataset_writer.h"
#include "wangge/synth/synth.h"
#include "wangge/topology/level_topology.h"

namespace wangge {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// CPU seconds used by the process so far: on a shared machine the wall time of a one-thread run
// includes waiting for a core, its CPU time does not.
double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Args {
  std::string scale = "putian";
  uint64_t seed = 1;
  std::string dataset;
  int repeat = 3;
  bool postgis = true;
  size_t defects = 0;
  std::string save;  // write the synthesised city here (GeoPackage) for later --dataset runs
  bool only_check = false;     // just the one-thread check, e.g. under a profiler
  bool only_topology = false;  // just the topology
};

std::filesystem::path SourceDir() {
  const char* dir = std::getenv("WANGGE_SOURCE_DIR");
  return dir ? std::filesystem::path(dir) : std::filesystem::current_path();
}

struct Timing {
  double best_wall = 0, median_wall = 0;
  double best_cpu = 0;  // CPU seconds of the run with the least CPU
};

// Times `repeat` runs of `f`.
template <typename F>
Timing Time(int repeat, F&& f) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < repeat; ++i) {
    const auto start = Clock::now();
    const double cpu_start = CpuSeconds();
    f();
    wall.push_back(Since(start));
    cpu.push_back(CpuSeconds() - cpu_start);
  }
  std::sort(wall.begin(), wall.end());
  return {wall.front(), wall[wall.size() / 2], *std::min_element(cpu.begin(), cpu.end())};
}

// GEOS baseline: per parent, CoverageUnion of the children (general union when that throws)
// and the area of the symmetric difference with the parent. Returns the number of parents
// whose children do not tile them.
size_t GeosBaseline(const Hierarchy& h) {
  auto factory = geos::geom::GeometryFactory::create();
  size_t bad = 0;
  for (size_t level = 1; level < h.level_count(); ++level) {
    for (RegionId parent : h.regions(level - 1)) {
      std::vector<std::unique_ptr<geos::geom::Geometry>> children;
      for (RegionId child : h.children(parent)) {
        children.push_back(internal::ToGeos(*factory, h.geometry(child)));
      }
      auto collection = factory->createGeometryCollection(std::move(children));
      std::unique_ptr<geos::geom::Geometry> merged;
      try {
        merged = geos::operation::geounion::CoverageUnion::Union(collection.get());
      } catch (const std::exception&) {
        try {
          merged = collection->Union();
        } catch (const std::exception&) {
          ++bad;
          continue;
        }
      }
      try {
        auto p = internal::ToGeos(*factory, h.geometry(parent));
        if (p->symDifference(merged.get())->getArea() > 0) ++bad;
      } catch (const std::exception&) {
        ++bad;
      }
    }
  }
  return bad;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

int Main(const Args& args) {
  Hierarchy owned;
  const Hierarchy* h = &owned;
  std::optional<Dataset> dataset;
  const auto start = Clock::now();
  if (!args.dataset.empty()) {
    Result<Dataset> loaded = LoadDataset(args.dataset);
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
      return 3;
    }
    dataset = std::move(loaded).value();
    h = &dataset->hierarchy;
    std::printf("dataset            %s (loaded in %.2f s)\n", args.dataset.c_str(), Since(start));
  } else {
    SynthOptions options;
    options.districts_path = (SourceDir() / "data/putian/districts.geojson").string();
    Result<SynthScale> scale = SynthScale::Named(args.scale);
    if (!scale.ok()) {
      std::fprintf(stderr, "%s\n", scale.status().ToString().c_str());
      return 2;
    }
    options.scale = *scale;
    options.seed = args.seed;
    options.defects_per_kind = args.defects;
    Result<SynthResult> city = Synthesize(options);
    if (!city.ok()) {
      std::fprintf(stderr, "%s\n", city.status().ToString().c_str());
      return 3;
    }
    owned = std::move(city->hierarchy);
    if (!args.save.empty()) {
      Status saved = WriteGeoPackage(owned, args.save);
      if (!saved.ok()) std::fprintf(stderr, "%s\n", saved.ToString().c_str());
    }
    std::printf("dataset            synth --scale %s --seed %llu --defects %zu (built in %.1f s)\n",
                args.scale.c_str(), static_cast<unsigned long long>(args.seed), args.defects,
                Since(start));
  }
  size_t vertices = 0;
  for (RegionId r = 0; r < h->region_count(); ++r) vertices += h->geometry(r).vertex_count();
  std::printf("regions            %zu (", h->region_count());
  for (size_t l = 0; l < h->level_count(); ++l) {
    std::printf("%s%s %zu", l ? ", " : "", h->levels()[l].name.c_str(), h->regions(l).size());
  }
  std::printf("), %zu vertices\n\n", vertices);

  if (args.only_topology) {
    const Timing topo = Time(args.repeat, [&] { BuildTopology(*h, nullptr, 1); });
    std::printf("topology, all levels, 1 thread   wall best %.3f s; CPU %.3f s\n", topo.best_wall,
                topo.best_cpu);
    return 0;
  }
  CoverageOptions one;
  one.threads = 1;
  CoverageReport report;
  const Timing t1 = Time(args.repeat, [&] { report = ValidateCoverage(*h, one); });
  size_t segments = 0;
  for (const LevelCoverage& l : report.levels) segments += l.segment_count;
  std::printf("coverage check, 1 thread       wall best %.3f s, median %.3f s; CPU %.3f s  "
              "(%zu defects, %zu segments)\n",
              t1.best_wall, t1.median_wall, t1.best_cpu, report.defects.size(), segments);
  if (args.only_check) return 0;
  CoverageOptions two;
  two.threads = 2;
  const Timing t2 = Time(args.repeat, [&] { ValidateCoverage(*h, two); });
  std::printf("coverage check, 2 threads      wall best %.3f s, median %.3f s; CPU %.3f s\n",
              t2.best_wall, t2.median_wall, t2.best_cpu);
  CoverageValidator cached(one);
  cached.Validate(*h);
  const Timing warm = Time(args.repeat, [&] { cached.Validate(*h); });
  std::printf("coverage check, 1 thread, validity cached   wall best %.3f s; CPU %.3f s\n",
              warm.best_wall, warm.best_cpu);
  const Timing topo = Time(args.repeat, [&] { BuildTopology(*h, &report, 1); });
  std::printf("topology, all levels, 1 thread              wall best %.3f s; CPU %.3f s\n\n",
              topo.best_wall, topo.best_cpu);

  size_t geos_bad = 0;
  const Timing geos = Time(1, [&] { geos_bad = GeosBaseline(*h); });
  std::printf("baseline GEOS CoverageUnion + symDifference per parent, 1 thread: wall %.1f s, CPU "
              "%.1f s (%zu parents flagged) -> wangge is %.1fx faster (CPU)\n",
              geos.best_wall, geos.best_cpu, geos_bad, geos.best_cpu / t1.best_cpu);

  if (args.postgis) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("wangge-coverage-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string gpkg = (dir / "city.gpkg").string();
    Status written = WriteGeoPackage(*h, gpkg);
    if (!written.ok()) {
      std::fprintf(stderr, "%s\n", written.ToString().c_str());
      return 3;
    }
    const std::string command = (SourceDir() / "scripts/postgis-oracle.sh").string() + " " + gpkg +
                                " " + (dir / "oracle.csv").string() + " " +
                                (dir / "timing.txt").string() + " > " +
                                (dir / "oracle.log").string() + " 2>&1";
    const auto pg_start = Clock::now();
    const int rc = std::system(command.c_str());
    const double pg_total = Since(pg_start);
    std::ifstream timing(dir / "timing.txt");
    std::string line;
    std::getline(timing, line);
    if (rc != 0 || line.rfind("postgis_seconds=", 0) != 0) {
      std::printf("baseline PostGIS recipe: failed (see %s)\n", (dir / "oracle.log").c_str());
    } else {
      const double pg = std::stod(line.substr(16));
      std::printf("baseline PostGIS recipe (ST_Relate pairs + parent minus ST_Union), one backend, "
                  "queries only: wall %.1f s (%.1f s with cluster start and ogr2ogr load) -> "
                  "wangge is %.0fx faster (wall vs wall best), %.0fx (wall vs CPU)\n",
                  pg, pg_total, pg / t1.best_wall, pg / t1.best_cpu);
      std::filesystem::remove_all(dir);
    }
  }
  std::printf("\nmachine            %s, %u hardware threads\n", CpuModel().c_str(),
              std::thread::hardware_concurrency());
  return 0;
}

}  // namespace
}  // namespace wangge

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
  wangge::Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--scale") {
      args.scale = next();
    } else if (a == "--seed") {
      args.seed = std::stoull(next());
    } else if (a == "--dataset") {
      args.dataset = next();
    } else if (a == "--repeat") {
      args.repeat = std::max(1, std::stoi(next()));
    } else if (a == "--no-postgis") {
      args.postgis = false;
    } else if (a == "--only-topology") {
      args.only_topology = true;
    } else if (a == "--only-check") {
      args.only_check = true;
    } else if (a == "--save") {
      args.save = next();
    } else if (a == "--defects") {
      args.defects = std::stoul(next());
    } else {
      std::fprintf(stderr,
                   "usage: %s [--scale putian|small] [--seed N] [--dataset FILE] [--repeat N] "
                   "[--defects N] [--no-postgis] [--save FILE.gpkg] [--only-check] [--only-topology]\n",
                   argv[0]);
      return 2;
    }
  }
  return wangge::Main(args);
}
