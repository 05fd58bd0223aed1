// CoverageReport: the result of the coverage check — every defect, plus per-level figures that say
// how much was checked and whether each level is a seamless coverage of the one above.
//
//   CoverageReport r = ValidateCoverage(hierarchy);
//   if (!r.clean()) std::cout << FormatReportText(r);   // wangge/coverage/report_format.h
//
// Thread safety: a plain value; share it read-only once built.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "wangge/coverage/defect.h"

namespace wangge {

struct LevelCoverage {
  std::string name;   // e.g. "grid"
  std::string label;  // e.g. "网格"
  size_t region_count = 0;
  // Parents on the level above that have children on this level, and how many of those groups
  // needed the residual description (anything but exact cancellation).
  size_t group_count = 0;
  size_t dirty_group_count = 0;
  // Directed boundary segments (children plus reversed parents) in the cancellation, and how many
  // of them did not cancel exactly.
  size_t segment_count = 0;
  size_t residual_segment_count = 0;
  // Regions checked for validity on this level, and how many answers came from the cache.
  size_t validity_cache_hits = 0;
  // True when the level's regions partition their parents exactly: no defect of a topological
  // kind (invalid/empty geometry, overlap, gap, outside_parent, t_junction, near_coincident_edge,
  // unmatched_parent_edge) on this level. The top level has no parent: true when its regions are
  // valid.
  bool seamless = true;
};

struct CoverageReport {
  // Sorted worst first: severity, then level, kind, parent, codes; deterministic for equal input
  // whatever the thread count.
  std::vector<Defect> defects;
  std::vector<LevelCoverage> levels;  // one per hierarchy level

  // Returns the number of defects of `severity`.
  size_t count(Severity severity) const;
  // Returns true when there is no error and no sliver (warnings allowed). `wangge check` exits 0
  // exactly when this holds (or, with --strict, when there are no defects at all).
  bool clean() const { return count(Severity::kError) == 0 && count(Severity::kSliver) == 0; }
  // Returns, per level, the number of defects of each kind: counts[level][kind].
  std::vector<std::array<size_t, kDefectKindCount>> CountByLevelAndKind() const;
};

}  // namespace wangge
