#include "synth/internal/planar.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <utility>

#include "wangge/geometry/ring_contains.h"

namespace wangge::internal {
namespace {

// Returns the sign of the turn p→q→r (1 left, -1 right, 0 collinear).
int Orientation(const Point& p, const Point& q, const Point& r) {
  const double d = (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
  return (d > 0) - (d < 0);
}

bool OnSegment(const Point& p, const Point& q, const Point& r) {  // r collinear with pq
  return std::min(p.x, q.x) <= r.x && r.x <= std::max(p.x, q.x) && std::min(p.y, q.y) <= r.y &&
         r.y <= std::max(p.y, q.y);
}

// Angle in (-pi, pi] of the direction from `from` to `to`.
double Direction(const Point& from, const Point& to) {
  return std::atan2(to.y - from.y, to.x - from.x);
}

// Index of the lexicographically smallest point of a loop.
size_t MinIndex(const std::vector<Point>& loop) {
  return static_cast<size_t>(std::min_element(loop.begin(), loop.end()) - loop.begin());
}

std::vector<Point> Canonical(std::vector<Point> loop) {
  std::rotate(loop.begin(), loop.begin() + static_cast<std::ptrdiff_t>(MinIndex(loop)), loop.end());
  loop.push_back(loop.front());
  return loop;
}

}  // namespace

double SignedArea2(std::span<const Point> ring) {
  if (ring.size() < 3) return 0;
  const Point o = ring[0];
  double sum = 0;
  for (size_t i = 1; i + 1 < ring.size(); ++i) {
    sum += (ring[i].x - o.x) * (ring[i + 1].y - o.y) - (ring[i + 1].x - o.x) * (ring[i].y - o.y);
  }
  return sum;
}

bool SegmentsIntersect(const Point& p, const Point& q, const Point& r, const Point& s) {
  const int o1 = Orientation(p, q, r);
  const int o2 = Orientation(p, q, s);
  const int o3 = Orientation(r, s, p);
  const int o4 = Orientation(r, s, q);
  if (o1 != o2 && o3 != o4) return true;
  return (o1 == 0 && OnSegment(p, q, r)) || (o2 == 0 && OnSegment(p, q, s)) ||
         (o3 == 0 && OnSegment(r, s, p)) || (o4 == 0 && OnSegment(r, s, q));
}

bool IsSimpleRing(std::span<const Point> ring) {
  if (ring.size() < 4 || !(ring.front() == ring.back())) return false;
  const size_t n = ring.size() - 1;
  std::vector<Point> sorted(ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(n));
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return false;
  std::vector<Box> boxes(n);
  for (size_t i = 0; i < n; ++i) {
    boxes[i].Add(ring[i]);
    boxes[i].Add(ring[i + 1]);
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 2; j < n; ++j) {
      if (i == 0 && j == n - 1) continue;  // adjacent through the closing vertex
      if (!boxes[i].Intersects(boxes[j])) continue;
      if (SegmentsIntersect(ring[i], ring[i + 1], ring[j], ring[j + 1])) return false;
    }
  }
  // Adjacent segments must not fold back onto each other.
  for (size_t i = 0; i < n; ++i) {
    const Point& a = ring[i == 0 ? n - 1 : i - 1];
    const Point& b = ring[i];
    const Point& c = ring[i + 1];
    if (Orientation(a, b, c) == 0 && (c.x - b.x) * (a.x - b.x) + (c.y - b.y) * (a.y - b.y) > 0) {
      return false;
    }
  }
  return true;
}

void AppendSegments(const MultiPolygonView& geometry, std::vector<Segment>* out) {
  for (size_t p = 0; p < geometry.polygon_count(); ++p) {
    const PolygonView polygon = geometry.polygon(p);
    for (size_t r = 0; r < polygon.ring_count(); ++r) {
      const RingView ring = polygon.ring(r);
      const double area2 = SignedArea2(ring);
      const bool reverse = r == 0 ? area2 < 0 : area2 > 0;
      for (size_t i = 0; i + 1 < ring.size(); ++i) {
        if (ring[i] == ring[i + 1]) continue;
        if (reverse) {
          out->push_back({ring[i + 1], ring[i]});
        } else {
          out->push_back({ring[i], ring[i + 1]});
        }
      }
    }
  }
}

Result<MultiPolygon> AssembleRings(std::vector<Segment> segments) {
  // 1. Cancel each segment against its reverse.
  struct Keyed {
    Point lo, hi;
    int dir;  // +1 when the segment runs lo→hi
  };
  std::vector<Keyed> keyed;
  keyed.reserve(segments.size());
  for (const Segment& s : segments) {
    if (s.a == s.b) continue;
    if (s.a < s.b) {
      keyed.push_back({s.a, s.b, 1});
    } else {
      keyed.push_back({s.b, s.a, -1});
    }
  }
  segments.clear();
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& x, const Keyed& y) {
    if (!(x.lo == y.lo)) return x.lo < y.lo;
    return x.hi < y.hi;
  });
  std::vector<Segment> rest;
  for (size_t i = 0; i < keyed.size();) {
    size_t j = i;
    int net = 0;
    while (j < keyed.size() && keyed[j].lo == keyed[i].lo && keyed[j].hi == keyed[i].hi) {
      net += keyed[j++].dir;
    }
    if (net > 1 || net < -1) {
      return Status::DataError("segment present twice in the same direction at (" +
                               std::to_string(keyed[i].lo.x) + ", " +
                               std::to_string(keyed[i].lo.y) + ")");
    }
    if (net == 1) rest.push_back({keyed[i].lo, keyed[i].hi});
    if (net == -1) rest.push_back({keyed[i].hi, keyed[i].lo});
    i = j;
  }
  keyed = {};
  if (rest.empty()) return MultiPolygon();

  // 2. Vertices and outgoing edges.
  std::vector<Point> vertices;
  vertices.reserve(rest.size());
  for (const Segment& s : rest) vertices.push_back(s.a);
  std::sort(vertices.begin(), vertices.end());
  vertices.erase(std::unique(vertices.begin(), vertices.end()), vertices.end());
  auto id_of = [&](const Point& p) -> int64_t {
    auto it = std::lower_bound(vertices.begin(), vertices.end(), p);
    if (it == vertices.end() || !(*it == p)) return -1;
    return it - vertices.begin();
  };
  const size_t nv = vertices.size();
  const size_t ne = rest.size();
  std::vector<uint32_t> from(ne), to(ne);
  std::vector<uint32_t> out_begin(nv + 1, 0), in_count(nv, 0);
  for (size_t e = 0; e < ne; ++e) {
    const int64_t f = id_of(rest[e].a);
    const int64_t t = id_of(rest[e].b);
    if (t < 0) {
      return Status::DataError("open boundary: nothing leaves (" + std::to_string(rest[e].b.x) +
                               ", " + std::to_string(rest[e].b.y) + ")");
    }
    from[e] = static_cast<uint32_t>(f);
    to[e] = static_cast<uint32_t>(t);
    ++out_begin[from[e] + 1];
    ++in_count[to[e]];
  }
  for (size_t v = 0; v < nv; ++v) {
    if (out_begin[v + 1] != in_count[v]) {
      return Status::DataError("unbalanced boundary vertex at (" + std::to_string(vertices[v].x) +
                               ", " + std::to_string(vertices[v].y) + ")");
    }
    out_begin[v + 1] += out_begin[v];
  }
  std::vector<uint32_t> out_edges(ne);
  {
    std::vector<uint32_t> fill(out_begin.begin(), out_begin.end() - 1);
    for (size_t e = 0; e < ne; ++e) out_edges[fill[from[e]]++] = static_cast<uint32_t>(e);
  }
  // 3. Pair each incoming edge with an outgoing one: the first outgoing edge clockwise from the
  // incoming edge's reverse direction, so that each traced ring keeps the interior on its left.
  std::vector<uint32_t> next(ne, UINT32_MAX);
  std::vector<std::vector<uint32_t>> incoming_at;  // only for vertices of degree > 1
  std::vector<int64_t> busy(nv, -1);
  for (size_t e = 0; e < ne; ++e) {
    const uint32_t v = to[e];
    if (out_begin[v + 1] - out_begin[v] == 1) {
      next[e] = out_edges[out_begin[v]];
    } else {
      if (busy[v] < 0) {
        busy[v] = static_cast<int64_t>(incoming_at.size());
        incoming_at.emplace_back();
      }
      incoming_at[static_cast<size_t>(busy[v])].push_back(static_cast<uint32_t>(e));
    }
  }
  for (size_t v = 0; v < nv; ++v) {
    if (busy[v] < 0) continue;
    struct Spoke {
      double angle;
      bool out;
      uint32_t edge;
    };
    std::vector<Spoke> spokes;
    for (uint32_t e : incoming_at[static_cast<size_t>(busy[v])]) {
      spokes.push_back({Direction(vertices[v], vertices[from[e]]), false, e});
    }
    for (uint32_t k = out_begin[v]; k < out_begin[v + 1]; ++k) {
      const uint32_t e = out_edges[k];
      spokes.push_back({Direction(vertices[v], vertices[to[e]]), true, e});
    }
    // Clockwise order: decreasing angle.
    std::sort(spokes.begin(), spokes.end(), [](const Spoke& a, const Spoke& b) {
      if (a.angle != b.angle) return a.angle > b.angle;
      return a.out < b.out;
    });
    std::vector<bool> taken(spokes.size(), false);
    for (size_t i = 0; i < spokes.size(); ++i) {
      if (spokes[i].out) continue;
      for (size_t k = 1; k <= spokes.size(); ++k) {
        const size_t j = (i + k) % spokes.size();
        if (spokes[j].out && !taken[j]) {
          taken[j] = true;
          next[spokes[i].edge] = spokes[j].edge;
          break;
        }
      }
    }
  }
  // 4. Trace rings, then split them where they touch themselves.
  std::vector<bool> used(ne, false);
  std::vector<int64_t> position(nv, -1);
  std::vector<std::vector<Point>> shells, holes;
  std::vector<double> shell_area;
  std::vector<uint32_t> stack;
  auto emit = [&](std::span<const uint32_t> ids) -> Status {
    std::vector<Point> loop;
    loop.reserve(ids.size() + 1);
    for (uint32_t id : ids) loop.push_back(vertices[id]);
    std::vector<Point> ring = Canonical(std::move(loop));
    const double area2 = SignedArea2(ring);
    if (area2 > 0) {
      shells.push_back(std::move(ring));
      shell_area.push_back(area2);
    } else if (area2 < 0) {
      holes.push_back(std::move(ring));
    } else {
      return Status::DataError("zero-area ring at (" + std::to_string(ring[0].x) + ", " +
                               std::to_string(ring[0].y) + ")");
    }
    return Status::Ok();
  };
  for (size_t start = 0; start < ne; ++start) {
    if (used[start]) continue;
    stack.clear();
    size_t e = start;
    while (!used[e]) {
      if (next[e] == UINT32_MAX) return Status::Internal("ring assembly: unpaired edge");
      used[e] = true;
      const uint32_t v = from[e];
      if (position[v] >= 0) {
        // The ring comes back to v: the vertices since then form a loop of their own.
        const size_t p = static_cast<size_t>(position[v]);
        Status s = emit(std::span<const uint32_t>(stack).subspan(p));
        if (!s.ok()) return s;
        for (size_t k = p; k < stack.size(); ++k) position[stack[k]] = -1;
        stack.resize(p);
      }
      position[v] = static_cast<int64_t>(stack.size());
      stack.push_back(v);
      e = next[e];
    }
    if (e != start) return Status::Internal("ring assembly: a ring did not close");
    Status s = emit(stack);
    if (!s.ok()) return s;
    for (uint32_t v : stack) position[v] = -1;
  }
  // 5. Holes into shells.
  std::vector<Box> shell_box(shells.size());
  for (size_t i = 0; i < shells.size(); ++i) {
    for (const Point& p : shells[i]) shell_box[i].Add(p);
  }
  std::vector<std::vector<size_t>> holes_of(shells.size());
  for (size_t h = 0; h < holes.size(); ++h) {
    const Point probe{(holes[h][0].x + holes[h][1].x) / 2, (holes[h][0].y + holes[h][1].y) / 2};
    int64_t best = -1;
    for (size_t i = 0; i < shells.size(); ++i) {
      if (!shell_box[i].Contains(probe) || !RingContains(shells[i], probe)) continue;
      if (best < 0 || shell_area[i] < shell_area[static_cast<size_t>(best)]) {
        best = static_cast<int64_t>(i);
      }
    }
    if (best < 0) {
      return Status::DataError("hole without a shell at (" + std::to_string(holes[h][0].x) + ", " +
                               std::to_string(holes[h][0].y) + ")");
    }
    holes_of[static_cast<size_t>(best)].push_back(h);
  }
  std::vector<size_t> order(shells.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return shells[a][0] < shells[b][0]; });
  MultiPolygon result;
  for (size_t i : order) {
    result.AddRing(shells[i], /*starts_polygon=*/true);
    std::vector<size_t>& hs = holes_of[i];
    std::sort(hs.begin(), hs.end(), [&](size_t a, size_t b) { return holes[a][0] < holes[b][0]; });
    for (size_t h : hs) result.AddRing(holes[h], /*starts_polygon=*/false);
  }
  return result;
}

