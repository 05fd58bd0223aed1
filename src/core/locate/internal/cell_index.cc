#include "locate/internal/cell_index.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <memory>
#include <utility>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "locate/internal/exact_predicates.h"

namespace wangge::internal {

// The box of a cell and of its k×k children: the same arithmetic at build and lookup time.
struct CellBox {
  double x0, y0, x1, y1;
  // Returns child (i, j): [x0 + i·w, x0 + (i + 1)·w] × [y0 + j·h, y0 + (j + 1)·h], w = (x1 - x0)/k,
  // h = (y1 - y0)/k, the last column and row ending exactly at x1 and y1.
  CellBox Child(uint32_t k, uint32_t i, uint32_t j) const {
    const double w = (x1 - x0) / k, h = (y1 - y0) / k;
    return {x0 + i * w, y0 + j * h, i + 1 == k ? x1 : x0 + (i + 1) * w,
            j + 1 == k ? y1 : y0 + (j + 1) * h};
  }
  // Returns the column (or row) of coordinate v among k children of width (or height) `size`
  // = (hi - lo) / k from `lo`, clamped: a point within rounding of the cell's edge may compute
  // just outside it.
  static uint32_t Slot(double v, double lo, double size, uint32_t k) {
    const double f = (v - lo) / size;
    return f <= 0 ? 0u : std::min(k - 1, static_cast<uint32_t>(f));
  }
};

namespace {

// A node is a 32-bit word: a 2-bit tag in the low bits, a 30-bit payload above it.
//   direct: payload = region id (kNoPayload: no region)
//   leaf:   payload = word offset of the leaf record in the arena
//   split:  payload = index of the first of k×k children (row by row, south to north, west to
//           east) << 2 | (log2(k) - 1), k = 2, 4, 8 or 16
//   slow:   payload = word offset of the slow record in the arena
constexpr uint32_t kTagDirect = 0;
constexpr uint32_t kTagLeaf = 1;
constexpr uint32_t kTagSplit = 2;
constexpr uint32_t kTagSlow = 3;
constexpr uint32_t kNoPayload = 0x3FFFFFFFu;
constexpr uint32_t kMaxPayload = kNoPayload - 1;

constexpr uint32_t MakeNode(uint32_t tag, uint32_t payload) { return payload << 2 | tag; }
constexpr uint32_t Tag(uint32_t node) { return node & 3u; }
constexpr uint32_t Payload(uint32_t node) { return node >> 2; }

// Leaf record, in 64-bit words:
//   [0]        initial parity mask (bits 0-30: the candidates containing c), vertex count
//              (bits 32-47), candidate count (bits 48-55), and which ReferenceCandidate of the
//              leaf's cell is its reference point c (bits 56-63): c is recomputed from the cell's
//              box at lookup, with the same arithmetic, rather than stored
//   then       candidates, two 32-bit region ids per word, in the regions' code order
//   then       vertices, two words each (x, y)
//   then       edge words, two 32-bit words per word; edge word i belongs to the edge from vertex i
//              to vertex i + 1: bits 0-30 the candidates whose boundary it is (0: no edge, a break
//              between vertex runs), bit 31 set if c lies left of the edge so directed
// Slow record: [0] candidate count, then candidates as above.
constexpr size_t kMaxCandidates = 31;
constexpr uint32_t kOwnerBits = 0x7FFFFFFFu;
constexpr uint32_t kReferenceLeft = 0x80000000u;
constexpr size_t kMaxLeafVertices = 0xFFFF;

inline Point LoadPoint(const uint64_t* w) {
  return {std::bit_cast<double>(w[0]), std::bit_cast<double>(w[1])};
}
inline uint32_t LoadHalf(const uint64_t* w, size_t i) {
  return static_cast<uint32_t>(w[i / 2] >> (32 * (i & 1)));
}
// Fetches the lines a typical leaf record spans together with its header, rather than one after
// the other once the header says where its vertices and edge words lie (LocateInLeaf fetches the
// rest of a long record).
inline void PrefetchRecord(const uint64_t* record) {
  for (int line = 0; line < 4; ++line) __builtin_prefetch(record + 8 * line);
}

// The tie-break of orient(c, p*, v) = 0, p* = p + (ε, ε²): d/dε = v.y - c.y, d/dε² = c.x - v.x.
// REQUIRES: v != c.
inline int PerturbedSideTieBreak(const Point& c, const Point& v) {
  if (v.y != c.y) return v.y > c.y ? 1 : -1;
  return c.x > v.x ? 1 : -1;
}

inline uint32_t SplitNode(uint32_t first_child, uint32_t log2_k) {
  return MakeNode(kTagSplit, first_child << 2 | (log2_k - 1));
}
inline uint32_t SplitFirstChild(uint32_t node) { return Payload(node) >> 2; }
inline uint32_t SplitFanout(uint32_t node) { return 2u << (Payload(node) & 3u); }

// Returns whether segment a-b may touch `box` grown by (mx, my). Never says false for a segment
// that touches it; may say true for one that passes within rounding distance.
bool SegmentMayTouch(const Point& a, const Point& b, const CellBox& box, double mx, double my) {
  const double x0 = box.x0 - mx, x1 = box.x1 + mx, y0 = box.y0 - my, y1 = box.y1 + my;
  if (std::max(a.x, b.x) < x0 || std::min(a.x, b.x) > x1 || std::max(a.y, b.y) < y0 ||
      std::min(a.y, b.y) > y1) {
    return false;
  }
  const Point corners[4] = {{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}};
  int positive = 0, negative = 0;
  for (const Point& k : corners) {
    const int s = FilteredSign((b.x - a.x) * (k.y - a.y), (b.y - a.y) * (k.x - a.x));
    if (s == 1) ++positive;
    if (s == -1) ++negative;
  }
  return positive != 4 && negative != 4;
}

// An edge of one region, endpoints in canonical order (a < b).
struct EdgeRec {
  Point a;
  Point b;
  uint32_t region;
  // Whether this is the first entry of its segment in the node's list. The entries of a segment
  // are adjacent at the root (sorted) and in every node below it (they touch the same children).
  bool segment_start = true;
};

// Orders by segment, then region: a type rather than a function so that std::sort inlines it.
struct EdgeLess {
  bool operator()(const EdgeRec& l, const EdgeRec& r) const {
    if (l.a != r.a) return l.a < r.a;
    if (l.b != r.b) return l.b < r.b;
    return l.region < r.region;
  }
};
bool SameSegment(const EdgeRec& l, const EdgeRec& r) { return l.a == r.a && l.b == r.b; }

// Sorts a root cell's edges by segment and marks where each segment's entries start. A region
// that runs along the same segment twice keeps both entries: their bits cancel in the segment's
// owner mask (WriteLeaf), as two crossings cancel in a parity, and the region stays a candidate
// of every node they touch, its side decided there like any other's.
void SortBySegment(std::vector<EdgeRec>& edges) {
  std::sort(edges.begin(), edges.end(), EdgeLess{});
  for (size_t i = 0; i < edges.size(); ++i) {
    edges[i].segment_start = i == 0 || !SameSegment(edges[i - 1], edges[i]);
  }
}

// Sets `out` to the distinct regions of `edges`, ascending. A node has few distinct regions and
// each appears in runs, so a scan of the short list found so far beats sorting every entry.
void CollectRegions(const std::vector<EdgeRec>& edges, std::vector<uint32_t>& out) {
  constexpr size_t kScanLimit = 16;
  out.clear();
  uint32_t last = UINT32_MAX;
  for (const EdgeRec& e : edges) {
    if (e.region == last) continue;
    last = e.region;
    if (std::find(out.begin(), out.end(), last) != out.end()) continue;
    if (out.size() == kScanLimit) {
      out.clear();
      for (const EdgeRec& f : edges) out.push_back(f.region);
      std::sort(out.begin(), out.end());
      out.erase(std::unique(out.begin(), out.end()), out.end());
      return;
    }
    out.push_back(last);
  }
  std::sort(out.begin(), out.end());
}

// A leaf's reference point and which of its edge regions contain it.
struct Reference {
  Point c;
  int k = 0;                      // c == ReferenceCandidate(box, k)
  std::vector<uint32_t> regions;  // sorted edge regions of the node
  std::vector<uint8_t> inside;    // per entry of `regions`
};

// Working memory of one node under construction, reused from cell to cell (one per depth, as
// children are built while their parent's frame is live), so a build allocates per chunk, not per
// cell.
struct NodeScratch {
  std::vector<EdgeRec> edges;      // the node's edges, by segment (SortBySegment)
  std::vector<uint32_t> covering;  // regions covering the whole node without an edge in it
  Reference ref;
  std::vector<uint32_t> candidates;
  std::vector<std::pair<uint32_t, uint32_t>> assigned;  // (child, edge) of a split, edge order
  std::vector<uint32_t> child_begin;  // the split's edges grouped by child: a counting sort
  std::vector<uint32_t> child_edges;
  std::vector<uint8_t> child_status;  // per child and edge region of a split (ChildStatus)
  std::vector<uint32_t> flood;
  std::vector<CellBox> child_boxes;
  // Leaf layout.
  std::vector<Point> vertices;
  struct Segment {
    uint32_t u, v, mask;
  };
  std::vector<Segment> segments;
  std::vector<uint32_t> degree;
  std::vector<uint8_t> used;
  std::vector<uint32_t> walk;
  std::vector<uint32_t> walk_masks;
  std::vector<uint32_t> vertex_slots;     // open-addressing table: vertex index + 1, 0 = empty
  std::vector<uint32_t> adjacency_begin;  // per vertex, its segments in `adjacency` (CSR)
  std::vector<uint32_t> adjacency;
  std::vector<uint32_t> adjacency_cursor;  // per vertex: its segments before this one are used
};

// Candidate reference points inside a cell, as fractions of its width and height: the centre
// first, then a low-discrepancy (R2) sequence.
Point ReferenceCandidate(const CellBox& box, int k) {
  constexpr double kA1 = 0.7548776662466927;
  constexpr double kA2 = 0.5698402909980532;
  double fx = 0.5, fy = 0.5;
  if (k > 0) {
    fx = 0.1 + 0.8 * std::fmod(0.5 + k * kA1, 1.0);
    fy = 0.1 + 0.8 * std::fmod(0.5 + k * kA2, 1.0);
  }
  return {box.x0 + fx * (box.x1 - box.x0), box.y0 + fy * (box.y1 - box.y0)};
}

// Returns room for at least `n` elements in `v`, contents unspecified: scratch arrays only grow.
template <typename T>
T* Room(std::vector<T>& v, size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

struct ChunkOut {
  std::vector<uint32_t> nodes;  // split children, indexes local to the chunk
  std::vector<uint64_t> arena;
};

// Returns floor(f) clamped to [0, n - 1]: the root row or column at fractional position f.
inline uint32_t ClampedCell(double f, uint32_t n) {
  if (!(f > 0)) return 0;
  return f >= static_cast<double>(n - 1) ? n - 1 : static_cast<uint32_t>(f);
}

template <typename F>
void ParallelFor(size_t n, F&& f) {
  oneapi::tbb::parallel_for(size_t{0}, n, std::forward<F>(f));
}

// TestRegion's scan. Without kBoundary it decides `inside` only, all that a point known to lie off
// the edges needs, at about half the cost.
template <bool kBoundary>
RegionTest ScanRegion(const MultiPolygonView& geometry, const Point& p) {
  RegionTest result;
  for (size_t r = 0; r < geometry.ring_count(); ++r) {
    const RingView ring = geometry.ring(r);
    if (ring.size() == 0) continue;
    bool a_above = ring[0].y > p.y;
    // The edge from ring[i - 1] to ring[i].
    auto edge = [&](size_t i) {
      const Point& a = ring[i - 1];
      const Point& b = ring[i];
      const bool b_above = b.y > p.y;
      if (a_above != b_above) {
        if (p.x < std::min(a.x, b.x)) {  // strictly left: the ray crosses the edge
          result.inside = !result.inside;
        } else if (p.x <= std::max(a.x, b.x)) {
          const int o = a_above ? OrientSign(b, a, p) : OrientSign(a, b, p);
          if (o > 0) {
            result.inside = !result.inside;
          } else if (kBoundary && o == 0) {
            result.on_boundary = true;
          }
        }
      } else if (kBoundary && !a_above && (a.y == p.y || b.y == p.y) && p.x >= std::min(a.x, b.x) &&
                 p.x <= std::max(a.x, b.x) && !(a == b) && OrientSign(a, b, p) == 0) {
        result.on_boundary = true;
      }
      a_above = b_above;
    };
    size_t i = 1;
    if constexpr (!kBoundary) {
      // Only edges that straddle the line y = p.y count, and few do: four edges at a time pass
      // with four comparisons when none of them does.
      for (; i + 4 <= ring.size(); i += 4) {
        const bool u0 = ring[i].y > p.y, u1 = ring[i + 1].y > p.y, u2 = ring[i + 2].y > p.y,
                   u3 = ring[i + 3].y > p.y;
        if (((u0 != a_above) | (u1 != u0) | (u2 != u1) | (u3 != u2)) == 0) {
          a_above = u3;
          continue;
        }
        for (size_t j = i; j < i + 4; ++j) edge(j);
      }
    }
    for (; i < ring.size(); ++i) edge(i);
  }
  return result;
}

}  // namespace

RegionTest TestRegion(const MultiPolygonView& geometry, const Point& p) {
  return ScanRegion<true>(geometry, p);
}

class CellIndexBuilder {
 public:
  CellIndexBuilder(const Hierarchy& hierarchy, const CellIndexOptions& options, CellIndex& index)
      : hierarchy_(hierarchy), options_(options), index_(index) {}

