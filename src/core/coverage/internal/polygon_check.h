// Per-region geometry verdicts for the coverage check: emptiness, finite coordinates and OGC
// validity. A fast conservative test (degenerate rings, any touching or crossing of segments,
// hole and part containment) clears the common valid polygon without GEOS; anything it cannot
// clear goes to GEOS IsValidOp, which decides and gives the reason and location.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <geos/geom/GeometryFactory.h>

#include "wangge/geometry/box.h"
#include "wangge/geometry/multi_polygon.h"
#include "wangge/geometry/point.h"

namespace wangge::internal::coverage {

struct PolygonVerdict {
  enum class Kind : uint8_t { kValid, kInvalid, kEmpty, kNonFinite };
  Kind kind = Kind::kValid;
  std::string reason;  // stable token for kInvalid / kNonFinite, e.g. "self_intersection"
  std::string detail;  // GEOS's own words, if it was asked
  Point location;      // where (kInvalid, kNonFinite)
};

// Reusable buffers for CheckPolygon; one per thread.
struct CheckScratch {
  struct Ring {
    uint32_t begin;  // into points
    uint32_t size;   // vertices (= segments)
  };
  // A run of consecutive segments of one ring, monotone along the sweep axis.
  struct Chain {
    uint32_t ring, first, count;
    bool forward;     // the sweep coordinate grows along the ring's order
    Box box;          // in (sweep, other) coordinates
    uint32_t offset;  // its segments in `ordered`
  };
  // A segment's extent along the sweep axis (lo, hi) and across it (lo2, hi2); k = its index in
  // its ring.
  struct Extent {
    double lo, hi, lo2, hi2;
    uint32_t k;
  };
  std::vector<Point> points;
  std::vector<Ring> rings;
  std::vector<Chain> chains;
  std::vector<Extent> ordered;
};

// Returns a 64-bit hash of the geometry's vertices and ring/polygon structure (bitwise).
uint64_t GeometryHash(const MultiPolygonView& geometry);

// Returns the verdict for one region's geometry. Never throws.
PolygonVerdict CheckPolygon(const MultiPolygonView& geometry,
                            const geos::geom::GeometryFactory& factory, CheckScratch& scratch);

// Returns true if the fast test alone proves `geometry` valid (exposed for tests).
bool FastValid(const MultiPolygonView& geometry, CheckScratch& scratch);

// Verdicts by geometry hash, kept by a CoverageValidator across Validate() calls.
class ValidityCache {
 public:
  const PolygonVerdict* Find(uint64_t hash) const {
    auto it = map_.find(hash);
    return it == map_.end() ? nullptr : &it->second;
  }
  void Insert(uint64_t hash, PolygonVerdict verdict) { map_.emplace(hash, std::move(verdict)); }
  size_t size() const { return map_.size(); }

 private:
  std::unordered_map<uint64_t, PolygonVerdict> map_;
};

}  // namespace wangge::internal::coverage
