#include "synth/internal/seeds.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <numbers>
#include <string>
#include <unordered_map>

#include <geos/geom/GeometryFactory.h>
#include <geos/geom/Point.h>

#include "geometry/internal/geos_convert.h"
#include "synth/internal/prng.h"

namespace wangge::internal {
namespace {

constexpr uint64_t kTownStream = 0x746f776e;   // "town"
constexpr uint64_t kNoiseStream = 0x6e6f6973;  // "nois"
constexpr uint64_t kTileStream = 0x74696c65;   // "tile"
constexpr double kTileDegrees = 0.01;
constexpr int kSubSamples = 6;  // per tile side, to integrate the density
// Where units are big, seeds are anchored along district borders every this many metres.
constexpr double kBorderAnchorM = 1200;

double SmoothStep(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

// The urban centres of Putian (fixed, the same for every seed): lon, lat, weight, sigma in km.
struct FixedCentre {
  double lon, lat, weight, sigma_km;
};
constexpr FixedCentre kCities[] = {
    {119.010, 25.440, 1.00, 3.0},  // 城厢 / 荔城, the city proper
    {119.110, 25.460, 0.65, 2.0},  // 涵江
    {119.090, 25.320, 0.40, 1.7},  // 秀屿 (笏石)
    {118.690, 25.360, 0.55, 1.9},  // 仙游 county seat
};
constexpr int kTownSeats = 45;

}  // namespace

MetricScale MetresPerDegree(double lat) {
  constexpr double kMetresPerDegree = 6371008.8 * std::numbers::pi / 180;
  return {kMetresPerDegree * std::cos(lat * std::numbers::pi / 180), kMetresPerDegree};
}

DensityModel::DensityModel(const RegionLocator& land, uint64_t seed) : seed_(seed) {
  for (const FixedCentre& c : kCities) {
    centres_.push_back({{c.lon, c.lat}, c.weight, c.sigma_km});
  }
  // Town seats: on land, mostly in the lowlands.
  Rng rng(Mix({seed, kTownStream}));
  const Box& b = land.bounds();
  for (int placed = 0, tries = 0; placed < kTownSeats && tries < 100000; ++tries) {
    const Point p{rng.Uniform(b.min_x, b.max_x), rng.Uniform(b.min_y, b.max_y)};
    const double mountains = Mountains(p);
    if (land.Locate(p) < 0 || rng.Uniform() > 1 - 0.8 * mountains) continue;
    centres_.push_back({p, rng.Uniform(0.05, 0.16) * (1 - 0.5 * mountains), rng.Uniform(0.5, 1.1)});
    ++placed;
  }
}

double DensityModel::Noise(const Point& p) const {
  constexpr double kStep = 0.025;
  const double fx = p.x / kStep;
  const double fy = p.y / kStep;
  const double ix = std::floor(fx);
  const double iy = std::floor(fy);
  auto value = [&](double x, double y) {
    Rng r(Mix({seed_, kNoiseStream, Bits(x), Bits(y)}));
    return r.Uniform();
  };
  const double tx = SmoothStep(fx - ix);
  const double ty = SmoothStep(fy - iy);
  const double v0 = value(ix, iy) * (1 - tx) + value(ix + 1, iy) * tx;
  const double v1 = value(ix, iy + 1) * (1 - tx) + value(ix + 1, iy + 1) * tx;
  return v0 * (1 - ty) + v1 * ty;
}

double DensityModel::Mountains(const Point& p) const {
  // West of 仙游 and the north of 涵江 / 城厢 are mountains; the plain around the city is flat.
  const double west = SmoothStep((118.92 - p.x) / 0.32);
  const double north = SmoothStep((p.y - 25.50) / 0.16);
  const double ridge = SmoothStep((118.98 - p.x) / 0.12) * SmoothStep((p.y - 25.42) / 0.10);
  return std::clamp(std::max({0.95 * west, 0.85 * north, 0.7 * ridge}), 0.0, 1.0);
}

double DensityModel::operator()(const Point& p) const {
  const MetricScale m = MetresPerDegree(p.y);
  double urban = 0;
  for (const Centre& c : centres_) {
    const double dx = (p.x - c.at.x) * m.x / 1000;
    const double dy = (p.y - c.at.y) * m.y / 1000;
    const double d2 = (dx * dx + dy * dy) / (c.sigma_km * c.sigma_km);
    if (d2 < 25) urban += c.weight * std::exp(-0.5 * d2);
  }
  const double mountains = Mountains(p);
  const double rural = 0.045 * (1 - 0.85 * mountains) * (0.35 + 1.3 * Noise(p));
  return urban + rural;
}

Result<Seeds> SampleSeeds(const std::vector<DistrictOutline>& districts,
                          const RegionLocator& locator, const DensityModel& density, size_t count,
                          uint64_t seed) {
  Seeds seeds;
  const Box& bounds = locator.bounds();
  const double lat0 = (bounds.min_y + bounds.max_y) / 2;
  const MetricScale metric = MetresPerDegree(lat0);
  // Points already placed, hashed on a 50 m grid for the spacing test.
  constexpr double kCell = 50;
  std::unordered_map<uint64_t, std::vector<uint32_t>> grid;
  auto cell_key = [](int64_t ix, int64_t iy) {
    return (static_cast<uint64_t>(ix) << 32) ^ static_cast<uint64_t>(iy & 0xffffffff);
  };
  auto to_metres = [&](const Point& p) {
    return Point{(p.x - bounds.min_x) * metric.x, (p.y - bounds.min_y) * metric.y};
  };
  auto far_enough = [&](const Point& p, double spacing) {
    const Point m = to_metres(p);
    const auto r = static_cast<int64_t>(std::ceil(spacing / kCell));
    const auto cx = static_cast<int64_t>(std::floor(m.x / kCell));
    const auto cy = static_cast<int64_t>(std::floor(m.y / kCell));
    for (int64_t ix = cx - r; ix <= cx + r; ++ix) {
      for (int64_t iy = cy - r; iy <= cy + r; ++iy) {
        auto it = grid.find(cell_key(ix, iy));
        if (it == grid.end()) continue;
        for (uint32_t k : it->second) {
          const Point q = to_metres(seeds.points[k]);
          const double dx = q.x - m.x, dy = q.y - m.y;
          if (dx * dx + dy * dy < spacing * spacing) return false;
        }
      }
    }
    return true;
  };
  auto place = [&](const Point& p, int64_t district) {
    const Point m = to_metres(p);
    grid[cell_key(static_cast<int64_t>(std::floor(m.x / kCell)),
                  static_cast<int64_t>(std::floor(m.y / kCell)))]
        .push_back(static_cast<uint32_t>(seeds.points.size()));
    seeds.points.push_back(p);
    seeds.district.push_back(static_cast<uint32_t>(district));
  };

  // 1. One seed per polygon of every district, at an interior point.
  try {
    geos::geom::GeometryFactory::Ptr factory = geos::geom::GeometryFactory::create();
    for (size_t d = 0; d < districts.size(); ++d) {
      const MultiPolygonView v = districts[d].geometry.view();
      for (size_t p = 0; p < v.polygon_count(); ++p) {
        MultiPolygon one;
        const PolygonView polygon = v.polygon(p);
        for (size_t r = 0; r < polygon.ring_count(); ++r) one.AddRing(polygon.ring(r), r == 0);
        std::unique_ptr<geos::geom::Point> inner = ToGeos(*factory, one.view())->getInteriorPoint();
        if (!inner || inner->isEmpty()) continue;
        const Point at{inner->getX(), inner->getY()};
        if (far_enough(at, 1.0)) place(at, static_cast<int64_t>(d));
      }
    }
  } catch (const std::exception& e) {
    return Status::Internal(std::string("seed interior points (GEOS): ") + e.what());
  }
  if (seeds.points.size() > count) {
    return Status::InvalidArgument("the districts have " + std::to_string(seeds.points.size()) +
                                   " polygons, more than the " + std::to_string(count) +
                                   " units asked for");
  }

  // 2. Integrate the density over land, tile by tile.
  const auto nx = static_cast<size_t>(std::ceil(bounds.width() / kTileDegrees));
  const auto ny = static_cast<size_t>(std::ceil(bounds.height() / kTileDegrees));
  std::vector<double> mass(nx * ny, 0), peak(nx * ny, 0);
  const MetricScale tile_metric = MetresPerDegree(lat0);
  const double sub_area_km2 = (kTileDegrees / kSubSamples) * (kTileDegrees / kSubSamples) *
                              tile_metric.x * tile_metric.y / 1e6;
  for (size_t ty = 0; ty < ny; ++ty) {
    for (size_t tx = 0; tx < nx; ++tx) {
      double sum = 0, top = 0;
      for (int sy = 0; sy < kSubSamples; ++sy) {
        for (int sx = 0; sx < kSubSamples; ++sx) {
          const Point p{
              bounds.min_x + (static_cast<double>(tx) + (sx + 0.5) / kSubSamples) * kTileDegrees,
              bounds.min_y + (static_cast<double>(ty) + (sy + 0.5) / kSubSamples) * kTileDegrees};
          if (locator.Locate(p) < 0) continue;
          const double lambda = density(p);
          sum += lambda * sub_area_km2;
          top = std::max(top, lambda);
        }
      }
      mass[ty * nx + tx] = sum;
      peak[ty * nx + tx] = top;
    }
  }
  double total_mass = 0;
  for (double m : mass) total_mass += m;
  if (total_mass <= 0) return Status::DataError("the districts have no area to place units in");
  // Units per km² per unit of relative density.
  const double units_per_mass = static_cast<double>(count) / total_mass;

  // 2b. Where units would be big, anchor seeds along the district borders, so that no unit gets a
  // border stretch long enough to carry more vertices than a unit may have.
  for (size_t d = 0; d < districts.size(); ++d) {
    const MultiPolygonView v = districts[d].geometry.view();
    for (size_t r = 0; r < v.ring_count(); ++r) {
      const RingView ring = v.ring(r);
      const bool shell_ccw = [&] {
        double a2 = 0;
        for (size_t i = 0; i + 1 < ring.size(); ++i) {
          a2 += (ring[i].x - ring[0].x) * (ring[i + 1].y - ring[0].y) -
                (ring[i + 1].x - ring[0].x) * (ring[i].y - ring[0].y);
        }
        return a2 > 0;
      }();
      double walked = kBorderAnchorM;  // metres since the last anchor (or check)
      for (size_t i = 0; i + 1 < ring.size(); ++i) {
        const Point& a = ring[i];
        const Point& b = ring[i + 1];
        const MetricScale m = MetresPerDegree(a.y);
        const double dx = (b.x - a.x) * m.x, dy = (b.y - a.y) * m.y;
        const double len = std::hypot(dx, dy);
        walked += len;
        if (walked < kBorderAnchorM || len == 0) continue;
        walked = 0;
        const Point mid{(a.x + b.x) / 2, (a.y + b.y) / 2};
        const double mean_spacing_m =
            1000 / std::sqrt(std::max(density(mid) * units_per_mass, 1e-6));
        if (mean_spacing_m < kBorderAnchorM / 2) continue;  // units are small here anyway
        // Inward: left of a→b on a counter-clockwise ring.
        const double side = shell_ccw ? 1 : -1;
        for (double inset : {kBorderAnchorM / 3, kBorderAnchorM / 6}) {
          const Point at{mid.x - side * dy / len * inset / m.x,
                         mid.y + side * dx / len * inset / m.y};
          if (locator.Locate(at) != static_cast<int64_t>(d)) continue;
          if (far_enough(at, kBorderAnchorM / 3)) place(at, static_cast<int64_t>(d));
          break;
        }
      }
    }
  }
  if (seeds.points.size() > count) {
    return Status::InvalidArgument("too few units (" + std::to_string(count) +
                                   ") to cover the district borders");
  }

  // 3. Allocate the remaining seeds to tiles (systematic rounding: exact total), then sample each
  // tile by rejection against land, density and spacing.
  const size_t free = count - seeds.points.size();
  double cumulative = 0;
  int64_t allocated = 0;
  for (size_t t = 0; t < nx * ny; ++t) {
    cumulative += mass[t];
    const auto upto =
        static_cast<int64_t>(std::llround(static_cast<double>(free) * cumulative / total_mass));
    const int64_t n = upto - allocated;
    allocated = upto;
    if (n <= 0) continue;
    const size_t tx = t % nx;
    const size_t ty = t / nx;
    const Box tile{bounds.min_x + static_cast<double>(tx) * kTileDegrees,
                   bounds.min_y + static_cast<double>(ty) * kTileDegrees,
                   bounds.min_x + static_cast<double>(tx + 1) * kTileDegrees,
                   bounds.min_y + static_cast<double>(ty + 1) * kTileDegrees};
    Rng rng(Mix({seed, kTileStream, t}));
    const double ceiling = peak[t] * 1.5;
    const int64_t max_attempts = 200 * n + 200;
    int64_t placed = 0;
    for (int64_t attempt = 0; placed < n && attempt < 4 * max_attempts; ++attempt) {
      const Point p{rng.Uniform(tile.min_x, tile.max_x), rng.Uniform(tile.min_y, tile.max_y)};
      const int64_t district = locator.Locate(p);
      if (district < 0) continue;
      const double lambda = density(p);
      if (attempt < max_attempts && rng.Uniform() * ceiling > lambda) continue;
      // Half the local mean spacing, relaxed as attempts run out; never closer than 1 m.
      const double mean_spacing_m = 1000 / std::sqrt(std::max(lambda * units_per_mass, 1e-6));
      const double relax = std::max(
          0.0, 1 - static_cast<double>(attempt) / (2.0 * static_cast<double>(max_attempts)));
      if (!far_enough(p, std::max(1.0, 0.5 * mean_spacing_m * relax))) continue;
      place(p, district);
      ++placed;
    }
    if (placed < n) {
      return Status::Internal("could not place " + std::to_string(n - placed) + " seeds in tile " +
                              std::to_string(t));
    }
  }
  if (seeds.points.size() != count) {
    return Status::Internal("placed " + std::to_string(seeds.points.size()) + " seeds, not " +
                            std::to_string(count));
  }
  return seeds;
}

}  // namespace wangge::internal
