// Point location at Putian scale: wangge's PointIndex against the usual recipes measured in the
// same run — a GEOS STRtree of unit envelopes with PreparedGeometry::contains, and a
// Boost.Geometry rtree (packed) with bg::within — on points uniform over the city's bounding box
// and points clustered like a city's reports (dense centres, 10% scattered).
//
//   WANGGE_LOCATE_DATASET=putian.gpkg build-bench/bench/locate/locate_benchmark
//   build-x/bench/locate/locate_benchmark --benchmark_filter=BM_Wangge
//
// Dataset: WANGGE_LOCATE_DATASET (e.g. `wangge synth --scale putian` output) if set, else the
// same synthesized in process (Putian scale, seed 1, from data/putian/districts.geojson under
// WANGGE_SOURCE_DIR or the source tree this was built from; about 30 s of CPU). After the runs it
// prints points/s per benchmark, the ratios against the baselines, the build time and the index's
// memory, and before the runs the build's wall and CPU time (all threads) with 1 and 2 build
// threads, best of WANGGE_LOCATE_BUILD_REPEAT (default 3; 0 skips). Tuning knobs:
// WANGGE_LOCATE_LEAF_EDGES and WANGGE_LOCATE_ROOT_CELLS override PointIndexOptions::max_leaf_edges
// and root_cells_per_edge.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <geos/geom/Coordinate.h>
#include <geos/geom/Envelope.h>
#include <geos/geom/GeometryFactory.h>
#include <geos/geom/Point.h>
#include <geos/geom/prep/PreparedGeometry.h>
#include <geos/geom/prep/PreparedGeometryFactory.h>
#include <geos/index/strtree/TemplateSTRtree.h>

#include "geometry/internal/geos_convert.h"
#include "wangge/load/dataset.h"
#include "wangge/locate/point_index.h"
#include "wangge/synth/synth.h"

