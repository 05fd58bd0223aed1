// InjectedDefect: the truth about a defect that Synthesize put into a synthetic hierarchy on
// purpose, so that the coverage check can be tested against it. Written next to a synthetic
// dataset as `<output>.defects.json`:
//
//   [{"kind": "overlap", "level": "unit", "codes": ["350302001001001001", "350302001001001002"],
//     "parent": "350302001001001", "area_m2": 41.7, "location": [119.0123, 25.4411]}, ...]
//
// Kinds and what each injection does (one region changed, nothing else touched; injected defects
// are far apart: no two in the same or neighbouring grids):
//   overlap               unit (or grid) A gets a triangular bump into its sibling B; B unchanged.
//                         codes [A, B], area = the bump.
//   gap                   A gets a triangular notch along its border with sibling B.
//                         codes [A, B], area = the notch.
//   outside_parent        A bumps into a unit (grid) of a neighbouring parent.
//                         codes [A, the neighbour], area = the part outside A's parent.
//   t_junction            A gets an extra vertex exactly on (bitwise collinear with) an edge it
//                         shares with sibling B, which lacks it. codes [A, B], area 0.
//   near_coincident_edge  one vertex of A shared with sibling B moves 1 cm into A: a sliver gap
//                         between near-coincident edges. codes [A, B], area = the sliver.
//   invalid_geometry      A's ring gets a small bow-tie (a self-crossing loop inserted at one of
//                         its vertices, inside A). codes [A], area = the two lobes' total area.
//   duplicate_code        A takes the code of its sibling B. codes [that code], area 0.
//   missing_parent        A declares a parent code that does not exist. codes [A], parent = the
//                         missing code, area 0.
// Grid-level geometric defects are made on the grid's units and the grid is rebuilt as their
// union, so the units still tile their (now defective) grid exactly.
//
// Thread safety: plain values; the functions are reentrant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/base/status.h"
#include "wangge/geometry/point.h"

namespace wangge {

struct InjectedDefect {
  enum class Kind {
    kOverlap,
    kGap,
    kOutsideParent,
    kTJunction,
    kNearCoincidentEdge,
    kInvalidGeometry,
    kDuplicateCode,
    kMissingParent,
  };
  static constexpr int kKindCount = 8;

  Kind kind = Kind::kOverlap;
  std::string level;               // level name, e.g. "unit" or "grid"
  std::vector<std::string> codes;  // the regions involved (see the file comment)
  std::string parent;              // the parent code of the (first) region, as declared
  double area_m2 = 0;              // geodesic area of the defect, see the file comment
  Point location;                  // a point of the defect (lon/lat)
};

// Returns the stable name of a kind, as in DESIGN.md's CLI section, e.g. "near_coincident_edge".
std::string_view InjectedDefectKindName(InjectedDefect::Kind kind);

// Returns the defects as a JSON array (the sidecar format above).
std::string DefectTruthToJson(const std::vector<InjectedDefect>& defects);
// Writes DefectTruthToJson to `path`.
Status WriteDefectTruth(const std::vector<InjectedDefect>& defects, const std::string& path);
// Reads a sidecar file back. Fails on unreadable files, malformed JSON or unknown kinds.
Result<std::vector<InjectedDefect>> ReadDefectTruth(const std::string& path);

}  // namespace wangge
