// Level: one tier of a region hierarchy. Levels are data, not code: a dataset declares its ordered
// levels, coarsest first. Putian uses six (city → district → town → community → grid → unit);
// Fuzhou-style datasets use four; any count from 1 up works the same way.
#pragma once

#include <string>
#include <vector>

namespace wangge {

struct Level {
  // Machine name: the layer name in a dataset, the OGC API collection id, the column name in
  // `wangge locate` output. ASCII, e.g. "grid".
  std::string name;
  // Name for people, e.g. "网格". Defaults to `name` when a dataset gives none.
  std::string label;
};

// Returns Putian's six levels: city 市, district 区县, town 镇街, community 村居, grid 网格, unit 单元.
std::vector<Level> DefaultLevels();

}  // namespace wangge
