#include "synth/internal/locator.h"

#include <algorithm>
#include <cmath>

namespace wangge::internal {

RegionLocator::RegionLocator(const std::vector<MultiPolygonView>& regions, size_t bands)
    : region_count_(regions.size()) {
  for (const MultiPolygonView& r : regions) bounds_.Add(r.bounds());
  if (bounds_.empty()) bands = 1;
  band_height_ =
      bounds_.empty() ? 1 : std::max(bounds_.height(), 1e-9) / static_cast<double>(bands);
  auto band_of = [&](double y) {
    const double k = std::floor((y - bounds_.min_y) / band_height_);
    return static_cast<size_t>(std::clamp(k, 0.0, static_cast<double>(bands - 1)));
  };
  std::vector<std::vector<Edge>> buckets(bands);
  for (size_t i = 0; i < regions.size(); ++i) {
    const MultiPolygonView& g = regions[i];
    for (size_t r = 0; r < g.ring_count(); ++r) {
      const RingView ring = g.ring(r);
      for (size_t k = 0; k + 1 < ring.size(); ++k) {
        const Point& a = ring[k];
        const Point& b = ring[k + 1];
        if (a.y == b.y) continue;  // never crossed by a horizontal ray's half-open test
        const size_t lo = band_of(std::min(a.y, b.y));
        const size_t hi = band_of(std::max(a.y, b.y));
        for (size_t band = lo; band <= hi; ++band) {
          buckets[band].push_back({a, b, static_cast<uint32_t>(i)});
        }
      }
    }
  }
  band_begin_.assign(bands + 1, 0);
  for (size_t band = 0; band < bands; ++band) {
    band_begin_[band + 1] = band_begin_[band] + static_cast<uint32_t>(buckets[band].size());
  }
  edges_.reserve(band_begin_[bands]);
  for (std::vector<Edge>& bucket : buckets)
    edges_.insert(edges_.end(), bucket.begin(), bucket.end());
}

int64_t RegionLocator::Locate(const Point& p) const {
  if (!bounds_.Contains(p)) return -1;
  const size_t bands = band_begin_.size() - 1;
  const double k = std::floor((p.y - bounds_.min_y) / band_height_);
  const size_t band = static_cast<size_t>(std::clamp(k, 0.0, static_cast<double>(bands - 1)));
  // Crossing parity per region; regions are few, so a small fixed array does.
  uint64_t parity[4] = {0, 0, 0, 0};
  std::vector<uint8_t> big;
  if (region_count_ > 256) big.assign(region_count_, 0);
  for (uint32_t i = band_begin_[band]; i < band_begin_[band + 1]; ++i) {
    const Edge& e = edges_[i];
    if ((e.a.y > p.y) != (e.b.y > p.y) &&
        p.x < (e.b.x - e.a.x) * (p.y - e.a.y) / (e.b.y - e.a.y) + e.a.x) {
      if (big.empty()) {
        parity[e.region >> 6] ^= uint64_t{1} << (e.region & 63);
      } else {
        big[e.region] ^= 1;
      }
    }
  }
  for (size_t r = 0; r < region_count_; ++r) {
    const bool inside = big.empty() ? ((parity[r >> 6] >> (r & 63)) & 1) != 0 : big[r] != 0;
    if (inside) return static_cast<int64_t>(r);
  }
  return -1;
}

}  // namespace wangge::internal
