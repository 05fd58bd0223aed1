#include "synth/internal/defects.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryFactory.h>
#include <geos/geom/Point.h>
#include <geos/operation/valid/IsValidOp.h>

#include "geometry/internal/geos_convert.h"
#include "synth/internal/planar.h"
#include "synth/internal/prng.h"
#include "synth/internal/seeds.h"
#include "wangge/geometry/measure.h"

namespace wangge::internal {
namespace {

constexpr uint64_t kDefectStream = 0x64656663;  // "defc"
constexpr double kNearCoincidentM = 0.01;       // how far the near-coincident vertex moves

using Kind = InjectedDefect::Kind;

// A multipolygon as editable rings (closing point dropped).
struct Rings {
  std::vector<std::vector<Point>> rings;
  std::vector<bool> starts_polygon;

  static Rings Of(const MultiPolygonView& g) {
    Rings r;
    for (size_t p = 0; p < g.polygon_count(); ++p) {
      const PolygonView polygon = g.polygon(p);
      for (size_t i = 0; i < polygon.ring_count(); ++i) {
        const RingView ring = polygon.ring(i);
        r.rings.emplace_back(ring.begin(), ring.end() - 1);
        r.starts_polygon.push_back(i == 0);
      }
    }
    return r;
  }
  MultiPolygon Build() const {
    MultiPolygon m;
    for (size_t i = 0; i < rings.size(); ++i) {
      std::vector<Point> closed = rings[i];
      closed.push_back(closed.front());
      m.AddRing(closed, starts_polygon[i]);
    }
    return m;
  }
};

// Position of a directed segment rings[ring][i] → rings[ring][i + 1 mod n].
struct Spot {
  size_t ring;
  size_t i;
};

Point At(const Rings& r, Spot s, size_t offset = 0) {
  const std::vector<Point>& ring = r.rings[s.ring];
  return ring[(s.i + offset) % ring.size()];
}

double LengthM(const Point& a, const Point& b) {
  const MetricScale m = MetresPerDegree((a.y + b.y) / 2);
  return std::hypot((b.x - a.x) * m.x, (b.y - a.y) * m.y);
}

// Returns `base` moved by (along, across) metres: along the direction a→b and across it, to its
// left for positive `across`.
Point Offset(const Point& base, const Point& a, const Point& b, double along, double across) {
  const MetricScale m = MetresPerDegree(base.y);
  const double dx = (b.x - a.x) * m.x, dy = (b.y - a.y) * m.y;
  const double len = std::hypot(dx, dy);
  const double ux = dx / len, uy = dy / len;
  return {base.x + (along * ux - across * uy) / m.x, base.y + (along * uy + across * ux) / m.y};
}

MultiPolygon Triangle(const Point& a, const Point& b, const Point& c) {
  MultiPolygon m;
  m.AddRing(std::vector<Point>{a, b, c, a}, true);
  return m;
}

class Injector {
 public:
  Injector(Model* model, const UnitGraph& graph, uint64_t seed)
      : model_(*model), graph_(graph), rng_(Mix({seed, kDefectStream})) {
    factory_ = geos::geom::GeometryFactory::create();
    const std::vector<RegionData>& grids = model_.regions[kGrid];
    // Grids in a random order, and which grids touch which.
    order_.resize(grids.size());
    for (size_t g = 0; g < order_.size(); ++g) order_[g] = static_cast<uint32_t>(g);
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng_.Below(i)]);
    adjacent_.resize(grids.size());
    for (uint32_t u = 0; u < graph_.size(); ++u) {
      const std::span<const uint32_t> nbrs = graph_.neighbours(u);
      const std::span<const float> shared = graph_.shared(u);
      for (size_t k = 0; k < nbrs.size(); ++k) {
        if (shared[k] <= 0) continue;
        const uint32_t a = GridOf(u), b = GridOf(nbrs[k]);
        if (a != b) adjacent_[a].insert(b);
      }
    }
    used_.assign(grids.size(), false);
  }

  Status Inject(Kind kind, bool grid_level) {
    for (; cursor_ < order_.size(); ++cursor_) {
      const uint32_t g = order_[cursor_];
      if (used_[g]) continue;
      Result<bool> done = TryAt(kind, grid_level, g);
      if (!done.ok()) return done.status();
      if (*done) {
        ++cursor_;
        return Status::Ok();
      }
    }
    return Status::ResourceExhausted("not enough far-apart grids left to inject another " +
                                     std::string(InjectedDefectKindName(kind)) +
                                     " defect; ask for fewer defects");
  }

