#include "core/synth/synth_checks.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <utility>

#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryFactory.h>
#include <geos/operation/union/UnaryUnionOp.h>
#include <geos/operation/valid/IsValidOp.h>

#include "geometry/internal/geos_convert.h"
#include "wangge/geometry/measure.h"

namespace wangge::testing {
namespace {

const geos::geom::GeometryFactory& Factory() {
  static const geos::geom::GeometryFactory::Ptr factory = geos::geom::GeometryFactory::create();
  return *factory;
}

std::unique_ptr<geos::geom::Geometry> Geos(const MultiPolygonView& g) {
  return internal::ToGeos(Factory(), g);
}

// The geodesic area of the polygonal parts of `g` (overlay results may hold lines and points too).
double AreaOf(const geos::geom::Geometry& g) {
  if (g.getDimension() < 2) return 0;
  if (g.getNumGeometries() > 1 || g.getGeometryTypeId() == geos::geom::GEOS_GEOMETRYCOLLECTION) {
    double sum = 0;
    for (size_t i = 0; i < g.getNumGeometries(); ++i) sum += AreaOf(*g.getGeometryN(i));
    return sum;
  }
  Result<MultiPolygon> m = internal::FromGeos(g);
  return m.ok() ? AreaM2(m->view()) : -1;
}

double Signed2(RingView ring) {
  double s = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    s += (ring[i].x - ring[0].x) * (ring[i + 1].y - ring[0].y) -
         (ring[i + 1].x - ring[0].x) * (ring[i].y - ring[0].y);
  }
  return s;
}

struct Signed {
  Point lo, hi;
  int sign;
};

// Appends each segment of `g` (interior on the left, or the reverse) with its direction's sign.
void Add(const MultiPolygonView& g, bool reverse, std::vector<Signed>* out) {
  for (size_t p = 0; p < g.polygon_count(); ++p) {
    const PolygonView polygon = g.polygon(p);
    for (size_t r = 0; r < polygon.ring_count(); ++r) {
      const RingView ring = polygon.ring(r);
      const bool ccw = Signed2(ring) > 0;
      const bool flip = (r == 0 ? !ccw : ccw) != reverse;
      for (size_t i = 0; i + 1 < ring.size(); ++i) {
        Point a = ring[i], b = ring[i + 1];
        if (flip) std::swap(a, b);
        if (a < b) {
          out->push_back({a, b, 1});
        } else {
          out->push_back({b, a, -1});
        }
      }
    }
  }
}

}  // namespace

std::vector<Residual> Residuals(const Hierarchy& h, size_t level) {
  std::vector<Residual> out;
  if (level == 0) return out;  // the top level has no parent to tile
  std::map<std::string, std::vector<RegionId>> children, parents;
  for (RegionId id : h.regions(level)) children[std::string(h.parent_code(id))].push_back(id);
  for (RegionId id : h.regions(level - 1)) {
    parents[std::string(h.code(id))].push_back(id);
    children[std::string(h.code(id))];  // parents without children too
  }
  for (const auto& [parent, ids] : children) {
    std::vector<Signed> segments;
    for (RegionId id : ids) Add(h.geometry(id), false, &segments);
    auto it = parents.find(parent);
    if (it != parents.end()) {
      for (RegionId id : it->second) Add(h.geometry(id), true, &segments);
    }
    std::sort(segments.begin(), segments.end(), [](const Signed& a, const Signed& b) {
      return a.lo == b.lo ? a.hi < b.hi : a.lo < b.lo;
    });
    size_t left = 0;
    for (size_t i = 0; i < segments.size();) {
      size_t j = i;
      int sum = 0;
      while (j < segments.size() && segments[j].lo == segments[i].lo &&
             segments[j].hi == segments[i].hi) {
        sum += segments[j++].sign;
      }
      left += static_cast<size_t>(std::abs(sum));
      i = j;
    }
    if (left > 0) out.push_back({parent, left});
  }
  return out;
}

std::vector<std::string> InvalidRegions(const Hierarchy& h, size_t level) {
  std::vector<std::string> out;
  for (RegionId id : h.regions(level)) {
    if (!IsValid(h.geometry(id))) out.emplace_back(h.code(id));
  }
  return out;
}

double WorstAreaMismatch(const Hierarchy& h, size_t level) {
  std::map<RegionId, double> sums;
  for (RegionId id : h.regions(level)) {
    if (h.parent(id) != kNoRegion) sums[h.parent(id)] += AreaM2(h.geometry(id));
  }
  double worst = 0;
  for (const auto& [parent, sum] : sums) {
    const double area = AreaM2(h.geometry(parent));
    worst = std::max(worst, std::abs(sum - area) / area);
  }
  return worst;
}

double IntersectionAreaM2(const MultiPolygonView& a, const MultiPolygonView& b) {
  return AreaOf(*Geos(a)->intersection(Geos(b).get()));
}

double DifferenceAreaM2(const MultiPolygonView& a, const MultiPolygonView& b) {
  return AreaOf(*Geos(a)->difference(Geos(b).get()));
}

double UncoveredAreaM2(const MultiPolygonView& parent,
                       const std::vector<MultiPolygonView>& children) {
  std::vector<std::unique_ptr<geos::geom::Geometry>> parts;
  for (const MultiPolygonView& c : children) parts.push_back(Geos(c));
  std::vector<const geos::geom::Geometry*> raw;
  for (const auto& p : parts) raw.push_back(p.get());
  std::unique_ptr<geos::geom::Geometry> collection(Factory().createGeometryCollection(raw));
  std::unique_ptr<geos::geom::Geometry> united = collection->Union();
  return AreaOf(*Geos(parent)->difference(united.get()));
}

double SymmetricDifferenceRatio(const MultiPolygonView& a, const MultiPolygonView& b) {
  const std::unique_ptr<geos::geom::Geometry> ga = Geos(a);
  return ga->symDifference(Geos(b).get())->getArea() / ga->getArea();
}

bool IsValid(const MultiPolygonView& g) {
  const std::unique_ptr<geos::geom::Geometry> geometry = Geos(g);
  geos::operation::valid::IsValidOp op(geometry.get());
  return op.isValid();
}

}  // namespace wangge::testing
