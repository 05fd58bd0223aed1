#include "tiles/internal/keep_table.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <utility>

#include "wangge/tiles/tile_id.h"

namespace wangge::internal {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Point → dense id, open addressing. Points are equal when their coordinates are == (so -0.0 and
// 0.0 are one point, as Point::operator== says).
class VertexMap {
 public:
  explicit VertexMap(size_t expected) {
    size_t capacity = 16;
    while (capacity < expected + expected / 2) capacity *= 2;
    slots_.assign(capacity, kNone);
    mask_ = capacity - 1;
    points_.reserve(expected / 2);
  }

  uint32_t Insert(const Point& p) {
    for (size_t i = Hash(p) & mask_;; i = (i + 1) & mask_) {
      const uint32_t id = slots_[i];
      if (id == kNone) {
        slots_[i] = static_cast<uint32_t>(points_.size());
        points_.push_back(p);
        return slots_[i];
      }
      if (points_[id] == p) return id;
    }
  }

  uint32_t Find(const Point& p) const {
    for (size_t i = Hash(p) & mask_;; i = (i + 1) & mask_) {
      const uint32_t id = slots_[i];
      if (id == kNone || points_[id] == p) return id;
    }
  }

  const std::vector<Point>& points() const { return points_; }

 private:
  static size_t Hash(const Point& p) {
    const uint64_t x = std::bit_cast<uint64_t>(p.x + 0.0);
    const uint64_t y = std::bit_cast<uint64_t>(p.y + 0.0);
    return static_cast<size_t>(Mix(x ^ Mix(y)));
  }

  std::vector<uint32_t> slots_;
  size_t mask_ = 0;
  std::vector<Point> points_;
};

// Squared distance from p to segment ab, with ab's precomputed d = b - a and 1 / |d|² (0 when
// a == b).
double SegmentDistance2(const Point& p, const Point& a, double dx, double dy, double inv_len2) {
  const double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) * inv_len2, 0.0, 1.0);
  const double ex = p.x - (a.x + t * dx);
  const double ey = p.y - (a.y + t * dy);
  return ex * ex + ey * ey;
}

uint64_t EdgeKey(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return (uint64_t{a} << 32) | b;
}

// Simplifies each ring of `region` on its own (closed loop anchored at its smallest vertex).
void FillPerPolygon(const Hierarchy& h, RegionId region, uint64_t begin, double tolerance_world,
                    std::vector<uint8_t>* table) {
  const MultiPolygonView g = h.geometry(region);
  std::vector<Point> line;
  std::vector<double> thresholds;
  uint64_t offset = begin;
  for (size_t r = 0; r < g.ring_count(); ++r) {
    const RingView ring = g.ring(r);
    const size_t n = ring.size() - 1;  // without the closing point
    if (ring.size() < 4) {
      for (size_t i = 0; i < ring.size(); ++i) (*table)[offset + i] = 0;
      offset += ring.size();
      continue;
    }
    const size_t start =
        static_cast<size_t>(std::min_element(ring.begin(), ring.end() - 1) - ring.begin());
    line.clear();
    for (size_t k = 0; k <= n; ++k) line.push_back(LonLatToWorld(ring[(start + k) % n]));
    DouglasPeuckerThresholds(line, &thresholds);
    for (size_t k = 0; k < n; ++k) {
      (*table)[offset + (start + k) % n] = MinZoomForThreshold(thresholds[k], tolerance_world);
    }
    (*table)[offset + n] = (*table)[offset];
    offset += ring.size();
  }
}

// The node level's vertices with the first zoom each is kept at, and its boundary graph.
struct NodeGraph {
  explicit NodeGraph(size_t expected) : map(expected) {}
  VertexMap map;
  std::vector<uint8_t> vertex_zoom;       // per vertex id
  std::vector<uint32_t> adjacency_begin;  // CSR of the unique undirected edges
  std::vector<uint32_t> adjacency;
  // From rings only: the vertex id of every point of the node level's regions (closing points
  // included, PointLayout order from the level's first point), so that they need no lookup.
  std::vector<uint32_t> node_point_ids;