  std::vector<InjectedDefect> truth;

 private:
  uint32_t GridOf(uint32_t unit) const { return model_.regions[kUnit][unit].parent_index; }
  uint32_t CommunityOf(uint32_t grid) const { return model_.regions[kGrid][grid].parent_index; }

  void Reserve(uint32_t g) {
    used_[g] = true;
    for (uint32_t h : adjacent_[g]) used_[h] = true;
  }

  std::unique_ptr<geos::geom::Geometry> Geos(const MultiPolygon& m) const {
    return ToGeos(*factory_, m.view());
  }
  bool Valid(const MultiPolygon& m) const {
    const std::unique_ptr<geos::geom::Geometry> g = Geos(m);
    geos::operation::valid::IsValidOp op(g.get());
    return op.isValid();
  }

  // The longest segment of `a` whose reverse is a segment of `b`.
  std::optional<Spot> LongestShared(const Rings& a, const Rings& b) const {
    std::set<std::pair<Point, Point>> reversed;
    for (const std::vector<Point>& ring : b.rings) {
      for (size_t i = 0; i < ring.size(); ++i) {
        reversed.insert({ring[(i + 1) % ring.size()], ring[i]});
      }
    }
    std::optional<Spot> best;
    double best_length = 0;
    for (size_t r = 0; r < a.rings.size(); ++r) {
      const std::vector<Point>& ring = a.rings[r];
      for (size_t i = 0; i < ring.size(); ++i) {
        const Point& p = ring[i];
        const Point& q = ring[(i + 1) % ring.size()];
        if (!reversed.count({p, q})) continue;
        const double len = LengthM(p, q);
        if (len > best_length) {
          best_length = len;
          best = Spot{r, i};
        }
      }
    }
    return best;
  }

  // A vertex of `a` with both its segments shared (reversed) with `b`.
  std::optional<Spot> SharedVertex(const Rings& a, const Rings& b) const {
    std::set<std::pair<Point, Point>> reversed;
    for (const std::vector<Point>& ring : b.rings) {
      for (size_t i = 0; i < ring.size(); ++i) {
        reversed.insert({ring[(i + 1) % ring.size()], ring[i]});
      }
    }
    std::optional<Spot> best;
    double best_length = 0;
    for (size_t r = 0; r < a.rings.size(); ++r) {
      const std::vector<Point>& ring = a.rings[r];
      const size_t n = ring.size();
      for (size_t i = 0; i < n; ++i) {
        const Point& u = ring[(i + n - 1) % n];
        const Point& v = ring[i];
        const Point& w = ring[(i + 1) % n];
        if (!reversed.count({u, v}) || !reversed.count({v, w})) continue;
        const double len = std::min(LengthM(u, v), LengthM(v, w));
        if (len > best_length) {
          best_length = len;
          best = Spot{r, i};
        }
      }
    }
    return best;
  }

  // Candidate pairs (A in grid g, B) by the rule of the kind; calls f until it returns true.
  bool ForPairs(uint32_t g, const std::function<bool(uint32_t, uint32_t)>& accept_b,
                const std::function<bool(uint32_t, uint32_t)>& f) const {
    for (uint32_t a : model_.regions[kGrid][g].children) {
      const std::span<const uint32_t> nbrs = graph_.neighbours(a);
      const std::span<const float> shared = graph_.shared(a);
      for (size_t k = 0; k < nbrs.size(); ++k) {
        if (shared[k] <= 0 || !accept_b(a, nbrs[k])) continue;
        if (f(a, nbrs[k])) return true;
      }
    }
    return false;
  }

  void Record(Kind kind, bool grid_level, uint32_t a, uint32_t b, double area, const Point& at) {
    InjectedDefect d;
    d.kind = kind;
    d.area_m2 = area;
    d.location = at;
    if (grid_level) {
      const RegionData& ga = model_.regions[kGrid][GridOf(a)];
      d.level = model_.levels[kGrid].name;
      d.codes = {ga.code, model_.regions[kGrid][GridOf(b)].code};
      d.parent = ga.parent;
    } else {
      const RegionData& ua = model_.regions[kUnit][a];
      d.level = model_.levels[kUnit].name;
      d.codes = {ua.code};
      if (b != UINT32_MAX) d.codes.push_back(model_.regions[kUnit][b].code);
      d.parent = ua.parent;
    }
    truth.push_back(std::move(d));
  }

