// BoxIndex: a static packed R-tree over axis-aligned boxes, answering "which boxes intersect this
// query box" without scanning them all. OGC API bbox queries use one per level (Putian's unit level
// has 134,753 regions; a map viewport touches a few hundred).
//
// Items are sorted along a Hilbert curve by box centre and packed bottom-up into nodes of
// kNodeSize children, so the tree is a handful of flat arrays (no node allocations) and a query
// visits O(log n + k) nodes.
//
//   BoxIndex index = BoxIndex::Build(boxes);          // item i is boxes[i]
//   std::vector<uint32_t> hits;
//   index.Query({.min_x = 119.0, .min_y = 25.4, .max_x = 119.1, .max_y = 25.5}, &hits);
//
// Empty boxes are indexed but never match. Boxes are closed: touching counts as intersecting.
// Thread safety: immutable after Build; Query may be called from any number of threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "wangge/geometry/box.h"

namespace wangge {

class BoxIndex {
 public:
  static constexpr size_t kNodeSize = 16;

  // Creates an index of no items.
  BoxIndex() = default;

  // Builds the index of `boxes`; item i is boxes[i]. REQUIRES: boxes.size() < 2^32.
  static BoxIndex Build(std::span<const Box> boxes);

  size_t size() const { return item_count_; }

  // Appends to `out` the items whose box intersects `query`, in no particular order.
  void Query(const Box& query, std::vector<uint32_t>* out) const;

  // Returns the heap bytes held by the index.
  size_t memory_bytes() const;

 private:
  size_t item_count_ = 0;
  // All nodes, level by level from the leaves (the items, in Hilbert order) up to the root.
  std::vector<Box> boxes_;
  // For a leaf: the item id. For an inner node: the position in boxes_ of its first child.
  std::vector<uint32_t> refs_;
  // level_ends_[l] is one past the last node of level l (level 0 = leaves).
  std::vector<size_t> level_ends_;
};

}  // namespace wangge