std::vector<Point> FaceGraph::Ring(size_t c) const {
  std::vector<Point> ring;
  const std::span<const uint32_t> edges = cycle(c);
  ring.reserve(edges.size() + 1);
  for (uint32_t h : edges) ring.push_back(from(h));
  ring.push_back(ring.front());
  return ring;
}

Box FaceGraph::CycleBounds(size_t c) const {
  Box box;
  for (uint32_t h : cycle(c)) box.Add(from(h));
  return box;
}

FaceGraph TraceFaces(std::span<const Segment> segments) {
  FaceGraph g;
  const size_t n = segments.size();
  g.points.reserve(2 * n);
  for (const Segment& s : segments) {
    g.points.push_back(s.a);
    g.points.push_back(s.b);
  }
  std::sort(g.points.begin(), g.points.end());
  g.points.erase(std::unique(g.points.begin(), g.points.end()), g.points.end());
  auto id_of = [&](const Point& p) {
    return static_cast<uint32_t>(std::lower_bound(g.points.begin(), g.points.end(), p) -
                                 g.points.begin());
  };
  const size_t nh = 2 * n;
  g.origin.resize(nh);
  for (size_t i = 0; i < n; ++i) {
    g.origin[2 * i] = id_of(segments[i].a);
    g.origin[2 * i + 1] = id_of(segments[i].b);
  }
  const size_t nv = g.points.size();
  std::vector<uint32_t> begin(nv + 1, 0);
  for (size_t h = 0; h < nh; ++h) ++begin[g.origin[h] + 1];
  for (size_t v = 0; v < nv; ++v) begin[v + 1] += begin[v];
  std::vector<uint32_t> around(nh);
  {
    std::vector<uint32_t> fill(begin.begin(), begin.end() - 1);
    for (size_t h = 0; h < nh; ++h) around[fill[g.origin[h]]++] = static_cast<uint32_t>(h);
  }
  std::vector<double> angle(nh);
  for (size_t h = 0; h < nh; ++h) {
    angle[h] = Direction(g.points[g.origin[h]], g.points[g.origin[h ^ 1u]]);
  }
  std::vector<uint32_t> slot(nh);
  for (size_t v = 0; v < nv; ++v) {
    auto first = around.begin() + begin[v];
    auto last = around.begin() + begin[v + 1];
    std::sort(first, last, [&](uint32_t a, uint32_t b) { return angle[a] < angle[b]; });
    for (uint32_t k = begin[v]; k < begin[v + 1]; ++k) slot[around[k]] = k;
  }
  // next(h) for h = u→v: the half-edge leaving v clockwise-next after v→u.
  g.next.resize(nh);
  for (size_t h = 0; h < nh; ++h) {
    const uint32_t t = static_cast<uint32_t>(h ^ 1u);
    const uint32_t v = g.origin[t];
    const uint32_t k = slot[t];
    g.next[h] = around[k == begin[v] ? begin[v + 1] - 1 : k - 1];
  }
  g.cycle_of.assign(nh, UINT32_MAX);
  g.cycle_edges.reserve(nh);
  g.cycle_begin.push_back(0);
  for (size_t start = 0; start < nh; ++start) {
    if (g.cycle_of[start] != UINT32_MAX) continue;
    const auto c = static_cast<uint32_t>(g.cycle_area2.size());
    const Point o = g.points[g.origin[start]];
    double area2 = 0;
    uint32_t h = static_cast<uint32_t>(start);
    do {
      g.cycle_of[h] = c;
      g.cycle_edges.push_back(h);
      const Point& a = g.from(h);
      const Point& b = g.to(h);
      area2 += (a.x - o.x) * (b.y - o.y) - (b.x - o.x) * (a.y - o.y);
      h = g.next[h];
    } while (h != start);
    g.cycle_area2.push_back(area2);
    g.cycle_begin.push_back(static_cast<uint32_t>(g.cycle_edges.size()));
  }
  return g;
}

