// Defect: one finding of the coverage check (wangge/coverage/coverage_validator.h), as data: what
// is wrong, how bad, where (geometry), how big, which regions, and what a planner can do about it.
// Findings are never errors of the program; a report full of defects is a successful check.
//
//   for (const Defect& d : report.defects) {
//     if (d.kind == DefectKind::kGap) Show(d.geometry.ToWkt(), d.area_m2, d.codes);
//   }
//
// Kinds (their names are a stable contract: DESIGN.md CLI section, docs/coverage-report.md):
//   invalid_geometry      a region is not a valid OGC polygon (reason and location given); also, as
//                         warnings, multipart where a level forbids it and segments shorter than
//                         CoverageOptions::min_segment_m
//   empty_geometry        a region has no usable geometry
//   duplicate_code        two or more regions share a code
//   missing_parent        a region declares no parent or a parent that is not on the level above
//   code_mismatch         a code breaks the code model (length, digits, parent prefix)
//   overlap               siblings share interior (polygon of the shared area)
//   gap                   part of a parent not covered by any of its children, inlets included
//   outside_parent        part of a child outside its declared parent
//   t_junction            a vertex of one sibling lies on the edge of another that lacks it
//   near_coincident_edge  sibling edges that should coincide but miss each other by less than the
//                         sliver width: the gap or overlap slivers between them
//   unmatched_parent_edge the parent's boundary is not made of its children's edges: a child vertex
//                         missing from it, or slivers narrower than the sliver width along it
//   size_rule             an attribute rule (e.g. households per grid) or the minimum area is broken
//
// Severity: kError for anything that breaks seamless coverage; kSliver for gaps and overlaps
// narrower than the sliver width (near_coincident_edge, unmatched_parent_edge slivers) — the
// tolerance grades them, it never makes them go away; kWarning for policy rules that real data may
// legitimately break (code model, size rules, multipart, short segments).
// A mismatch too large to polygonise within bounded time and memory (over 100,000 boundary
// segments around it) is reported as near_coincident_edge / unmatched_parent_edge with reason
// "undescribed", severity error, and its unmatched segments as lines.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wangge/geometry/multi_polygon.h"
#include "wangge/geometry/point.h"

namespace wangge {

enum class DefectKind : uint8_t {
  kInvalidGeometry,
  kEmptyGeometry,
  kDuplicateCode,
  kMissingParent,
  kCodeMismatch,
  kOverlap,
  kGap,
  kOutsideParent,
  kTJunction,
  kNearCoincidentEdge,
  kUnmatchedParentEdge,
  kSizeRule,
};
inline constexpr int kDefectKindCount = 12;

// Ordered from worst to mildest.
enum class Severity : uint8_t { kError, kSliver, kWarning };

// Returns the stable snake_case name, e.g. "near_coincident_edge".
std::string_view DefectKindName(DefectKind kind);
// Returns the kind named `name`, if any.
std::optional<DefectKind> DefectKindFromName(std::string_view name);
// Returns "error", "sliver" or "warning".
std::string_view SeverityName(Severity severity);
// Returns true for the kinds that keep a level from partitioning its parents exactly (see
// LevelCoverage::seamless): invalid or empty geometry, overlap, gap, outside_parent, t_junction,
// near_coincident_edge, unmatched_parent_edge.
bool IsTopological(DefectKind kind);

// Where a defect is: polygons (gaps, overlaps, slivers), lines or points, in lon/lat degrees.
// Usually exactly one of the three is non-empty; all empty when there is nothing to show (e.g. an
// empty geometry).
struct DefectGeometry {
  MultiPolygon polygons;
  std::vector<std::vector<Point>> lines;
  std::vector<Point> points;

  bool empty() const { return polygons.empty() && lines.empty() && points.empty(); }
  // Returns WKT: MULTIPOLYGON, MULTILINESTRING or MULTIPOINT; a GEOMETRYCOLLECTION when more than
  // one is present; "GEOMETRYCOLLECTION EMPTY" when empty.
  std::string ToWkt() const;
};

struct Defect {
  DefectKind kind = DefectKind::kInvalidGeometry;
  Severity severity = Severity::kError;
  // Index of the level of the regions concerned (for sibling and parent checks: the child level).
  uint32_t level = 0;
  // Code of the parent whose children are concerned; empty at the top level and for per-region
  // findings of regions without a parent.
  std::string parent;
  // Codes of the regions involved. Order carries meaning where the kind says so: gap → the
  // neighbours by decreasing shared border (the first is the suggested receiver); t_junction → the
  // region lacking the vertex first.
  std::vector<std::string> codes;
  DefectGeometry geometry;
  double area_m2 = 0;              // geodesic area of the polygons; 0 for lines and points
  std::optional<double> width_m;   // 2 × maximum inscribed circle radius, for polygon defects
  // A stable machine token refining the kind, e.g. "self_intersection", "nan_coordinate",
  // "multipart", "households_above_max", "vertex" or "sliver_gap" (see docs/coverage-report.md).
  std::string reason;
  std::string message;  // for a planner: Chinese, then " / ", then English
  std::string fix;      // suggested fix, same format; empty when none is obvious
};

}  // namespace wangge
