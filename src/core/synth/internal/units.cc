#include "synth/internal/units.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include <boost/polygon/voronoi.hpp>
#include <tbb/parallel_for.h>

#include "synth/internal/planar.h"
#include "synth/internal/prng.h"
#include "synth/internal/snap_noder.h"
#include "wangge/geometry/ring_contains.h"

namespace {

struct IntPoint {
  int32_t x;
  int32_t y;
};

}  // namespace

namespace boost::polygon {
template <>
struct geometry_concept<IntPoint> {
  typedef point_concept type;
};
template <>
struct point_traits<IntPoint> {
  typedef int32_t coordinate_type;
  static coordinate_type get(const IntPoint& p, orientation_2d o) {
    return o == HORIZONTAL ? p.x : p.y;
  }
};
}  // namespace boost::polygon

namespace wangge::internal {
namespace {

constexpr uint64_t kWiggleStream = 0x77696767;  // "wigg"
constexpr uint64_t kTargetStream = 0x74617267;  // "targ"
constexpr int kMaxInserted = 9;
constexpr size_t kMinPoints = 21;  // 20 distinct vertices + the closing point
constexpr size_t kMaxPoints = 60;
constexpr int64_t kNone = -2;      // no label
constexpr int64_t kOutside = -1;   // district label: not in any district
constexpr int64_t kConflict = -3;  // two different labels on one face
constexpr double kPixel = 1 / kGridScale;

// ---------------------------------------------------------------------------------------------
// The Voronoi diagram, with every edge stored once in canonical direction (lo < hi).

struct VoronoiEdge {
  Point lo, hi;
  int64_t left, right;  // cells on either side when walking lo→hi (frame cells ≥ real count)
  double length_m;
  double amplitude_limit_m;  // distance from the sites to the edge's line
};

struct Voronoi {
  size_t real = 0;
  std::vector<VoronoiEdge> edges;
  // Real cell c: directed edges cell_edges[begin[c], begin[c+1]); 2e walks lo→hi, 2e+1 hi→lo.
  std::vector<uint32_t> cell_begin;
  std::vector<uint32_t> cell_edges;

