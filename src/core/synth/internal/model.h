// The synthetic hierarchy while it is being built and edited (before it becomes an immutable
// Hierarchy): per level, the regions with their codes, names, attributes, geometry and links.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wangge/geometry/multi_polygon.h"
#include "wangge/hierarchy/level.h"

namespace wangge::internal {

inline constexpr uint32_t kNoParent = UINT32_MAX;

struct RegionData {
  std::string code;
  std::string parent;  // declared parent code
  std::string name;
  std::vector<std::string> attributes;  // per the level's attribute names
  MultiPolygon geometry;
  uint32_t parent_index = kNoParent;  // in the level above
  std::vector<uint32_t> children;     // in the level below
};

struct Model {
  std::vector<Level> levels;
  std::vector<std::vector<std::string>> attribute_names;  // per level
  std::vector<std::vector<RegionData>> regions;           // per level
};

// The levels of a synthetic hierarchy (DefaultLevels order).
enum SynthLevel : size_t { kCity = 0, kDistrict, kTown, kCommunity, kGrid, kUnit };

}  // namespace wangge::internal
