// Grouping units into towns, communities and grids: contiguous groups of adjacent units, in exact
// numbers, by recursive bisection of the unit adjacency graph.
//
//   UnitGraph g = UnitGraph::Build(units, district_of_unit, centroids);
//   std::vector<uint32_t> group = g.Partition(nodes, weights, node_weight);  // group per node
//
// Thread safety: a built UnitGraph is immutable; Partition is const and reentrant.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "wangge/base/result.h"
#include "wangge/geometry/multi_polygon.h"
#include "wangge/geometry/point.h"

namespace wangge::internal {

class UnitGraph {
 public:
  // Builds the adjacency of units sharing at least one segment and the same district, then links
  // each district's pieces that touch nothing of their district (islands, exclaves) to the
  // nearest unit of the rest, so that every district's units form one connected graph.
  static UnitGraph Build(const std::vector<MultiPolygon>& units,
                         const std::vector<uint32_t>& district, const std::vector<Point>& centroid);

  size_t size() const { return begin_.size() - 1; }
  std::span<const uint32_t> neighbours(uint32_t u) const {
    return std::span<const uint32_t>(neighbour_).subspan(begin_[u], begin_[u + 1] - begin_[u]);
  }
  // Returns the shared border length (metres) with each neighbour, in neighbours() order; 0 for a
  // link between pieces that do not touch.
  std::span<const float> shared(uint32_t u) const {
    return std::span<const float>(shared_).subspan(begin_[u], begin_[u + 1] - begin_[u]);
  }

  // Splits `nodes` (connected in this graph) into group_weight.size() connected, non-empty groups
  // whose total node weights follow group_weight. Returns the group of each node, in `nodes` order.
  // Fails if there are fewer nodes than groups.
  Result<std::vector<uint32_t>> Partition(std::span<const uint32_t> nodes,
                                          std::span<const double> group_weight,
                                          std::span<const double> node_weight) const;

  // Returns true if `nodes` are connected in this graph.
  bool Connected(std::span<const uint32_t> nodes) const;

 private:
  std::vector<uint32_t> begin_;
  std::vector<uint32_t> neighbour_;
  std::vector<float> shared_;
  std::vector<Point> position_;  // metres, for the split axes
};

// Returns integers summing to `total` roughly proportional to `weights`, each within
// [min[i], max[i]]. REQUIRES: sum(min) <= total <= sum(max), min <= max.
std::vector<int64_t> Allocate(int64_t total, std::span<const double> weights,
                              std::span<const int64_t> min, std::span<const int64_t> max);

}  // namespace wangge::internal