  std::span<const uint32_t> cell(size_t c) const {
    return std::span<const uint32_t>(cell_edges)
        .subspan(cell_begin[c], cell_begin[c + 1] - cell_begin[c]);
  }
  int64_t Other(uint32_t directed) const {  // the cell across a directed edge of a cell
    const VoronoiEdge& e = edges[directed / 2];
    return (directed & 1) ? e.left : e.right;
  }
};

double DistanceToLineM(const Point& p, const Point& a, const Point& b) {
  const MetricScale m = MetresPerDegree(p.y);
  const double ax = (a.x - p.x) * m.x, ay = (a.y - p.y) * m.y;
  const double bx = (b.x - p.x) * m.x, by = (b.y - p.y) * m.y;
  const double len = std::hypot(bx - ax, by - ay);
  if (len == 0) return std::hypot(ax, ay);
  return std::abs(ax * by - ay * bx) / len;
}

double LengthM(const Point& a, const Point& b) {
  const MetricScale m = MetresPerDegree((a.y + b.y) / 2);
  const double dx = (b.x - a.x) * m.x, dy = (b.y - a.y) * m.y;
  return std::sqrt(dx * dx + dy * dy);
}

Result<Voronoi> BuildVoronoi(const std::vector<Point>& seeds, const Box& extent) {
  Voronoi v;
  v.real = seeds.size();
  const double lon0 = (extent.min_x + extent.max_x) / 2;
  const double lat0 = (extent.min_y + extent.max_y) / 2;
  const double cos0 = std::cos(lat0 * std::numbers::pi / 180);
  auto to_int = [&](const Point& p) {
    return IntPoint{static_cast<int32_t>(std::llround((p.x - lon0) * cos0 * kGridScale)),
                    static_cast<int32_t>(std::llround((p.y - lat0) * kGridScale))};
  };
  std::vector<IntPoint> sites;
  sites.reserve(seeds.size() + 200);
  for (const Point& p : seeds) sites.push_back(to_int(p));
  // A frame of far-away sites closes every real cell.
  const double margin = std::max(extent.width(), extent.height()) * 0.6;
  const Box frame{extent.min_x - margin, extent.min_y - margin, extent.max_x + margin,
                  extent.max_y + margin};
  constexpr int kFrameSide = 24;
  for (int i = 0; i < kFrameSide; ++i) {
    const double t = static_cast<double>(i) / kFrameSide;
    sites.push_back(to_int({frame.min_x + t * frame.width(), frame.min_y}));
    sites.push_back(to_int({frame.max_x, frame.min_y + t * frame.height()}));
    sites.push_back(to_int({frame.max_x - t * frame.width(), frame.max_y}));
    sites.push_back(to_int({frame.min_x, frame.max_y - t * frame.height()}));
  }
  boost::polygon::voronoi_diagram<double> vd;
  boost::polygon::construct_voronoi(sites.begin(), sites.end(), &vd);
  if (vd.cells().size() != sites.size()) {
    return Status::Internal("Voronoi: " + std::to_string(sites.size() - vd.cells().size()) +
                            " seeds coincide");
  }
  auto vertex_point = [&](const boost::polygon::voronoi_vertex<double>* vx) {
    return SnapToGrid(Point{lon0 + vx->x() / (cos0 * kGridScale), lat0 + vx->y() / kGridScale});
  };
  const auto& all = vd.edges();
  std::vector<int64_t> id_of(all.size(), -1);  // half-edge → 2 * edge id + reversed
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& e = all[i];
    const size_t twin = static_cast<size_t>(e.twin() - all.data());
    if (twin < i) continue;
    const size_t a = e.cell()->source_index();
    const size_t b = e.twin()->cell()->source_index();
    if (a >= v.real && b >= v.real) continue;
    if (!e.is_finite()) return Status::Internal("Voronoi: a unit cell is unbounded");
    const Point p0 = vertex_point(e.vertex0());
    const Point p1 = vertex_point(e.vertex1());
    if (p0 == p1) continue;  // shorter than the grid: both ends became one vertex
    VoronoiEdge edge;
    const bool forward = p0 < p1;
    edge.lo = forward ? p0 : p1;
    edge.hi = forward ? p1 : p0;
    edge.left = static_cast<int64_t>(forward ? a : b);
    edge.right = static_cast<int64_t>(forward ? b : a);
    edge.length_m = LengthM(edge.lo, edge.hi);
    double limit = std::numeric_limits<double>::infinity();
    if (a < v.real) limit = std::min(limit, DistanceToLineM(seeds[a], edge.lo, edge.hi));
    if (b < v.real) limit = std::min(limit, DistanceToLineM(seeds[b], edge.lo, edge.hi));
    edge.amplitude_limit_m = limit;
    const auto id = static_cast<int64_t>(v.edges.size());
    v.edges.push_back(edge);
    id_of[i] = 2 * id + (forward ? 0 : 1);
    id_of[twin] = 2 * id + (forward ? 1 : 0);
  }
  std::vector<const boost::polygon::voronoi_cell<double>*> cell_of_site(sites.size());
  for (const auto& cell : vd.cells()) cell_of_site[cell.source_index()] = &cell;
  v.cell_begin.push_back(0);
  for (size_t c = 0; c < v.real; ++c) {
    const auto* first = cell_of_site[c]->incident_edge();
    const auto* e = first;
    do {
      const int64_t id = id_of[static_cast<size_t>(e - all.data())];
      if (id >= 0) v.cell_edges.push_back(static_cast<uint32_t>(id));
      e = e->next();
    } while (e != first);
    v.cell_begin.push_back(static_cast<uint32_t>(v.cell_edges.size()));
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Wiggles.

std::vector<Point> Wiggle(const VoronoiEdge& e, int inserted, uint64_t seed) {
  std::vector<Point> out{e.lo};
  if (inserted > 0) {
    const MetricScale m = MetresPerDegree((e.lo.y + e.hi.y) / 2);
    const double dx = (e.hi.x - e.lo.x) * m.x;
    const double dy = (e.hi.y - e.lo.y) * m.y;
    const double length = std::hypot(dx, dy);
    Rng rng(Mix({seed, kWiggleStream, Bits(e.lo.x), Bits(e.lo.y), Bits(e.hi.x), Bits(e.hi.y)}));
    const double a1 = rng.Uniform(-1, 1);
    const double a2 = rng.Uniform(-1, 1);
    const double a3 = rng.Uniform(-1, 1);
    const double norm = std::abs(a1) + 0.6 * std::abs(a2) + 0.4 * std::abs(a3) + 1e-9;
    const double amplitude =
        std::min(0.07 * length, 0.3 * e.amplitude_limit_m) * rng.Uniform(0.5, 1.0);
    const double nx = -dy / length;
    const double ny = dx / length;
    constexpr double kPi = std::numbers::pi;
    for (int i = 0; i < inserted; ++i) {
      const double t = (i + 1 + rng.Uniform(-0.3, 0.3)) / (inserted + 1);
      const double d = amplitude *
                       (a1 * std::sin(kPi * t) + 0.6 * a2 * std::sin(2 * kPi * t) +
                        0.4 * a3 * std::sin(3 * kPi * t)) /
                       norm;
      const Point p = SnapToGrid(Point{e.lo.x + t * (e.hi.x - e.lo.x) + d * nx / m.x,
                                       e.lo.y + t * (e.hi.y - e.lo.y) + d * ny / m.y});
      if (!(p == out.back()) && !(p == e.hi)) out.push_back(p);
    }
  }
  out.push_back(e.hi);
  return out;
}

// Appends the points of directed edge `d` (without its last point) to `ring`.
void AppendDirected(const std::vector<std::vector<Point>>& lines, uint32_t d,
                    std::vector<Point>* ring) {
  const std::vector<Point>& line = lines[d / 2];
  if (d & 1) {
    for (size_t i = line.size() - 1; i > 0; --i) ring->push_back(line[i]);
  } else {
    ring->insert(ring->end(), line.begin(), line.end() - 1);
  }
}

std::vector<Point> CellRing(const Voronoi& v, const std::vector<std::vector<Point>>& lines,
                            size_t c) {
  std::vector<Point> ring;
  for (uint32_t d : v.cell(c)) AppendDirected(lines, d, &ring);
  if (!ring.empty()) ring.push_back(ring.front());
  return ring;
}

// ---------------------------------------------------------------------------------------------
// A coarse hash grid of boxes, to find what is near what.

class BoxGrid {
 public:
  explicit BoxGrid(double cell) : cell_(cell) {}
  void Add(const Box& b, uint32_t id) {
    boxes_.push_back(b);
    ids_.push_back(id);
    ForCells(b,
             [&](uint64_t key) { cells_[key].push_back(static_cast<uint32_t>(ids_.size() - 1)); });
  }
  // Calls f(id) for each added box intersecting `b` (possibly more than once).
  template <typename F>
  void Query(const Box& b, F&& f) const {
    ForCells(b, [&](uint64_t key) {
      auto it = cells_.find(key);
      if (it == cells_.end()) return;
      for (uint32_t k : it->second) {
        if (boxes_[k].Intersects(b)) f(ids_[k]);
      }
    });
  }

 private:
  template <typename F>
  void ForCells(const Box& b, F&& f) const {
    const auto x0 = static_cast<int64_t>(std::floor(b.min_x / cell_));
    const auto x1 = static_cast<int64_t>(std::floor(b.max_x / cell_));
    const auto y0 = static_cast<int64_t>(std::floor(b.min_y / cell_));
    const auto y1 = static_cast<int64_t>(std::floor(b.max_y / cell_));
    for (int64_t x = x0; x <= x1; ++x) {
      for (int64_t y = y0; y <= y1; ++y) {
        f((static_cast<uint64_t>(x) << 32) ^ static_cast<uint64_t>(y & 0xffffffff));
      }
    }
  }
  double cell_;
  std::vector<Box> boxes_;
  std::vector<uint32_t> ids_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> cells_;
};

Box Expanded(Box b, double by) {
  b.min_x -= by;
  b.min_y -= by;
  b.max_x += by;
  b.max_y += by;
  return b;
}

// A segment of the border arrangement with the labels of both sides (walking a→b).
struct Labelled {
  Point a, b;
  int64_t cell_left = kNone, cell_right = kNone;
  int64_t district_left = kNone, district_right = kNone;
};

// The points exactly on a segment between two grid points that are grid points themselves: lo +
// k/g (hi - lo) for 0 < k < g, g the gcd of the segment's extent in grid steps.
struct GridLine {
  int64_t dx, dy, g;  // extent in grid steps and their gcd
};

GridLine LineOf(const Point& a, const Point& b) {
  GridLine l;
  l.dx = static_cast<int64_t>(std::llround((b.x - a.x) * kGridScale));
  l.dy = static_cast<int64_t>(std::llround((b.y - a.y) * kGridScale));
  l.g = std::max<int64_t>(1, std::gcd(std::abs(l.dx), std::abs(l.dy)));
  return l;
}

Point PointAt(const Point& a, const GridLine& l, int64_t k) {
  return {a.x + static_cast<double>(l.dx / l.g * k) / kGridScale,
          a.y + static_cast<double>(l.dy / l.g * k) / kGridScale};
}

Status Merge(int64_t* into, int64_t value) {
  if (value == kNone || *into == value) return Status::Ok();
  if (*into == kNone) {
    *into = value;
    return Status::Ok();
  }
  return Status::Internal("border arrangement: one segment with two different labels");
}

// ---------------------------------------------------------------------------------------------
// The partition.

struct Built {
  std::vector<MultiPolygon> units;
  UnitBuildStats stats;
};

Result<Built> BuildPartition(const Voronoi& v, const Seeds& seeds,
                             const std::vector<DistrictOutline>& districts,
                             const RegionLocator& locator, std::vector<int>& inserted,
                             uint64_t seed) {
  Built built;
  UnitBuildStats& stats = built.stats;
  stats.voronoi_edges = v.edges.size();
  const size_t n = v.real;
  const size_t ne = v.edges.size();

  // 1. Wiggle every edge; straighten the edges of cells that come out invalid.
  std::vector<std::vector<Point>> lines(ne);
  tbb::parallel_for(size_t{0}, ne,
                    [&](size_t e) { lines[e] = Wiggle(v.edges[e], inserted[e], seed); });
  auto cell_ok = [&](size_t c) {
    const std::vector<Point> ring = CellRing(v, lines, c);
    return ring.size() >= 4 && SignedArea2(ring) > 0 && IsSimpleRing(ring) &&
           RingContains(ring, seeds.points[c]);
  };
  std::vector<char> ok(n);
  tbb::parallel_for(size_t{0}, n, [&](size_t c) { ok[c] = cell_ok(c) ? 1 : 0; });
  std::vector<size_t> work;
  for (size_t c = 0; c < n; ++c) {
    if (!ok[c]) work.push_back(c);
  }
  while (!work.empty()) {
    const size_t c = work.back();
    work.pop_back();
    if (cell_ok(c)) continue;
    bool changed = false;
    for (uint32_t d : v.cell(c)) {
      const uint32_t e = d / 2;
      if (inserted[e] == 0) continue;
      inserted[e] = 0;
      lines[e] = Wiggle(v.edges[e], 0, seed);
      ++stats.straightened_edges;
      changed = true;
      const int64_t other = v.Other(d);
      if (other >= 0 && static_cast<size_t>(other) < n) work.push_back(static_cast<size_t>(other));
    }
    if (!changed) {
      return Status::Internal("Voronoi cell of seed " + std::to_string(c) +
                              " is invalid even with straight edges");
    }
  }

  // 2. The district borders, labelled with the district on each side.
  std::vector<Labelled> border;
  {
    struct Directed {
      Point lo, hi;
      bool forward;
      int64_t district;
    };
    std::vector<Directed> all;
    for (size_t d = 0; d < districts.size(); ++d) {
      std::vector<Segment> segments;
      AppendSegments(districts[d].geometry.view(), &segments);
      for (const Segment& s : segments) {
        const bool forward = s.a < s.b;
        all.push_back({forward ? s.a : s.b, forward ? s.b : s.a, forward, static_cast<int64_t>(d)});
      }
    }
    std::sort(all.begin(), all.end(), [](const Directed& x, const Directed& y) {
      return x.lo == y.lo ? x.hi < y.hi : x.lo < y.lo;
    });
    for (size_t i = 0; i < all.size();) {
      Labelled l;
      l.a = all[i].lo;
      l.b = all[i].hi;
      l.district_left = l.district_right = kOutside;
      size_t j = i;
      for (; j < all.size() && all[j].lo == all[i].lo && all[j].hi == all[i].hi; ++j) {
        (all[j].forward ? l.district_left : l.district_right) = all[j].district;
      }
      border.push_back(l);
      i = j;
    }
  }
  BoxGrid border_grid(0.005);
  for (size_t i = 0; i < border.size(); ++i) {
    Box b;
    b.Add(border[i].a);
    b.Add(border[i].b);
    border_grid.Add(b, static_cast<uint32_t>(i));
  }
  auto near_border = [&](const Box& b) {
    bool hit = false;
    border_grid.Query(Expanded(b, 8 * kPixel), [&](uint32_t) { hit = true; });
    return hit;
  };

  // 3. Border cells, and the segments to node.
  std::vector<char> is_border(n, 0);
  tbb::parallel_for(size_t{0}, n, [&](size_t c) {
    Box b;
    for (uint32_t d : v.cell(c)) {
      for (const Point& p : lines[d / 2]) b.Add(p);
    }
    is_border[c] = near_border(b) ? 1 : 0;
  });
  for (size_t c = 0; c < n; ++c) stats.border_cells += static_cast<size_t>(is_border[c]);
  auto touches_border_cell = [&](const VoronoiEdge& e) {
    return (e.left >= 0 && static_cast<size_t>(e.left) < n &&
            is_border[static_cast<size_t>(e.left)]) ||
           (e.right >= 0 && static_cast<size_t>(e.right) < n &&
            is_border[static_cast<size_t>(e.right)]);
  };
  // Where a Voronoi segment crosses a border segment, the node is the grid point exactly on the
  // border segment nearest to the crossing (the border segments of the source lie on lines with
  // many such points): the districts keep their shape exactly, the Voronoi side gets a kink of at
  // most a grid step. Snap rounding below then nodes whatever is left (nothing, normally).
  {
    struct Crossing {
      uint32_t edge, segment;
      double along;  // position along the Voronoi segment
      uint32_t border;
      int64_t step;  // position along the border segment, in its exact steps
      Point at;
    };
    std::vector<Crossing> crossings;
    for (size_t e = 0; e < ne; ++e) {
      if (!touches_border_cell(v.edges[e])) continue;
      const std::vector<Point>& line = lines[e];
      for (size_t k = 0; k + 1 < line.size(); ++k) {
        const Point a = line[k], b = line[k + 1];
        Box box;
        box.Add(a);
        box.Add(b);
        border_grid.Query(box, [&](uint32_t i) {
          const Point c = border[i].a, d = border[i].b;
          if (!SegmentsIntersect(a, b, c, d)) return;
          const double rx = b.x - a.x, ry = b.y - a.y, sx = d.x - c.x, sy = d.y - c.y;
          const double den = rx * sy - ry * sx;
          if (den == 0) return;  // collinear: left to snap rounding
          const double t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / den;  // along a→b
          const double u = ((c.x - a.x) * ry - (c.y - a.y) * rx) / den;  // along c→d
          const GridLine gl = LineOf(c, d);
          if (gl.g < 2) return;
          const int64_t step =
              std::clamp<int64_t>(std::llround(u * static_cast<double>(gl.g)), 1, gl.g - 1);
          const Point at = PointAt(c, gl, step);
          // Near a vertex of either segment the kink could fold the arrangement: left to snap
          // rounding.
          auto clear = [&](const Point& q) {
            return std::max(std::abs(q.x - at.x), std::abs(q.y - at.y)) > 4 * kPixel;
          };
          if (!clear(a) || !clear(b) || !clear(c) || !clear(d)) return;
          crossings.push_back({static_cast<uint32_t>(e), static_cast<uint32_t>(k), t, i, step, at});
        });
      }
    }
    // Duplicates (a segment met twice through the grid's cells) go.
    std::sort(crossings.begin(), crossings.end(), [](const Crossing& x, const Crossing& y) {
      if (x.edge != y.edge) return x.edge < y.edge;
      if (x.segment != y.segment) return x.segment < y.segment;
      if (x.along != y.along) return x.along < y.along;
      return x.border < y.border;
    });
    crossings.erase(std::unique(crossings.begin(), crossings.end(),
                                [](const Crossing& x, const Crossing& y) {
                                  return x.edge == y.edge && x.segment == y.segment &&
                                         x.border == y.border;
                                }),
                    crossings.end());
    // Two crossings at one point (a Voronoi vertex on the border) would join two edges there:
    // also left to snap rounding.
    {
      std::map<std::pair<uint32_t, int64_t>, int> at_step;
      for (const Crossing& c : crossings) ++at_step[{c.border, c.step}];
      crossings.erase(std::remove_if(crossings.begin(), crossings.end(),
                                     [&](const Crossing& c) {
                                       return at_step[{c.border, c.step}] > 1;
                                     }),
                      crossings.end());
    }
    // Insert into the Voronoi polylines.
    for (size_t i = 0; i < crossings.size();) {
      const uint32_t e = crossings[i].edge;
      const std::vector<Point>& old = lines[e];
      std::vector<Point> fresh;
      size_t j = i;
      for (size_t k = 0; k + 1 < old.size(); ++k) {
        if (fresh.empty() || !(fresh.back() == old[k])) fresh.push_back(old[k]);
        for (; j < crossings.size() && crossings[j].edge == e && crossings[j].segment == k; ++j) {
          if (!(fresh.back() == crossings[j].at) && !(crossings[j].at == old[k + 1])) {
            fresh.push_back(crossings[j].at);
          }
        }
      }
      if (!(fresh.back() == old.back())) fresh.push_back(old.back());
      lines[e] = std::move(fresh);
      i = j;
    }
    // Split the border segments.
    std::sort(crossings.begin(), crossings.end(), [](const Crossing& x, const Crossing& y) {
      return x.border != y.border ? x.border < y.border : x.step < y.step;
    });
    std::vector<Labelled> split;
    size_t j = 0;
    for (size_t i = 0; i < border.size(); ++i) {
      Point from = border[i].a;
      for (; j < crossings.size() && crossings[j].border == i; ++j) {
        if (crossings[j].at == from || crossings[j].at == border[i].b) continue;
        Labelled piece = border[i];
        piece.a = from;
        piece.b = crossings[j].at;
        split.push_back(piece);
        from = crossings[j].at;
      }
      Labelled piece = border[i];
      piece.a = from;
      split.push_back(piece);
    }
    border = std::move(split);
  }
  std::vector<std::vector<Point>> to_node;
  std::vector<std::pair<uint32_t, uint32_t>> origin;  // (edge, segment) of each Voronoi string
  for (size_t e = 0; e < ne; ++e) {
    if (!touches_border_cell(v.edges[e])) continue;
    const std::vector<Point>& line = lines[e];
    for (size_t k = 0; k + 1 < line.size(); ++k) {
      Box b;
      b.Add(line[k]);
      b.Add(line[k + 1]);
      if (!near_border(b)) continue;
      to_node.push_back({line[k], line[k + 1]});
      origin.emplace_back(static_cast<uint32_t>(e), static_cast<uint32_t>(k));
    }
  }
  const size_t voronoi_strings = to_node.size();
  for (const Labelled& l : border) to_node.push_back({l.a, l.b});
  stats.noded_segments = to_node.size();
  Result<std::vector<std::vector<Point>>> noded = SnapNode(to_node);
  if (!noded.ok()) return noded.status();
  to_node = {};
  {
    // Rebuild the noded edges: each noded segment replaced by its pieces.
    std::map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> by_edge;  // edge → (seg, string)
    for (size_t s = 0; s < voronoi_strings; ++s) {
      by_edge[origin[s].first].emplace_back(origin[s].second, static_cast<uint32_t>(s));
    }
    for (auto& [e, segs] : by_edge) {
      const std::vector<Point>& old = lines[e];
      std::vector<Point> fresh{old.front()};
      size_t next = 0;
      std::sort(segs.begin(), segs.end());
      for (size_t k = 0; k + 1 < old.size(); ++k) {
        if (next < segs.size() && segs[next].first == k) {
          const std::vector<Point>& pieces = (*noded)[segs[next].second];
          for (size_t i = 1; i < pieces.size(); ++i) {
            if (!(pieces[i] == fresh.back())) fresh.push_back(pieces[i]);
          }
          ++next;
        } else {
          fresh.push_back(old[k + 1]);
        }
      }
      if (!(fresh.back() == old.back()) || !(fresh.front() == old.front())) {
        return Status::Internal("noding moved a Voronoi vertex");
      }
      lines[e] = std::move(fresh);
    }
  }

  // 4. The arrangement of border cells: labelled segments, deduplicated.
  std::vector<Labelled> arrangement;
  for (size_t e = 0; e < ne; ++e) {
    const VoronoiEdge& edge = v.edges[e];
    if (!touches_border_cell(edge)) continue;
    const std::vector<Point>& line = lines[e];
    for (size_t k = 0; k + 1 < line.size(); ++k) {
      Labelled l;
      l.a = line[k];
      l.b = line[k + 1];
      l.cell_left = edge.left;
      l.cell_right = edge.right;
      arrangement.push_back(l);
    }
  }
  for (size_t i = 0; i < border.size(); ++i) {
    const std::vector<Point>& pieces = (*noded)[voronoi_strings + i];
    for (size_t k = 0; k + 1 < pieces.size(); ++k) {
      Labelled l = border[i];
      l.a = pieces[k];
      l.b = pieces[k + 1];
      arrangement.push_back(l);
    }
  }
  noded = std::vector<std::vector<Point>>();
  for (Labelled& l : arrangement) {
    if (l.b < l.a) {
      std::swap(l.a, l.b);
      std::swap(l.cell_left, l.cell_right);
      std::swap(l.district_left, l.district_right);
    }
  }
  std::sort(arrangement.begin(), arrangement.end(), [](const Labelled& x, const Labelled& y) {
    return x.a == y.a ? x.b < y.b : x.a < y.a;
  });
  {
    std::vector<Labelled> merged;
    for (const Labelled& l : arrangement) {
      if (!merged.empty() && merged.back().a == l.a && merged.back().b == l.b) {
        Labelled& m = merged.back();
        for (Status s : {Merge(&m.cell_left, l.cell_left), Merge(&m.cell_right, l.cell_right),
                         Merge(&m.district_left, l.district_left),
                         Merge(&m.district_right, l.district_right)}) {
          if (!s.ok()) return s;
        }
      } else {
        merged.push_back(l);
      }
    }
    arrangement = std::move(merged);
  }
  std::vector<Segment> plain(arrangement.size());
  for (size_t i = 0; i < arrangement.size(); ++i) plain[i] = {arrangement[i].a, arrangement[i].b};
  const FaceGraph graph = TraceFaces(plain);
  plain = {};
  auto cell_label = [&](uint32_t h) {
    const Labelled& l = arrangement[h / 2];
    return (h & 1) ? l.cell_right : l.cell_left;
  };
  auto district_label = [&](uint32_t h) {
    const Labelled& l = arrangement[h / 2];
    return (h & 1) ? l.district_right : l.district_left;
  };
  auto is_border_cell = [&](int64_t c) {
    return c >= 0 && static_cast<size_t>(c) < n && is_border[static_cast<size_t>(c)];
  };

  // 5. Label the cycles; faces are the relevant counter-clockwise cycles plus their holes.
  const size_t nc = graph.cycle_count();
  std::vector<int64_t> cycle_cell(nc, kNone), cycle_district(nc, kNone);
  std::vector<bool> relevant(nc, false), shell(nc, false), hole(nc, false);
  for (size_t c = 0; c < nc; ++c) {
    bool mine = false;
    for (uint32_t h : graph.cycle(c)) {
      const int64_t cl = cell_label(h);
      if (cl != kNone) {
        if (is_border_cell(cl)) mine = true;
        if (cycle_cell[c] == kNone) {
          cycle_cell[c] = cl;
        } else if (cycle_cell[c] != cl) {
          cycle_cell[c] = kConflict;
        }
      }
      const int64_t dl = district_label(h);
      if (dl != kNone) {
        if (dl >= 0) mine = true;
        if (cycle_district[c] == kNone) {
          cycle_district[c] = dl;
        } else if (cycle_district[c] != dl) {
          cycle_district[c] = kConflict;
        }
      }
    }
    relevant[c] = mine;
    shell[c] = mine && graph.cycle_area2[c] > 0;
    hole[c] = mine && graph.cycle_area2[c] < 0;
  }
  const std::vector<int64_t> enclosing = FindEnclosingShells(graph, hole, shell);
  std::vector<int64_t> face_of(nc, -1);  // cycle → face (its shell cycle)
  std::vector<std::vector<uint32_t>> holes_of;
  std::vector<uint32_t> faces;  // shell cycles
  std::vector<int64_t> face_index(nc, -1);
  for (size_t c = 0; c < nc; ++c) {
    if (!shell[c]) continue;
    face_index[c] = static_cast<int64_t>(faces.size());
    faces.push_back(static_cast<uint32_t>(c));
    face_of[c] = face_index[c];
  }
  holes_of.resize(faces.size());
  for (size_t c = 0; c < nc; ++c) {
    if (!hole[c]) continue;
    if (enclosing[c] < 0) {
      const Point at = graph.from(graph.cycle(c)[0]);
      return Status::Internal("border arrangement: a hole without a face at (" +
                              std::to_string(at.x) + ", " + std::to_string(at.y) + ")");
    }
    face_of[c] = face_index[static_cast<size_t>(enclosing[c])];
    holes_of[static_cast<size_t>(face_of[c])].push_back(static_cast<uint32_t>(c));
  }
  const size_t nf = faces.size();
  std::vector<int64_t> face_cell(nf, kNone), face_district(nf, kNone);
  auto merge_label = [](int64_t* into, int64_t value) {
    if (value == kNone) return;
    if (*into == kNone) {
      *into = value;
    } else if (*into != value) {
      *into = kConflict;
    }
  };
  // Seeds by position, for faces without a Voronoi edge (a whole island inside one cell).
  BoxGrid seed_grid(0.005);
  for (size_t c = 0; c < n; ++c) {
    if (!is_border[c]) continue;
    Box b;
    b.Add(seeds.points[c]);
    seed_grid.Add(b, static_cast<uint32_t>(c));
  }
  auto face_contains = [&](size_t f, const Point& p) {
    if (!RingContains(graph.Ring(faces[f]), p)) return false;
    for (uint32_t h : holes_of[f]) {
      if (RingContains(graph.Ring(h), p)) return false;
    }
    return true;
  };
  for (size_t f = 0; f < nf; ++f) {
    merge_label(&face_cell[f], cycle_cell[faces[f]]);
    merge_label(&face_district[f], cycle_district[faces[f]]);
    for (uint32_t h : holes_of[f]) {
      merge_label(&face_cell[f], cycle_cell[h]);
      merge_label(&face_district[f], cycle_district[h]);
    }
    if (face_cell[f] == kConflict || face_district[f] == kConflict) {
      const Point at = graph.from(graph.cycle(faces[f])[0]);
      return Status::Internal("border arrangement: a face with two labels at (" +
                              std::to_string(at.x) + ", " + std::to_string(at.y) + ")");
    }
    if (face_district[f] == kNone) {
      // Bounded by Voronoi edges only: test a point just left of one of them.
      const uint32_t h = graph.cycle(faces[f])[0];
      const Point a = graph.from(h);
      const Point b = graph.to(h);
      const double len = std::hypot(b.x - a.x, b.y - a.y);
      const Point probe{(a.x + b.x) / 2 - (b.y - a.y) / len * 4 * kPixel,
                        (a.y + b.y) / 2 + (b.x - a.x) / len * 4 * kPixel};
      face_district[f] = locator.Locate(probe);
    }
    if (face_cell[f] == kNone) {
      seed_grid.Query(graph.CycleBounds(faces[f]), [&](uint32_t c) {
        if (face_cell[f] == kNone && face_contains(f, seeds.points[c])) {
          face_cell[f] = static_cast<int64_t>(c);
        }
      });
    }
  }

  // 6. Owners: a cell's face holding its seed; then everything else on land by longest border.
  std::vector<int64_t> owner(nf, -1);
  {
    std::unordered_map<int64_t, std::vector<uint32_t>> candidates;  // cell → faces in its district
    for (size_t f = 0; f < nf; ++f) {
      const int64_t c = face_cell[f];
      if (c < 0 || static_cast<size_t>(c) >= n) continue;
      if (face_district[f] != static_cast<int64_t>(seeds.district[static_cast<size_t>(c)]))
        continue;
      candidates[c].push_back(static_cast<uint32_t>(f));
    }
    for (auto& [c, list] : candidates) {
      if (list.size() == 1) {
        owner[list[0]] = c;
        continue;
      }
      for (uint32_t f : list) {
        if (face_contains(f, seeds.points[static_cast<size_t>(c)])) {
          owner[f] = c;
          break;
        }
      }
    }
  }
  for (size_t f = 0; f < nf; ++f) {
    if (face_district[f] >= 0) ++stats.faces;
  }
  for (bool changed = true; changed;) {
    changed = false;
    std::vector<std::pair<size_t, int64_t>> decisions;
    for (size_t f = 0; f < nf; ++f) {
      if (owner[f] >= 0 || face_district[f] < 0) continue;
      std::map<int64_t, double> border_length;
      auto visit = [&](uint32_t cycle) {
        for (uint32_t h : graph.cycle(cycle)) {
          const uint32_t t = h ^ 1u;
          int64_t across = -1;
          const int64_t other_face = face_of[graph.cycle_of[t]];
          if (other_face >= 0) {
            if (face_district[static_cast<size_t>(other_face)] == face_district[f]) {
              across = owner[static_cast<size_t>(other_face)];
            }
          } else {
            // Across is a cell away from the borders, wholly in its seed's district.
            const int64_t c = cell_label(t);
            if (c >= 0 && static_cast<size_t>(c) < n && !is_border[static_cast<size_t>(c)] &&
                static_cast<int64_t>(seeds.district[static_cast<size_t>(c)]) == face_district[f]) {
              across = c;
            }
          }
          if (across >= 0) border_length[across] += LengthM(graph.from(h), graph.to(h));
        }
      };
      visit(faces[f]);
      for (uint32_t h : holes_of[f]) visit(h);
      int64_t best = -1;
      double best_length = -1;
      for (const auto& [u, length] : border_length) {
        if (length > best_length) {
          best = u;
          best_length = length;
        }
      }
      if (best >= 0) decisions.emplace_back(f, best);
    }
    for (const auto& [f, u] : decisions) {
      owner[f] = u;
      ++stats.reassigned_faces;
      changed = true;
    }
  }
  for (size_t f = 0; f < nf; ++f) {
    if (face_district[f] >= 0 && owner[f] < 0) {
      const Point at = graph.from(graph.cycle(faces[f])[0]);
      return Status::Internal("a piece of land at (" + std::to_string(at.x) + ", " +
                              std::to_string(at.y) + ") has no unit to go to");
    }
  }

  // 7. Units: the exact union of what each owns.
  std::vector<std::vector<uint32_t>> owned(n);
  for (size_t f = 0; f < nf; ++f) {
    if (owner[f] >= 0) owned[static_cast<size_t>(owner[f])].push_back(static_cast<uint32_t>(f));
  }
  built.units.resize(n);
  std::vector<Status> failures(n);
  tbb::parallel_for(size_t{0}, n, [&](size_t c) {
    if (!is_border[c] && owned[c].empty()) {
      std::vector<Point> ring = CellRing(v, lines, c);
      ring.pop_back();
      const size_t first =
          static_cast<size_t>(std::min_element(ring.begin(), ring.end()) - ring.begin());
      std::rotate(ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(first), ring.end());
      ring.push_back(ring.front());
      built.units[c].AddRing(ring, true);
      return;
    }
    std::vector<Segment> segments;
    if (!is_border[c]) {
      const std::vector<Point> ring = CellRing(v, lines, c);
      for (size_t i = 0; i + 1 < ring.size(); ++i) segments.push_back({ring[i], ring[i + 1]});
    }
    auto take = [&](uint32_t cycle) {
      for (uint32_t h : graph.cycle(cycle)) segments.push_back({graph.from(h), graph.to(h)});
    };
    for (uint32_t f : owned[c]) {
      take(faces[f]);
      for (uint32_t hc : holes_of[f]) take(hc);
    }
    Result<MultiPolygon> g = AssembleRings(std::move(segments));
    if (!g.ok()) {
      failures[c] = g.status().WithContext("unit of seed " + std::to_string(c));
      return;
    }
    built.units[c] = std::move(g).value();
  });
  for (size_t c = 0; c < n; ++c) {
    if (!failures[c].ok()) return failures[c];
    if (built.units[c].empty()) {
      return Status::Internal("the unit of seed " + std::to_string(c) + " is empty");
    }
  }
  return built;
}

// Initial wiggle vertex counts: each cell aims at about 34 vertices, shared edges take the smaller
// wish of their two cells, then cells below or above the range are evened out.
std::vector<int> InitialInserted(const Voronoi& v, uint64_t seed) {
  const size_t n = v.real;
  std::vector<double> wish(n);
  for (size_t c = 0; c < n; ++c) {
    Rng rng(Mix({seed, kTargetStream, c}));
    const double target = rng.Uniform(28, 42);
    wish[c] = target / static_cast<double>(std::max<size_t>(v.cell(c).size(), 1));
  }
  std::vector<int> inserted(v.edges.size());
  auto max_for = [&](size_t e) {  // keep inserted vertices at least a metre apart
    return static_cast<int>(std::min<double>(kMaxInserted, std::floor(v.edges[e].length_m)));
  };
  for (size_t e = 0; e < v.edges.size(); ++e) {
    double w = std::numeric_limits<double>::infinity();
    for (int64_t c : {v.edges[e].left, v.edges[e].right}) {
      if (c >= 0 && static_cast<size_t>(c) < n) w = std::min(w, wish[static_cast<size_t>(c)]);
    }
    inserted[e] = std::clamp(static_cast<int>(std::lround(w)) - 1, 0, max_for(e));
  }
  std::vector<int> count(n, 0);
  for (size_t c = 0; c < n; ++c) {
    for (uint32_t d : v.cell(c)) count[c] += inserted[d / 2] + 1;
  }
  auto other_count = [&](uint32_t d) {
    const int64_t o = v.Other(d);
    return o >= 0 && static_cast<size_t>(o) < n ? count[static_cast<size_t>(o)] : 0;
  };
  for (int pass = 0; pass < 3; ++pass) {
    for (size_t c = 0; c < n; ++c) {
      const std::span<const uint32_t> edges = v.cell(c);
      while (count[c] + 1 < static_cast<int>(kMinPoints) + 1) {
        uint32_t best = UINT32_MAX;
        for (uint32_t d : edges) {
          const uint32_t e = d / 2;
          if (inserted[e] >= max_for(e) || other_count(d) >= 52) continue;
          if (best == UINT32_MAX || inserted[e] < inserted[best / 2]) best = d;
        }
        if (best == UINT32_MAX) break;
        ++inserted[best / 2];
        ++count[c];
        const int64_t o = v.Other(best);
        if (o >= 0 && static_cast<size_t>(o) < n) ++count[static_cast<size_t>(o)];
      }
      while (count[c] + 1 > 52) {
        uint32_t best = UINT32_MAX;
        for (uint32_t d : edges) {
          const uint32_t e = d / 2;
          if (inserted[e] == 0) continue;
          if (best == UINT32_MAX || inserted[e] > inserted[best / 2]) best = d;
        }
        if (best == UINT32_MAX) break;
        --inserted[best / 2];
        --count[c];
        const int64_t o = v.Other(best);
        if (o >= 0 && static_cast<size_t>(o) < n) --count[static_cast<size_t>(o)];
      }
    }
  }
  return inserted;
}

// Brings every unit's point count into [kMinPoints, kMaxPoints] by editing the final partition,
// always on both sides of a shared segment so that it stays vertex-exact:
//   too many: remove a wiggle vertex, i.e. a vertex whose two segments are both shared with the
//             same unit of the same district (never on a district border);
//   too few:  insert a vertex into a segment: between two units of one district a small wiggle,
//             elsewhere (district border, coast) a grid point exactly on the segment.
// Every edit is checked to keep both rings simple and nothing else inside the changed triangle.
class VertexBalancer {
 public:
  VertexBalancer(std::vector<MultiPolygon>* units, const std::vector<uint32_t>& district,
                 uint64_t seed)
      : units_(*units), district_(district), index_(0.005), seed_(seed) {
    boxes_.resize(units_.size());
    for (size_t u = 0; u < units_.size(); ++u) {
      boxes_[u] = units_[u].view().bounds();
      index_.Add(boxes_[u], static_cast<uint32_t>(u));
    }
  }

  // Returns the number of units still out of range.
  size_t Run() {
    for (int pass = 0; pass < 6; ++pass) {
      bool progress = false;
      for (size_t u = 0; u < units_.size(); ++u) {
        const size_t n = Count(static_cast<uint32_t>(u));
        if (n > kMaxPoints) progress |= Thin(static_cast<uint32_t>(u));
        if (n < kMinPoints) progress |= Thicken(static_cast<uint32_t>(u));
      }
      if (!progress) break;
    }
    for (auto& [u, rings] : edited_) units_[u] = rings.Build();
    size_t left = 0;
    for (size_t u = 0; u < units_.size(); ++u) {
      const size_t n = units_[u].view().vertex_count();
      left += (n < kMinPoints || n > kMaxPoints) ? 1 : 0;
    }
    return left;
  }

 private:
  struct Rings {
    std::vector<std::vector<Point>> rings;  // open (no closing point)
    std::vector<bool> starts;
    MultiPolygon Build() const {
      MultiPolygon m;
      for (size_t i = 0; i < rings.size(); ++i) {
        std::vector<Point> closed = rings[i];
        closed.push_back(closed.front());
        m.AddRing(closed, starts[i]);
      }
      return m;
    }
  };
  struct Where {
    uint32_t unit;
    size_t ring;
    size_t at;  // index of the segment's first point
  };

  Rings& Get(uint32_t u) {
    auto it = edited_.find(u);
    if (it != edited_.end()) return it->second;
    Rings r;
    const MultiPolygonView g = units_[u].view();
    for (size_t p = 0; p < g.polygon_count(); ++p) {
      for (size_t i = 0; i < g.polygon(p).ring_count(); ++i) {
        const RingView ring = g.polygon(p).ring(i);
        r.rings.emplace_back(ring.begin(), ring.end() - 1);
        r.starts.push_back(i == 0);
      }
    }
    return edited_.emplace(u, std::move(r)).first->second;
  }
  size_t Count(uint32_t u) {
    auto it = edited_.find(u);
    if (it == edited_.end()) return units_[u].view().vertex_count();
    size_t n = 0;
    for (const std::vector<Point>& ring : it->second.rings) n += ring.size() + 1;
    return n;
  }
  // The unit other than `self` with directed segment p→q.
  std::optional<Where> Owner(const Point& p, const Point& q, uint32_t self) {
    Box box;
    box.Add(p);
    box.Add(q);
    std::optional<Where> found;
    index_.Query(box, [&](uint32_t w) {
      if (found || w == self) return;
      const Rings& r = Get(w);
      for (size_t k = 0; k < r.rings.size() && !found; ++k) {
        const std::vector<Point>& ring = r.rings[k];
        for (size_t i = 0; i < ring.size(); ++i) {
          if (ring[i] == p && ring[(i + 1) % ring.size()] == q) {
            found = Where{w, k, i};
            break;
          }
        }
      }
    });
    return found;
  }
  // True if segment ab meets no segment of `r` except at a shared end point, and no vertex of `r`
  // other than a, b, c lies in triangle abc (c is the vertex removed or the segment's far end).
  static bool Clear(const Rings& r, const Point& a, const Point& b, const Point& c) {
    Box box;
    box.Add(a);
    box.Add(b);
    box.Add(c);
    const std::vector<Point> triangle{a, b, c, a};
    for (const std::vector<Point>& ring : r.rings) {
      for (size_t i = 0; i < ring.size(); ++i) {
        const Point& x = ring[i];
        const Point& y = ring[(i + 1) % ring.size()];
        if (!(x == a || y == a || x == b || y == b)) {
          Box sb;
          sb.Add(x);
          sb.Add(y);
          if (sb.Intersects(box) && SegmentsIntersect(a, b, x, y)) return false;
        }
        if (!(x == a || x == b || x == c) && box.Contains(x) && RingContains(triangle, x)) {
          return false;
        }
      }
    }
    return true;
  }

  // Keeps the index finding a unit whose new vertex sticks out of its box.
  void Grow(uint32_t u, const Point& p) {
    if (boxes_[u].Contains(p)) return;
    boxes_[u].Add(p);
    index_.Add(boxes_[u], u);
  }

  bool Thin(uint32_t u) {
    bool any = false;
    while (Count(u) > kMaxPoints && RemoveOne(u, UINT32_MAX)) any = true;
    return any;
  }

  // Removes one wiggle vertex of unit u (and of the unit across), not one shared with `spare`.
  bool RemoveOne(uint32_t u, uint32_t spare) {
    for (size_t k = 0; k < Get(u).rings.size(); ++k) {
      const std::vector<Point>& ring = Get(u).rings[k];
      const size_t n = ring.size();
      if (n <= 4) continue;
      for (size_t i = 0; i < n; ++i) {
        const Point prev = ring[(i + n - 1) % n], p = ring[i], next = ring[(i + 1) % n];
        const std::optional<Where> other = Owner(p, prev, u);
        if (!other || other->unit == spare || district_[other->unit] != district_[u] ||
            Count(other->unit) <= kMinPoints) {
          continue;
        }
        std::vector<Point>& vring = Get(other->unit).rings[other->ring];
        const size_t m = vring.size();
        if (m <= 4 || !(vring[(other->at + m - 1) % m] == next)) continue;
        // Both rings lose p; the new segment prev–next must not meet anything.
        Rings& ur = Get(u);
        Rings& vr = Get(other->unit);
        if (!Clear(ur, prev, next, p) || !Clear(vr, next, prev, p)) continue;
        vring.erase(vring.begin() + static_cast<std::ptrdiff_t>(other->at));
        ur.rings[k].erase(ur.rings[k].begin() + static_cast<std::ptrdiff_t>(i));
        return true;
      }
    }
    return false;
  }

  bool Thicken(uint32_t u) {
    bool any = false;
    // One vertex at a time, into the longest segment that takes one.
    while (Count(u) < kMinPoints) {
      struct Candidate {
        double length;
        size_t ring, at;
      };
      std::vector<Candidate> candidates;
      const Rings& r = Get(u);
      for (size_t k = 0; k < r.rings.size(); ++k) {
        const std::vector<Point>& ring = r.rings[k];
        for (size_t i = 0; i < ring.size(); ++i) {
          const double length = LengthM(ring[i], ring[(i + 1) % ring.size()]);
          if (length >= 0.5) candidates.push_back({length, k, i});
        }
      }
      std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        if (a.length != b.length) return a.length > b.length;
        return a.ring != b.ring ? a.ring < b.ring : a.at < b.at;
      });
      bool inserted = false;
      for (const Candidate& cand : candidates) {
        if (InsertInto(u, cand.ring, cand.at)) {
          inserted = any = true;
          break;
        }
      }
      if (!inserted) break;
    }
    return any;
  }

