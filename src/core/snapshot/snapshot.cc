#include "wangge/snapshot/snapshot.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "wangge/coverage/coverage_validator.h"
#include "wangge/geometry/ring_contains.h"

namespace wangge {
namespace {

// 64-bit FNV-1a over bytes; stable across platforms of the same endianness.
class Fnv1a {
 public:
  void Add(const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) {
      hash_ = (hash_ ^ bytes[i]) * 1099511628211ull;
    }
  }
  void Add(std::string_view text) {
    Add(text.data(), text.size());
    const char separator = '\0';
    Add(&separator, 1);
  }
  uint64_t hash() const { return hash_; }

 private:
  uint64_t hash_ = 14695981039346656037ull;
};

// Returns true if the closed segment ab meets the closed box (Liang–Barsky clipping).
bool SegmentMeetsBox(const Point& a, const Point& b, const Box& box) {
  double t0 = 0;
  double t1 = 1;
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  // Each pair is (p, q) of the inequality t * p <= q for one side of the box.
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.x - box.min_x, box.max_x - a.x, a.y - box.min_y, box.max_y - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;  // parallel to this side and outside it
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) {
      t0 = std::max(t0, t);
    } else {
      t1 = std::min(t1, t);
    }
    if (t0 > t1) return false;
  }
  return true;
}

// Returns true if the closed region of `geometry` meets the closed box: an edge meets the box, or
// the box lies wholly inside one polygon.
bool GeometryMeetsBox(const MultiPolygonView& geometry, const Box& box) {
  for (size_t r = 0; r < geometry.ring_count(); ++r) {
    const RingView ring = geometry.ring(r);
    for (size_t i = 1; i < ring.size(); ++i) {
      if (SegmentMeetsBox(ring[i - 1], ring[i], box)) return true;
    }
  }
  const Point centre{(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2};
  for (size_t k = 0; k < geometry.polygon_count(); ++k) {
    if (PolygonContains(geometry.polygon(k), centre)) return true;
  }
  return false;
}

}  // namespace

std::vector<RegionId> Snapshot::RegionsIntersecting(size_t level, const Box& query) const {
  std::vector<RegionId> out;
  if (query.empty()) return out;
  const Hierarchy& h = hierarchy();
  const RegionId first = h.regions(level).first;
  std::vector<uint32_t> candidates;
  level_boxes[level].Query(query, &candidates);
  out.reserve(candidates.size());
  for (uint32_t item : candidates) {
    const RegionId id = first + item;
    const Box& b = h.bounds(id);
    const bool box_inside_query = b.min_x >= query.min_x && b.max_x <= query.max_x &&
                                  b.min_y >= query.min_y && b.max_y <= query.max_y;
    if (box_inside_query || GeometryMeetsBox(h.geometry(id), query)) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Fingerprint(const Hierarchy& h) {
  Fnv1a fnv;
  for (const Level& level : h.levels()) {
    fnv.Add(level.name);
    fnv.Add(level.label);
  }
  for (RegionId id = 0; id < h.region_count(); ++id) {
    fnv.Add(h.code(id));
    fnv.Add(h.parent_code(id));
    fnv.Add(h.name(id));
    for (size_t a = 0; a < h.attribute_names(h.level(id)).size(); ++a) fnv.Add(h.attribute(id, a));
    const MultiPolygonView g = h.geometry(id);
    fnv.Add(g.points().data(), g.points().size_bytes());
    fnv.Add(g.ring_ends().data(), g.ring_ends().size_bytes());
    fnv.Add(g.polygon_ends().data(), g.polygon_ends().size_bytes());
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(fnv.hash()));
  return text;
}

Result<std::shared_ptr<const Snapshot>> BuildSnapshot(Dataset dataset,
                                                      const SnapshotOptions& options) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->dataset = std::move(dataset);
  // From here on the hierarchy stays where it is: the indexes point into it.
  const Hierarchy& h = snapshot->dataset.hierarchy;

  // The parts are independent of each other: they run side by side, each writing only its own
  // result, and each part's result does not depend on how many threads built it.
  Status locator_status, tiles_status;
  const auto locate = [&] {
    PointIndexOptions point_options;
    point_options.threads = options.threads;
    Result<PointIndex> locator = PointIndex::Build(h, point_options);
    if (!locator.ok()) {
      locator_status = locator.status().WithContext("snapshot");
      return;
    }
    snapshot->locator.emplace(std::move(locator).value());
  };
  const auto coverage = [&] {
    if (!options.check_coverage) return;
    CoverageOptions coverage_options = options.coverage;
    if (options.threads > 0) coverage_options.threads = options.threads;
    snapshot->coverage = ValidateCoverage(h, coverage_options);
  };
  const auto tiles = [&] {
    if (!options.build_tiles) return;
    Result<TileSource> built = TileSource::Build(h, options.tiles);
    if (!built.ok()) {
      tiles_status = built.status().WithContext("snapshot tiles");
      return;
    }
    snapshot->tiles.emplace(std::move(built).value());
  };
  const auto small_parts = [&] {
    snapshot->fingerprint = Fingerprint(h);
    std::vector<Box> boxes;
    snapshot->level_boxes.reserve(h.level_count());
    for (size_t level = 0; level < h.level_count(); ++level) {
      boxes.clear();
      for (RegionId id : h.regions(level)) boxes.push_back(h.bounds(id));
      snapshot->level_boxes.push_back(BoxIndex::Build(boxes));
    }
  };
  if (options.threads == 1) {
    locate();
    coverage();
    tiles();
    small_parts();
  } else {
    oneapi::tbb::task_arena arena(options.threads > 0 ? options.threads
                                                      : oneapi::tbb::task_arena::automatic);
    arena.execute([&] {
      oneapi::tbb::task_group group;
      group.run(locate);  // the longest part first
      group.run(coverage);
      group.run(tiles);
      small_parts();
      group.wait();
    });
  }
  if (!locator_status.ok()) return locator_status;
  if (!tiles_status.ok()) return tiles_status;
  snapshot->version = options.version.empty() ? snapshot->fingerprint : options.version;
  snapshot->built_at = std::chrono::system_clock::now();
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

}  // namespace wangge
