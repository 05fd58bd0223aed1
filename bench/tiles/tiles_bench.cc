// Tile rendering benchmark: renders every tile of zooms 8..16 (by default) over a Putian-scale
// hierarchy and reports, per zoom and overall, uncached tiles/s and per-tile p50/p99/max on one
// core, tiles/s on all cores, cached tiles/s through TileCache, and — with --postgis — the same
// tiles from PostGIS ST_AsMVT(ST_AsMVTGeom) in the same run (a deterministic sample per zoom),
// with the ratio. Not a test: it asserts nothing.
//
//   scripts/pg-cluster.sh start
//   build/bench/tiles/tiles_bench --dataset putian.gpkg --postgis "$(scripts/pg-cluster.sh url)"
//
// Without --dataset it synthesises the Putian-scale hierarchy in process (wangge/synth/synth.h,
// seed 1, data/putian/districts.geojson relative to the working directory: run from the source
// root), or with --synth lattice a regular lattice of 129,600 units.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/tiles/lattice_hierarchy.h"
#include <libpq-fe.h>
#include <time.h>

#include "wangge/load/dataset.h"
#include "wangge/load/dataset_writer.h"
#include "wangge/synth/synth.h"
#include "wangge/tiles/tile_cache.h"
#include "wangge/tiles/tile_source.h"
#include "wangge/topology/level_topology.h"

namespace wangge {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time of the whole process in s (all threads).
double ProcessCpuS() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// CPU time of the calling thread in ms: unlike wall time, not inflated when other processes
// share the cores.
double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

struct Options {
  std::string dataset;
  std::string synth = "putian";
  std::string districts = "data/putian/districts.geojson";
  uint32_t min_zoom = 8, max_zoom = 16;
  std::string postgis;
  size_t postgis_per_zoom = 60;
  bool topology = false;
  std::string write_gpkg;
};

// ---- PostGIS baseline -------------------------------------------------------------------------

struct PgConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgResultCloser {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultCloser>;

bool Exec(PGconn* c, const std::string& sql) {
  PgResult r(PQexec(c, sql.c_str()));
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::fprintf(stderr, "postgis: %s\n  in: %.200s\n", PQerrorMessage(c), sql.c_str());
    return false;
  }
  return true;
}

void AppendHexWkb(const MultiPolygonView& g, std::string* out) {
  static const char* kHex = "0123456789ABCDEF";
  auto bytes = [&](const void* data, size_t n) {
    const auto* b = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) {
      out->push_back(kHex[b[i] >> 4]);
      out->push_back(kHex[b[i] & 15]);
    }
  };
  auto u32 = [&](uint32_t v) { bytes(&v, 4); };
  const unsigned char little = 1;
  bytes(&little, 1);
  u32(6u | 0x20000000u);  // EWKB MultiPolygon with SRID
  u32(4326);
  u32(static_cast<uint32_t>(g.polygon_count()));
  for (size_t p = 0; p < g.polygon_count(); ++p) {
    const PolygonView polygon = g.polygon(p);
    bytes(&little, 1);
    u32(3);
    u32(static_cast<uint32_t>(polygon.ring_count()));
    for (size_t k = 0; k < polygon.ring_count(); ++k) {
      const RingView ring = polygon.ring(k);
      u32(static_cast<uint32_t>(ring.size()));
      for (const Point& pt : ring) {
        bytes(&pt.x, 8);
        bytes(&pt.y, 8);
      }
    }
  }
}