std::vector<int64_t> FindEnclosingShells(const FaceGraph& graph, const std::vector<bool>& is_hole,
                                         const std::vector<bool>& is_shell) {
  const size_t nc = graph.cycle_count();
  std::vector<int64_t> result(nc, -1);
  std::vector<size_t> shells;
  std::vector<Box> boxes;
  for (size_t c = 0; c < nc; ++c) {
    if (is_shell[c] && graph.cycle_area2[c] > 0) {
      shells.push_back(c);
      boxes.push_back(graph.CycleBounds(c));
    }
  }
  for (size_t c = 0; c < nc; ++c) {
    if (!is_hole[c] || graph.cycle_area2[c] >= 0) continue;
    const uint32_t h = graph.cycle(c)[0];
    const Point probe{(graph.from(h).x + graph.to(h).x) / 2, (graph.from(h).y + graph.to(h).y) / 2};
    const uint32_t across = graph.cycle_of[h ^ 1u];
    double best_area = 0;
    for (size_t i = 0; i < shells.size(); ++i) {
      const size_t s = shells[i];
      if (s == across || !boxes[i].Contains(probe)) continue;
      if (result[c] >= 0 && graph.cycle_area2[s] >= best_area) continue;
      if (!RingContains(graph.Ring(s), probe)) continue;
      result[c] = static_cast<int64_t>(s);
      best_area = graph.cycle_area2[s];
    }
  }
  return result;
}

}  // namespace wangge::internal
