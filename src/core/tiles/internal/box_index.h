// BoxIndex: a static, packed R-tree (sort-tile-recursive, 16 entries per node) over boxes with
// integer ids, in flat arrays. Built once; queried concurrently.
//
//   BoxIndex index(boxes);                       // boxes[i] has id i
//   index.Query(tile_box, [&](uint32_t id) { candidates.push_back(id); });
//
// Thread safety: immutable after construction.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "wangge/geometry/box.h"

namespace wangge::internal {

class BoxIndex {
 public:
  BoxIndex() = default;
  // Indexes boxes[i] under id i; empty boxes are left out.
  explicit BoxIndex(const std::vector<Box>& boxes) {
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < boxes.size(); ++i) {
      if (!boxes[i].empty()) order.push_back(i);
    }
    auto cx = [&](uint32_t i) { return boxes[i].min_x + boxes[i].max_x; };
    auto cy = [&](uint32_t i) { return boxes[i].min_y + boxes[i].max_y; };
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return cx(a) < cx(b); });
    const size_t leaves = (order.size() + kFanout - 1) / kFanout;
    const size_t slices = std::max<size_t>(1, static_cast<size_t>(std::ceil(std::sqrt(leaves))));
    const size_t per_slice = slices * kFanout;
    for (size_t s = 0; s < order.size(); s += per_slice) {
      auto end = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), s + per_slice));
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(s), end,
                [&](uint32_t a, uint32_t b) { return cy(a) < cy(b); });
    }
    ids_ = order;
    for (uint32_t i : order) boxes_.push_back(boxes[i]);
    level_begin_ = {0};
    size_t begin = 0;
    size_t count = boxes_.size();
    while (count > 1) {
      for (size_t i = 0; i < count; i += kFanout) {
        Box parent;
        for (size_t k = i; k < std::min(count, i + kFanout); ++k) parent.Add(boxes_[begin + k]);
        boxes_.push_back(parent);
      }
      begin += count;
      level_begin_.push_back(begin);
      count = boxes_.size() - begin;
    }
    level_begin_.push_back(boxes_.size());
  }

  // Calls visit(id) for every box that intersects `query` (closed boxes), in no set order.
  template <typename Visit>
  void Query(const Box& query, Visit&& visit) const {
    if (boxes_.empty()) return;
    const size_t top = level_begin_.size() - 2;
    struct Entry {
      size_t level, index;
    };
    Entry stack[64 * kFanout];
    size_t depth = 0;
    for (size_t i = 0; i < level_begin_[top + 1] - level_begin_[top]; ++i)
      stack[depth++] = {top, i};
    while (depth > 0) {
      const Entry e = stack[--depth];
      if (!boxes_[level_begin_[e.level] + e.index].Intersects(query)) continue;
      if (e.level == 0) {
        visit(ids_[e.index]);
        continue;
      }
      const size_t below = level_begin_[e.level] - level_begin_[e.level - 1];
      const size_t first = e.index * kFanout;
      for (size_t k = first; k < std::min(below, first + kFanout); ++k) {
        stack[depth++] = {e.level - 1, k};
      }
    }
  }

 private:
  static constexpr size_t kFanout = 16;
  std::vector<Box> boxes_;           // leaves (in ids_ order), then each level of parents
  std::vector<uint32_t> ids_;        // id of each leaf
  std::vector<size_t> level_begin_;  // start of each level in boxes_, plus the end
};

}  // namespace wangge::internal