  // Inserts a vertex into segment `at` of ring `k` of unit u, and into the same segment of the unit
  // across: a small wiggle between units of one district, else a point exactly on the segment.
  bool InsertInto(uint32_t u, size_t k, size_t at) {
    const std::vector<Point>& ring = Get(u).rings[k];
    const Point p = ring[at];
    const Point q = ring[(at + 1) % ring.size()];
    std::optional<Where> other = Owner(q, p, u);
    if (other && Count(other->unit) >= kMaxPoints) {
      // The unit across is full: it gives up a wiggle vertex elsewhere first.
      if (!RemoveOne(other->unit, u)) return false;
      other = Owner(q, p, u);
    }
    Point m;
    if (other && district_[other->unit] == district_[u]) {
      Rng rng(Mix({seed_, Bits(p.x), Bits(p.y), Bits(q.x), Bits(q.y)}));
      const double h = 0.06 * LengthM(p, q) * (rng.Uniform() < 0.5 ? -1 : 1);
      const MetricScale s = MetresPerDegree(p.y);
      const double dx = (q.x - p.x) * s.x, dy = (q.y - p.y) * s.y;
      const double len = std::sqrt(dx * dx + dy * dy);
      m = SnapToGrid(
          Point{(p.x + q.x) / 2 - h * dy / len / s.x, (p.y + q.y) / 2 + h * dx / len / s.y});
      if (m == p || m == q || !Clear(Get(u), p, m, q) || !Clear(Get(u), m, q, p) ||
          !Clear(Get(other->unit), q, m, p) || !Clear(Get(other->unit), m, p, q)) {
        return false;
      }
    } else {
      // On a district border or the coast: exactly on the segment.
      const GridLine line = LineOf(p, q);
      if (line.g < 2) return false;
      m = PointAt(p, line, line.g / 2);
    }
    std::vector<Point>& ur = Get(u).rings[k];
    ur.insert(ur.begin() + static_cast<std::ptrdiff_t>(at + 1), m);
    Grow(u, m);
    if (other) {
      std::vector<Point>& vr = Get(other->unit).rings[other->ring];
      vr.insert(vr.begin() + static_cast<std::ptrdiff_t>(other->at + 1), m);
      Grow(other->unit, m);
    }
    return true;
  }

