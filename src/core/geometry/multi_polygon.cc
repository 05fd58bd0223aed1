#include "wangge/geometry/multi_polygon.h"

#include <cassert>

namespace wangge {

Box MultiPolygonView::bounds() const {
  Box box;
  for (const Point& p : points_) box.Add(p);
  return box;
}

MultiPolygon::MultiPolygon(const MultiPolygonView& view)
    : points_(view.points().begin(), view.points().end()),
      ring_ends_(view.ring_ends().begin(), view.ring_ends().end()),
      polygon_ends_(view.polygon_ends().begin(), view.polygon_ends().end()) {}

void MultiPolygon::AddRing(std::span<const Point> ring, bool starts_polygon) {
  assert(!ring.empty());
  assert(starts_polygon || !polygon_ends_.empty());
  points_.insert(points_.end(), ring.begin(), ring.end());
  if (!(ring.front() == ring.back())) points_.push_back(ring.front());
  ring_ends_.push_back(static_cast<uint32_t>(points_.size()));
  if (starts_polygon) {
    polygon_ends_.push_back(static_cast<uint32_t>(ring_ends_.size()));
  } else {
    polygon_ends_.back() = static_cast<uint32_t>(ring_ends_.size());
  }
}

}  // namespace wangge