namespace wangge {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BgPoint = bg::model::d2::point_xy<double>;
using BgBox = bg::model::box<BgPoint>;
using BgPolygon = bg::model::polygon<BgPoint>;
using BgMultiPolygon = bg::model::multi_polygon<BgPolygon>;

constexpr size_t kPoints = 1 << 20;
constexpr size_t kPerIteration = 256;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct World {
  std::string source;
  std::optional<Dataset> dataset;
  Hierarchy synthetic;
  const Hierarchy* h = nullptr;
  std::vector<RegionId> units;
  PointIndexOptions options;
  std::optional<PointIndex> index;
  double build_seconds = 0;
  std::vector<Point> uniform;
  std::vector<Point> clustered;

  // GEOS baseline.
  geos::geom::GeometryFactory::Ptr factory;
  std::vector<std::unique_ptr<geos::geom::Geometry>> geos_units;
  std::vector<std::unique_ptr<geos::geom::prep::PreparedGeometry>> prepared;
  // query() is not const (it builds lazily); built before any query, so reads only after that.
  mutable geos::index::strtree::TemplateSTRtree<size_t> strtree;
  double geos_build_seconds = 0;

  // Boost.Geometry baseline.
  std::vector<BgMultiPolygon> bg_units;
  std::unique_ptr<bgi::rtree<std::pair<BgBox, size_t>, bgi::quadratic<16>>> rtree;
  double boost_build_seconds = 0;
};

std::vector<Point> ClusteredPoints(const Hierarchy& h, const std::vector<RegionId>& units,
                                   std::mt19937_64& rng) {
  // 40 centres at random units (so they sit where people live), each a Gaussian blob of
  // 300 m – 3 km, plus 10% of points scattered over the bounding box.
  struct Centre {
    Point at;
    double sigma_deg;
  };
  std::vector<Centre> centres;
  std::uniform_int_distribution<size_t> pick(0, units.size() - 1);
  std::uniform_real_distribution<double> sigma_m(300, 3000);
  for (int i = 0; i < 40; ++i) {
    const Box& b = h.bounds(units[pick(rng)]);
    centres.push_back(
        {{0.5 * (b.min_x + b.max_x), 0.5 * (b.min_y + b.max_y)}, sigma_m(rng) / 111000.0});
  }
  const Box& all = h.bounds();
  std::uniform_real_distribution<double> ux(all.min_x, all.max_x), uy(all.min_y, all.max_y);
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<size_t> which(0, centres.size() - 1);
  std::normal_distribution<double> gauss(0, 1);
  std::vector<Point> points;
  points.reserve(kPoints);
  while (points.size() < kPoints) {
    if (unit(rng) < 0.1) {
      points.push_back({ux(rng), uy(rng)});
      continue;
    }
    const Centre& c = centres[which(rng)];
    points.push_back({c.at.x + gauss(rng) * c.sigma_deg / std::cos(c.at.y * M_PI / 180),
                      c.at.y + gauss(rng) * c.sigma_deg});
  }
  return points;
}

World& GetWorld() {
  static World* world = [] {
    auto* w = new World;
    if (const char* path = std::getenv("WANGGE_LOCATE_DATASET")) {
      Result<Dataset> d = LoadDataset(path);
      if (!d.ok()) {
        std::fprintf(stderr, "cannot load %s: %s\n", path, d.status().ToString().c_str());
        std::exit(3);
      }
      w->dataset.emplace(std::move(d).value());
      w->h = &w->dataset->hierarchy;
      w->source = path;
    } else {
      const char* source_dir = std::getenv("WANGGE_SOURCE_DIR");
      SynthOptions synth;
      synth.districts_path = std::string(source_dir ? source_dir : WANGGE_DEFAULT_SOURCE_DIR) +
                             "/data/putian/districts.geojson";
      synth.scale = SynthScale::Putian();
      synth.seed = 1;
      Result<SynthResult> r = Synthesize(synth);
      if (!r.ok()) {
        std::fprintf(stderr, "cannot synthesize: %s\n", r.status().ToString().c_str());
        std::exit(3);
      }
      w->synthetic = std::move(r->hierarchy);
      w->h = &w->synthetic;
      w->source = "synthesized in process: Putian scale, seed 1";
    }
    const Hierarchy& h = *w->h;
    for (RegionId r : h.regions(h.level_count() - 1)) w->units.push_back(r);

    PointIndexOptions& options = w->options;
    if (const char* v = std::getenv("WANGGE_LOCATE_LEAF_EDGES"))
      options.max_leaf_edges = std::stoul(v);
    if (const char* v = std::getenv("WANGGE_LOCATE_ROOT_CELLS"))
      options.root_cells_per_edge = std::stod(v);
    auto start = std::chrono::steady_clock::now();
    Result<PointIndex> index = PointIndex::Build(h, options);
    w->build_seconds = Seconds(start);
    if (!index.ok()) std::exit(3);
    w->index.emplace(std::move(index).value());

    std::mt19937_64 rng(20240611);
    const Box& b = h.bounds();
    std::uniform_real_distribution<double> ux(b.min_x, b.max_x), uy(b.min_y, b.max_y);
    for (size_t i = 0; i < kPoints; ++i) w->uniform.push_back({ux(rng), uy(rng)});
    w->clustered = ClusteredPoints(h, w->units, rng);

    start = std::chrono::steady_clock::now();
    w->factory = geos::geom::GeometryFactory::create();
    for (size_t k = 0; k < w->units.size(); ++k) {
      w->geos_units.push_back(internal::ToGeos(*w->factory, h.geometry(w->units[k])));
      w->prepared.push_back(
          geos::geom::prep::PreparedGeometryFactory::prepare(w->geos_units.back().get()));
      w->strtree.insert(*w->geos_units.back()->getEnvelopeInternal(), k);
    }
    w->strtree.build();
    w->geos_build_seconds = Seconds(start);

    start = std::chrono::steady_clock::now();
    std::vector<std::pair<BgBox, size_t>> boxes;
    for (size_t k = 0; k < w->units.size(); ++k) {
      const MultiPolygonView g = h.geometry(w->units[k]);
      BgMultiPolygon mp;
      for (size_t p = 0; p < g.polygon_count(); ++p) {
        BgPolygon poly;
        const PolygonView pv = g.polygon(p);
        for (size_t r = 0; r < pv.ring_count(); ++r) {
          auto& ring = r == 0 ? poly.outer() : poly.inners().emplace_back();
          for (const Point& pt : pv.ring(r)) ring.push_back(BgPoint(pt.x, pt.y));
        }
        mp.push_back(std::move(poly));
      }
      bg::correct(mp);
      const Box& bb = h.bounds(w->units[k]);
      boxes.push_back({BgBox(BgPoint(bb.min_x, bb.min_y), BgPoint(bb.max_x, bb.max_y)), k});
      w->bg_units.push_back(std::move(mp));
    }
    w->rtree = std::make_unique<bgi::rtree<std::pair<BgBox, size_t>, bgi::quadratic<16>>>(
        boxes.begin(), boxes.end());
    w->boost_build_seconds = Seconds(start);
    return w;
  }();
  return *world;
}

// GEOS: the unit whose prepared geometry contains the point (interior), or SIZE_MAX. One factory
// per thread: GEOS counts references to a factory without atomics.
size_t GeosLocate(const World& w, const geos::geom::GeometryFactory& factory, const Point& p) {
  const std::unique_ptr<geos::geom::Point> point(
      factory.createPoint(geos::geom::Coordinate(p.x, p.y)));
  const geos::geom::Envelope env(p.x, p.x, p.y, p.y);
  size_t found = SIZE_MAX;
  w.strtree.query(env, [&](size_t k) {
    if (w.prepared[k]->contains(point.get())) {
      found = k;
      return false;  // stop
    }
    return true;
  });
  return found;
}

size_t BoostLocate(const World& w, const Point& p) {
  const BgPoint point(p.x, p.y);
  for (auto it = w.rtree->qbegin(bgi::intersects(point)); it != w.rtree->qend(); ++it) {
    if (bg::within(point, w.bg_units[it->second])) return it->second;
  }
  return SIZE_MAX;
}

const std::vector<Point>& Points(const World& w, int64_t which) {
  return which == 0 ? w.uniform : w.clustered;
}

void SetLabel(benchmark::State& state, int64_t which) {
  state.SetLabel(which == 0 ? "uniform" : "clustered");
}

void BM_Wangge(benchmark::State& state) {
  const World& w = GetWorld();
  const std::vector<Point>& points = Points(w, state.range(0));
  size_t i = static_cast<size_t>(state.thread_index()) * (kPoints / 2);
  for (auto _ : state) {
    for (size_t k = 0; k < kPerIteration; ++k) {
      benchmark::DoNotOptimize(w.index->Locate(points[i++ & (kPoints - 1)]));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kPerIteration));
  SetLabel(state, state.range(0));
}

// LocateBatch in blocks of 4096 points, each benchmark thread on its own block: the batch path
// overlaps memory latency across points with prefetches.
void BM_WanggeBatch(benchmark::State& state) {
  const World& w = GetWorld();
  const std::vector<Point>& points = Points(w, state.range(0));
  constexpr size_t kBlock = 4096;
  std::vector<Location> out(kBlock);
  size_t at = static_cast<size_t>(state.thread_index()) * (kPoints / 2);
  for (auto _ : state) {
    at = (at + kBlock) & (kPoints - 1);
    w.index->LocateBatch(std::span<const Point>(points).subspan(at, kBlock), out, {.threads = 1});
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBlock));
  SetLabel(state, state.range(0));
}