  Status RebuildGrid(uint32_t g) {
    std::vector<Segment> segments;
    for (uint32_t u : model_.regions[kGrid][g].children) {
      AppendSegments(model_.regions[kUnit][u].geometry.view(), &segments);
    }
    Result<MultiPolygon> m = AssembleRings(std::move(segments));
    if (!m.ok()) return m.status().WithContext("rebuilding grid " + model_.regions[kGrid][g].code);
    model_.regions[kGrid][g].geometry = std::move(m).value();
    return Status::Ok();
  }

  // A triangle on the shared segment p→q of A: a bump into B (outward) or a notch into A.
  bool Triangular(uint32_t a, uint32_t b, bool bump, Kind kind, bool grid_level) {
    Rings ra = Rings::Of(model_.regions[kUnit][a].geometry.view());
    const Rings rb = Rings::Of(model_.regions[kUnit][b].geometry.view());
    const std::optional<Spot> spot = LongestShared(ra, rb);
    if (!spot) return false;
    const Point p = At(ra, *spot), q = At(ra, *spot, 1);
    const double len = LengthM(p, q);
    if (len < 2) return false;
    const Point mid{(p.x + q.x) / 2, (p.y + q.y) / 2};
    const MultiPolygon& host =
        (bump ? model_.regions[kUnit][b] : model_.regions[kUnit][a]).geometry;
    const std::unique_ptr<geos::geom::Geometry> host_geos = Geos(host);
    for (double h : {0.3 * len, 0.15 * len, 0.07 * len}) {
      // A's interior is on the left of p→q: a bump goes right, a notch left.
      const Point apex = SnapToGrid(Offset(mid, p, q, 0, bump ? -h : h));
      const MultiPolygon tri = Triangle(p, apex, q);
      const std::unique_ptr<geos::geom::Geometry> tri_geos = Geos(tri);
      if (!host_geos->contains(tri_geos.get())) continue;
      // Keep the apex clear of the host's other edges (about 0.2 h; degrees are ~111 km).
      const std::unique_ptr<geos::geom::Point> apex_geos(
          factory_->createPoint(geos::geom::Coordinate(apex.x, apex.y)));
      if (host_geos->getBoundary()->distance(apex_geos.get()) < 0.2 * h / 111000) continue;
      Rings edited = ra;
      std::vector<Point>& ring = edited.rings[spot->ring];
      ring.insert(ring.begin() + static_cast<std::ptrdiff_t>(spot->i + 1), apex);
      MultiPolygon fresh = edited.Build();
      if (!Valid(fresh)) continue;
      model_.regions[kUnit][a].geometry = std::move(fresh);
      Record(kind, grid_level, a, b, AreaM2(tri.view()),
             {(p.x + q.x + apex.x) / 3, (p.y + q.y + apex.y) / 3});
      return true;
    }
    return false;
  }

  bool TJunction(uint32_t a, uint32_t b, bool grid_level) {
    Rings ra = Rings::Of(model_.regions[kUnit][a].geometry.view());
    const Rings rb = Rings::Of(model_.regions[kUnit][b].geometry.view());
    const std::optional<Spot> spot = LongestShared(ra, rb);
    if (!spot) return false;
    const Point p = At(ra, *spot), q = At(ra, *spot, 1);
    if (LengthM(p, q) < 1) return false;
    // Exactly on the segment: sums of grid coordinates are exact, halving too.
    const Point mid{(p.x + q.x) / 2, (p.y + q.y) / 2};
    std::vector<Point>& ring = ra.rings[spot->ring];
    ring.insert(ring.begin() + static_cast<std::ptrdiff_t>(spot->i + 1), mid);
    MultiPolygon fresh = ra.Build();
    if (!Valid(fresh)) return false;
    model_.regions[kUnit][a].geometry = std::move(fresh);
    Record(Kind::kTJunction, grid_level, a, b, 0, mid);
    return true;
  }

