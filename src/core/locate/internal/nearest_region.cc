#include "locate/internal/nearest_region.h"

#include <algorithm>
#include <cmath>

#include "wangge/geometry/measure.h"

namespace wangge::internal {
namespace {

// Fewest metres per degree of latitude (at the equator) and most per degree of longitude, so
// that a box of these half-widths in degrees holds every point within the distance.
constexpr double kMinMetresPerDegreeLat = 110574.0;
constexpr double kMaxMetresPerDegreeLon = 111320.0;

}  // namespace

double DistanceToBoundaryM(const MultiPolygonView& geometry, const Point& p) {
  const double kx = std::cos(p.y * M_PI / 180);
  double best = std::numeric_limits<double>::infinity();
  Point closest = p;
  for (size_t r = 0; r < geometry.ring_count(); ++r) {
    const RingView ring = geometry.ring(r);
    for (size_t i = 1; i < ring.size(); ++i) {
      const Point& a = ring[i - 1];
      const Point& b = ring[i];
      const double ax = (a.x - p.x) * kx, ay = a.y - p.y;
      const double dx = (b.x - a.x) * kx, dy = b.y - a.y;
      const double len2 = dx * dx + dy * dy;
      const double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
      const double qx = ax + t * dx, qy = ay + t * dy;
      const double d2 = qx * qx + qy * qy;
      if (d2 < best) {
        best = d2;
        closest = {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
      }
    }
  }
  return best == std::numeric_limits<double>::infinity() ? best : DistanceM(p, closest);
}

NearestRegion NearestRegion::Build(const Hierarchy& hierarchy, std::span<const RegionId> regions) {
  NearestRegion index;
  index.hierarchy_ = &hierarchy;
  for (RegionId r : regions) {
    if (hierarchy.geometry(r).empty()) continue;
    index.regions_.push_back(r);
    index.bounds_.Add(hierarchy.bounds(r));
  }
  if (index.regions_.empty()) return index;
  // About two regions per bucket.
  const double buckets = std::max(1.0, static_cast<double>(index.regions_.size()) / 2);
  const double w = std::max(index.bounds_.width(), 1e-9);
  const double h = std::max(index.bounds_.height(), 1e-9);
  const double side = std::sqrt(w * h / buckets);
  index.nx_ = static_cast<uint32_t>(std::clamp(std::ceil(w / side), 1.0, 4096.0));
  index.ny_ = static_cast<uint32_t>(std::clamp(std::ceil(h / side), 1.0, 4096.0));
  index.cell_w_ = w / index.nx_;
  index.cell_h_ = h / index.ny_;
  auto range = [&](const Box& b, uint32_t& ix0, uint32_t& ix1, uint32_t& iy0, uint32_t& iy1) {
    auto cell = [](double v, double origin, double size, uint32_t n) {
      return static_cast<uint32_t>(
          std::clamp(std::floor((v - origin) / size), 0.0, static_cast<double>(n - 1)));
    };
    ix0 = cell(b.min_x, index.bounds_.min_x, index.cell_w_, index.nx_);
    ix1 = cell(b.max_x, index.bounds_.min_x, index.cell_w_, index.nx_);
    iy0 = cell(b.min_y, index.bounds_.min_y, index.cell_h_, index.ny_);
    iy1 = cell(b.max_y, index.bounds_.min_y, index.cell_h_, index.ny_);
  };
  const size_t cells = size_t{index.nx_} * index.ny_;
  index.bucket_begin_.assign(cells + 1, 0);
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<uint32_t> fill;
    if (pass == 1) {
      for (size_t c = 0; c < cells; ++c) index.bucket_begin_[c + 1] += index.bucket_begin_[c];
      index.members_.resize(index.bucket_begin_[cells]);
      fill.assign(index.bucket_begin_.begin(), index.bucket_begin_.end() - 1);
    }
    for (uint32_t k = 0; k < index.regions_.size(); ++k) {
      uint32_t ix0, ix1, iy0, iy1;
      range(hierarchy.bounds(index.regions_[k]), ix0, ix1, iy0, iy1);
      for (uint32_t iy = iy0; iy <= iy1; ++iy) {
        for (uint32_t ix = ix0; ix <= ix1; ++ix) {
          const size_t c = size_t{iy} * index.nx_ + ix;
          if (pass == 0) {
            ++index.bucket_begin_[c + 1];
          } else {
            index.members_[fill[c]++] = k;
          }
        }
      }
    }
  }
  return index;
}

NearestRegion::Found NearestRegion::Find(const Point& p, double max_distance_m) const {
  Found found;
  if (regions_.empty() || !(max_distance_m > 0)) return found;
  const double dlat = max_distance_m / kMinMetresPerDegreeLat * 1.01;
  const double far_lat = std::min(89.999, std::abs(p.y) + dlat);
  const double dlon = std::min(
      360.0, max_distance_m / (kMaxMetresPerDegreeLon * std::cos(far_lat * M_PI / 180)) * 1.01);
  const Box query{p.x - dlon, p.y - dlat, p.x + dlon, p.y + dlat};
  if (!query.Intersects(bounds_)) return found;
  auto cell = [](double v, double origin, double size, uint32_t n) {
    return static_cast<uint32_t>(
        std::clamp(std::floor((v - origin) / size), 0.0, static_cast<double>(n - 1)));
  };
  const uint32_t ix0 = cell(query.min_x, bounds_.min_x, cell_w_, nx_);
  const uint32_t ix1 = cell(query.max_x, bounds_.min_x, cell_w_, nx_);
  const uint32_t iy0 = cell(query.min_y, bounds_.min_y, cell_h_, ny_);
  const uint32_t iy1 = cell(query.max_y, bounds_.min_y, cell_h_, ny_);
  std::vector<uint32_t> candidates;
  for (uint32_t iy = iy0; iy <= iy1; ++iy) {
    for (uint32_t ix = ix0; ix <= ix1; ++ix) {
      const size_t c = size_t{iy} * nx_ + ix;
      for (uint32_t i = bucket_begin_[c]; i < bucket_begin_[c + 1]; ++i) {
        const uint32_t k = members_[i];
        if (hierarchy_->bounds(regions_[k]).Intersects(query)) candidates.push_back(k);
      }
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (uint32_t k : candidates) {
    const double d = DistanceToBoundaryM(hierarchy_->geometry(regions_[k]), p);
    if (d <= max_distance_m && d < found.distance_m) found = {regions_[k], d};
  }
  return found;
}

size_t NearestRegion::memory_bytes() const {
  return regions_.capacity() * sizeof(RegionId) + bucket_begin_.capacity() * sizeof(uint32_t) +
         members_.capacity() * sizeof(uint32_t);
}

}  // namespace wangge::internal