std::string CopyField(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '\t' || c == '\n' || c == '\r') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// Loads the hierarchy into table wangge_bench_regions (EPSG:3857, one partial GiST index per level,
// label points = TileSource's) unless it already holds the same region count.
bool LoadIntoPostgis(PGconn* c, const Hierarchy& h, const TileSource& tiles) {
  {
    PgResult r(PQexec(c, "SELECT count(*) FROM wangge_bench_regions"));
    if (PQresultStatus(r.get()) == PGRES_TUPLES_OK &&
        std::strtoull(PQgetvalue(r.get(), 0, 0), nullptr, 10) == h.region_count()) {
      std::printf("postgis: reusing table wangge_bench_regions (%zu regions)\n", h.region_count());
      return true;
    }
  }
  const auto start = Clock::now();
  if (!Exec(c, "SET client_min_messages = warning") ||
      !Exec(c, "DROP TABLE IF EXISTS wangge_bench_regions") ||
      !Exec(c,
            "CREATE UNLOGGED TABLE wangge_bench_regions (id bigint, level int, level_name text, "
            "code text, name text, parent text, lon float8, lat float8, g4326 geometry)")) {
    return false;
  }
  {
    PgResult copy(PQexec(c, "COPY wangge_bench_regions FROM STDIN"));
    if (PQresultStatus(copy.get()) != PGRES_COPY_IN) {
      std::fprintf(stderr, "postgis copy: %s\n", PQerrorMessage(c));
      return false;
    }
  }
  std::string buffer;
  for (RegionId r = 0; r < h.region_count(); ++r) {
    const Point label = tiles.label_point(r);
    char numbers[128];
    std::snprintf(numbers, sizeof numbers, "%u\t%zu\t", r + 1, h.level(r));
    buffer += numbers;
    buffer += CopyField(h.levels()[h.level(r)].name) + "\t" + CopyField(h.code(r)) + "\t" +
              CopyField(h.name(r)) + "\t" + CopyField(h.parent_code(r)) + "\t";
    std::snprintf(numbers, sizeof numbers, "%.17g\t%.17g\t", label.x, label.y);
    buffer += numbers;
    AppendHexWkb(h.geometry(r), &buffer);
    buffer += "\n";
    if (buffer.size() > (8u << 20) || r + 1 == h.region_count()) {
      if (PQputCopyData(c, buffer.data(), static_cast<int>(buffer.size())) != 1) return false;
      buffer.clear();
    }
  }
  if (PQputCopyEnd(c, nullptr) != 1) return false;
  PgResult done(PQgetResult(c));
  if (PQresultStatus(done.get()) != PGRES_COMMAND_OK) {
    std::fprintf(stderr, "postgis copy: %s\n", PQerrorMessage(c));
    return false;
  }
  if (!Exec(c,
            "ALTER TABLE wangge_bench_regions ADD COLUMN geom geometry(MultiPolygon, 3857), "
            "ADD COLUMN label geometry(Point, 3857)") ||
      !Exec(c,
            "UPDATE wangge_bench_regions SET geom = ST_Transform(ST_Multi(g4326), 3857), "
            "label = ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 3857)") ||
      !Exec(c, "ALTER TABLE wangge_bench_regions DROP COLUMN g4326")) {
    return false;
  }
  for (size_t level = 0; level < h.level_count(); ++level) {
    const std::string l = std::to_string(level);
    if (!Exec(c, "CREATE INDEX ON wangge_bench_regions USING gist (geom) WHERE level = " + l) ||
        !Exec(c, "CREATE INDEX ON wangge_bench_regions USING gist (label) WHERE level = " + l)) {
      return false;
    }
  }
  if (!Exec(c, "SET client_min_messages = warning") ||
      !Exec(c, "VACUUM ANALYZE wangge_bench_regions")) {
    return false;
  }
  std::printf("postgis: loaded %zu regions in %.1f s\n", h.region_count(),
              std::chrono::duration<double>(Clock::now() - start).count());
  return true;
}

