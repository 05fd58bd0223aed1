#include "wangge/geometry/measure.h"

#include <cmath>

#include <geodesic.h>

namespace wangge {
namespace {

const geod_geodesic& Grs80() {
  static const geod_geodesic g = [] {
    geod_geodesic init;
    geod_init(&init, 6378137.0, 1 / 298.257222101);
    return init;
  }();
  return g;
}

}  // namespace

double RingAreaM2(RingView ring) {
  if (ring.size() < 4) return 0;
  geod_polygon polygon;
  geod_polygon_init(&polygon, 0);
  // The closing vertex repeats the first one; geod_polygon closes rings itself.
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    geod_polygon_addpoint(&Grs80(), &polygon, ring[i].y, ring[i].x);
  }
  double area = 0;
  geod_polygon_compute(&Grs80(), &polygon, 0, 1, &area, nullptr);
  return std::abs(area);
}

double AreaM2(const MultiPolygonView& geometry) {
  double area = 0;
  for (size_t p = 0; p < geometry.polygon_count(); ++p) {
    const PolygonView polygon = geometry.polygon(p);
    area += RingAreaM2(polygon.shell());
    for (size_t r = 1; r < polygon.ring_count(); ++r) area -= RingAreaM2(polygon.ring(r));
  }
  return area;
}

double DistanceM(const Point& a, const Point& b) {
  double distance = 0;
  geod_inverse(&Grs80(), a.y, a.x, b.y, b.x, &distance, nullptr, nullptr);
  return distance;
}

double PerimeterM(const MultiPolygonView& geometry) {
  double length = 0;
  for (size_t r = 0; r < geometry.ring_count(); ++r) {
    const RingView ring = geometry.ring(r);
    for (size_t i = 1; i < ring.size(); ++i) length += DistanceM(ring[i - 1], ring[i]);
  }
  return length;
}

}  // namespace wangge
