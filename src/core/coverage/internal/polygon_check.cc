#include "coverage/internal/polygon_check.h"

#include <algorithm>
#include <bit>
#include <exception>
#include <memory>

#include <geos/geom/Coordinate.h>
#include <geos/geom/Geometry.h>
#include <geos/operation/valid/IsValidOp.h>
#include <geos/operation/valid/TopologyValidationError.h>

#include "coverage/internal/ring_math.h"
#include "geometry/internal/geos_convert.h"

namespace wangge::internal::coverage {
namespace {

using geos::operation::valid::TopologyValidationError;

std::string ReasonToken(int error_type) {
  switch (error_type) {
    case TopologyValidationError::eRepeatedPoint: return "repeated_point";
    case TopologyValidationError::eHoleOutsideShell: return "hole_outside_shell";
    case TopologyValidationError::eNestedHoles: return "nested_holes";
    case TopologyValidationError::eDisconnectedInterior: return "disconnected_interior";
    case TopologyValidationError::eSelfIntersection: return "self_intersection";
    case TopologyValidationError::eRingSelfIntersection: return "ring_self_intersection";
    case TopologyValidationError::eNestedShells: return "nested_shells";
    case TopologyValidationError::eDuplicatedRings: return "duplicate_rings";
    case TopologyValidationError::eTooFewPoints: return "too_few_points";
    case TopologyValidationError::eInvalidCoordinate: return "invalid_coordinate";
    case TopologyValidationError::eRingNotClosed: return "ring_not_closed";
    default: return "invalid";
  }
}

bool SegmentsMayIntersect(const Point& p1, const Point& p2, const Point& q1, const Point& q2) {
  const int o1 = OrientSign(p1, p2, q1);
  const int o2 = OrientSign(p1, p2, q2);
  if (o1 != 0 && o1 == o2) return false;
  const int o3 = OrientSign(q1, q2, p1);
  const int o4 = OrientSign(q1, q2, p2);
  if (o3 != 0 && o3 == o4) return false;
  return true;
}

// Returns true if two consecutive segments u→v, v→w fold back onto each other (a spike).
bool FoldsBack(const Point& u, const Point& v, const Point& w) {
  if (OrientSign(u, v, w) != 0) return false;
  return (u.x - v.x) * (w.x - v.x) + (u.y - v.y) * (w.y - v.y) > 0;
}

constexpr size_t kMaxFastParts = 64;
constexpr size_t kMaxFastHoles = 32;

}  // namespace

uint64_t GeometryHash(const MultiPolygonView& geometry) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ geometry.vertex_count();
  for (const Point& p : geometry.points()) {
    h = Mix64(h ^ std::bit_cast<uint64_t>(p.x)) + std::bit_cast<uint64_t>(p.y);
  }
  for (uint32_t e : geometry.ring_ends()) h = Mix64(h ^ e);
  for (uint32_t e : geometry.polygon_ends()) h = Mix64(h + e);
  return Mix64(h);
}