  // Builds the adjacency from unique edge keys (sorted or not).
  void SetEdges(std::vector<uint64_t> edges) {
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    const size_t n = map.points().size();
    adjacency_begin.assign(n + 1, 0);
    for (uint64_t e : edges) {
      ++adjacency_begin[(e >> 32) + 1];
      ++adjacency_begin[(e & 0xffffffffu) + 1];
    }
    for (size_t v = 0; v < n; ++v) adjacency_begin[v + 1] += adjacency_begin[v];
    adjacency.resize(adjacency_begin.back());
    std::vector<uint32_t> fill(adjacency_begin.begin(), adjacency_begin.end() - 1);
    for (uint64_t e : edges) {
      const auto a = static_cast<uint32_t>(e >> 32), b = static_cast<uint32_t>(e & 0xffffffffu);
      adjacency[fill[a]++] = b;
      adjacency[fill[b]++] = a;
    }
  }
  bool Adjacent(uint32_t a, uint32_t b) const {
    const auto first = adjacency.begin() + adjacency_begin[a];
    const auto last = adjacency.begin() + adjacency_begin[a + 1];
    return std::find(first, last, b) != last;
  }
};

}  // namespace

PointLayout::PointLayout(const Hierarchy& h) {
  region_begin.resize(h.region_count() + 1);
  region_begin[0] = 0;
  for (RegionId r = 0; r < h.region_count(); ++r) {
    region_begin[r + 1] = region_begin[r] + h.geometry(r).vertex_count();
  }
}

void DouglasPeuckerThresholds(const std::vector<Point>& line, std::vector<double>* out) {
  const size_t n = line.size();
  out->assign(n, 0.0);
  if (n == 0) return;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  (*out)[0] = kInf;
  (*out)[n - 1] = kInf;
  struct Span {
    size_t first, last;
    double cap;
  };
  std::vector<Span> stack = {{0, n - 1, kInf}};
  while (!stack.empty()) {
    const Span s = stack.back();
    stack.pop_back();
    if (s.last - s.first < 2) continue;
    const Point& a = line[s.first];
    const double dx = line[s.last].x - a.x;
    const double dy = line[s.last].y - a.y;
    const double len2 = dx * dx + dy * dy;
    const double inv_len2 = len2 > 0 ? 1 / len2 : 0;
    size_t best = s.first + 1;
    double best_distance2 = -1;
    for (size_t k = s.first + 1; k < s.last; ++k) {
      const double d2 = SegmentDistance2(line[k], a, dx, dy, inv_len2);
      if (d2 > best_distance2) {
        best_distance2 = d2;
        best = k;
      }
    }
    const double t = std::min(std::sqrt(best_distance2), s.cap);
    (*out)[best] = t;
    stack.push_back({s.first, best, t});
    stack.push_back({best, s.last, t});
  }
}

uint8_t MinZoomForThreshold(double threshold, double tolerance_world) {
  if (!(threshold > 0)) return kNeverKept;
  if (threshold > tolerance_world) return 0;
  // Kept at z iff threshold > tolerance_world / 2^z.
  const double z = std::floor(std::log2(tolerance_world / threshold)) + 1;
  return static_cast<uint8_t>(std::min(z, static_cast<double>(kNeverKept)));
}