  bool NearCoincident(uint32_t a, uint32_t b, bool grid_level) {
    Rings ra = Rings::Of(model_.regions[kUnit][a].geometry.view());
    const Rings rb = Rings::Of(model_.regions[kUnit][b].geometry.view());
    const std::optional<Spot> spot = SharedVertex(ra, rb);
    if (!spot) return false;
    std::vector<Point>& ring = ra.rings[spot->ring];
    const size_t n = ring.size();
    const Point u = ring[(spot->i + n - 1) % n], v = ring[spot->i], w = ring[(spot->i + 1) % n];
    if (LengthM(u, v) < 1 || LengthM(v, w) < 1) return false;
    // Into A: left of both u→v and v→w, i.e. along the sum of their left normals.
    const Point left1 = Offset(v, u, v, 0, 1), left2 = Offset(v, v, w, 0, 1);
    const MetricScale m = MetresPerDegree(v.y);
    const double nx = (left1.x - v.x + left2.x - v.x) * m.x;
    const double ny = (left1.y - v.y + left2.y - v.y) * m.y;
    const double norm = std::hypot(nx, ny);
    if (norm < 0.2) return false;  // a hairpin
    const Point moved{v.x + kNearCoincidentM * nx / norm / m.x,
                      v.y + kNearCoincidentM * ny / norm / m.y};
    ring[spot->i] = moved;
    MultiPolygon fresh = ra.Build();
    if (!Valid(fresh)) return false;
    MultiPolygon sliver;
    sliver.AddRing(std::vector<Point>{u, v, w, moved, u}, true);
    model_.regions[kUnit][a].geometry = std::move(fresh);
    Record(Kind::kNearCoincidentEdge, grid_level, a, b, AreaM2(sliver.view()), v);
    return true;
  }

  bool BowTie(uint32_t a) {
    Rings ra = Rings::Of(model_.regions[kUnit][a].geometry.view());
    const std::unique_ptr<geos::geom::Geometry> host = Geos(model_.regions[kUnit][a].geometry);
    const double size_m = std::sqrt(AreaM2(model_.regions[kUnit][a].geometry.view()));
    std::vector<Point>& ring = ra.rings[0];
    const size_t n = ring.size();
    for (size_t i = 0; i < n; ++i) {
      const Point u = ring[(i + n - 1) % n], v = ring[i], w = ring[(i + 1) % n];
      // Bisector into A at v.
      const Point left1 = Offset(v, u, v, 0, 1), left2 = Offset(v, v, w, 0, 1);
      const MetricScale m = MetresPerDegree(v.y);
      double bx = (left1.x - v.x + left2.x - v.x) * m.x;
      double by = (left1.y - v.y + left2.y - v.y) * m.y;
      const double norm = std::hypot(bx, by);
      if (norm < 0.5) continue;
      bx /= norm;
      by /= norm;
      const double s = 0.06 * size_m;
      auto local = [&](double along, double across) {  // along the bisector, across to its left
        return SnapToGrid(Point{v.x + s * (along * bx - across * by) / m.x,
                                v.y + s * (along * by + across * bx) / m.y});
      };
      const Point p1 = local(2, 1), p2 = local(2, -1), p3 = local(1, 1);
      MultiPolygon loop;
      loop.AddRing(std::vector<Point>{v, p1, p2, v}, true);
      if (!host->contains(Geos(loop).get())) continue;
      MultiPolygon loop2;
      loop2.AddRing(std::vector<Point>{v, p3, p1, v}, true);
      if (!host->contains(Geos(loop2).get())) continue;
      Rings edited = ra;
      std::vector<Point>& er = edited.rings[0];
      er.insert(er.begin() + static_cast<std::ptrdiff_t>(i + 1), {p1, p2, p3, v});
      MultiPolygon fresh = edited.Build();
      if (Valid(fresh)) continue;  // it must be a real bow-tie
      // The crossing of v→p1 and p2→p3, and the two lobes.
      const double d1x = p1.x - v.x, d1y = p1.y - v.y, d2x = p3.x - p2.x, d2y = p3.y - p2.y;
      const double den = d1x * d2y - d1y * d2x;
      if (den == 0) continue;
      const double t = ((p2.x - v.x) * d2y - (p2.y - v.y) * d2x) / den;
      const Point x{v.x + t * d1x, v.y + t * d1y};
      const double area = AreaM2(Triangle(v, x, p3).view()) + AreaM2(Triangle(x, p1, p2).view());
      model_.regions[kUnit][a].geometry = std::move(fresh);
      Record(Kind::kInvalidGeometry, false, a, UINT32_MAX, area, x);
      return true;
    }
    return false;
  }