bool FastValid(const MultiPolygonView& geometry, CheckScratch& scratch) {
  if (geometry.polygon_count() > kMaxFastParts) return false;
  const Box box = geometry.bounds();
  const bool sweep_x = box.width() >= box.height();
  auto key = [sweep_x](const Point& p) { return sweep_x ? p.x : p.y; };
  auto across = [sweep_x](const Point& p) { return sweep_x ? p.y : p.x; };
  // Rings without repeated vertices, back to back; segment k of a ring of m vertices runs from
  // vertex k to vertex (k + 1) % m.
  auto& points = scratch.points;
  auto& rings = scratch.rings;
  points.clear();
  rings.clear();
  for (uint32_t r = 0; r < geometry.ring_count(); ++r) {
    const RingView ring = geometry.ring(r);
    if (!(ring.front() == ring.back())) return false;
    const auto begin = static_cast<uint32_t>(points.size());
    for (size_t i = 0; i + 1 < ring.size(); ++i) {
      if (points.size() == begin || !(points.back() == ring[i])) points.push_back(ring[i]);
    }
    while (points.size() > begin + 1 && points.back() == points[begin]) points.pop_back();
    const auto m = static_cast<uint32_t>(points.size()) - begin;
    if (m < 3) return false;
    rings.push_back({begin, m});
  }
  // Consecutive segments share a vertex; they are wrong only if they fold back onto each other.
  for (const auto& [begin, m] : rings) {
    for (uint32_t k = 0; k < m; ++k) {
      const Point& u = points[begin + (k == 0 ? m - 1 : k - 1)];
      if (FoldsBack(u, points[begin + k], points[begin + (k + 1 == m ? 0 : k + 1)])) return false;
    }
  }
  // Split every ring into chains monotone along the sweep axis. Segments of one chain can only
  // meet at shared vertices (checked above), so only pairs from different chains are tested.
  auto& chains = scratch.chains;
  chains.clear();
  for (uint32_t r = 0; r < rings.size(); ++r) {
    const auto [begin, m] = rings[r];
    int sense = 0;
    for (uint32_t k = 0; k < m; ++k) {
      const Point& a = points[begin + k];
      const Point& b = points[begin + (k + 1 == m ? 0 : k + 1)];
      const int d = key(b) > key(a) ? 1 : key(b) < key(a) ? -1 : 0;
      if (chains.empty() || chains.back().ring != r || (d != 0 && sense != 0 && d != sense)) {
        chains.push_back({r, k, 0, false, Box{}, 0});
        sense = 0;
      }
      CheckScratch::Chain& c = chains.back();
      ++c.count;
      if (d != 0) sense = d;
      c.forward = sense >= 0;
      c.box.Add(Point{key(a), across(a)});
      c.box.Add(Point{key(b), across(b)});
    }
  }
  // Each chain's segments in increasing sweep order, with their extents.
  auto& ordered = scratch.ordered;
  ordered.clear();
  for (CheckScratch::Chain& c : chains) {
    const auto [begin, m] = rings[c.ring];
    c.offset = static_cast<uint32_t>(ordered.size());
    for (uint32_t i = 0; i < c.count; ++i) {
      uint32_t k = c.first + (c.forward ? i : c.count - 1 - i);
      if (k >= m) k -= m;
      const Point& a = points[begin + k];
      const Point& b = points[begin + (k + 1 == m ? 0 : k + 1)];
      ordered.push_back({std::min(key(a), key(b)), std::max(key(a), key(b)),
                         std::min(across(a), across(b)), std::max(across(a), across(b)), k});
    }
  }
  // Pathological shapes (many segments spanning the same range) go to GEOS, which indexes in 2D.
  size_t budget = 64 * points.size() + 4096;
  for (size_t ci = 0; ci < chains.size(); ++ci) {
    const CheckScratch::Chain& c1 = chains[ci];
    const auto [begin, m] = rings[c1.ring];
    for (size_t cj = ci + 1; cj < chains.size(); ++cj) {
      const CheckScratch::Chain& c2 = chains[cj];
      if (!c1.box.Intersects(c2.box)) continue;
      const bool same_ring = c1.ring == c2.ring;
      const CheckScratch::Extent* s1 = &ordered[c1.offset];
      const CheckScratch::Extent* s2 = &ordered[c2.offset];
      uint32_t start = 0;  // first segment of c2 whose range may reach the current one of c1
      for (uint32_t i = 0; i < c1.count; ++i) {
        const CheckScratch::Extent& e = s1[i];
        while (start < c2.count && s2[start].hi < e.lo) ++start;
        for (uint32_t j = start; j < c2.count && s2[j].lo <= e.hi; ++j) {
          const CheckScratch::Extent& f = s2[j];
          if (--budget == 0) return false;
          if (f.hi2 < e.lo2 || f.lo2 > e.hi2) continue;
          if (same_ring && (f.k == (e.k + 1 == m ? 0 : e.k + 1) || e.k == (f.k + 1 == m ? 0 : f.k + 1))) {
            continue;  // consecutive: checked above
          }
          const auto [begin2, m2] = rings[c2.ring];
          if (SegmentsMayIntersect(points[begin + e.k], points[begin + (e.k + 1 == m ? 0 : e.k + 1)],
                                   points[begin2 + f.k],
                                   points[begin2 + (f.k + 1 == m2 ? 0 : f.k + 1)])) {
            return false;
          }
        }
      }
    }
  }
  // No two boundaries touch, so each ring lies wholly inside or outside any other.
  std::vector<Box> part_boxes(geometry.polygon_count());
  for (size_t p = 0; p < geometry.polygon_count(); ++p) {
    const PolygonView polygon = geometry.polygon(p);
    if (polygon.ring_count() > kMaxFastHoles + 1) return false;
    for (const Point& q : polygon.shell()) part_boxes[p].Add(q);
    for (size_t h = 1; h < polygon.ring_count(); ++h) {
      const RingView hole = polygon.ring(h);
      if (!RingContains(polygon.shell(), hole[0])) return false;
      for (size_t k = 1; k < polygon.ring_count(); ++k) {
        if (k != h && RingContains(polygon.ring(k), hole[0])) return false;
      }
    }
  }
  for (size_t p = 0; p < geometry.polygon_count(); ++p) {
    const Point q = geometry.polygon(p).shell()[0];
    for (size_t o = 0; o < geometry.polygon_count(); ++o) {
      if (o == p || !part_boxes[o].Contains(q)) continue;
      const PolygonView other = geometry.polygon(o);
      bool inside = false;
      for (size_t k = 0; k < other.ring_count(); ++k) {
        if (RingContains(other.ring(k), q)) inside = !inside;
      }
      if (inside) return false;
    }
  }
  return true;
}