// The same content as TileSource::Render: one layer per level shown at z, plus labels.
std::string TileSql(const Hierarchy& h, const TileSource& tiles, uint32_t z) {
  std::string sql =
      "WITH e AS (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env, "
      "ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS benv) SELECT ''::bytea";
  bool any = false;
  for (size_t level = 0; level < h.level_count(); ++level) {
    const ZoomRange r = tiles.zoom_range(level);
    if (z < r.min_zoom || z > r.max_zoom) continue;
    const std::string l = std::to_string(level);
    any = true;
    sql += " || COALESCE((SELECT ST_AsMVT(q, '" + h.levels()[level].name +
           "', 4096, 'geom', 'id') FROM (SELECT id, code, name, level_name AS level, parent, "
           "ST_AsMVTGeom(geom, e.env, 4096, 64, true) AS geom FROM wangge_bench_regions, e "
           "WHERE level = " +
           l + " AND geom && e.benv) q), ''::bytea)";
  }
  if (!any) return "";
  {
    std::string labels;
    for (size_t level = 0; level < h.level_count(); ++level) {
      const ZoomRange r = tiles.zoom_range(level);
      if (z < r.min_zoom || z > r.max_zoom) continue;
      labels += std::string(labels.empty() ? "" : " UNION ALL ") +
                "SELECT id, code, name, level_name AS level, parent, "
                "ST_AsMVTGeom(label, e.env, 4096, 0, false) AS geom FROM wangge_bench_regions, e "
                "WHERE level = " +
                std::to_string(level) + " AND label && e.env";
    }
    sql += " || COALESCE((SELECT ST_AsMVT(q, 'labels', 4096, 'geom', 'id') FROM (" + labels +
           ") q), ''::bytea)";
  }
  return sql;
}

// ---- main -------------------------------------------------------------------------------------

