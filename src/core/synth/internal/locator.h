// RegionLocator: which of a few large polygons (the districts) contains a point, fast enough to
// ask millions of times. Edges are bucketed into horizontal bands; a query counts crossings of a
// ray to the east with the edges of its band only.
//
//   RegionLocator locator(district_geometries);
//   int64_t d = locator.Locate({119.0, 25.4});  // -1: in none
//
// Thread safety: immutable after construction; Locate may be called from any thread.
#pragma once

#include <cstdint>
#include <vector>

#include "wangge/geometry/box.h"
#include "wangge/geometry/multi_polygon.h"

namespace wangge::internal {

class RegionLocator {
 public:
  explicit RegionLocator(const std::vector<MultiPolygonView>& regions, size_t bands = 4096);

  // Returns the index of the first region containing `p` (even-odd over all its rings), or -1.
  // Points exactly on a boundary may go either way.
  int64_t Locate(const Point& p) const;
  const Box& bounds() const { return bounds_; }

 private:
  struct Edge {
    Point a, b;
    uint32_t region;
  };
  size_t region_count_;
  Box bounds_;
  double band_height_ = 1;
  std::vector<uint32_t> band_begin_;
  std::vector<Edge> edges_;  // grouped by band
};

}  // namespace wangge::internal
