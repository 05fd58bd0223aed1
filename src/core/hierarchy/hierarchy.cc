#include "wangge/hierarchy/hierarchy.h"

#include <algorithm>

namespace wangge {

std::optional<size_t> Hierarchy::FindLevel(std::string_view name) const {
  for (size_t i = 0; i < levels_.size(); ++i) {
    if (levels_[i].name == name) return i;
  }
  return std::nullopt;
}

MultiPolygonView Hierarchy::geometry(RegionId id) const {
  const auto points = std::span<const Point>(points_).subspan(
      point_begin_[id], point_begin_[id + 1] - point_begin_[id]);
  const auto rings = std::span<const uint32_t>(ring_ends_)
                         .subspan(ring_begin_[id], ring_begin_[id + 1] - ring_begin_[id]);
  const auto polygons =
      std::span<const uint32_t>(polygon_ends_)
          .subspan(polygon_begin_[id], polygon_begin_[id + 1] - polygon_begin_[id]);
  return MultiPolygonView(points, rings, polygons);
}

std::string_view Hierarchy::attribute(RegionId id, size_t index) const {
  return attribute_values_[attribute_begin_[id] + index];
}

std::optional<std::string_view> Hierarchy::attribute(RegionId id, std::string_view name) const {
  const auto& names = attribute_names_[level_of_[id]];
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return attribute(id, i);
  }
  return std::nullopt;
}

RegionId Hierarchy::Find(std::string_view code) const {
  auto it =
      std::lower_bound(by_code_.begin(), by_code_.end(), code,
                       [this](RegionId id, std::string_view c) { return this->code(id) < c; });
  return it != by_code_.end() && this->code(*it) == code ? *it : kNoRegion;
}

}  // namespace wangge
