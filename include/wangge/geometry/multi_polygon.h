// MultiPolygon: polygons with holes in flat storage, and the views used to read them.
//
// A multipolygon is a list of polygons; a polygon is a shell ring followed by its hole rings; a
// ring is a closed vertex sequence (front() == back()). All vertices of all rings sit in one array,
// so a region's geometry is three contiguous slices, and a Hierarchy stores all regions' geometry
// in three arrays (arena storage, no allocation per ring). Orientation is whatever the source had;
// consumers that need it (coverage, tiles) compute it.
//
//   MultiPolygon m;
//   m.AddRing({{0, 0}, {1, 0}, {1, 1}, {0, 0}}, /*starts_polygon=*/true);
//   MultiPolygonView v = m.view();
//   for (size_t i = 0; i < v.polygon_count(); ++i) Use(v.polygon(i).shell());
//
// Thread safety: views are read-only and may be shared; a MultiPolygon is a plain value.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "wangge/geometry/box.h"
#include "wangge/geometry/point.h"

namespace wangge {

// A closed ring: front() == back().
using RingView = std::span<const Point>;

class MultiPolygonView;

// One polygon of a MultiPolygonView: ring 0 is the shell, the rest are holes.
class PolygonView {
 public:
  PolygonView(const MultiPolygonView& owner, uint32_t first_ring, uint32_t end_ring)
      : owner_(&owner), first_ring_(first_ring), end_ring_(end_ring) {}

  size_t ring_count() const { return end_ring_ - first_ring_; }
  RingView ring(size_t i) const;
  RingView shell() const { return ring(0); }

 private:
  const MultiPolygonView* owner_;
  uint32_t first_ring_;
  uint32_t end_ring_;
};

// A read-only multipolygon over three slices:
//   points:       all vertices, ring after ring;
//   ring_ends:    ring i spans points[i ? ring_ends[i-1] : 0, ring_ends[i]);
//   polygon_ends: polygon j spans rings [j ? polygon_ends[j-1] : 0, polygon_ends[j]).
class MultiPolygonView {
 public:
  MultiPolygonView() = default;
  MultiPolygonView(std::span<const Point> points, std::span<const uint32_t> ring_ends,
                   std::span<const uint32_t> polygon_ends)
      : points_(points), ring_ends_(ring_ends), polygon_ends_(polygon_ends) {}

  bool empty() const { return polygon_ends_.empty(); }
  size_t polygon_count() const { return polygon_ends_.size(); }
  size_t ring_count() const { return ring_ends_.size(); }
  size_t vertex_count() const { return points_.size(); }

  // REQUIRES: i < polygon_count(). The returned view refers to *this, which must outlive it.
  PolygonView polygon(size_t i) const {
    return PolygonView(*this, i ? polygon_ends_[i - 1] : 0, polygon_ends_[i]);
  }
  // REQUIRES: i < ring_count().
  RingView ring(size_t i) const {
    const uint32_t begin = i ? ring_ends_[i - 1] : 0;
    return points_.subspan(begin, ring_ends_[i] - begin);
  }
  std::span<const Point> points() const { return points_; }
  std::span<const uint32_t> ring_ends() const { return ring_ends_; }
  std::span<const uint32_t> polygon_ends() const { return polygon_ends_; }

  // Returns the bounding box of all vertices (empty for an empty geometry).
  Box bounds() const;

 private:
  std::span<const Point> points_;
  std::span<const uint32_t> ring_ends_;
  std::span<const uint32_t> polygon_ends_;
};

inline RingView PolygonView::ring(size_t i) const {
  return owner_->ring(first_ring_ + i);
}

// An owning multipolygon, built ring by ring.
class MultiPolygon {
 public:
  MultiPolygon() = default;
  // Copies `view`.
  explicit MultiPolygon(const MultiPolygonView& view);

  // Appends a ring. With `starts_polygon` it is the shell of a new polygon, otherwise a hole of the
  // last polygon. A ring that is not closed is closed by repeating its first vertex.
  // REQUIRES: !ring.empty(); a hole needs a polygon to belong to.
  void AddRing(std::span<const Point> ring, bool starts_polygon);

  bool empty() const { return polygon_ends_.empty(); }
  MultiPolygonView view() const { return {points_, ring_ends_, polygon_ends_}; }

  std::vector<Point>& mutable_points() { return points_; }

 private:
  std::vector<Point> points_;
  std::vector<uint32_t> ring_ends_;
  std::vector<uint32_t> polygon_ends_;
};

}  // namespace wangge