void BM_WanggeBatchAllCores(benchmark::State& state) {
  const World& w = GetWorld();
  const std::vector<Point>& points = Points(w, state.range(0));
  std::vector<Location> out(points.size());
  for (auto _ : state) {
    w.index->LocateBatch(points, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(points.size()));
  SetLabel(state, state.range(0));
}

void BM_GeosStrtreePrepared(benchmark::State& state) {
  const World& w = GetWorld();
  const std::vector<Point>& points = Points(w, state.range(0));
  const auto factory = geos::geom::GeometryFactory::create();
  size_t i = static_cast<size_t>(state.thread_index()) * (kPoints / 2);
  for (auto _ : state) {
    for (size_t k = 0; k < kPerIteration; ++k) {
      benchmark::DoNotOptimize(GeosLocate(w, *factory, points[i++ & (kPoints - 1)]));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kPerIteration));
  SetLabel(state, state.range(0));
}

void BM_BoostRtreeWithin(benchmark::State& state) {
  const World& w = GetWorld();
  const std::vector<Point>& points = Points(w, state.range(0));
  size_t i = static_cast<size_t>(state.thread_index()) * (kPoints / 2);
  for (auto _ : state) {
    for (size_t k = 0; k < kPerIteration; ++k) {
      benchmark::DoNotOptimize(BoostLocate(w, points[i++ & (kPoints - 1)]));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kPerIteration));
  SetLabel(state, state.range(0));
}

struct BuildTime {
  double wall_s = 0;
  double cpu_s = 0;
};
double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}
// Builds the index `repeat` times with `threads` build threads; returns the best wall time and
// the process CPU time (all threads) of that run.
BuildTime TimeBuild(const World& w, int threads, int repeat) {
  BuildTime best{1e300, 0};
  for (int i = 0; i < repeat; ++i) {
    const double cpu0 = ProcessCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    PointIndexOptions options = w.options;
    options.threads = threads;
    Result<PointIndex> index = PointIndex::Build(*w.h, options);
    const double wall = Seconds(start);
    const double cpu = ProcessCpuSeconds() - cpu0;
    if (!index.ok()) std::exit(3);
    if (wall < best.wall_s) best = {wall, cpu};
  }
  return best;
}