  Result<bool> TryAt(Kind kind, bool grid_level, uint32_t g) {
    const uint32_t community = CommunityOf(g);
    uint32_t partner_grid = UINT32_MAX;
    auto sibling_unit = [&](uint32_t, uint32_t b) { return GridOf(b) == g; };
    auto sibling_grid = [&](uint32_t, uint32_t b) {
      const uint32_t h = GridOf(b);
      return h != g && !used_[h] && CommunityOf(h) == community;
    };
    auto other_grid = [&](uint32_t, uint32_t b) {
      const uint32_t h = GridOf(b);
      return h != g && !used_[h];
    };
    auto other_community = [&](uint32_t, uint32_t b) {
      const uint32_t h = GridOf(b);
      return h != g && !used_[h] && CommunityOf(h) != community;
    };
    auto remember = [&](bool ok, uint32_t b) {
      if (ok) partner_grid = GridOf(b);
      return ok;
    };
    bool done = false;
    try {
      switch (kind) {
        case Kind::kOverlap:
        case Kind::kGap: {
          const bool bump = kind == Kind::kOverlap;
          done = ForPairs(
              g, grid_level ? std::function<bool(uint32_t, uint32_t)>(sibling_grid) : sibling_unit,
              [&](uint32_t a, uint32_t b) {
                return remember(Triangular(a, b, bump, kind, grid_level), b);
              });
          break;
        }
        case Kind::kOutsideParent:
          done = ForPairs(
              g, grid_level ? std::function<bool(uint32_t, uint32_t)>(other_community) : other_grid,
              [&](uint32_t a, uint32_t b) {
                return remember(Triangular(a, b, true, kind, grid_level), b);
              });
          break;
        case Kind::kTJunction:
          done = ForPairs(
              g, grid_level ? std::function<bool(uint32_t, uint32_t)>(sibling_grid) : sibling_unit,
              [&](uint32_t a, uint32_t b) { return remember(TJunction(a, b, grid_level), b); });
          break;
        case Kind::kNearCoincidentEdge:
          done = ForPairs(
              g, grid_level ? std::function<bool(uint32_t, uint32_t)>(sibling_grid) : sibling_unit,
              [&](uint32_t a, uint32_t b) {
                return remember(NearCoincident(a, b, grid_level), b);
              });
          break;
        case Kind::kInvalidGeometry:
          for (uint32_t a : model_.regions[kGrid][g].children) {
            if (BowTie(a)) {
              done = true;
              break;
            }
          }
          break;
        case Kind::kDuplicateCode:
          done = ForPairs(g, sibling_unit, [&](uint32_t a, uint32_t b) {
            model_.regions[kUnit][a].code = model_.regions[kUnit][b].code;
            Record(kind, false, a, UINT32_MAX, 0,
                   model_.regions[kUnit][a].geometry.view().points()[0]);
            return true;
          });
          break;
        case Kind::kMissingParent: {
          const uint32_t a = model_.regions[kGrid][g].children.front();
          RegionData& unit = model_.regions[kUnit][a];
          unit.parent = model_.regions[kCommunity][community].code + "999";
          Record(kind, false, a, UINT32_MAX, 0, unit.geometry.view().points()[0]);
          done = true;
          break;
        }
      }
    } catch (const std::exception& e) {
      return Status::Internal(std::string("defect injection (GEOS): ") + e.what());
    }
    if (!done) return false;
    Reserve(g);
    if (partner_grid != UINT32_MAX) Reserve(partner_grid);
    if (grid_level) {
      Status s = RebuildGrid(g);
      if (!s.ok()) return s;
    }
    return true;
  }

  Model& model_;
  const UnitGraph& graph_;
  Rng rng_;
  geos::geom::GeometryFactory::Ptr factory_;
  std::vector<uint32_t> order_;
  std::vector<std::set<uint32_t>> adjacent_;
  std::vector<bool> used_;
  size_t cursor_ = 0;
};

}  // namespace

Result<std::vector<InjectedDefect>> InjectDefects(Model* model, const UnitGraph& graph,
                                                  size_t per_kind, uint64_t seed) {
  Injector injector(model, graph, seed);
  const Kind kinds[] = {Kind::kOverlap,
                        Kind::kGap,
                        Kind::kOutsideParent,
                        Kind::kTJunction,
                        Kind::kNearCoincidentEdge,
                        Kind::kInvalidGeometry,
                        Kind::kDuplicateCode,
                        Kind::kMissingParent};
  for (Kind kind : kinds) {
    for (size_t i = 0; i < per_kind; ++i) {
      Status s = injector.Inject(kind, /*grid_level=*/false);
      if (!s.ok()) return s;
    }
  }
  const Kind geometric[] = {Kind::kOverlap, Kind::kGap, Kind::kOutsideParent, Kind::kTJunction,
                            Kind::kNearCoincidentEdge};
  for (Kind kind : geometric) {
    for (size_t i = 0; i < (per_kind + 1) / 2; ++i) {
      Status s = injector.Inject(kind, /*grid_level=*/true);
      if (!s.ok()) return s;
    }
  }
  return std::move(injector.truth);
}

}  // namespace wangge::internal