namespace {

// The node level's graph from its own rings: arcs are the maximal chains of degree-2 vertices.
std::unique_ptr<NodeGraph> GraphFromRings(const Hierarchy& h, const PointLayout& layout,
                                          size_t node_level, double tolerance_world,
                                          std::vector<std::string>* notes) {
  const RegionRange node_regions = h.regions(node_level);

  // 1. Unique vertices of the node level, and each ring as a cycle of ids without repeats.
  auto graph = std::make_unique<NodeGraph>(layout.region_begin[node_regions.last] -
                                           layout.region_begin[node_regions.first]);
  VertexMap& map = graph->map;
  std::vector<uint32_t>& point_ids = graph->node_point_ids;
  point_ids.reserve(layout.region_begin[node_regions.last] -
                    layout.region_begin[node_regions.first]);
  std::vector<uint32_t> ids;
  std::vector<size_t> ring_ends;
  for (RegionId r : node_regions) {
    const MultiPolygonView g = h.geometry(r);
    for (size_t k = 0; k < g.ring_count(); ++k) {
      const RingView ring = g.ring(k);
      const size_t begin = ids.size();
      const size_t ring_first = point_ids.size();
      for (size_t i = 0; i + 1 < ring.size(); ++i) {
        const uint32_t id = map.Insert(ring[i]);
        point_ids.push_back(id);
        if (ids.size() == begin || ids.back() != id) ids.push_back(id);
      }
      if (!ring.empty()) {  // the closing point: looked up later unless it is the first one
        const bool closed = ring.size() > 1 && ring[ring.size() - 1] == ring[0];
        point_ids.push_back(closed ? point_ids[ring_first] : kNone);
      }
      while (ids.size() - begin > 1 && ids.back() == ids[begin]) ids.pop_back();
      ring_ends.push_back(ids.size());
    }
  }
  const size_t vertex_count = map.points().size();

  // 2. The boundary graph: unique undirected edges, vertex degrees.
  std::vector<uint64_t> edges;
  edges.reserve(ids.size());
  size_t begin = 0;
  for (size_t end : ring_ends) {
    const size_t n = end - begin;
    if (n >= 2) {
      for (size_t i = 0; i < n; ++i) {
        edges.push_back(EdgeKey(ids[begin + i], ids[begin + (i + 1) % n]));
      }
    }
    begin = end;
  }
  std::sort(edges.begin(), edges.end());
  size_t crowded_edges = 0;  // edges on more than two rings: overlapping regions
  {
    size_t run = 0;
    for (size_t i = 0; i < edges.size(); ++i) {
      run = (i > 0 && edges[i] == edges[i - 1]) ? run + 1 : 1;
      if (run == 3) ++crowded_edges;
    }
  }
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  if (crowded_edges > 0) {
    notes->push_back("level " + h.levels()[node_level].name + ": " + std::to_string(crowded_edges) +
                     " edges lie on more than two rings (overlapping regions: not a clean "
                     "coverage)");
  }
  std::vector<uint32_t> degree(vertex_count, 0);
  for (uint64_t e : edges) {
    ++degree[e >> 32];
    ++degree[e & 0xffffffffu];
  }
  std::vector<uint8_t> is_node(vertex_count);
  for (size_t v = 0; v < vertex_count; ++v) is_node[v] = degree[v] != 2;

  // 3. Douglas–Peucker thresholds, once per arc, in a canonical direction.
  const std::vector<Point>& points = map.points();
  std::vector<double> threshold(vertex_count, -1.0);
  std::vector<uint32_t> arc;
  std::vector<Point> line;
  std::vector<double> arc_thresholds;
  begin = 0;
  for (size_t end : ring_ends) {
    const size_t n = end - begin;
    const uint32_t* cycle = ids.data() + begin;
    begin = end;
    if (n < 3) {
      for (size_t i = 0; i < n; ++i) is_node[cycle[i]] = 1;
      continue;
    }
    size_t start = n;
    for (size_t i = 0; i < n && start == n; ++i) {
      if (is_node[cycle[i]]) start = i;
    }
    if (start == n) {  // a closed loop: its smallest vertex is its node, on every ring through it
      start = 0;
      for (size_t i = 1; i < n; ++i) {
        if (points[cycle[i]] < points[cycle[start]]) start = i;
      }
      is_node[cycle[start]] = 1;
    }
    for (size_t i = 0; i < n;) {
      arc.clear();
      arc.push_back(cycle[(start + i) % n]);
      size_t j = i + 1;
      for (; j <= n; ++j) {
        const uint32_t v = cycle[(start + j) % n];
        arc.push_back(v);
        if (is_node[v]) break;
      }
      i = j;
      if (arc.size() < 3 || threshold[arc[1]] >= 0) continue;
      const bool reverse = arc.front() == arc.back() ? points[arc[arc.size() - 2]] < points[arc[1]]
                                                     : points[arc.back()] < points[arc.front()];
      if (reverse) std::reverse(arc.begin(), arc.end());
      line.clear();
      for (uint32_t v : arc) line.push_back(LonLatToWorld(points[v]));
      DouglasPeuckerThresholds(line, &arc_thresholds);
      for (size_t k = 1; k + 1 < arc.size(); ++k) threshold[arc[k]] = arc_thresholds[k];
    }
  }
  std::vector<uint8_t>& vertex_zoom = graph->vertex_zoom;
  vertex_zoom.resize(vertex_count);
  for (size_t v = 0; v < vertex_count; ++v) {
    vertex_zoom[v] =
        (is_node[v] || threshold[v] < 0) ? 0 : MinZoomForThreshold(threshold[v], tolerance_world);
  }

  graph->SetEdges(std::move(edges));
  return graph;
}

// The node level's graph from the topology module's shared arcs.
std::unique_ptr<NodeGraph> GraphFromTopology(const LevelTopology& topology,
                                             double tolerance_world) {
  auto graph = std::make_unique<NodeGraph>(topology.points().size());
  std::vector<uint64_t> edges;
  std::vector<Point> line;
  std::vector<double> thresholds;
  for (size_t i = 0; i < topology.arc_count(); ++i) {
    const std::span<const Point> pts = topology.arc_points(i);
    line.clear();
    for (const Point& p : pts) line.push_back(LonLatToWorld(p));
    DouglasPeuckerThresholds(line, &thresholds);
    uint32_t previous = kNone;
    for (size_t k = 0; k < pts.size(); ++k) {
      const uint32_t v = graph->map.Insert(pts[k]);
      const uint8_t zoom =
          (k == 0 || k + 1 == pts.size()) ? 0 : MinZoomForThreshold(thresholds[k], tolerance_world);
      if (v == graph->vertex_zoom.size()) {
        graph->vertex_zoom.push_back(zoom);
      } else {
        graph->vertex_zoom[v] = std::min(graph->vertex_zoom[v], zoom);  // on two arcs: keep it
      }
      if (previous != kNone && previous != v) edges.push_back(EdgeKey(previous, v));
      previous = v;
    }
  }
  graph->SetEdges(std::move(edges));
  return graph;
}

}  // namespace

