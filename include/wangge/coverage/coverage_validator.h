// CoverageValidator: checks that every level of a Hierarchy tiles its parents seamlessly
// ("边界清晰、无缝覆盖") and reports every defect with its location, size and codes.
//
// Seamless coverage of a parent P by its children C1..Cn (DESIGN.md):
//   - each Ci is a valid polygon (OGC simple features; a multipolygon's parts may touch at points);
//   - the Ci have disjoint interiors;
//   - their union equals P (no gap, no part outside P; inlets and holes count);
//   - shared borders are edge-matched: the same vertices on both sides, bit for bit, and P's
//     boundary is made of the children's edges.
// A tolerance never makes a near-miss valid; it only grades it (sliver vs substantive).
// The top level has no parent; its regions are checked one by one only.
//
// How (../shared/notes/coverage-validation.md §5): orient every ring (shells counter-clockwise,
// holes clockwise), then for each parent collect the children's directed boundary segments and
// the parent's reversed ones and sort them. Exactly when every segment meets its reverse once, and
// the regions are valid, the children partition the parent with matched edges — no geometric
// predicate, only bitwise equality, linear in the number of segments. Only what does not cancel
// (the residual) is described with GEOS: noding finds T-junctions, polygonizing and classifying
// the faces around the residual gives gaps, overlaps and spill-over with codes, area (geodesic)
// and width (maximum inscribed circle). Per-region validity is cached by geometry hash, so a
// validator re-checking an edited version only re-validates changed polygons. Groups and regions
// are processed on `threads` threads; the report does not depend on the thread count.
//
//   CoverageValidator validator(options);
//   CoverageReport report = validator.Validate(hierarchy);
//   for (const Defect& d : report.defects) std::cout << d.message << "\n";
//
// Bad input (NaN coordinates, self-intersecting or degenerate rings, empty levels, huge polygons)
// is reported, never a crash; memory stays linear in the input.
// Thread safety: Validate() mutates the cache; do not call it concurrently on one validator.
// ValidateCoverage() is reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "wangge/coverage/coverage_options.h"
#include "wangge/coverage/coverage_report.h"
#include "wangge/hierarchy/hierarchy.h"

namespace wangge {

namespace internal::coverage {
class ValidityCache;
}  // namespace internal::coverage

class CoverageValidator {
 public:
  explicit CoverageValidator(CoverageOptions options = {});
  ~CoverageValidator();
  CoverageValidator(CoverageValidator&&) noexcept;
  CoverageValidator& operator=(CoverageValidator&&) noexcept;

  const CoverageOptions& options() const { return options_; }

  // Checks all levels of `hierarchy`.
  CoverageReport Validate(const Hierarchy& hierarchy);

  // Returns the number of distinct polygons whose validity is cached.
  size_t cached_polygon_count() const;

 private:
  CoverageOptions options_;
  std::unique_ptr<internal::coverage::ValidityCache> cache_;
};

// Checks all levels of `hierarchy` with a fresh validator.
CoverageReport ValidateCoverage(const Hierarchy& hierarchy, const CoverageOptions& options = {});

}  // namespace wangge