int Run(const Options& o) {
  std::printf("machine: %u hardware threads\n", std::thread::hardware_concurrency());
  Dataset dataset;
  Hierarchy lattice;
  const Hierarchy* h = nullptr;
  auto t0 = Clock::now();
  if (!o.dataset.empty()) {
    Result<Dataset> d = LoadDataset(o.dataset);
    if (!d.ok()) {
      std::fprintf(stderr, "%s\n", d.status().ToString().c_str());
      return 3;
    }
    dataset = std::move(d).value();
    h = &dataset.hierarchy;
    std::printf("dataset: %s\n", o.dataset.c_str());
  } else if (o.synth == "lattice") {
    // 9 districts, 81 towns, 2,025 communities, 8,100 grids, 129,600 units of 28 vertices.
    lattice = testing::MakeLatticeHierarchy({.lon0 = 118.70,
                                             .lat0 = 25.10,
                                             .cell_deg = 0.0019,
                                             .cells = 360,
                                             .levels = {{"city", 360},
                                                        {"district", 120},
                                                        {"town", 40},
                                                        {"community", 8},
                                                        {"grid", 4},
                                                        {"unit", 1}}});
    h = &lattice;
    std::printf(
        "dataset: synthetic lattice (tests/core/tiles/lattice_hierarchy.h), 360×360 cells\n");
  } else {
    SynthOptions so;
    so.districts_path = o.districts;
    Result<SynthScale> scale = SynthScale::Named(o.synth);
    if (!scale.ok()) {
      std::fprintf(stderr, "%s\n", scale.status().ToString().c_str());
      return 2;
    }
    so.scale = *scale;
    so.seed = 1;
    Result<SynthResult> r = Synthesize(so);
    if (!r.ok()) {
      std::fprintf(stderr, "synth: %s\n", r.status().ToString().c_str());
      return 3;
    }
    lattice = std::move(r->hierarchy);
    h = &lattice;
    std::printf("dataset: Synthesize(--scale %s, seed 1, %s)\n", o.synth.c_str(),
                o.districts.c_str());
  }
  std::printf("loaded %zu regions", h->region_count());
  for (size_t l = 0; l < h->level_count(); ++l) {
    std::printf("%s %s %zu", l ? "," : ":", h->levels()[l].name.c_str(), h->regions(l).size());
  }
  std::printf(" in %.2f s\n", std::chrono::duration<double>(Clock::now() - t0).count());
  if (!o.write_gpkg.empty()) {
    const Status s = WriteGeoPackage(*h, o.write_gpkg);
    std::printf("wrote %s: %s\n", o.write_gpkg.c_str(), s.ToString().c_str());
    return s.ok() ? 0 : 3;
  }

  std::vector<LevelTopology> topology;
  if (o.topology) {
    t0 = Clock::now();
    topology = BuildTopology(*h);
    std::printf("BuildTopology (topology module, all levels): %.2f s\n",
                std::chrono::duration<double>(Clock::now() - t0).count());
  }
  t0 = Clock::now();
  const double cpu0 = ProcessCpuS();
  Result<TileSource> built = TileSource::Build(*h, {}, topology);
  const double build_cpu = ProcessCpuS() - cpu0;
  if (!built.ok()) {
    std::fprintf(stderr, "%s\n", built.status().ToString().c_str());
    return 3;
  }
  const TileSource& tiles = *built;
  std::printf("TileSource::Build: %.2f s wall, %.2f s CPU (all threads)\n",
              std::chrono::duration<double>(Clock::now() - t0).count(), build_cpu);
  // The simplification tables and label points are built on first use; build them all now so
  // that the per-tile figures below time rendering alone.
  t0 = Clock::now();
  const double prepare_cpu0 = ProcessCpuS();
  tiles.Prepare();
  std::printf("TileSource::Prepare (every zoom's tables, label points): %.2f s wall, %.2f s CPU\n",
              std::chrono::duration<double>(Clock::now() - t0).count(),
              ProcessCpuS() - prepare_cpu0);
  for (const std::string& note : tiles.notes()) std::printf("  note: %s\n", note.c_str());

  // Every tile intersecting the data, zoom by zoom.
  std::vector<TileId> all;
  for (uint32_t z = o.min_zoom; z <= o.max_zoom; ++z) {
    const TileRange r = TilesCovering(h->bounds(), z);
    for (uint32_t y = r.min_y; y <= r.max_y; ++y) {
      for (uint32_t x = r.min_x; x <= r.max_x; ++x) all.push_back({z, x, y});
    }
  }
  std::printf("tiles z%u-z%u intersecting the bounds: %zu\n\n", o.min_zoom, o.max_zoom, all.size());

  // 1. Uncached, one core.
  std::vector<double> ms(all.size()), cpu_ms(all.size());
  std::vector<size_t> bytes(all.size());
  t0 = Clock::now();
  for (size_t i = 0; i < all.size(); ++i) {
    const auto s = Clock::now();
    const double c = ThreadCpuMs();
    Result<std::string> mvt = tiles.Render(all[i]);
    cpu_ms[i] = ThreadCpuMs() - c;
    ms[i] = Ms(Clock::now() - s);
    bytes[i] = mvt->size();
  }
  const double one_core_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("uncached, one core (every tile once):\n");
  std::printf(
      "  wall time per tile; in brackets thread CPU time (what the tile costs without other "
      "load on the machine)\n");
  std::printf(
      "  zoom   tiles  non-empty  mean KB   tiles/s   p50 ms   p99 ms   max ms   [cpu p99   "
      "max]\n");
  std::map<uint32_t, std::vector<size_t>> by_zoom;
  for (size_t i = 0; i < all.size(); ++i) by_zoom[all[i].z].push_back(i);
  for (const auto& [z, idx] : by_zoom) {
    std::vector<double> v, vc;
    double sum = 0, kb = 0;
    size_t non_empty = 0;
    for (size_t i : idx) {
      v.push_back(ms[i]);
      vc.push_back(cpu_ms[i]);
      sum += ms[i];
      if (bytes[i]) {
        ++non_empty;
        kb += static_cast<double>(bytes[i]) / 1024;
      }
    }
    std::printf("  %4u %7zu %10zu %8.1f %9.0f %8.3f %8.3f %8.3f   [%7.3f %7.3f]\n", z, idx.size(),
                non_empty, non_empty ? kb / static_cast<double>(non_empty) : 0.0,
                1000.0 * static_cast<double>(idx.size()) / sum, Percentile(v, 0.5),
                Percentile(v, 0.99), Percentile(v, 1.0), Percentile(vc, 0.99), Percentile(vc, 1.0));
  }
  double cpu_sum = 0;
  for (double c : cpu_ms) cpu_sum += c;
  std::printf(
      "  all  %7zu tiles in %.2f s: %.0f tiles/s, p99 %.3f ms, max %.3f ms "
      "[cpu: %.0f tiles/s, p99 %.3f ms, max %.3f ms]\n\n",
      all.size(), one_core_s, static_cast<double>(all.size()) / one_core_s, Percentile(ms, 0.99),
      Percentile(ms, 1.0), 1000.0 * static_cast<double>(all.size()) / cpu_sum,
      Percentile(cpu_ms, 0.99), Percentile(cpu_ms, 1.0));

  // 2. Uncached, all cores.
  {
    const size_t threads = std::max(1u, std::thread::hardware_concurrency());
    std::atomic<size_t> next{0};
    t0 = Clock::now();
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (size_t i = next++; i < all.size(); i = next++) (void)tiles.Render(all[i]);
      });
    }
    for (auto& t : pool) t.join();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("uncached, %zu threads: %.0f tiles/s (%.2f s)\n", threads,
                static_cast<double>(all.size()) / s, s);
  }

  // 3. Cached: TileCache lookups of non-empty tiles, all cores.
  {
    TileCache cache(size_t{512} << 20);
    std::vector<TileId> cached;
    for (size_t i = 0; i < all.size() && cached.size() < 20000; ++i) {
      if (!bytes[i]) continue;
      cache.Put("v", all[i], TileEncoding::kIdentity,
                std::make_shared<const std::string>(*tiles.Render(all[i])));
      cached.push_back(all[i]);
    }
    const size_t threads = std::max(1u, std::thread::hardware_concurrency());
    constexpr size_t kLookups = 2'000'000;
    std::atomic<size_t> hits{0};
    t0 = Clock::now();
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        std::mt19937 rng(static_cast<uint32_t>(t));
        size_t local = 0;
        for (size_t i = 0; i < kLookups / threads; ++i) {
          local +=
              cache.Get("v", cached[rng() % cached.size()], TileEncoding::kIdentity) != nullptr;
        }
        hits += local;
      });
    }
    for (auto& t : pool) t.join();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf(
        "cached (TileCache::Get, %zu distinct tiles, %zu threads): %.0f tiles/s, %zu hits\n\n",
        cached.size(), threads, static_cast<double>(kLookups) / s, hits.load());
  }

  // 4. PostGIS ST_AsMVT on a sample of the same tiles.
  if (!o.postgis.empty()) {
    std::unique_ptr<PGconn, PgConnCloser> c(PQconnectdb(o.postgis.c_str()));
    if (PQstatus(c.get()) != CONNECTION_OK) {
      std::fprintf(stderr, "postgis: %s\n", PQerrorMessage(c.get()));
      return 3;
    }
    if (!LoadIntoPostgis(c.get(), *h, tiles)) return 3;
    std::printf(
        "PostGIS ST_AsMVT vs wangge on the same tiles (non-empty tiles, up to %zu per zoom, "
        "one connection / one core):\n",
        o.postgis_per_zoom);
    std::printf(
        "  zoom  tiles   pg mean   pg p99  ours mean  ours p99   ratio(mean)  ratio(p99)  pg KB  "
        "ours KB\n");
    std::vector<double> all_pg, all_ours;
    for (const auto& [z, idx] : by_zoom) {
      const std::string sql = TileSql(*h, tiles, z);
      if (sql.empty()) continue;
      const std::string name = "tile" + std::to_string(z);
      PgResult prepared(PQprepare(c.get(), name.c_str(), sql.c_str(), 3, nullptr));
      if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
        std::fprintf(stderr, "postgis prepare: %s\n", PQerrorMessage(c.get()));
        return 3;
      }
      std::vector<size_t> sample;
      for (size_t i : idx) {
        if (bytes[i]) sample.push_back(i);
      }
      if (sample.size() > o.postgis_per_zoom) {
        std::vector<size_t> picked;
        for (size_t k = 0; k < o.postgis_per_zoom; ++k) {
          picked.push_back(sample[k * sample.size() / o.postgis_per_zoom]);
        }
        sample = picked;
      }
      std::vector<double> pg, ours;
      double pg_kb = 0, ours_kb = 0;
      for (size_t i : sample) {
        const std::string zs = std::to_string(all[i].z), xs = std::to_string(all[i].x),
                          ys = std::to_string(all[i].y);
        const char* params[] = {zs.c_str(), xs.c_str(), ys.c_str()};
        const auto s = Clock::now();
        PgResult r(PQexecPrepared(c.get(), name.c_str(), 3, params, nullptr, nullptr, 1));
        pg.push_back(Ms(Clock::now() - s));
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
          std::fprintf(stderr, "postgis tile: %s\n", PQerrorMessage(c.get()));
          return 3;
        }
        pg_kb += PQgetlength(r.get(), 0, 0) / 1024.0;
        const auto o0 = Clock::now();  // ours again, at the same moment, for a fair ratio
        (void)tiles.Render(all[i]);
        ours.push_back(Ms(Clock::now() - o0));
        ours_kb += static_cast<double>(bytes[i]) / 1024;
      }
      if (sample.empty()) continue;
      auto mean = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v) s += x;
        return s / static_cast<double>(v.size());
      };
      const double n = static_cast<double>(sample.size());
      std::printf("  %4u %6zu %9.3f %8.3f %10.3f %9.3f %12.1fx %10.1fx %6.1f %8.1f\n", z,
                  sample.size(), mean(pg), Percentile(pg, 0.99), mean(ours), Percentile(ours, 0.99),
                  mean(pg) / mean(ours), Percentile(pg, 0.99) / Percentile(ours, 0.99), pg_kb / n,
                  ours_kb / n);
      all_pg.insert(all_pg.end(), pg.begin(), pg.end());
      all_ours.insert(all_ours.end(), ours.begin(), ours.end());
    }
    double pg_sum = 0, ours_sum = 0;
    for (double x : all_pg) pg_sum += x;
    for (double x : all_ours) ours_sum += x;
    std::printf(
        "  all  %6zu tiles: PostGIS %.1f ms total, wangge %.1f ms total: %.1fx faster "
        "(p99 %.3f vs %.3f ms)\n",
        all_pg.size(), pg_sum, ours_sum, pg_sum / ours_sum, Percentile(all_pg, 0.99),
        Percentile(all_ours, 0.99));
  }
  return 0;
}

}  // namespace
}  // namespace wangge

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  wangge::Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--dataset") {
      o.dataset = value();
    } else if (arg == "--zoom") {
      const std::string z = value();
      if (std::sscanf(z.c_str(), "%u-%u", &o.min_zoom, &o.max_zoom) != 2) std::exit(2);
    } else if (arg == "--postgis") {
      o.postgis = value();
    } else if (arg == "--synth") {
      o.synth = value();
    } else if (arg == "--districts") {
      o.districts = value();
    } else if (arg == "--write-gpkg") {
      o.write_gpkg = value();
    } else if (arg == "--topology") {
      o.topology = true;
    } else if (arg == "--postgis-per-zoom") {
      o.postgis_per_zoom = std::stoul(value());
    } else {
      std::fprintf(stderr,
                   "usage: tiles_bench [--dataset FILE | --synth putian|small|lattice [--districts "
                   "FILE]] [--zoom 8-16] [--topology] [--postgis CONNINFO] "
                   "[--postgis-per-zoom N] [--write-gpkg FILE (write the dataset and exit)]\n");
      return 2;
    }
  }
  return wangge::Run(o);
}
