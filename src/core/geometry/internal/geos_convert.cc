#include "geometry/internal/geos_convert.h"

#include <string>
#include <vector>

#include <geos/geom/CoordinateArraySequence.h>
#include <geos/geom/LinearRing.h>
#include <geos/geom/MultiPolygon.h>
#include <geos/geom/Polygon.h>

namespace wangge::internal {
namespace {

std::unique_ptr<geos::geom::LinearRing> MakeRing(const geos::geom::GeometryFactory& factory,
                                                 RingView ring) {
  auto seq = std::make_unique<geos::geom::CoordinateArraySequence>(ring.size(), 2u);
  for (size_t i = 0; i < ring.size(); ++i) {
    seq->setAt(geos::geom::Coordinate(ring[i].x, ring[i].y), i);
  }
  return factory.createLinearRing(std::move(seq));
}

void AppendRing(const geos::geom::LineString& ring, bool starts_polygon, MultiPolygon* out) {
  const geos::geom::CoordinateSequence* seq = ring.getCoordinatesRO();
  std::vector<Point> points(seq->size());
  for (size_t i = 0; i < seq->size(); ++i) points[i] = {seq->getX(i), seq->getY(i)};
  out->AddRing(points, starts_polygon);
}

Status AppendPolygons(const geos::geom::Geometry& g, MultiPolygon* out) {
  if (g.isEmpty()) return Status::Ok();
  if (const auto* polygon = dynamic_cast<const geos::geom::Polygon*>(&g)) {
    AppendRing(*polygon->getExteriorRing(), true, out);
    for (size_t i = 0; i < polygon->getNumInteriorRing(); ++i) {
      AppendRing(*polygon->getInteriorRingN(i), false, out);
    }
    return Status::Ok();
  }
  if (g.getGeometryTypeId() == geos::geom::GEOS_MULTIPOLYGON ||
      g.getGeometryTypeId() == geos::geom::GEOS_GEOMETRYCOLLECTION) {
    for (size_t i = 0; i < g.getNumGeometries(); ++i) {
      Status s = AppendPolygons(*g.getGeometryN(i), out);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }
  return Status::DataError("expected a polygon, got a " + g.getGeometryType());
}

}  // namespace

std::unique_ptr<geos::geom::Geometry> ToGeos(const geos::geom::GeometryFactory& factory,
                                             const MultiPolygonView& geometry) {
  std::vector<std::unique_ptr<geos::geom::Polygon>> polygons;
  polygons.reserve(geometry.polygon_count());
  for (size_t p = 0; p < geometry.polygon_count(); ++p) {
    const PolygonView polygon = geometry.polygon(p);
    std::vector<std::unique_ptr<geos::geom::LinearRing>> holes;
    for (size_t r = 1; r < polygon.ring_count(); ++r) {
      holes.push_back(MakeRing(factory, polygon.ring(r)));
    }
    polygons.push_back(factory.createPolygon(MakeRing(factory, polygon.shell()), std::move(holes)));
  }
  return factory.createMultiPolygon(std::move(polygons));
}

Result<MultiPolygon> FromGeos(const geos::geom::Geometry& geometry) {
  MultiPolygon out;
  Status s = AppendPolygons(geometry, &out);
  if (!s.ok()) return s;
  return out;
}

}  // namespace wangge::internal
