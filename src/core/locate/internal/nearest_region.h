// NearestRegion: the region closest to a point that lies in none, within a maximum distance, for
// reports that fall in a gap or just outside the territory (a phone's GPS error, a coastline
// drawn too tight).
//
// Regions are bucketed by bounding box on a coarse grid; a query visits the buckets within the
// distance and measures each candidate's boundary. The distance is geodesic on the CGCS2000
// ellipsoid (measure.h DistanceM) from the point to the closest point of the region's boundary,
// that closest point being found in a local equirectangular frame around the query point.
//
//   NearestRegion nearest = NearestRegion::Build(hierarchy, unit_ids);
//   NearestRegion::Found f = nearest.Find({119.0, 25.4}, 50.0);
//
// Thread safety: immutable after Build; Find may be called from any number of threads.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "wangge/geometry/box.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge::internal {

class NearestRegion {
 public:
  struct Found {
    RegionId region = kNoRegion;
    double distance_m = std::numeric_limits<double>::infinity();
  };

  NearestRegion() = default;
  // `regions` in tie-break order (equal distances go to the earlier one). `hierarchy` must
  // outlive the index.
  static NearestRegion Build(const Hierarchy& hierarchy, std::span<const RegionId> regions);

  // Returns the nearest region with distance <= max_distance_m, or {kNoRegion, inf}.
  // REQUIRES: p is a valid lon/lat point.
  Found Find(const Point& p, double max_distance_m) const;

  size_t memory_bytes() const;

 private:
  const Hierarchy* hierarchy_ = nullptr;
  std::vector<RegionId> regions_;
  Box bounds_;
  uint32_t nx_ = 0, ny_ = 0;
  double cell_w_ = 1, cell_h_ = 1;
  std::vector<uint32_t> bucket_begin_;  // nx_ * ny_ + 1 entries into members_
  std::vector<uint32_t> members_;       // indexes into regions_
};

// Returns the geodesic distance in metres from `p` to the closest point of `geometry`'s boundary
// (see NearestRegion for how that point is found).
double DistanceToBoundaryM(const MultiPolygonView& geometry, const Point& p);

}  // namespace wangge::internal