  std::vector<MultiPolygon>& units_;
  const std::vector<uint32_t>& district_;
  BoxGrid index_;
  std::vector<Box> boxes_;
  uint64_t seed_;
  std::map<uint32_t, Rings> edited_;
};

}  // namespace

Result<UnitPartition> BuildUnits(const Seeds& seeds, const std::vector<DistrictOutline>& districts,
                                 const RegionLocator& locator, uint64_t seed) {
  Result<Voronoi> voronoi = BuildVoronoi(seeds.points, locator.bounds());
  if (!voronoi.ok()) return voronoi.status();
  std::vector<int> inserted = InitialInserted(*voronoi, seed);
  Result<Built> built = BuildPartition(*voronoi, seeds, districts, locator, inserted, seed);
  if (!built.ok()) return built.status();
  UnitPartition result;
  result.geometry = std::move(built->units);
  result.stats = built->stats;
  for (const MultiPolygon& g : result.geometry) {
    const size_t n = g.view().vertex_count();
    result.stats.vertex_count_fixes += (n < kMinPoints || n > kMaxPoints) ? 1 : 0;
  }
  VertexBalancer balancer(&result.geometry, seeds.district, seed);
  result.stats.vertex_count_violations = balancer.Run();
  for (const MultiPolygon& g : result.geometry) {
    if (g.view().polygon_count() > 1) ++result.stats.multipart_units;
  }
  return result;
}

}  // namespace wangge::internal