  Status Run(std::vector<RegionId> regions);

 private:
  void SetUpGrid(size_t edge_count);
  template <typename F>
  void ForEachRootCell(const Point& a, const Point& b, F&& f) const;
  CellBox RootBox(uint32_t ix, uint32_t iy) const { return index_.RootBox(ix, iy); }
  MultiPolygonView Geometry(uint32_t region) const {
    return hierarchy_.geometry(index_.regions_[region]);
  }
  // Builds the node for `box` from scratch[depth].edges and .covering, which the caller fills.
  uint32_t BuildNode(const CellBox& box, int depth, std::vector<NodeScratch>& scratch,
                     ChunkOut& out) const;
  // Returns whether region `region` (an index) contains `p`. REQUIRES: p is off its edges.
  bool Contains(uint32_t region, const Point& p) const {
    const RegionId id = index_.regions_[region];
    return hierarchy_.bounds(id).Contains(p) &&
           ScanRegion<false>(hierarchy_.geometry(id), p).inside;
  }
  uint32_t WriteSlow(const std::vector<uint32_t>& candidates, ChunkOut& out) const;
  uint32_t WriteLeaf(NodeScratch& s, ChunkOut& out) const;

  const Hierarchy& hierarchy_;
  const CellIndexOptions& options_;
  CellIndex& index_;
  double margin_x_ = 0;
  double margin_y_ = 0;
};

void CellIndexBuilder::SetUpGrid(size_t edge_count) {
  CellIndex& x = index_;
  const Box& b = x.bounds_;
  const double mid_lat = 0.5 * (b.min_y + b.max_y);
  const double aspect = std::max(0.01, std::cos(mid_lat * M_PI / 180));
  const double span_x = std::max(b.width(), 1e-9);
  const double span_y = std::max(b.height(), 1e-9);
  const double target = std::clamp(static_cast<double>(edge_count) * options_.root_cells_per_edge,
                                   1.0, static_cast<double>(options_.max_root_cells));
  const double side = std::sqrt(span_x * aspect * span_y / target);
  x.nx_ = static_cast<uint32_t>(std::clamp(std::ceil(span_x * aspect / side), 1.0, 65535.0));
  x.ny_ = static_cast<uint32_t>(std::clamp(std::ceil(span_y / side), 1.0, 65535.0));
  // The margin covers rounding in cell arithmetic (a few ulps of the coordinates) many times
  // over; cells are grown by it when deciding which edges they hold.
  margin_x_ = std::max(span_x / x.nx_ * 1e-6, (std::abs(b.min_x) + std::abs(b.max_x)) * 1e-13);
  margin_y_ = std::max(span_y / x.ny_ * 1e-6, (std::abs(b.min_y) + std::abs(b.max_y)) * 1e-13);
  x.x0_ = b.min_x - margin_x_;
  x.y0_ = b.min_y - margin_y_;
  x.cell_w_ = (b.max_x + margin_x_ - x.x0_) / x.nx_;
  x.cell_h_ = (b.max_y + margin_y_ - x.y0_) / x.ny_;
  x.inv_w_ = 1 / x.cell_w_;
  x.inv_h_ = 1 / x.cell_h_;
}

template <typename F>
void CellIndexBuilder::ForEachRootCell(const Point& a, const Point& b, F&& f) const {
  const CellIndex& x = index_;
  const uint32_t iy0 = ClampedCell((std::min(a.y, b.y) - margin_y_ - x.y0_) * x.inv_h_, x.ny_);
  const uint32_t iy1 = ClampedCell((std::max(a.y, b.y) + margin_y_ - x.y0_) * x.inv_h_, x.ny_);
  for (uint32_t iy = iy0; iy <= iy1; ++iy) {
    double xa = std::min(a.x, b.x), xb = std::max(a.x, b.x);
    if (iy0 != iy1 && a.y != b.y) {
      const double band_lo = x.y0_ + iy * x.cell_h_ - margin_y_;
      const double band_hi = x.y0_ + (iy + 1) * x.cell_h_ + margin_y_;
      double t0 = (band_lo - a.y) / (b.y - a.y);
      double t1 = (band_hi - a.y) / (b.y - a.y);
      if (t0 > t1) std::swap(t0, t1);
      t0 = std::clamp(t0, 0.0, 1.0);
      t1 = std::clamp(t1, 0.0, 1.0);
      const double u = a.x + t0 * (b.x - a.x);
      const double v = a.x + t1 * (b.x - a.x);
      xa = std::min(u, v);
      xb = std::max(u, v);
    }
    const uint32_t ix0 = ClampedCell((xa - margin_x_ - x.x0_) * x.inv_w_, x.nx_);
    const uint32_t ix1 = ClampedCell((xb + margin_x_ - x.x0_) * x.inv_w_, x.nx_);
    for (uint32_t ix = ix0; ix <= ix1; ++ix) f(ix, iy);
  }
}

Status CellIndexBuilder::Run(std::vector<RegionId> regions) {
  CellIndex& x = index_;
  x.hierarchy_ = &hierarchy_;
  // The regions in code order (then id), without duplicates or empty geometries: picked out of
  // the hierarchy's code order rather than sorted by string.
  std::vector<uint8_t> wanted(hierarchy_.region_count(), 0);
  for (RegionId r : regions) wanted[r] = 1;
  regions.clear();
  for (RegionId r : hierarchy_.by_code()) {
    if (wanted[r] && !hierarchy_.geometry(r).empty()) regions.push_back(r);
  }
  x.regions_ = std::move(regions);
  const size_t region_count = x.regions_.size();
  size_t edge_count = 0;
  for (RegionId r : x.regions_) {
    x.bounds_.Add(hierarchy_.bounds(r));
    edge_count += hierarchy_.geometry(r).vertex_count();
  }
  if (region_count == 0) return Status::Ok();
  if (hierarchy_.region_count() > kMaxPayload) {
    return Status::ResourceExhausted("point index: more than 2^30 regions");
  }
  SetUpGrid(edge_count);
  const size_t cell_count = size_t{x.nx_} * x.ny_;

  // Pass 1: the root cells each edge touches, listed per chunk of regions and counted per cell;
  // and the root cells each region covers without an edge in them.
  auto for_each_edge = [&](uint32_t region, auto&& f) {
    const MultiPolygonView g = Geometry(region);
    const std::span<const Point> points = g.points();
    uint32_t begin = 0;
    for (uint32_t end : g.ring_ends()) {
      for (uint32_t i = begin; i + 1 < end; ++i) {
        if (!(points[i] == points[i + 1])) f(i, points[i], points[i + 1]);
      }
      begin = end;
    }
  };
  struct Touch {
    uint32_t cell;  // < 65535², see SetUpGrid
    uint32_t region;
    uint32_t point;  // the edge runs from points[point] to points[point + 1] of the region
  };
  std::vector<uint32_t> cell_begin(cell_count + 1, 0);
  constexpr size_t kRegionChunk = 256;
  const size_t region_chunks = (region_count + kRegionChunk - 1) / kRegionChunk;
  std::vector<std::vector<Touch>> touches(region_chunks);
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> covered(region_chunks);
  ParallelFor(region_chunks, [&](size_t chunk) {
    std::vector<uint8_t> touched;  // per root cell of the region's box: an edge touches it
    const size_t end = std::min(region_count, (chunk + 1) * kRegionChunk);
    // An edge touches about 1.3 root cells at the default grid size: room for 1.5 saves the list
    // its regrowths, each a copy.
    size_t chunk_edges = 0;
    for (size_t k = chunk * kRegionChunk; k < end; ++k) {
      chunk_edges += Geometry(static_cast<uint32_t>(k)).vertex_count();
    }
    touches[chunk].reserve(chunk_edges + chunk_edges / 2);
    for (size_t k = chunk * kRegionChunk; k < end; ++k) {
      const uint32_t region = static_cast<uint32_t>(k);
      const Box& rb = hierarchy_.bounds(x.regions_[region]);
      const uint32_t ix0 = ClampedCell((rb.min_x - x.x0_) * x.inv_w_, x.nx_);
      const uint32_t ix1 = ClampedCell((rb.max_x - x.x0_) * x.inv_w_, x.nx_);
      const uint32_t iy0 = ClampedCell((rb.min_y - x.y0_) * x.inv_h_, x.ny_);
      const uint32_t iy1 = ClampedCell((rb.max_y - x.y0_) * x.inv_h_, x.ny_);
      const uint32_t box_w = ix1 - ix0 + 1;
      touched.assign(size_t{box_w} * (iy1 - iy0 + 1), 0);
      for_each_edge(region, [&](uint32_t i, const Point& a, const Point& b) {
        ForEachRootCell(a, b, [&](uint32_t ix, uint32_t iy) {
          const uint32_t cell = iy * x.nx_ + ix;
          touches[chunk].push_back({cell, region, i});
          std::atomic_ref<uint32_t>(cell_begin[cell + 1]).fetch_add(1, std::memory_order_relaxed);
          // Cells just outside the box (the margin) play no part in the covering test below.
          if (ix >= ix0 && ix <= ix1 && iy >= iy0 && iy <= iy1) {
            touched[size_t{iy - iy0} * box_w + (ix - ix0)] = 1;
          }
        });
      });
      // A run of untouched cells in a row lies wholly inside or outside the region: test one
      // point. A run that reaches the first or last column of the region's box needs no test: its
      // cells, grown by the margin, reach past the region's extent (the margin dwarfs the rounding
      // of the column arithmetic) without meeting an edge, so they lie outside.
      auto is_touched = [&](uint32_t ix, uint32_t iy) {
        return touched[size_t{iy - iy0} * box_w + (ix - ix0)] != 0;
      };
      const MultiPolygonView g = Geometry(region);
      for (uint32_t iy = iy0; iy <= iy1; ++iy) {
        for (uint32_t ix = ix0; ix <= ix1;) {
          if (is_touched(ix, iy)) {
            ++ix;
            continue;
          }
          uint32_t run_end = ix + 1;
          while (run_end <= ix1 && !is_touched(run_end, iy)) {
            ++run_end;
          }
          const CellBox box = RootBox(ix, iy);
          if (ix != ix0 && run_end <= ix1 &&
              ScanRegion<false>(g, {0.5 * (box.x0 + box.x1), 0.5 * (box.y0 + box.y1)}).inside) {
            for (uint32_t i = ix; i < run_end; ++i)
              covered[chunk].push_back({iy * x.nx_ + i, region});
          }
          ix = run_end;
        }
      }
    }
  });
  for (size_t c = 0; c < cell_count; ++c) cell_begin[c + 1] += cell_begin[c];

  // Pass 2: the entries grouped by cell (order within a cell does not matter: SortBySegment).
  struct EntryRef {
    uint32_t region;
    uint32_t point;
  };
  const size_t entry_count = cell_begin[cell_count];
  // Every entry is written below: no zeroing first.
  const std::unique_ptr<EntryRef[]> entries =
      std::make_unique_for_overwrite<EntryRef[]>(entry_count);
  std::vector<uint32_t> cursor(cell_begin.begin(), cell_begin.end() - 1);
  ParallelFor(region_chunks, [&](size_t chunk) {
    for (const Touch& t : touches[chunk]) {
      const uint32_t slot =
          std::atomic_ref<uint32_t>(cursor[t.cell]).fetch_add(1, std::memory_order_relaxed);
      entries[slot] = {t.region, t.point};
    }
    std::vector<Touch>().swap(touches[chunk]);
  });
  std::vector<const Point*> region_points(region_count);
  for (size_t k = 0; k < region_count; ++k) {
    region_points[k] = Geometry(static_cast<uint32_t>(k)).points().data();
  }
  std::vector<uint32_t> cover_begin(cell_count + 1, 0);
  for (const auto& list : covered) {
    for (const auto& [cell, region] : list) ++cover_begin[cell + 1];
  }
  for (size_t c = 0; c < cell_count; ++c) cover_begin[c + 1] += cover_begin[c];
  std::vector<uint32_t> cover(cover_begin[cell_count]);
  {
    std::vector<uint32_t> fill(cover_begin.begin(), cover_begin.end() - 1);
    for (const auto& list : covered) {
      for (const auto& [cell, region] : list) cover[fill[cell]++] = region;
    }
    covered.clear();
  }

  // Pass 3: build the root cells' nodes, rows in fixed chunks so the layout does not depend on
  // scheduling, then concatenate the chunks.
  x.nodes_.assign(cell_count, MakeNode(kTagDirect, kNoPayload));
  constexpr uint32_t kRowChunk = 8;
  const size_t row_chunks = (x.ny_ + kRowChunk - 1) / kRowChunk;
  std::vector<ChunkOut> outs(row_chunks);
  ParallelFor(row_chunks, [&](size_t chunk) {
    std::vector<NodeScratch> scratch(static_cast<size_t>(options_.max_depth) + 1);
    NodeScratch& root = scratch[0];
    const uint32_t iy_begin = static_cast<uint32_t>(chunk * kRowChunk);
    const uint32_t iy_end = std::min<uint32_t>(x.ny_, iy_begin + kRowChunk);
    // Leaf records take about two words per edge entry. Reserving three per entry saves the
    // array a dozen regrowths, each a copy into fresh pages.
    outs[chunk].arena.reserve(
        3 * size_t{cell_begin[size_t{iy_end} * x.nx_] - cell_begin[size_t{iy_begin} * x.nx_]});
    for (uint32_t iy = iy_begin; iy < iy_end; ++iy) {
      for (uint32_t ix = 0; ix < x.nx_; ++ix) {
        const size_t cell = size_t{iy} * x.nx_ + ix;
        // In region order: the chunks' lists are, and were gathered in chunk order.
        root.covering.assign(cover.begin() + cover_begin[cell],
                             cover.begin() + cover_begin[cell + 1]);
        root.edges.clear();
        for (uint32_t e = cell_begin[cell]; e < cell_begin[cell + 1]; ++e) {
          // The entries are in order, the geometry they name is not: fetch a few ahead.
          if (e + 8 < entry_count) {
            __builtin_prefetch(region_points[entries[e + 8].region] + entries[e + 8].point);
          }
          const Point* points = region_points[entries[e].region];
          Point a = points[entries[e].point];
          Point b = points[entries[e].point + 1];
          if (b < a) std::swap(a, b);
          root.edges.push_back({a, b, entries[e].region});
        }
        SortBySegment(root.edges);
        const CellBox box = RootBox(ix, iy);
        x.nodes_[cell] = BuildNode(box, 0, scratch, outs[chunk]);
      }
    }
  });
  size_t node_total = cell_count, arena_total = 0;
  std::vector<size_t> node_base(row_chunks), arena_base(row_chunks);
  for (size_t k = 0; k < row_chunks; ++k) {
    node_base[k] = node_total;
    arena_base[k] = arena_total;
    node_total += outs[k].nodes.size();
    arena_total += outs[k].arena.size();
  }
  if (node_total > (kMaxPayload >> 2) || arena_total > kMaxPayload) {
    return Status::ResourceExhausted("point index: more than 2^28 cells or 8 GiB of leaves");
  }
  auto relocate = [](uint32_t node, size_t nodes_at, size_t arena_at) {
    switch (Tag(node)) {
      case kTagLeaf:
      case kTagSlow:
        return MakeNode(Tag(node), Payload(node) + static_cast<uint32_t>(arena_at));
      case kTagSplit:
        return SplitNode(SplitFirstChild(node) + static_cast<uint32_t>(nodes_at),
                         static_cast<uint32_t>(std::countr_zero(SplitFanout(node))));
      default:
        return node;
    }
  };
  x.nodes_.resize(node_total);
  x.arena_.resize(arena_total);
  ParallelFor(row_chunks, [&](size_t k) {
    const uint32_t iy_end = std::min<uint32_t>(x.ny_, static_cast<uint32_t>((k + 1) * kRowChunk));
    for (size_t cell = size_t{k} * kRowChunk * x.nx_; cell < size_t{iy_end} * x.nx_; ++cell) {
      x.nodes_[cell] = relocate(x.nodes_[cell], node_base[k], arena_base[k]);
    }
    for (size_t i = 0; i < outs[k].nodes.size(); ++i) {
      x.nodes_[node_base[k] + i] = relocate(outs[k].nodes[i], node_base[k], arena_base[k]);
    }
    std::copy(outs[k].arena.begin(), outs[k].arena.end(),
              x.arena_.begin() + static_cast<std::ptrdiff_t>(arena_base[k]));
  });
  return Status::Ok();
}

uint32_t CellIndexBuilder::BuildNode(const CellBox& box, int depth,
                                     std::vector<NodeScratch>& scratch, ChunkOut& out) const {
  NodeScratch& s = scratch[static_cast<size_t>(depth)];
  const std::vector<EdgeRec>& edges = s.edges;
  const std::vector<uint32_t>& covering = s.covering;
  if (edges.empty()) {
    return MakeNode(kTagDirect, covering.empty() ? kNoPayload : index_.regions_[covering.front()]);
  }
  Reference& ref = s.ref;
  CollectRegions(edges, ref.regions);
  s.candidates.clear();
  std::merge(ref.regions.begin(), ref.regions.end(), covering.begin(), covering.end(),
             std::back_inserter(s.candidates));
  const size_t segments = static_cast<size_t>(
      std::count_if(edges.begin(), edges.end(), [](const EdgeRec& e) { return e.segment_start; }));

  const bool too_big = segments > options_.max_leaf_edges || s.candidates.size() > kMaxCandidates;
  if (too_big && depth < options_.max_depth) {
    // A k×k split, k a power of two from 2 to 16 chosen so that a child holds about
    // max_leaf_edges edges if the edges spread over the cell.
    uint32_t log2_k = 1;
    while (log2_k < 4 && (size_t{1} << (2 * log2_k)) * options_.max_leaf_edges < segments) ++log2_k;
    const uint32_t k = 1u << log2_k;
    s.child_boxes.resize(size_t{k} * k);
    for (uint32_t q = 0; q < k * k; ++q) s.child_boxes[q] = box.Child(k, q % k, q / k);
    const double slot_w = (box.x1 - box.x0) / k, slot_h = (box.y1 - box.y0) / k;
    // Assign each edge to the children it may touch: the entries of a segment together.
    s.assigned.clear();
    for (uint32_t e = 0, run_end; e < edges.size(); e = run_end) {
      run_end = e + 1;
      while (run_end < edges.size() && !edges[run_end].segment_start) ++run_end;
      const EdgeRec& edge = edges[e];
      const uint32_t i0 =
          CellBox::Slot(std::min(edge.a.x, edge.b.x) - margin_x_, box.x0, slot_w, k);
      const uint32_t i1 =
          CellBox::Slot(std::max(edge.a.x, edge.b.x) + margin_x_, box.x0, slot_w, k);
      const uint32_t j0 =
          CellBox::Slot(std::min(edge.a.y, edge.b.y) - margin_y_, box.y0, slot_h, k);
      const uint32_t j1 =
          CellBox::Slot(std::max(edge.a.y, edge.b.y) + margin_y_, box.y0, slot_h, k);
      for (uint32_t j = j0; j <= j1; ++j) {
        for (uint32_t i = i0; i <= i1; ++i) {
          // The slot range of the grown extent holds every child whose box, grown by the margin,
          // the edge may touch (rounding can only drop children the edge misses by ~the margin,
          // which no lookup needs); the exact-enough test decides among them.
          if (SegmentMayTouch(edge.a, edge.b, s.child_boxes[j * k + i], margin_x_, margin_y_)) {
            for (uint32_t d = e; d < run_end; ++d) s.assigned.push_back({j * k + i, d});
          }
        }
      }
    }
    s.child_begin.assign(size_t{k} * k + 2, 0);
    for (const auto& [q, e] : s.assigned) ++s.child_begin[q + 2];
    for (size_t q = 2; q < s.child_begin.size(); ++q) s.child_begin[q] += s.child_begin[q - 1];
    s.child_edges.resize(s.assigned.size());
    for (const auto& [q, e] : s.assigned) s.child_edges[s.child_begin[q + 1]++] = e;
    // An edge region with no edge in a child covers it or misses it. Children next to each other
    // that neither has an edge of the region are on the same side of it (no edge touches their
    // union), so one containment test per connected group of such children decides them all.
    enum ChildStatus : uint8_t { kHasEdge, kOutside, kInside, kUnknown };
    const size_t n_children = size_t{k} * k;
    const size_t n_regions = ref.regions.size();
    s.child_status.assign(n_children * n_regions, kUnknown);
    for (size_t q = 0; q < n_children; ++q) {
      for (uint32_t at = s.child_begin[q]; at < s.child_begin[q + 1]; ++at) {
        const uint32_t region = edges[s.child_edges[at]].region;
        const size_t i = static_cast<size_t>(
            std::lower_bound(ref.regions.begin(), ref.regions.end(), region) - ref.regions.begin());
        s.child_status[q * n_regions + i] = kHasEdge;
      }
    }
    for (size_t i = 0; i < n_regions; ++i) {
      for (uint32_t q = 0; q < n_children; ++q) {
        if (s.child_status[q * n_regions + i] != kUnknown) continue;
        const CellBox& child = s.child_boxes[q];
        const Point centre{0.5 * (child.x0 + child.x1), 0.5 * (child.y0 + child.y1)};
        const uint8_t status = Contains(ref.regions[i], centre) ? kInside : kOutside;
        s.flood.assign(1, q);
        s.child_status[q * n_regions + i] = status;
        while (!s.flood.empty()) {
          const uint32_t at = s.flood.back();
          s.flood.pop_back();
          const uint32_t ci = at % k, cj = at / k;
          const uint32_t next[4] = {ci > 0 ? at - 1 : at, ci + 1 < k ? at + 1 : at,
                                    cj > 0 ? at - k : at, cj + 1 < k ? at + k : at};
          for (uint32_t n : next) {
            if (s.child_status[n * n_regions + i] == kUnknown) {
              s.child_status[n * n_regions + i] = status;
              s.flood.push_back(n);
            }
          }
        }
      }
    }
    NodeScratch& child_scratch = scratch[static_cast<size_t>(depth) + 1];
    const size_t first = out.nodes.size();
    out.nodes.resize(first + size_t{k} * k);
    for (uint32_t q = 0; q < k * k; ++q) {
      const CellBox child = s.child_boxes[q];
      child_scratch.edges.clear();
      for (uint32_t at = s.child_begin[q]; at < s.child_begin[q + 1]; ++at) {
        child_scratch.edges.push_back(edges[s.child_edges[at]]);
      }
      child_scratch.covering = covering;
      bool added = false;
      for (size_t i = 0; i < n_regions; ++i) {
        if (s.child_status[q * n_regions + i] == kInside) {
          child_scratch.covering.push_back(ref.regions[i]);
          added = true;
        }
      }
      if (added) std::sort(child_scratch.covering.begin(), child_scratch.covering.end());
      out.nodes[first + q] = BuildNode(child, depth + 1, scratch, out);
    }
    return SplitNode(static_cast<uint32_t>(first), log2_k);
  }
  if (s.candidates.size() > kMaxCandidates || segments + 1 > kMaxLeafVertices / 2) {
    return WriteSlow(s.candidates, out);
  }

  // A reference point off every edge line, and which edge regions contain it.
  bool found = false;
  for (int k = 0; k < 64 && !found; ++k) {
    ref.c = ReferenceCandidate(box, k);
    ref.k = k;
    found = std::none_of(edges.begin(), edges.end(), [&](const EdgeRec& e) {
      return e.segment_start && OrientSign(e.a, e.b, ref.c) == 0;
    });
  }
  if (!found) return WriteSlow(s.candidates, out);
  ref.inside.resize(ref.regions.size());
  for (size_t i = 0; i < ref.regions.size(); ++i) ref.inside[i] = Contains(ref.regions[i], ref.c);
  return WriteLeaf(s, out);
}

uint32_t CellIndexBuilder::WriteSlow(const std::vector<uint32_t>& candidates, ChunkOut& out) const {
  const size_t at = out.arena.size();
  out.arena.push_back(candidates.size());
  out.arena.resize(at + 1 + (candidates.size() + 1) / 2, 0);
  for (size_t i = 0; i < candidates.size(); ++i) {
    out.arena[at + 1 + i / 2] |= uint64_t{index_.regions_[candidates[i]]} << (32 * (i & 1));
  }
  return MakeNode(kTagSlow, static_cast<uint32_t>(at));
}

uint32_t CellIndexBuilder::WriteLeaf(NodeScratch& s, ChunkOut& out) const {
  const Reference& ref = s.ref;
  const std::vector<EdgeRec>& edges = s.edges;
  const uint32_t* candidates = s.candidates.data();
  auto bit_of = [candidates](uint32_t region) {
    uint32_t i = 0;
    while (candidates[i] != region) ++i;
    return uint32_t{1} << i;
  };
  uint32_t init = 0;
  for (size_t i = 0; i < ref.regions.size(); ++i) {
    if (ref.inside[i]) init |= bit_of(ref.regions[i]);
  }
  for (uint32_t r : s.covering) init |= bit_of(r);

  // Distinct segments with their owner masks, then vertices, then a cover of the segments by
  // vertex runs (walks), so that each stored vertex is tested once per lookup. The working
  // arrays are reached through plain pointers, sized for the worst case: a segment per edge, two
  // vertices per segment, a walk step per segment and a start per walk.
  // Vertices are numbered in order of first appearance through a small hash table.
  const size_t n_edges = edges.size();
  Point* vertices = Room(s.vertices, 2 * n_edges);
  uint32_t n_vertices = 0;
  size_t table_size = 16;
  while (table_size < 4 * n_edges) table_size *= 2;
  uint32_t* slots = Room(s.vertex_slots, table_size);
  std::fill_n(slots, table_size, 0);
  auto vertex_of = [&](const Point& p) {
    uint64_t h = std::bit_cast<uint64_t>(p.x) * 0x9E3779B97F4A7C15ull;
    h = (h ^ (h >> 29) ^ std::bit_cast<uint64_t>(p.y)) * 0xBF58476D1CE4E5B9ull;
    const size_t mask = table_size - 1;
    for (size_t i = (h >> 32) & mask;; i = (i + 1) & mask) {
      const uint32_t slot = slots[i];
      if (slot == 0) {
        vertices[n_vertices++] = p;
        slots[i] = n_vertices;
        return n_vertices - 1;
      }
      if (vertices[slot - 1] == p) return slot - 1;
    }
  };
  NodeScratch::Segment* segments = Room(s.segments, n_edges);
  uint32_t n_segments = 0;
  for (const EdgeRec& e : edges) {
    if (!e.segment_start) {
      segments[n_segments - 1].mask ^= bit_of(e.region);
    } else {
      const uint32_t u = vertex_of(e.a);
      const uint32_t v = vertex_of(e.b);
      segments[n_segments++] = {u, v, bit_of(e.region)};
    }
  }
  uint32_t* degree = Room(s.degree, n_vertices);
  std::fill_n(degree, n_vertices, 0);
  for (uint32_t k = 0; k < n_segments; ++k) {
    ++degree[segments[k].u];
    ++degree[segments[k].v];
  }
  // Each vertex's segments in segment order, so a walk takes the lowest unused one.
  uint32_t* adjacency_begin = Room(s.adjacency_begin, n_vertices + 1);
  adjacency_begin[0] = 0;
  for (uint32_t v = 0; v < n_vertices; ++v) {
    adjacency_begin[v + 1] = adjacency_begin[v] + degree[v];
  }
  uint32_t* adjacency = Room(s.adjacency, 2 * size_t{n_segments});
  uint32_t* cursor = Room(s.adjacency_cursor, n_vertices);
  std::copy_n(adjacency_begin, n_vertices, cursor);
  for (uint32_t k = 0; k < n_segments; ++k) {
    adjacency[cursor[segments[k].u]++] = k;
    adjacency[cursor[segments[k].v]++] = k;
  }
  std::copy_n(adjacency_begin, n_vertices, cursor);
  uint8_t* used = Room(s.used, n_segments);
  std::fill_n(used, n_segments, 0);
  uint32_t* walk = Room(s.walk, 2 * size_t{n_segments});
  uint32_t* walk_masks = Room(s.walk_masks, 2 * size_t{n_segments});
  size_t n_walk = 0, n_masks = 0;
  uint32_t left = n_segments;
  uint32_t first_unused = 0;
  while (left > 0) {
    // Start at a vertex of odd remaining degree when there is one: fewer walks.
    uint32_t start = UINT32_MAX;
    for (uint32_t v = 0; v < n_vertices && start == UINT32_MAX; ++v) {
      if (degree[v] % 2 == 1) start = v;
    }
    if (start == UINT32_MAX) {
      while (used[first_unused]) ++first_unused;
      start = segments[first_unused].u;
    }
    if (n_walk > 0) walk_masks[n_masks++] = 0;
    walk[n_walk++] = start;
    for (uint32_t at = start;;) {
      uint32_t next = n_segments;
      for (uint32_t& c = cursor[at]; c < adjacency_begin[at + 1]; ++c) {
        if (!used[adjacency[c]]) {
          next = adjacency[c];
          break;
        }
      }
      if (next == n_segments) break;
      used[next] = 1;
      --left;
      const NodeScratch::Segment seg = segments[next];
      --degree[seg.u];
      --degree[seg.v];
      const uint32_t from = at;
      at = seg.u == at ? seg.v : seg.u;
      walk[n_walk++] = at;
      const bool c_left = OrientSign(vertices[from], vertices[at], ref.c) > 0;
      walk_masks[n_masks++] = seg.mask | (c_left ? kReferenceLeft : 0);
    }
  }

  const size_t n_cand = s.candidates.size();
  const size_t at = out.arena.size();
  const size_t cand_words = (n_cand + 1) / 2;
  const size_t mask_words = (n_masks + 1) / 2;
  out.arena.resize(at + 1 + cand_words + 2 * n_walk + mask_words, 0);
  uint64_t* w = out.arena.data() + at;
  w[0] = uint64_t{init} | uint64_t{n_walk} << 32 | uint64_t{n_cand} << 48 |
         uint64_t(static_cast<uint32_t>(ref.k)) << 56;
  w += 1;
  for (size_t i = 0; i < n_cand; ++i) {
    w[i / 2] |= uint64_t{index_.regions_[candidates[i]]} << (32 * (i & 1));
  }
  w += cand_words;
  for (size_t i = 0; i < n_walk; ++i) {
    *w++ = std::bit_cast<uint64_t>(vertices[walk[i]].x);
    *w++ = std::bit_cast<uint64_t>(vertices[walk[i]].y);
  }
  for (size_t i = 0; i < n_masks; ++i) {
    w[i / 2] |= uint64_t{walk_masks[i]} << (32 * (i & 1));
  }
  return MakeNode(kTagLeaf, static_cast<uint32_t>(at));
}

Result<CellIndex> CellIndex::Build(const Hierarchy& hierarchy, std::vector<RegionId> regions,
                                   const CellIndexOptions& options) {
  CellIndex index;
  Status status;
  oneapi::tbb::task_arena arena(options.threads > 0 ? options.threads
                                                    : oneapi::tbb::task_arena::automatic);
  arena.execute(
      [&] { status = CellIndexBuilder(hierarchy, options, index).Run(std::move(regions)); });
  if (!status.ok()) return status;
  return index;
}

CellIndex::Hit CellIndex::Locate(const Point& p) const {
  if (!InBounds(p)) return {};
  CellBox box;
  uint32_t node = nodes_[RootCell(p, box)];
  if (Tag(node) == kTagSplit) node = Descend(node, box, p);
  if (Tag(node) == kTagLeaf) PrefetchRecord(arena_.data() + Payload(node));
  return Resolve(node, box, p);
}

uint32_t CellIndex::RootCell(const Point& p, CellBox& box) const {
  const uint32_t ix = std::min(static_cast<uint32_t>((p.x - x0_) * inv_w_), nx_ - 1);
  const uint32_t iy = std::min(static_cast<uint32_t>((p.y - y0_) * inv_h_), ny_ - 1);
  box = RootBox(ix, iy);
  return iy * nx_ + ix;  // < 65535², see SetUpGrid
}

CellBox CellIndex::RootBox(uint32_t ix, uint32_t iy) const {
  return {x0_ + ix * cell_w_, y0_ + iy * cell_h_, x0_ + (ix + 1) * cell_w_,
          y0_ + (iy + 1) * cell_h_};
}

// Inline: it is one step of every descent, in Descend and LocateMany.
[[gnu::always_inline]] inline uint32_t CellIndex::ChildIndex(uint32_t node, CellBox& box,
                                                             const Point& p) const {
  const uint32_t k = SplitFanout(node);
  const uint32_t i = CellBox::Slot(p.x, box.x0, (box.x1 - box.x0) / k, k);
  const uint32_t j = CellBox::Slot(p.y, box.y0, (box.y1 - box.y0) / k, k);
  box = box.Child(k, i, j);
  return SplitFirstChild(node) + j * k + i;
}

void CellIndex::LocateMany(std::span<const Point> points, std::span<Hit> out) const {
  // Passes over small groups: find the root nodes and prefetch them; then, a level of split cells
  // per pass, read each point's node and, under a split, find and prefetch the child under the
  // point, or else prefetch the leaf's record; then compute. Each pass finds its memory in cache or
  // on its way, so up to a group's worth of misses overlap at every level.
  constexpr size_t kGroup = 16;
  constexpr uint32_t kOut = UINT32_MAX;    // the point lies outside the grid
  constexpr uint32_t kReached = kOut - 1;  // node[k] is the point's leaf or direct cell
  uint32_t at[kGroup];                     // else: the index of the point's next node
  uint32_t node[kGroup];
  CellBox box[kGroup];
  for (size_t base = 0; base < points.size(); base += kGroup) {
    const size_t n = std::min(kGroup, points.size() - base);
    const Point* p = points.data() + base;
    size_t descending = 0;
    for (size_t k = 0; k < n; ++k) {
      if (!InBounds(p[k])) {
        at[k] = kOut;
        continue;
      }
      at[k] = RootCell(p[k], box[k]);
      __builtin_prefetch(&nodes_[at[k]]);
      ++descending;
    }
    while (descending > 0) {
      for (size_t k = 0; k < n; ++k) {
        if (at[k] >= kReached) continue;
        const uint32_t v = nodes_[at[k]];
        if (Tag(v) == kTagSplit) {
          at[k] = ChildIndex(v, box[k], p[k]);
          __builtin_prefetch(&nodes_[at[k]]);
          continue;
        }
        node[k] = v;
        at[k] = kReached;
        --descending;
        if (Tag(v) == kTagLeaf) PrefetchRecord(arena_.data() + Payload(v));
      }
    }
    for (size_t k = 0; k < n; ++k) {
      out[base + k] = at[k] == kOut ? Hit{} : Resolve(node[k], box[k], p[k]);
    }
  }
}

uint32_t CellIndex::Descend(uint32_t node, CellBox& box, const Point& p) const {
  do {
    node = nodes_[ChildIndex(node, box, p)];
  } while (Tag(node) == kTagSplit);
  return node;
}

CellIndex::Hit CellIndex::Resolve(uint32_t node, const CellBox& box, const Point& p) const {
  switch (Tag(node)) {
    case kTagDirect:
      return Payload(node) == kNoPayload ? Hit{} : Hit{Payload(node), false};
    case kTagLeaf:
      return LocateInLeaf(Payload(node), box, p);
    default:
      return LocateSlow(Payload(node), p);
  }
}

namespace {

// The side of vertex v (index i of the leaf) relative to the directed line c → p*, when the
// filter could not tell: exact, with the perturbation's tie-break when v lies on the line, and
// the boundary masks of v's edges when v == p.
[[gnu::noinline]] int SideSlow(const Point& c, const Point& p, const Point& v, size_t i,
                               const uint64_t* edge_words, size_t n_vert, uint32_t& boundary) {
  const int s = OrientSignExact(c, p, v);
  if (s != 0) return s;
  if (v == p) {
    if (i > 0) boundary |= LoadHalf(edge_words, i - 1) & kOwnerBits;
    if (i + 1 < n_vert) boundary |= LoadHalf(edge_words, i) & kOwnerBits;
  }
  return PerturbedSideTieBreak(c, v);
}

// The sign of orient(a, b, p*) when the filter could not tell; when p lies on the edge's line,
// adds `owners` to `boundary` (the caller passes 0 unless p lies on the edge itself).
[[gnu::noinline]] int EdgeSideSlow(const Point& a, const Point& b, const Point& p, uint32_t owners,
                                   uint32_t& boundary) {
  if (OrientSignExact(a, b, p) == 0) boundary |= owners;
  return PerturbedOrientSign(a, b, p);
}

}  // namespace

CellIndex::Hit CellIndex::LocateInLeaf(uint64_t offset, const CellBox& box, const Point& p) const {
  const uint64_t* w = arena_.data() + offset;
  const uint64_t header = w[0];
  uint32_t parity = static_cast<uint32_t>(header);
  const size_t n_vert = (header >> 32) & 0xFFFF;
  const size_t n_cand = (header >> 48) & 0xFF;
  const uint64_t* candidates = w + 1;
  const uint64_t* vertices = candidates + (n_cand + 1) / 2;
  const uint64_t* edge_words = vertices + 2 * n_vert;
  // A long record: fetch its remaining lines (past those PrefetchRecord fetched) all at once.
  for (const uint64_t* line = w + 32; line < edge_words + (n_vert + 1) / 2; line += 8) {
    __builtin_prefetch(line);
  }
  const Point c = ReferenceCandidate(box, static_cast<int>(header >> 56));
  const double dx = p.x - c.x;
  const double dy = p.y - c.y;
  uint32_t boundary = 0;

  Point a = LoadPoint(vertices);
  int side_a = QuickSign(dx * (a.y - c.y), dy * (a.x - c.x));
  if (side_a == 0) side_a = SideSlow(c, p, a, 0, edge_words, n_vert, boundary);
  for (size_t i = 1; i < n_vert; ++i) {
    const Point b = LoadPoint(vertices + 2 * i);
    int side_b = QuickSign(dx * (b.y - c.y), dy * (b.x - c.x));
    if (side_b == 0) side_b = SideSlow(c, p, b, i, edge_words, n_vert, boundary);
    const uint32_t word = LoadHalf(edge_words, i - 1);
    // The segment c–p* crosses the edge iff a and b lie on opposite sides of it and c and p* on
    // opposite sides of the edge. Computed for every edge without branching on the data: the
    // outcomes are unpredictable, the arithmetic is cheap.
    int t = QuickSign((b.x - a.x) * (p.y - a.y), (b.y - a.y) * (p.x - a.x));
    if (t == 0) {
      // p on the segment (not just its line) only if a and b lie on opposite sides of c–p*.
      t = EdgeSideSlow(a, b, p, side_a != side_b ? word & kOwnerBits : 0, boundary);
    }
    const bool crosses = (side_a != side_b) & ((t > 0) != ((word & kReferenceLeft) != 0));
    parity ^= word & kOwnerBits & (0u - static_cast<uint32_t>(crosses));
    a = b;
    side_a = side_b;
  }
  const uint32_t owners = parity != 0 ? parity : boundary;
  if (owners == 0) return {};
  return {LoadHalf(candidates, static_cast<size_t>(std::countr_zero(owners))), boundary != 0};
}

CellIndex::Hit CellIndex::LocateSlow(uint64_t offset, const Point& p) const {
  const uint64_t* w = arena_.data() + offset;
  const size_t n_cand = w[0];
  // Same answer as a leaf: the first candidate containing p*, else the first whose boundary holds
  // p; on_boundary if p lies on any candidate's boundary.
  RegionId owner = kNoRegion;
  RegionId on_edge = kNoRegion;
  for (size_t i = 0; i < n_cand; ++i) {
    const uint32_t candidate = LoadHalf(w + 1, i);
    const RegionTest t = TestRegion(hierarchy_->geometry(candidate), p);
    if (t.inside && owner == kNoRegion) owner = candidate;
    if (t.on_boundary && on_edge == kNoRegion) on_edge = candidate;
  }
  return {owner != kNoRegion ? owner : on_edge, on_edge != kNoRegion};
}

CellIndex::Stats CellIndex::stats() const {
  Stats s;
  s.root_cells = size_t{nx_} * ny_;
  for (uint32_t node : nodes_) {
    switch (Tag(node)) {
      case kTagDirect:
        ++s.direct_cells;
        break;
      case kTagLeaf:
        ++s.leaves;
        s.leaf_vertices += (arena_[Payload(node)] >> 32) & 0xFFFF;
        break;
      case kTagSplit:
        ++s.split_nodes;
        break;
      default:
        ++s.slow_leaves;
    }
  }
  s.memory_bytes = memory_bytes();
  return s;
}

size_t CellIndex::memory_bytes() const {
  return nodes_.capacity() * sizeof(uint32_t) + arena_.capacity() * sizeof(uint64_t) +
         regions_.capacity() * sizeof(RegionId);
}

}  // namespace wangge::internal
