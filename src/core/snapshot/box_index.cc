#include "wangge/snapshot/box_index.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace wangge {
namespace {

// Returns the position of (x, y) on a Hilbert curve over a 2^16 x 2^16 grid.
uint32_t HilbertIndex(uint32_t x, uint32_t y) {
  uint32_t d = 0;
  for (uint32_t s = 1u << 15; s > 0; s >>= 1) {
    const uint32_t rx = (x & s) ? 1 : 0;
    const uint32_t ry = (y & s) ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry == 0) {  // rotate the quadrant so the curve stays continuous
      if (rx == 1) {
        x = 0xffff - x;
        y = 0xffff - y;
      }
      std::swap(x, y);
    }
  }
  return d;
}

}  // namespace

BoxIndex BoxIndex::Build(std::span<const Box> boxes) {
  BoxIndex index;
  const size_t n = boxes.size();
  index.item_count_ = n;
  if (n == 0) return index;

  Box extent;
  for (const Box& b : boxes) {
    if (!b.empty()) extent.Add(b);
  }
  const double width = extent.empty() ? 1 : std::max(extent.width(), 1e-300);
  const double height = extent.empty() ? 1 : std::max(extent.height(), 1e-300);
  constexpr double kGrid = 65535.0;
  std::vector<uint32_t> keys(n, 0xffffffffu);  // empty boxes sort last
  for (size_t i = 0; i < n; ++i) {
    const Box& b = boxes[i];
    if (b.empty()) continue;
    const double cx = ((b.min_x + b.max_x) / 2 - extent.min_x) / width;
    const double cy = ((b.min_y + b.max_y) / 2 - extent.min_y) / height;
    keys[i] = HilbertIndex(static_cast<uint32_t>(std::clamp(cx, 0.0, 1.0) * kGrid),
                           static_cast<uint32_t>(std::clamp(cy, 0.0, 1.0) * kGrid));
  }
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });

  // Leaves, then each level's parents until one root remains.
  size_t total = n;
  for (size_t count = n; count > 1;) {
    count = (count + kNodeSize - 1) / kNodeSize;
    total += count;
  }
  index.boxes_.reserve(total);
  index.refs_.reserve(total);
  for (uint32_t item : order) {
    index.boxes_.push_back(boxes[item]);
    index.refs_.push_back(item);
  }
  index.level_ends_.push_back(n);
  size_t level_begin = 0;
  while (index.level_ends_.back() - level_begin > 1) {
    const size_t level_end = index.level_ends_.back();
    for (size_t first = level_begin; first < level_end; first += kNodeSize) {
      Box node;
      const size_t last = std::min(first + kNodeSize, level_end);
      for (size_t child = first; child < last; ++child) {
        if (!index.boxes_[child].empty()) node.Add(index.boxes_[child]);
      }
      index.boxes_.push_back(node);
      index.refs_.push_back(static_cast<uint32_t>(first));
    }
    level_begin = level_end;
    index.level_ends_.push_back(index.boxes_.size());
  }
  return index;
}

void BoxIndex::Query(const Box& query, std::vector<uint32_t>* out) const {
  if (item_count_ == 0 || query.empty()) return;
  // (node position, level) pairs still to visit; depth-first.
  std::vector<std::pair<size_t, size_t>> stack;
  stack.emplace_back(boxes_.size() - 1, level_ends_.size() - 1);
  while (!stack.empty()) {
    const auto [node, level] = stack.back();
    stack.pop_back();
    const Box& box = boxes_[node];
    if (box.empty() || !box.Intersects(query)) continue;
    if (level == 0) {
      out->push_back(refs_[node]);
      continue;
    }
    const size_t first = refs_[node];
    const size_t last = std::min(first + kNodeSize, level_ends_[level - 1]);
    for (size_t child = first; child < last; ++child) stack.emplace_back(child, level - 1);
  }
}

size_t BoxIndex::memory_bytes() const {
  return boxes_.capacity() * sizeof(Box) + refs_.capacity() * sizeof(uint32_t) +
         level_ends_.capacity() * sizeof(size_t);
}

}  // namespace wangge