PolygonVerdict CheckPolygon(const MultiPolygonView& geometry,
                            const geos::geom::GeometryFactory& factory, CheckScratch& scratch) {
  PolygonVerdict verdict;
  if (geometry.empty()) {
    verdict.kind = PolygonVerdict::Kind::kEmpty;
    return verdict;
  }
  for (const Point& p : geometry.points()) {
    if (!IsFinite(p)) {
      verdict.kind = PolygonVerdict::Kind::kNonFinite;
      verdict.reason = "nan_coordinate";
      verdict.location = p;
      return verdict;
    }
  }
  for (size_t r = 0; r < geometry.ring_count(); ++r) {
    const RingView ring = geometry.ring(r);
    if (ring.size() < 4) {
      verdict.kind = PolygonVerdict::Kind::kInvalid;
      verdict.reason = "too_few_points";
      verdict.location = ring.empty() ? Point{} : ring[0];
      return verdict;
    }
    if (!(ring.front() == ring.back())) {
      verdict.kind = PolygonVerdict::Kind::kInvalid;
      verdict.reason = "ring_not_closed";
      verdict.location = ring[0];
      return verdict;
    }
  }
  if (FastValid(geometry, scratch)) return verdict;
  try {
    std::unique_ptr<geos::geom::Geometry> g = ToGeos(factory, geometry);
    geos::operation::valid::IsValidOp op(g.get());
    const TopologyValidationError* error = op.getValidationError();
    if (error == nullptr) return verdict;
    verdict.kind = PolygonVerdict::Kind::kInvalid;
    verdict.reason = ReasonToken(error->getErrorType());
    verdict.detail = error->getMessage();
    verdict.location = {error->getCoordinate().x, error->getCoordinate().y};
  } catch (const std::exception& e) {
    verdict.kind = PolygonVerdict::Kind::kInvalid;
    verdict.reason = "invalid";
    verdict.detail = e.what();
    verdict.location = geometry.points()[0];
  }
  return verdict;
}

}  // namespace wangge::internal::coverage
