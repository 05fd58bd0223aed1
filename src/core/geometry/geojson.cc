#include "wangge/geometry/geojson.h"

namespace wangge {

using nlohmann::json;

json GeoJsonPositions(std::span<const Point> points) {
  json out = json::array();
  for (const Point& p : points) out.push_back({p.x, p.y});
  return out;
}

json GeoJsonMultiPolygon(const MultiPolygonView& m) {
  json polygons = json::array();
  for (size_t p = 0; p < m.polygon_count(); ++p) {
    json rings = json::array();
    const PolygonView polygon = m.polygon(p);
    for (size_t r = 0; r < polygon.ring_count(); ++r) {
      rings.push_back(GeoJsonPositions(polygon.ring(r)));
    }
    polygons.push_back(std::move(rings));
  }
  return {{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}};
}

}  // namespace wangge
