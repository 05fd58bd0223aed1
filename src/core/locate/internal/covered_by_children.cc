#include "locate/internal/covered_by_children.h"

#include <algorithm>
#include <bit>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

namespace wangge::internal {
namespace {

// An open-addressing table of signed segment counts (endpoints in canonical order lo < hi; +1
// per child edge from lo to hi, -1 per child edge from hi to lo, and the opposite for the
// parent's edges), reused from region to region. A slot holds its segment, so a probe that finds
// the hash finds the segment on the same cache line.
class SegmentCounts {
 public:
  // Empties the table and makes room for `edges` segments. Clears only the slots the last use
  // filled when the table is big enough: a region's table is small, the table may not be.
  void Reset(size_t edges) {
    size_t size = 16;
    while (size < 2 * edges) size *= 2;
    if (size > slots_.size()) {
      slots_.assign(size, Slot{});
    } else {
      for (uint32_t i : filled_) slots_[i].hash = 0;
    }
    filled_.clear();
  }
  void Add(const Point& a, const Point& b, int sign) {
    const bool forward = a < b;
    const Point lo = forward ? a : b;
    const Point hi = forward ? b : a;
    const int delta = forward ? sign : -sign;
    const uint64_t hash = Hash(lo, hi);
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.hash == 0) {
        slot = {hash, lo, hi, delta};
        filled_.push_back(static_cast<uint32_t>(i));
        return;
      }
      if (slot.hash == hash && slot.lo == lo && slot.hi == hi) {
        slot.sum += delta;
        return;
      }
    }
  }
  bool AllZero() const {
    return std::all_of(filled_.begin(), filled_.end(),
                       [&](uint32_t i) { return slots_[i].sum == 0; });
  }

 private:
  struct Slot {
    uint64_t hash = 0;  // 0: empty
    Point lo;
    Point hi;
    int sum = 0;
  };
  // Two independent multiplications rather than a chain of four: the probe waits on this.
  static uint64_t Hash(const Point& lo, const Point& hi) {
    const auto bits = [](double v) { return std::bit_cast<uint64_t>(v); };
    const uint64_t h1 = (bits(lo.x) ^ std::rotl(bits(hi.y), 32)) * 0x9E3779B97F4A7C15ull;
    const uint64_t h2 = (bits(lo.y) ^ std::rotl(bits(hi.x), 32)) * 0xBF58476D1CE4E5B9ull;
    const uint64_t h = h1 ^ std::rotl(h2, 31);
    return (h ^ (h >> 32)) | 1;  // the low bits pick the slot: fold the high ones in; never 0
  }

  std::vector<Slot> slots_;
  std::vector<uint32_t> filled_;  // the slots in use
};

// Twice the signed area of a closed ring, relative to its first vertex for precision.
double SignedArea2(RingView ring) {
  double sum = 0;
  const Point& o = ring.front();
  for (size_t i = 1; i + 1 < ring.size(); ++i) {
    sum += (ring[i].x - o.x) * (ring[i + 1].y - o.y) - (ring[i + 1].x - o.x) * (ring[i].y - o.y);
  }
  return sum;
}

// Counts the directed edges of `geometry`, shells counter-clockwise and holes clockwise, each
// with `weight` (+1 for a child, -1 for the parent).
void AddEdges(const MultiPolygonView& geometry, int weight, SegmentCounts& counts) {
  for (size_t p = 0; p < geometry.polygon_count(); ++p) {
    const PolygonView polygon = geometry.polygon(p);
    for (size_t r = 0; r < polygon.ring_count(); ++r) {
      const RingView ring = polygon.ring(r);
      if (ring.size() < 2) continue;
      const bool counter_clockwise = SignedArea2(ring) > 0;
      const bool want_counter_clockwise = r == 0;
      const int direction = (counter_clockwise == want_counter_clockwise ? 1 : -1) * weight;
      for (size_t i = 1; i < ring.size(); ++i) {
        if (!(ring[i - 1] == ring[i])) counts.Add(ring[i - 1], ring[i], direction);
      }
    }
  }
}

bool Covered(const Hierarchy& hierarchy, RegionId region, SegmentCounts& counts) {
  const MultiPolygonView own = hierarchy.geometry(region);
  if (own.empty()) return true;
  if (hierarchy.children(region).empty()) return false;
  size_t edges = own.vertex_count();
  for (RegionId child : hierarchy.children(region))
    edges += hierarchy.geometry(child).vertex_count();
  counts.Reset(edges);
  for (RegionId child : hierarchy.children(region)) AddEdges(hierarchy.geometry(child), 1, counts);
  AddEdges(own, -1, counts);
  return counts.AllZero();
}

}  // namespace

std::vector<uint8_t> CoveredByChildren(const Hierarchy& hierarchy, size_t level) {
  const RegionRange range = hierarchy.regions(level);
  std::vector<uint8_t> covered(range.size(), 0);
  oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<size_t>(0, range.size()),
                            [&](const oneapi::tbb::blocked_range<size_t>& r) {
                              SegmentCounts counts;
                              for (size_t i = r.begin(); i < r.end(); ++i) {
                                const RegionId id = static_cast<RegionId>(range.first + i);
                                covered[i] = Covered(hierarchy, id, counts) ? 1 : 0;
                              }
                            });
  return covered;
}

}  // namespace wangge::internal
