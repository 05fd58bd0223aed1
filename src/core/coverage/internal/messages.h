// Planner-facing text of coverage defects: one place for every message and suggested fix, in
// Chinese (level labels such as 网格) then English (level names such as grid).
#pragma once

#include <string>

#include "wangge/coverage/defect.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge::internal::coverage {

// Extra facts some messages mention.
struct MessageFacts {
  std::string neighbour;            // gap: the neighbour with the longest shared border
  double neighbour_border_m = 0;
  std::string spatial_parent;       // outside_parent / missing_parent: the parent it lies in
  std::string foreign_cover;        // gap: a region of another parent covering it
  std::string foreign_cover_parent;
  size_t count = 0;                 // t_junction / unmatched_parent_edge: number of vertices
  bool parent_lacks_vertices = false;
  bool no_children = false;         // gap: the parent has no (usable) children at all
  std::string detail;               // invalid_geometry: GEOS's words; size_rule: the value;
                                    // code_mismatch "prefix": the expected prefix
  std::string what;                 // size_rule: what is measured, e.g. "户数 households"
  double limit = 0;                 // size_rule / short segments: the limit broken
};

// Returns a number for people: 3 significant digits below 100, whole numbers above.
std::string FormatNumber(double value);

// Fills d->message and d->fix from the defect's fields and `facts`.
void WriteMessage(const Hierarchy& hierarchy, const MessageFacts& facts, Defect* d);

}  // namespace wangge::internal::coverage
