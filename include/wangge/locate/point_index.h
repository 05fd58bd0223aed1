// PointIndex: which region of every level owns a point. Intake systems send a report's position
// and get back its unit, grid, community, town, district and city, one point at a time or in
// batches of millions, identically on every run, also for points exactly on a shared border.
//
// The index covers the finest level (e.g. units) in a flat adaptive grid whose cells either name
// their region directly or hold the few edges crossing them, tested with exact predicates (see
// src/core/locate/internal/cell_index.h). The coarser levels come from parent links. Coarser
// regions get their own index only where their children do not cover them exactly (a gap, an
// overlap, a T-junction; decided by an exact edge-cancellation certificate), so for a seamless
// dataset a lookup is one index probe, and a point in a gap still gets the levels that contain it.
//
//   Result<PointIndex> index = PointIndex::Build(hierarchy);
//   Location where = index->Locate({119.0076, 25.4310});
//   std::vector<RegionId> chain(hierarchy.level_count());
//   index->Chain(where.assigned(), chain);  // chain[level] = the region at that level
//
// Boundary rule for lookups (DESIGN.md). Let p* = p + (ε, ε²) for an infinitesimal ε > 0: p
// nudged east, and far less north. At each level:
//   1. the owner of p is the region whose interior contains p* (semi-open, in the spirit of S2's
//      SEMI_OPEN vertex model);
//   2. if no region contains p* but p lies on the boundary of some (the territory's outer border,
//      the rim of a gap or hole), the owner is the one of those with the smallest code, so no
//      point of a region's closure is reported as outside or in a gap;
//   3. if several regions contain p* (overlapping regions, a defect), the smallest code wins.
// In words: a point on a shared edge that is not horizontal belongs to the region east of it; on
// a horizontal shared edge, to the region north of it; a shared vertex belongs to the region
// whose corner contains the direction just north of due east.
// Exactly one owner on a seamless partition (children with disjoint interiors whose union is the
// parent; DESIGN.md): for small t > 0 the curve p + (t, t²) meets no edge — an edge not through p
// is at positive distance, and an edge through p with direction (dx, dy) is parallel to (t, t²)
// for at most one t (t = dy/dx). So for small t the curve stays in one open face of the
// arrangement of all edges; interior-disjoint regions cannot both contain that face, and if the
// face lies in the parent it lies in one child. This holds at a vertex shared by any number of
// regions (2, 3, 4, ...): the curve leaves the vertex into exactly one corner. Every predicate is
// evaluated exactly (no epsilon), so the rule holds bit for bit on the input doubles.
// `on_boundary` is true when p lies exactly on an edge or vertex of a region at the level that
// located it: the rule, not the geometry alone, picked the owner.
//
// Thread safety: immutable after Build; Locate and LocateBatch may be called from any number of
// threads at once. No heap allocation per lookup, except when searching for the nearest region.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "wangge/base/result.h"
#include "wangge/geometry/point.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge {

enum class LocateStatus : uint8_t {
  kInside,    // owned at the finest level; p is not on a boundary there
  kBoundary,  // owned at the finest level; p lies on a boundary and the rule chose the owner
  kGap,       // no finest-level region owns p, a coarser one does (e.g. a grid its units miss)
  kOutside,   // no region of any level owns p
  kInvalid,   // coordinates not finite, or outside lon [-180, 180] / lat [-90, 90]
};

// Returns "inside", "boundary", "gap", "outside" or "invalid".
std::string_view LocateStatusName(LocateStatus status);

struct LocateOptions {
  // When > 0, a point that no finest-level region owns (kGap, kOutside) also gets the nearest
  // finest-level region within this many metres (geodesic, to the closest point of its
  // boundary; ties to the smallest code).
  double max_distance_m = 0;
  // LocateBatch only: worker threads, 0 = all cores, 1 = the calling thread only. The results do
  // not depend on it.
  int threads = 0;
};