void BM_Build(benchmark::State& state) {
  const World& w = GetWorld();
  size_t bytes = 0;
  for (auto _ : state) {
    Result<PointIndex> index = PointIndex::Build(*w.h, w.options);
    bytes = index->memory_bytes();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["index_MB"] = static_cast<double>(bytes) / 1e6;
}

BENCHMARK(BM_Wangge)->Arg(0)->Arg(1)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_WanggeBatch)->Arg(0)->Arg(1)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_WanggeBatchAllCores)->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GeosStrtreePrepared)->Arg(0)->Arg(1)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_BoostRtreeWithin)->Arg(0)->Arg(1)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_Build)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

// Collects points/s per run to print the ratios at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      const auto it = run.counters.find("items_per_second");
      if (it != run.counters.end()) rates_[run.benchmark_name()] = it->second;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double Rate(const std::string& name) const {
    const auto it = rates_.find(name);
    return it == rates_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, double> rates_;
};

// Counts how often wangge and GEOS disagree on points GEOS places in a unit's interior.
void CrossCheck(const World& w) {
  size_t checked = 0, disagree = 0;
  for (const std::vector<Point>* points : {&w.uniform, &w.clustered}) {
    for (size_t i = 0; i < points->size(); i += 16) {
      const size_t k = GeosLocate(w, *w.factory, (*points)[i]);
      const Location where = w.index->Locate((*points)[i]);
      ++checked;
      if (k != SIZE_MAX && where.region != w.units[k]) ++disagree;
    }
  }
  std::printf("cross-check: %zu points, %zu disagree with GEOS on interior points\n", checked,
              disagree);
}

}  // namespace
}  // namespace wangge

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const wangge::World& w = wangge::GetWorld();
  std::printf("dataset: %s\n", w.source.c_str());
  std::printf("units: %zu, levels: %zu, regions: %zu\n", w.units.size(), w.h->level_count(),
              w.h->region_count());
  std::printf("%s", w.index->Describe().c_str());
  wangge::CrossCheck(w);
  const char* repeat_env = std::getenv("WANGGE_LOCATE_BUILD_REPEAT");
  const int repeat = repeat_env ? std::atoi(repeat_env) : 3;
  for (int threads : {1, 2}) {
    if (repeat <= 0) break;
    const wangge::BuildTime t = wangge::TimeBuild(w, threads, repeat);
    std::printf("index build, %d thread(s), best of %d: %.3f s wall, %.3f s CPU\n", threads, repeat,
                t.wall_s, t.cpu_s);
  }
  wangge::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  auto rate = [&](const std::string& name) { return reporter.Rate(name); };
  // One call at a time (Locate) and in blocks (LocateBatch, one benchmark thread per core), each
  // against the baselines' one call at a time: neither baseline has a batch path.
  std::printf("\n%-10s %-8s %14s %14s %14s %14s %8s %8s %8s\n", "points", "threads",
              "wangge pts/s", "batch pts/s", "GEOS pts/s", "Boost pts/s", "x GEOS", "batch x",
              "x Boost");
  for (const char* which : {"0", "1"}) {
    for (const char* threads : {"1", "2"}) {
      const std::string suffix = std::string("/") + which + "/real_time/threads:" + threads;
      const double ours = rate("BM_Wangge" + suffix);
      const double batch = rate("BM_WanggeBatch" + suffix);
      const double geos = rate("BM_GeosStrtreePrepared" + suffix);
      const double boost = rate("BM_BoostRtreeWithin" + suffix);
      if (ours == 0 && batch == 0) continue;
      auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
      std::printf("%-10s %-8s %14.0f %14.0f %14.0f %14.0f %8.1f %8.1f %8.1f\n",
                  which[0] == '0' ? "uniform" : "clustered", threads, ours, batch, geos, boost,
                  ratio(ours, geos), ratio(batch, geos), ratio(ours, boost));
    }
  }
  std::printf(
      "\nindex build %.3f s (GEOS STRtree + prepare %.3f s, Boost rtree %.3f s), index "
      "memory %.1f MB\n",
      w.build_seconds, w.geos_build_seconds, w.boost_build_seconds,
      static_cast<double>(w.index->memory_bytes()) / 1e6);
  benchmark::Shutdown();
  return 0;
}
