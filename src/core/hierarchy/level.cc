#include "wangge/hierarchy/level.h"

namespace wangge {

std::vector<Level> DefaultLevels() {
  return {{"city", "市"},      {"district", "区县"}, {"town", "镇街"},
          {"community", "村居"}, {"grid", "网格"},     {"unit", "单元"}};
}

}  // namespace wangge
