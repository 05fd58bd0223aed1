// VersionDiff: what changes between two versions of a city's boundaries, region by region, and
// which reports (points) would land in another unit or grid — what a planner reviews before
// publishing a draft over the live version.
//
//   VersionDiff diff = DiffHierarchies(live.hierarchy, draft.hierarchy);
//   for (const RegionChange& c : diff.changes) std::cout << ChangeKindName(c.kind) << c.code;
//   diff.points = DiffLocations(live_index, draft_index, points, ids);
//   std::cout << FormatDiffJson(diff);   // wangge/store/diff_format.h
//
// Matching, level by level (levels are matched by name; a level present on one side only has all
// its regions added or removed):
//   1. Regions with the same code on both sides are the same region. If their geometry differs
//      (any vertex, bit for bit) it is kReshaped, with both areas and the changed geometry, the
//      symmetric difference computed by GEOS (empty when only vertices were added or moved along
//      the same boundary). If only name, parent code or attributes differ it is kModified.
//   2. Among the codes left on either side, a region whose geometry is bitwise equal to one on the
//      other side is kRenamed (same ground, new code); duplicates pair in code order.
//   3. What is left is kRemoved (before only) or kAdded (after only).
// A reshaped or renamed region also says whether its name, parent or attributes changed.
// Changes are ordered by level (the after version's level order, then levels only before has),
// then kind (as declared below), then code, then before code: the same inputs give the same
// diff, byte for byte, on every run.
//
// Impact: DiffLocations locates each point in both versions (PointIndex batch lookups, the
// boundary rule of wangge/locate/point_index.h) and reports every point whose region changes at
// some level (compared by level name and region code), with the codes before and after.
//
// Thread safety: the functions are reentrant; VersionDiff is a plain value.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wangge/geometry/multi_polygon.h"
#include "wangge/geometry/point.h"
#include "wangge/hierarchy/hierarchy.h"
#include "wangge/locate/point_index.h"

namespace wangge {

enum class ChangeKind : uint8_t { kRemoved, kAdded, kRenamed, kReshaped, kModified };

// Returns "removed", "added", "renamed", "reshaped" or "modified".
std::string_view ChangeKindName(ChangeKind kind);

struct RegionChange {
  ChangeKind kind = ChangeKind::kAdded;
  std::string level;        // level name
  std::string code;         // the code after (for kRemoved: the code before)
  std::string before_code;  // the code before ("" for kAdded)
  std::string name;         // after (kRemoved: before)
  std::string before_name;  // "" for kAdded
  std::string parent;       // parent code after (kRemoved: before)
  std::string before_parent;
  bool name_changed = false;
  bool parent_changed = false;
  bool attributes_changed = false;
  double area_before_m2 = 0;  // 0 for kAdded
  double area_after_m2 = 0;   // 0 for kRemoved
  // kAdded: the new region; kRemoved: the old one; kReshaped: the symmetric difference of old and
  // new; kRenamed, kModified: empty. Lon/lat.
  MultiPolygon changed;
  double changed_area_m2 = 0;
  // Set when the symmetric difference could not be computed (e.g. GEOS rejects an invalid
  // polygon); `changed` is empty then.
  std::string note;
};

struct LevelDiff {
  std::string level;
  size_t before_count = 0;  // regions on this level before / after
  size_t after_count = 0;
  size_t removed = 0;
  size_t added = 0;
  size_t renamed = 0;
  size_t reshaped = 0;
  size_t modified = 0;
  size_t unchanged = 0;  // same code, geometry, name, parent and attributes
};

// One level of a point whose region changes.
struct LevelCodeChange {
  std::string level;
  std::string before;  // region code, "" where none
  std::string after;
};

struct PointImpact {
  std::string id;
  Point point;
  LocateStatus before_status = LocateStatus::kOutside;
  LocateStatus after_status = LocateStatus::kOutside;
  std::vector<LevelCodeChange> levels;  // only levels whose code changes, coarsest first
};

struct VersionDiff {
  std::vector<LevelDiff> levels;
  std::vector<RegionChange> changes;
  // Filled by the caller from DiffLocations when points were given.
  size_t points_checked = 0;
  std::vector<PointImpact> points;

  // True when nothing changed: no region change and no point impact.
  bool empty() const { return changes.empty() && points.empty(); }
};

// Compares two hierarchies (see the matching rules above). Symmetric differences run on
// `threads` threads (0 = all cores); the result does not depend on it.
VersionDiff DiffHierarchies(const Hierarchy& before, const Hierarchy& after, int threads = 0);

// Returns the points (ids[i] names points[i]) whose region changes at some level between the two
// indexes, in input order. REQUIRES: ids.size() == points.size().
std::vector<PointImpact> DiffLocations(const PointIndex& before, const PointIndex& after,
                                       std::span<const Point> points,
                                       std::span<const std::string> ids);

}  // namespace wangge