// The answer for one point.
struct Location {
  // The owner at the deepest level that has one (the finest level unless kGap), or kNoRegion.
  RegionId region = kNoRegion;
  // kGap / kOutside with LocateOptions::max_distance_m: the nearest finest-level region within
  // the distance, else kNoRegion.
  RegionId nearest = kNoRegion;
  // The distance to `nearest` in metres; 0 when `nearest` is kNoRegion.
  double distance_m = 0;
  LocateStatus status = LocateStatus::kOutside;
  bool on_boundary = false;

  // Returns the region a report is assigned to: the finest-level owner, else the nearest
  // finest-level region within the distance, else the deepest owner (kGap), else kNoRegion.
  RegionId assigned() const { return nearest != kNoRegion ? nearest : region; }
  friend bool operator==(const Location&, const Location&) = default;
};

struct PointIndexOptions {
  // Threads for the build: 0 = all cores.
  int threads = 0;
  // A cell of the grid with more distinct edges than this is split into 2×2 to 16×16 children
  // (tuning knob).
  size_t max_leaf_edges = 16;
  // Root grid cells per indexed edge (tuning knob).
  double root_cells_per_edge = 0.5;
};

class PointIndex {
 public:
  // Builds the index. `hierarchy` must outlive it.
  static Result<PointIndex> Build(const Hierarchy& hierarchy,
                                  const PointIndexOptions& options = {});

  PointIndex(PointIndex&&) noexcept;
  PointIndex& operator=(PointIndex&&) noexcept;
  ~PointIndex();

  const Hierarchy& hierarchy() const { return *hierarchy_; }

  // Locates one lon/lat point (x = lon, y = lat, degrees, CGCS2000/WGS84).
  Location Locate(const Point& lon_lat, const LocateOptions& options = {}) const;

  // Locates points[i] into out[i]; large batches run on all cores (options.threads). The result
  // is the same as calling Locate on each point, whatever the thread count.
  // REQUIRES: out.size() == points.size().
  void LocateBatch(std::span<const Point> points, std::span<Location> out,
                   const LocateOptions& options = {}) const;

  // Fills chain[level] with `region` and its ancestors through parent links; levels finer than
  // the region's, and levels above a missing parent, get kNoRegion. A kNoRegion region clears
  // the chain. REQUIRES: chain.size() == hierarchy().level_count().
  void Chain(RegionId region, std::span<RegionId> chain) const;

  // Cache hint for writers of many answers in order: called before writing the answer for
  // locations[i], it prefetches what Chain and the codes and names of the answers a few places
  // later will read, so their cache misses overlap. No effect on results.
  [[gnu::always_inline]] void PrefetchAnswers(std::span<const Location> locations, size_t i) const {
    constexpr size_t kRecordsAhead = 16;
    constexpr size_t kTextAhead = 8;
    if (i + kRecordsAhead < locations.size()) {
      const RegionId r = locations[i + kRecordsAhead].assigned();
      if (r != kNoRegion) hierarchy_->PrefetchRecord(r);
    }
    if (i + kTextAhead < locations.size()) {
      const RegionId r = locations[i + kTextAhead].assigned();
      if (r != kNoRegion) {
        hierarchy_->PrefetchText(r);
        if (const RegionId parent = hierarchy_->parent(r); parent != kNoRegion) {
          hierarchy_->PrefetchRecord(parent);
        }
      }
    }
  }

  // Returns how many regions of `level` the index holds geometry for: all of the finest level's;
  // of a coarser level only those not exactly covered by their children (0 when seamless).
  size_t indexed_region_count(size_t level) const;
  // Returns the heap bytes held by the index (not counting the hierarchy).
  size_t memory_bytes() const;
  // Returns a summary of the structure per indexed level (cells, leaves, vertices, memory), for
  // benchmarks and reports.
  std::string Describe() const;

  // The implementation, opaque outside point_index.cc.
  struct Impl;

 private:
  explicit PointIndex(std::unique_ptr<const Impl> impl, const Hierarchy& hierarchy);

  std::unique_ptr<const Impl> impl_;
  const Hierarchy* hierarchy_;
};

}  // namespace wangge
