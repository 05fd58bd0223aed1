// The sibling check for one parent group: exact directed-segment cancellation of the children's
// boundaries against the parent's reversed boundary, and, only when something does not cancel, the
// GEOS description of the residual (T-junctions, gaps, overlaps, spill-over, slivers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <geos/geom/Geometry.h>
#include <geos/geom/GeometryFactory.h>

#include "wangge/coverage/coverage_options.h"
#include "wangge/coverage/defect.h"
#include "wangge/geometry/box.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge::internal::coverage {

// What the per-region phase learned, as the group phase needs it.
struct RegionPrep {
  std::vector<uint8_t> usable;        // per region: non-empty with finite coordinates
  std::vector<uint8_t> valid;         // per region: a valid polygon
  std::vector<uint32_t> ring_offset;  // per region: index of its first ring in `reverse`
  std::vector<uint8_t> reverse;       // per ring: reverse it for canonical orientation
};

// A directed boundary segment in canonical form: a < b, dir = +1 when the canonical traversal
// (interior on the left; reversed for the parent) goes a → b, -1 when it goes b → a.
struct DirectedSegment {
  Point a, b;
  uint32_t owner;  // index into the group's members (0 = parent)
  int32_t dir;

  friend bool SameSegment(const DirectedSegment& s, const DirectedSegment& t) {
    return s.a == t.a && s.b == t.b;
  }
  friend bool operator<(const DirectedSegment& s, const DirectedSegment& t) {
    if (s.a.x != t.a.x) return s.a.x < t.a.x;
    if (s.a.y != t.a.y) return s.a.y < t.a.y;
    if (s.b.x != t.b.x) return s.b.x < t.b.x;
    return s.b.y < t.b.y;
  }
};

// Appends the canonical directed segments of `geometry` (zero-length ones skipped). `reverse` has
// one flag per ring; `flip` reverses everything (parents). With `filter`, only segments whose
// bounding box meets it are appended.
void AppendSegments(const MultiPolygonView& geometry, const uint8_t* reverse, bool flip,
                    uint32_t owner, const Box* filter, std::vector<DirectedSegment>* out);

// Finds the regions of a level that contain a point (for spatial parents and foreign cover).
// Each level's bucket grid is built on first use.
// Thread safety: Find may be called concurrently.
class RegionLocator {
 public:
  RegionLocator(const Hierarchy& hierarchy, const RegionPrep& prep);
  ~RegionLocator();
  // Returns the usable regions of `level` whose geometry contains `q`, in id order.
  std::vector<RegionId> Find(size_t level, const Point& q) const;

 private:
  struct Grid {
    Box box;
    size_t columns = 0, rows = 0;
    std::vector<uint32_t> cell_begin;  // per cell + 1, into ids
    std::vector<RegionId> ids;
    std::vector<RegionId> big;  // regions spanning too many cells: always candidates
  };
  const Grid& GridFor(size_t level) const;

  const Hierarchy& hierarchy_;
  const RegionPrep& prep_;
  mutable std::vector<std::once_flag> built_;
  mutable std::vector<Grid> grids_;
};

// Area a self-crossing region takes from its own interior (its lobes), which belongs to its
// invalid_geometry defect rather than to a gap.
struct InvalidArea {
  RegionId region;
  MultiPolygon polygons;
  double area_m2 = 0;
};

struct GroupOutcome {
  size_t segment_count = 0;
  size_t residual_count = 0;
  bool dirty = false;
  std::vector<Defect> defects;
  std::vector<InvalidArea> invalid_areas;
};

// Checks parent groups; one per thread (owns GEOS scratch state).
class GroupChecker {
 public:
  GroupChecker(const Hierarchy& hierarchy, const RegionPrep& prep, const CoverageOptions& options,
               const RegionLocator& locator);
  ~GroupChecker();
  GroupChecker(const GroupChecker&) = delete;
  GroupChecker& operator=(const GroupChecker&) = delete;

  // Checks the children of `parent` against it. REQUIRES: prep.usable[parent].
  GroupOutcome Check(RegionId parent);

 private:
  void Describe(GroupOutcome* outcome);
  void DescribeCluster(const Box& box, GroupOutcome* outcome);
  // Reports the residual in `box` as lines, without noding or polygonising (bounded effort).
  void DescribeWithoutFaces(const Box& box, size_t arrangement_size, GroupOutcome* outcome);
  // Returns true if `region` covers all of `face` (up to rounding).
  bool CoveredBy(const geos::geom::Geometry& face, RegionId region) const;

  const Hierarchy& hierarchy_;
  const RegionPrep& prep_;
  const CoverageOptions& options_;
  const RegionLocator& locator_;
  geos::geom::GeometryFactory::Ptr factory_;
  std::vector<RegionId> members_;  // [0] = parent, then the usable children
  std::vector<DirectedSegment> segments_;
  std::vector<uint32_t> table_;   // open addressing over segments_
  std::vector<uint8_t> matched_;  // per segment
  std::vector<DirectedSegment> residual_;
};

}  // namespace wangge::internal::coverage