std::vector<uint8_t> BuildKeepTable(const Hierarchy& h, const PointLayout& layout,
                                    size_t node_level, double tolerance_world,
                                    std::vector<std::string>* notes,
                                    const LevelTopology* topology) {
  const std::string& node_name = h.levels()[node_level].name;
  const std::unique_ptr<NodeGraph> graph =
      topology ? GraphFromTopology(*topology, tolerance_world)
               : GraphFromRings(h, layout, node_level, tolerance_world, notes);
  const VertexMap& map = graph->map;
  const std::vector<uint8_t>& vertex_zoom = graph->vertex_zoom;

  // 4. The table for every region of the levels <= node_level.
  std::vector<uint8_t> table(layout.LevelsEnd(h, node_level), 0);
  std::vector<uint32_t> region_ids;
  for (size_t level = 0; level <= node_level; ++level) {
    size_t fallback_regions = 0;
    size_t unmatched_edges = 0;
    size_t unmatched_regions = 0;
    for (RegionId r : h.regions(level)) {
      const MultiPolygonView g = h.geometry(r);
      const std::span<const Point> pts = g.points();
      uint64_t gi = layout.region_begin[r];
      bool missing = false;
      region_ids.resize(pts.size());
      const uint32_t* known = nullptr;  // the ids GraphFromRings recorded, if any
      if (level == node_level && !graph->node_point_ids.empty()) {
        known = graph->node_point_ids.data() + (gi - layout.region_begin[h.regions(level).first]);
      }
      for (size_t i = 0; i < pts.size(); ++i) {
        const uint32_t v = known && known[i] != kNone ? known[i] : map.Find(pts[i]);
        if (v == kNone) {
          missing = true;
          break;
        }
        region_ids[i] = v;
        table[gi + i] = vertex_zoom[v];
      }
      if (missing || (topology && level == node_level && !topology->region_seamless(r))) {
        FillPerPolygon(h, r, gi, tolerance_world, &table);
        ++fallback_regions;
        continue;
      }
      if (level == node_level) continue;
      size_t region_unmatched = 0;
      size_t ring_begin = 0;
      for (size_t k = 0; k < g.ring_count(); ++k) {
        const size_t ring_end = ring_begin + g.ring(k).size();
        for (size_t i = ring_begin; i + 1 < ring_end; ++i) {
          const uint32_t a = region_ids[i], b = region_ids[i + 1];
          if (a != b && !graph->Adjacent(a, b)) ++region_unmatched;
        }
        ring_begin = ring_end;
      }
      unmatched_edges += region_unmatched;
      unmatched_regions += region_unmatched > 0;
    }
    const std::string& name = h.levels()[level].name;
    if (fallback_regions > 0 && level == node_level) {
      notes->push_back("level " + name + ": " + std::to_string(fallback_regions) +
                       " regions are not a clean coverage (topology: not seamless); they are "
                       "simplified per polygon (not seamless with their neighbours)");
    } else if (fallback_regions > 0) {
      notes->push_back("level " + name + ": " + std::to_string(fallback_regions) +
                       " regions have vertices that are not on level " + node_name +
                       "'s borders; they are simplified per polygon at the zooms that show " +
                       node_name + " (not seamless there)");
    }
    if (unmatched_edges > 0) {
      notes->push_back("level " + name + ": " + std::to_string(unmatched_edges) + " edges of " +
                       std::to_string(unmatched_regions) + " regions are not edges of level " +
                       node_name + " (parent and children not edge-matched; slivers possible)");
    }
  }
  return table;
}

}  // namespace wangge::internal
