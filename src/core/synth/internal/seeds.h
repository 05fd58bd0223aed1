// Unit seeds for synth: one point per unit, spread like a real city's buildings — dense urban
// centres, town seats, villages on the coastal plain, few in the hills and the western mountains.
//
//   DensityModel density(districts_bounds, seed);
//   Result<Seeds> s = SampleSeeds(districts, locator, density, 134753, seed);
//
// Thread safety: DensityModel is immutable; SampleSeeds is reentrant.
#pragma once

#include <cstdint>
#include <vector>

#include "synth/internal/locator.h"
#include "wangge/base/result.h"
#include "wangge/geometry/box.h"
#include "wangge/geometry/point.h"
#include "wangge/synth/districts.h"

namespace wangge::internal {

// Relative unit density (units per km², up to a constant factor) at a lon/lat point.
class DensityModel {
 public:
  // `land` locates points on land (in a district); town seats are only placed there.
  DensityModel(const RegionLocator& land, uint64_t seed);

  double operator()(const Point& p) const;
  // Returns 0 on the coastal plain and up to 1 in the mountains.
  double Mountains(const Point& p) const;

 private:
  struct Centre {
    Point at;
    double weight;
    double sigma_km;
  };
  double Noise(const Point& p) const;

  uint64_t seed_;
  std::vector<Centre> centres_;
};

struct Seeds {
  std::vector<Point> points;       // lon/lat
  std::vector<uint32_t> district;  // index into the districts
};

// Samples exactly `count` seeds inside the districts, following `density`, at least a fraction of
// the local mean spacing apart. Every polygon of every district gets at least one seed (islands
// included), so that every piece of land can belong to a unit of its own district; where units
// would be large, seeds are also anchored along district borders every 1.2 km, so that no unit
// holds a border stretch with more vertices than a unit may have.
Result<Seeds> SampleSeeds(const std::vector<DistrictOutline>& districts,
                          const RegionLocator& locator, const DensityModel& density, size_t count,
                          uint64_t seed);

// Approximate metres per degree of longitude and latitude at latitude `lat`.
struct MetricScale {
  double x;
  double y;
};
MetricScale MetresPerDegree(double lat);

}  // namespace wangge::internal
