#include "wangge/locate/point_index.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "locate/internal/cell_index.h"
#include "locate/internal/covered_by_children.h"
#include "locate/internal/nearest_region.h"

namespace wangge {

struct PointIndex::Impl {
  // One per level; empty (no regions) where the level needs no geometry of its own.
  std::vector<internal::CellIndex> levels;
  internal::NearestRegion nearest;
};

std::string_view LocateStatusName(LocateStatus status) {
  switch (status) {
    case LocateStatus::kInside:
      return "inside";
    case LocateStatus::kBoundary:
      return "boundary";
    case LocateStatus::kGap:
      return "gap";
    case LocateStatus::kOutside:
      return "outside";
    case LocateStatus::kInvalid:
      return "invalid";
  }
  return "invalid";
}

PointIndex::PointIndex(std::unique_ptr<const Impl> impl, const Hierarchy& hierarchy)
    : impl_(std::move(impl)), hierarchy_(&hierarchy) {}
PointIndex::PointIndex(PointIndex&&) noexcept = default;
PointIndex& PointIndex::operator=(PointIndex&&) noexcept = default;
PointIndex::~PointIndex() = default;

Result<PointIndex> PointIndex::Build(const Hierarchy& hierarchy, const PointIndexOptions& options) {
  const size_t level_count = hierarchy.level_count();
  if (level_count == 0) return Status::InvalidArgument("point index: the hierarchy has no levels");
  auto impl = std::make_unique<Impl>();
  impl->levels.resize(level_count);
  internal::CellIndexOptions cell_options;
  cell_options.threads = options.threads;
  cell_options.max_leaf_edges = std::max<size_t>(1, options.max_leaf_edges);
  cell_options.root_cells_per_edge = options.root_cells_per_edge;
  oneapi::tbb::task_arena arena(options.threads > 0 ? options.threads
                                                    : oneapi::tbb::task_arena::automatic);
  const size_t finest = level_count - 1;
  Status status;
  arena.execute([&] {
    for (size_t level = 0; level < level_count; ++level) {
      std::vector<RegionId> regions;
      const RegionRange range = hierarchy.regions(level);
      if (level == finest) {
        for (RegionId r : range) regions.push_back(r);
      } else {
        const std::vector<uint8_t> covered = internal::CoveredByChildren(hierarchy, level);
        for (RegionId r : range) {
          if (!covered[r - range.first]) regions.push_back(r);
        }
      }
      if (regions.empty()) continue;
      Result<internal::CellIndex> index =
          internal::CellIndex::Build(hierarchy, std::move(regions), cell_options);
      if (!index.ok()) {
        status = index.status().WithContext(std::string(hierarchy.levels()[level].name));
        return;
      }
      impl->levels[level] = std::move(index).value();
    }
  });
  if (!status.ok()) return status;
  const internal::CellIndex& finest_index = impl->levels[finest];
  impl->nearest = internal::NearestRegion::Build(hierarchy, finest_index.regions());
  return PointIndex(std::move(impl), hierarchy);
}

namespace {

// Completes the answer for a point from its finest-level hit: coarser levels for a point no unit
// owns, then the nearest unit if asked for.
Location Finish(const PointIndex::Impl& impl, const Point& p, internal::CellIndex::Hit finest_hit,
                const LocateOptions& options) {
  Location result;
  if (!IsFinite(p) || p.x < -180 || p.x > 180 || p.y < -90 || p.y > 90) {
    result.status = LocateStatus::kInvalid;
    return result;
  }
  const size_t finest = impl.levels.size() - 1;
  if (finest_hit.region != kNoRegion) {
    result.region = finest_hit.region;
    result.on_boundary = finest_hit.on_boundary;
    result.status = finest_hit.on_boundary ? LocateStatus::kBoundary : LocateStatus::kInside;
    return result;
  }
  for (size_t level = finest; level-- > 0;) {
    const internal::CellIndex& index = impl.levels[level];
    if (index.regions().empty()) continue;
    const internal::CellIndex::Hit hit = index.Locate(p);
    if (hit.region == kNoRegion) continue;
    result.region = hit.region;
    result.on_boundary = hit.on_boundary;
    result.status = LocateStatus::kGap;
    break;
  }
  if (options.max_distance_m > 0) {
    const internal::NearestRegion::Found found = impl.nearest.Find(p, options.max_distance_m);
    if (found.region != kNoRegion) {
      result.nearest = found.region;
      result.distance_m = found.distance_m;
    }
  }
  return result;
}

}  // namespace

Location PointIndex::Locate(const Point& p, const LocateOptions& options) const {
  const internal::CellIndex& finest = impl_->levels.back();
  const internal::CellIndex::Hit hit = IsFinite(p) ? finest.Locate(p) : internal::CellIndex::Hit{};
  return Finish(*impl_, p, hit, options);
}

void PointIndex::LocateBatch(std::span<const Point> points, std::span<Location> out,
                             const LocateOptions& options) const {
  constexpr size_t kGrain = 4096;
  const internal::CellIndex& finest = impl_->levels.back();
  auto run = [&](size_t begin, size_t end) {
    constexpr size_t kBlock = 256;
    internal::CellIndex::Hit hits[kBlock];
    Point clean[kBlock];
    for (size_t at = begin; at < end; at += kBlock) {
      const size_t n = std::min(kBlock, end - at);
      for (size_t i = 0; i < n; ++i) {
        // Non-finite points never reach the index (they fail its bounds test anyway).
        clean[i] = IsFinite(points[at + i]) ? points[at + i] : Point{1e300, 1e300};
      }
      finest.LocateMany(std::span<const Point>(clean, n), std::span(hits, n));
      for (size_t i = 0; i < n; ++i) out[at + i] = Finish(*impl_, points[at + i], hits[i], options);
    }
  };
  const int hardware = oneapi::tbb::info::default_concurrency();
  const int threads = options.threads > 0 ? std::min(options.threads, hardware) : hardware;
  if (threads == 1 || points.size() < 4 * kGrain) {
    run(0, points.size());
    return;
  }
  oneapi::tbb::task_arena arena(threads);
  arena.execute([&] {
    oneapi::tbb::parallel_for(
        oneapi::tbb::blocked_range<size_t>(0, points.size(), kGrain),
        [&](const oneapi::tbb::blocked_range<size_t>& r) { run(r.begin(), r.end()); });
  });
}

void PointIndex::Chain(RegionId region, std::span<RegionId> chain) const {
  std::fill(chain.begin(), chain.end(), kNoRegion);
  while (region != kNoRegion) {
    chain[hierarchy_->level(region)] = region;
    region = hierarchy_->parent(region);
  }
}

size_t PointIndex::indexed_region_count(size_t level) const {
  return impl_->levels[level].regions().size();
}

std::string PointIndex::Describe() const {
  std::string text;
  for (size_t level = 0; level < impl_->levels.size(); ++level) {
    const internal::CellIndex& index = impl_->levels[level];
    if (index.regions().empty()) continue;
    const internal::CellIndex::Stats s = index.stats();
    char line[320];
    std::snprintf(
        line, sizeof line,
        "%s: %zu regions, %zu root cells, %zu direct cells, %zu leaves (%zu vertex slots, "
        "%.1f per leaf), %zu split nodes, %zu slow leaves, %.1f MB\n",
        hierarchy_->levels()[level].name.c_str(), index.regions().size(), s.root_cells,
        s.direct_cells, s.leaves, s.leaf_vertices,
        s.leaves ? static_cast<double>(s.leaf_vertices) / static_cast<double>(s.leaves) : 0.0,
        s.split_nodes, s.slow_leaves, static_cast<double>(s.memory_bytes) / 1e6);
    text += line;
  }
  return text;
}

size_t PointIndex::memory_bytes() const {
  size_t bytes = impl_->nearest.memory_bytes();
  for (const internal::CellIndex& index : impl_->levels) bytes += index.memory_bytes();
  return bytes;
}

}  // namespace wangge
